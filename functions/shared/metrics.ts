/**
 * Prometheus metrics of a process (prom-client): one registry per process, every series named
 * `tuoi_…` and labelled with the `function` it belongs to. What is counted where:
 * - HTTP requests by route pattern, method and status, with latency (http.ts `handleHttp`);
 * - CloudEvents consumed by type and outcome (consumer.ts), deliveries, retries and dead letters
 *   by type (the local router), Kafka consumer lag (the router in Kafka mode);
 * - outbox backlog and relay delay (relay.ts), database pool use (every pool from `createPool`);
 * - business figures from committed outbox events (`countCommitted`, run after COMMIT by db.ts).
 * Nothing here awaits on the request path: counters and histograms are in memory, gauges are read
 * when Prometheus scrapes. The metrics server (`startMetricsServer`) is a separate plain node:http
 * server on METRICS_PORT (9464 by default, `off` disables it) that answers GET /metrics only.
 */
import { createServer, type Server } from 'node:http';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TuoiCloudEvent } from '../../events';
import { createLogger } from './log';

const log = createLogger('metrics');

/** The process's registry (never prom-client's global one). */
export const registry = new Registry();

/** The default metrics port: the Prometheus/OpenTelemetry exporter convention. */
export const DEFAULT_METRICS_PORT = 9464;

let defaultsOn = false;

/**
 * Labels every series of this process with the function (or process) it serves and starts the
 * process metrics (CPU, memory, event-loop lag, GC) once.
 */
export function initMetrics(fn: string): void {
  registry.setDefaultLabels({ function: fn });
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry, prefix: 'tuoi_' }); // tuoi_process_*, tuoi_nodejs_*
}

/** Latency buckets (seconds); 0.5 and 1 are the search and checkout SLO edges. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];
const AGE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const registers = [registry];

// ----------------------------------------------------------------------------------- HTTP

const httpLabels = ['route', 'method', 'code'] as const;
const httpRequests = new Counter({
  name: 'tuoi_http_requests_total',
  help: 'HTTP requests answered, by route pattern, method and status code.',
  labelNames: httpLabels,
  registers,
});
const httpDuration = new Histogram({
  name: 'tuoi_http_request_duration_seconds',
  help: 'Time to answer an HTTP request (body read to response built), by route pattern, method and status code.',
  labelNames: httpLabels,
  buckets: LATENCY_BUCKETS,
  registers,
});
const httpUnhandled = new Counter({
  name: 'tuoi_http_unhandled_errors_total',
  help: 'Requests that failed with an error that is not an AppError (a bug or an outage), answered 500/503.',
  labelNames: ['route'] as const,
  registers,
});

/** The route label of a request that matched no route (404/405/400 before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Records one answered request. `route` is the matched pattern (`/orders/:id`), never the raw
 * path; `startedNs` is `process.hrtime.bigint()` at the start.
 */
export function observeHttp(
  route: string,
  method: string,
  status: number,
  startedNs: bigint,
  unhandled = false,
): void {
  const labels = { route, method: KNOWN_METHODS.has(method) ? method : 'OTHER', code: String(status) };
  httpDuration.observe(labels, Number(process.hrtime.bigint() - startedNs) / 1e9);
  httpRequests.inc(labels);
  if (unhandled) httpUnhandled.inc({ route });
}
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

// ----------------------------------------------------------------------------- CloudEvents

/** What became of a CloudEvent delivered to a consumer. */
export type ConsumeOutcome =
  | 'processed'
  | 'duplicate'
  | 'poison' // 4xx: the broker dead-letters it without retrying
  | 'retry' // transient 5xx: the broker delivers it again
  | 'failed' // other 5xx: retried too, but a bug until proven otherwise
  | 'refused'; // 401/403: the sender is not authenticated or not allowed

const eventsConsumed = new Counter({
  name: 'tuoi_events_consumed_total',
  help: 'CloudEvents delivered to this function, by type (unknown before the contract check) and outcome.',
  labelNames: ['type', 'outcome'] as const,
  registers,
});
const eventHandling = new Histogram({
  name: 'tuoi_event_handle_duration_seconds',
  help: 'Time to handle a CloudEvent (inbox, handler, commit), by type.',
  labelNames: ['type'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});
const eventAge = new Histogram({
  name: 'tuoi_event_age_seconds',
  help: "Age of a CloudEvent when its consumer takes it (now minus its 'time'): the producer-to-consumer lag.",
  labelNames: ['type'] as const,
  buckets: AGE_BUCKETS,
  registers,
});

/** Records one delivery to a consumer; `type` must have passed the contract check (else `unknown`). */
export function observeConsumed(
  type: string,
  outcome: ConsumeOutcome,
  timing?: { startedNs: bigint; time?: string },
): void {
  eventsConsumed.inc({ type, outcome });
  if (!timing) return;
  eventHandling.observe({ type }, Number(process.hrtime.bigint() - timing.startedNs) / 1e9);
  const at = timing.time ? Date.parse(timing.time) : NaN;
  if (Number.isFinite(at)) eventAge.observe({ type }, Math.max(0, Date.now() - at) / 1000);
}

/** What a delivery attempt of the local router came to. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'dead_letter';

const deliveries = new Counter({
  name: 'tuoi_event_deliveries_total',
  help: 'Delivery attempts of the event router, by event type, trigger and outcome (delivered, retry scheduled, dead-lettered).',
  labelNames: ['type', 'trigger', 'outcome'] as const,
  registers,
});

/** Records one delivery attempt of the router (dev and tests; Knative's dispatcher on a cluster). */
export function observeDelivery(type: string, trigger: string, outcome: DeliveryOutcome): void {
  deliveries.inc({ type, trigger, outcome });
}

/** Per-partition lag of the router's Kafka consumer: records behind the partition's end. */
const kafkaLag = new Gauge({
  name: 'tuoi_router_kafka_lag_records',
  help: "Records between the router consumer's last fetched offset and the partition's high watermark.",
  labelNames: ['topic', 'partition'] as const,
  registers,
});

/** Sets the router's consumer lag of one partition (once per fetched batch). */
export function setKafkaLag(topic: string, partition: number, lag: number): void {
  kafkaLag.set({ topic, partition: String(partition) }, Math.max(0, lag));
}

// ------------------------------------------------------------------------- outbox and relay

const relayPublished = new Counter({
  name: 'tuoi_relay_published_total',
  help: 'Events the outbox relay published, by outbox schema.',
  labelNames: ['schema'] as const,
  registers,
});
const relayDelay = new Histogram({
  name: 'tuoi_relay_delay_seconds',
  help: "Time an event waited in its outbox (its 'time' to publication), by outbox schema.",
  labelNames: ['schema'] as const,
  buckets: AGE_BUCKETS,
  registers,
});
const relayFailures = new Counter({
  name: 'tuoi_relay_failures_total',
  help: 'Relay passes that failed (database or sink unavailable); the relay retries.',
  registers,
});

/** Records a published relay batch of `schema`. */
export function observePublished(schema: string, events: { time?: string }[]): void {
  relayPublished.inc({ schema }, events.length);
  const now = Date.now();
  for (const e of events) {
    const at = e.time ? Date.parse(e.time) : NaN;
    if (Number.isFinite(at)) relayDelay.observe({ schema }, Math.max(0, now - at) / 1000);
  }
}

/** Records a failed relay pass. */
export function observeRelayFailure(): void {
  relayFailures.inc();
}

/** A live source of backlog figures (a running relay); read when Prometheus scrapes. */
export interface BacklogSource {
  /** Pending (unpublished) outbox rows and the age in seconds of the oldest, per schema. */
  backlog(): Promise<{ schema: string; pending: number; oldestSeconds: number }[]>;
  /** When the last full pass succeeded (epoch ms; 0 before the first). */
  lastSuccessAt(): number;
}
const backlogSources = new Set<BacklogSource>();

new Gauge({
  name: 'tuoi_outbox_pending',
  help: 'Outbox rows not yet published, by schema (read at scrape time by the relay process).',
  labelNames: ['schema'] as const,
  registers,
  async collect() {
    this.reset();
    for (const source of backlogSources)
      for (const b of await source.backlog().catch(() => [])) this.inc({ schema: b.schema }, b.pending);
  },
});
new Gauge({
  name: 'tuoi_outbox_oldest_pending_seconds',
  help: 'Age of the oldest unpublished outbox row, by schema: the relay lag (0 when the outbox is drained).',
  labelNames: ['schema'] as const,
  registers,
  async collect() {
    this.reset();
    for (const source of backlogSources)
      for (const b of await source.backlog().catch(() => [])) this.set({ schema: b.schema }, b.oldestSeconds);
  },
});
new Gauge({
  name: 'tuoi_relay_last_success_timestamp_seconds',
  help: 'When the relay last completed a pass over every outbox (Unix seconds).',
  registers,
  collect() {
    this.reset();
    for (const source of backlogSources)
      if (source.lastSuccessAt() > 0) this.set(source.lastSuccessAt() / 1000);
  },
});

/** Registers a running relay's backlog; returns the function that removes it. */
export function addBacklogSource(source: BacklogSource): () => void {
  backlogSources.add(source);
  return () => void backlogSources.delete(source);
}

// ----------------------------------------------------------------------------- database pools

const pools = new Map<Pool, string>();
new Gauge({
  name: 'tuoi_db_pool_connections',
  help: 'Connections of a PostgreSQL pool by state: total open, idle, and callers waiting for one.',
  labelNames: ['pool', 'state'] as const,
  registers,
  collect() {
    this.reset();
    for (const [pool, name] of pools) {
      if ((pool as Pool & { ended?: boolean }).ended) {
        pools.delete(pool);
        continue;
      }
      this.inc({ pool: name, state: 'total' }, pool.totalCount);
      this.inc({ pool: name, state: 'idle' }, pool.idleCount);
      this.inc({ pool: name, state: 'waiting' }, pool.waitingCount);
    }
  },
});
new Gauge({
  name: 'tuoi_db_pool_max',
  help: 'The most connections a PostgreSQL pool opens (saturation = (total - idle) / max).',
  labelNames: ['pool'] as const,
  registers,
  collect() {
    this.reset();
    for (const [pool, name] of pools)
      this.inc({ pool: name }, (pool as Pool & { options?: { max?: number } }).options?.max ?? 10);
  },
});

/** Watches a pool's use; pools with the same name in one process add up. */
export function observePool(pool: Pool, name: string): void {
  pools.set(pool, name);
}

// ---------------------------------------------------------------------------- business figures

const ordersConfirmed = new Counter({
  name: 'tuoi_orders_confirmed_total',
  help: 'Orders confirmed (stock, slot, price and payment all in place), by payment rail.',
  labelNames: ['rail'] as const,
  registers,
});
const ordersCompleted = new Counter({
  name: 'tuoi_orders_completed_total',
  help: 'Orders completed: delivered or collected and paid.',
  registers,
});
const ordersCancelled = new Counter({
  name: 'tuoi_orders_cancelled_total',
  help: 'Orders cancelled, by reason code (before or after confirmation).',
  labelNames: ['reason'] as const,
  registers,
});
const checkoutFailures = new Counter({
  name: 'tuoi_checkout_failures_total',
  help: 'Checkouts that ended cancelled before confirmation, by reason code (out_of_stock, slot_full, payment_failed, ...).',
  labelNames: ['reason'] as const,
  registers,
});
const slotRequests = new Counter({
  name: 'tuoi_slot_requests_total',
  help: "Delivery's answers to the checkout's slot commands, by action (hold, book, release), outcome (done, refused) and reason.",
  labelNames: ['action', 'outcome', 'reason'] as const,
  registers,
});
const substitutions = new Counter({
  name: 'tuoi_substitutions_decided_total',
  help: 'Substitutions decided, by decision (approved, rejected, expired).',
  labelNames: ['decision'] as const,
  registers,
});
const paymentFailures = new Counter({
  name: 'tuoi_payment_failures_total',
  help: 'Payments that failed, by provider (the payment rail: momo, vnpay, stripe, cod).',
  labelNames: ['provider'] as const,
  registers,
});
const stockOversells = new Counter({
  name: 'tuoi_stock_oversell_total',
  help: 'Writes refused by the no-oversell CHECK on inventory lots (held <= on_hand, on_hand >= 0). Must stay 0.',
  registers,
});

/** A label value from a code our own code produced (`^[a-z][a-z0-9_]{0,63}$`), else `other`. */
function code(value: unknown): string {
  return typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(value) ? value : 'other';
}

/** Counts the business figures in events that have just been committed to an outbox. */
export function countCommitted(events: readonly TuoiCloudEvent[]): void {
  for (const e of events) {
    const data = (e.data ?? {}) as Record<string, unknown>;
    switch (e.type) {
      case 'io.tuoi.order.confirmed.v1':
        ordersConfirmed.inc({ rail: code(data.rail) });
        break;
      case 'io.tuoi.order.completed.v1':
        ordersCompleted.inc();
        break;
      case 'io.tuoi.order.cancelled.v1':
        ordersCancelled.inc({ reason: code((data.reason as { code?: unknown } | undefined)?.code) });
        break;
      case 'io.tuoi.delivery.saga.replied.v1':
        slotRequests.inc({
          action: code(data.action),
          outcome: code(data.outcome),
          reason:
            data.outcome === 'refused' ? code((data.reason as { code?: unknown } | undefined)?.code) : '',
        });
        break;
      case 'io.tuoi.order.substitution.decided.v1':
        substitutions.inc({ decision: code(data.decision) });
        break;
      case 'io.tuoi.payment.failed.v1':
        paymentFailures.inc({ provider: code(data.rail) });
        break;
    }
  }
}

/** Counts a checkout that ended before confirmation (called after its transaction committed). */
export function countCheckoutFailure(reason: string): void {
  checkoutFailures.inc({ reason: code(reason) });
}

/** The no-oversell CHECKs of inventory lots, by PostgreSQL's default names (`held <= on_hand` spans two columns: lots_check). */
const OVERSELL_CONSTRAINTS = new Set(['lots_check', 'lots_on_hand_check']);

/** Counts `err` when it is the database refusing an oversell (SQLSTATE 23514 on a lot). */
export function noteDatabaseError(err: unknown): void {
  const e = err as { code?: unknown; constraint?: unknown } | undefined;
  if (e?.code === '23514' && typeof e.constraint === 'string' && OVERSELL_CONSTRAINTS.has(e.constraint))
    stockOversells.inc();
}

// ----------------------------------------------------------------------------------- server

/** METRICS_PORT as a port number (0 = any free port), or undefined when it is `off`. */
export function metricsPort(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.METRICS_PORT?.trim();
  if (raw === undefined || raw === '') return DEFAULT_METRICS_PORT;
  if (raw === 'off') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`METRICS_PORT must be a port number or off, got "${raw}"`);
  return port;
}

/** A listening metrics server. */
export interface MetricsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics (Prometheus text format) on METRICS_PORT, on every interface; anything else
 * is a 404. Resolves undefined when METRICS_PORT is `off`. Not behind the request pipeline: a scrape
 * is not traffic, and it keeps answering while the function drains.
 */
export async function startMetricsServer(
  env: NodeJS.ProcessEnv = process.env,
): Promise<MetricsServer | undefined> {
  const port = metricsPort(env);
  if (port === undefined) return undefined;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err) => {
        log.error('collecting metrics failed', { err });
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Delivers queued events to subscriber functions over HTTP (CloudEvents binary mode) with the
 * semantics of a Knative delivery spec: 2xx with an empty body = delivered; 404, 408, 409, 429,
 * 5xx and network errors are retried with linear or exponential backoff; any other 4xx goes
 * straight to the dead letters, as do exhausted retries.
 */
import { Agent, request } from 'node:http';
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import type { Delivery, TriggerSpec } from '../../registry';
import { CLOUDEVENTS_PATH } from '../http';
import { createLogger } from '../log';
import { observeDelivery } from '../metrics';
import { Pause } from './pause';
import { claimDue, markDelivered, markFailed, type DeliveryRow } from './delivery-queue';

/** Dispatcher settings. `resolve` maps a function name to its base URL. */
export interface DispatcherOptions {
  pool: Pool;
  schema: string;
  triggers: TriggerSpec[];
  resolve(subscriber: string): string | undefined;
  /** The bearer token a Trigger's deliveries carry (see local-issuer.ts). */
  credentials(trigger: TriggerSpec): string;
  concurrency?: number;
  /**
   * Deliveries in flight to one subscriber at most (default 16). On a cluster every Trigger
   * dispatches on its own; here one slow or failing subscriber must not take every slot and stall
   * the others behind it.
   */
  perSubscriber?: number;
  pollMs?: number;
}

/** The outcome of one HTTP attempt. */
export type AttemptResult =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; retryable: boolean };

const log = createLogger('dispatcher');
const RETRYABLE_4XX = new Set([404, 408, 409, 429]);

/** Classifies a subscriber's answer the way Knative's Kafka broker does. */
export function classify(status: number, body: string): AttemptResult {
  if (status >= 200 && status < 300) {
    if (body.trim() === '') return { ok: true, status };
    return {
      ok: false,
      status,
      error: '2xx with a non-empty body that is not a CloudEvent reply',
      retryable: true,
    };
  }
  const retryable = status >= 500 || RETRYABLE_4XX.has(status);
  return { ok: false, status, error: `HTTP ${status}: ${body.slice(0, 500)}`, retryable };
}

/** The wait before the next attempt, or undefined when the retry budget is spent. */
export function nextDelayMs(delivery: Delivery, failedAttempts: number): number | undefined {
  if (failedAttempts > delivery.retry) return undefined;
  const n = failedAttempts - 1;
  return delivery.backoffPolicy === 'exponential'
    ? delivery.backoffDelayMs * 2 ** n
    : delivery.backoffDelayMs * (n + 1);
}

/**
 * Percent-encodes an attribute value for a `ce-*` header as the HTTP binding requires (3.1.3.2):
 * space, double quote, percent and everything outside printable ASCII (U+0021-U+007E), as UTF-8.
 */
export function encodeHeaderValue(value: string): string {
  return value.replace(/[^\x21\x23\x24\x26-\x7e]+/gu, (run) =>
    [...Buffer.from(run, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** HTTP headers and body of an event in binary content mode. */
export function toBinaryHttp(event: TuoiCloudEvent): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': event.datacontenttype ?? 'application/json' };
  for (const [name, value] of Object.entries(event))
    if (name !== 'data' && name !== 'datacontenttype' && value !== undefined)
      headers[`ce-${name}`] = encodeHeaderValue(String(value));
  return { headers, body: JSON.stringify(event.data ?? null) };
}

/** Keep-alive connections to subscribers (node:http costs far less per request than fetch). */
const agent = new Agent({ keepAlive: true, maxSockets: 128 });

/**
 * Sends one event to a subscriber's CloudEvents endpoint, with `token` as its bearer credential
 * (the delivering Trigger's OIDC token, as Knative's dispatcher sends it).
 */
export function attempt(
  baseUrl: string,
  event: TuoiCloudEvent,
  timeoutMs: number,
  token?: string,
): Promise<AttemptResult> {
  const { headers, body } = toBinaryHttp(event);
  if (token) headers.authorization = `Bearer ${token}`;
  const payload = Buffer.from(body);
  return new Promise((resolve) => {
    const fail = (err: Error) =>
      resolve({ ok: false, status: null, error: `network: ${err.message}`, retryable: true });
    const req = request(
      new URL(CLOUDEVENTS_PATH, baseUrl),
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(payload.length) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(classify(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', fail);
    req.end(payload);
  });
}

/** Pulls due deliveries and runs them, `concurrency` at a time, until stopped. */
export class Dispatcher {
  private running = false;
  private inflight = 0;
  private readonly bySubscriber = new Map<string, number>();
  private readonly perSubscriber: number;
  private readonly pause = new Pause();
  private loop: Promise<void> | undefined;
  private readonly triggers: Map<string, TriggerSpec>;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private delivered: { id: string; status: number }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: DispatcherOptions) {
    this.triggers = new Map(opts.triggers.map((t) => [t.name, t]));
    this.concurrency = opts.concurrency ?? 64;
    this.pollMs = opts.pollMs ?? 100;
    this.perSubscriber = opts.perSubscriber ?? 16;
    this.leaseMs = Math.max(...opts.triggers.map((t) => t.delivery.timeoutMs), 1000) + 5000;
  }

  /** Starts the loop. */
  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Tells the loop new work may be due. */
  nudge(): void {
    this.pause.interrupt();
  }

  private async run(): Promise<void> {
    const running = new Set<Promise<void>>();
    while (this.running) {
      // Claimed in chunks no larger than one subscriber's share, never for a subscriber at its
      // share, so one subscriber overshoots its share by less than a chunk.
      const room = Math.min(this.concurrency - this.inflight, this.perSubscriber);
      const full = [...this.bySubscriber].filter(([, n]) => n >= this.perSubscriber).map(([name]) => name);
      let claimed: DeliveryRow[] = [];
      if (room > 0) {
        try {
          claimed = await claimDue(this.opts.pool, this.opts.schema, room, this.leaseMs, full);
        } catch (err) {
          log.error('claiming deliveries failed', { err });
        }
      }
      for (const row of claimed) {
        this.inflight++;
        this.bySubscriber.set(row.subscriber, (this.bySubscriber.get(row.subscriber) ?? 0) + 1);
        const p = this.deliver(row).finally(() => {
          this.inflight--;
          this.bySubscriber.set(row.subscriber, this.bySubscriber.get(row.subscriber)! - 1);
          running.delete(p);
          this.nudge();
        });
        running.add(p);
      }
      if (claimed.length > 0 && claimed.length === room) continue;
      await this.pause.for(this.pollMs);
    }
    await Promise.all(running);
  }

  private async deliver(row: DeliveryRow): Promise<void> {
    const { pool, schema } = this.opts;
    const trigger = this.triggers.get(row.trigger);
    const base = trigger && this.opts.resolve(trigger.subscriber);
    try {
      if (!trigger || !base) {
        await markFailed(pool, schema, row.id, {
          status: null,
          error: `no subscriber for trigger ${row.trigger}`,
        });
        observeDelivery(row.event.type, row.trigger, 'dead_letter');
        return;
      }
      const result = await attempt(
        base,
        row.event,
        trigger.delivery.timeoutMs,
        this.opts.credentials(trigger),
      );
      if (result.ok) {
        this.recordDelivered(row.id, result.status);
        observeDelivery(row.event.type, row.trigger, 'delivered');
        return;
      }
      const retryInMs = result.retryable ? nextDelayMs(trigger.delivery, row.attempts + 1) : undefined;
      await markFailed(pool, schema, row.id, { status: result.status, error: result.error, retryInMs });
      observeDelivery(row.event.type, row.trigger, retryInMs === undefined ? 'dead_letter' : 'retry');
      const fields = {
        trigger: row.trigger,
        ceId: row.event.id,
        status: result.status,
        attempts: row.attempts + 1,
      };
      if (retryInMs === undefined) log.warn('dead-lettered', { ...fields, error: result.error });
      else log.info('delivery failed; will retry', { ...fields, retryInMs });
    } catch (err) {
      // The row stays leased and becomes due again when the lease runs out.
      log.error('recording a delivery failed', { err, id: row.id });
    }
  }

  /**
   * Successes are written in batches, every few milliseconds: a crash before the write leaves the
   * row leased, so it is delivered again after the lease (at-least-once; consumers deduplicate).
   */
  private recordDelivered(id: string, status: number): void {
    this.delivered.push({ id, status });
    if (this.delivered.length >= 200) void this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), 5);
  }

  private async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.delivered;
    this.delivered = [];
    try {
      await markDelivered(this.opts.pool, this.opts.schema, batch);
    } catch (err) {
      log.error('recording deliveries failed; they will be redelivered after their lease', {
        err,
        count: batch.length,
      });
    }
  }

  /** Stops claiming, waits for deliveries in flight and records them. */
  async stop(): Promise<void> {
    this.running = false;
    this.pause.interrupt();
    await this.loop;
    await this.flush();
  }
}

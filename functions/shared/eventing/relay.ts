/**
 * The outbox relay: moves events from every function's outbox to a sink (Kafka in production,
 * the local router's queue in embedded mode). Rows are spread over shards by partition key; each
 * shard is drained by one replica at a time under a transaction-scoped advisory lock, rows in id
 * order, and marked published in the same transaction that claimed them: replicas never double-publish in steady state, and a crash
 * after publishing but before commit leaves the rows pending, so they are published again
 * (at-least-once; consumers deduplicate).
 */
import { finish, SpanKind, startSpan, traceOf } from '../tracing';
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import { ident, onCommit, withTransaction, type Tx } from '../db';
import { createLogger } from '../log';
import { addBacklogSource, observePublished, observeRelayFailure } from '../metrics';
import { Pause } from './pause';

/** Where the relay publishes. `tx` is the claiming transaction: a sink in the same database may write with it. */
export interface EventSink {
  publish(events: TuoiCloudEvent[], tx: Tx): Promise<void>;
}

/** Relay settings. */
export interface RelayOptions {
  pool: Pool;
  schemas: string[];
  sink: EventSink;
  batchSize?: number;
  /** Idle poll interval; a pass that published something is followed at once by the next. */
  pollMs?: number;
  /** Published rows older than this are deleted. */
  retentionMs?: number;
  /** Called after a pass that published events (their transaction has committed). */
  onPublished?: (count: number) => void;
}

const log = createLogger('relay');

/** One outbox's backlog. */
interface Backlog {
  schema: string;
  pending: number;
  oldestSeconds: number;
}

/**
 * One relay pass over `schema`: in one transaction, lock every shard with pending rows that no
 * other replica holds, publish their oldest rows (up to `batchSize`, in id order) and mark them.
 * Returns how many were published.
 */
export async function drainOnce(
  pool: Pool,
  schema: string,
  sink: EventSink,
  batchSize: number,
): Promise<number> {
  const table = `${ident(schema)}.outbox`;
  return withTransaction(pool, async (tx) => {
    const { rows: shards } = await tx.query<{ shard: number }>(
      `SELECT shard FROM (SELECT DISTINCT shard FROM ${table} WHERE published_at IS NULL) pending
       WHERE pg_try_advisory_xact_lock(hashtext($1), shard)`,
      [`${schema}.outbox`],
    );
    if (shards.length === 0) return 0;
    const { rows } = await tx.query<{ id: string; event: TuoiCloudEvent }>(
      `SELECT id, event FROM ${table} WHERE shard = ANY($1::smallint[]) AND published_at IS NULL ORDER BY id LIMIT $2`,
      [shards.map((s) => s.shard), batchSize],
    );
    if (rows.length === 0) return 0;
    // A producer span per event, in the trace the event carries; the event itself keeps that
    // trace context unchanged (CloudEvents distributed tracing: the starting trace, every hop).
    const spans = rows.map((r) =>
      startSpan(`publish ${r.event.type}`, SpanKind.PRODUCER, traceOf(r.event), {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.message.id': r.event.id,
        'cloudevents.event_type': r.event.type,
      }),
    );
    try {
      await sink.publish(
        rows.map((r) => r.event),
        tx,
      );
    } catch (err) {
      for (const s of spans) finish(s.span, err);
      throw err;
    }
    for (const s of spans) finish(s.span);
    await tx.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
      rows.map((r) => r.id),
    ]);
    onCommit(tx, () =>
      observePublished(
        schema,
        rows.map((r) => r.event),
      ),
    );
    return rows.length;
  });
}

/** Runs the relay loop until `stop()`; `drainAll()` is also usable on its own (tests, one-shot). */
export class OutboxRelay {
  private running = false;
  private readonly pause = new Pause();
  private loop: Promise<void> | undefined;
  private lastCleanup = 0;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly retentionMs: number;
  /** When the last pass over every outbox succeeded (epoch ms; 0 before the first). */
  lastSuccessAt = 0;

  constructor(private readonly opts: RelayOptions) {
    this.batchSize = opts.batchSize ?? 500;
    this.pollMs = opts.pollMs ?? 10;
    this.retentionMs = opts.retentionMs ?? 3_600_000;
  }

  /** Publishes everything pending now; returns the number of events published. */
  async drainAll(): Promise<number> {
    let total = 0;
    for (const schema of this.opts.schemas) {
      // One cheap statement while idle, instead of a whole claiming transaction.
      const { rowCount } = await this.opts.pool.query(
        `SELECT 1 FROM ${ident(schema)}.outbox WHERE published_at IS NULL LIMIT 1`,
      );
      if (rowCount === 0) continue;
      for (;;) {
        const n = await drainOnce(this.opts.pool, schema, this.opts.sink, this.batchSize);
        total += n;
        if (n < this.batchSize) break;
      }
    }
    return total;
  }

  /** Starts draining in the background; its backlog is reported to the metrics while it runs. */
  async start(): Promise<void> {
    this.running = true;
    this.unobserve = addBacklogSource({
      backlog: () => this.backlog(),
      lastSuccessAt: () => this.lastSuccessAt,
    });
    this.loop = this.run();
  }

  private unobserve: (() => void) | undefined;
  private backlogCache: { at: number; value: Promise<Backlog[]> } | undefined;

  /** Pending rows and the oldest one's age per outbox, read at most every 10 s (scrapes only). */
  backlog(): Promise<Backlog[]> {
    if (this.backlogCache && Date.now() - this.backlogCache.at < 10_000) return this.backlogCache.value;
    const value = (async () => {
      const out: Backlog[] = [];
      for (const schema of this.opts.schemas) {
        const { rows } = await this.opts.pool.query<{ pending: number; oldest: number }>(
          `SELECT count(*)::int AS pending,
                  coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest
             FROM ${ident(schema)}.outbox WHERE published_at IS NULL`,
        );
        out.push({ schema, pending: rows[0]?.pending ?? 0, oldestSeconds: rows[0]?.oldest ?? 0 });
      }
      return out;
    })();
    this.backlogCache = { at: Date.now(), value };
    value.catch(() => (this.backlogCache = undefined));
    return value;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.drainAll();
        if (published > 0) this.opts.onPublished?.(published);
        await this.cleanup();
        this.lastSuccessAt = Date.now();
      } catch (err) {
        observeRelayFailure();
        log.error('relay pass failed; retrying', { err });
      }
      // Right away while there is a backlog; otherwise let a few milliseconds of events gather.
      if (published >= this.batchSize || !this.running) continue;
      await this.pause.for(this.pollMs);
    }
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    for (const schema of this.opts.schemas)
      await this.opts.pool.query(
        `DELETE FROM ${ident(schema)}.outbox WHERE published_at < now() - make_interval(secs => $1)`,
        [this.retentionMs / 1000],
      );
  }

  /** Stops after the current pass. */
  async stop(): Promise<void> {
    this.running = false;
    this.unobserve?.();
    this.pause.interrupt();
    await this.loop;
  }
}

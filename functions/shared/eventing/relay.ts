/**
 * The outbox relay: moves events from every function's outbox to a sink (Kafka in production,
 * the local router's queue in embedded mode). Each (schema, shard) is drained by one replica at a
 * time under a transaction-scoped advisory lock, rows in id order, and marked published in the
 * same transaction that claimed them: replicas never double-publish in steady state, and a crash
 * after publishing but before commit leaves the rows pending, so they are published again
 * (at-least-once; consumers deduplicate).
 */
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import { ident, withTransaction, type Tx } from '../db';
import { createLogger } from '../log';
import { OUTBOX_CHANNEL } from './outbox';

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
  /** Fallback poll when no NOTIFY arrives. */
  pollMs?: number;
  /** Shards drained at once. */
  parallelism?: number;
  /** Published rows older than this are deleted. */
  retentionMs?: number;
  /** Called after a pass that published events (their transaction has committed). */
  onPublished?: (count: number) => void;
}

const log = createLogger('relay');

/** Drains one shard's oldest pending rows; returns how many were published (0 if another replica holds it). */
export async function drainShard(
  pool: Pool,
  schema: string,
  shard: number,
  sink: EventSink,
  batchSize: number,
): Promise<number> {
  const table = `${ident(schema)}.outbox`;
  return withTransaction(pool, async (tx) => {
    const { rows: lock } = await tx.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_xact_lock(hashtext($1), $2) AS locked`,
      [`${schema}.outbox`, shard],
    );
    if (!lock[0]?.locked) return 0;
    const { rows } = await tx.query<{ id: string; event: TuoiCloudEvent }>(
      `SELECT id, event FROM ${table} WHERE shard = $1 AND published_at IS NULL ORDER BY id LIMIT $2`,
      [shard, batchSize],
    );
    if (rows.length === 0) return 0;
    await sink.publish(
      rows.map((r) => r.event),
      tx,
    );
    await tx.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
      rows.map((r) => r.id),
    ]);
    return rows.length;
  });
}

/** Runs the relay loop until `stop()`; `drainAll()` is also usable on its own (tests, one-shot). */
export class OutboxRelay {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private listener: import('pg').PoolClient | undefined;
  private lastCleanup = 0;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly parallelism: number;
  private readonly retentionMs: number;

  constructor(private readonly opts: RelayOptions) {
    this.batchSize = opts.batchSize ?? 500;
    this.pollMs = opts.pollMs ?? 500;
    this.parallelism = opts.parallelism ?? 4;
    this.retentionMs = opts.retentionMs ?? 3_600_000;
  }

  /** Publishes everything pending now; returns the number of events published. */
  async drainAll(): Promise<number> {
    let total = 0;
    for (const schema of this.opts.schemas) {
      const { rows } = await this.opts.pool.query<{ shard: number }>(
        `SELECT DISTINCT shard FROM ${ident(schema)}.outbox WHERE published_at IS NULL`,
      );
      const queue = rows.map((r) => r.shard);
      const worker = async () => {
        for (let shard = queue.shift(); shard !== undefined; shard = queue.shift()) {
          for (;;) {
            const n = await drainShard(this.opts.pool, schema, shard, this.opts.sink, this.batchSize);
            total += n;
            if (n < this.batchSize) break;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.parallelism, queue.length) }, worker));
    }
    return total;
  }

  /** Starts listening for NOTIFY and draining; resolves once listening. */
  async start(): Promise<void> {
    this.running = true;
    this.listener = await this.opts.pool.connect();
    this.listener.on('notification', () => this.wake?.());
    // A dropped LISTEN connection only costs latency: the poll still runs.
    this.listener.on('error', (err) => log.warn('outbox listener lost', { err }));
    await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.drainAll();
        if (published > 0) this.opts.onPublished?.(published);
        await this.cleanup();
      } catch (err) {
        log.error('relay pass failed; retrying', { err });
      }
      if (published > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
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

  /** Stops after the current pass; releases the LISTEN connection. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
      this.listener.release();
      this.listener = undefined;
    }
  }
}

/**
 * The local router's durable delivery queue (table `router.deliveries`): one row per (trigger,
 * event), the dead letters among them. Events enter by `enqueue` (from the relay in embedded mode
 * or from Kafka), leave by the dispatcher. Duplicate arrivals of the same event for the same
 * trigger are absorbed by the unique key.
 */
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import type { TriggerSpec } from '../../registry';
import { ident, type Queryable } from '../db';

/** A delivery as stored. */
export interface DeliveryRow {
  id: string;
  trigger: string;
  subscriber: string;
  event_type: string;
  event: TuoiCloudEvent;
  attempts: number;
  status: 'pending' | 'inflight' | 'delivered' | 'dead';
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Fans events out to the triggers subscribed to their type; returns the rows created. */
export async function enqueue(
  db: Queryable,
  schema: string,
  triggers: TriggerSpec[],
  events: TuoiCloudEvent[],
): Promise<number> {
  const rows: [string, string, string, string, string, string, boolean, string][] = [];
  for (const event of events)
    for (const t of triggers)
      if (t.type === event.type)
        rows.push([
          t.name,
          t.subscriber,
          event.source,
          event.id,
          event.type,
          event.partitionkey ?? event.subject ?? event.id,
          t.ordered,
          JSON.stringify(event),
        ]);
  if (rows.length === 0) return 0;
  const col = (i: number) => rows.map((r) => r[i]);
  const result = await db.query(
    `INSERT INTO ${ident(schema)}.deliveries
       (trigger, subscriber, event_source, event_id, event_type, partition_key, ordered, event)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::jsonb[])
     ON CONFLICT (trigger, event_source, event_id) DO NOTHING`,
    [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7)],
  );
  return result.rowCount ?? 0;
}

/**
 * Claims due deliveries for this dispatcher, leasing them for `leaseMs` (a crashed dispatcher's
 * lease runs out and the row is due again). For ordered triggers only the oldest unfinished row
 * of each partition key is eligible, so one entity's events reach the subscriber in order.
 */
export async function claimDue(
  pool: Pool,
  schema: string,
  limit: number,
  leaseMs: number,
  /** Subscribers not to claim for now (at their share of the deliveries in flight). */
  skip: string[] = [],
): Promise<DeliveryRow[]> {
  const t = `${ident(schema)}.deliveries`;
  const { rows } = await pool.query<DeliveryRow>(
    `UPDATE ${t} d SET status = 'inflight', next_attempt_at = now() + make_interval(secs => $2), updated_at = now()
     WHERE d.id IN (
       SELECT c.id FROM ${t} c
       WHERE c.status IN ('pending', 'inflight') AND c.next_attempt_at <= now() AND c.subscriber <> ALL($3::text[])
         AND (NOT c.ordered OR NOT EXISTS (
           SELECT 1 FROM ${t} o WHERE o.trigger = c.trigger AND o.partition_key = c.partition_key
             AND o.id < c.id AND o.status IN ('pending', 'inflight')))
       ORDER BY c.next_attempt_at, c.id
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     RETURNING d.id, d.trigger, d.subscriber, d.event_type, d.event, d.attempts, d.status, d.last_status, d.last_error,
               d.created_at, d.updated_at`,
    [limit, leaseMs / 1000, skip],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Records successful deliveries (batched: one statement for many). */
export async function markDelivered(
  db: Queryable,
  schema: string,
  done: { id: string; status: number }[],
): Promise<void> {
  if (done.length === 0) return;
  await db.query(
    `UPDATE ${ident(schema)}.deliveries d SET status = 'delivered', attempts = d.attempts + 1, last_status = x.status,
       last_error = NULL, updated_at = now()
     FROM unnest($1::bigint[], $2::int[]) AS x(id, status) WHERE d.id = x.id`,
    [done.map((d) => d.id), done.map((d) => d.status)],
  );
}

/** Records a failed attempt: due again after `retryInMs`, or dead when `retryInMs` is undefined. */
export async function markFailed(
  db: Queryable,
  schema: string,
  id: string,
  outcome: { status: number | null; error: string; retryInMs?: number },
): Promise<void> {
  await db.query(
    `UPDATE ${ident(schema)}.deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, updated_at = now(),
       status = CASE WHEN $4::float8 IS NULL THEN 'dead' ELSE 'pending' END,
       next_attempt_at = CASE WHEN $4::float8 IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $4::float8 / 1000) END
     WHERE id = $1`,
    [id, outcome.status, outcome.error.slice(0, 2000), outcome.retryInMs ?? null],
  );
}

/** Records an event that exhausted its delivery on the Kafka path as a dead letter. */
export async function recordDeadLetter(
  db: Queryable,
  schema: string,
  trigger: TriggerSpec,
  event: TuoiCloudEvent,
  outcome: { attempts: number; status: number | null; error: string },
): Promise<void> {
  await db.query(
    `INSERT INTO ${ident(schema)}.deliveries
       (trigger, subscriber, event_source, event_id, event_type, partition_key, ordered, event, status, attempts, last_status, last_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'dead', $9, $10, $11)
     ON CONFLICT (trigger, event_source, event_id) DO UPDATE SET status = 'dead', attempts = EXCLUDED.attempts,
       last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error, updated_at = now()`,
    [
      trigger.name,
      trigger.subscriber,
      event.source,
      event.id,
      event.type,
      event.partitionkey ?? event.subject ?? event.id,
      trigger.ordered,
      JSON.stringify(event),
      outcome.attempts,
      outcome.status,
      outcome.error.slice(0, 2000),
    ],
  );
}

/** Dead letters, oldest first. */
export async function listDeadLetters(db: Queryable, schema: string, limit = 100): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT id, trigger, subscriber, event_type, event, attempts, status, last_status, last_error, created_at, updated_at
     FROM ${ident(schema)}.deliveries WHERE status = 'dead' ORDER BY id LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Puts dead letters back in the queue with a fresh retry budget; all of them when `ids` is empty. */
export async function replayDeadLetters(db: Queryable, schema: string, ids: string[] = []): Promise<number> {
  const result = await db.query(
    `UPDATE ${ident(schema)}.deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
     WHERE status = 'dead' AND (cardinality($1::bigint[]) = 0 OR id = ANY($1::bigint[]))`,
    [ids],
  );
  return result.rowCount ?? 0;
}

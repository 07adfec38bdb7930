/**
 * The transactional outbox: `emit` writes a CloudEvent into the function's own `outbox` table
 * with the same transaction client as the state change, so the event exists iff the change commits.
 * The relay publishes it afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import { sourceOf, type EventContract, type TuoiCloudEvent } from '../../../events';
import { schemaIssues } from '../../../events/check';
import { ident, onCommit, type Tx } from '../db';
import { currentLogContext } from '../log';
import { countCommitted } from '../metrics';

/** Shards of an outbox: each is published by one relay replica at a time, in id order. */
export const OUTBOX_SHARDS = 16;

/** FNV-1a of the partition key, so one entity's events share a shard and stay in order. */
export function shardOf(partitionKey: string, shards = OUTBOX_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i++) {
    hash ^= partitionKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** Options for building an event; defaults: random id, now, the current trace. */
export interface EventOptions {
  id?: string;
  time?: Date;
  traceparent?: string;
  tracestate?: string;
}

/** Builds a contract-valid CloudEvent; invalid data is a programming error and throws. */
export function buildEvent<S extends TSchema>(
  contract: EventContract<S>,
  data: Static<S>,
  opts: EventOptions = {},
): TuoiCloudEvent<Static<S>> {
  const issues = schemaIssues(contract.data, data, '/data');
  if (issues.length > 0)
    throw new Error(`${contract.type} data breaks its contract: ${JSON.stringify(issues)}`);
  const key = contract.key(data);
  // The CloudEvents distributed-tracing extension: the trace of the request or event that caused it.
  const current = currentLogContext();
  const traceparent = opts.traceparent ?? current.traceparent;
  const tracestate =
    opts.tracestate ?? (traceparent === current.traceparent ? current.tracestate : undefined);
  return {
    specversion: '1.0',
    id: opts.id ?? randomUUID(),
    source: sourceOf(contract.producer),
    type: contract.type,
    subject: key,
    time: (opts.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    partitionkey: key,
    ...(traceparent ? { traceparent } : {}),
    ...(traceparent && tracestate ? { tracestate } : {}),
    data,
  };
}

/**
 * Writes events to `schema`.outbox inside the caller's transaction. No NOTIFY: PostgreSQL
 * serialises the commits of notifying transactions (it halved producer throughput here), so
 * the relay polls instead, every few milliseconds while idle.
 */
export async function emit(tx: Tx, schema: string, events: TuoiCloudEvent[]): Promise<void> {
  if (events.length === 0) return;
  const shards = events.map((e) => shardOf(e.partitionkey ?? e.id));
  await tx.query({
    name: `tuoi-outbox-${schema}`, // prepared once per connection: every producer transaction runs it
    text: `INSERT INTO ${ident(schema)}.outbox (shard, partition_key, event)
     SELECT * FROM unnest($1::smallint[], $2::text[], $3::jsonb[])`,
    values: [shards, events.map((e) => e.partitionkey ?? e.id), events.map((e) => JSON.stringify(e))],
  });
  // Business figures count what committed (a rolled-back or retried transaction counts nothing).
  onCommit(tx, () => countCommitted(events));
}

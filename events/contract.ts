/**
 * The event contract: every CloudEvent type Tươi emits has one `EventContract` here, imported by
 * its producer and its consumers alike. `events/` imports nothing from `functions/`.
 */
import type { Static, TSchema } from '@sinclair/typebox';

/** The largest value of a PostgreSQL `integer` column: counts and versions carried by events fit in one. */
export const INT4_MAX = 2_147_483_647;

/** Reverse-DNS, versioned CloudEvent type, e.g. `io.tuoi.order.placed.v1`. */
export const EVENT_TYPE = /^io\.tuoi\.[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[1-9][0-9]*$/;

/** One CloudEvent type: its name, payload schema, producer and how to key it. */
export interface EventContract<S extends TSchema = TSchema> {
  type: string;
  /** The function that emits it; becomes the CloudEvent `source` (`/functions/<producer>`). */
  producer: string;
  description: string;
  data: S;
  /** The entity id: CloudEvent `subject` and `partitionkey` (keeps one entity's events in order). */
  key(data: Static<S>): string;
}

/** Declares a contract, checking the type name at definition time. */
export function defineEvent<S extends TSchema>(contract: EventContract<S>): EventContract<S> {
  if (!EVENT_TYPE.test(contract.type))
    throw new Error(`Event type ${contract.type} is not reverse-DNS and versioned`);
  return contract;
}

/** The payload type of a contract. */
export type DataOf<C> = C extends EventContract<infer S> ? Static<S> : never;

/** The CloudEvent `source` of events emitted by a function. */
export function sourceOf(producer: string): string {
  return `/functions/${producer}`;
}

/** A CloudEvent (1.0) as Tươi writes and reads it: JSON data, our extensions. */
export interface TuoiCloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  partitionkey?: string;
  traceparent?: string;
  data: T;
  [extension: string]: unknown;
}

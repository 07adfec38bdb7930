/**
 * The consumer side of every CloudEvent function: parses binary or structured HTTP CloudEvents
 * (as Knative's Kafka broker delivers them), checks them against the contract, and runs the
 * handler with the dedup record in the same transaction. Answers 204 when done (also for a
 * duplicate), 400 for a poison event (no retry; dead-lettered), 5xx for a transient failure (retry).
 */
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import { checkEvent } from '../../../events/check';
import { ident, withTransaction, type Tx } from '../db';
import {
  AppError,
  MalformedRequestError,
  UnsupportedMediaTypeError,
  ValidationError,
  isTransient,
  toProblem,
} from '../errors';
import type { HttpResponse, IncomingHttp } from '../http';
import { createLogger, withLogContext } from '../log';

/** Applies one event's effect using `tx`; throw an AppError 4xx for a poison event. */
export type EventHandler = (event: TuoiCloudEvent, tx: Tx) => Promise<void>;

/** What a consumer needs: its pool, the schema holding its inbox, and a handler per subscribed type. */
export interface ConsumerOptions {
  pool: Pool;
  schema: string;
  handlers: Record<string, EventHandler>;
  /** Called after a fresh (not duplicate) event's transaction committed, e.g. to drop local caches. */
  afterCommit?: (event: TuoiCloudEvent) => void;
}

const log = createLogger('consumer');
const STRUCTURED = /^application\/cloudevents\+json\s*(;|$)/i;
const BATCH = /^application\/cloudevents-batch\+json/i;

function header(headers: IncomingHttp['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new MalformedRequestError(`The ${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads an HTTP CloudEvent in binary or structured mode into a structured object (unchecked). */
export function readHttpCloudEvent(incoming: IncomingHttp): Record<string, unknown> {
  const contentType = header(incoming.headers, 'content-type');
  if (contentType && BATCH.test(contentType))
    throw new UnsupportedMediaTypeError('Batched CloudEvents are not accepted');
  if (contentType && STRUCTURED.test(contentType)) {
    const event = parseJson(incoming.body, 'structured CloudEvent');
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      throw new MalformedRequestError('A structured CloudEvent must be a JSON object');
    return event as Record<string, unknown>;
  }
  if (header(incoming.headers, 'ce-specversion') === undefined)
    throw new MalformedRequestError(
      'Not a CloudEvent: no ce-specversion header and not application/cloudevents+json',
    );
  const event: Record<string, unknown> = {};
  for (const name of Object.keys(incoming.headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('ce-')) event[lower.slice(3)] = header(incoming.headers, name);
  }
  if (contentType) event.datacontenttype = contentType;
  if (incoming.body.length > 0) {
    if (contentType && !/json/i.test(contentType))
      throw new UnsupportedMediaTypeError(`CloudEvent data must be JSON, not ${contentType}`);
    event.data = parseJson(incoming.body, 'CloudEvent data');
  }
  return event;
}

/** Builds the `POST /cloudevents` endpoint of a function. */
export function createEventConsumer(opts: ConsumerOptions) {
  const inbox = `${ident(opts.schema)}.inbox`;
  return async (incoming: IncomingHttp): Promise<HttpResponse> => {
    let event: TuoiCloudEvent | undefined;
    try {
      const raw = readHttpCloudEvent(incoming);
      const verdict = checkEvent(raw);
      if (!verdict.ok) {
        const what = {
          envelope: 'CloudEvent attributes',
          'unknown-type': 'CloudEvent type',
          data: 'CloudEvent data',
        }[verdict.reason];
        throw new ValidationError(`The ${what} are not valid`, verdict.issues);
      }
      event = verdict.event;
      const handler = opts.handlers[event.type];
      if (!handler)
        throw new ValidationError(`This function does not consume ${event.type}`, [
          { field: '/type', code: 'enum', message: `Not subscribed to ${event.type}` },
        ]);
      const ev = event;
      return await withLogContext({ ceId: ev.id, ceType: ev.type, traceparent: ev.traceparent }, async () => {
        const fresh = await withTransaction(opts.pool, async (tx) => {
          const { rowCount } = await tx.query({
            name: `tuoi-inbox-${opts.schema}`, // prepared once per connection: this runs for every event
            text: `INSERT INTO ${inbox} (source, id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            values: [ev.source, ev.id, ev.type],
          });
          if (rowCount === 0) return false;
          await handler(ev, tx);
          return true;
        });
        if (fresh) opts.afterCommit?.(ev);
        else log.info('duplicate event ignored', { source: ev.source });
        return { status: 204, headers: { 'x-tuoi-delivery': fresh ? 'processed' : 'duplicate' } };
      });
    } catch (err) {
      const fields = { ceId: event?.id, ceType: event?.type, err };
      if (err instanceof AppError && err.status < 500) log.warn('poison event rejected', fields);
      else
        log.error(isTransient(err) ? 'transient failure; will be retried' : 'event handler failed', fields);
      const problem = toProblem(err, 'en', '/cloudevents');
      return {
        status: problem.status,
        headers: { 'content-type': 'application/problem+json' },
        body: problem,
      };
    }
  };
}

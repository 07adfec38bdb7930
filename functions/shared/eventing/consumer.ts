/**
 * The consumer side of every CloudEvent function: authenticates the sender (the delivery's OIDC
 * token, see sender-auth.ts), parses binary or structured HTTP CloudEvents (as Knative's Kafka
 * broker delivers them, per the CloudEvents 1.0 HTTP binding), checks them against the contract,
 * and runs the handler with the dedup record in the same transaction. Answers 204 when done (also
 * for a duplicate), 401/403 for a sender that may not deliver, 400 for a poison event (no retry;
 * dead-lettered), 5xx for a transient failure (retry). Nothing is read or written before the
 * sender is known.
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
import { cleanJson, jsonDepthExceeds, MAX_JSON_DEPTH } from '../input';
import { createLogger, withLogContext } from '../log';
import { observeConsumed } from '../metrics';
import { finish, SpanKind, startSpan, traceOf } from '../tracing';
import type { SenderCheck } from './sender-auth';

/** Applies one event's effect using `tx`; throw an AppError 4xx for a poison event. */
export type EventHandler = (event: TuoiCloudEvent, tx: Tx) => Promise<void>;

/** What a consumer needs: its pool, the schema holding its inbox, and a handler per subscribed type. */
export interface ConsumerOptions {
  pool: Pool;
  schema: string;
  /** Who may deliver: checked before anything else (senderCheckFromConfig). */
  senders: SenderCheck;
  handlers: Record<string, EventHandler>;
  /** Called after a fresh (not duplicate) event's transaction committed, e.g. to drop local caches. */
  afterCommit?: (event: TuoiCloudEvent) => void;
  /**
   * Events handled at once; the rest wait their turn in memory. Default: half the pool, so a
   * handler that opens a unit of work of its own besides the consumer's transaction (a batcher,
   * a provider call recorded first) always finds a connection, and HTTP keeps the other half.
   */
  concurrency?: number;
}

/** A counting semaphore: `run` waits while `max` are running. */
function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    while (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const log = createLogger('consumer');
const STRUCTURED = /^application\/cloudevents\+json\s*(;|$)/i;
const BATCH = /^application\/cloudevents-batch\+json/i;

function header(headers: IncomingHttp['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function parseJson(body: Buffer | string, what: string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (jsonDepthExceeds(text))
    throw new MalformedRequestError(`The ${what} is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MalformedRequestError(`The ${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Undoes RFC 7230 double-quoting (older senders quote values), backslash escapes included. */
function unquote(value: string): string {
  const v = value.trim();
  if (v.length < 2 || !v.startsWith('"') || !v.endsWith('"')) return v;
  return v.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * The attribute value of a `ce-*` header: unquoted, then one round of percent-decoding (UTF-8), as
 * the HTTP binding requires (3.1.3.2); a malformed escape or invalid UTF-8 is a 400.
 */
export function decodeHeaderValue(name: string, value: string): string {
  try {
    return decodeURIComponent(unquote(value));
  } catch {
    throw new MalformedRequestError(`Header ${name} has a malformed percent-encoding`, {
      errors: [{ field: `/${name.slice(3)}`, code: 'format', message: 'malformed percent-encoding' }],
    });
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const JSON_MEDIA = /^application\/([\w.-]+\+)?json\s*(;|$)|^text\/json\s*(;|$)/i;

/** A structured event's attributes with `null` dropped (JSON format: null means unset) and `data_base64` decoded. */
function fromStructured(event: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) if (value !== null || name === 'data') out[name] = value;
  if (!('data_base64' in out)) return out;
  const encoded = out.data_base64;
  delete out.data_base64;
  if ('data' in out) throw new MalformedRequestError('A CloudEvent has either data or data_base64, not both');
  if (typeof encoded !== 'string' || !BASE64.test(encoded))
    throw new MalformedRequestError('data_base64 is not Base64 (RFC 4648)');
  const type = typeof out.datacontenttype === 'string' ? out.datacontenttype : 'application/json';
  if (!JSON_MEDIA.test(type))
    throw new UnsupportedMediaTypeError(`CloudEvent data must be JSON, not ${type}`);
  if (encoded !== '') out.data = parseJson(Buffer.from(encoded, 'base64'), 'CloudEvent data_base64');
  return out;
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
    return fromStructured(event as Record<string, unknown>);
  }
  if (header(incoming.headers, 'ce-specversion') === undefined)
    throw new MalformedRequestError(
      'Not a CloudEvent: no ce-specversion header and not application/cloudevents+json',
    );
  const event: Record<string, unknown> = {};
  for (const name of Object.keys(incoming.headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('ce-'))
      event[lower.slice(3)] = decodeHeaderValue(lower, header(incoming.headers, name) ?? '');
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
  const poolSize = (opts.pool as unknown as { options?: { max?: number } }).options?.max ?? 10;
  const limit = limiter(opts.concurrency ?? Math.max(1, Math.floor(poolSize / 2)));
  return async (incoming: IncomingHttp): Promise<HttpResponse> => {
    let event: TuoiCloudEvent | undefined;
    const startedNs = process.hrtime.bigint();
    // Only a type that passed the contract check labels metrics (never a sender's arbitrary string).
    let type = 'unknown';
    try {
      await opts.senders(incoming);
      const raw = readHttpCloudEvent(incoming);
      // The data gets the same hygiene as an HTTP body: no NUL, unpaired surrogate, prototype key
      // or unsafe number reaches a handler (a 500 would be retried as transient), and text is NFC.
      if (raw.data !== undefined) {
        const { value, issues } = cleanJson(raw.data, '/data');
        if (issues.length) throw new ValidationError('The CloudEvent data are not valid', issues);
        raw.data = value;
      }
      const verdict = checkEvent(raw);
      if (!verdict.ok) {
        // Data that break their schema: the type itself is one of the contract's.
        if (verdict.reason === 'data' && typeof raw.type === 'string') type = raw.type;
        const what = {
          envelope: 'CloudEvent attributes',
          'unknown-type': 'CloudEvent type',
          data: 'CloudEvent data',
        }[verdict.reason];
        throw new ValidationError(`The ${what} are not valid`, verdict.issues);
      }
      event = verdict.event;
      type = event.type;
      const handler = opts.handlers[event.type];
      if (!handler)
        throw new ValidationError(`This function does not consume ${event.type}`, [
          { field: '/type', code: 'enum', message: `Not subscribed to ${event.type}` },
        ]);
      const ev = event;
      // Continues the trace the event carries (its producer's request), not the delivery's own.
      const span = startSpan(`process ${ev.type}`, SpanKind.CONSUMER, traceOf(ev), {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.message.id': ev.id,
        'cloudevents.event_type': ev.type,
        'cloudevents.event_source': ev.source,
      });
      const traced = { ceId: ev.id, ceType: ev.type, ...span.headers };
      return await withLogContext(traced, async () => {
        const fresh = await limit(() =>
          withTransaction(opts.pool, async (tx) => {
            const { rowCount } = await tx.query({
              name: `tuoi-inbox-${opts.schema}`, // prepared once per connection: this runs for every event
              text: `INSERT INTO ${inbox} (source, id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
              values: [ev.source, ev.id, ev.type],
            });
            if (rowCount === 0) return false;
            await handler(ev, tx);
            return true;
          }),
        );
        if (fresh) opts.afterCommit?.(ev);
        else log.info('duplicate event ignored', { source: ev.source });
        observeConsumed(type, fresh ? 'processed' : 'duplicate', { startedNs, time: ev.time });
        span.span.setAttribute('tuoi.delivery', fresh ? 'processed' : 'duplicate');
        return { status: 204, headers: { 'x-tuoi-delivery': fresh ? 'processed' : 'duplicate' } };
      }).then(
        (out) => (finish(span.span), out),
        (err: unknown) => {
          finish(span.span, err);
          throw err;
        },
      );
    } catch (err) {
      const fields = { ceId: event?.id, ceType: event?.type, err };
      if (err instanceof AppError && (err.status === 401 || err.status === 403)) {
        log.warn('delivery refused: sender not authenticated or not allowed', {
          err: err.message,
          ...err.extensions,
        });
        observeConsumed(type, 'refused');
      } else if (err instanceof AppError && err.status < 500) {
        log.warn('poison event rejected', fields);
        observeConsumed(type, 'poison');
      } else {
        const transient = isTransient(err);
        log.error(transient ? 'transient failure; will be retried' : 'event handler failed', fields);
        observeConsumed(type, transient ? 'retry' : 'failed', { startedNs });
      }
      const problem = toProblem(err, 'en', '/cloudevents');
      return {
        status: problem.status,
        headers: {
          'content-type': 'application/problem+json',
          ...(problem.status === 401 ? { 'www-authenticate': 'Bearer realm="tuoi-events"' } : {}),
        },
        body: problem,
      };
    }
  };
}

/**
 * OpenTelemetry tracing across HTTP and events, W3C Trace Context on the wire. The gateway starts
 * or continues a trace; every function continues it (a server span per request); events carry it
 * in the CloudEvents distributed-tracing extension (`traceparent`, `tracestate`), stored with the
 * event in the outbox; the relay and the consumer continue it from there. One checkout is one trace
 * across every function and event.
 *
 * Off unless an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): then the API's spans are no-ops that cost nanoseconds and
 * only pass the incoming trace context on, as before. The propagator is used directly, not through
 * the global one, which is itself a no-op until an SDK registers.
 */
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { createLogger } from './log';

export { SpanKind };

/** The W3C trace context of a request or an event. */
export interface TraceContext {
  traceparent?: string;
  tracestate?: string;
}

type Carrier = Record<string, unknown>;

const w3c = new W3CTraceContextPropagator();
const getter: TextMapGetter<Carrier> = {
  keys: (c) => Object.keys(c),
  get: (c, key) => {
    const v = c[key];
    return typeof v === 'string' || Array.isArray(v) ? (v as string | string[]) : undefined;
  },
};
const setter: TextMapSetter<Carrier> = { set: (c, key, value) => void (c[key] = value) };
const log = createLogger('tracing');

/** A started span, the context it runs in and the trace context to pass on from it. */
export interface Started {
  span: Span;
  ctx: Context;
  /** What to send downstream: this span's context (or, with tracing off, the parent's). */
  headers: TraceContext;
}

/** Starts a span continuing `parent` (a new trace when it carries none). End it with `finish`. */
export function startSpan(
  name: string,
  kind: SpanKind,
  parent: TraceContext,
  attributes?: Attributes,
): Started {
  const parentCtx = parent.traceparent ? w3c.extract(ROOT_CONTEXT, parent, getter) : ROOT_CONTEXT;
  const span = trace.getTracer('tuoi').startSpan(name, { kind, attributes }, parentCtx);
  const ctx = trace.setSpan(parentCtx, span);
  const headers: Carrier = {};
  w3c.inject(ctx, headers, setter);
  return { span, ctx, headers: headers as TraceContext };
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A fresh W3C traceparent (a new trace, sampled): for a request that brought none. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** A server span and the trace context it hands on: always a `traceparent`. */
export interface Served extends Started {
  traceparent: string;
  tracestate?: string;
}

/**
 * Starts a server span continuing the caller's `traceparent`/`tracestate` headers, or a new trace
 * when they carry none that is valid. With tracing off the span is a no-op and the caller's trace
 * context passes on unchanged (a new one when it brought none).
 */
export function serverSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes?: Attributes,
): Served {
  const given = typeof headers.traceparent === 'string' && TRACEPARENT.test(headers.traceparent);
  const tracestate = typeof headers.tracestate === 'string' ? headers.tracestate : undefined;
  const started = startSpan(
    name,
    SpanKind.SERVER,
    given ? { traceparent: headers.traceparent as string, tracestate } : {},
    attributes,
  );
  return {
    ...started,
    traceparent: started.headers.traceparent ?? (given ? (headers.traceparent as string) : newTraceparent()),
    tracestate: started.headers.tracestate,
  };
}

/** Ends a span, as an error when `err` is given. */
export function finish(span: Span, err?: unknown): void {
  if (err !== undefined) {
    span.recordException(err instanceof Error ? err : new Error(String(err)));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Runs `fn` in a span continuing `parent`; the span ends with `fn`, as an error if it throws. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: TraceContext,
  fn: (started: Started) => Promise<T>,
  attributes?: Attributes,
): Promise<T> {
  const started = startSpan(name, kind, parent, attributes);
  try {
    const out = await context.with(started.ctx, () => fn(started));
    finish(started.span);
    return out;
  } catch (err) {
    finish(started.span, err);
    throw err;
  }
}

/** What shuts a registered SDK down (flushing its spans). */
export interface Tracing {
  shutdown(): Promise<void>;
}

let registered: Tracing | undefined;

/**
 * Registers the OpenTelemetry SDK with an OTLP/HTTP exporter when an endpoint is configured, once
 * per process; otherwise does nothing. The exporter reads the standard `OTEL_EXPORTER_OTLP_*`
 * variables and the sampler `OTEL_TRACES_SAMPLER`(`_ARG`) (default: parent-based, always on).
 */
export function initTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (registered) return registered;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { BasicTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { AsyncLocalStorageContextManager } =
    require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  log.info('tracing on', {
    service,
    endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  registered = { shutdown: () => provider.shutdown() };
  return registered;
}

/** The trace id of a `traceparent` (`00-<trace id>-<span id>-<flags>`). */
export const traceIdOf = (traceparent: string | undefined): string | undefined => traceparent?.split('-')[1];

/** The trace context a CloudEvent carries (distributed-tracing extension), if any. */
export function traceOf(event: { traceparent?: unknown; tracestate?: unknown }): TraceContext {
  return {
    ...(typeof event.traceparent === 'string' ? { traceparent: event.traceparent } : {}),
    ...(typeof event.tracestate === 'string' ? { tracestate: event.tracestate } : {}),
  };
}

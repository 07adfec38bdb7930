/**
 * One trace across HTTP and events: a request through the gateway to the pulse function, its event
 * through the outbox, the relay, Kafka and the router to the consumer. Every piece runs in this
 * process against real PostgreSQL and Kafka, with the OpenTelemetry SDK exporting to memory.
 */
import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { startBackbone, type Backbone } from '../../scripts/lib/backbone';
import type { TuoiCloudEvent } from '../../events';
import { startPulse } from '../pulse/testing';
import { serviceEnv } from './clients/testing/service-env';
import { testIssuer } from './eventing/testing';
import { startGateway } from './gateway';
import { freshDatabase, type TestDatabase } from './testing/pg';
import { traceIdOf } from './tracing';

const exporter = new InMemorySpanExporter();
let db: TestDatabase;
let pulse: Awaited<ReturnType<typeof startPulse>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let backbone: Backbone;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  db = await freshDatabase();
  pulse = await startPulse(db.url);
  gateway = await startGateway(0, { pulse: pulse.base });
  backbone = await startBackbone({
    pool: db.pool,
    schemas: ['pulse'],
    resolve: () => pulse.base,
    issuer: testIssuer,
    kafkaBrokers: serviceEnv('KAFKA_BROKERS').split(','),
    groupId: `trace-${randomUUID()}`,
    startAtLatest: true,
  });
}, 120_000);

afterAll(async () => {
  await backbone?.stop();
  gateway?.server.closeAllConnections();
  await new Promise((r) => gateway?.server.close(r));
  await pulse?.close();
  await db?.drop();
  trace.disable();
  context.disable();
});

const parentOf = (s: ReadableSpan) =>
  (s as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId;

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('keeps one trace id from the gateway through the outbox, Kafka and the consumer', async () => {
  const res = await fetch(`http://127.0.0.1:${gateway.port}/pulse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ note: 'trace me' }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const traceId = traceIdOf(res.headers.get('traceparent') ?? undefined)!;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);

  // The event, as stored with the change it announces, carries the request's trace context.
  const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
    `SELECT event FROM pulse.outbox WHERE partition_key = $1`,
    [id],
  );
  expect(traceIdOf(rows[0]!.event.traceparent)).toBe(traceId);

  await until(
    async () => ((await (await fetch(`${pulse.base}/pulse/${id}`)).json()) as { status: string }).status,
    (s) => s === 'received',
  );
  const spans = await until(
    () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
    (list) => list.some((s) => s.name === 'process io.tuoi.platform.pulse.v1'),
  );
  const named = (name: string) => {
    const found = spans.filter((s) => s.name === name);
    expect({ name, count: found.length }).toEqual({ name, count: 1 });
    return found[0]!;
  };
  const atGateway = named('POST pulse');
  const atFunction = named('POST /pulse');
  const published = named('publish io.tuoi.platform.pulse.v1');
  const consumed = named('process io.tuoi.platform.pulse.v1');
  // The gateway started the trace; the function continued it; the event carried the function's
  // span through the outbox and Kafka, unchanged, to the relay's and the consumer's spans.
  expect(parentOf(atGateway)).toBeUndefined();
  expect(parentOf(atFunction)).toBe(atGateway.spanContext().spanId);
  expect(parentOf(published)).toBe(atFunction.spanContext().spanId);
  expect(parentOf(consumed)).toBe(atFunction.spanContext().spanId);
  expect(rows[0]!.event.traceparent).toBe(`00-${traceId}-${atFunction.spanContext().spanId}-01`);
  expect(atFunction.attributes).toMatchObject({ 'http.route': '/pulse', 'http.response.status_code': 202 });
  expect(consumed.attributes).toMatchObject({
    'cloudevents.event_type': 'io.tuoi.platform.pulse.v1',
    'tuoi.delivery': 'processed',
  });
});

it('continues a trace the client started, and its tracestate', async () => {
  const client = `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`;
  const res = await fetch(`http://127.0.0.1:${gateway.port}/pulse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: client, tracestate: 'tuoi=storefront' },
    body: '{}',
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect(traceIdOf(res.headers.get('traceparent') ?? undefined)).toBe('ab'.repeat(16));
  const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
    `SELECT event FROM pulse.outbox WHERE partition_key = $1`,
    [id],
  );
  expect(traceIdOf(rows[0]!.event.traceparent)).toBe('ab'.repeat(16));
  expect(rows[0]!.event.tracestate).toBe('tuoi=storefront');
  const atGateway = await until(
    () =>
      exporter
        .getFinishedSpans()
        .find((s) => s.name === 'POST pulse' && s.spanContext().traceId === 'ab'.repeat(16)),
    (s) => s !== undefined,
  );
  expect(parentOf(atGateway!)).toBe('cd'.repeat(8));
});

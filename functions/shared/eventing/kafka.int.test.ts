/**
 * The event backbone on real Kafka: outbox → relay → Kafka (binary binding) → consumer, a relay
 * crash that publishes twice, and the full path through the router in Kafka mode.
 */
import { randomUUID } from 'node:crypto';
import { Kafka as KafkaBinding } from 'cloudevents';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import type { TuoiCloudEvent } from '../../../events';
import { startBackbone } from '../../../scripts/lib/backbone';
import { freshDatabase, type TestDatabase } from '../testing/pg';
import { startPulse } from '../testing/pulse';
import { toBinaryHttp } from './dispatcher';
import { fromKafkaRecord, topicFor } from './kafka-binding';
import { kafkaSink } from './kafka-sink';
import { drainOnce, type EventSink } from './relay';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:59092').split(',');
const kafka = new Kafka({ clientId: 'tuoi-test', brokers, logLevel: logLevel.NOTHING });
const topic = topicFor('pulse');

let db: TestDatabase;
let pulse: Awaited<ReturnType<typeof startPulse>>;
let producer: Producer;
let consumer: Consumer;
const received: KafkaMessage[] = [];

beforeAll(async () => {
  db = await freshDatabase();
  pulse = await startPulse(db.url);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 8 }], waitForLeaders: true });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  consumer = kafka.consumer({ groupId: `test-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
});
afterAll(async () => {
  await consumer.disconnect();
  await producer.disconnect();
  await pulse.close();
  await db.drop();
});

async function emitPulse(): Promise<{ id: string }> {
  const res = await fetch(`${pulse.base}/pulse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return (await res.json()) as { id: string };
}

async function recordsFor(id: string, n: number): Promise<KafkaMessage[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const hits = received.filter((m) => m.key?.toString() === id);
    if (hits.length >= n || Date.now() > deadline) return hits;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Kafka backbone', () => {
  it('publishes outbox events as binary-mode CloudEvents keyed by partitionkey', async () => {
    const { id } = await emitPulse();
    expect(await drainOnce(db.pool, 'pulse', kafkaSink(producer), 100)).toBe(1);
    const [record] = await recordsFor(id, 1);
    expect(record?.key?.toString()).toBe(id);
    const headers = Object.fromEntries(Object.entries(record!.headers ?? {}).map(([k, v]) => [k, String(v)]));
    expect(headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'io.tuoi.platform.pulse.v1',
      ce_source: '/functions/pulse',
      ce_subject: id,
      ce_partitionkey: id,
      'content-type': 'application/json',
    });
    const sdk = KafkaBinding.toEvent({
      key: id,
      headers,
      body: record!.value,
      value: record!.value,
    } as never);
    const event = Array.isArray(sdk) ? sdk[0] : sdk;
    expect(event?.data).toMatchObject({ pulse_id: id });
  });

  it('after a relay crash between publish and mark the event is published twice, and applied once', async () => {
    const { id } = await emitPulse();
    const sink = kafkaSink(producer);
    const crashing: EventSink = {
      publish: async (events, tx) => {
        await sink.publish(events, tx);
        throw new Error('relay killed before commit');
      },
    };
    await expect(drainOnce(db.pool, 'pulse', crashing, 100)).rejects.toThrow('relay killed');
    expect(await drainOnce(db.pool, 'pulse', sink, 100)).toBe(1);
    const records = await recordsFor(id, 2);
    expect(records).toHaveLength(2);
    const events = records.map((r) => fromKafkaRecord(r as never) as TuoiCloudEvent);
    expect(events[0]?.id).toBe(events[1]?.id);

    const statuses: (string | null)[] = [];
    for (const e of events) {
      const res = await fetch(`${pulse.base}/cloudevents`, { method: 'POST', ...toBinaryHttp(e) });
      expect(res.status).toBe(204);
      statuses.push(res.headers.get('x-tuoi-delivery'));
    }
    expect(statuses).toEqual(['processed', 'duplicate']);
    expect(await (await fetch(`${pulse.base}/pulse/${id}`)).json()).toMatchObject({
      deliveries: 1,
      status: 'received',
    });
  });

  it('delivers a pulse end to end: outbox → relay → Kafka → router → consumer', async () => {
    const backbone = await startBackbone({
      pool: db.pool,
      schemas: ['pulse'],
      resolve: () => pulse.base,
      kafkaBrokers: brokers,
      groupId: `router-${randomUUID()}`,
      startAtLatest: true,
    });
    try {
      const ids = await Promise.all(Array.from({ length: 20 }, () => emitPulse().then((p) => p.id)));
      const deadline = Date.now() + 20_000;
      let views: { status: string; deliveries: number; latency_ms: number }[] = [];
      while (Date.now() < deadline) {
        views = (await Promise.all(
          ids.map(async (id) => (await fetch(`${pulse.base}/pulse/${id}`)).json()),
        )) as typeof views;
        if (views.every((v) => v.status === 'received')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(views.map((v) => [v.status, v.deliveries])).toEqual(ids.map(() => ['received', 1]));
    } finally {
      await backbone.stop();
    }
  });
});

/**
 * The event backbone on real Kafka: outbox → relay → Kafka (binary binding) → consumer, a relay
 * crash that publishes twice, the full path through the router in Kafka mode, and a router whose
 * dead-letter write fails (the record is redelivered after a restart).
 */
import { randomUUID } from 'node:crypto';
import { Kafka as KafkaBinding } from 'cloudevents';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import type { TuoiCloudEvent } from '../../../events';
import { startBackbone } from '../../../scripts/lib/backbone';
import { freshDatabase, type TestDatabase } from '../testing/pg';
import { startPulse } from '../../pulse/testing';
import { serviceEnv } from '../clients/testing/service-env';
import { signedDelivery, testIssuer } from './testing';
import { deliveryToken } from './local-issuer';
import { createServer } from 'node:http';
import { DEFAULT_DELIVERY } from '../../registry';
import { fromKafkaRecord, toKafkaRecord, topicFor } from './kafka-binding';
import { startRouter } from './router';
import { kafkaSink } from './kafka-sink';
import { drainOnce, type EventSink } from './relay';
import { registry } from '../metrics';
import { metricValue, parseMetrics } from '../testing/metrics';

const brokers = serviceEnv('KAFKA_BROKERS').split(',');
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
  // Start this group at the end of the shared topic: only records of this run matter.
  const groupId = `test-${randomUUID()}`;
  await admin.resetOffsets({ groupId, topic, earliest: false });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
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
      const res = await signedDelivery(pulse.base, 'pulse', e);
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
      issuer: testIssuer,
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

/** A subscriber whose answer (status, delay) per event id the test decides; records arrivals. */
async function scriptedSubscriber(answer: (id: string) => { status: number; delayMs?: number }) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const id = String(req.headers['ce-id']);
    req.resume();
    const { status, delayMs = 0 } = answer(id);
    setTimeout(() => {
      hits.push(id);
      res.writeHead(status);
      res.end();
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    hits,
    base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    count: (id: string) => hits.filter((h) => h === id).length,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** A router in Kafka mode on a fresh topic, with one unordered trigger for test events. */
async function routerOnFreshTopic(
  base: string,
  partitions: number,
  delivery: Partial<typeof DEFAULT_DELIVERY>,
) {
  const topic = `tuoi.test.${randomUUID().slice(0, 8)}`;
  const groupId = `router-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  const trigger = {
    name: `t-${randomUUID().slice(0, 8)}`,
    subscriber: 'sub',
    type: 'io.tuoi.test.thing.v1',
    ordered: false,
    delivery: { ...DEFAULT_DELIVERY, ...delivery },
  };
  const start = () =>
    startRouter({
      pool: db.pool,
      schema: 'router',
      triggers: [trigger],
      resolve: () => base,
      credentials: (t) => deliveryToken(testIssuer, t),
      source: { kind: 'kafka', kafka, topics: [topic], groupId, fromBeginning: true },
    });
  let router = await start();
  return {
    trigger,
    topic,
    send: (events: TuoiCloudEvent[]) =>
      producer.send({ topic, acks: -1, messages: events.map(toKafkaRecord) }),
    committed: async () =>
      Number((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset),
    /** Stops the router and starts a new one in the same consumer group, as a pod restart does. */
    restart: async () => {
      await router.stop();
      router = await start();
    },
    stop: async () => {
      await router.stop();
      await admin.disconnect();
    },
  };
}

/**
 * A real fault in the dead-letter table: the first write of a dead letter for `eventId` fails
 * (a trigger raises; a sequence, which a rollback does not undo, makes it fail only once).
 * Resolves to a probe telling whether the fault has fired.
 */
async function failFirstDeadLetterOf(eventId: string): Promise<() => Promise<boolean>> {
  const tag = eventId.replaceAll('-', '');
  await db.pool.query(`
    CREATE SEQUENCE router.fault_${tag};
    CREATE FUNCTION router.fault_${tag}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.event_id = '${eventId}' AND NEW.status = 'dead' AND nextval('router.fault_${tag}') = 1 THEN
        RAISE EXCEPTION 'dead-letter table unavailable (injected fault)';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fault_${tag} BEFORE INSERT OR UPDATE ON router.deliveries
      FOR EACH ROW EXECUTE FUNCTION router.fault_${tag}();`);
  return async () =>
    (await db.pool.query(`SELECT is_called FROM router.fault_${tag}`)).rows[0]?.is_called === true;
}

const testEvent = (): TuoiCloudEvent => ({
  specversion: '1.0',
  id: randomUUID(),
  source: '/functions/test',
  type: 'io.tuoi.test.thing.v1',
  partitionkey: randomUUID(),
  datacontenttype: 'application/json',
  data: {},
});

const until = async (done: () => boolean, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
};

describe('Kafka router', () => {
  it('retries 5xx with backoff, dead-letters 400 at once and exhausted retries after them', async () => {
    const [flaky, poison, down] = [testEvent(), testEvent(), testEvent()] as [
      TuoiCloudEvent,
      TuoiCloudEvent,
      TuoiCloudEvent,
    ];
    const script = new Map([
      [flaky.id, [500, 503]],
      [poison.id, [400]],
      [down.id, [503, 503, 503]],
    ]);
    const sub = await scriptedSubscriber((id) => ({ status: script.get(id)?.shift() ?? 204 }));
    const router = await routerOnFreshTopic(sub.base, 2, { retry: 2, backoffDelayMs: 20, timeoutMs: 2000 });
    try {
      await router.send([flaky, poison, down]);
      await until(() => sub.count(flaky.id) >= 3 && sub.count(down.id) >= 3 && sub.count(poison.id) >= 1);
      await new Promise((r) => setTimeout(r, 200));
      expect([sub.count(flaky.id), sub.count(poison.id), sub.count(down.id)]).toEqual([3, 1, 3]);
      const { rows } = await db.pool.query(
        `SELECT event_id, status, attempts, last_status FROM router.deliveries WHERE trigger = $1 ORDER BY attempts`,
        [router.trigger.name],
      );
      expect(rows).toEqual([
        { event_id: poison.id, status: 'dead', attempts: 1, last_status: 400 },
        { event_id: down.id, status: 'dead', attempts: 3, last_status: 503 },
      ]);
      // The router's metrics: each attempt by outcome, and the consumer caught up with the topic.
      const metrics = parseMetrics(await registry.metrics());
      const deliveries = (outcome: string) =>
        metricValue(metrics, 'tuoi_event_deliveries_total', {
          trigger: router.trigger.name,
          type: 'io.tuoi.test.thing.v1',
          outcome,
        });
      expect([deliveries('delivered'), deliveries('retry'), deliveries('dead_letter')]).toEqual([1, 4, 2]);
      expect(metricValue(metrics, 'tuoi_router_kafka_lag_records', { topic: router.topic })).toBe(0);
    } finally {
      await router.stop();
      await sub.close();
    }
  });

  it('leaves the offset of a failed job uncommitted: the record is delivered again after a restart, applied once', async () => {
    const e = testEvent();
    let answers = 0;
    // The first delivery is refused (400 → dead letter, whose write fails); later ones succeed.
    const sub = await scriptedSubscriber(() => ({ status: answers++ === 0 ? 400 : 204 }));
    const fired = await failFirstDeadLetterOf(e.id);
    const router = await routerOnFreshTopic(sub.base, 1, { retry: 0, timeoutMs: 2000 });
    try {
      await router.send([e]);
      const deadline = Date.now() + 20_000;
      while (!(await fired()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await fired()).toBe(true);
      await new Promise((r) => setTimeout(r, 500)); // several commit ticks
      expect(await router.committed()).toBeLessThanOrEqual(0); // the record was not settled

      await router.restart();
      await until(() => sub.count(e.id) >= 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(sub.count(e.id)).toBe(2); // refused once, then applied exactly once
      expect(answers).toBe(2);
      expect(await router.committed()).toBe(1);
      const { rows } = await db.pool.query(`SELECT 1 FROM router.deliveries WHERE event_id = $1`, [e.id]);
      expect(rows).toEqual([]); // no dead letter: the failed write left nothing behind
    } finally {
      await router.stop();
      await sub.close();
    }
  });

  it('commits a partition only behind records whose deliveries have settled', async () => {
    const [a, b] = [testEvent(), testEvent()] as [TuoiCloudEvent, TuoiCloudEvent];
    const sub = await scriptedSubscriber((id) => ({ status: 204, delayMs: id === a.id ? 1500 : 0 }));
    const router = await routerOnFreshTopic(sub.base, 1, { timeoutMs: 5000 });
    try {
      await router.send([a, b]);
      await until(() => sub.hits.includes(b.id));
      await new Promise((r) => setTimeout(r, 300));
      expect(sub.hits).toEqual([b.id]); // b delivered while a is still in flight…
      expect(await router.committed()).toBeLessThanOrEqual(0); // …but nothing is committed past a
      await until(() => sub.hits.includes(a.id));
      await new Promise((r) => setTimeout(r, 300));
      expect(await router.committed()).toBe(2);
    } finally {
      await router.stop();
      await sub.close();
    }
  });
});

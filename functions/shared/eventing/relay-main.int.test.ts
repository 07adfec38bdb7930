/** The relay process as the outbox-relay Deployment runs it: outbox rows reach their Kafka topic; /healthz follows its passes. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { pulseEmitted } from '../../../events/platform/pulse.v1';
import { serviceEnv } from '../clients/testing/service-env';
import { withTransaction } from '../db';
import { freshDatabase, type TestDatabase } from '../testing/pg';
import { fromKafkaRecord, topicFor } from './kafka-binding';
import { buildEvent, emit } from './outbox';
import { startRelayProcess, type RelayProcess } from './relay-main';

const brokers = serviceEnv('KAFKA_BROKERS');
const kafka = new Kafka({
  clientId: 'tuoi-test-relay',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
});
let db: TestDatabase;
let relay: RelayProcess;

beforeAll(async () => {
  db = await freshDatabase();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: topicFor('pulse'), numPartitions: 8 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  relay = await startRelayProcess({ DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0' });
});

afterAll(async () => {
  await relay?.stop();
  await db?.drop();
});

it('publishes committed outbox events to their topic and reports healthy while its passes succeed', async () => {
  const consumer = kafka.consumer({ groupId: `relay-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topicFor('pulse')], fromBeginning: true });
  const seen = new Set<string>();
  await consumer.run({
    eachMessage: async ({ message }) => void seen.add(String(fromKafkaRecord(message as never).id)),
  });
  try {
    const events = Array.from({ length: 5 }, () =>
      buildEvent(pulseEmitted, { pulse_id: randomUUID(), emitted_at: new Date().toISOString() }),
    );
    await withTransaction(db.pool, (tx) => emit(tx, 'pulse', events));
    const deadline = Date.now() + 30_000;
    while (events.some((e) => !seen.has(e.id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(events.filter((e) => !seen.has(e.id))).toEqual([]);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM pulse.outbox WHERE published_at IS NULL`,
    );
    expect(rows[0].n).toBe(0);

    const health = await fetch(`http://127.0.0.1:${relay.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  } finally {
    await consumer.disconnect();
  }
});

it('answers 503 on /healthz when the relay has not completed a pass for 30 s (here: never, database unreachable)', async () => {
  const broken = await startRelayProcess({
    DATABASE_URL: 'postgres://tuoi:tuoi@127.0.0.1:1/none',
    KAFKA_BROKERS: brokers,
    PORT: '0',
  });
  try {
    const res = await fetch(`http://127.0.0.1:${broken.port}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'stale' });
  } finally {
    await broken.stop();
  }
});

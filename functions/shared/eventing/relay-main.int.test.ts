/** The relay process as the outbox-relay Deployment runs it: outbox rows reach their Kafka topic; /healthz follows its passes. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { pulseEmitted } from '../../../events/platform/pulse.v1';
import { serviceEnv } from '../clients/testing/service-env';
import { withTransaction } from '../db';
import { metricValue, scrape } from '../testing/metrics';
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
  relay = await startRelayProcess({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: brokers,
    PORT: '0',
    METRICS_PORT: '0',
  });
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

    // Its metrics port: what it published, its backlog (drained) and its pool, labelled as the relay.
    const metrics = await scrape(`http://127.0.0.1:${relay.metricsPort}/metrics`);
    const value = (name: string, labels: Record<string, string> = {}) =>
      metricValue(metrics, name, { function: 'outbox-relay', ...labels });
    expect(value('tuoi_relay_published_total', { schema: 'pulse' })).toBeGreaterThanOrEqual(5);
    expect(value('tuoi_relay_delay_seconds_count', { schema: 'pulse' })).toBeGreaterThanOrEqual(5);
    expect(value('tuoi_outbox_pending', { schema: 'pulse' })).toBe(0);
    expect(value('tuoi_outbox_oldest_pending_seconds', { schema: 'pulse' })).toBe(0);
    expect(value('tuoi_relay_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(value('tuoi_db_pool_max', { pool: 'main' })).toBeGreaterThanOrEqual(4);
    expect(value('tuoi_db_pool_connections', { pool: 'main', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(value('tuoi_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${relay.metricsPort}/other`)).status).toBe(404);
  } finally {
    await consumer.disconnect();
  }
});

it('answers 503 on /healthz when the relay has not completed a pass for 30 s (here: never, database unreachable)', async () => {
  const broken = await startRelayProcess({
    DATABASE_URL: 'postgres://tuoi:tuoi@127.0.0.1:1/none',
    KAFKA_BROKERS: brokers,
    PORT: '0',
    METRICS_PORT: 'off',
  });
  try {
    const res = await fetch(`http://127.0.0.1:${broken.port}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'stale' });
  } finally {
    await broken.stop();
  }
});

/**
 * The local router's delivery rules against real PostgreSQL and a real HTTP subscriber whose
 * answers the test scripts: retries with backoff on 5xx, straight to dead letters on 400,
 * dead letters after exhausted retries, replay, and per-entity order for ordered triggers.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { TuoiCloudEvent } from '../../../events';
import { DEFAULT_DELIVERY, type TriggerSpec } from '../../registry';
import { freshDatabase, type TestDatabase } from '../testing/pg';
import { enqueue, listDeadLetters, replayDeadLetters } from './delivery-queue';
import { Dispatcher } from './dispatcher';
import { deliveryToken } from './local-issuer';
import { testIssuer } from './testing';
import { registry } from '../metrics';
import { metricValue, parseMetrics } from '../testing/metrics';

interface Hit {
  at: number;
  id: string;
  key: string;
}

let db: TestDatabase;
let server: Server;
let base: string;
const hits: Hit[] = [];
/** Status codes to answer per event id, consumed in order; 204 once exhausted. */
const script = new Map<string, number[]>();

beforeAll(async () => {
  db = await freshDatabase();
  server = createServer((req, res) => {
    const id = String(req.headers['ce-id']);
    hits.push({ at: Date.now(), id, key: String(req.headers['ce-partitionkey']) });
    req.resume();
    req.on('end', () => {
      const status = script.get(id)?.shift() ?? 204;
      res.writeHead(status, status === 204 ? {} : { 'content-type': 'application/problem+json' });
      res.end(status === 204 ? undefined : JSON.stringify({ status }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await db.drop();
});

const trigger = (patch: Partial<TriggerSpec> = {}): TriggerSpec => ({
  name: `t-${randomUUID().slice(0, 8)}`,
  subscriber: 'sub',
  type: 'io.tuoi.test.thing.v1',
  ordered: false,
  delivery: { ...DEFAULT_DELIVERY, retry: 3, backoffDelayMs: 50, timeoutMs: 2000 },
  ...patch,
});

const event = (key = randomUUID()): TuoiCloudEvent => ({
  specversion: '1.0',
  id: randomUUID(),
  source: '/functions/test',
  type: 'io.tuoi.test.thing.v1',
  partitionkey: key,
  datacontenttype: 'application/json',
  data: { key },
});

async function run(t: TriggerSpec, events: TuoiCloudEvent[], until: () => Promise<boolean>): Promise<void> {
  const dispatcher = new Dispatcher({
    pool: db.pool,
    schema: 'router',
    triggers: [t],
    resolve: () => base,
    credentials: (trigger) => deliveryToken(testIssuer, trigger),
    pollMs: 10,
  });
  dispatcher.start();
  try {
    await enqueue(db.pool, 'router', [t], events);
    dispatcher.nudge();
    const deadline = Date.now() + 15_000;
    while (!(await until())) {
      if (Date.now() > deadline) throw new Error('deliveries did not settle');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await dispatcher.stop();
  }
}

async function statusOf(t: TriggerSpec, e: TuoiCloudEvent) {
  const { rows } = await db.pool.query<{ status: string; attempts: number; last_status: number | null }>(
    `SELECT status, attempts, last_status FROM router.deliveries WHERE trigger = $1 AND event_id = $2`,
    [t.name, e.id],
  );
  return rows[0];
}

const settled = (t: TriggerSpec, e: TuoiCloudEvent) => async () =>
  ['delivered', 'dead'].includes((await statusOf(t, e))?.status ?? '');

describe('local router delivery', () => {
  it('retries a 500 with exponential backoff until the subscriber succeeds', async () => {
    const t = trigger();
    const e = event();
    script.set(e.id, [500, 503, 204]);
    await run(t, [e], settled(t, e));
    expect(await statusOf(t, e)).toEqual({ status: 'delivered', attempts: 3, last_status: 204 });
    const times = hits.filter((h) => h.id === e.id).map((h) => h.at);
    expect(times).toHaveLength(3);
    const gaps = [times[1]! - times[0]!, times[2]! - times[1]!];
    expect(gaps[0]).toBeGreaterThanOrEqual(45); // backoffDelay
    expect(gaps[1]).toBeGreaterThanOrEqual(95); // backoffDelay × 2
  });

  it('sends a 400 straight to the dead letters without retrying', async () => {
    const t = trigger();
    const e = event();
    script.set(e.id, [400]);
    await run(t, [e], settled(t, e));
    expect(await statusOf(t, e)).toEqual({ status: 'dead', attempts: 1, last_status: 400 });
    expect(hits.filter((h) => h.id === e.id)).toHaveLength(1);
  });

  it('dead-letters after the retries are spent, and replay delivers it', async () => {
    const t = trigger({ delivery: { ...DEFAULT_DELIVERY, retry: 2, backoffDelayMs: 20, timeoutMs: 2000 } });
    const e = event();
    script.set(e.id, [500, 500, 500]);
    await run(t, [e], settled(t, e));
    expect(await statusOf(t, e)).toEqual({ status: 'dead', attempts: 3, last_status: 500 });
    const dead = await listDeadLetters(db.pool, 'router');
    expect(dead.map((d) => d.event.id)).toContain(e.id);

    const id = dead.find((d) => d.event.id === e.id)!.id;
    expect(await replayDeadLetters(db.pool, 'router', [id])).toBe(1);
    await run(t, [], settled(t, e));
    expect(await statusOf(t, e)).toMatchObject({ status: 'delivered', last_status: 204 });
    expect(hits.filter((h) => h.id === e.id)).toHaveLength(4);
    // Each attempt in the router's metrics: two retries, the dead letter, then the replay delivered.
    const metrics = parseMetrics(await registry.metrics());
    const attempts = (outcome: string) =>
      metricValue(metrics, 'tuoi_event_deliveries_total', { trigger: t.name, type: e.type, outcome });
    expect([attempts('retry'), attempts('dead_letter'), attempts('delivered')]).toEqual([2, 1, 1]);
  });

  it('treats an unreachable subscriber as retryable', async () => {
    const t = trigger({ delivery: { ...DEFAULT_DELIVERY, retry: 1, backoffDelayMs: 10, timeoutMs: 500 } });
    const e = event();
    const dispatcher = new Dispatcher({
      pool: db.pool,
      schema: 'router',
      triggers: [t],
      resolve: () => 'http://127.0.0.1:1',
      credentials: (trigger) => deliveryToken(testIssuer, trigger),
      pollMs: 10,
    });
    dispatcher.start();
    await enqueue(db.pool, 'router', [t], [e]);
    const deadline = Date.now() + 10_000;
    while ((await statusOf(t, e))?.status !== 'dead' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await dispatcher.stop();
    expect(await statusOf(t, e)).toEqual({ status: 'dead', attempts: 2, last_status: null });
  });

  it('absorbs the same event arriving twice for one trigger', async () => {
    const t = trigger();
    const e = event();
    expect(await enqueue(db.pool, 'router', [t], [e, e])).toBe(1);
    expect(await enqueue(db.pool, 'router', [t], [e])).toBe(0);
  });

  it('keeps one entity in order on an ordered trigger, even across retries', async () => {
    const t = trigger({ ordered: true });
    const key = randomUUID();
    const events = Array.from({ length: 5 }, () => event(key));
    script.set(events[0]!.id, [500, 500]);
    await run(t, events, async () =>
      (await Promise.all(events.map((e) => statusOf(t, e)))).every((s) => s?.status === 'delivered'),
    );
    const delivered = hits.filter((h) => h.key === key);
    const firstSuccess = delivered.map((h) => h.id).filter((id, i, all) => all.indexOf(id) === i);
    expect(firstSuccess).toEqual(events.map((e) => e.id));
    // Nothing after the first event was attempted before the first event succeeded.
    const firstDone = delivered.filter((h) => h.id === events[0]!.id).at(-1)!.at;
    expect(delivered.filter((h) => h.id !== events[0]!.id).every((h) => h.at >= firstDone)).toBe(true);
  });
});

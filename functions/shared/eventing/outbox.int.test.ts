import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pulseEmitted, type TuoiCloudEvent } from '../../../events';
import { withTransaction } from '../db';
import { migrate } from '../migrate';
import { freshDatabase, type TestDatabase } from '../testing/pg';
import { buildEvent, emit } from './outbox';
import { OutboxRelay, drainOnce, type EventSink } from './relay';

let db: TestDatabase;
beforeAll(async () => (db = await freshDatabase()));
afterAll(() => db.drop());
beforeEach(() => db.pool.query('TRUNCATE pulse.outbox, pulse.pulses'));

const pulseEvent = (key: string = randomUUID()) =>
  buildEvent(pulseEmitted, { pulse_id: key, emitted_at: new Date().toISOString() });

async function count(table: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

function recordingSink(): EventSink & { seen: TuoiCloudEvent[] } {
  const seen: TuoiCloudEvent[] = [];
  return { seen, publish: async (events) => void seen.push(...events) };
}

describe('transactional outbox', () => {
  it('writes the event iff the state change commits', async () => {
    const event = pulseEvent();
    await expect(
      withTransaction(db.pool, async (tx) => {
        await tx.query(`INSERT INTO pulse.pulses (id, emitted_at) VALUES ($1, now())`, [event.subject]);
        await emit(tx, 'pulse', [event]);
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect(await count('pulse.outbox')).toBe(0);
    expect(await count('pulse.pulses')).toBe(0);

    await withTransaction(db.pool, async (tx) => {
      await tx.query(`INSERT INTO pulse.pulses (id, emitted_at) VALUES ($1, now())`, [event.subject]);
      await emit(tx, 'pulse', [event]);
    });
    expect(await count('pulse.outbox')).toBe(1);
    expect(await count('pulse.pulses')).toBe(1);
  });
});

describe('relay', () => {
  async function emitMany(n: number, keys: string[]): Promise<TuoiCloudEvent[]> {
    const events = Array.from({ length: n }, (_, i) => pulseEvent(keys[i % keys.length]));
    for (let i = 0; i < events.length; i += 100)
      await withTransaction(db.pool, (tx) => emit(tx, 'pulse', events.slice(i, i + 100)));
    return events;
  }

  it('publishes each event once across concurrent replicas, each entity in order', async () => {
    const keys = Array.from({ length: 50 }, () => randomUUID());
    const events = await emitMany(2000, keys);
    const sink = recordingSink();
    const replicas = [1, 2, 3].map(
      () => new OutboxRelay({ pool: db.pool, schemas: ['pulse'], sink, batchSize: 50 }),
    );
    await Promise.all(replicas.map((r) => r.drainAll()));
    await Promise.all(replicas.map((r) => r.drainAll()));

    expect(sink.seen.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    const order = new Map(events.map((e, i) => [e.id, i]));
    for (const key of keys) {
      const published = sink.seen.filter((e) => e.partitionkey === key).map((e) => order.get(e.id) as number);
      expect(published).toEqual([...published].sort((a, b) => a - b));
    }
    expect(await count('pulse.outbox WHERE published_at IS NULL')).toBe(0);
  });

  it('publishes again after a crash between publishing and marking sent', async () => {
    const [event] = await emitMany(1, [randomUUID()]);
    const sink = recordingSink();
    const crashing: EventSink = {
      publish: async (events, tx) => {
        await sink.publish(events, tx);
        throw new Error('relay killed before commit');
      },
    };
    await expect(drainOnce(db.pool, 'pulse', crashing, 10)).rejects.toThrow('relay killed');
    expect(await drainOnce(db.pool, 'pulse', sink, 10)).toBe(1);
    expect(sink.seen.map((e) => e.id)).toEqual([event?.id, event?.id]);
    expect(await drainOnce(db.pool, 'pulse', sink, 10)).toBe(0);
  });

  it('publishes new events promptly while running', async () => {
    const sink = recordingSink();
    const relay = new OutboxRelay({ pool: db.pool, schemas: ['pulse'], sink });
    await relay.start();
    try {
      const [event] = await emitMany(1, [randomUUID()]);
      const deadline = Date.now() + 5000;
      while (sink.seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(sink.seen.map((e) => e.id)).toEqual([event?.id]);
    } finally {
      await relay.stop();
    }
  });
});

describe('migrations', () => {
  it('are idempotent and refuse an applied file that was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    writeFileSync(join(dir, '001_things.sql'), 'CREATE TABLE {{schema}}.things (id int PRIMARY KEY);');
    const track = { schema: 'migtest', folders: [{ prefix: 'x', dir }] };
    expect(await migrate(db.pool, [track])).toEqual([{ schema: 'migtest', applied: ['x/001_things.sql'] }]);
    expect(await migrate(db.pool, [track])).toEqual([{ schema: 'migtest', applied: [] }]);
    writeFileSync(join(dir, '001_things.sql'), 'CREATE TABLE {{schema}}.things (id bigint PRIMARY KEY);');
    await expect(migrate(db.pool, [track])).rejects.toThrow('was edited after it was applied');
    writeFileSync(join(dir, '001_things.sql'), 'CREATE TABLE {{schema}}.things (id int PRIMARY KEY);');
    writeFileSync(join(dir, '002_more.sql'), 'ALTER TABLE {{schema}}.things ADD COLUMN name text;');
    expect(await migrate(db.pool, [track])).toEqual([{ schema: 'migtest', applied: ['x/002_more.sql'] }]);
  });
});

/** Idempotent commands on real PostgreSQL, composed with the unit of work (the `pulse` schema). */
import { randomUUID } from 'node:crypto';
import { pulseEmitted } from '../../events';
import { ConflictError, toProblem } from './errors';
import { buildEvent } from './eventing/outbox';
import { idempotentUnit, purgeExpiredIdempotencyKeys, type CommandResponse } from './idempotency';
import { freshDatabase, type TestDatabase } from './testing/pg';
import { unitOfWork, type Work } from './unit-of-work';

let db: TestDatabase;
beforeAll(async () => (db = await freshDatabase({ poolSize: 12 })));
afterAll(() => db.drop());
beforeEach(() => db.pool.query('TRUNCATE pulse.outbox, pulse.pulses, pulse.idempotency_keys'));

const count = async (table: string) =>
  Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

/** A command that records a pulse and emits its event; counts how often its write ran. */
function emitPulse(delayMs = 0) {
  const calls = { n: 0 };
  const fn = async ({ tx, emit }: Work): Promise<CommandResponse<{ id: string }>> => {
    calls.n++;
    const id = randomUUID();
    await tx.query(`INSERT INTO pulse.pulses (id, emitted_at) VALUES ($1, now())`, [id]);
    emit(buildEvent(pulseEmitted, { pulse_id: id, emitted_at: new Date().toISOString() }));
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return { status: 201, body: { id } };
  };
  return { fn, calls };
}

const once = (ttlMs?: number) => idempotentUnit(unitOfWork(db.pool, 'pulse'), 'pulse', { ttlMs });
const command = (key: string, request: unknown = { note: 'hello' }) => ({
  scope: 'POST /pulse',
  key,
  request,
});

describe('idempotentUnit', () => {
  it('runs the write once and replays the stored response for a retry', async () => {
    const run = once();
    const { fn, calls } = emitPulse();
    const key = randomUUID();
    const first = await run(command(key), fn);
    const retry = await run(command(key, { note: 'hello' }), fn);
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(retry).toEqual({ ...first, replayed: true });
    expect(calls.n).toBe(1);
    expect([await count('pulse.pulses'), await count('pulse.outbox')]).toEqual([1, 1]);
  });

  it('answers 409 problem+json when a key is reused with a different request', async () => {
    const run = once();
    const { fn, calls } = emitPulse();
    const key = randomUUID();
    await run(command(key, { note: 'hello' }), fn);
    const reused = run(command(key, { note: 'goodbye' }), fn);
    await expect(reused).rejects.toThrow(ConflictError);
    const problem = toProblem(await reused.catch((e: unknown) => e), 'en');
    expect(problem).toMatchObject({ status: 409, code: 'idempotency-key-reused' });
    expect(problem.type).toMatch(/conflict$/);
    expect(calls.n).toBe(1);
  });

  it('keeps the same key apart in different scopes', async () => {
    const run = once();
    const { fn, calls } = emitPulse();
    const key = randomUUID();
    await run({ scope: 'POST /pulse user:1', key, request: {} }, fn);
    await run({ scope: 'POST /pulse user:2', key, request: {} }, fn);
    expect(calls.n).toBe(2);
  });

  it('stores nothing when the write throws, so the retry runs it', async () => {
    const run = once();
    const { fn, calls } = emitPulse();
    const key = randomUUID();
    await expect(
      run(command(key), async (work) => {
        await fn(work);
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    expect([
      await count('pulse.pulses'),
      await count('pulse.outbox'),
      await count('pulse.idempotency_keys'),
    ]).toEqual([0, 0, 0]);
    expect(await run(command(key), fn)).toMatchObject({ status: 201, replayed: false });
    expect(calls.n).toBe(2);
  });

  it('replays a refusal returned as a result, as Stripe replays a stored 4xx', async () => {
    const run = once();
    const key = randomUUID();
    let calls = 0;
    const refuse = async () => {
      calls++;
      return { status: 409, body: { code: 'insufficient-stock' } };
    };
    await run(command(key), refuse);
    expect(await run(command(key), refuse)).toEqual({
      status: 409,
      body: { code: 'insufficient-stock' },
      replayed: true,
    });
    expect(calls).toBe(1);
  });

  it('runs concurrent first attempts with one key once; the others replay it', async () => {
    const run = once();
    const { fn, calls } = emitPulse(150);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => run(command(key), fn)));
    expect(calls.n).toBe(1);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.replayed)).toHaveLength(7);
    expect([await count('pulse.pulses'), await count('pulse.outbox')]).toEqual([1, 1]);
  });

  it('forgets a key once it expired, and the purge deletes only expired keys', async () => {
    const { fn, calls } = emitPulse();
    const key = randomUUID();
    await once(50)(command(key, { v: 1 }), fn);
    await once()(command(randomUUID()), fn); // lives 24 h
    await new Promise((r) => setTimeout(r, 100));
    expect(await once(50)(command(key, { v: 2 }), fn)).toMatchObject({ replayed: false }); // taken over
    expect(calls.n).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(await purgeExpiredIdempotencyKeys(db.pool, 'pulse')).toBe(1);
    expect(await count('pulse.idempotency_keys')).toBe(1);
  });
});

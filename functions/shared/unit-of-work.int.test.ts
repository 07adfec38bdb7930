import { randomUUID } from 'node:crypto';
import { pulseEmitted, type TuoiCloudEvent } from '../../events';
import { buildEvent } from './eventing/outbox';
import { freshDatabase, type TestDatabase } from './testing/pg';
import { unitOfWork } from './unit-of-work';

let db: TestDatabase;
beforeAll(async () => (db = await freshDatabase()));
afterAll(() => db.drop());
beforeEach(() => db.pool.query('TRUNCATE pulse.outbox, pulse.pulses'));

const count = async (table: string) =>
  Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

describe('unitOfWork', () => {
  it('commits the change and its events together, then runs the after-commit hooks', async () => {
    const committed: TuoiCloudEvent[][] = [];
    const after: string[] = [];
    const work = unitOfWork(db.pool, 'pulse', { onCommitted: (e) => committed.push(e) });
    const id = randomUUID();
    const out = await work(async ({ tx, emit, afterCommit }) => {
      await tx.query(`INSERT INTO pulse.pulses (id, emitted_at) VALUES ($1, now())`, [id]);
      emit(buildEvent(pulseEmitted, { pulse_id: id, emitted_at: new Date().toISOString() }));
      afterCommit(() => after.push('cache dropped'));
      return 'done';
    });
    expect(out).toBe('done');
    expect([await count('pulse.pulses'), await count('pulse.outbox')]).toEqual([1, 1]);
    expect(committed.map((e) => e.map((x) => x.subject))).toEqual([[id]]);
    expect(after).toEqual(['cache dropped']);
  });

  it('writes neither the change nor its events when the unit throws, and runs no hook', async () => {
    const after: string[] = [];
    const work = unitOfWork(db.pool, 'pulse', { onCommitted: () => after.push('committed') });
    const id = randomUUID();
    await expect(
      work(async ({ tx, emit, afterCommit }) => {
        await tx.query(`INSERT INTO pulse.pulses (id, emitted_at) VALUES ($1, now())`, [id]);
        emit(buildEvent(pulseEmitted, { pulse_id: id, emitted_at: new Date().toISOString() }));
        afterCommit(() => after.push('cache dropped'));
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    expect([await count('pulse.pulses'), await count('pulse.outbox')]).toEqual([0, 0]);
    expect(after).toEqual([]);
  });
});

/**
 * Business figures against real PostgreSQL: counted from outbox events only once their transaction
 * commits (never on rollback), and an oversell is the database's no-oversell CHECK refusing a write.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TuoiCloudEvent } from '../../events';
import { withTransaction } from './db';
import { emit } from './eventing/outbox';
import { registry } from './metrics';
import { metricValue, parseMetrics } from './testing/metrics';
import { freshDatabase, type TestDatabase } from './testing/pg';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** The contract's first valid fixture of `type`, with `data` patched. */
function fixture(type: string, data: Record<string, unknown> = {}): TuoiCloudEvent {
  const dir = join(__dirname, '../../events/fixtures', type, 'valid');
  const event = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0] as string), 'utf8'));
  return { ...event, data: { ...event.data, ...data } };
}

async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  return metricValue(parseMetrics(await registry.metrics()), name, labels) ?? 0;
}

it('counts the business figures of events whose transaction committed, and none of a rollback', async () => {
  const completed = await value('tuoi_orders_completed_total');
  const momo = await value('tuoi_payment_failures_total', { provider: 'momo' });
  const approved = await value('tuoi_substitutions_decided_total', { decision: 'approved' });
  const events = [
    fixture('io.tuoi.order.completed.v1'),
    fixture('io.tuoi.payment.failed.v1', { rail: 'momo' }),
    fixture('io.tuoi.order.substitution.decided.v1', { decision: 'approved' }),
  ];
  await expect(
    withTransaction(db.pool, async (tx) => {
      await emit(tx, 'pulse', events);
      throw new Error('the use case failed after writing its events');
    }),
  ).rejects.toThrow('failed after');
  expect(await value('tuoi_orders_completed_total')).toBe(completed);
  expect(await value('tuoi_payment_failures_total', { provider: 'momo' })).toBe(momo);

  await withTransaction(db.pool, (tx) => emit(tx, 'pulse', events));
  expect(await value('tuoi_orders_completed_total')).toBe(completed + 1);
  expect(await value('tuoi_payment_failures_total', { provider: 'momo' })).toBe(momo + 1);
  expect(await value('tuoi_substitutions_decided_total', { decision: 'approved' })).toBe(approved + 1);
});

it('counts an oversell when the lots CHECK refuses holding more than is on hand (and it stays 0 otherwise)', async () => {
  const { rows } = await db.pool.query<{ conname: string }>(
    `SELECT conname FROM pg_constraint WHERE conrelid = 'inventory.lots'::regclass AND contype = 'c' ORDER BY 1`,
  );
  // The names the counter recognises are PostgreSQL's defaults for these column CHECKs.
  expect(rows.map((r) => r.conname)).toEqual(expect.arrayContaining(['lots_check', 'lots_on_hand_check']));
  const before = await value('tuoi_stock_oversell_total');
  await db.pool.query(`INSERT INTO inventory.locations (id, kind, name_en, name_vi, zone)
                       VALUES ('ch-test', 'store', 'Test', 'Thử', 'hcm-test')`);
  await db.pool
    .query(`INSERT INTO inventory.skus (sku, sold_by, is_perishable, active, low_threshold, version)
                       VALUES ('TU-TEST-1', 'piece', false, true, 1, 1)`);
  await db.pool.query(`INSERT INTO inventory.lots (id, sku, location, received_qty, on_hand, received_at)
                       VALUES ('lot-1', 'TU-TEST-1', 'ch-test', 5, 5, now())`);
  await withTransaction(db.pool, (tx) => tx.query(`UPDATE inventory.lots SET held = 5 WHERE id = 'lot-1'`));
  expect(await value('tuoi_stock_oversell_total')).toBe(before);
  await expect(
    withTransaction(db.pool, (tx) =>
      tx.query(`UPDATE inventory.lots SET held = held + 1 WHERE id = 'lot-1'`),
    ),
  ).rejects.toMatchObject({ code: '23514', constraint: 'lots_check' });
  expect(await value('tuoi_stock_oversell_total')).toBe(before + 1);
});

/**
 * Inventory's events against real PostgreSQL: catalog products become countable SKUs, stock.low
 * fires once per crossing, stock.expiring announces lots near expiry once a day, and the dev seed
 * leaves a consistent ledger.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { productCreated, productDeleted, type ProductSnapshot, type TuoiCloudEvent } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { seedData } from '../../scripts/seed/data';
import { DEV_LOCATIONS, seed } from './seed';
import { addTestSkus, shopDate, startInventory, testStores, type RunningInventory } from './testing';

let db: TestDatabase;
let inv: RunningInventory;
const stores = testStores();

beforeAll(async () => {
  db = await freshDatabase();
  await addTestSkus(db.pool, ['TU-LOW-0001', 'TU-EXP-0001'], { perishable: ['TU-EXP-0001'] });
  inv = await startInventory(db.url);
});

afterAll(async () => {
  await inv?.close();
  await db?.drop();
});

async function outbox(type: string, sku: string): Promise<Record<string, unknown>[]> {
  const { rows } = await db.pool.query<{ data: Record<string, unknown> }>(
    `SELECT event->'data' AS data FROM inventory.outbox
     WHERE event->>'type' = $1 AND event->'data'->>'sku' = $2 ORDER BY id`,
    [type, sku],
  );
  return rows.map((r) => r.data);
}

const event = <E extends TuoiCloudEvent>(e: E) => ({ ...e, id: randomUUID() });

/** A catalog product snapshot (from the contract's fixtures) with what the test is about. */
function product(overrides: Partial<ProductSnapshot>): ProductSnapshot {
  const fixture = join(
    __dirname,
    '../../events/fixtures/io.tuoi.catalog.product.created.v1/valid/draft-fish-sauce-before-tax-category.json',
  );
  return { ...(JSON.parse(readFileSync(fixture, 'utf8')) as { data: ProductSnapshot }).data, ...overrides };
}

it('counts a SKU once the catalog has published it, and stops reserving it once deleted', async () => {
  const sku = 'TU-NEW-0001';
  const receive = () =>
    inv.call('POST', '/stock/receive', {
      json: { lot_id: 'new-1', sku, location: 'kho-thu-duc', quantity: 5 },
    });
  expect((await receive()).status).toBe(400);
  const snapshot = product({ sku, sold_by: 'piece', is_perishable: false, status: 'active', version: 3 });
  expect((await inv.deliver(event(buildEvent(productCreated, snapshot)))).status).toBe(204);
  expect((await receive()).status).toBe(201);
  const hold = (id: string) =>
    inv.call('POST', '/reservations', { json: { id, location: 'kho-thu-duc', lines: [{ sku, qty: 1 }] } });
  expect((await hold('new-r1')).status).toBe(201);
  const gone = buildEvent(productDeleted, { sku, version: 4, deleted_at: new Date().toISOString() });
  expect((await inv.deliver(event(gone))).status).toBe(204);
  expect((await hold('new-r2')).status).toBe(400);
  // A late, older version does not bring it back.
  expect((await inv.deliver(event(buildEvent(productCreated, snapshot)))).status).toBe(204);
  expect((await hold('new-r3')).status).toBe(400);
});

it('emits stock.low once when availability falls below the threshold, again only after recovering', async () => {
  const sku = 'TU-LOW-0001';
  expect((await inv.call('PUT', `/stock/${sku}/threshold`, { json: { low_threshold: 5 } })).status).toBe(200);
  await inv.call('POST', '/stock/receive', {
    json: { lot_id: 'low-1', sku, location: 'q1-ben-thanh', quantity: 8 },
  });
  const hold = (id: string, qty: number) =>
    inv.call('POST', '/reservations', { json: { id, location: 'q1-ben-thanh', lines: [{ sku, qty }] } });
  expect((await hold('low-r1', 3)).status).toBe(201); // 5 left: not below
  expect(await outbox('io.tuoi.inventory.stock.low.v1', sku)).toHaveLength(0);
  expect((await hold('low-r2', 1)).status).toBe(201); // 4 left: below
  expect((await hold('low-r3', 1)).status).toBe(201); // 3 left: still below, no second notice
  expect(await outbox('io.tuoi.inventory.stock.low.v1', sku)).toEqual([
    expect.objectContaining({ sku, location: 'q1-ben-thanh', available: 4, threshold: 5 }),
  ]);
  await inv.call('POST', '/reservations/low-r1/release'); // 6 available: recovered
  await inv.call('POST', '/reservations/low-r2/release');
  expect((await hold('low-r4', 3)).status).toBe(201); // 4 again: a new crossing
  expect(await outbox('io.tuoi.inventory.stock.low.v1', sku)).toHaveLength(2);
});

it('announces lots expiring within the window once a day, with what is left of them', async () => {
  const sku = 'TU-EXP-0001';
  const receive = (lot_id: string, expires_on: string) =>
    inv.call('POST', '/stock/receive', {
      json: { lot_id, sku, location: 'q7-phu-my-hung', quantity: 6, expires_on },
    });
  expect((await receive('exp-soon', shopDate(2))).status).toBe(201);
  expect((await receive('exp-later', shopDate(20))).status).toBe(201);
  const notices = () => outbox('io.tuoi.inventory.stock.expiring.v1', sku);
  expect(await notices()).toEqual([
    expect.objectContaining({ sku, lot_id: 'exp-soon', quantity: 6, expires_on: shopDate(2) }),
  ]);
  expect(await stores.lots.scanExpiring(db.pool)).toBe(0); // already announced today
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await stores.lots.scanExpiring(db.pool, tomorrow)).toBe(1);
  expect((await notices()).map((n) => n.lot_id)).toEqual(['exp-soon', 'exp-soon']);
});

it('seeds three locations in different zones with lots for every SKU and a matching ledger', async () => {
  const seeded = await freshDatabase();
  try {
    const data = seedData({ count: 300 });
    expect(await seed(seeded.pool, data)).toMatch(/^3 locations, 300 SKUs, \d+ lots/);
    expect(await seed(seeded.pool, data)).toMatch(/nothing seeded/);
    expect(new Set(DEV_LOCATIONS.map((l) => l.zone)).size).toBe(3);
    const { rows } = await seeded.pool.query(
      `SELECT (SELECT count(*) FROM inventory.skus)::int AS skus,
              (SELECT count(DISTINCT (sku, location)) FROM inventory.lots)::int AS pairs,
              (SELECT count(*) FROM inventory.lots WHERE expires_on <= $1::date)::int AS expiring`,
      [shopDate(3)],
    );
    expect(rows[0]).toMatchObject({ skus: 300, pairs: 900 });
    expect(rows[0].expiring).toBeGreaterThan(0);
    const ledger = await stores.lots.replayLedger(seeded.pool);
    expect(ledger.every((l) => l.on_hand === l.ledger_on_hand && l.held === l.ledger_held)).toBe(true);
  } finally {
    await seeded.drop();
  }
});

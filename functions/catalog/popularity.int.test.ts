/**
 * Popularity from completed orders against real PostgreSQL: io.tuoi.order.completed.v1 records an
 * order's lines as sales once per (order, SKU), the daily refresh counts them into units_sold_7d,
 * and popular ranks by them; the seed's synthetic sales stay apart (source 'seed').
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { orderCompleted, type DataOf, type TuoiCloudEvent } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { shopDay } from './daily';
import { SCHEMA } from './deps';
import { catalogStore } from './store';
import { ORDER_SALES_KEPT_DAYS, projectionStore } from './store-projections';
import { addTestCategories, productBody, startCatalog, weightedBody, type RunningCatalog } from './testing';

let db: TestDatabase;
let catalog: RunningCatalog;
const projections = projectionStore(SCHEMA, catalogStore(SCHEMA));
const MILK = ['TU-610001', 'TU-610002', 'TU-610003', 'TU-610004'];
const PORK = 'TU-610100';
beforeAll(async () => {
  db = await freshDatabase();
  await addTestCategories(db.pool);
  // Today's refresh is done: tests refresh when they mean to, never a request in the background.
  await db.pool.query(
    `INSERT INTO catalog.daily_refresh (job, done_on) VALUES ('projections', catalog.today())`,
  );
  catalog = await startCatalog(db.url);
  for (const json of [...MILK.map((sku) => productBody(sku)), weightedBody(PORK)])
    expect((await catalog.call('POST', '/products', { json, staff: true })).status).toBe(201);
});
afterAll(async () => {
  await catalog?.close();
  await db?.drop();
});
beforeEach(async () => {
  await db.pool.query(`TRUNCATE catalog.order_sales, catalog.sales_daily`);
  await projections.refreshPopularity(db.pool);
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
type Line = DataOf<typeof orderCompleted>['lines'][number];
const completed = (lines: Line[], patch: Partial<DataOf<typeof orderCompleted>> = {}) =>
  buildEvent(orderCompleted, {
    order_id: `ord-${randomUUID().replace(/-/g, '').slice(0, 26)}`,
    customer_id: randomUUID(),
    lang: 'vi',
    location: 'ch-q1',
    lines,
    total_vnd: 100_000,
    at: new Date().toISOString(),
    ...patch,
  });
const processed = async (event: TuoiCloudEvent) => {
  const res = await catalog.deliver(event);
  expect(res.status).toBe(204);
  return res.headers.get('x-tuoi-delivery');
};
/** units_sold_7d per SKU as the product export shows it (every product, sold or not). */
async function unitsSold(): Promise<Record<string, number>> {
  const res = await catalog.call('GET', '/products/export?limit=100', { staff: true });
  const body = (await res.json()) as { items: { product: { sku: string }; units_sold_7d: number }[] };
  return Object.fromEntries(body.items.map((i) => [i.product.sku, i.units_sold_7d]));
}
/** The popular list of one category, as customers get it. */
async function popular(category = 'sua-tuoi'): Promise<[string, number][]> {
  const res = await catalog.call('GET', `/products/popular?category=${category}&limit=50`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { sku: string; units_sold_7d: number }[] };
  return body.items.map((i) => [i.sku, i.units_sold_7d]);
}
const salesRows = async () =>
  (
    await db.pool.query<{ sku: string; day: string; source: string; units: number }>(
      `SELECT sku, day::text, source, units FROM catalog.sales_daily ORDER BY sku, day, source`,
    )
  ).rows;

describe('order.completed → popularity', () => {
  it("adds an order's units to each SKU's popularity at the refresh, not before", async () => {
    expect(
      await processed(
        completed([
          { sku: 'TU-610001', qty: 3 },
          { sku: 'TU-610002', qty: 1 },
        ]),
      ),
    ).toBe('processed');
    expect(await popular()).toEqual([]);
    await projections.refreshPopularity(db.pool);
    expect(await popular()).toEqual([
      ['TU-610001', 3],
      ['TU-610002', 1],
    ]);
    await processed(completed([{ sku: 'TU-610002', qty: 4 }]));
    await projections.refreshPopularity(db.pool);
    expect(await popular()).toEqual([
      ['TU-610002', 5],
      ['TU-610001', 3],
    ]);
    expect(await salesRows()).toEqual([
      { sku: 'TU-610001', day: shopDay(new Date()), source: 'order', units: 3 },
      { sku: 'TU-610002', day: shopDay(new Date()), source: 'order', units: 5 },
    ]);
  });

  it('counts the same event delivered twice once, and a re-emitted completion (new event id) once', async () => {
    const event = completed([{ sku: 'TU-610003', qty: 2 }]);
    expect(await processed(event)).toBe('processed');
    expect(await processed(event)).toBe('duplicate');
    // The order function emitted the completion again (a new event id, the same order).
    expect(await processed({ ...event, id: randomUUID() })).toBe('processed');
    // And concurrently, several copies at once.
    await Promise.all([1, 2, 3].map(() => processed({ ...event, id: randomUUID() })));
    await projections.refreshPopularity(db.pool);
    expect((await unitsSold())['TU-610003']).toBe(2);
    expect(await popular()).toEqual([['TU-610003', 2]]);
  });

  it('ranks popular (and sort=popular) by the units of completed orders', async () => {
    await Promise.all([
      processed(
        completed([
          { sku: 'TU-610001', qty: 1 },
          { sku: 'TU-610004', qty: 2 },
        ]),
      ),
      processed(
        completed([
          { sku: 'TU-610004', qty: 2 },
          { sku: 'TU-610003', qty: 3 },
        ]),
      ),
      processed(
        completed([
          { sku: 'TU-610003', qty: 1 },
          { sku: 'TU-610001', qty: 1 },
        ]),
      ),
      processed(completed([{ sku: 'TU-610004', qty: 1 }])),
    ]);
    await projections.refreshPopularity(db.pool);
    // 610004: 5, 610003: 4, 610001: 2, 610002: none (not listed as popular).
    expect(await popular()).toEqual([
      ['TU-610004', 5],
      ['TU-610003', 4],
      ['TU-610001', 2],
    ]);
    const res = await catalog.call('GET', '/products?category=sua-tuoi&sort=popular&limit=10');
    const listed = ((await res.json()) as { items: { sku: string }[] }).items.map((i) => i.sku);
    expect(listed).toEqual(['TU-610004', 'TU-610003', 'TU-610001', 'TU-610002']);
    const all = (await (await catalog.call('GET', '/products/popular')).json()) as {
      categories: { id: string; items: { sku: string }[] }[];
    };
    expect(all.categories.find((c) => c.id === 'sua-trung')?.items.map((i) => i.sku)).toEqual([
      'TU-610004',
      'TU-610003',
      'TU-610001',
    ]);
  });

  it('sums lines of one SKU in an order and counts a line sold by weight as one unit', async () => {
    await processed(
      completed([
        { sku: 'TU-610001', qty: 2 },
        { sku: PORK, qty: 1, grams: 540 },
        { sku: 'TU-610001', qty: 1 },
        { sku: PORK, qty: 1, grams: 480 },
      ]),
    );
    await projections.refreshPopularity(db.pool);
    expect(await unitsSold()).toMatchObject({ 'TU-610001': 3, [PORK]: 2 });
    expect(await popular('thit-heo')).toEqual([[PORK, 2]]);
  });

  it('dates sales on the shop day the order completed: older than the window does not count', async () => {
    await processed(completed([{ sku: 'TU-610001', qty: 7 }], { at: daysAgo(8) }));
    await processed(completed([{ sku: 'TU-610002', qty: 1 }], { at: daysAgo(5) }));
    await projections.refreshPopularity(db.pool);
    expect(await popular()).toEqual([['TU-610002', 1]]);
    expect((await salesRows()).map((r) => [r.sku, r.day])).toEqual([
      ['TU-610001', shopDay(new Date(daysAgo(8)))],
      ['TU-610002', shopDay(new Date(daysAgo(5)))],
    ]);
  });

  it('records sales of a SKU the catalog does not have; the product counts them once created', async () => {
    await processed(completed([{ sku: 'TU-610999', qty: 4 }]));
    expect(
      (await catalog.call('POST', '/products', { json: productBody('TU-610999'), staff: true })).status,
    ).toBe(201);
    await projections.refreshPopularity(db.pool);
    expect(await popular()).toEqual([['TU-610999', 4]]);
    await catalog.call('DELETE', '/products/TU-610999', { staff: true });
  });

  it('the contract fixture is accepted and an order without lines is rejected (400, nothing recorded)', async () => {
    const dir = join(__dirname, '../../events/fixtures/io.tuoi.order.completed.v1');
    const read = (path: string) => JSON.parse(readFileSync(join(dir, path), 'utf8')) as TuoiCloudEvent;
    const valid = read('valid/delivered.json');
    expect(await processed({ ...valid, id: randomUUID() })).toBe('processed');
    const invalid = read('invalid/no-lines.json');
    expect((await catalog.deliver({ ...invalid, id: randomUUID() })).status).toBe(400);
    expect((await salesRows()).map((r) => [r.sku, r.units, r.source])).toEqual([
      ['SUA-THMILK-1L', 2, 'order'],
      ['THIT-BA-CHI', 1, 'order'],
    ]);
  });
});

describe('synthetic (seed) sales beside real ones', () => {
  it('keeps seed and order sales apart by source and counts both', async () => {
    const today = shopDay(new Date());
    await projections.addSeedSales(db.pool, [{ sku: 'TU-610002', day: today, units: 3 }]);
    await processed(completed([{ sku: 'TU-610001', qty: 2 }]));
    await processed(completed([{ sku: 'TU-610002', qty: 1 }]));
    await projections.refreshPopularity(db.pool);
    expect(await salesRows()).toEqual([
      { sku: 'TU-610001', day: today, source: 'order', units: 2 },
      { sku: 'TU-610002', day: today, source: 'order', units: 1 },
      { sku: 'TU-610002', day: today, source: 'seed', units: 3 },
    ]);
    expect(await popular()).toEqual([
      ['TU-610002', 4],
      ['TU-610001', 2],
    ]);
  });
});

describe('the daily refresh', () => {
  it("counts orders on the day's first request and forgets order ids older than the kept days", async () => {
    const old = completed([{ sku: 'TU-610003', qty: 9 }], { at: daysAgo(ORDER_SALES_KEPT_DAYS + 2) });
    await processed(old);
    await processed(completed([{ sku: 'TU-610004', qty: 6 }]));
    await db.pool.query(`DELETE FROM catalog.daily_refresh`);
    const nextDay = await startCatalog(db.url);
    try {
      await nextDay.call('GET', '/products?limit=1');
      for (let i = 0; i < 50 && (await popular()).length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await popular()).toEqual([['TU-610004', 6]]);
      const { rows } = await db.pool.query(`SELECT order_id FROM catalog.order_sales ORDER BY order_id`);
      expect(rows).toHaveLength(1);
      // The old order's day total stays; a redelivery that late only adds to a day long gone.
      expect((await salesRows()).find((r) => r.sku === 'TU-610003')?.units).toBe(9);
    } finally {
      await nextDay.close();
    }
  });
});

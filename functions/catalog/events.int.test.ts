/**
 * The catalog's CloudEvent consumer against real PostgreSQL: inventory's stock events drive the
 * in_stock / expires_soon flags and filters without touching product versions; redeliveries,
 * reordering and concurrent events converge; poison is rejected.
 */
import { randomUUID } from 'node:crypto';
import { stockChanged, stockExpiring, type DataOf } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { shopDay } from './daily';
import { addTestCategories, counts, productBody, startCatalog, type RunningCatalog } from './testing';

let db: TestDatabase;
let catalog: RunningCatalog;
beforeAll(async () => {
  db = await freshDatabase();
  await addTestCategories(db.pool);
  catalog = await startCatalog(db.url);
  for (const sku of ['TU-500001', 'TU-500002', 'TU-500003'])
    expect((await catalog.call('POST', '/products', { json: productBody(sku), staff: true })).status).toBe(
      201,
    );
});
afterAll(async () => {
  await catalog.close();
  await db.drop();
});

const at = () => new Date().toISOString();
const stock = (
  data: Partial<DataOf<typeof stockChanged>> & { sku: string; available: number; sequence: number },
) => buildEvent(stockChanged, { location: 'kho-q1', on_hand: data.available, held: 0, at: at(), ...data });
const day = (ahead: number) =>
  new Date(Date.parse(shopDay(new Date())) + ahead * 86_400_000).toISOString().slice(0, 10);
const lot = (
  data: Partial<DataOf<typeof stockExpiring>> & { sku: string; quantity: number; expires_on: string },
) => buildEvent(stockExpiring, { location: 'kho-q1', lot_id: 'L1', at: at(), ...data });

async function flags(sku: string) {
  const res = await catalog.call('GET', `/products/${sku}`);
  const body = (await res.json()) as { in_stock: boolean; expires_soon: boolean; version: number };
  return {
    in_stock: body.in_stock,
    expires_soon: body.expires_soon,
    version: body.version,
    etag: res.headers.get('etag'),
  };
}
const listed = async (query: string) =>
  (
    (await (await catalog.call('GET', `/products?${query}&limit=100`)).json()) as { items: { sku: string }[] }
  ).items.map((i) => i.sku);

describe('stock.changed → in_stock', () => {
  it('flips in_stock with the availability over all locations, never the version, never an event', async () => {
    const before = await counts(db.pool);
    expect((await catalog.deliver(stock({ sku: 'TU-500001', available: 0, sequence: 1 }))).status).toBe(204);
    expect(await flags('TU-500001')).toMatchObject({
      in_stock: false,
      version: 1,
      etag: '"TU-500001-1-en-s0e0"',
    });
    expect(await listed('in_stock=false')).toEqual(['TU-500001']);
    expect(await listed('in_stock=true')).not.toContain('TU-500001');
    await catalog.deliver(stock({ sku: 'TU-500001', location: 'kho-q7', available: 3, sequence: 1 }));
    expect(await flags('TU-500001')).toMatchObject({ in_stock: true });
    await catalog.deliver(stock({ sku: 'TU-500001', location: 'kho-q7', available: 0, sequence: 2 }));
    expect(await flags('TU-500001')).toMatchObject({ in_stock: false });
    expect(await counts(db.pool)).toEqual(before);
  });

  it('ignores an older sequence (a late redelivery) and applies a duplicate once', async () => {
    const stale = stock({ sku: 'TU-500001', location: 'kho-q7', available: 9, sequence: 1 });
    expect((await catalog.deliver(stale)).status).toBe(204);
    expect(await flags('TU-500001')).toMatchObject({ in_stock: false });
    const fresh = stock({ sku: 'TU-500001', location: 'kho-q7', available: 4, sequence: 3 });
    expect((await catalog.deliver(fresh)).headers.get('x-tuoi-delivery')).toBe('processed');
    expect((await catalog.deliver(fresh)).headers.get('x-tuoi-delivery')).toBe('duplicate');
    expect(await flags('TU-500001')).toMatchObject({ in_stock: true, version: 1 });
  });

  it('concurrent events for one SKU at different locations converge (per-SKU lock)', async () => {
    for (let round = 1; round <= 5; round++) {
      const seq = round * 2;
      await Promise.all(
        ['a', 'b', 'c'].map((loc) =>
          catalog.deliver(stock({ sku: 'TU-500002', location: `kho-${loc}`, available: 5, sequence: seq })),
        ),
      );
      expect((await flags('TU-500002')).in_stock).toBe(true);
      await Promise.all(
        ['a', 'b', 'c'].map((loc) =>
          catalog.deliver(
            stock({ sku: 'TU-500002', location: `kho-${loc}`, available: 0, sequence: seq + 1 }),
          ),
        ),
      );
      expect((await flags('TU-500002')).in_stock).toBe(false);
    }
  });

  it('remembers stock of a SKU the catalog does not have yet; the product starts with it', async () => {
    await catalog.deliver(stock({ sku: 'TU-500099', available: 0, sequence: 1 }));
    expect(
      (await catalog.call('POST', '/products', { json: productBody('TU-500099'), staff: true })).status,
    ).toBe(201);
    expect(await flags('TU-500099')).toMatchObject({ in_stock: false, version: 1 });
  });
});

describe('stock.expiring → expires_soon', () => {
  it('a lot with stock expiring within 3 days sets it; quantity 0 withdraws it', async () => {
    await catalog.deliver(lot({ sku: 'TU-500003', quantity: 5, expires_on: day(10), lot_id: 'far' }));
    expect(await flags('TU-500003')).toMatchObject({ expires_soon: false });
    const first = lot({ sku: 'TU-500003', quantity: 5, expires_on: day(2) });
    await catalog.deliver(first);
    expect(await flags('TU-500003')).toMatchObject({
      expires_soon: true,
      version: 1,
      etag: '"TU-500003-1-en-s1e1"',
    });
    expect(await listed('expires_soon=true')).toEqual(['TU-500003']);
    expect(await listed('expires_soon=true&in_stock=true&category=sua-trung')).toEqual(['TU-500003']);
    // A notice older than the one applied changes nothing; the latest one wins.
    const withdrawn = lot({ sku: 'TU-500003', quantity: 0, expires_on: day(2) });
    await catalog.deliver(withdrawn);
    expect(await flags('TU-500003')).toMatchObject({ expires_soon: false });
    await catalog.deliver({ ...first, id: randomUUID(), time: first.time });
    expect(await flags('TU-500003')).toMatchObject({ expires_soon: false });
  });

  it('an expired lot does not count; the daily refresh moves lots into the window as days pass', async () => {
    await catalog.deliver(lot({ sku: 'TU-500002', quantity: 5, expires_on: day(-1), lot_id: 'old' }));
    await catalog.deliver(lot({ sku: 'TU-500002', quantity: 5, expires_on: day(5), lot_id: 'later' }));
    expect(await flags('TU-500002')).toMatchObject({ expires_soon: false });
    // Two days pass for lot "later": it is now 3 days from expiry. The first request of the new day,
    // on an instance that has not refreshed today, claims and runs the refresh in the background.
    await db.pool.query(`UPDATE catalog.expiring_lots SET expires_on = $1 WHERE lot_id = 'later'`, [day(3)]);
    await db.pool.query(`DELETE FROM catalog.daily_refresh`);
    const nextDay = await startCatalog(db.url);
    try {
      await nextDay.call('GET', '/products?limit=1');
      for (let i = 0; i < 50 && !(await listed('expires_soon=true')).includes('TU-500002'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await listed('expires_soon=true')).toContain('TU-500002');
      const view = (await (await nextDay.call('GET', '/products/TU-500002')).json()) as { version: number };
      expect(view).toMatchObject({ expires_soon: true, version: 1 });
      const { rows } = await db.pool.query(`SELECT done_on::text FROM catalog.daily_refresh`);
      expect(rows).toEqual([{ done_on: shopDay(new Date()) }]);
    } finally {
      await nextDay.close();
    }
  });
});

describe('poison events', () => {
  it.each([
    ['a negative availability', { available: -1 }],
    ['a bad SKU', { sku: "'; DROP TABLE catalog.products; --" }],
    ['a missing sequence', { sequence: undefined }],
  ])('rejects %s with 400 and changes nothing', async (_name, patch) => {
    const event = stock({ sku: 'TU-500001', available: 1, sequence: 100 });
    const data = { ...event.data, ...patch } as Record<string, unknown>;
    for (const k of Object.keys(data)) if (data[k] === undefined) delete data[k];
    const before = await db.pool.query(`SELECT * FROM catalog.stock_levels ORDER BY sku, location`);
    const res = await catalog.deliver({ ...event, data });
    expect(res.status).toBe(400);
    expect((await db.pool.query(`SELECT * FROM catalog.stock_levels ORDER BY sku, location`)).rows).toEqual(
      before.rows,
    );
  });

  it('rejects an event type it does not subscribe to', async () => {
    const res = await catalog.deliver({
      ...stock({ sku: 'TU-500001', available: 1, sequence: 1 }),
      type: 'io.tuoi.platform.pulse.v1',
      data: { pulse_id: randomUUID(), emitted_at: at() },
    });
    expect(res.status).toBe(400);
  });
});

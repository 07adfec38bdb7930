/** The dev seed: the projection from the generated catalog, demo promotions announced, idempotent. */
import { seedData } from '../../scripts/seed/data';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { DEV_PROMOTIONS, seed } from './seed';
import { outboxEvents, startPromotions } from './testing-http';

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 4 });
});
afterAll(async () => {
  await db?.drop();
});

it('loads the products, writes and announces the demo promotions once, and they price', async () => {
  const data = seedData({ count: 2_000 });
  expect(await seed(db.pool, data)).toBe(
    `2000 products priced, ${DEV_PROMOTIONS.length} promotions, 2 coupon codes`,
  );
  expect(await seed(db.pool, data)).toMatch(/nothing seeded/);
  const activated = (await outboxEvents(db.pool)).filter((e) => e.type.endsWith('promotion.activated.v1'));
  expect(activated.map((e) => (e.data as { id: string }).id).sort()).toEqual(
    DEV_PROMOTIONS.map((p) => p.def.id).sort(),
  );

  const greens = data.products.find(
    (p) => p.category === 'rau-la' && p.sold_by === 'piece' && p.status === 'active',
  )!;
  const fn = await startPromotions(db.url);
  try {
    const res = await fn.call('POST', '/pricing/quote', {
      json: { lines: [{ sku: greens.sku, qty: 1 }] },
      as: 'anonymous',
    });
    const body = (await res.json()) as {
      lines: { adjustments: { promotion_id: string }[]; vat_rate: string }[];
    };
    expect(res.status).toBe(200);
    expect(body.lines[0]!.adjustments.map((a) => a.promotion_id)).toEqual(['rau-la-giam-20']);
    expect(body.lines[0]!.vat_rate).toBe(greens.tax_category === 'VAT5' ? '5%' : '8%');
  } finally {
    await fn.close();
  }
});

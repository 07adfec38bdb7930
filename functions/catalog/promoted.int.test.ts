/**
 * `GET /products/promoted` against real PostgreSQL, fed by signed promotion CloudEvents: live,
 * automatic promotions on SKUs, categories (descendants included) and brands list their live
 * products with badges, most recently started first; announcements are version-guarded, ends leave
 * tombstones, schedules are applied by the clock, duplicates change nothing, and a `promoted` tag
 * alone promotes nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  promotionActivated,
  promotionChanged,
  promotionEnded,
  type DataOf,
  type PromotionAnnouncement,
} from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addTestCategories, productBody, startCatalog, weightedBody, type RunningCatalog } from './testing';
import type { PromotedCard } from './views';

let db: TestDatabase;
let catalog: RunningCatalog;
beforeAll(async () => {
  db = await freshDatabase();
  await addTestCategories(db.pool);
  catalog = await startCatalog(db.url);
  const products = [
    productBody('TU-700001', { category: 'rau-la', brand: 'Đà Lạt GAP' }),
    productBody('TU-700002', { category: 'cu', brand: 'Đà Lạt GAP' }),
    productBody('TU-700003', { category: 'trai-cay', brand: 'Cát Chu' }),
    productBody('TU-700004', { name_en: 'Fresh milk', name_vi: 'Sữa tươi' }),
    productBody('TU-700005', { category: 'trung', brand: 'Ba Huân' }),
    weightedBody('TU-700006', { brand: 'CP' }),
    productBody('TU-700007', { category: 'rau-la', brand: 'Đà Lạt GAP', status: 'draft' }),
    productBody('TU-700008', { tags: ['promoted'] }),
    productBody('TU-700009'),
  ];
  for (const json of products)
    expect((await catalog.call('POST', '/products', { json, staff: true })).status).toBe(201);
  expect((await catalog.call('DELETE', '/products/TU-700009', { staff: true })).status).toBe(204);
});
afterAll(async () => {
  await catalog.close();
  await db.drop();
});

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An announcement of promotion `id`; override what the test is about. */
const announcement = (id: string, over: Partial<PromotionAnnouncement> = {}): PromotionAnnouncement => ({
  id,
  name_en: `Promotion ${id}`,
  name_vi: `Khuyến mãi ${id}`,
  label_en: `${id} off`,
  label_vi: `Giảm ${id}`,
  kind: 'percentage',
  coupon: false,
  target: { kind: 'skus', skus: ['TU-700004'] },
  starts_at: ago(60),
  ends_at: null,
  version: 1,
  at: new Date().toISOString(),
  ...over,
});
const activated = (id: string, over: Partial<PromotionAnnouncement> = {}) =>
  buildEvent(promotionActivated, announcement(id, over));
const changed = (id: string, over: Partial<PromotionAnnouncement> = {}) =>
  buildEvent(promotionChanged, announcement(id, over));
const ended = (id: string, version: number, reason: DataOf<typeof promotionEnded>['reason'] = 'ended') =>
  buildEvent(promotionEnded, { id, reason, version, at: new Date().toISOString() });

async function deliver(...events: Parameters<RunningCatalog['deliver']>[0][]): Promise<void> {
  for (const event of events) expect((await catalog.deliver(event)).status).toBe(204);
}

async function promoted(query = ''): Promise<{ res: Response; items: PromotedCard[] }> {
  const res = await catalog.call('GET', `/products/promoted${query}`);
  expect(res.status).toBe(200);
  return { res, items: ((await res.json()) as { items: PromotedCard[] }).items };
}
/** The list as [sku, badge ids]. */
const shown = async () => (await promoted()).items.map((c) => [c.sku, c.promotions.map((p) => p.id)]);

/**
 * Ends every promotion the projection holds that is not a tombstone, so each test starts empty
 * (and cannot announce an id an earlier test used at a version at or below its tombstone).
 */
async function endAll(): Promise<void> {
  const { rows } = await db.pool.query<{ id: string; version: number }>(
    `SELECT id, version FROM catalog.promotions WHERE NOT ended`,
  );
  for (const r of rows) await deliver(ended(r.id, r.version + 1));
}
beforeEach(endAll);

describe('what is shown', () => {
  it('a promoted tag alone shows nothing, nor do coupon, order and delivery promotions', async () => {
    await deliver(
      activated('coupon-milk', { coupon: true }),
      activated('order-500k', { kind: 'amount_off', target: { kind: 'order' } }),
      activated('free-ship', { kind: 'delivery', target: { kind: 'delivery' } }),
    );
    expect(await shown()).toEqual([]);
  });

  it('SKUs, categories with their descendants and brands whatever their case and accents; live products only', async () => {
    await deliver(
      activated('sku-milk', { target: { kind: 'skus', skus: ['TU-700004', 'TU-700007', 'TU-700009'] } }),
    );
    expect(await shown()).toEqual([['TU-700004', ['sku-milk']]]);
    await deliver(
      activated('veg', { starts_at: ago(30), target: { kind: 'categories', categories: ['rau-cu'] } }),
    );
    expect(await shown()).toEqual([
      ['TU-700001', ['veg']],
      ['TU-700002', ['veg']],
      ['TU-700004', ['sku-milk']],
    ]);
    // A brand promotion started later comes first, and first among its products' badges.
    await deliver(
      activated('dalat', {
        starts_at: ago(10),
        target: { kind: 'brands', brands: ['ĐÀ LẠT gap', 'Ba huân'] },
      }),
    );
    expect(await shown()).toEqual([
      ['TU-700001', ['dalat', 'veg']],
      ['TU-700002', ['dalat', 'veg']],
      ['TU-700005', ['dalat']],
      ['TU-700004', ['sku-milk']],
    ]);
  });

  it('keeps the card shape, adds localised badges, takes limit and lang, and tags the body', async () => {
    await deliver(
      activated('milk-20', {
        label_en: '20% off',
        label_vi: 'Giảm 20%',
        target: { kind: 'skus', skus: ['TU-700004', 'TU-700006'] },
      }),
    );
    const { res, items } = await promoted('?lang=vi&limit=1');
    expect(items).toEqual([
      {
        sku: 'TU-700004',
        name: 'Sữa tươi',
        name_en: 'Fresh milk',
        name_vi: 'Sữa tươi',
        brand: 'Vinamilk',
        category: { id: 'sua-tuoi', name: 'Sữa tươi' },
        price_vnd: 35_000,
        price_per_kg_vnd: null,
        unit: 'ml',
        size: 1000,
        sold_by: 'piece',
        image_url: 'https://img.tuoi.vn/tu-700004.jpg',
        dietary: ['vegetarian'],
        in_stock: true,
        expires_soon: false,
        promotions: [
          {
            id: 'milk-20',
            label: 'Giảm 20%',
            label_en: '20% off',
            label_vi: 'Giảm 20%',
            kind: 'percentage',
          },
        ],
      },
    ]);
    expect(res.headers.get('cache-control')).toBe('public, max-age=15');
    const again = await catalog.call('GET', '/products/promoted?lang=vi&limit=1', {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await promoted()).items.map((c) => c.promotions[0]!.label)).toEqual(['20% off', '20% off']);
    for (const query of ['?limit=0', '?limit=101', '?colour=red', '?lang=fr'])
      expect((await catalog.call('GET', `/products/promoted${query}`)).status).toBe(400);
  });
});

describe('version guard, tombstones and duplicates', () => {
  it('a change replaces the promotion and reorders the list; a lower version and a duplicate change nothing', async () => {
    await deliver(
      activated('milk', { starts_at: ago(60), version: 2 }),
      activated('fruit', { starts_at: ago(30), target: { kind: 'skus', skus: ['TU-700003'] } }),
    );
    expect(await shown()).toEqual([
      ['TU-700003', ['fruit']],
      ['TU-700004', ['milk']],
    ]);
    // Restarted more recently and aimed at another SKU: it moves first.
    const v3 = changed('milk', {
      starts_at: ago(5),
      version: 3,
      target: { kind: 'skus', skus: ['TU-700006'] },
    });
    await deliver(v3);
    expect(await shown()).toEqual([
      ['TU-700006', ['milk']],
      ['TU-700003', ['fruit']],
    ]);
    // A late, lower version (and the activation it overtook) are ignored.
    await deliver(changed('milk', { version: 2, target: { kind: 'skus', skus: ['TU-700001'] } }));
    await deliver(activated('milk', { version: 1 }));
    const res = await catalog.deliver(v3);
    expect(res.headers.get('x-tuoi-delivery')).toBe('duplicate');
    // Redelivered under a new id, the same version is still not above the stored one.
    await deliver({ ...v3, id: randomUUID(), data: { ...v3.data, label_en: 'other' } });
    expect(await shown()).toEqual([
      ['TU-700006', ['milk']],
      ['TU-700003', ['fruit']],
    ]);
    expect((await promoted()).items[0]!.promotions[0]!.label_en).toBe('milk off');
  });

  it('concurrent announcements of one promotion converge on the highest version', async () => {
    const versions = [4, 1, 5, 3, 2];
    const skus = ['TU-700001', 'TU-700002', 'TU-700003', 'TU-700005', 'TU-700006'];
    await Promise.all(
      versions.map((v) =>
        catalog.deliver(changed('race', { version: v, target: { kind: 'skus', skus: [skus[v - 1]!] } })),
      ),
    );
    expect(await shown()).toEqual([['TU-700006', ['race']]]);
  });

  it('an end removes it; a late activation cannot bring it back; a later version does', async () => {
    await deliver(
      activated('pause-me', { version: 1, target: { kind: 'categories', categories: ['sua-trung'] } }),
    );
    expect(await shown()).toEqual([
      ['TU-700004', ['pause-me']],
      ['TU-700005', ['pause-me']],
      ['TU-700008', ['pause-me']],
    ]);
    await deliver(ended('pause-me', 2, 'paused'));
    expect(await shown()).toEqual([]);
    await deliver(activated('pause-me', { version: 1 }), changed('pause-me', { version: 2 }));
    expect(await shown()).toEqual([]);
    await deliver(ended('pause-me', 2, 'paused')); // a repeated end is harmless
    await deliver(activated('pause-me', { version: 3 }));
    expect(await shown()).toEqual([['TU-700004', ['pause-me']]]);
  });

  it('an end that arrives before its activation leaves a tombstone', async () => {
    await deliver(ended('early-end', 4, 'deleted'));
    await deliver(activated('early-end', { version: 3 }), activated('early-end', { version: 4 }));
    expect(await shown()).toEqual([]);
    const { rows } = await db.pool.query(
      `SELECT version, ended FROM catalog.promotions WHERE id = 'early-end'`,
    );
    expect(rows).toEqual([{ version: 4, ended: true }]);
  });

  it('refuses a poison announcement with 400 and keeps the projection as it was', async () => {
    const event = activated('poison');
    const before = await db.pool.query(`SELECT * FROM catalog.promotions ORDER BY id`);
    const res = await catalog.deliver({ ...event, data: { ...event.data, kind: 'free-beer' } });
    expect(res.status).toBe(400);
    expect((await db.pool.query(`SELECT * FROM catalog.promotions ORDER BY id`)).rows).toEqual(before.rows);
  });
});

describe('by the clock', () => {
  it('a promotion past its end is gone, and one not yet started appears, without any event', async () => {
    await deliver(
      activated('ending', {
        starts_at: ago(10),
        ends_at: ahead(1_500),
        target: { kind: 'skus', skus: ['TU-700006'] },
      }),
      activated('starting', { starts_at: ahead(1_500), target: { kind: 'skus', skus: ['TU-700005'] } }),
      activated('over', {
        starts_at: ago(120),
        ends_at: ago(60),
        target: { kind: 'skus', skus: ['TU-700003'] },
      }),
    );
    expect(await shown()).toEqual([['TU-700006', ['ending']]]);
    await sleep(1_700);
    expect(await shown()).toEqual([['TU-700005', ['starting']]]);
  });
});

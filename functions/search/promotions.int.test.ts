/**
 * Promotions in search, end to end on each engine: signed promotion events (activated, changed,
 * ended — duplicated and out of order) mark products by SKU, category and brand; result cards
 * carry the live promotions' bilingual labels and `on_promotion` filters on them, following
 * schedules without waiting for an event; a product indexed after a promotion still gets it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { productUpdated, type ProductSnapshot, type TuoiCloudEvent } from '../../events';
import { createElasticsearch } from '../shared/clients/elasticsearch';
import { serviceEnv } from '../shared/clients/testing/service-env';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import {
  announcedEvent,
  announcement,
  createdEvent,
  deliver,
  endedEvent,
  product,
  startSearch,
} from './testing';

const ES_URL = serviceEnv('ELASTICSEARCH_URL');
const dairy = (leaf: string) => [
  { id: 'sua', name_en: 'Dairy', name_vi: 'Sữa' },
  { id: leaf, name_en: leaf, name_vi: leaf },
];
const fixtures: ProductSnapshot[] = [
  product({ sku: 'TU-000001', name_en: 'Fresh milk', brand: 'Vinamilk', category_path: dairy('sua-tuoi') }),
  product({ sku: 'TU-000002', name_en: 'Yogurt', brand: 'TH true MILK', category_path: dairy('sua-chua') }),
  product({
    sku: 'TU-000003',
    name_en: 'Minced beef',
    brand: 'Vissan',
    category_path: [
      { id: 'thit', name_en: 'Meat', name_vi: 'Thịt' },
      { id: 'thit-bo', name_en: 'Beef', name_vi: 'Thịt bò' },
    ],
  }),
  product({
    sku: 'TU-000004',
    name_en: 'Silken tofu',
    brand: 'Tươi Farm',
    category_path: [{ id: 'chay', name_en: 'Vegetarian', name_vi: 'Đồ chay' }],
  }),
];

interface Card {
  sku: string;
  badges: string[];
  on_promotion: boolean;
  promotions: { id: string; label: string; label_en: string; label_vi: string; kind: string }[];
}
interface Body {
  total: number;
  hits: Card[];
}

describe.each(['postgres', 'elasticsearch'] as const)('promotions in search on %s', (engine) => {
  let db: TestDatabase;
  let search: Awaited<ReturnType<typeof startSearch>>;
  const alias = `t-${randomBytes(4).toString('hex')}-products`;
  const env = { SEARCH_ENGINE: engine, ELASTICSEARCH_URL: ES_URL, SEARCH_INDEX_ALIAS: alias };

  const refresh = async () => {
    if (engine !== 'elasticsearch') return;
    const es = createElasticsearch({ url: ES_URL });
    await es.indices.refresh({ index: alias });
    await es.close();
  };
  /** Delivers events in order (each must be accepted), then makes them visible to searches. */
  const send = async (...events: TuoiCloudEvent[]) => {
    for (const e of events) expect((await deliver(search.base, e)).status).toBe(204);
    await refresh();
  };
  const get = async (query: string): Promise<Body> => {
    const res = await fetch(`${search.base}/search?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Body;
  };
  const skus = (b: Body) => b.hits.map((h) => h.sku).sort();
  /** The promotion ids on each product's card (browsing everything). */
  const promotionsBySku = async (lang = 'en'): Promise<Record<string, string[]>> => {
    const body = await get(`limit=50&lang=${lang}`);
    return Object.fromEntries(body.hits.map((h) => [h.sku, h.promotions.map((p) => p.id)]));
  };
  const card = async (sku: string, lang = 'en') =>
    (await get(`q=${sku}&lang=${lang}`)).hits.find((h) => h.sku === sku)!;
  const onPromotion = async (extra = '') => skus(await get(`on_promotion=true&limit=50${extra}`));
  const until = async (check: () => Promise<boolean>, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    db = await freshDatabase();
    search = await startSearch(db.url, env);
    await send(...fixtures.map(createdEvent));
  });

  afterAll(async () => {
    await search.close();
    await db.drop();
    if (engine === 'elasticsearch') {
      const es = createElasticsearch({ url: ES_URL });
      await es.indices.delete({ index: `${alias}-*`, ignore_unavailable: true, allow_no_indices: true });
      await es.close();
    }
  });

  it('marks the products a SKU, category or brand target covers; coupons and order targets mark none', async () => {
    await send(
      announcedEvent(
        announcement({ id: 'beef-deal', version: 1, target: { kind: 'skus', skus: ['TU-000003'] } }),
      ),
      announcedEvent(
        announcement({
          id: 'dairy-week',
          version: 1,
          label_en: '20% off',
          label_vi: 'Giảm 20%',
          target: { kind: 'categories', categories: ['sua'] }, // the root: its descendants match
        }),
      ),
      announcedEvent(
        announcement({
          id: 'vinamilk-fest',
          version: 1,
          kind: 'buy_x_get_y',
          label_en: 'Buy 2 get 1',
          label_vi: 'Mua 2 tặng 1',
          target: { kind: 'brands', brands: ['VINAMILK'] },
        }),
      ),
      announcedEvent(
        announcement({
          id: 'tofu-coupon',
          version: 1,
          coupon: true,
          target: { kind: 'skus', skus: ['TU-000004'] },
        }),
      ),
      announcedEvent(
        announcement({ id: 'big-basket', version: 1, kind: 'amount_off', target: { kind: 'order' } }),
      ),
    );
    expect(await promotionsBySku()).toEqual({
      'TU-000001': ['dairy-week', 'vinamilk-fest'],
      'TU-000002': ['dairy-week'],
      'TU-000003': ['beef-deal'],
      'TU-000004': [],
    });
    expect(await onPromotion()).toEqual(['TU-000001', 'TU-000002', 'TU-000003']);
    expect(skus(await get('on_promotion=false'))).toEqual(['TU-000004']);
    expect(await onPromotion('&category=sua-tuoi')).toEqual(['TU-000001']);
    expect(skus(await get('q=yogurt&on_promotion=true'))).toEqual(['TU-000002']);

    const vi = await card('TU-000001', 'vi');
    expect(vi.on_promotion).toBe(true);
    expect(vi.badges).toContain('promoted');
    expect(vi.promotions).toEqual([
      expect.objectContaining({
        id: 'dairy-week',
        label: 'Giảm 20%',
        label_en: '20% off',
        kind: 'percentage',
      }),
      expect.objectContaining({ id: 'vinamilk-fest', label: 'Mua 2 tặng 1', label_en: 'Buy 2 get 1' }),
    ]);
    expect((await card('TU-000001', 'en')).promotions[1]?.label).toBe('Buy 2 get 1');
    const tofu = await card('TU-000004');
    expect(tofu).toMatchObject({ on_promotion: false, promotions: [] });
    expect(tofu.badges).not.toContain('promoted');
  });

  it('follows a change of labels and target, ignoring late and repeated deliveries', async () => {
    const changed = announcedEvent(
      announcement({
        id: 'dairy-week',
        version: 2,
        label_en: '25% off',
        label_vi: 'Giảm 25%',
        target: { kind: 'categories', categories: ['thit-bo'] },
      }),
      true,
    );
    await send(changed);
    expect(await promotionsBySku()).toMatchObject({
      'TU-000001': ['vinamilk-fest'],
      'TU-000002': [],
      'TU-000003': ['beef-deal', 'dairy-week'],
    });
    expect((await card('TU-000003', 'vi')).promotions[1]).toMatchObject({
      id: 'dairy-week',
      label: 'Giảm 25%',
    });

    // The same delivery twice, the same version under a new event id, and the old version late.
    expect((await deliver(search.base, changed)).headers.get('x-tuoi-delivery')).toBe('duplicate');
    await send(
      { ...changed, id: randomUUID() },
      announcedEvent(
        announcement({ id: 'dairy-week', version: 1, target: { kind: 'categories', categories: ['sua'] } }),
      ),
    );
    expect(await promotionsBySku()).toMatchObject({
      'TU-000001': ['vinamilk-fest'],
      'TU-000002': [],
      'TU-000003': ['beef-deal', 'dairy-week'],
    });
    expect((await card('TU-000003')).promotions[1]?.label_en).toBe('25% off');
    expect(await onPromotion()).toEqual(['TU-000001', 'TU-000003']);
  });

  it('drops a promotion on ended and never brings it back with a late announcement', async () => {
    const ended = endedEvent('beef-deal', 2, 'paused');
    await send(ended, endedEvent('vinamilk-fest', 1)); // an end at the announced version counts
    expect((await deliver(search.base, ended)).headers.get('x-tuoi-delivery')).toBe('duplicate');
    await send(
      announcedEvent(
        announcement({ id: 'beef-deal', version: 1, target: { kind: 'skus', skus: ['TU-000003'] } }),
      ),
      announcedEvent(
        announcement({ id: 'vinamilk-fest', version: 1, target: { kind: 'brands', brands: ['Vinamilk'] } }),
      ),
    );
    expect(await promotionsBySku()).toMatchObject({ 'TU-000001': [], 'TU-000003': ['dairy-week'] });
    expect(await onPromotion()).toEqual(['TU-000003']);

    // Out of order from the start: the end arrives before the activation it ends.
    await send(
      endedEvent('flash', 2),
      announcedEvent(
        announcement({ id: 'flash', version: 1, target: { kind: 'skus', skus: ['TU-000004'] } }),
      ),
    );
    expect((await card('TU-000004')).promotions).toEqual([]);
    // A later version (resumed after a pause) is live again.
    await send(
      announcedEvent(
        announcement({ id: 'flash', version: 3, target: { kind: 'skus', skus: ['TU-000004'] } }),
      ),
    );
    expect((await card('TU-000004')).promotions.map((p) => p.id)).toEqual(['flash']);

    await send(endedEvent('dairy-week', 9), endedEvent('flash', 3));
    expect(await onPromotion()).toEqual([]);
    expect(Object.values(await promotionsBySku()).flat()).toEqual([]);
  });

  it('gives a product indexed after the promotion its badge, and takes it away when it leaves the target', async () => {
    await send(
      announcedEvent(
        announcement({ id: 'greens', version: 1, target: { kind: 'categories', categories: ['rau-la'] } }),
      ),
    );
    const greens = product({
      sku: 'TU-000009',
      name_en: 'Water spinach',
      brand: 'Đà Lạt GAP',
      category_path: [
        { id: 'rau', name_en: 'Vegetables', name_vi: 'Rau' },
        { id: 'rau-la', name_en: 'Leafy greens', name_vi: 'Rau lá' },
      ],
    });
    await send(createdEvent(greens));
    expect((await card('TU-000009', 'vi')).promotions).toEqual([
      expect.objectContaining({ id: 'greens', label: 'Giảm 10%' }),
    ]);
    expect(await onPromotion()).toEqual(['TU-000009']);

    const moved = { ...greens, version: 2, category_path: fixtures[3]!.category_path };
    await send({ ...buildEvent(productUpdated, moved), id: randomUUID() });
    expect((await card('TU-000009')).promotions).toEqual([]);
    await send(createdEvent(greens)); // version 1, late: ignored
    expect((await card('TU-000009')).promotions).toEqual([]);
    expect(await onPromotion()).toEqual([]);
    await send(endedEvent('greens', 1));
  });

  it('converges when products and the promotion covering them arrive at the same time', async () => {
    const bakery = [{ id: 'banh', name_en: 'Bakery', name_vi: 'Bánh' }];
    const breads = Array.from({ length: 20 }, (_, i) =>
      product({ sku: `TU-0001${String(i).padStart(2, '0')}`, name_en: 'Bread', category_path: bakery }),
    );
    const deal = announcedEvent(
      announcement({ id: 'bakery-hour', version: 1, target: { kind: 'categories', categories: ['banh'] } }),
    );
    const events = [...breads.slice(0, 10).map(createdEvent), deal, ...breads.slice(10).map(createdEvent)];
    const answers = await Promise.all(events.map((e) => deliver(search.base, e)));
    expect(answers.map((r) => r.status)).toEqual(events.map(() => 204));
    await refresh();
    expect(await onPromotion()).toEqual(breads.map((b) => b.sku));
    await send(endedEvent('bakery-hour', 1));
    expect(await onPromotion()).toEqual([]);
  });

  it('shows a promotion only within its schedule, without waiting for an event', async () => {
    const now = Date.now();
    const target = { kind: 'skus' as const, skus: ['TU-000002'] };
    await send(
      announcedEvent(
        announcement({ id: 'later', version: 1, target, starts_at: new Date(now + 3_600_000).toISOString() }),
      ),
      announcedEvent(
        announcement({
          id: 'over',
          version: 1,
          target,
          starts_at: new Date(now - 7_200_000).toISOString(),
          ends_at: new Date(now - 3_600_000).toISOString(),
        }),
      ),
    );
    expect((await card('TU-000002')).promotions).toEqual([]);
    expect(await onPromotion()).toEqual([]);

    const endsAt = Date.now() + 3_000;
    await send(
      announcedEvent(
        announcement({
          id: 'brief',
          version: 1,
          target,
          starts_at: null,
          ends_at: new Date(endsAt).toISOString(),
        }),
      ),
    );
    expect((await card('TU-000002')).promotions.map((p) => p.id)).toEqual(['brief']);
    expect(await onPromotion()).toEqual(['TU-000002']);
    expect(await onPromotion()).toEqual(['TU-000002']); // served from the result cache, maybe
    // Past its end, with no ended event: gone from the cards and from the filter (cached or not).
    await new Promise((r) => setTimeout(r, Math.max(0, endsAt - Date.now())));
    expect((await card('TU-000002')).promotions).toEqual([]);
    await until(async () => (await onPromotion()).length === 0, 2_000);
    expect(skus(await get('on_promotion=false&limit=50'))).toContain('TU-000002');
  });

  it.each(['yes', '1', ''])('rejects on_promotion=%j with a problem naming the parameter', async (value) => {
    const res = await fetch(`${search.base}/search?on_promotion=${value}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['/on_promotion']);
  });
});

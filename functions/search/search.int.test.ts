/**
 * The search function end to end on each engine: the indexer consuming product and stock events
 * (versions, tombstones, redeliveries), the HTTP API, and bad input that must never become a 500.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { buildEvent } from '../shared/eventing/outbox';
import {
  productDeleted,
  productUpdated,
  stockChanged,
  stockExpiring,
  type ProductSnapshot,
} from '../../events';
import { createElasticsearch } from '../shared/clients/elasticsearch';
import { serviceEnv } from '../shared/clients/testing/service-env';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { createdEvent, deliver, product, startSearch } from './testing';

const ES_URL = serviceEnv('ELASTICSEARCH_URL');
const dairy = [
  { id: 'sua', name_en: 'Dairy', name_vi: 'Sữa' },
  { id: 'sua-tuoi', name_en: 'Fresh milk', name_vi: 'Sữa tươi' },
];
const meat = [
  { id: 'thit', name_en: 'Meat', name_vi: 'Thịt' },
  { id: 'thit-bo', name_en: 'Beef', name_vi: 'Thịt bò' },
];
const fixtures: ProductSnapshot[] = [
  product({
    sku: 'TU-000001',
    name_vi: 'Sữa tươi tiệt trùng Vinamilk 1 l',
    name_en: 'Vinamilk UHT Fresh Milk 1 l',
    brand: 'Vinamilk',
    category_path: dairy,
    price_vnd: 36_000,
    dietary: ['vegetarian', 'gluten-free'],
  }),
  product({
    sku: 'TU-000002',
    name_vi: 'Sữa tươi ít đường TH true MILK 180 ml',
    name_en: 'TH true MILK Less Sugar Fresh Milk 180 ml',
    brand: 'TH true MILK',
    category_path: dairy,
    price_vnd: 9_500,
    dietary: ['vegetarian'],
  }),
  product({
    sku: 'TU-000003',
    name_vi: 'Thịt bò xay 300 g',
    name_en: 'Minced Beef 300 g',
    brand: 'Vissan',
    category_path: meat,
    price_vnd: 95_000,
    is_perishable: true,
    shelf_life_days: 3,
  }),
  product({
    sku: 'TU-000004',
    name_vi: 'Bơ lạt Anchor 227 g',
    name_en: 'Anchor Unsalted Butter 227 g',
    brand: 'Anchor',
    category_path: dairy,
    price_vnd: 89_000,
    dietary: ['vegetarian'],
  }),
  product({
    sku: 'TU-000005',
    name_vi: 'Đậu phụ non 300 g',
    name_en: 'Silken Tofu 300 g',
    brand: 'Tươi Farm',
    category_path: [{ id: 'chay', name_en: 'Vegetarian', name_vi: 'Đồ chay' }],
    price_vnd: 12_000,
    dietary: ['vegan', 'vegetarian', 'gluten-free'],
    is_perishable: true,
    shelf_life_days: 5,
  }),
];

interface Hit {
  sku: string;
  name: string;
  price_vnd: number;
  badges: string[];
}

/** The parts of search responses (and problems) these tests read. */
interface Body {
  total: number;
  took_ms: number;
  hits: [Hit, ...Hit[]];
  facets: Record<
    'category' | 'dietary' | 'brand' | 'price',
    { value?: string; from?: number; count: number }[]
  >;
  next_cursor: string | null;
  did_you_mean?: string;
  suggestions: { sku: string; name: string }[];
  errors: { field: string; code: string }[];
}

describe.each(['postgres', 'elasticsearch'] as const)('search on %s', (engine) => {
  let db: TestDatabase;
  let search: Awaited<ReturnType<typeof startSearch>>;
  const alias = `t-${randomBytes(4).toString('hex')}-products`;
  const get = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${search.base}/search?${query}`, { headers });
    return { status: res.status, body: (await res.json()) as Body };
  };
  const skus = (body: Body) => body.hits.map((h) => h.sku);
  const refresh = async () => {
    if (engine !== 'elasticsearch') return;
    const es = createElasticsearch({ url: ES_URL });
    await es.indices.refresh({ index: alias });
    await es.close();
  };

  beforeAll(async () => {
    db = await freshDatabase();
    search = await startSearch(db.url, {
      SEARCH_ENGINE: engine,
      ELASTICSEARCH_URL: ES_URL,
      SEARCH_INDEX_ALIAS: alias,
    });
    for (const p of fixtures) expect((await deliver(search.base, createdEvent(p))).status).toBe(204);
    await refresh();
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

  it('finds products by accented, unaccented, misspelled and prefix queries in both languages', async () => {
    expect(
      skus((await get('q=sữa tươi')).body)
        .slice(0, 2)
        .sort(),
    ).toEqual(['TU-000001', 'TU-000002']);
    expect(
      skus((await get('q=sua tuoi')).body)
        .slice(0, 2)
        .sort(),
    ).toEqual(['TU-000001', 'TU-000002']);
    expect(skus((await get('q=mlik')).body)).toContain('TU-000001');
    expect(skus((await get('q=dau phu')).body)[0]).toBe('TU-000005');
    expect(skus((await get('q=minced be')).body)[0]).toBe('TU-000003');
    expect(skus((await get('q=tu-000004')).body)[0]).toBe('TU-000004');
  });

  it('ranks the exact accent first: bò is beef, bơ is butter', async () => {
    expect(skus((await get('q=bò')).body)[0]).toBe('TU-000003');
    expect(skus((await get('q=bơ')).body)[0]).toBe('TU-000004');
  });

  it('answers names in the asked language with facets and a total', async () => {
    const { body } = await get('q=sua&lang=vi');
    expect(body.hits[0].name).toMatch(/^Sữa/);
    const en = await get('q=sua', { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.body.hits[0].name).toMatch(/Milk/);
    expect(body.total).toBe(3); // the butter is in category "Sữa" too, ranked last
    expect(skus(body)[2]).toBe('TU-000004');
    expect(body.facets.brand).toEqual(
      expect.arrayContaining([
        { value: 'Vinamilk', count: 1 },
        { value: 'TH true MILK', count: 1 },
        { value: 'Anchor', count: 1 },
      ]),
    );
    expect(body.facets.category).toEqual([{ id: 'sua-tuoi', name: 'Sữa tươi', count: 3 }]);
    expect(body.facets.price.find((b) => b.from === 0)?.count).toBe(1);
    expect(typeof body.took_ms).toBe('number');
  });

  it('keeps the newest version whatever the delivery order, and never resurrects a deleted product', async () => {
    const v2 = product({ ...fixtures[1]!, version: 2, price_vnd: 9_900 });
    expect((await deliver(search.base, { ...buildEvent(productUpdated, v2), id: randomUUID() })).status).toBe(
      204,
    );
    expect((await deliver(search.base, createdEvent(fixtures[1]!))).status).toBe(204); // v1 late
    await refresh();
    expect((await get('q=TU-000002')).body.hits[0].price_vnd).toBe(9_900);

    const gone = buildEvent(productDeleted, {
      sku: 'TU-000004',
      version: 2,
      deleted_at: new Date().toISOString(),
    });
    expect((await deliver(search.base, gone)).status).toBe(204);
    expect((await deliver(search.base, gone)).headers.get('x-tuoi-delivery')).toBe('duplicate');
    expect((await deliver(search.base, createdEvent(fixtures[3]!))).status).toBe(204); // v1 late again
    await refresh();
    expect(skus((await get('q=butter')).body)).not.toContain('TU-000004');
  });

  it('ranks out-of-stock below in-stock and filters on stock and expiry', async () => {
    const at = new Date().toISOString();
    const out = buildEvent(stockChanged, {
      sku: 'TU-000001',
      location: 'store-q1',
      on_hand: 0,
      held: 0,
      available: 0,
      sequence: 5,
      at,
    });
    expect((await deliver(search.base, out)).status).toBe(204);
    const stale = buildEvent(stockChanged, {
      sku: 'TU-000001',
      location: 'store-q1',
      on_hand: 9,
      held: 0,
      available: 9,
      sequence: 4,
      at,
    });
    expect((await deliver(search.base, stale)).status).toBe(204);
    const soon = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const lot = buildEvent(stockExpiring, {
      sku: 'TU-000002',
      location: 'store-q1',
      lot_id: 'L1',
      expires_on: soon,
      quantity: 4,
      at,
    });
    expect((await deliver(search.base, lot)).status).toBe(204);
    await refresh();
    const { body } = await get('q=sua tuoi');
    expect(skus(body)).toEqual(['TU-000002', 'TU-000001']);
    expect(body.hits[1]?.badges).toContain('out-of-stock');
    expect(skus((await get('q=sua&in_stock=true')).body)).toEqual(['TU-000002']);
    expect(skus((await get('expires_soon=true')).body)).toEqual(['TU-000002']);
  });

  it('browses with filters, every sort and cursor pages without gaps or repeats', async () => {
    expect((await get('category=sua')).body.total).toBe(2); // butter deleted above
    expect(skus((await get('dietary=vegan,gluten-free')).body)).toEqual(['TU-000005']);
    expect(skus((await get('sort=price_asc&price_min=10000&price_max=100000')).body)).toEqual([
      'TU-000005',
      'TU-000001',
      'TU-000003',
    ]);
    expect(skus((await get('sort=price_desc&brand=Vissan,Vinamilk')).body)).toEqual([
      'TU-000003',
      'TU-000001',
    ]);
    const seen: string[] = [];
    let cursor: string | null = '';
    do {
      const page: { status: number; body: Body } = await get(
        `sort=name&lang=vi&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...skus(page.body));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['TU-000005', 'TU-000002', 'TU-000001', 'TU-000003']);
  });

  it('suggests as you type and proposes a spelling', async () => {
    const res = await fetch(`${search.base}/search/suggest?q=sua t&lang=vi`);
    const body = (await res.json()) as { suggestions: { sku: string; name: string }[] };
    expect(body.suggestions.map((s) => s.sku).sort()).toEqual(['TU-000001', 'TU-000002']);
    expect((await get('q=vinamlik')).body.did_you_mean).toMatch(/vinamilk/i);
  });

  const longQ = 'a'.repeat(201);
  it.each([
    ['unknown parameter', 'colour=red', '/colour'],
    ['unknown dietary value', 'dietary=keto', '/dietary'],
    ['unknown category', 'category=khong-co', '/category'],
    ['negative price', 'price_min=-1', '/price_min'],
    ['absurd price', 'price_max=99999999999', '/price_max'],
    ['min above max', 'price_min=5000&price_max=100', '/price_min'],
    ['bad boolean', 'in_stock=yes', '/in_stock'],
    ['unknown sort', 'sort=cheapest', '/sort'],
    ['limit too big', 'limit=500', '/limit'],
    ['q too long', `q=${longQ}`, '/q'],
    ['forged cursor', 'cursor=eyJvIjo1LCJmIjoieCJ9', '/cursor'],
    ['garbage cursor', 'cursor=%27%3B--', '/cursor'],
    [
      'injection in category',
      `category=${encodeURIComponent("x'; DROP TABLE search.documents; --")}`,
      '/category',
    ],
  ])('rejects %s with a field error', async (_name, query, field) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('treats hostile text as text', async () => {
    for (const q of [
      "'; DROP TABLE search.documents; --",
      "sua' & ! | :*",
      '<script>alert(1)</script>',
      '%%%',
    ])
      expect((await get(`q=${encodeURIComponent(q)}`)).status).toBe(200);
    // NUL cannot be text (PostgreSQL refuses it): a 400 naming the parameter, never a 500.
    const nul = await get(`q=${encodeURIComponent('sua\u0000tuoi')}`);
    expect(nul.status).toBe(400);
    expect((nul.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      '/q',
    ]);
    expect((await get('q=sua')).body.total).toBeGreaterThan(0);
  });

  it('rejects a cursor from another query', async () => {
    const first = await get('q=sua&limit=1');
    expect(first.body.next_cursor).toBeTruthy();
    const other = await get(`q=bo&limit=1&cursor=${first.body.next_cursor}`);
    expect(other.status).toBe(400);
  });

  it('serves cached answers on another instance only until a write made elsewhere reaches it', async () => {
    const reader = await startSearch(db.url, {
      SEARCH_ENGINE: engine,
      ELASTICSEARCH_URL: ES_URL,
      SEARCH_INDEX_ALIAS: alias,
    });
    try {
      let cache: string | null = null;
      const price = async () => {
        const res = await fetch(`${reader.base}/search?q=${encodeURIComponent('thịt bò xay')}`);
        cache = res.headers.get('x-cache');
        const body = (await res.json()) as { hits: { sku: string; price_vnd: number }[] };
        return body.hits.find((h) => h.sku === 'TU-000003')?.price_vnd;
      };
      // Answers computed in the first 1.5 s after a change mark expire quickly anyway; let it settle.
      await new Promise((r) => setTimeout(r, 1_600));
      const before = await price();
      expect(before).toBeDefined();
      for (let i = 0; i < 20 && cache !== 'hit'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        expect(await price()).toBe(before);
      }
      expect(cache).toBe('hit');
      const cheaper = { ...fixtures[2]!, price_vnd: before! - 1_000, version: 50 };
      // The write goes to the first instance: the reader learns of it only through the change mark.
      expect(
        (await deliver(search.base, { ...buildEvent(productUpdated, cheaper), id: randomUUID() })).status,
      ).toBe(204);
      const deadline = Date.now() + 10_000;
      let seen = await price();
      while (seen !== cheaper.price_vnd && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await price();
      }
      expect(seen).toBe(cheaper.price_vnd);
    } finally {
      await reader.close();
    }
  });
});

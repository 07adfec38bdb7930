/**
 * Product listings against real PostgreSQL: every sort walked page by page with keyset cursors,
 * every filter, languages, cards, entity tags, and bad queries (400 with field errors).
 */
import { encodeCursor } from './cursor';
import {
  byKey,
  getJson,
  loadListingFixture,
  under,
  type ListingFixture,
  type Page,
  type Truth,
} from './listing-fixture';
import { LIST_SORTS } from './params';

let fx: ListingFixture;
beforeAll(async () => {
  fx = await loadListingFixture();
});
afterAll(async () => {
  await fx.close();
});
const live = (): Truth[] => fx.truth.filter((t) => t.live);
const get = <T = Page>(path: string, headers: Record<string, string> = {}) =>
  getJson<T>(fx.catalog, path, headers);

/** Follows next_cursor to the end; returns the SKUs in order and the number of pages. */
async function walk(query: string, limit: number): Promise<{ skus: string[]; pages: number }> {
  const skus: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '';
    const path: string = `/products?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const { res, body } = await get(path);
    expect(res.status).toBe(200);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    skus.push(...body.items.map((c) => c.sku));
    cursor = body.next_cursor;
    pages++;
  } while (cursor && pages < 100);
  return { skus, pages };
}

describe('GET /products: every sort, walked with keyset cursors', () => {
  it.each(LIST_SORTS.map((s) => [s]))('sort=%s visits every live product once, in order', async (sort) => {
    const lang = sort === 'name' ? '&lang=vi' : '';
    const { skus, pages } = await walk(`sort=${sort}${lang}`, 7);
    const expected = live()
      .sort(byKey[sort])
      .map((t) => t.sku);
    expect(skus).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it('pages through a filtered listing (category with descendants, price range) without gaps', async () => {
    const { skus } = await walk('category=rau-cu-qua&price_min=20000&price_max=80000&sort=price', 4);
    const expected = live()
      .filter(
        (t) => under('rau-cu-qua').includes(t.category_id) && t.price_vnd >= 20_000 && t.price_vnd <= 80_000,
      )
      .sort(byKey.price)
      .map((t) => t.sku);
    expect(expected.length).toBeGreaterThan(4);
    expect(skus).toEqual(expected);
  });

  it('relevance orders as popular (the listing has no text query) and is the default', async () => {
    const a = await get('/products?limit=100');
    const b = await get('/products?limit=100&sort=popular');
    expect(a.body.items.map((c) => c.sku)).toEqual(b.body.items.map((c) => c.sku));
    expect(a.body.items).toHaveLength(live().length);
    expect(a.body.next_cursor).toBeNull();
  });
});

describe('GET /products: filters', () => {
  const skusOf = async (query: string) =>
    (await get(`/products?limit=100&${query}`)).body.items.map((c) => c.sku).sort();
  const expect$ = (pred: (t: Truth) => boolean) =>
    live()
      .filter(pred)
      .map((t) => t.sku)
      .sort();

  it.each<[string, (t: Truth) => boolean]>([
    ['category=rau-cu-qua', (t) => under('rau-cu-qua').includes(t.category_id)],
    ['category=rau-cu', (t) => ['rau-la', 'cu'].includes(t.category_id)],
    ['category=trung', (t) => t.category_id === 'trung'],
    ['dietary=vegan', (t) => t.dietary.includes('vegan')],
    ['dietary=vegan,organic', (t) => t.dietary.includes('vegan') && t.dietary.includes('organic')],
    ['tags=seasonal,local', (t) => t.tags.includes('seasonal') && t.tags.includes('local')],
    ['brand=vinamilk,da%20lat%20gap', (t) => ['Vinamilk', 'Đà Lạt GAP'].includes(t.brand)],
    ['brand=%C4%90%C3%A0%20L%E1%BA%A1t%20GAP', (t) => t.brand === 'Đà Lạt GAP'],
    ['is_perishable=false', (t) => !t.is_perishable],
    ['price_min=50000', (t) => t.price_vnd >= 50_000],
    ['price_max=30000', (t) => t.price_vnd <= 30_000],
    ['price_min=30000&price_max=30000', (t) => t.price_vnd === 30_000],
    [
      'category=sua-trung&dietary=vegan&is_perishable=true',
      (t) => ['sua-tuoi', 'trung'].includes(t.category_id) && t.dietary.includes('vegan') && t.is_perishable,
    ],
    ['in_stock=true', () => true],
    ['in_stock=false', () => false],
    ['expires_soon=true', () => false],
  ])('%s', async (query, pred) => {
    expect(await skusOf(query)).toEqual(expect$(pred));
  });

  it('never lists drafts, discontinued or deleted products', async () => {
    const listed = await skusOf('');
    for (const t of fx.truth.filter((x) => !x.live)) expect(listed).not.toContain(t.sku);
    expect(fx.truth.filter((x) => !x.live).map((x) => x.status)).toEqual(
      expect.arrayContaining(['draft', 'discontinued', 'active']),
    );
  });

  it('a brand that looks like SQL is just a brand nobody has', async () => {
    const { res, body } = await get(
      `/products?brand=${encodeURIComponent(`'; DROP TABLE catalog.products; --`)}`,
    );
    expect(res.status).toBe(200);
    expect(body.items).toEqual([]);
    expect((await get('/products?limit=1')).body.items).toHaveLength(1);
  });
});

describe('GET /products: language, cards and caching headers', () => {
  it('names in the language asked for by ?lang= or Accept-Language, both names always', async () => {
    for (const [path, headers] of [
      ['/products?category=trai-cay&lang=vi', {}],
      ['/products?category=trai-cay', { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' }],
    ] as const) {
      const { res, body } = await get(path, headers);
      expect(res.headers.get('content-language')).toBe('vi');
      const card = body.items[0]!;
      expect(card.name).toBe(card.name_vi);
      expect(card.category).toEqual({ id: 'trai-cay', name: 'Trái cây' });
    }
    const en = (await get('/products?category=trai-cay', { 'accept-language': 'fr, en;q=0.8' })).body
      .items[0]!;
    expect(en.name).toBe(en.name_en);
    expect(en.category.name).toBe('Fruit');
  });

  it('cards carry exactly the listed fields', async () => {
    const card = (await get('/products?category=thit-heo&limit=1')).body.items[0]!;
    expect(Object.keys(card).sort()).toEqual(
      [
        'sku',
        'name',
        'name_en',
        'name_vi',
        'brand',
        'category',
        'price_vnd',
        'price_per_kg_vnd',
        'unit',
        'size',
        'sold_by',
        'image_url',
        'dietary',
        'in_stock',
        'expires_soon',
      ].sort(),
    );
    expect(card).toMatchObject({ sold_by: 'weight', unit: 'kg', price_per_kg_vnd: expect.any(Number) });
    expect(card.image_url).toMatch(/^https:\/\/img\.tuoi\.vn\//);
  });

  it('answers 304 without a body to a matching If-None-Match, and a new tag once the page changes', async () => {
    const first = await get('/products?category=trung');
    const etag = first.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.res.headers.get('cache-control')).toBe('public, max-age=30');
    const again = await fx.catalog.call('GET', '/products?category=trung', {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const vi = await fx.catalog.call('GET', '/products?category=trung&lang=vi', {
      headers: { 'if-none-match': etag },
    });
    expect(vi.status).toBe(200);
    const sku = first.body.items[0]!.sku;
    await fx.catalog.call('PATCH', `/products/${sku}`, { json: { name_en: 'Quail eggs' }, staff: true });
    const changed = await fx.catalog.call('GET', '/products?category=trung', {
      headers: { 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});

describe('GET /products: bad queries → 400 with field errors', () => {
  const cursorFor = async (query: string) => (await get(`/products?${query}&limit=2`)).body.next_cursor!;
  it.each<[string, string]>([
    ['colour=red', '/colour'],
    ['category=khong-co', '/category'],
    ['category=Rau%20La', '/category'],
    ['dietary=vegan,keto', '/dietary'],
    ['tags=Khuy%E1%BA%BFn', '/tags'],
    ['price_min=-1', '/price_min'],
    ['price_max=10000000000', '/price_max'],
    ['price_min=1.5', '/price_min'],
    ['price_min=500&price_max=100', '/price_min'],
    ['in_stock=yes', '/in_stock'],
    ['expires_soon=1', '/expires_soon'],
    ['sort=cheapest', '/sort'],
    ['limit=0', '/limit'],
    ['limit=101', '/limit'],
    ['lang=fr', '/lang'],
    ['cursor=%27%3B%20DROP%20TABLE%20catalog.products%3B%20--', '/cursor'],
    ['cursor=bm90LWpzb24', '/cursor'],
    [`cursor=${encodeCursor({ key: '1', sku: 'TU-0001' }, 'forged')}`, '/cursor'],
  ])('%s', async (query, field) => {
    const { res, body } = await get<{ errors: { field: string; message: string }[] }>(`/products?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(body.errors.map((e) => e.field)).toContain(field);
  });

  it('rejects a cursor from another sort, filter or language, and one with a forged key', async () => {
    const fromPrice = await cursorFor('sort=price');
    for (const query of ['sort=name', 'sort=price&category=cu', 'sort=price&lang=vi'])
      expect((await get(`/products?${query}&cursor=${fromPrice}`)).res.status).toBe(400);
    expect((await get(`/products?sort=price&cursor=${fromPrice}`)).res.status).toBe(200);
    const decoded = JSON.parse(Buffer.from(fromPrice, 'base64url').toString()) as { f: string };
    const forged = encodeCursor({ key: '1) OR (1=1', sku: 'TU-0001' }, decoded.f);
    expect((await get(`/products?sort=price&cursor=${forged}`)).res.status).toBe(400);
  });

  it('lists every allowed dietary value when one is unknown', async () => {
    const { body } = await get<{ errors: { message: string }[] }>('/products?dietary=keto');
    expect(body.errors[0]!.message).toContain('vegan, vegetarian, gluten-free, halal, organic');
  });
});

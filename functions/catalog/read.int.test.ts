/**
 * Reads of one product, the category tree, popular products and the staff export against real
 * PostgreSQL, on the listing fixture. Products on promotion: promoted.int.test.ts.
 */
import {
  byKey,
  DELETED,
  getJson,
  loadListingFixture,
  under,
  type ListingFixture,
  type Page,
  type Truth,
} from './listing-fixture';
import type { ProductCard } from './views';
import { userToken } from '../shared/auth/testing';

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

describe('GET /products/{sku}', () => {
  it('shows the full product in the asked language with a version tag; 304 on a match', async () => {
    const res = await fx.catalog.call('GET', '/products/TU-0002?lang=vi');
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"TU-0002-\d+-vi-s1e0"$/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      sku: 'TU-0002',
      name: body.name_vi,
      description: body.description_vi,
      category_name: 'Trái cây',
      category_path: [
        { id: 'rau-cu-qua', name_en: 'Fruit & Vegetables', name_vi: 'Rau củ quả', name: 'Rau củ quả' },
        { id: 'trai-cay', name_en: 'Fruit', name_vi: 'Trái cây', name: 'Trái cây' },
      ],
      in_stock: true,
      expires_soon: false,
    });
    for (const field of [
      'manufacturer',
      'shelf_life_days',
      'image_urls',
      'created_at',
      'updated_at',
      'version',
      'status',
    ])
      expect(body).toHaveProperty(field);
    const again = await fx.catalog.call('GET', '/products/TU-0002', {
      headers: { 'if-none-match': etag, 'accept-language': 'vi' },
    });
    expect(again.status).toBe(304);
    expect(
      (await fx.catalog.call('GET', '/products/TU-0002', { headers: { 'if-none-match': etag } })).status,
    ).toBe(200);
  });

  it('drafts and discontinued products are visible to staff only', async () => {
    for (const sku of ['TU-0007', 'TU-0011']) {
      expect((await fx.catalog.call('GET', `/products/${sku}`)).status).toBe(404);
      // A customer's valid token does not reveal them; a forged one is refused outright.
      const customer = await fx.catalog.call('GET', `/products/${sku}`, {
        headers: { authorization: `Bearer ${userToken()}` },
      });
      expect(customer.status).toBe(404);
      const wrong = await fx.catalog.call('GET', `/products/${sku}`, {
        headers: { authorization: 'Bearer nope-nope-nope-nope' },
      });
      expect(wrong.status).toBe(401);
      const staff = await fx.catalog.call('GET', `/products/${sku}`, { staff: true });
      expect(staff.status).toBe(200);
      expect(staff.headers.get('cache-control')).toBe('private, no-store');
    }
  });

  it.each([
    ['/products/tu-0001', 400],
    ['/products/TU-9999', 404],
    ['/products/TU-0003', 404], // deleted
    ['/products/TU-0001?colour=red', 400],
    ['/products/popular?colour=red', 400],
  ])('%s → %d', async (path, status) => {
    expect((await fx.catalog.call('GET', path)).status).toBe(status);
  });
});

describe('GET /categories', () => {
  it('nests the tree with names in the language and active product counts including descendants', async () => {
    const { res, body } = await get<{
      categories: { id: string; name: string; product_count: number; children: unknown[] }[];
    }>('/categories?lang=vi');
    expect(res.headers.get('etag')).toMatch(/^"/);
    const count = (ids: string[]) => live().filter((t) => ids.includes(t.category_id)).length;
    expect(body.categories.map((c) => [c.id, c.name, c.product_count])).toEqual([
      ['rau-cu-qua', 'Rau củ quả', count(under('rau-cu-qua'))],
      ['sua-trung', 'Sữa & trứng', count(['sua-tuoi', 'trung'])],
      ['thit-ca', 'Thịt & cá', count(['thit-heo'])],
    ]);
    expect(body.categories[0]).toMatchObject({
      name_en: 'Fruit & Vegetables',
      children: [
        { id: 'rau-cu', product_count: count(['rau-la', 'cu']), children: [{ id: 'rau-la' }, { id: 'cu' }] },
        { id: 'trai-cay', product_count: count(['trai-cay']), children: [] },
      ],
    });
    const again = await fx.catalog.call('GET', '/categories?lang=vi', {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });
});

describe('GET /products/popular', () => {
  const top = (ids: string[], n: number) =>
    live()
      .filter((t) => ids.includes(t.category_id) && t.units > 0)
      .sort(byKey.popular)
      .slice(0, n)
      .map((t) => [t.sku, t.units]);

  it('with a category: its best sellers of the last 7 days, descendants included', async () => {
    const { res, body } = await get<{
      category: { id: string; name: string };
      items: (ProductCard & { units_sold_7d: number })[];
    }>('/products/popular?category=rau-cu-qua&limit=4&lang=vi');
    expect(res.status).toBe(200);
    expect(body.category).toMatchObject({ id: 'rau-cu-qua', name: 'Rau củ quả' });
    expect(body.items.map((c) => [c.sku, c.units_sold_7d])).toEqual(top(under('rau-cu-qua'), 4));
  });

  it('without a category: each top-level category with its top 5', async () => {
    const { body } = await get<{
      categories: { id: string; items: { sku: string; units_sold_7d: number }[] }[];
    }>('/products/popular');
    expect(body.categories.map((c) => c.id)).toEqual(['rau-cu-qua', 'sua-trung', 'thit-ca']);
    for (const [i, ids] of [under('rau-cu-qua'), ['sua-tuoi', 'trung'], ['thit-heo']].entries())
      expect(body.categories[i]!.items.map((c) => [c.sku, c.units_sold_7d])).toEqual(top(ids, 5));
  });

  it('an unknown category is a 400', async () => {
    expect((await get('/products/popular?category=khong-co')).res.status).toBe(400);
  });
});

describe('GET /products/export (staff)', () => {
  it('pages through every non-deleted product of any status in SKU order', async () => {
    const skus: string[] = [];
    const statuses = new Set<string>();
    let after: string | null = null;
    do {
      const path: string = `/products/export?limit=10${after ? `&after=${after}` : ''}`;
      const res = await fx.catalog.call('GET', path, { staff: true });
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        items: {
          product: { sku: string; status: string; category_path: unknown[] };
          units_sold_7d: number;
        }[];
        next_after: string | null;
      };
      for (const item of page.items) {
        skus.push(item.product.sku);
        statuses.add(item.product.status);
        expect(item.units_sold_7d).toBe(fx.truth.find((t) => t.sku === item.product.sku)!.units);
        expect(item.product.category_path.length).toBeGreaterThan(0);
      }
      after = page.next_after;
    } while (after);
    expect(skus).toEqual(
      fx.truth
        .filter((t) => !DELETED.includes(t.sku))
        .map((t) => t.sku)
        .sort(),
    );
    expect([...statuses].sort()).toEqual(['active', 'discontinued', 'draft']);
  });

  it.each(['limit=2001', 'limit=0', 'after=bad%20sku', 'page=2'])('%s → 400', async (query) => {
    expect((await fx.catalog.call('GET', `/products/export?${query}`, { staff: true })).status).toBe(400);
  });
});

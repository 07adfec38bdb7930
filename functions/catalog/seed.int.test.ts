/**
 * The dev seed against real PostgreSQL: a generated catalog loaded without events, idempotent, and
 * consistent with the catalog's own write rules (every seeded product could be saved back as is).
 */
import { schemaIssues } from '../../events/check';
import { ProductSnapshot } from '../../events';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { normalizeWrite, sameFields, toWritable } from './domain';
import { seed } from './seed';
import { generateCatalog } from '../../scripts/seed/generate';
import { seedData } from '../../scripts/seed/data';
import { counts, startCatalog, type RunningCatalog } from './testing';
import { ProductWrite } from './write-schema';

const COUNT = 600;
let db: TestDatabase;
let catalog: RunningCatalog;
let output = '';
let summary = '';
beforeAll(async () => {
  db = await freshDatabase();
  summary = await seed(db.pool, seedData({ count: COUNT }), { write: (text) => (output += text) });
  catalog = await startCatalog(db.url);
});
afterAll(async () => {
  await catalog?.close();
  await db?.drop();
});

interface ExportPage {
  items: { product: ProductSnapshot; units_sold_7d: number }[];
  next_after: string | null;
}
async function exportAll(): Promise<ExportPage['items']> {
  const items: ExportPage['items'] = [];
  let after: string | null = null;
  do {
    const path: string = `/products/export?limit=250${after ? `&after=${after}` : ''}`;
    const page = (await (await catalog.call('GET', path, { staff: true })).json()) as ExportPage;
    items.push(...page.items);
    after = page.next_after;
  } while (after);
  return items;
}

describe('seed', () => {
  it('loads categories, products and sales without a single event, with a progress bar', async () => {
    const { categories } = generateCatalog({ count: COUNT });
    expect(await counts(db.pool)).toMatchObject({
      products: COUNT,
      versions: COUNT,
      outbox: 0,
      categories: categories.length,
    });
    expect(summary).toContain(`${COUNT} products in ${categories.length} categories`);
    expect(output).toContain(`\r[####################] ${COUNT}/${COUNT}`);
    expect(output.endsWith('\n')).toBe(true);
  });

  it('does nothing the second time', async () => {
    const before = await counts(db.pool);
    expect(await seed(db.pool, seedData({ count: COUNT }), { write: () => undefined })).toMatch(
      /nothing seeded/,
    );
    expect(await counts(db.pool)).toEqual(before);
  });

  it('exports every seeded product as a contract-valid snapshot that the write rules accept unchanged', async () => {
    const items = await exportAll();
    expect(items).toHaveLength(COUNT);
    const rejected: string[] = [];
    for (const { product } of items) {
      expect(schemaIssues(ProductSnapshot, product)).toEqual([]);
      const fields = {
        ...product,
        tax_category: product.tax_category ?? 'missing',
        category_id: product.category_path[product.category_path.length - 1]!.id,
      } as Parameters<typeof toWritable>[0];
      const writable = toWritable(fields);
      const normalized = normalizeWrite(product.sku, writable as ProductWrite);
      const issues = schemaIssues(ProductWrite, writable);
      if (issues.length > 0 || !normalized.ok || !sameFields(normalized.fields, fields))
        rejected.push(`${product.sku}: ${JSON.stringify(issues.length ? issues : normalized)}`);
    }
    expect(rejected).toEqual([]);
  });

  it('stores the tax category the generator gave each product', async () => {
    const { products } = generateCatalog({ count: COUNT });
    const want = new Map(products.map((p) => [p.sku, p.tax_category]));
    const items = await exportAll();
    expect(items.filter((i) => i.product.tax_category !== want.get(i.product.sku))).toEqual([]);
    const of = (root: RegExp) =>
      new Set(
        items.filter((i) => root.test(i.product.category_path[0]!.id)).map((i) => i.product.tax_category),
      );
    expect(of(/^rau-cu-qua$/)).toEqual(new Set(['VAT5']));
    expect(of(/^bia-ruou$/)).toEqual(new Set(['VAT10_EXCLUDED']));
    expect(of(/^ve-sinh-nha-cua$/)).toEqual(new Set(['VAT10_REDUCIBLE']));
  });

  it('feeds popular from the seeded sales and lists created_at by age', async () => {
    const items = await exportAll();
    const sold = items.filter((i) => i.units_sold_7d > 0 && i.product.status === 'active');
    expect(sold.length).toBeGreaterThan(10);
    const res = await catalog.call('GET', '/products?sort=popular&limit=3');
    const top = ((await res.json()) as { items: { sku: string }[] }).items.map((c) => c.sku);
    const expected = sold.sort(
      (a, b) => b.units_sold_7d - a.units_sold_7d || (a.product.sku < b.product.sku ? 1 : -1),
    );
    expect(top).toEqual(expected.slice(0, 3).map((i) => i.product.sku));
    const popular = (await (await catalog.call('GET', '/products/popular')).json()) as {
      categories: { items: unknown[] }[];
    };
    expect(popular.categories.some((c) => c.items.length === 5)).toBe(true);
    const ages = new Set(items.map((i) => i.product.created_at.slice(0, 10)));
    expect(ages.size).toBeGreaterThan(100);
  });
});

/**
 * The listing fixture of the read tests: 45 products over the test tree (drafts, discontinued and
 * deleted among them), with ties in price, sales and age on purpose, loaded through the import API,
 * plus the database's own view of them from which tests compute the expected answers.
 */
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { shopDay } from './daily';
import { SCHEMA } from './deps';
import type { ListSort } from './params';
import { catalogStore } from './store';
import { projectionStore } from './store-projections';
import { addTestCategories, productBody, startCatalog, type RunningCatalog } from './testing';
import type { ProductCard } from './views';

const LEAVES = ['rau-la', 'cu', 'trai-cay', 'sua-tuoi', 'trung', 'thit-heo'];
const NAMES: [string, string][] = [
  ['Water spinach', 'Rau muống'],
  ['Carrot', 'Cà rốt'],
  ['Mango', 'Xoài cát'],
  ['Fresh milk', 'Sữa tươi'],
  ['Duck eggs', 'Trứng vịt'],
  ['Pork shoulder', 'Nạc vai heo'],
  ['Amaranth', 'Rau dền'],
  ['Sweet potato', 'Khoai lang'],
  ['Dragon fruit', 'Thanh long'],
];
const BRANDS = ['Vinamilk', 'TH true MILK', 'Đà Lạt GAP', 'Ba Huân', 'CP'];
/** Products in the fixture. */
export const N = 45;

/** The fixture: 45 products over six leaves, with ties in price, sales and age on purpose. */
export function fixture(i: number): Record<string, unknown> {
  const sku = `TU-${String(i).padStart(4, '0')}`;
  const leaf = LEAVES[i % LEAVES.length]!;
  const [en, vi] = NAMES[i % NAMES.length]!;
  const weighted = leaf === 'thit-heo';
  const base = productBody(sku, {
    name_en: `${en} ${i}`,
    name_vi: `${vi} ${i}`,
    category: leaf,
    brand: BRANDS[i % BRANDS.length],
    dietary: i % 3 === 0 ? ['organic', 'vegan'] : i % 3 === 1 ? ['vegan'] : [],
    tags: [...(i % 4 === 0 ? ['seasonal'] : []), ...(i % 5 === 0 ? ['local'] : [])],
    status: i % 15 === 7 ? 'draft' : i % 15 === 11 ? 'discontinued' : 'active',
    is_perishable: i % 2 === 0,
    shelf_life_days: i % 2 === 0 ? 5 : null,
    price_vnd: ((i * 7919) % 20) * 5_000 + 5_000,
  });
  if (!weighted) return base;
  const { price_vnd: _p, ...rest } = base;
  return {
    ...rest,
    unit: 'kg',
    size: 1,
    sold_by: 'weight',
    price_per_kg_vnd: 100_000 + (i % 3) * 10_000,
    nominal_weight_g: 500,
  };
}

/** What the database says about one fixture product (the expected answers are computed from it). */
export interface Truth {
  sku: string;
  live: boolean;
  status: string;
  category_id: string;
  price_vnd: number;
  units: number;
  created_at: string;
  name_sort_en: string;
  name_sort_vi: string;
  dietary: string[];
  tags: string[];
  brand: string;
  is_perishable: boolean;
}

/** A database and a catalog holding the fixture, and the truth about it. */
export interface ListingFixture {
  db: TestDatabase;
  catalog: RunningCatalog;
  truth: Truth[];
  close(): Promise<void>;
}

/** Loads the fixture into a fresh database served by a fresh catalog instance. */
export async function loadListingFixture(): Promise<ListingFixture> {
  const db = await freshDatabase();
  await addTestCategories(db.pool);
  const catalog = await startCatalog(db.url);
  const res = await catalog.call('POST', '/products/import', {
    json: Array.from({ length: N }, (_, i) => fixture(i)),
    staff: true,
  });
  const report = (await res.json()) as { created: number };
  if (report.created !== N) throw new Error(`fixture import: ${JSON.stringify(report)}`);
  for (const sku of DELETED) await catalog.call('DELETE', `/products/${sku}`, { staff: true });
  // Ages with ties (several products created the same instant) and sales with ties and zeros.
  await db.pool.query(
    `UPDATE catalog.products SET created_at = date_trunc('second', now()) - make_interval(days => (substr(sku, 4)::int * 13) % 7)`,
  );
  const today = shopDay(new Date());
  const day = (back: number) => new Date(Date.parse(today) - back * 86_400_000).toISOString().slice(0, 10);
  const projections = projectionStore(SCHEMA, catalogStore(SCHEMA));
  await projections.addSeedSales(
    db.pool,
    Array.from({ length: N }, (_, i) => [
      { sku: `TU-${String(i).padStart(4, '0')}`, day: day(i % 3), units: (i * 37) % 11 },
      { sku: `TU-${String(i).padStart(4, '0')}`, day: day(10), units: 1000 }, // outside the window
    ]).flat(),
  );
  await projections.refreshPopularity(db.pool);
  const { rows } = await db.pool.query<Truth & { created_at: Date }>(
    `SELECT sku, status = 'active' AND deleted_at IS NULL AS live, status, category_id, price_vnd, units_sold_7d AS units,
            created_at, name_sort_en, name_sort_vi, dietary, tags, brand, is_perishable FROM catalog.products`,
  );
  const truth = rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
  return {
    db,
    catalog,
    truth,
    close: async () => {
      await catalog.close();
      await db.drop();
    },
  };
}

/** SKUs the fixture deletes after loading. */
export const DELETED = ['TU-0003', 'TU-0010'];

/** One page of `GET /products`. */
export type Page = { items: ProductCard[]; next_cursor: string | null };

/** GETs a path and parses the JSON body. */
export async function getJson<T = Page>(
  catalog: RunningCatalog,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ res: Response; body: T }> {
  const res = await catalog.call('GET', path, { headers });
  return { res, body: (await res.json()) as T };
}

/** The expected order of each sort, ties broken on SKU in the sort's direction. */
export const byKey: Record<ListSort, (a: Truth, b: Truth) => number> = {
  relevance: (a, b) => b.units - a.units || (a.sku < b.sku ? 1 : -1),
  popular: (a, b) => b.units - a.units || (a.sku < b.sku ? 1 : -1),
  price: (a, b) => a.price_vnd - b.price_vnd || (a.sku < b.sku ? -1 : 1),
  price_desc: (a, b) => b.price_vnd - a.price_vnd || (a.sku < b.sku ? 1 : -1),
  name: (a, b) =>
    a.name_sort_vi < b.name_sort_vi ? -1 : a.name_sort_vi > b.name_sort_vi ? 1 : a.sku < b.sku ? -1 : 1,
  newest: (a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.sku < b.sku ? 1 : -1,
};

/** The leaf categories under a category of the test tree. */
export const under = (id: string): string[] =>
  ({ 'rau-cu-qua': ['rau-la', 'cu', 'trai-cay'], 'rau-cu': ['rau-la', 'cu'] })[id] ?? [id];

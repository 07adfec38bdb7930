/**
 * The dev seed (`make dev` calls `seed(pool, data)` once migrations ran, handing in the catalog that
 * scripts/seed generates): if the catalog is empty, loads the categories, then the products in
 * batches and seven days of synthetic sales (source 'seed', so popular shows something before any
 * order completes; they age out of the window after a week), in one transaction and WITHOUT events: a bulk load, after which
 * search is built by a full reindex through `GET /products/export`. A second call does nothing.
 */
import type { Pool } from 'pg';
import { DEFAULT_TAX_CATEGORY, type ProductSnapshot } from '../../events';
import { withTransaction } from '../shared/db';
import { shopDay } from './daily';
import { SCHEMA } from './deps';
import { catalogStore, type Category, type ProductRowWrite } from './store';
import { projectionStore, SALES_WINDOW_DAYS, type SalesDay } from './store-projections';

/** A generated product: the snapshot fields it owns, plus its leaf category and age in days. */
export type SeedProduct = Omit<ProductSnapshot, 'category_path' | 'created_at' | 'updated_at' | 'version'> & {
  /** Leaf category id. */
  category: string;
  /** Days between creation and now. */
  created_days_ago: number;
};

/** What the catalog's seed is handed: the category tree, the products and 7-day sales per SKU. */
export interface CatalogSeed {
  categories: Omit<Category, 'path'>[];
  products: readonly SeedProduct[];
  sales: ReadonlyMap<string, number>;
}

/** Products per INSERT. */
const BATCH = 2_000;

/** A progress bar on stderr: `\r[#####.....] 20000/50000`. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/**
 * A seed product as a row: created `created_days_ago` days before `now`, version 1, the default tax
 * category when the generator gave none (the column is NOT NULL and the bulk insert names it).
 */
export function seedRow(p: SeedProduct, now: number): ProductRowWrite {
  const { category, created_days_ago, ...fields } = p;
  const at = new Date(now - created_days_ago * 86_400_000);
  return {
    ...fields,
    tax_category: fields.tax_category ?? DEFAULT_TAX_CATEGORY,
    category_id: category,
    version: 1,
    created_at: at,
    updated_at: at,
  };
}

/** Seven days of sales from 7-day totals: each total split over the days, the remainder on the latest. */
export function spreadSales(totals: ReadonlyMap<string, number>, today: string): SalesDay[] {
  const base = Date.parse(today);
  const out: SalesDay[] = [];
  for (const [sku, units] of totals) {
    if (units <= 0) continue;
    const share = Math.floor(units / SALES_WINDOW_DAYS);
    for (let back = 0; back < SALES_WINDOW_DAYS; back++) {
      const day = back === 0 ? units - share * (SALES_WINDOW_DAYS - 1) : share;
      if (day > 0)
        out.push({ sku, day: new Date(base - back * 86_400_000).toISOString().slice(0, 10), units: day });
    }
  }
  return out;
}

/** Seeds an empty catalog with `data`; returns a one-line summary. `write` is for tests. */
export async function seed(
  pool: Pool,
  data: CatalogSeed,
  opts: { write?: (text: string) => void } = {},
): Promise<string> {
  const write = opts.write ?? ((text: string) => process.stderr.write(text));
  const store = catalogStore(SCHEMA);
  const projections = projectionStore(SCHEMA, store);
  if (await store.hasProducts(pool)) return 'catalog already has products; nothing seeded';
  const started = Date.now();
  const { categories, products } = data;
  const sales = spreadSales(data.sales, shopDay(new Date()));
  const loaded = await withTransaction(pool, async (tx) => {
    // One seeder at a time; the loser finds the products and stops.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('catalog.seed'))`);
    if (await store.hasProducts(tx)) return false;
    await store.upsertCategories(tx, categories);
    const now = Date.now();
    for (let i = 0; i < products.length; i += BATCH) {
      await store.insertProducts(
        tx,
        products.slice(i, i + BATCH).map((p) => seedRow(p, now)),
      );
      write(progressBar(Math.min(i + BATCH, products.length), products.length));
    }
    write('\n');
    for (let i = 0; i < sales.length; i += 20 * BATCH)
      await projections.addSeedSales(tx, sales.slice(i, i + 20 * BATCH));
    await projections.refreshPopularity(tx);
    await projections.claimDailyRefresh(tx);
    return true;
  });
  if (!loaded) return 'catalog already has products; nothing seeded';
  // Fresh statistics and visibility map, so listings and counts plan well from the first request.
  await pool.query(`VACUUM ANALYZE ${SCHEMA}.products, ${SCHEMA}.categories, ${SCHEMA}.sales_daily`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return `${products.length} products in ${categories.length} categories, ${sales.length} daily synthetic sales rows, in ${seconds} s (no events: run a search reindex)`;
}

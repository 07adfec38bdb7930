/**
 * What `make dev`, tests and benchmarks hand to each function's seed hook (`functions/<name>/seed.ts`):
 * the generated catalog, its sales and a seeded random source. Functions never import the generator,
 * so the vocabulary stays out of the production image.
 */
import type { ProductSnapshot } from '../../events/catalog/product.v1';
import type { SeedCategory } from './categories';
import { generateCatalog, generateSales, type GenerateOptions, type SeedProduct } from './generate';
import { mulberry32, type Rng } from './random';

/** The generated data a seed hook is handed. */
export interface SeedData {
  /** The category tree, parents before children. */
  categories: SeedCategory[];
  /** The generated products, oldest first. */
  products: SeedProduct[];
  /** Units sold over the last 7 days per SKU. */
  sales: Map<string, number>;
  /** A deterministic random source for a seed number (so a hook's own choices repeat run to run). */
  random: (seed: number) => Rng;
}

/** Generates the seed data: `count` products (50,000 by default), deterministic for a given seed. */
export function seedData(opts: GenerateOptions = {}): SeedData {
  const { categories, products } = generateCatalog(opts);
  return { categories, products, sales: generateSales(products), random: mulberry32 };
}

/** The seed catalog as product snapshots (what the catalog would publish) with synthetic sales. */
export function seedSnapshots(count = 50_000): { snapshots: ProductSnapshot[]; sales: Map<string, number> } {
  const { categories, products } = generateCatalog({ count });
  const byId = new Map(categories.map((c) => [c.id, c]));
  const pathOf = (id: string): ProductSnapshot['category_path'] => {
    const path = [];
    for (let c = byId.get(id); c; c = c.parent_id ? byId.get(c.parent_id) : undefined)
      path.unshift({ id: c.id, name_en: c.name_en, name_vi: c.name_vi });
    return path;
  };
  const now = Date.now();
  const snapshots = products.map(({ category, created_days_ago, ...p }) => {
    const at = new Date(now - created_days_ago * 86_400_000).toISOString();
    return { ...p, category_path: pathOf(category), created_at: at, updated_at: at, version: 1 };
  });
  return { snapshots, sales: generateSales(products, { seed: 7 }) };
}

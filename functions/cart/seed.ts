/**
 * Dev seed (`make dev`, first start): the product projection from the generated catalog handed in
 * (scripts/seed) — a bulk load, as the catalog's own seed emits no events. A second call does nothing.
 */
import type { Pool } from 'pg';
import type { ProductSnapshot } from '../../events';
import { SCHEMA } from './deps';
import { productStore } from './products';

/** What the cart's seed is handed (a subset of scripts/seed's SeedData). */
export interface CartSeed {
  products: readonly Omit<ProductSnapshot, 'category_path' | 'created_at' | 'updated_at' | 'version'>[];
}

const BATCH = 2_000;

/** Seeds an empty projection; returns a one-line summary. */
export async function seed(pool: Pool, data: CartSeed): Promise<string> {
  const { rows } = await pool.query(`SELECT EXISTS (SELECT 1 FROM ${SCHEMA}.products) AS seeded`);
  if (rows[0].seeded) return 'cart already knows products; nothing seeded';
  const store = productStore(SCHEMA);
  for (let i = 0; i < data.products.length; i += BATCH)
    await store.upsertMany(
      pool,
      data.products.slice(i, i + BATCH).map((p) => ({
        sku: p.sku,
        name_en: p.name_en,
        name_vi: p.name_vi,
        image_url: p.image_urls[0] ?? null,
        sold_by: p.sold_by,
        price_vnd: p.price_vnd,
        price_per_kg_vnd: p.price_per_kg_vnd,
        nominal_weight_g: p.nominal_weight_g,
        status: p.status,
      })),
    );
  return `${data.products.length} products known to carts`;
}

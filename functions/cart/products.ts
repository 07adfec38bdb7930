/**
 * The cart's product projection (catalog events, version-guarded), its pricing mark and which
 * customers have ordered (order events), in the cart's PostgreSQL schema in both storage modes. Persistence only: callers pass the transaction
 * or the pool.
 */
import type { DataOf, productCreated } from '../../events';
import { ident, type Queryable } from '../shared/db';
import type { ProductInfo } from './ports';

/** The projection's store in `schema`. */
export function productStore(schema: string) {
  const s = ident(schema);
  return {
    /** Applies a snapshot newer than what is held. */
    async upsert(db: Queryable, p: DataOf<typeof productCreated>): Promise<void> {
      await db.query(
        `INSERT INTO ${s}.products AS p (sku, name_en, name_vi, image_url, sold_by, price_vnd,
           price_per_kg_vnd, nominal_weight_g, status, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (sku) DO UPDATE SET name_en = excluded.name_en, name_vi = excluded.name_vi,
           image_url = excluded.image_url, sold_by = excluded.sold_by, price_vnd = excluded.price_vnd,
           price_per_kg_vnd = excluded.price_per_kg_vnd, nominal_weight_g = excluded.nominal_weight_g,
           status = excluded.status, version = excluded.version
         WHERE p.version < excluded.version`,
        [
          p.sku,
          p.name_en,
          p.name_vi,
          p.image_urls[0] ?? null,
          p.sold_by,
          p.price_vnd,
          p.price_per_kg_vnd,
          p.nominal_weight_g,
          p.status,
          p.version,
        ],
      );
    },

    /** A deleted product: no line may take it again (a re-creation carries a higher version). */
    async retire(db: Queryable, sku: string, version: number): Promise<void> {
      await db.query(
        `UPDATE ${s}.products SET status = 'deleted', version = $2 WHERE sku = $1 AND version <= $2`,
        [sku, version],
      );
    },

    async get(db: Queryable, skus: readonly string[]): Promise<Map<string, ProductInfo>> {
      if (skus.length === 0) return new Map();
      const { rows } = await db.query<ProductInfo & { price_vnd: string; price_per_kg_vnd: string | null }>(
        `SELECT sku, name_en, name_vi, image_url, sold_by, price_vnd, price_per_kg_vnd, nominal_weight_g, status
         FROM ${s}.products WHERE sku = ANY($1::text[])`,
        [skus],
      );
      return new Map(
        rows.map((r) => [
          r.sku,
          {
            ...r,
            price_vnd: Number(r.price_vnd),
            price_per_kg_vnd: r.price_per_kg_vnd === null ? null : Number(r.price_per_kg_vnd),
          },
        ]),
      );
    },

    /** Moves the pricing mark (in the consumer's transaction, so a redelivery does not move it twice). */
    async bumpMark(db: Queryable): Promise<void> {
      await db.query(`UPDATE ${s}.pricing_mark SET mark = mark + 1`);
    },

    async mark(db: Queryable): Promise<number> {
      const { rows } = await db.query<{ mark: string }>(`SELECT mark FROM ${s}.pricing_mark`);
      return Number(rows[0]?.mark ?? 0);
    },

    /** Records that a customer has a confirmed order (a redelivery changes nothing). */
    async recordOrdered(db: Queryable, customerId: string, at: string): Promise<void> {
      await db.query(
        `INSERT INTO ${s}.ordered_customers (customer_id, first_order_at) VALUES ($1, $2)
         ON CONFLICT (customer_id) DO NOTHING`,
        [customerId, at],
      );
    },

    /** Whether a customer has a confirmed order. */
    async hasOrdered(db: Queryable, customerId: string): Promise<boolean> {
      const { rows } = await db.query(`SELECT 1 FROM ${s}.ordered_customers WHERE customer_id = $1`, [
        customerId,
      ]);
      return rows.length > 0;
    },

    /** Products for the dev seed, in one statement per batch. */
    async upsertMany(db: Queryable, products: readonly ProductInfo[]): Promise<void> {
      if (products.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.products (sku, name_en, name_vi, image_url, sold_by, price_vnd, price_per_kg_vnd,
           nominal_weight_g, status, version)
         SELECT x.sku, x.name_en, x.name_vi, x.image_url, x.sold_by, x.price_vnd, x.price_per_kg_vnd,
                x.nominal_weight_g, x.status, 1
         FROM jsonb_to_recordset($1::jsonb) AS x(sku text, name_en text, name_vi text, image_url text,
           sold_by text, price_vnd bigint, price_per_kg_vnd bigint, nominal_weight_g int, status text)
         ON CONFLICT (sku) DO NOTHING`,
        [JSON.stringify(products)],
      );
    },
  };
}

/** The product store's type. */
export type ProductStore = ReturnType<typeof productStore>;

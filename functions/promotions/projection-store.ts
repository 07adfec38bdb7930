/**
 * What promotions keeps of other functions' data: products with their list prices, categories
 * and tax categories (from catalog product events, version-guarded), and lots expiring soon (from
 * inventory's stock.expiring, ordered by notice time). Persistence only: callers pass the
 * transaction or the pool.
 */
import { DEFAULT_TAX_CATEGORY, type DataOf, type productCreated, type stockExpiring } from '../../events';
import { ident, type Queryable } from '../shared/db';
import type { ExpiringLot } from './model';

/** A product as a quote needs it. */
export interface ProductRow {
  sku: string;
  sold_by: 'piece' | 'weight';
  price_vnd: number;
  price_per_kg_vnd: number | null;
  nominal_weight_g: number | null;
  category_path: string[];
  brand: string;
  tax_category: string;
  is_perishable: boolean;
  active: boolean;
}

type Snapshot = DataOf<typeof productCreated>;

/** The projection's store in `schema`. */
export function projectionStore(schema: string) {
  const s = ident(schema);
  return {
    /** Applies product snapshots newer than what is held. */
    async upsertProducts(db: Queryable, products: readonly Snapshot[]): Promise<void> {
      if (products.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.products AS p (sku, sold_by, price_vnd, price_per_kg_vnd, nominal_weight_g,
           category_path, brand, tax_category, is_perishable, active, version)
         SELECT x.sku, x.sold_by, x.price_vnd, x.price_per_kg_vnd, x.nominal_weight_g,
                ARRAY(SELECT jsonb_array_elements(x.category_path) ->> 'id'), x.brand,
                coalesce(x.tax_category, $2), x.is_perishable, x.status = 'active', x.version
         FROM jsonb_to_recordset($1::jsonb) AS x(sku text, sold_by text, price_vnd bigint,
           price_per_kg_vnd bigint, nominal_weight_g int, category_path jsonb, brand text,
           tax_category text, is_perishable boolean, status text, version int)
         ORDER BY x.sku
         ON CONFLICT (sku) DO UPDATE SET sold_by = excluded.sold_by, price_vnd = excluded.price_vnd,
           price_per_kg_vnd = excluded.price_per_kg_vnd, nominal_weight_g = excluded.nominal_weight_g,
           category_path = excluded.category_path, brand = excluded.brand,
           tax_category = excluded.tax_category, is_perishable = excluded.is_perishable,
           active = excluded.active, version = excluded.version
         WHERE p.version < excluded.version`,
        // Events published before products carried a tax category read as the default.
        [JSON.stringify(products), DEFAULT_TAX_CATEGORY],
      );
    },

    /** A deleted product: never priced again (a later re-creation carries a higher version). */
    async retireProduct(db: Queryable, sku: string, version: number): Promise<void> {
      await db.query(
        `UPDATE ${s}.products SET active = false, version = $2 WHERE sku = $1 AND version <= $2`,
        [sku, version],
      );
    },

    /** The products of `skus` that the projection holds (active or not). */
    async products(db: Queryable, skus: readonly string[]): Promise<Map<string, ProductRow>> {
      const { rows } = await db.query<ProductRow & { price_vnd: string; price_per_kg_vnd: string | null }>(
        `SELECT sku, sold_by, price_vnd, price_per_kg_vnd, nominal_weight_g, category_path, brand,
                tax_category, is_perishable, active
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

    /** Records a stock.expiring notice unless a newer one for the lot is already held. */
    async noteExpiring(db: Queryable, notice: DataOf<typeof stockExpiring>): Promise<void> {
      await db.query(
        `INSERT INTO ${s}.expiring_lots AS l (lot_id, sku, location, expires_on, quantity, noticed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (lot_id) DO UPDATE SET sku = excluded.sku, location = excluded.location,
           expires_on = excluded.expires_on, quantity = excluded.quantity, noticed_at = excluded.noticed_at
         WHERE l.noticed_at < excluded.noticed_at`,
        [notice.lot_id, notice.sku, notice.location, notice.expires_on, notice.quantity, notice.at],
      );
    },

    /** Lots of `skus` at `location` with units left that have not expired before `today` (Vietnam date). */
    async expiringLots(
      db: Queryable,
      location: string,
      skus: readonly string[],
      today: string,
    ): Promise<ExpiringLot[]> {
      const { rows } = await db.query<{
        sku: string;
        location: string;
        quantity: number;
        expires_on: string;
      }>(
        `SELECT sku, location, quantity, to_char(expires_on, 'YYYY-MM-DD') AS expires_on
         FROM ${s}.expiring_lots
         WHERE location = $1 AND sku = ANY($2::text[]) AND quantity > 0 AND expires_on >= $3::date
         ORDER BY expires_on, lot_id`,
        [location, skus, today],
      );
      return rows.map((r) => ({
        sku: r.sku,
        location: r.location,
        qty: r.quantity,
        expiresOn: r.expires_on,
      }));
    },

    /** Forgets withdrawn and past lots (housekeeping; reads already skip them). */
    async purgeLots(db: Queryable, today: string): Promise<number> {
      const { rowCount } = await db.query(
        `DELETE FROM ${s}.expiring_lots WHERE quantity = 0 AND noticed_at < now() - interval '1 day'
            OR expires_on < $1::date`,
        [today],
      );
      return rowCount ?? 0;
    },
  };
}

/** The projection store's type. */
export type ProjectionStore = ReturnType<typeof projectionStore>;

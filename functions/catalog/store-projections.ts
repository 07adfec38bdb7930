/**
 * Projections kept beside the products without touching their version: stock levels and expiring
 * lots from inventory events (→ `in_stock`, `expires_soon`) and daily sales (→ `units_sold_7d`).
 * Every write is guarded (sequence, event time, order id) so redeliveries and reordering converge.
 *
 * Sales per SKU and shop day (`sales_daily`) come from two sources, kept apart by its `source`
 * column: 'order' is real (the lines of completed orders, once per order, see `recordOrderSales`);
 * 'seed' is synthetic (the dev seed and test fixtures, `addSeedSales`), there so `make dev` shows a
 * popular list before any order exists. A deployment that never ran the seed has only real sales.
 */
import { ident, type Queryable, type Tx } from '../shared/db';
import type { CatalogStore } from './store';

/** Days ahead (from the shop day) within which a lot with stock makes its product "expires soon". */
export const EXPIRES_SOON_DAYS = 3;
/** The sales window behind "popular": the shop day and the 6 before it. */
export const SALES_WINDOW_DAYS = 7;
/**
 * Days an order's sales stay recorded per order (its redeliveries recognised). Beyond that a late
 * redelivery could only add units to a day far outside the sales window, so nothing it shows.
 */
export const ORDER_SALES_KEPT_DAYS = 30;

/** One line of a completed order as a sale: `units` pieces of `sku`. */
export interface OrderSale {
  sku: string;
  units: number;
}

/** One day of sales of one SKU. */
export interface SalesDay {
  sku: string;
  /** YYYY-MM-DD, a shop day. */
  day: string;
  units: number;
}

/** The projection tables of one schema. */
export function projectionStore(schema: string, products: CatalogStore) {
  const s = ident(schema);
  const inStock = products.inStockSql('p.sku');
  const expiresSoon = products.expiresSoonSql('p.sku');

  return {
    /** Serialises projection updates of one SKU (its flags are computed from several rows). */
    async lockSku(tx: Tx, sku: string): Promise<void> {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('catalog.projection'), hashtext($1))`, [sku]);
    },

    /** Applies a stock level unless a higher sequence is stored; true when the product's in_stock flipped. */
    async applyStockLevel(
      tx: Tx,
      level: { sku: string; location: string; available: number; sequence: number },
    ): Promise<boolean> {
      await tx.query(
        `INSERT INTO ${s}.stock_levels AS l (sku, location, available, sequence) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sku, location) DO UPDATE SET available = excluded.available, sequence = excluded.sequence
         WHERE l.sequence < excluded.sequence`,
        [level.sku, level.location, level.available, level.sequence],
      );
      return this.recomputeFlag(tx, level.sku, 'in_stock', inStock);
    },

    /** Applies a lot notice unless a later one is stored; true when the product's expires_soon flipped. */
    async applyExpiringLot(
      tx: Tx,
      lot: {
        sku: string;
        location: string;
        lot_id: string;
        expires_on: string;
        quantity: number;
        at: string;
      },
    ): Promise<boolean> {
      await tx.query(
        `INSERT INTO ${s}.expiring_lots AS e (sku, location, lot_id, expires_on, quantity, at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sku, location, lot_id) DO UPDATE SET expires_on = excluded.expires_on,
           quantity = excluded.quantity, at = excluded.at
         WHERE e.at <= excluded.at`,
        [lot.sku, lot.location, lot.lot_id, lot.expires_on, lot.quantity, lot.at],
      );
      return this.recomputeFlag(tx, lot.sku, 'expires_soon', expiresSoon);
    },

    /** Recomputes one flag of one product (any status, deleted too); true when it changed. */
    async recomputeFlag(
      tx: Tx,
      sku: string,
      flag: 'in_stock' | 'expires_soon',
      expr: string,
    ): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE ${s}.products p SET ${flag} = ${expr} WHERE p.sku = $1 AND p.${flag} IS DISTINCT FROM ${expr}`,
        [sku],
      );
      return rowCount === 1;
    },

    /**
     * Adds synthetic sales (source 'seed': the dev seed, test fixtures); units are summed with what
     * a day already has. Real sales only come from completed orders (`recordOrderSales`).
     */
    async addSeedSales(db: Queryable, sales: SalesDay[]): Promise<void> {
      if (sales.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.sales_daily AS d (sku, day, source, units)
         SELECT sku, day, 'seed', sum(units) FROM jsonb_to_recordset($1::jsonb) AS r(sku text, day date, units int)
         GROUP BY sku, day
         ON CONFLICT (sku, day, source) DO UPDATE SET units = d.units + excluded.units`,
        [JSON.stringify(sales)],
      );
    },

    /**
     * Records a completed order's lines as sales on shop day `day`, once per order: lines of one SKU
     * are summed, each (order, SKU) is inserted at most once, and only newly inserted ones add to
     * the day's 'order' sales. Returns how many SKUs it added (0 for an order already recorded).
     */
    async recordOrderSales(tx: Tx, orderId: string, day: string, lines: OrderSale[]): Promise<number> {
      if (lines.length === 0) return 0;
      // SKUs in one order (byte order, "C") so concurrent orders lock the same day rows alike.
      const { rowCount } = await tx.query(
        `WITH fresh AS (
           INSERT INTO ${s}.order_sales (order_id, sku, day, units)
           SELECT $1, sku COLLATE "C", $2::date, sum(units) FROM jsonb_to_recordset($3::jsonb) AS r(sku text, units int)
           GROUP BY sku ORDER BY sku COLLATE "C"
           ON CONFLICT (order_id, sku) DO NOTHING
           RETURNING sku, day, units)
         INSERT INTO ${s}.sales_daily AS d (sku, day, source, units)
         SELECT sku, day, 'order', units FROM fresh ORDER BY sku
         ON CONFLICT (sku, day, source) DO UPDATE SET units = d.units + excluded.units`,
        [orderId, day, JSON.stringify(lines)],
      );
      return rowCount ?? 0;
    },

    /** Forgets which orders were recorded more than `ORDER_SALES_KEPT_DAYS` ago (their day totals stay). */
    async pruneOrderSales(db: Queryable): Promise<number> {
      const { rowCount } = await db.query(
        `DELETE FROM ${s}.order_sales WHERE day < ${s}.today() - ${ORDER_SALES_KEPT_DAYS}`,
      );
      return rowCount ?? 0;
    },

    /**
     * Sets `units_sold_7d` of every product from the sales window, both sources summed (real
     * orders, and in dev the seed's synthetic days, which age out of the window after a week);
     * returns how many changed.
     */
    async refreshPopularity(db: Queryable): Promise<number> {
      const { rowCount } = await db.query(
        `WITH sold AS (
           SELECT sku, sum(units)::int AS units FROM ${s}.sales_daily
           WHERE day BETWEEN ${s}.today() - ${SALES_WINDOW_DAYS - 1} AND ${s}.today() GROUP BY sku)
         UPDATE ${s}.products p SET units_sold_7d = coalesce(sold.units, 0)
         FROM ${s}.products q LEFT JOIN sold ON sold.sku = q.sku
         WHERE q.sku = p.sku AND p.units_sold_7d <> coalesce(sold.units, 0)`,
      );
      return rowCount ?? 0;
    },

    /** Recomputes `expires_soon` where the calendar may have changed it; returns the SKUs that flipped. */
    async refreshExpiresSoon(db: Queryable): Promise<string[]> {
      const { rows } = await db.query<{ sku: string }>(
        `UPDATE ${s}.products p SET expires_soon = NOT p.expires_soon
         WHERE (p.expires_soon OR p.sku IN (SELECT sku FROM ${s}.expiring_lots WHERE quantity > 0
                  AND expires_on BETWEEN ${s}.today() AND ${s}.today() + ${EXPIRES_SOON_DAYS}))
           AND p.expires_soon IS DISTINCT FROM ${expiresSoon}
         RETURNING p.sku`,
      );
      await db.query(`DELETE FROM ${s}.expiring_lots WHERE expires_on < ${s}.today() - 30`);
      return rows.map((r) => r.sku);
    },

    /** Claims today's refresh for this caller (once per shop day across instances); false if done. */
    async claimDailyRefresh(tx: Tx): Promise<boolean> {
      const { rowCount } = await tx.query(
        `INSERT INTO ${s}.daily_refresh AS d (job, done_on) VALUES ('projections', ${s}.today())
         ON CONFLICT (job) DO UPDATE SET done_on = excluded.done_on WHERE d.done_on < excluded.done_on`,
      );
      return rowCount === 1;
    },
  };
}

/** The projection store's type. */
export type ProjectionStore = ReturnType<typeof projectionStore>;

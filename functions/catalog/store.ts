/**
 * PostgreSQL persistence of categories and products (schema `catalog`): reads of one product with
 * its category path, row locks for writers, batched upserts and soft deletes. Listings are in
 * store-listing.ts, inventory and sales projections in store-projections.ts.
 */
import type { CategoryRef } from '../../events';
import { ident, type Queryable, type Tx } from '../shared/db';
import type { ProductFields, StoredProduct } from './domain';

/** A category as stored. */
export interface Category {
  id: string;
  parent_id: string | null;
  name_en: string;
  name_vi: string;
  position: number;
  path: string[];
}

/** A stored product with its category path (root → leaf, with names). */
export interface ProductWithPath extends StoredProduct {
  category_path: CategoryRef[];
}

/** A product to write: its fields, the version it gets and its timestamps. */
export interface ProductRowWrite extends ProductFields {
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** The columns of a stored product, in the shape of `StoredProduct`. */
export const PRODUCT_COLUMNS = `p.sku, p.name_en, p.name_vi, p.description_en, p.description_vi, p.category_id,
  p.brand, p.manufacturer, p.unit, p.size, p.sold_by, p.price_vnd, p.price_per_kg_vnd, p.nominal_weight_g,
  p.dietary, p.tags, p.is_perishable, p.shelf_life_days, p.tax_category, p.image_urls, p.status, p.created_at,
  p.updated_at, p.deleted_at, p.version, p.in_stock, p.expires_soon`;

/** SQL for the category path (root → leaf, with both names) of the category id in `categoryId`. */
export function categoryPathSql(schema: string, categoryId: string): string {
  const s = ident(schema);
  return `(SELECT jsonb_agg(jsonb_build_object('id', a.id, 'name_en', a.name_en, 'name_vi', a.name_vi) ORDER BY u.n)
     FROM ${s}.categories c CROSS JOIN LATERAL unnest(c.path) WITH ORDINALITY AS u(id, n)
     JOIN ${s}.categories a ON a.id = u.id WHERE c.id = ${categoryId})`;
}

const RECORD = `sku text, name_en text, name_vi text, description_en text, description_vi text, category_id text,
  brand text, manufacturer text, unit text, size float8, sold_by text, price_vnd int, price_per_kg_vnd int,
  nominal_weight_g int, dietary text[], tags text[], is_perishable boolean, shelf_life_days int,
  tax_category text, image_urls text[], status text, version int, created_at timestamptz, updated_at timestamptz`;

/** The catalog's product and category tables. */
export function catalogStore(schema: string) {
  const s = ident(schema);
  const pathOf = categoryPathSql(schema, 'p.category_id');
  const inStock = (sku: string) =>
    `(NOT EXISTS (SELECT 1 FROM ${s}.stock_levels l WHERE l.sku = ${sku})
      OR EXISTS (SELECT 1 FROM ${s}.stock_levels l WHERE l.sku = ${sku} AND l.available > 0))`;
  const expiresSoon = (sku: string) =>
    `EXISTS (SELECT 1 FROM ${s}.expiring_lots e WHERE e.sku = ${sku} AND e.quantity > 0
      AND e.expires_on BETWEEN ${s}.today() AND ${s}.today() + 3)`;

  return {
    /** SQL for the in_stock flag of the SKU in `sku` (no stock rows yet, or any location with stock). */
    inStockSql: inStock,
    /** SQL for the expires_soon flag of the SKU in `sku` (a lot with stock expiring within 3 days). */
    expiresSoonSql: expiresSoon,

    /** Adds or renames categories (parents first or not: paths are derived from `parent_id` after). */
    async upsertCategories(db: Queryable, categories: Omit<Category, 'path'>[]): Promise<void> {
      if (categories.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.categories (id, parent_id, name_en, name_vi, position, path)
         SELECT id, NULL, name_en, name_vi, position, ARRAY[id] FROM jsonb_to_recordset($1::jsonb)
           AS r(id text, name_en text, name_vi text, position int)
         ON CONFLICT (id) DO UPDATE SET name_en = excluded.name_en, name_vi = excluded.name_vi,
           position = excluded.position`,
        [JSON.stringify(categories)],
      );
      await db.query(
        `UPDATE ${s}.categories c SET parent_id = r.parent_id FROM jsonb_to_recordset($1::jsonb)
           AS r(id text, parent_id text) WHERE c.id = r.id AND c.parent_id IS DISTINCT FROM r.parent_id`,
        [JSON.stringify(categories.map((c) => ({ id: c.id, parent_id: c.parent_id })))],
      );
      await db.query(
        `WITH RECURSIVE tree AS (
           SELECT id, ARRAY[id] AS path FROM ${s}.categories WHERE parent_id IS NULL
           UNION ALL
           SELECT c.id, t.path || c.id FROM ${s}.categories c JOIN tree t ON c.parent_id = t.id
           WHERE cardinality(t.path) < 8)
         UPDATE ${s}.categories c SET path = tree.path FROM tree WHERE c.id = tree.id AND c.path <> tree.path`,
      );
    },

    /** Every category, parents before children, siblings by position. */
    async categories(db: Queryable): Promise<Category[]> {
      const { rows } = await db.query<Category>(
        `SELECT id, parent_id, name_en, name_vi, position, path FROM ${s}.categories
         ORDER BY cardinality(path), position, id`,
      );
      return rows;
    },

    /** Live, active products per category (not including descendants). */
    async activeCountsByCategory(db: Queryable): Promise<Map<string, number>> {
      const { rows } = await db.query<{ category_id: string; n: number }>(
        `SELECT category_id, count(*)::int AS n FROM ${s}.products
         WHERE status = 'active' AND deleted_at IS NULL GROUP BY category_id`,
      );
      return new Map(rows.map((r) => [r.category_id, r.n]));
    },

    /** The ids among `ids` that name a category. */
    async existingCategories(db: Queryable, ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM ${s}.categories WHERE id = ANY($1::text[])`,
        [ids],
      );
      return new Set(rows.map((r) => r.id));
    },

    /** One category with its name, or undefined. */
    async category(db: Queryable, id: string): Promise<Category | undefined> {
      const { rows } = await db.query<Category>(
        `SELECT id, parent_id, name_en, name_vi, position, path FROM ${s}.categories WHERE id = $1`,
        [id],
      );
      return rows[0];
    },

    /** A product with its category path; deleted ones only when asked. */
    async product(
      db: Queryable,
      sku: string,
      opts: { includeDeleted?: boolean } = {},
    ): Promise<ProductWithPath | undefined> {
      const { rows } = await db.query<ProductWithPath>({
        name: `catalog-product-${schema}-${opts.includeDeleted ? 'all' : 'live'}`,
        text: `SELECT ${PRODUCT_COLUMNS}, ${pathOf} AS category_path FROM ${s}.products p
               WHERE p.sku = $1 ${opts.includeDeleted ? '' : 'AND p.deleted_at IS NULL'}`,
        values: [sku],
      });
      return rows[0];
    },

    /**
     * Locks the rows of `skus` (deleted ones included) for the rest of the transaction, in SKU order
     * so concurrent batch writers cannot deadlock. A SKU without a row is simply absent.
     */
    async lockProducts(tx: Tx, skus: string[]): Promise<Map<string, ProductWithPath>> {
      if (skus.length === 0) return new Map();
      const { rows } = await tx.query<ProductWithPath>(
        `SELECT ${PRODUCT_COLUMNS}, ${pathOf} AS category_path FROM ${s}.products p
         WHERE p.sku = ANY($1::text[]) ORDER BY p.sku FOR UPDATE OF p`,
        [skus],
      );
      return new Map(rows.map((r) => [r.sku, r]));
    },

    /**
     * Inserts new products and overwrites existing rows (updates, and deleted SKUs created again) in
     * one statement. Stock flags are computed from the projections for new rows and kept otherwise.
     * Rows missing from the result collided with a concurrent create of the same SKU.
     */
    async upsertProducts(tx: Tx, rows: ProductRowWrite[]): Promise<ProductWithPath[]> {
      if (rows.length === 0) return [];
      const { rows: written } = await tx.query<ProductWithPath>(
        `WITH w AS (
           INSERT INTO ${s}.products AS t (sku, name_en, name_vi, description_en, description_vi, category_id, brand,
             manufacturer, unit, size, sold_by, price_vnd, price_per_kg_vnd, nominal_weight_g, dietary, tags,
             is_perishable, shelf_life_days, tax_category, image_urls, status, version, created_at, updated_at,
             in_stock, expires_soon)
           SELECT r.sku, r.name_en, r.name_vi, r.description_en, r.description_vi, r.category_id, r.brand,
             r.manufacturer, r.unit, r.size, r.sold_by, r.price_vnd, r.price_per_kg_vnd, r.nominal_weight_g,
             r.dietary, r.tags, r.is_perishable, r.shelf_life_days, r.tax_category, r.image_urls, r.status,
             r.version, r.created_at, r.updated_at, ${inStock('r.sku')}, ${expiresSoon('r.sku')}
           FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD})
           ON CONFLICT (sku) DO UPDATE SET name_en = excluded.name_en, name_vi = excluded.name_vi,
             description_en = excluded.description_en, description_vi = excluded.description_vi,
             category_id = excluded.category_id, brand = excluded.brand, manufacturer = excluded.manufacturer,
             unit = excluded.unit, size = excluded.size, sold_by = excluded.sold_by, price_vnd = excluded.price_vnd,
             price_per_kg_vnd = excluded.price_per_kg_vnd, nominal_weight_g = excluded.nominal_weight_g,
             dietary = excluded.dietary, tags = excluded.tags, is_perishable = excluded.is_perishable,
             shelf_life_days = excluded.shelf_life_days, tax_category = excluded.tax_category,
             image_urls = excluded.image_urls, status = excluded.status,
             version = excluded.version, created_at = excluded.created_at, updated_at = excluded.updated_at,
             deleted_at = NULL
           -- The writer planned against the row it locked; a row it did not see (a concurrent create) is left alone.
           WHERE t.version = excluded.version - 1
           RETURNING t.*)
         SELECT ${PRODUCT_COLUMNS}, ${pathOf} AS category_path FROM w p ORDER BY p.sku`,
        [JSON.stringify(rows)],
      );
      return written;
    },

    /** Inserts new products as they are (a bulk load: no conflict handling, no event, no result). */
    async insertProducts(db: Queryable, rows: ProductRowWrite[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.products (sku, name_en, name_vi, description_en, description_vi, category_id, brand,
           manufacturer, unit, size, sold_by, price_vnd, price_per_kg_vnd, nominal_weight_g, dietary, tags,
           is_perishable, shelf_life_days, tax_category, image_urls, status, version, created_at, updated_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD})`,
        [JSON.stringify(rows)],
      );
    },

    /** Whether the catalog holds any product (deleted ones included). */
    async hasProducts(db: Queryable): Promise<boolean> {
      const { rows } = await db.query(`SELECT 1 FROM ${s}.products LIMIT 1`);
      return rows.length > 0;
    },

    /** Soft-deletes a live product: version + 1. Returns the new version, or undefined when not live. */
    async softDelete(tx: Tx, sku: string, at: Date): Promise<number | undefined> {
      const { rows } = await tx.query<{ version: number }>(
        `UPDATE ${s}.products SET deleted_at = $2, updated_at = $2, version = version + 1
         WHERE sku = $1 AND deleted_at IS NULL RETURNING version`,
        [sku, at],
      );
      return rows[0]?.version;
    },
  };
}

/** The store's type. */
export type CatalogStore = ReturnType<typeof catalogStore>;

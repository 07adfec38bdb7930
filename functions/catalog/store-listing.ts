/**
 * Listing queries of the catalog: filtered, keyset-paged product cards, popular and promoted
 * products, and the SKU-ordered export that the search reindex reads. Only live products (active,
 * not deleted) are listed; every filter and order has a partial index (migrations/001_catalog.sql).
 */
import { ident, type Queryable } from '../shared/db';
import type { KeysetPosition } from './cursor';
import type { ListFilters, ListSort } from './params';
import { categoryPathSql, PRODUCT_COLUMNS, type ProductWithPath } from './store';

/** One listed product: what a card shows, plus the row's sort key for the next cursor. */
export interface CardRow {
  sku: string;
  name_en: string;
  name_vi: string;
  brand: string;
  category_id: string;
  category_name_en: string;
  category_name_vi: string;
  price_vnd: number;
  price_per_kg_vnd: number | null;
  unit: string;
  size: number;
  sold_by: string;
  image_url: string | null;
  dietary: string[];
  in_stock: boolean;
  expires_soon: boolean;
  units_sold_7d: number;
  sort_key: string;
}

interface SortSpec {
  key: string;
  dir: 'ASC' | 'DESC';
  /** The SQL type a cursor's key is read back as. */
  cast: string;
  /** The key rendered as text, exactly (timestamps to the microsecond). */
  render: string;
}

const NUMBER = (key: string, dir: 'ASC' | 'DESC'): SortSpec => ({
  key,
  dir,
  cast: 'int',
  render: `${key}::text`,
});

/** Orders: ties break on SKU in the same direction, so each order is one row comparison on one index. */
function sortSpec(sort: ListSort, lang: 'en' | 'vi'): SortSpec {
  switch (sort) {
    case 'relevance':
    case 'popular':
      return NUMBER('p.units_sold_7d', 'DESC');
    case 'price':
      return NUMBER('p.price_vnd', 'ASC');
    case 'price_desc':
      return NUMBER('p.price_vnd', 'DESC');
    case 'name': {
      const key = lang === 'vi' ? 'p.name_sort_vi' : 'p.name_sort_en';
      return { key, dir: 'ASC', cast: 'text COLLATE "C"', render: key };
    }
    case 'newest':
      return {
        key: 'p.created_at',
        dir: 'DESC',
        cast: 'timestamptz',
        render: `to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      };
  }
}

/** A listing request as the store takes it. */
export interface ListRequest {
  filters: ListFilters;
  sort: ListSort;
  lang: 'en' | 'vi';
  limit: number;
  after?: KeysetPosition;
  /** Only products sold in the last 7 days (popular lists). */
  soldOnly?: boolean;
}

/** The listing queries of one schema. */
export function listingStore(schema: string) {
  const s = ident(schema);
  const LIVE = `p.status = 'active' AND p.deleted_at IS NULL`;
  const CARD = `p.sku, p.name_en, p.name_vi, p.brand, p.category_id, c.name_en AS category_name_en,
    c.name_vi AS category_name_vi, p.price_vnd, p.price_per_kg_vnd, p.unit, p.size, p.sold_by,
    p.image_urls[1] AS image_url, p.dietary, p.in_stock, p.expires_soon, p.units_sold_7d`;
  const descendants = (param: string) =>
    `p.category_id = ANY(ARRAY(SELECT d.id FROM ${s}.categories d WHERE d.path @> ARRAY[${param}::text]))`;

  return {
    /** One page of cards (`limit + 1` rows are read to know whether another page follows). */
    async list(db: Queryable, q: ListRequest): Promise<{ rows: CardRow[]; more: boolean }> {
      const params: unknown[] = [];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const f = q.filters;
      const where = [LIVE];
      if (f.category !== undefined) where.push(descendants(p(f.category)));
      if (f.dietary.length) where.push(`p.dietary @> ${p(f.dietary)}::text[]`);
      if (f.tags.length) where.push(`p.tags @> ${p(f.tags)}::text[]`);
      if (f.brand.length)
        where.push(`p.brand_folded = ANY(ARRAY(SELECT ${s}.fold(b) FROM unnest(${p(f.brand)}::text[]) b))`);
      if (f.is_perishable !== undefined) where.push(`p.is_perishable = ${p(f.is_perishable)}`);
      if (f.in_stock !== undefined) where.push(`p.in_stock = ${p(f.in_stock)}`);
      if (f.expires_soon !== undefined) where.push(`p.expires_soon = ${p(f.expires_soon)}`);
      if (f.price_min !== undefined) where.push(`p.price_vnd >= ${p(f.price_min)}`);
      if (f.price_max !== undefined) where.push(`p.price_vnd <= ${p(f.price_max)}`);
      if (q.soldOnly) where.push('p.units_sold_7d > 0');
      const sort = sortSpec(q.sort, q.lang);
      if (q.after) {
        const op = sort.dir === 'ASC' ? '>' : '<';
        where.push(
          `(${sort.key}, p.sku) ${op} (${p(q.after.key)}::${sort.cast}, ${p(q.after.sku)}::text COLLATE "C")`,
        );
      }
      const { rows } = await db.query<CardRow>(
        `SELECT ${CARD}, ${sort.render} AS sort_key
         FROM ${s}.products p JOIN ${s}.categories c ON c.id = p.category_id
         WHERE ${where.join(' AND ')}
         ORDER BY ${sort.key} ${sort.dir}, p.sku ${sort.dir}
         LIMIT ${p(q.limit + 1)}`,
        params,
      );
      const more = rows.length > q.limit;
      return { rows: more ? rows.slice(0, q.limit) : rows, more };
    },

    /** The `perRoot` best sellers of the last 7 days under each top-level category. */
    async popularByRoot(db: Queryable, perRoot: number): Promise<(CardRow & { root_id: string })[]> {
      const { rows } = await db.query<CardRow & { root_id: string }>(
        `SELECT r.id AS root_id, x.* FROM ${s}.categories r CROSS JOIN LATERAL (
           SELECT ${CARD}, p.units_sold_7d::text AS sort_key
           FROM ${s}.products p JOIN ${s}.categories c ON c.id = p.category_id
           WHERE ${LIVE} AND p.units_sold_7d > 0 AND ${descendants('r.id')}
           ORDER BY p.units_sold_7d DESC, p.sku DESC LIMIT $1) x
         WHERE r.parent_id IS NULL
         ORDER BY r.position, r.id, x.units_sold_7d DESC, x.sku DESC`,
        [perRoot],
      );
      return rows;
    },

    /**
     * Live products tagged `promoted`, most recently changed first. Staff set the tag today; the
     * promotions function will feed it once it exists.
     */
    async promoted(db: Queryable, limit: number): Promise<CardRow[]> {
      const { rows } = await db.query<CardRow>(
        `SELECT ${CARD}, '' AS sort_key FROM ${s}.products p JOIN ${s}.categories c ON c.id = p.category_id
         WHERE ${LIVE} AND p.tags @> '{promoted}' ORDER BY p.updated_at DESC, p.sku DESC LIMIT $1`,
        [limit],
      );
      return rows;
    },

    /** Every non-deleted product of any status after `after`, in SKU order. */
    async exportPage(
      db: Queryable,
      after: string | undefined,
      limit: number,
    ): Promise<(ProductWithPath & { units_sold_7d: number })[]> {
      const { rows } = await db.query<ProductWithPath & { units_sold_7d: number }>(
        `SELECT ${PRODUCT_COLUMNS}, p.units_sold_7d, ${categoryPathSql(schema, 'p.category_id')} AS category_path
         FROM ${s}.products p
         WHERE p.deleted_at IS NULL AND ($1::text IS NULL OR p.sku > $1::text COLLATE "C")
         ORDER BY p.sku LIMIT $2`,
        [after ?? null, limit],
      );
      return rows;
    },
  };
}

/** The listing store's type. */
export type ListingStore = ReturnType<typeof listingStore>;

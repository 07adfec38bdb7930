/**
 * Listing queries of the catalog: filtered, keyset-paged product cards, popular products, products
 * on promotion, and the SKU-ordered export that the search reindex reads. Only live products
 * (active, not deleted) are listed; every filter and order has a partial index (migrations/).
 */
import { ident, type Queryable, type Tx } from '../shared/db';
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

/** A promotion's badge on a promoted product. */
export interface PromotionBadgeRow {
  id: string;
  label_en: string;
  label_vi: string;
  kind: string;
}

/** A promoted product: its card and the badges of the live promotions that cover it. */
export interface PromotedRow extends CardRow {
  promotions: PromotionBadgeRow[];
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
     * Live products covered by at least one live, automatic promotion (store-promotions.ts) that
     * targets SKUs, categories (descendants included) or brands, each with its promotions' badges
     * (most recently started first). Products are ordered by their most recently started promotion,
     * then SKU. Live means within the schedule now, whether or not its `ended` event has arrived.
     *
     * A product on the page is among the first `limit` products (by SKU) of the promotion that
     * ranks it, since every product of that promotion with a lower SKU ranks before it; so each
     * promotion contributes at most `limit` candidates, whatever its reach, and only the page's
     * products are matched against every promotion for their badges. Runs in the caller's
     * transaction with JIT off: the lateral's estimate passes the JIT threshold, and compiling
     * took ~360 ms of a ~440 ms answer (200 live promotions over the 50k seed); without it, ~55 ms.
     */
    async promoted(tx: Tx, limit: number): Promise<PromotedRow[]> {
      await tx.query('SET LOCAL jit = off');
      const { rows } = await tx.query<PromotedRow>(
        `WITH shown AS MATERIALIZED (
           SELECT id, label_en, label_vi, kind, target_kind, skus, brands, started_at,
             ARRAY(SELECT d.id FROM ${s}.categories d WHERE d.path && categories) AS category_ids
           FROM ${s}.promotions
           WHERE NOT ended AND NOT coupon AND target_kind IN ('skus', 'categories', 'brands')
             AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())),
         candidates AS (
           SELECT x.sku, w.started_at FROM shown w CROSS JOIN LATERAL (
             (SELECT p.sku FROM ${s}.products p WHERE w.target_kind = 'skus' AND p.sku = ANY(w.skus) AND ${LIVE}
              ORDER BY p.sku LIMIT $1)
             UNION ALL
             (SELECT p.sku FROM ${s}.products p
              WHERE w.target_kind = 'categories' AND p.category_id = ANY(w.category_ids) AND ${LIVE}
              ORDER BY p.sku LIMIT $1)
             UNION ALL
             -- A brand is narrow: read its products by brand (OFFSET 0 keeps the planner from
             -- walking every SKU in order instead), then take the first ones by SKU.
             (SELECT b.sku FROM (SELECT p.sku FROM ${s}.products p
                WHERE w.target_kind = 'brands' AND p.brand_folded = ANY(w.brands) AND ${LIVE} OFFSET 0) b
              ORDER BY b.sku LIMIT $1)) x),
         ranked AS (
           SELECT sku, max(started_at) AS started FROM candidates GROUP BY sku
           ORDER BY started DESC, sku LIMIT $1)
         SELECT ${CARD}, '' AS sort_key,
           (SELECT jsonb_agg(jsonb_build_object('id', w.id, 'label_en', w.label_en, 'label_vi', w.label_vi,
                     'kind', w.kind) ORDER BY w.started_at DESC, w.id)
            FROM shown w WHERE CASE w.target_kind
              WHEN 'skus' THEN p.sku = ANY(w.skus)
              WHEN 'categories' THEN p.category_id = ANY(w.category_ids)
              ELSE p.brand_folded = ANY(w.brands) END) AS promotions
         FROM ranked r JOIN ${s}.products p ON p.sku = r.sku JOIN ${s}.categories c ON c.id = p.category_id
         ORDER BY r.started DESC, p.sku`,
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

/**
 * The canonical search documents in PostgreSQL (`search.documents`), the inventory projections
 * behind their availability flags and the promotions they carry. Every write is version- or
 * sequence-guarded and bumps the document's `revision`, so at-least-once, out-of-order deliveries
 * converge.
 */
import type { ProductSnapshot, PromotionTargetRef } from '../../events';
import { ident, type Queryable } from '../shared/db';
import { returning, toIndexed, type DocumentRow as Row } from './document-rows';
import type { IndexedDocument, SearchDocument } from './ports';
import { promotionStore } from './promotion-store';
import { promotionsFor, type DocPromotion, type ProductKeys } from './promotions';
import { fold } from './text';

/** Days ahead within which a lot counts as expiring soon. */
export const EXPIRES_SOON_DAYS = 3;

/** The documents store of one schema. */
export function documentStore(schema: string) {
  const s = ident(schema);
  const promotions = promotionStore(schema);
  const inStock = (sku: string) =>
    `(NOT EXISTS (SELECT 1 FROM ${s}.stock WHERE sku = ${sku}) OR EXISTS (SELECT 1 FROM ${s}.stock WHERE sku = ${sku} AND available > 0))`;
  const expiresSoon = (sku: string) =>
    `EXISTS (SELECT 1 FROM ${s}.expiring_lots WHERE sku = ${sku} AND quantity > 0 AND expires_on BETWEEN current_date AND current_date + ${EXPIRES_SOON_DAYS})`;

  return {
    /**
     * Stores products (a newer version replaces an older one; `replaceEqual` also rewrites the same
     * version, as a reindex does) with the promotions covering them. Inactive products become
     * tombstones. Returns the rows written.
     */
    async upsertProducts(
      db: Queryable,
      items: { product: ProductSnapshot; doc: SearchDocument; popularity?: number }[],
      opts: { replaceEqual?: boolean } = {},
    ): Promise<IndexedDocument[]> {
      if (items.length === 0) return [];
      await promotions.lock(db, 'shared'); // a promotion changing now waits, or has committed
      const live = await promotions.marking(db);
      const rows = items.map(({ product, doc, popularity }) => ({
        sku: doc.sku,
        version: doc.version,
        deleted: product.status !== 'active',
        name_en: doc.name_en,
        name_vi: doc.name_vi,
        brand: doc.brand,
        category_id: doc.category_id,
        category_ids: doc.category_ids,
        category_text: [...doc.category_names_vi, ...doc.category_names_en].join(' '),
        description: `${doc.description_vi} ${doc.description_en}`,
        price_vnd: doc.price_vnd,
        dietary: doc.dietary,
        tags: doc.tags,
        is_perishable: doc.is_perishable,
        popularity: popularity ?? null,
        created_at: doc.created_at,
        promotions: product.status === 'active' ? promotionsFor(doc, live) : [],
        doc: { ...doc, promotions: [] }, // kept in their own column
      }));
      const cmp = opts.replaceEqual ? '<=' : '<';
      const { rows: written } = await db.query<Row>(
        `INSERT INTO ${s}.documents AS d (sku, version, revision, deleted, name_en, name_vi, brand, category_id,
           category_ids, category_text, description, price_vnd, dietary, tags, is_perishable, popularity,
           created_at, promotions, doc, in_stock, expires_soon)
         SELECT r.sku, r.version, nextval('${schema}.revisions'), r.deleted, r.name_en, r.name_vi, r.brand,
           r.category_id, r.category_ids, r.category_text, r.description, r.price_vnd, r.dietary, r.tags,
           r.is_perishable, coalesce(r.popularity, 0), r.created_at, r.promotions, r.doc, ${inStock('r.sku')},
           ${expiresSoon('r.sku')}
         FROM jsonb_to_recordset($1::jsonb) AS r(sku text, version int, deleted boolean, name_en text, name_vi text,
           brand text, category_id text, category_ids text[], category_text text, description text, price_vnd bigint,
           dietary text[], tags text[], is_perishable boolean, popularity int, created_at timestamptz,
           promotions jsonb, doc jsonb)
         ON CONFLICT (sku) DO UPDATE SET version = excluded.version, revision = excluded.revision,
           deleted = excluded.deleted, name_en = excluded.name_en, name_vi = excluded.name_vi, brand = excluded.brand,
           category_id = excluded.category_id, category_ids = excluded.category_ids,
           category_text = excluded.category_text, description = excluded.description,
           price_vnd = excluded.price_vnd, dietary = excluded.dietary, tags = excluded.tags,
           is_perishable = excluded.is_perishable, created_at = excluded.created_at,
           promotions = excluded.promotions, doc = excluded.doc,
           popularity = CASE WHEN $2::boolean THEN excluded.popularity ELSE d.popularity END
         WHERE d.version ${cmp} excluded.version
         RETURNING ${returning()}`,
        [JSON.stringify(rows), items.some((i) => i.popularity !== undefined)],
      );
      await this.upsertCategories(
        db,
        items.map((i) => i.product.category_path),
      );
      return written.map(toIndexed);
    },

    /** Records category names seen on products (facet labels, filter validation). */
    async upsertCategories(db: Queryable, paths: ProductSnapshot['category_path'][]): Promise<void> {
      const seen = new Map<
        string,
        { id: string; name_en: string; name_vi: string; parent_id: string | null }
      >();
      for (const path of paths)
        path.forEach((c, i) => seen.set(c.id, { ...c, parent_id: i > 0 ? path[i - 1]!.id : null }));
      if (seen.size === 0) return;
      await db.query(
        `INSERT INTO ${s}.categories (id, name_en, name_vi, parent_id)
         SELECT id, name_en, name_vi, parent_id FROM jsonb_to_recordset($1::jsonb)
           AS r(id text, name_en text, name_vi text, parent_id text)
         ORDER BY id
         ON CONFLICT (id) DO UPDATE SET name_en = excluded.name_en, name_vi = excluded.name_vi, parent_id = excluded.parent_id
         WHERE (${s}.categories.name_en, ${s}.categories.name_vi, ${s}.categories.parent_id)
           IS DISTINCT FROM (excluded.name_en, excluded.name_vi, excluded.parent_id)`,
        [JSON.stringify([...seen.values()])],
      );
    },

    /** Tombstones a product unless a newer version is stored; returns the row written, if any. */
    async removeProduct(db: Queryable, sku: string, version: number): Promise<IndexedDocument[]> {
      const { rows } = await db.query<Row>(
        `INSERT INTO ${s}.documents AS d (sku, version, revision, deleted, doc)
         VALUES ($1, $2, nextval('${schema}.revisions'), true, NULL)
         ON CONFLICT (sku) DO UPDATE SET version = excluded.version, revision = excluded.revision, deleted = true,
           promotions = '[]'
         WHERE d.version < excluded.version
         RETURNING ${returning()}`,
        [sku, version],
      );
      return rows.map(toIndexed);
    },

    /** Applies a stock level (a higher sequence wins); returns the document when its in-stock flag flipped. */
    async applyStock(
      db: Queryable,
      e: { sku: string; location: string; available: number; sequence: number },
    ): Promise<IndexedDocument[]> {
      await db.query(
        `INSERT INTO ${s}.stock (sku, location, available, sequence) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sku, location) DO UPDATE SET available = excluded.available, sequence = excluded.sequence
         WHERE ${s}.stock.sequence < excluded.sequence`,
        [e.sku, e.location, e.available, e.sequence],
      );
      return this.refreshFlags(db, e.sku);
    },

    /** Applies an expiring-lot notice; returns the document when its expires-soon flag flipped. */
    async applyExpiring(
      db: Queryable,
      e: { sku: string; location: string; lot_id: string; expires_on: string; quantity: number },
    ): Promise<IndexedDocument[]> {
      await db.query(
        `INSERT INTO ${s}.expiring_lots (sku, location, lot_id, expires_on, quantity) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sku, location, lot_id) DO UPDATE SET expires_on = excluded.expires_on, quantity = excluded.quantity`,
        [e.sku, e.location, e.lot_id, e.expires_on, e.quantity],
      );
      return this.refreshFlags(db, e.sku);
    },

    /** Recomputes the availability flags of documents (all when `sku` is omitted); returns those that changed. */
    async refreshFlags(db: Queryable, sku?: string): Promise<IndexedDocument[]> {
      const { rows } = await db.query<Row>(
        `UPDATE ${s}.documents d SET in_stock = f.in_stock, expires_soon = f.expires_soon,
           revision = nextval('${schema}.revisions')
         FROM (SELECT sku, ${inStock('x.sku')} AS in_stock, ${expiresSoon('x.sku')} AS expires_soon
               FROM ${s}.documents x WHERE $1::text IS NULL OR x.sku = $1) f
         WHERE d.sku = f.sku AND (d.in_stock, d.expires_soon) IS DISTINCT FROM (f.in_stock, f.expires_soon)
         RETURNING ${returning('d.')}`,
        [sku ?? null],
      );
      return rows.map(toIndexed);
    },

    /**
     * The result cache's mark: the revision sequence's last value, which moves on every indexed
     * write, and how many promotion starts and ends have passed, which moves when a promotion
     * starts or ends on schedule (answers filtered on promotions change then, with no write).
     */
    async changeMark(db: Queryable): Promise<string> {
      const { rows } = await db.query<{ v: string }>(
        `SELECT last_value::text || ':' || is_called::text || ':' ||
           (SELECT count(*) FILTER (WHERE starts_at <= now()) + count(*) FILTER (WHERE ends_at <= now())
            FROM ${s}.promotions WHERE NOT ended)::text AS v
         FROM ${s}.revisions`,
      );
      return rows[0]!.v;
    },

    /**
     * Live documents a promotion change may touch: those carrying promotion `id` now, and those
     * its new target may cover (`target` null: none; a superset, `promotionsFor` decides).
     */
    async promotionCandidates(
      db: Queryable,
      id: string,
      target: PromotionTargetRef | null,
    ): Promise<(ProductKeys & { promotions: DocPromotion[] })[]> {
      const t = target ?? { kind: 'order' };
      const { rows } = await db.query<ProductKeys & { promotions: DocPromotion[] }>(
        `SELECT sku, brand, category_ids, promotions FROM ${s}.documents d
         WHERE NOT deleted AND (
           (promotions <> '[]'::jsonb AND promotions @> jsonb_build_array(jsonb_build_object('id', $1::text)))
           OR d.sku = ANY($2::text[]) OR d.category_ids && $3::text[] OR d.brand_folded = ANY($4::text[]))
         ORDER BY sku`,
        [
          id,
          t.kind === 'skus' ? t.skus : [],
          t.kind === 'categories' ? t.categories : [],
          t.kind === 'brands' ? t.brands.map(fold) : [],
        ],
      );
      return rows;
    },

    /** Replaces the promotions of live documents; returns the rows written. */
    async setPromotions(
      db: Queryable,
      updates: { sku: string; promotions: DocPromotion[] }[],
    ): Promise<IndexedDocument[]> {
      if (updates.length === 0) return [];
      const { rows } = await db.query<Row>(
        `UPDATE ${s}.documents d SET promotions = u.promotions, revision = nextval('${schema}.revisions')
         FROM jsonb_to_recordset($1::jsonb) AS u(sku text, promotions jsonb)
         WHERE d.sku = u.sku AND NOT d.deleted AND d.promotions IS DISTINCT FROM u.promotions
         RETURNING ${returning('d.')}`,
        [JSON.stringify(updates)],
      );
      return rows.map(toIndexed);
    },

    /** The next value of the revision sequence (a reindex's watermark). */
    async nextRevision(db: Queryable): Promise<number> {
      const { rows } = await db.query<{ r: string }>(`SELECT nextval('${schema}.revisions') AS r`);
      return Number(rows[0]!.r);
    },

    /** Tombstones live documents not rewritten since `revision` (gone from the catalog during a reindex). */
    async tombstoneOlderThan(db: Queryable, revision: number): Promise<IndexedDocument[]> {
      const { rows } = await db.query<Row>(
        `UPDATE ${s}.documents SET deleted = true, revision = nextval('${schema}.revisions')
         WHERE NOT deleted AND revision < $1 RETURNING ${returning()}`,
        [revision],
      );
      return rows.map(toIndexed);
    },

    /** Every stored document in SKU order, in batches (for rebuilding an engine's index). */
    async *batches(db: Queryable, size = 2000): AsyncGenerator<IndexedDocument[]> {
      let after = '';
      for (;;) {
        const { rows } = await db.query<Row>(
          `SELECT ${returning()} FROM ${s}.documents WHERE sku > $1 ORDER BY sku LIMIT $2`,
          [after, size],
        );
        if (rows.length === 0) return;
        yield rows.map(toIndexed);
        after = rows[rows.length - 1]!.sku;
      }
    },

    /** Category names by id. */
    async categories(
      db: Queryable,
    ): Promise<Map<string, { name_en: string; name_vi: string; parent_id: string | null }>> {
      const { rows } = await db.query<{
        id: string;
        name_en: string;
        name_vi: string;
        parent_id: string | null;
      }>(`SELECT id, name_en, name_vi, parent_id FROM ${s}.categories`);
      return new Map(rows.map((r) => [r.id, r]));
    },

    /** Folded words of live documents with their document frequency (the spelling vocabulary). */
    async vocabulary(db: Queryable): Promise<Map<string, number>> {
      const { rows } = await db.query<{ word: string; ndoc: number }>(
        `SELECT word, ndoc FROM ts_stat('SELECT tsv_folded FROM ${s}.documents WHERE NOT deleted', 'ABC')
         WHERE word ~ '^[a-z0-9]+$'`,
      );
      return new Map(rows.map((r) => [r.word, r.ndoc]));
    },
  };
}

/** The documents store. */
export type DocumentStore = ReturnType<typeof documentStore>;

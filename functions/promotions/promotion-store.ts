/**
 * Promotions, their coupon codes and usage counters, and the VAT rate table. Persistence only:
 * every write takes the caller's transaction.
 */
import { ident, type Queryable } from '../shared/db';
import type { Definition } from './definition';
import type { VatRate } from './vat';

/** A stored promotion with its bookkeeping. */
export interface PromotionRow {
  definition: Definition;
  used: number;
  announced: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

/** A coupon code. */
export interface CouponRow {
  code: string;
  promotion_id: string;
  max_uses: number | null;
  uses: number;
  batch_id: string | null;
  created_at: string;
}

const PROMOTION_COLUMNS = `definition, used, announced, version,
  to_json(created_at)#>>'{}' AS created_at, to_json(updated_at)#>>'{}' AS updated_at, updated_by`;

/** Columns derived from a definition, kept beside it for queries and constraints. */
function derived(def: Definition) {
  return [
    def.status,
    def.requires_coupon ?? false,
    def.starts_at ?? null,
    def.ends_at ?? null,
    def.global_limit ?? null,
    def.per_customer_limit ?? null,
  ];
}

/** The store in `schema`. */
export function promotionStore(schema: string) {
  const s = ident(schema);
  return {
    /** Inserts a new promotion; false when the id is taken. */
    async insert(db: Queryable, def: Definition, actor: string): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.promotions (id, definition, status, requires_coupon, starts_at, ends_at,
           global_limit, per_customer_limit, version, created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, now(), now(), $9)
         ON CONFLICT (id) DO NOTHING`,
        [def.id, JSON.stringify(def), ...derived(def), actor],
      );
      return rowCount === 1;
    },

    /** The promotion, locked for update when `lock` (inside a transaction). */
    async get(db: Queryable, id: string, lock = false): Promise<PromotionRow | undefined> {
      const { rows } = await db.query<PromotionRow>(
        `SELECT ${PROMOTION_COLUMNS} FROM ${s}.promotions WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    /** Replaces a definition, bumping the version (and setting `announced`). */
    async replace(db: Queryable, def: Definition, actor: string, announced: boolean): Promise<number> {
      const { rows } = await db.query<{ version: number }>(
        `UPDATE ${s}.promotions SET definition = $2, status = $3, requires_coupon = $4, starts_at = $5,
           ends_at = $6, global_limit = $7, per_customer_limit = $8, announced = $9,
           version = version + 1, updated_at = now(), updated_by = $10
         WHERE id = $1 RETURNING version`,
        [def.id, JSON.stringify(def), ...derived(def), announced, actor],
      );
      return rows[0]!.version;
    },

    /** Records an announcement's transition, bumping the version the event carries. */
    async markAnnounced(db: Queryable, id: string, announced: boolean): Promise<number> {
      const { rows } = await db.query<{ version: number }>(
        `UPDATE ${s}.promotions SET announced = $2, version = version + 1 WHERE id = $1 RETURNING version`,
        [id, announced],
      );
      return rows[0]!.version;
    },

    /** Whether any redemption (held, committed or settled) names the promotion. */
    async hasRedemptions(db: Queryable, id: string): Promise<boolean> {
      const { rowCount } = await db.query(`SELECT 1 FROM ${s}.redemptions WHERE promotion_id = $1 LIMIT 1`, [
        id,
      ]);
      return (rowCount ?? 0) > 0;
    },

    async delete(db: Queryable, id: string): Promise<void> {
      await db.query(`DELETE FROM ${s}.promotions WHERE id = $1`, [id]);
    },

    /** Staff listing, by id, after `after`, optionally of one status. */
    async list(
      db: Queryable,
      opts: { status?: string; after?: string; limit: number },
    ): Promise<PromotionRow[]> {
      const { rows } = await db.query<PromotionRow>(
        `SELECT ${PROMOTION_COLUMNS} FROM ${s}.promotions
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id > $2)
         ORDER BY id LIMIT $3`,
        [opts.status ?? null, opts.after ?? null, opts.limit],
      );
      return rows;
    },

    /**
     * Every active promotion that has not been over for more than 30 days (what quotes consider:
     * a quote may be priced at an earlier `at`, for a refund).
     */
    async active(db: Queryable, now: Date): Promise<Definition[]> {
      const { rows } = await db.query<{ definition: Definition }>(
        `SELECT definition FROM ${s}.promotions
         WHERE status = 'active' AND (ends_at IS NULL OR ends_at > $1::timestamptz - interval '30 days')
         ORDER BY id`,
        [now.toISOString()],
      );
      return rows.map((r) => r.definition);
    },

    /** Promotions whose live state may differ from what was announced, locked (SKIP LOCKED). */
    async dueAnnouncements(db: Queryable, now: Date, limit: number): Promise<PromotionRow[]> {
      const { rows } = await db.query<PromotionRow>(
        `SELECT ${PROMOTION_COLUMNS} FROM ${s}.promotions
         WHERE announced <> (status = 'active' AND (starts_at IS NULL OR starts_at <= $1)
                             AND (ends_at IS NULL OR ends_at > $1))
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now.toISOString(), limit],
      );
      return rows;
    },

    /** Uses so far: globally, and by `customer` (when given), of `ids`. */
    async usage(
      db: Queryable,
      ids: readonly string[],
      customer?: string,
    ): Promise<{ global: Record<string, number>; byCustomer: Record<string, number> }> {
      const { rows } = await db.query<{ id: string; used: number; mine: number | null }>(
        `SELECT p.id, p.used, u.uses AS mine FROM ${s}.promotions p
         LEFT JOIN ${s}.customer_usage u ON u.promotion_id = p.id AND u.customer_id = $2
         WHERE p.id = ANY($1::text[])`,
        [ids, customer ?? null],
      );
      const global: Record<string, number> = {};
      const byCustomer: Record<string, number> = {};
      for (const r of rows) {
        global[r.id] = r.used;
        if (r.mine !== null) byCustomer[r.id] = r.mine;
      }
      return { global, byCustomer };
    },

    /** Inserts coupon codes; returns the codes that were taken (not inserted). */
    async insertCoupons(
      db: Queryable,
      promotionId: string,
      codes: readonly string[],
      maxUses: number | null,
      batchId: string | null,
    ): Promise<string[]> {
      const { rows } = await db.query<{ code: string }>(
        `INSERT INTO ${s}.coupons (code, promotion_id, max_uses, batch_id, created_at)
         SELECT c, $2, $3, $4, now() FROM unnest($1::text[]) AS c
         ON CONFLICT (code) DO NOTHING RETURNING code`,
        [codes, promotionId, maxUses, batchId],
      );
      const inserted = new Set(rows.map((r) => r.code));
      return codes.filter((c) => !inserted.has(c));
    },

    async coupons(
      db: Queryable,
      promotionId: string,
      opts: { after?: string; limit: number },
    ): Promise<CouponRow[]> {
      const { rows } = await db.query<CouponRow>(
        `SELECT code, promotion_id, max_uses, uses, batch_id, to_json(created_at)#>>'{}' AS created_at
         FROM ${s}.coupons WHERE promotion_id = $1 AND ($2::text IS NULL OR code > $2)
         ORDER BY code LIMIT $3`,
        [promotionId, opts.after ?? null, opts.limit],
      );
      return rows;
    },

    /** The coupons of `codes` (stored, upper-case form) with their promotions' definitions. */
    async resolveCodes(
      db: Queryable,
      codes: readonly string[],
    ): Promise<Map<string, CouponRow & { definition: Definition }>> {
      const { rows } = await db.query<CouponRow & { definition: Definition }>(
        `SELECT c.code, c.promotion_id, c.max_uses, c.uses, c.batch_id,
                to_json(c.created_at)#>>'{}' AS created_at, p.definition
         FROM ${s}.coupons c JOIN ${s}.promotions p ON p.id = c.promotion_id
         WHERE c.code = ANY($1::text[])`,
        [codes],
      );
      return new Map(rows.map((r) => [r.code, r]));
    },

    /** The VAT table and its version. */
    async vatTable(db: Queryable): Promise<{ rates: VatRate[]; version: number; updated_at: string }> {
      const [rates, meta] = await Promise.all([
        db.query<{
          category: string;
          rate_bp: number;
          from: string | null;
          until: string | null;
          exempt: boolean;
        }>(
          `SELECT category, rate_bp, to_char(valid_from, 'YYYY-MM-DD') AS from,
                  to_char(valid_until, 'YYYY-MM-DD') AS until, exempt
           FROM ${s}.vat_rates ORDER BY category, valid_from NULLS FIRST`,
        ),
        db.query<{ version: number; updated_at: string }>(
          `SELECT version, to_json(updated_at)#>>'{}' AS updated_at FROM ${s}.vat_table`,
        ),
      ]);
      return {
        rates: rates.rows.map((r) => ({
          category: r.category,
          rateBp: r.rate_bp,
          ...(r.from ? { from: r.from } : {}),
          ...(r.until ? { until: r.until } : {}),
          ...(r.exempt ? { exempt: true } : {}),
        })),
        version: meta.rows[0]?.version ?? 0,
        updated_at: meta.rows[0]?.updated_at ?? '',
      };
    },

    /** Replaces the VAT table when its version is still `expected`; the new version, or undefined. */
    async replaceVat(
      db: Queryable,
      rates: readonly VatRate[],
      expected: number | undefined,
      actor: string,
    ): Promise<number | undefined> {
      const { rows } = await db.query<{ version: number }>(
        `UPDATE ${s}.vat_table SET version = version + 1, updated_at = now(), updated_by = $2
         WHERE $1::int IS NULL OR version = $1 RETURNING version`,
        [expected ?? null, actor],
      );
      if (!rows[0]) return undefined;
      await db.query(`DELETE FROM ${s}.vat_rates`);
      await db.query(
        `INSERT INTO ${s}.vat_rates (category, rate_bp, valid_from, valid_until, exempt)
         SELECT category, rate_bp, valid_from, valid_until, exempt
         FROM jsonb_to_recordset($1::jsonb) AS x(category text, rate_bp int, valid_from date,
           valid_until date, exempt boolean)`,
        [
          JSON.stringify(
            rates.map((r) => ({
              category: r.category,
              rate_bp: r.rateBp,
              valid_from: r.from ?? null,
              valid_until: r.until ?? null,
              exempt: r.exempt ?? false,
            })),
          ),
        ],
      );
      return rows[0].version;
    },
  };
}

/** The promotion store's type. */
export type PromotionStore = ReturnType<typeof promotionStore>;

/**
 * The catalog's projection of announced promotions (migrations/003_promotions.sql). Each event is
 * one guarded upsert, so redeliveries, reordering and concurrent deliveries converge: an
 * announcement applies only above the stored version; an end applies at or above it and leaves a
 * tombstone that a late, lower announcement cannot bring back. The promoted list itself is read in
 * store-listing.ts.
 */
import type { DataOf, PromotionAnnouncement, promotionEnded } from '../../events';
import { ident, type Queryable, type Tx } from '../shared/db';

/** The promotion projection of one schema. */
export function promotionStore(schema: string) {
  const s = ident(schema);
  return {
    /**
     * Applies an announcement (activated or changed) unless the stored version is as high; true
     * when it applied. Without `starts_at`, a promotion started when it was first announced.
     */
    async applyAnnouncement(tx: Tx, a: PromotionAnnouncement): Promise<boolean> {
      const t = a.target;
      const { rowCount } = await tx.query(
        `INSERT INTO ${s}.promotions AS p (id, version, ended, label_en, label_vi, kind, coupon, target_kind,
           skus, categories, brands, starts_at, ends_at, started_at, at)
         VALUES ($1, $2, false, $3, $4, $5, $6, $7, $8::text[], $9::text[],
           ARRAY(SELECT ${s}.fold(b) FROM unnest($10::text[]) b), $11::timestamptz, $12::timestamptz,
           coalesce($11::timestamptz, $13::timestamptz), $13::timestamptz)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, ended = false,
           label_en = excluded.label_en, label_vi = excluded.label_vi, kind = excluded.kind,
           coupon = excluded.coupon, target_kind = excluded.target_kind, skus = excluded.skus,
           categories = excluded.categories, brands = excluded.brands, starts_at = excluded.starts_at,
           ends_at = excluded.ends_at, at = excluded.at,
           started_at = CASE WHEN excluded.starts_at IS NULL AND NOT p.ended THEN p.started_at
                             ELSE excluded.started_at END
         WHERE p.version < excluded.version`,
        [
          a.id,
          a.version,
          a.label_en,
          a.label_vi,
          a.kind,
          a.coupon,
          t.kind,
          t.kind === 'skus' ? t.skus : [],
          t.kind === 'categories' ? t.categories : [],
          t.kind === 'brands' ? t.brands : [],
          a.starts_at,
          a.ends_at,
          a.at,
        ],
      );
      return rowCount === 1;
    },

    /** Tombstones a promotion at `version` unless a higher version is stored; true when it applied. */
    async applyEnd(tx: Tx, e: DataOf<typeof promotionEnded>): Promise<boolean> {
      const { rowCount } = await tx.query(
        `INSERT INTO ${s}.promotions AS p (id, version, ended, label_en, label_vi, kind, coupon, target_kind,
           started_at, at)
         VALUES ($1, $2, true, '', '', '', false, '', $3::timestamptz, $3::timestamptz)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, ended = true, at = excluded.at
         WHERE p.version < excluded.version OR (p.version = excluded.version AND NOT p.ended)`,
        [e.id, e.version, e.at],
      );
      return rowCount === 1;
    },

    /**
     * Milliseconds until the clock next changes which promotions are live (a start or an end
     * ahead), measured by the database's clock; null when no schedule boundary is ahead.
     */
    async nextScheduleChangeMs(db: Queryable): Promise<number | null> {
      const { rows } = await db.query<{ ms: number | null }>(
        `SELECT ceil(extract(epoch FROM min(t) - now()) * 1000)::float8 AS ms FROM (
           SELECT starts_at AS t FROM ${s}.promotions WHERE NOT ended AND starts_at > now()
           UNION ALL
           SELECT ends_at FROM ${s}.promotions WHERE NOT ended AND ends_at > now()) x`,
      );
      return rows[0]?.ms ?? null;
    },
  };
}

/** The promotion store's type. */
export type PromotionStore = ReturnType<typeof promotionStore>;

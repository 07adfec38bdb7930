/**
 * The projection of announced promotions in `search.promotions`: one row per promotion id with
 * the highest version seen, a tombstone once it ended. Writers of promotions and writers of
 * products serialise on one advisory lock, so a product indexed while a promotion changes still
 * ends up with it (whichever commits second sees the other).
 */
import type { PromotionAnnouncement } from '../../events';
import { ident, type Queryable } from '../shared/db';
import type { PromotionChange, StoredPromotionState } from './promotions';

/** The promotions projection of one schema. */
export function promotionStore(schema: string) {
  const s = ident(schema);
  const lockKey = `${schema}.promotions`;
  return {
    /**
     * Takes the transaction's lock on the projection: `exclusive` to change promotions, `shared`
     * to index products against them (product writers do not wait for each other).
     */
    async lock(db: Queryable, mode: 'shared' | 'exclusive'): Promise<void> {
      const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
      await db.query(`SELECT ${fn}(hashtext($1))`, [lockKey]);
    },

    /** The stored version and tombstone flag of a promotion, if any. */
    async state(db: Queryable, id: string): Promise<StoredPromotionState | undefined> {
      const { rows } = await db.query<StoredPromotionState>(
        `SELECT version, ended FROM ${s}.promotions WHERE id = $1`,
        [id],
      );
      return rows[0];
    },

    /**
     * Stores a change (an announcement replaces the row, an end leaves a tombstone); the same
     * version guard as `appliesOver` holds in SQL. Returns whether a row was written.
     */
    async save(db: Queryable, change: PromotionChange): Promise<boolean> {
      const row =
        change.kind === 'announce'
          ? {
              id: change.announcement.id,
              version: change.announcement.version,
              ended: false,
              announcement: change.announcement,
            }
          : { id: change.id, version: change.version, ended: true, announcement: null };
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.promotions AS p (id, version, ended, announcement, starts_at, ends_at)
         VALUES ($1, $2, $3, $4::jsonb, ($4::jsonb->>'starts_at')::timestamptz, ($4::jsonb->>'ends_at')::timestamptz)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, ended = excluded.ended,
           announcement = excluded.announcement, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           updated_at = now()
         WHERE p.version < excluded.version OR (excluded.ended AND NOT p.ended AND p.version = excluded.version)`,
        [row.id, row.version, row.ended, row.announcement === null ? null : JSON.stringify(row.announcement)],
      );
      return rowCount === 1;
    },

    /**
     * Promotions that may mark products now or later: not ended, automatic, on SKUs, categories
     * or brands, and not past their end.
     */
    async marking(db: Queryable): Promise<PromotionAnnouncement[]> {
      const { rows } = await db.query<{ announcement: PromotionAnnouncement }>(
        `SELECT announcement FROM ${s}.promotions
         WHERE NOT ended AND NOT (announcement->>'coupon')::boolean
           AND announcement->'target'->>'kind' IN ('skus', 'categories', 'brands')
           AND (ends_at IS NULL OR ends_at > now())
         ORDER BY id`,
      );
      return rows.map((r) => r.announcement);
    },
  };
}

/** The promotions projection. */
export type PromotionStore = ReturnType<typeof promotionStore>;

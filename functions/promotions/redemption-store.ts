/**
 * Redemptions and the counters they hold. A use is counted when it is reserved (so limits hold
 * under any concurrency: every counter moves by a conditional UPDATE on its row, and the table
 * CHECKs forbid passing a limit whatever the code does) and given back when it is released or
 * expires. Locks are always taken in the same order — coupon, promotion, customer — so two
 * redemptions never deadlock. Persistence only: every call takes the caller's transaction.
 */
import { ident, type Queryable } from '../shared/db';

/** A redemption as the API shows it. */
export interface RedemptionRow {
  id: string;
  promotion_id: string;
  code: string | null;
  customer_id: string;
  order_id: string | null;
  state: 'reserved' | 'committed' | 'released' | 'expired';
  request_hash: string;
  expires_at: string;
  created_at: string;
  settled_at: string | null;
}

const COLUMNS = `id, promotion_id, code, customer_id, order_id, state, request_hash,
  to_json(expires_at)#>>'{}' AS expires_at, to_json(created_at)#>>'{}' AS created_at,
  to_json(settled_at)#>>'{}' AS settled_at`;

/** Why a use could not be counted. */
export type UseRefusal =
  'coupon_used' | 'coupon_missing' | 'not_live' | 'global_limit' | 'customer_limit' | 'unknown';

/** The store in `schema`. */
export function redemptionStore(schema: string) {
  const s = ident(schema);
  return {
    async get(db: Queryable, id: string, lock = false): Promise<RedemptionRow | undefined> {
      const { rows } = await db.query<RedemptionRow>(
        `SELECT ${COLUMNS} FROM ${s}.redemptions WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    /** The redemptions among `ids` that exist (a saga's deterministic ids for one order). */
    async getMany(db: Queryable, ids: readonly string[]): Promise<RedemptionRow[]> {
      const { rows } = await db.query<RedemptionRow>(
        `SELECT ${COLUMNS} FROM ${s}.redemptions WHERE id = ANY($1::text[]) ORDER BY id`,
        [ids],
      );
      return rows;
    },

    /** Inserts a held redemption; false when the id exists (the caller replays or refuses). */
    async insert(
      db: Queryable,
      r: Omit<RedemptionRow, 'state' | 'created_at' | 'settled_at' | 'expires_at'> & {
        ttlSeconds: number;
        actor: string;
      },
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.redemptions (id, promotion_id, code, customer_id, order_id, state, request_hash,
           expires_at, created_at, actor)
         VALUES ($1, $2, $3, $4, $5, 'reserved', $6, now() + make_interval(secs => $7), now(), $8)
         ON CONFLICT (id) DO NOTHING`,
        [r.id, r.promotion_id, r.code, r.customer_id, r.order_id, r.request_hash, r.ttlSeconds, r.actor],
      );
      return rowCount === 1;
    },

    /** Takes one use of a code (coupon row lock); its promotion id, or a refusal. */
    async takeCoupon(
      db: Queryable,
      code: string,
    ): Promise<{ promotionId: string } | 'coupon_used' | 'unknown'> {
      const { rows } = await db.query<{ promotion_id: string }>(
        `UPDATE ${s}.coupons SET uses = uses + 1
         WHERE code = $1 AND (max_uses IS NULL OR uses < max_uses) RETURNING promotion_id`,
        [code],
      );
      if (rows[0]) return { promotionId: rows[0].promotion_id };
      const known = await db.query(`SELECT 1 FROM ${s}.coupons WHERE code = $1`, [code]);
      return known.rowCount ? 'coupon_used' : 'unknown';
    },

    /**
     * Takes one use of a live promotion (promotion row lock), then one of the customer's own
     * allowance when it has one. Returns the refusal when either limit is reached.
     */
    async takeUse(
      db: Queryable,
      promotionId: string,
      customerId: string,
      withCode: boolean,
    ): Promise<UseRefusal | undefined> {
      const { rows } = await db.query<{ per_customer_limit: number | null }>(
        `UPDATE ${s}.promotions SET used = used + 1
         WHERE id = $1 AND status = 'active' AND (starts_at IS NULL OR starts_at <= now())
           AND (ends_at IS NULL OR ends_at > now()) AND (global_limit IS NULL OR used < global_limit)
           AND (NOT requires_coupon OR $2)
         RETURNING per_customer_limit`,
        [promotionId, withCode],
      );
      if (!rows[0]) {
        const { rows: found } = await db.query<{ live: boolean; requires_coupon: boolean }>(
          `SELECT status = 'active' AND (starts_at IS NULL OR starts_at <= now())
                  AND (ends_at IS NULL OR ends_at > now()) AS live, requires_coupon
           FROM ${s}.promotions WHERE id = $1`,
          [promotionId],
        );
        const p = found[0];
        if (!p) return 'unknown';
        // A coupon-only promotion is never redeemed without one of its codes.
        if (p.requires_coupon && !withCode) return 'coupon_missing';
        return p.live ? 'global_limit' : 'not_live';
      }
      const limit = rows[0].per_customer_limit;
      if (limit === null) return undefined;
      const mine = await db.query(
        `INSERT INTO ${s}.customer_usage AS u (promotion_id, customer_id, uses) VALUES ($1, $2, 1)
         ON CONFLICT (promotion_id, customer_id) DO UPDATE SET uses = u.uses + 1 WHERE u.uses < $3
         RETURNING uses`,
        [promotionId, customerId, limit],
      );
      return mine.rowCount === 1 ? undefined : 'customer_limit';
    },

    /** Gives back the uses a redemption held (same lock order as taking them). */
    async giveBack(
      db: Queryable,
      r: Pick<RedemptionRow, 'code' | 'promotion_id' | 'customer_id'>,
    ): Promise<void> {
      if (r.code)
        await db.query(`UPDATE ${s}.coupons SET uses = uses - 1 WHERE code = $1 AND uses > 0`, [r.code]);
      await db.query(`UPDATE ${s}.promotions SET used = used - 1 WHERE id = $1 AND used > 0`, [
        r.promotion_id,
      ]);
      await db.query(
        `UPDATE ${s}.customer_usage SET uses = uses - 1
         WHERE promotion_id = $1 AND customer_id = $2 AND uses > 0`,
        [r.promotion_id, r.customer_id],
      );
    },

    /** Moves a redemption to `state`, stamping when it settled. */
    async settle(
      db: Queryable,
      id: string,
      state: RedemptionRow['state'],
      orderId?: string | null,
    ): Promise<RedemptionRow> {
      const { rows } = await db.query<RedemptionRow>(
        `UPDATE ${s}.redemptions SET state = $2, settled_at = now(), order_id = coalesce($3, order_id)
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, state, orderId ?? null],
      );
      return rows[0]!;
    },

    /** Held redemptions past their TTL, locked for this sweep (SKIP LOCKED shares the work). */
    async due(db: Queryable, limit: number, now?: Date): Promise<RedemptionRow[]> {
      const { rows } = await db.query<RedemptionRow>(
        `SELECT ${COLUMNS} FROM ${s}.redemptions
         WHERE state = 'reserved' AND expires_at <= coalesce($2::timestamptz, now())
         ORDER BY expires_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, now?.toISOString() ?? null],
      );
      return rows;
    },
  };
}

/** The redemption store's type. */
export type RedemptionStore = ReturnType<typeof redemptionStore>;

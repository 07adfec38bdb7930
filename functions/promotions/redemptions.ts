/**
 * Coupon redemptions, like stock holds: checkout reserves a use (idempotent by its id, limits
 * counted at once), commits it when the order is placed (`coupon.redeemed`), or releases it when
 * the order is cancelled; a use held past its TTL is released by the sweeper.
 */
import { buildEvent } from '../shared/eventing/outbox';
import { couponRedeemed } from '../../events';
import { hashRequest } from '../shared/idempotency';
import type { UnitOfWork } from '../shared/unit-of-work';
import { reason, type ReasonCode } from './reasons';
import type { RedemptionRow, RedemptionStore, UseRefusal } from './redemption-store';
import type { RedemptionBody } from './schemas';
import { TTL_SECONDS } from './schemas';
import type { Reason } from './model';

/** What a reservation attempt comes to. */
export type ReserveResult =
  | { kind: 'held'; redemption: RedemptionRow; replayed: boolean }
  | { kind: 'refused'; reason: Reason }
  | { kind: 'unknown-code' }
  | { kind: 'unknown-promotion' }
  | { kind: 'conflict'; message: string };

/** What a commit or release comes to. */
export type SettleResult =
  | { kind: 'ok'; redemption: RedemptionRow }
  | { kind: 'not-found' }
  | { kind: 'conflict'; message: string; redemption: RedemptionRow };

const REFUSALS: Record<Exclude<UseRefusal, 'unknown'>, ReasonCode> = {
  coupon_used: 'coupon_used',
  coupon_missing: 'coupon_missing',
  not_live: 'not_active',
  global_limit: 'global_limit',
  customer_limit: 'customer_limit',
};

class Refused extends Error {
  constructor(readonly result: ReserveResult) {
    super('refused');
  }
}

/** The use cases over `store`, each in its own unit of work. */
export function redemptionUseCases(deps: { work: UnitOfWork; store: RedemptionStore }) {
  const { work, store } = deps;
  return {
    async get(db: Parameters<RedemptionStore['get']>[0], id: string) {
      return store.get(db, id);
    },

    /** The redemptions among `ids` that exist. */
    async getMany(db: Parameters<RedemptionStore['getMany']>[0], ids: readonly string[]) {
      return store.getMany(db, ids);
    },

    /** Reserves one use for `body.customer_id` of a code or an automatic promotion. */
    async reserve(body: RedemptionBody, actor: string): Promise<ReserveResult> {
      const code = body.code?.toUpperCase();
      const request = { customer_id: body.customer_id, code, promotion_id: body.promotion_id };
      const hash = hashRequest(request);
      try {
        return await work(async ({ tx }) => {
          const existing = await store.get(tx, body.id);
          if (existing) {
            if (existing.request_hash !== hash)
              return { kind: 'conflict', message: `Redemption ${body.id} exists with a different request` };
            return { kind: 'held', redemption: existing, replayed: true };
          }
          let promotionId = body.promotion_id;
          if (code) {
            const coupon = await store.takeCoupon(tx, code);
            if (coupon === 'unknown') throw new Refused({ kind: 'unknown-code' });
            if (coupon === 'coupon_used')
              throw new Refused({ kind: 'refused', reason: reason('coupon_used') });
            if (promotionId && promotionId !== coupon.promotionId)
              throw new Refused({ kind: 'conflict', message: `Code ${code} belongs to another promotion` });
            promotionId = coupon.promotionId;
          }
          const refusal = await store.takeUse(tx, promotionId!, body.customer_id, code !== undefined);
          if (refusal === 'unknown') throw new Refused({ kind: 'unknown-promotion' });
          if (refusal) throw new Refused({ kind: 'refused', reason: reason(REFUSALS[refusal]) });
          const inserted = await store.insert(tx, {
            id: body.id,
            promotion_id: promotionId!,
            code: code ?? null,
            customer_id: body.customer_id,
            order_id: body.order_id ?? null,
            request_hash: hash,
            ttlSeconds: body.ttl_seconds ?? TTL_SECONDS.fallback,
            actor,
          });
          // A concurrent first attempt with this id committed meanwhile: undo ours, answer theirs.
          if (!inserted) throw new Refused({ kind: 'conflict', message: 'retry' });
          return { kind: 'held', redemption: (await store.get(tx, body.id))!, replayed: false };
        });
      } catch (err) {
        if (!(err instanceof Refused)) throw err;
        if (err.result.kind === 'conflict' && err.result.message === 'retry')
          return this.reserve(body, actor);
        return err.result;
      }
    },

    /** Commits a held use: it counts for good and `coupon.redeemed` goes out. */
    async commit(id: string, orderId?: string): Promise<SettleResult> {
      return work(async ({ tx, emit }) => {
        const r = await store.get(tx, id, true);
        if (!r) return { kind: 'not-found' };
        if (r.state === 'committed') return { kind: 'ok', redemption: r };
        if (r.state !== 'reserved')
          return {
            kind: 'conflict',
            message: `Redemption ${id} was ${r.state}; reserve again`,
            redemption: r,
          };
        if (Date.parse(r.expires_at) <= Date.now()) {
          await store.giveBack(tx, r);
          const expired = await store.settle(tx, id, 'expired');
          return {
            kind: 'conflict',
            message: `Redemption ${id} expired before it was committed`,
            redemption: expired,
          };
        }
        const done = await store.settle(tx, id, 'committed', orderId);
        emit(
          buildEvent(couponRedeemed, {
            redemption_id: done.id,
            promotion_id: done.promotion_id,
            code: done.code,
            customer_id: done.customer_id,
            order_id: done.order_id,
            at: new Date().toISOString(),
          }),
        );
        return { kind: 'ok', redemption: done };
      });
    },

    /**
     * Releases a use: a held one (checkout gave up) or a committed one (the order was cancelled),
     * giving it back to every limit. Releasing again changes nothing. `heldOnly` leaves a committed
     * use alone (a conflict), decided under the row lock: the checkout saga only undoes holds.
     */
    async release(id: string, opts: { heldOnly?: boolean } = {}): Promise<SettleResult> {
      return work(async ({ tx }) => {
        const r = await store.get(tx, id, true);
        if (!r) return { kind: 'not-found' };
        if (r.state === 'released' || r.state === 'expired') return { kind: 'ok', redemption: r };
        if (opts.heldOnly && r.state === 'committed')
          return { kind: 'conflict', message: `Redemption ${id} is committed`, redemption: r };
        await store.giveBack(tx, r);
        return { kind: 'ok', redemption: await store.settle(tx, id, 'released') };
      });
    },

    /**
     * Expires up to `limit` held uses past their TTL; how many it expired. Each in its own short
     * transaction, so a sweep takes its locks in the same order as a reservation and never
     * deadlocks with another instance's sweep.
     */
    async sweep(opts: { limit?: number; now?: Date } = {}): Promise<number> {
      let expired = 0;
      for (let i = 0; i < (opts.limit ?? 200); i++) {
        const done = await work(async ({ tx }) => {
          const [r] = await store.due(tx, 1, opts.now);
          if (!r) return false;
          await store.giveBack(tx, r);
          await store.settle(tx, r.id, 'expired');
          return true;
        });
        if (!done) break;
        expired++;
      }
      return expired;
    },
  };
}

/** The redemption use cases' type. */
export type Redemptions = ReturnType<typeof redemptionUseCases>;

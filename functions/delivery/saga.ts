/**
 * Delivery's step of the checkout saga: `io.tuoi.order.saga.slot-requested.v1` holds the order's
 * window (adopting the hold the customer made in the slot picker when the command names it),
 * books it, or releases it, and answers with one `io.tuoi.delivery.saga.replied.v1`.
 *
 * The hold, booking or release commits in its own unit of work first (a new hold through the
 * batcher, like POST /slot-holds, so capacity is decided in one place); the reply is written to
 * the outbox in the consumer's transaction, with the inbox row. Each step is idempotent by hold
 * id, so a command redelivered after the reply failed to commit replays and answers the same.
 * A refusal is an answer; a database failure throws, so the broker retries (never a refusal).
 */
import { slotReplied, slotRequested, type DataOf } from '../../events';
import type { Queryable } from '../shared/db';
import type { EventHandler } from '../shared/eventing/consumer';
import { sagaReplier } from '../shared/eventing/saga-reply';
import type { ClosedReason, HoldRequest, HoldRow } from './holds';
import type { BatchOutcome, HoldUseCases, SettleResult } from './slot-holds';
import type { SlotStore } from './slot-store';

type Command = DataOf<typeof slotRequested>;
type HoldCommand = Extract<Command, { action: 'hold' }>;
type Reply = DataOf<typeof slotReplied>;
/** A reply without what every reply repeats (the order, the action, the hold, the time). */
type Answer = Omit<Reply, 'order_id' | 'action' | 'hold_id' | 'at'>;
type Reason = NonNullable<Reply['reason']>;

/** What the saga handler runs on. */
export interface SagaDeps {
  /** The schema whose outbox carries the replies. */
  schema: string;
  slots: Pick<SlotStore, 'get'>;
  holds: Pick<HoldUseCases, 'adopt' | 'bookForOrder' | 'releaseForOrder'>;
  /** Submits a new hold to the batcher (group commit per slot), as POST /slot-holds does. */
  hold(req: HoldRequest): Promise<BatchOutcome>;
}

/** Who the saga's new holds record as having made them. */
const ACTOR = 'order';

const reason = (code: string, en: string, vi: string): Reason => ({ code, message: { en, vi } });

/** Why a window takes no hold, in both languages. */
const CLOSED: Record<ClosedReason, Reason> = {
  past: reason('slot_closed', 'This window has already ended', 'Khung giờ này đã kết thúc'),
  after_cutoff: reason(
    'slot_closed',
    'Ordering for this window has closed',
    'Đã hết thời gian đặt cho khung giờ này',
  ),
  withdrawn: reason(
    'slot_closed',
    'This window is no longer offered',
    'Khung giờ này không còn được phục vụ',
  ),
};

const REASONS = {
  full: reason('slot_full', 'This delivery window is full', 'Khung giờ giao hàng này đã kín'),
  unknown: reason('slot_unknown', 'There is no such delivery window', 'Không có khung giờ giao hàng này'),
  conflict: reason(
    'hold_conflict',
    'Another hold already has this id',
    'Mã giữ chỗ này đã được dùng cho một yêu cầu khác',
  ),
  mismatch: reason(
    'hold_mismatch',
    'This hold is for another customer, window or order',
    'Chỗ giữ này thuộc về khách hàng, khung giờ hoặc đơn hàng khác',
  ),
  expired: reason('hold_expired', 'The hold on this window has lapsed', 'Chỗ giữ khung giờ này đã hết hạn'),
  missing: reason('hold_missing', 'There is no such hold', 'Không tìm thấy chỗ giữ này'),
};

const tooMany = (limit: number) =>
  reason(
    'too_many_holds',
    `A customer can hold at most ${limit} windows at once`,
    `Mỗi khách hàng chỉ được giữ tối đa ${limit} khung giờ cùng lúc`,
  );

const refused = (why: Reason): Answer => ({ outcome: 'refused', reason: why });

/** The handler of the saga's slot commands, by event type. */
export function sagaHandlers(deps: SagaDeps): Record<string, EventHandler> {
  /** A live hold's answer: its window, the window's fee and when the hold lapses. */
  async function held(tx: Queryable, hold: HoldRow): Promise<Answer> {
    const slot = await deps.slots.get(tx, hold.slot);
    return {
      outcome: 'done',
      slot: hold.slot,
      ...(slot ? { fee_vnd: slot.fee_vnd } : {}),
      expires_at: hold.expires_at.toISOString(),
    };
  }

  /** A new hold's outcome as the saga hears it. */
  function fromBatch(tx: Queryable, outcome: BatchOutcome): Promise<Answer> | Answer {
    switch (outcome.kind) {
      case 'held':
        return held(tx, outcome.hold);
      case 'full':
        return refused(REASONS.full);
      case 'closed':
        return refused(CLOSED[outcome.reason]);
      case 'unknown_slot':
        return refused(REASONS.unknown);
      case 'too_many':
        return refused(tooMany(outcome.limit));
      case 'conflict':
        return refused(REASONS.conflict);
    }
  }

  /** Adopts the customer's hold named by the command, or holds a new place under its id. */
  async function hold(tx: Queryable, c: HoldCommand, now: Date): Promise<Answer> {
    const want = {
      slot: c.slot,
      owner: c.customer_id,
      orderId: c.order_id,
      ttlSeconds: c.ttl_seconds,
      ...(c.units !== undefined ? { units: c.units } : {}),
    };
    const adopted = await deps.holds.adopt(c.hold_id, want, now);
    switch (adopted.kind) {
      case 'adopted':
        return held(tx, adopted.hold);
      case 'mismatch':
        return refused(REASONS.mismatch);
      case 'lapsed':
        return refused(REASONS.expired);
      case 'full':
        return refused(REASONS.full);
      case 'missing':
        return fromBatch(
          tx,
          await deps.hold({
            id: c.hold_id,
            slot: c.slot,
            ttlSeconds: c.ttl_seconds,
            units: c.units ?? 0,
            owner: c.customer_id,
            actor: ACTOR,
            orderId: c.order_id,
          }),
        );
    }
  }

  /** A booking's outcome: a hold that is gone or lapsed is refused; booked twice is done. */
  function booked(result: SettleResult): Answer {
    switch (result.kind) {
      case 'ok':
        return { outcome: 'done', slot: result.hold.slot };
      case 'not_found':
      case 'forbidden':
        return refused(REASONS.missing);
      case 'not_the_order':
        return refused(REASONS.mismatch);
      case 'conflict':
        return refused(REASONS.expired);
    }
  }

  /** A release always ends done: a compensation that finds nothing of the order's has nothing to undo. */
  const released = (result: SettleResult): Answer =>
    result.kind === 'ok' ? { outcome: 'done', slot: result.hold.slot } : { outcome: 'done' };

  async function answer(tx: Queryable, c: Command, now: Date): Promise<Answer> {
    switch (c.action) {
      case 'hold':
        return hold(tx, c, now);
      case 'book':
        return booked(await deps.holds.bookForOrder(c.hold_id, c.order_id, now));
      case 'release':
        return released(await deps.holds.releaseForOrder(c.hold_id, c.order_id, now));
    }
  }

  return {
    [slotRequested.type]: sagaReplier(slotReplied, deps.schema, async (event, tx, now) => {
      const c = event.data as Command;
      return { ...(await answer(tx, c, now)), hold_id: c.hold_id };
    }),
  };
}

/**
 * Slot hold use cases, each one unit of work. `holdBatch` decides many holds on one slot in one
 * transaction (the batcher's group commit): it locks the slot row once, expires that slot's holds
 * past their TTL (so a full slot frees exactly when a hold lapses, not when the sweeper next runs),
 * decides in arrival order (holds.ts) and writes the new holds and the counters once. `book` and
 * `release` settle one hold; `adopt` gives a customer's own hold to their order (the checkout
 * saga); `sweep` expires lapsed holds everywhere.
 */
import { slotBooked } from '../../events';
import type { Queryable } from '../shared/db';
import { buildEvent } from '../shared/eventing/outbox';
import type { UnitOfWork } from '../shared/unit-of-work';
import {
  adoption,
  planHolds,
  settle,
  type AdoptRequest,
  unitsRefit,
  type HoldOutcome,
  type HoldRequest,
  type HoldRow,
  type SlotRow,
} from './holds';
import type { SlotStore } from './slot-store';
import type { ZoneStore } from './zone-store';

/** Unique (the same id from another instance), deadlock, serialization: the batch is decided again. */
const RETRYABLE = new Set(['23505', '40P01', '40001']);
const retryable = (err: unknown) => RETRYABLE.has((err as { code?: string }).code ?? '');

/** A hold request whose slot does not exist. */
export type BatchOutcome = HoldOutcome | { kind: 'unknown_slot'; slot: string };

/** What settling a hold comes to. */
export type SettleResult =
  | { kind: 'ok'; hold: HoldRow; replayed: boolean }
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  /** The hold is not the order's the caller settles it for. */
  | { kind: 'not_the_order'; hold: HoldRow }
  | { kind: 'conflict'; message: string; hold: HoldRow };

/** What adopting a hold for an order comes to. */
export type AdoptResult =
  | { kind: 'adopted'; hold: HoldRow; replayed: boolean }
  | { kind: 'missing' }
  | { kind: 'mismatch'; message: string; hold: HoldRow }
  | { kind: 'lapsed'; message: string; hold: HoldRow }
  /** The order's picking units do not fit the window beside what is already taken. */
  | { kind: 'full'; hold: HoldRow };

/** What the hold use cases run on. */
export interface HoldDeps {
  work: UnitOfWork;
  db: Queryable;
  slots: SlotStore;
  zones: ZoneStore;
  /** Live holds one customer may have at once. */
  maxPerOwner: number;
  /** Makes sure the slot exists (generates its day from the calendar); false when it cannot. */
  ensureSlot(id: string, now: Date): Promise<boolean>;
}

/** The checkout saga acts for any customer (its commands name the order the hold must be for). */
const SAGA: Who = { subject: 'order', service: true };

/** The hold use cases. */
export function holdUseCases(deps: HoldDeps) {
  const { work, db, slots, zones } = deps;

  const decide = (slotId: string, requests: HoldRequest[], now: Date) =>
    work(async ({ tx }): Promise<BatchOutcome[] | undefined> => {
      const slot = await slots.lockSlot(tx, slotId);
      if (!slot) return undefined;
      const lapsed = await slots.expire(tx, now, 10_000, slotId);
      const fresh: SlotRow = lapsed.length ? (await slots.get(tx, slotId))! : slot;
      const existing = await slots.holds(tx, [...new Set(requests.map((r) => r.id))]);
      const owners = await slots.activeByOwner(tx, [...new Set(requests.map((r) => r.owner))], now);
      const plan = planHolds(fresh, requests, existing, owners, deps.maxPerOwner, now);
      await slots.insertHolds(tx, slotId, plan.inserts, plan.held, plan.heldUnits);
      return plan.outcomes;
    });

  /**
   * Settles one hold: the row is locked, the decision is holds.ts's, the counters move together.
   * `forOrder` settles it only if it is that order's (the saga never books or releases a place it
   * did not get).
   */
  const settleOne = (
    id: string,
    to: 'booked' | 'released',
    who: Who,
    now: Date,
    orderId?: string,
    forOrder?: string,
  ) =>
    work(async ({ tx, emit }): Promise<SettleResult> => {
      const hold = await slots.hold(tx, id, true);
      if (!hold) return { kind: 'not_found' };
      if (!who.service && hold.owner !== who.subject) return { kind: 'forbidden' };
      if (forOrder !== undefined && hold.order_id !== forOrder) return { kind: 'not_the_order', hold };
      const decision = settle(hold, to, now);
      if (decision.kind === 'replay') return { kind: 'ok', hold, replayed: true };
      if (decision.kind === 'refuse') return { kind: 'conflict', message: decision.message, hold };
      const moved = await slots.move(tx, hold, to, now, orderId);
      if (to === 'booked') {
        const slot = (await slots.get(tx, hold.slot))!;
        const cal = (await zones.calendar(tx, slot.calendar))!;
        emit(
          buildEvent(slotBooked, {
            hold_id: moved.id,
            slot: slot.id,
            kind: cal.kind,
            zone: cal.kind === 'delivery' ? cal.id : null,
            location: cal.location,
            starts_at: slot.starts_at.toISOString(),
            ends_at: slot.ends_at.toISOString(),
            fee_vnd: slot.fee_vnd,
            customer_id: moved.owner,
            order_id: moved.order_id,
            booked_at: now.toISOString(),
          }),
        );
      }
      return { kind: 'ok', hold: moved, replayed: false };
    });

  return {
    /** Decides a batch of holds on one slot (all `requests` name `slotId`). */
    async holdBatch(slotId: string, requests: HoldRequest[], now = new Date()): Promise<BatchOutcome[]> {
      for (let attempt = 1; ; attempt++) {
        try {
          let outcomes = await decide(slotId, requests, now);
          if (!outcomes && (await deps.ensureSlot(slotId, now)))
            outcomes = await decide(slotId, requests, now);
          return outcomes ?? requests.map(() => ({ kind: 'unknown_slot' as const, slot: slotId }));
        } catch (err) {
          if (attempt >= 5 || !retryable(err)) throw err;
        }
      }
    },

    get: (id: string) => slots.hold(db, id),

    book: (id: string, who: Who, now = new Date(), orderId?: string) =>
      settleOne(id, 'booked', who, now, orderId),

    release: (id: string, who: Who, now = new Date()) => settleOne(id, 'released', who, now),

    /** Books the hold of order `orderId` (the saga's `book`): another order's hold is not touched. */
    bookForOrder: (id: string, orderId: string, now = new Date()) =>
      settleOne(id, 'booked', SAGA, now, orderId, orderId),

    /** Gives back the place of order `orderId` (the saga's compensation); another order's stays. */
    releaseForOrder: (id: string, orderId: string, now = new Date()) =>
      settleOne(id, 'released', SAGA, now, undefined, orderId),

    /**
     * Adopts hold `id` for an order: if it is the customer's live hold on the window, it is linked
     * to the order, extended to `ttlSeconds` from now and given the order's picking units (when
     * the command says them), in one statement under its row lock. More units than the hold had
     * are checked against the window under the slot's lock (hold row, then slot row: the order
     * `book` and the sweeper lock in).
     */
    adopt: (id: string, want: AdoptRequest & { ttlSeconds: number; units?: number }, now = new Date()) =>
      work(async ({ tx }): Promise<AdoptResult> => {
        const hold = await slots.hold(tx, id, true);
        if (!hold) return { kind: 'missing' };
        const decision = adoption(hold, want, now);
        if (decision.kind === 'replay') return { kind: 'adopted', hold, replayed: true };
        if (decision.kind !== 'adopt') return { ...decision, hold };
        const units = want.units ?? hold.units;
        if (units > hold.units && !unitsRefit((await slots.lockSlot(tx, hold.slot))!, hold, units))
          return { kind: 'full', hold };
        const until = new Date(now.getTime() + want.ttlSeconds * 1000);
        const adopted = await slots.adopt(tx, hold, want.orderId, until, units);
        return { kind: 'adopted', hold: adopted, replayed: false };
      }),

    /** Expires up to 500 lapsed holds; returns how many. */
    async sweep(now = new Date()): Promise<number> {
      return work(async ({ tx }) => (await slots.expire(tx, now, 500)).length);
    },
  };
}

/** Who settles a hold: its customer, or a service/staff caller allowed to act for anyone. */
export interface Who {
  subject: string;
  service: boolean;
}

export type HoldUseCases = ReturnType<typeof holdUseCases>;

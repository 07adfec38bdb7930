/**
 * Slot hold use cases, each one unit of work. `holdBatch` decides many holds on one slot in one
 * transaction (the batcher's group commit): it locks the slot row once, expires that slot's holds
 * past their TTL (so a full slot frees exactly when a hold lapses, not when the sweeper next runs),
 * decides in arrival order (holds.ts) and writes the new holds and the counters once. `book` and
 * `release` settle one hold; `sweep` expires lapsed holds everywhere.
 */
import { slotBooked } from '../../events';
import type { Queryable } from '../shared/db';
import { buildEvent } from '../shared/eventing/outbox';
import type { UnitOfWork } from '../shared/unit-of-work';
import { planHolds, settle, type HoldOutcome, type HoldRequest, type HoldRow, type SlotRow } from './holds';
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
  | { kind: 'conflict'; message: string; hold: HoldRow };

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

  /** Settles one hold: the row is locked, the decision is holds.ts's, the counters move together. */
  const settleOne = (id: string, to: 'booked' | 'released', who: Who, now: Date, orderId?: string) =>
    work(async ({ tx, emit }): Promise<SettleResult> => {
      const hold = await slots.hold(tx, id, true);
      if (!hold) return { kind: 'not_found' };
      if (!who.service && hold.owner !== who.subject) return { kind: 'forbidden' };
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

/**
 * Slot holds, decided in memory: one batch of hold requests for one slot, against the slot's row
 * (locked by the caller) and the holds that already exist, in arrival order. A place is taken only
 * while held + booked < capacity (and, with a unit capacity, while the picking units fit), so a
 * slot can never be overbooked whatever the concurrency; a retried id replays its first answer.
 * Pure: the store loads and writes, this decides.
 */
import { hashRequest } from '../shared/idempotency';

/** A slot as stored, with its counters. */
export interface SlotRow {
  id: string;
  calendar: string;
  day: string;
  starts_at: Date;
  ends_at: Date;
  cutoff_at: Date;
  capacity: number;
  unit_capacity: number | null;
  fee_vnd: number;
  label: { en: string; vi: string } | null;
  withdrawn: boolean;
  held: number;
  booked: number;
  held_units: number;
  booked_units: number;
}

/** A hold as stored. */
export interface HoldRow {
  id: string;
  slot: string;
  state: 'held' | 'booked' | 'released' | 'expired';
  units: number;
  owner: string;
  actor: string;
  order_id: string | null;
  request_hash: string;
  expires_at: Date;
  created_at: Date;
  closed_at: Date | null;
}

/** One request to hold a place. */
export interface HoldRequest {
  id: string;
  slot: string;
  ttlSeconds: number;
  /** Picking units the order will take (0 when the calendar has no unit capacity). */
  units: number;
  /** The customer the place is for. */
  owner: string;
  actor: string;
  orderId?: string;
}

/** Why a slot takes no hold at all. */
export type ClosedReason = 'past' | 'after_cutoff' | 'withdrawn';

/** What one request comes to. */
export type HoldOutcome =
  | { kind: 'held'; hold: HoldRow; replayed: boolean }
  | { kind: 'full'; slot: string }
  | { kind: 'closed'; slot: string; reason: ClosedReason }
  | { kind: 'too_many'; limit: number }
  | { kind: 'conflict'; message: string };

/** The request fields a replay must repeat (the TTL may differ: the first one stands). */
export const holdHash = (r: Pick<HoldRequest, 'slot' | 'units' | 'owner' | 'orderId'>) =>
  hashRequest({ slot: r.slot, units: r.units, owner: r.owner, order_id: r.orderId ?? null });

/** Why `slot` takes no new hold at `now`, if it does not. */
export function closedReason(slot: SlotRow, now: Date): ClosedReason | undefined {
  if (slot.withdrawn) return 'withdrawn';
  if (now.getTime() >= slot.ends_at.getTime()) return 'past';
  if (now.getTime() >= slot.cutoff_at.getTime()) return 'after_cutoff';
  return undefined;
}

/** Places left in a slot (never below 0). */
export const placesLeft = (s: Pick<SlotRow, 'capacity' | 'held' | 'booked'>) =>
  Math.max(0, s.capacity - s.held - s.booked);

/** The batch's decision: one outcome per request, the rows to insert and the slot's new counters. */
export interface HoldPlan {
  outcomes: HoldOutcome[];
  inserts: HoldRow[];
  held: number;
  heldUnits: number;
}

/**
 * Decides `requests` (all for `slot`) in order. `existing` are the stored holds with the batch's
 * ids; `activeByOwner` counts each owner's live holds (on any slot); `maxPerOwner` caps them.
 */
export function planHolds(
  slot: SlotRow,
  requests: readonly HoldRequest[],
  existing: ReadonlyMap<string, HoldRow>,
  activeByOwner: ReadonlyMap<string, number>,
  maxPerOwner: number,
  now: Date,
): HoldPlan {
  const seen = new Map(existing);
  const active = new Map(activeByOwner);
  let held = slot.held;
  let heldUnits = slot.held_units;
  const inserts: HoldRow[] = [];
  const closed = closedReason(slot, now);
  const outcomes = requests.map((r): HoldOutcome => {
    const hash = holdHash(r);
    const prior = seen.get(r.id);
    if (prior)
      return prior.request_hash === hash
        ? { kind: 'held', hold: prior, replayed: true }
        : { kind: 'conflict', message: `Hold ${r.id} exists with a different request` };
    if (closed) return { kind: 'closed', slot: slot.id, reason: closed };
    const mine = active.get(r.owner) ?? 0;
    if (mine >= maxPerOwner) return { kind: 'too_many', limit: maxPerOwner };
    const unitsFit =
      slot.unit_capacity === null || heldUnits + slot.booked_units + r.units <= slot.unit_capacity;
    if (held + slot.booked >= slot.capacity || !unitsFit) return { kind: 'full', slot: slot.id };
    const hold: HoldRow = {
      id: r.id,
      slot: slot.id,
      state: 'held',
      units: r.units,
      owner: r.owner,
      actor: r.actor,
      order_id: r.orderId ?? null,
      request_hash: hash,
      expires_at: new Date(now.getTime() + r.ttlSeconds * 1000),
      created_at: now,
      closed_at: null,
    };
    held += 1;
    heldUnits += r.units;
    active.set(r.owner, mine + 1);
    seen.set(r.id, hold);
    inserts.push(hold);
    return { kind: 'held', hold, replayed: false };
  });
  return { outcomes, inserts, held, heldUnits };
}

/** What settling a hold (book or release) comes to, decided from its row. */
export type SettleDecision =
  | { kind: 'apply'; to: 'booked' | 'released'; from: HoldRow['state'] }
  | { kind: 'replay' }
  | { kind: 'refuse'; message: string };

/** Whether `hold` may move to `to` at `now`. Booking twice and releasing twice replay. */
export function settle(hold: HoldRow, to: 'booked' | 'released', now: Date): SettleDecision {
  if (hold.state === to) return { kind: 'replay' };
  if (to === 'booked') {
    if (hold.state !== 'held') return { kind: 'refuse', message: `Hold ${hold.id} is ${hold.state}` };
    if (now.getTime() >= hold.expires_at.getTime())
      return { kind: 'refuse', message: `Hold ${hold.id} expired at ${hold.expires_at.toISOString()}` };
    return { kind: 'apply', to, from: 'held' };
  }
  // Releasing an expired hold has nothing left to give back; a booked one gives its place back.
  if (hold.state === 'expired') return { kind: 'replay' };
  return { kind: 'apply', to, from: hold.state };
}

/**
 * Whether `hold` may take `units` picking units instead of its own in `slot` (locked): fewer
 * always fit; more only within the window's unit capacity.
 */
export const unitsRefit = (slot: SlotRow, hold: HoldRow, units: number) =>
  slot.unit_capacity === null ||
  units <= hold.units ||
  slot.held_units - hold.units + units + slot.booked_units <= slot.unit_capacity;

/** What the checkout saga wants of an existing hold it names: this customer's place in this window, for this order. */
export interface AdoptRequest {
  slot: string;
  owner: string;
  orderId: string;
}

/** What adopting a hold for an order comes to, decided from its row. */
export type AdoptDecision =
  | { kind: 'adopt' }
  | { kind: 'replay' }
  | { kind: 'mismatch'; message: string }
  | { kind: 'lapsed'; message: string };

/**
 * Whether `hold` (the customer's own, made in the slot picker) may become `want.orderId`'s at
 * `now`. Someone else's hold, another window's or another order's is never taken over; a hold
 * already this order's replays (a command sent twice extends nothing twice); a hold no longer
 * live has no place left to adopt.
 */
export function adoption(hold: HoldRow, want: AdoptRequest, now: Date): AdoptDecision {
  if (hold.owner !== want.owner || hold.slot !== want.slot)
    return { kind: 'mismatch', message: `Hold ${hold.id} is for another customer or window` };
  if (hold.order_id !== null && hold.order_id !== want.orderId)
    return { kind: 'mismatch', message: `Hold ${hold.id} belongs to another order` };
  if (hold.state === 'booked')
    return hold.order_id === want.orderId
      ? { kind: 'replay' }
      : { kind: 'mismatch', message: `Hold ${hold.id} is already booked` };
  if (hold.state !== 'held' || now.getTime() >= hold.expires_at.getTime())
    return { kind: 'lapsed', message: `Hold ${hold.id} is no longer held` };
  return hold.order_id === want.orderId ? { kind: 'replay' } : { kind: 'adopt' };
}

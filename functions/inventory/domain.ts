/**
 * Inventory rules as pure functions on plain data: FEFO order, expiry, allocating a reservation's
 * lines from lots all-or-nothing (or partially when asked), deciding a batch of reservations, and
 * the rules for receiving and adjusting a lot. No I/O and no clock: the use cases feed them loaded
 * rows and `now`, then persist what they return.
 */
import { localDateOf } from '../shared/vietnam-time';
import { createHash } from 'node:crypto';
import type { FieldError } from '../shared/errors';
import {
  reservationView,
  type Allocation,
  type AllocationOutcome,
  type ExistingState,
  type Line,
  type LocatedLot,
  type LotStock,
  type NewHold,
  type Refusal,
  type ReservationPlan,
  type ReserveOutcome,
  type ReserveRequest,
  type RestockPlan,
  type Returned,
  type StoredReservation,
} from './model';

export * from './model';

/** The shop's calendar day (Vietnam, UTC+7, no daylight saving) of an instant, as YYYY-MM-DD. */
export const shopDay: (at: Date) => string = localDateOf;

/** A lot is expired once its expiry date is before the shop's current day. */
export function isExpired(lot: Pick<LotStock, 'expires_on'>, today: string): boolean {
  return lot.expires_on !== null && lot.expires_on < today;
}

/** FEFO: earliest expiry first (lots without expiry last), then first received, then id. */
export function fefoCompare(a: LotStock, b: LotStock): number {
  if (a.expires_on !== b.expires_on) {
    if (a.expires_on === null) return 1;
    if (b.expires_on === null) return -1;
    return a.expires_on < b.expires_on ? -1 : 1;
  }
  const t = a.received_at.getTime() - b.received_at.getTime();
  if (t !== 0) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Allocates `lines` from `lots` (any order; expired lots are skipped) in FEFO order. All lines are
 * held in full or nothing is, unless `allowPartial`, which holds what is free (a line may hold 0).
 * On success the lots' `free` counts are reduced, so one call after another shares the same lots.
 */
export function allocate(
  lines: Line[],
  lots: LotStock[],
  opts: { allowPartial: boolean; today: string },
): AllocationOutcome {
  const usable = new Map<string, LotStock[]>();
  for (const lot of lots) {
    if (lot.free <= 0 || isExpired(lot, opts.today)) continue;
    const list = usable.get(lot.sku);
    if (list) list.push(lot);
    else usable.set(lot.sku, [lot]);
  }
  for (const list of usable.values()) list.sort(fefoCompare);
  const freeOf = (sku: string) => (usable.get(sku) ?? []).reduce((n, l) => n + l.free, 0);

  const shortfall = lines
    .map((l) => ({ sku: l.sku, requested: l.qty, available: freeOf(l.sku) }))
    .filter((s) => s.available < s.requested);
  if (shortfall.length > 0 && !opts.allowPartial) return { ok: false, shortfall };

  const allocations: Allocation[] = [];
  const held = lines.map((line) => {
    let want = line.qty;
    for (const lot of usable.get(line.sku) ?? []) {
      if (want === 0) break;
      const take = Math.min(want, lot.free);
      if (take <= 0) continue;
      lot.free -= take;
      want -= take;
      allocations.push({ lot_id: lot.id, sku: line.sku, qty: take });
    }
    return { ...line, held: line.qty - want };
  });
  return { ok: true, lines: held, allocations };
}

/** A stable hash of a request's meaningful fields: the same request again hashes the same. */
export function requestHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('base64url');
}

/**
 * How each request of a batch stands before any stock is looked at: a replay or later duplicate
 * (`{ same: i }` or the stored reservation), a conflict, unknown SKUs or location, or fresh.
 */
type Triage =
  | { kind: 'fresh' }
  | { kind: 'same'; as: number }
  | { kind: 'stored'; row: StoredReservation }
  | { kind: 'settled'; outcome: ReserveOutcome };

function triage(requests: ReserveRequest[], existing: ExistingState): Triage[] {
  const first = new Map<string, number>(); // id → index of the request that decides it
  return requests.map((r, i): Triage => {
    const prior = existing.reservations.get(r.id);
    const earlier = first.get(r.id);
    if (prior || earlier !== undefined) {
      const hash = prior ? prior.request_hash : requests[earlier!]!.hash;
      if (hash !== r.hash)
        return {
          kind: 'settled',
          outcome: { kind: 'conflict', message: `Reservation ${r.id} exists with a different request` },
        };
      return prior ? { kind: 'stored', row: prior } : { kind: 'same', as: earlier! };
    }
    first.set(r.id, i);
    if (existing.released?.has(r.id))
      return {
        kind: 'settled',
        outcome: { kind: 'released', message: `Reservation ${r.id} was released before it was made` },
      };
    const errors: FieldError[] = [];
    if (!existing.locations.has(r.location))
      errors.push({ field: '/location', code: 'unknown', message: `No location ${r.location}` });
    r.lines.forEach((l, j) => {
      if (!existing.activeSkus.has(l.sku))
        errors.push({ field: `/lines/${j}/sku`, code: 'unknown', message: `No active SKU ${l.sku}` });
    });
    return errors.length ? { kind: 'settled', outcome: { kind: 'invalid', errors } } : { kind: 'fresh' };
  });
}

/** The (sku, location) pairs whose lots a batch needs locked: those of the requests decided afresh. */
export function stockWanted(
  requests: ReserveRequest[],
  existing: ExistingState,
): { sku: string; location: string }[] {
  const t = triage(requests, existing);
  return requests.flatMap((r, i) =>
    t[i]!.kind === 'fresh' ? r.lines.map((l) => ({ sku: l.sku, location: r.location })) : [],
  );
}

/**
 * Decides a batch of reservations in arrival order against `lots` (free stock, FEFO allocation;
 * the inputs are not changed). A stored id with the same request is replayed, with another one it
 * is a conflict; a later duplicate in the batch gets the first one's answer (a replay once held).
 */
export function planReservations(
  requests: ReserveRequest[],
  existing: ExistingState,
  lots: LocatedLot[],
  now: Date,
): ReservationPlan {
  const today = shopDay(now);
  const atLocation = new Map<string, LotStock[]>();
  const expiresOn = new Map<string, string | null>();
  for (const lot of lots) {
    expiresOn.set(lot.id, lot.expires_on);
    const copy = { ...lot };
    const list = atLocation.get(lot.location);
    if (list) list.push(copy);
    else atLocation.set(lot.location, [copy]);
  }
  const t = triage(requests, existing);
  const hold: NewHold[] = [];
  const outcomes: ReserveOutcome[] = [];
  requests.forEach((r, i) => {
    const step = t[i]!;
    if (step.kind === 'settled') outcomes.push(step.outcome);
    else if (step.kind === 'stored')
      outcomes.push({ kind: 'held', reservation: reservationView(step.row), replayed: true });
    else if (step.kind === 'same') {
      const decided = outcomes[step.as]!;
      outcomes.push(decided.kind === 'held' ? { ...decided, replayed: true } : decided);
    } else {
      const out = allocate(r.lines, atLocation.get(r.location) ?? [], {
        allowPartial: r.allowPartial,
        today,
      });
      if (!out.ok) {
        outcomes.push({ kind: 'refused', shortfall: out.shortfall });
        return;
      }
      const reservation: StoredReservation = {
        id: r.id,
        owner: r.owner,
        location: r.location,
        status: 'held',
        request_hash: r.hash,
        lines: out.lines,
        created_at: now,
        expires_at: new Date(now.getTime() + r.ttlSeconds * 1000),
        closed_at: null,
        allocations: out.allocations.map((a) => ({ ...a, expires_on: expiresOn.get(a.lot_id) ?? null })),
      };
      hold.push({ reservation, actor: r.actor, correlationId: r.correlationId ?? null });
      outcomes.push({ kind: 'held', reservation: reservationView(reservation), replayed: false });
    }
  });
  return { hold, outcomes };
}

/** Why a lot cannot be received (empty when it can): unknown SKU or location, missing or past expiry. */
export function receiveRefusal(
  lot: { sku: string; location: string; expires_on?: string | null },
  found: { sku?: { is_perishable: boolean }; location: boolean },
  today: string,
): Refusal | undefined {
  const errors: FieldError[] = [];
  if (!found.sku) errors.push({ field: '/sku', code: 'unknown', message: `No SKU ${lot.sku}` });
  if (!found.location)
    errors.push({ field: '/location', code: 'unknown', message: `No location ${lot.location}` });
  if (found.sku?.is_perishable && !lot.expires_on)
    errors.push({
      field: '/expires_on',
      code: 'required',
      message: 'A perishable lot needs its expiry date',
    });
  if (lot.expires_on && lot.expires_on < today)
    errors.push({ field: '/expires_on', code: 'expired', message: `The lot expired on ${lot.expires_on}` });
  return errors.length ? { kind: 'invalid', message: 'The lot cannot be received', errors } : undefined;
}

/**
 * The change to a lot's on-hand count for an adjustment: a count sets it, damage and expiry write
 * off a quantity (expiry defaults to everything not held). Never below what reservations hold.
 */
export function planAdjustment(
  adjust: { lot_id: string; reason: 'count' | 'damage' | 'expiry'; quantity?: number },
  lot: { id: string; on_hand: number; held: number } | undefined,
): { ok: true; delta: number } | ({ ok: false } & Refusal) {
  if (!lot)
    return {
      ok: false,
      kind: 'invalid',
      message: 'The adjustment is not valid',
      errors: [{ field: '/lot_id', code: 'unknown', message: `No lot ${adjust.lot_id}` }],
    };
  let delta: number;
  if (adjust.reason === 'count') {
    if (adjust.quantity === undefined)
      return {
        ok: false,
        kind: 'invalid',
        message: 'A count needs the counted quantity',
        errors: [{ field: '/quantity', code: 'required', message: 'the quantity counted on the shelf' }],
      };
    delta = adjust.quantity - lot.on_hand;
  } else {
    const off = adjust.quantity ?? (adjust.reason === 'expiry' ? lot.on_hand - lot.held : undefined);
    if (off === undefined || off <= 0)
      return {
        ok: false,
        kind: 'invalid',
        message: `A ${adjust.reason} write-off needs a positive quantity`,
        errors: [{ field: '/quantity', code: 'minimum', message: 'at least 1' }],
      };
    delta = -off;
  }
  if (lot.on_hand + delta < lot.held)
    return {
      ok: false,
      kind: 'conflict',
      message: `Lot ${lot.id} has ${lot.held} held by reservations: it cannot go below that (on hand ${lot.on_hand}, change ${delta})`,
      extensions: { held: lot.held, on_hand: lot.on_hand },
    };
  return { ok: true, delta };
}

/** The stock.expiring window: from the shop's today to `days` ahead, both included. */
export function expiringWindow(now: Date, days: number): { today: string; horizon: string } {
  return { today: shopDay(now), horizon: shopDay(new Date(now.getTime() + days * 86_400_000)) };
}

/** The lots a stock.expiring notice is due for: those expiring within the window. */
export function dueToExpire<L extends { expires_on: string | null }>(
  lots: L[],
  window: { today: string; horizon: string },
): (L & { expires_on: string })[] {
  return lots.filter(
    (l): l is L & { expires_on: string } =>
      l.expires_on !== null && l.expires_on >= window.today && l.expires_on <= window.horizon,
  );
}

/** Latest expiry first (lots without expiry first of all), then last received, then id: FEFO reversed. */
function latestExpiryFirst(a: { lot_id: string; expires_on: string | null }, b: typeof a): number {
  if (a.expires_on !== b.expires_on) {
    if (a.expires_on === null) return -1;
    if (b.expires_on === null) return 1;
    return a.expires_on > b.expires_on ? -1 : 1;
  }
  return a.lot_id < b.lot_id ? -1 : a.lot_id > b.lot_id ? 1 : 0;
}

/**
 * What a restock of a committed reservation puts back: each line's units go into the lots its SKU
 * was committed from, latest expiry first, each lot taking at most what was committed from it less
 * what earlier restocks returned to it (so the total per SKU never exceeds what was committed).
 * Lots expired by `today` take nothing: those units are not put back and count as not restocked.
 */
export function planRestock(
  lines: Line[],
  committed: StoredReservation['allocations'],
  earlier: Returned[],
  today: string,
): RestockPlan {
  const back = new Map<string, number>();
  for (const r of earlier) back.set(r.lot_id, (back.get(r.lot_id) ?? 0) + r.qty);
  const lots: Returned[] = [];
  const restocked = lines.flatMap((line) => {
    let want = line.qty;
    const from = committed.filter((a) => a.sku === line.sku && !isExpired(a, today)).sort(latestExpiryFirst);
    for (const a of from) {
      const take = Math.min(want, a.qty - (back.get(a.lot_id) ?? 0));
      if (take <= 0) continue;
      want -= take;
      lots.push({ lot_id: a.lot_id, sku: a.sku, qty: take });
    }
    const qty = line.qty - want;
    return qty > 0 ? [{ sku: line.sku, qty }] : [];
  });
  return { lots, restocked };
}

/** Why a restock's lines cannot be taken (undefined when they can): SKUs listed twice or not reserved. */
export function restockLineErrors(
  lines: Line[],
  reservation: Pick<StoredReservation, 'lines'>,
): { duplicated: string[]; notReserved: string[] } | undefined {
  const seen = new Set<string>();
  const duplicated = [...new Set(lines.filter((l) => seen.has(l.sku) || !seen.add(l.sku)).map((l) => l.sku))];
  const reserved = new Set(reservation.lines.map((l) => l.sku));
  const notReserved = [...seen].filter((sku) => !reserved.has(sku));
  return duplicated.length || notReserved.length ? { duplicated, notReserved } : undefined;
}

/** The hash of a restock's lines, whatever their order: the same lines again are the same request. */
export const restockHash = (lines: Line[]): string =>
  requestHash([...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.qty - b.qty)));

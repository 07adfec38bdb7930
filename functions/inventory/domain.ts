/**
 * Inventory rules as pure functions: FEFO order, expiry, and allocating a reservation's lines from
 * lots all-or-nothing (or partially when asked). No I/O; the store feeds it locked rows.
 */
import { createHash } from 'node:crypto';

/** A lot as allocation sees it: what is free to hold (on hand − held) and how it sorts. */
export interface LotStock {
  id: string;
  sku: string;
  /** YYYY-MM-DD, or null when the lot does not expire. */
  expires_on: string | null;
  received_at: Date;
  free: number;
}

/** One requested line: a SKU and a quantity in its counting unit (pieces or grams). */
export interface Line {
  sku: string;
  qty: number;
}

/** Units of one lot held for one line. */
export interface Allocation {
  lot_id: string;
  sku: string;
  qty: number;
}

/** A line short of stock: what was asked and what was free at the location. */
export interface Shortfall {
  sku: string;
  requested: number;
  available: number;
}

/** The outcome of allocating one reservation. */
export type AllocationOutcome =
  | { ok: true; lines: (Line & { held: number })[]; allocations: Allocation[] }
  | { ok: false; shortfall: Shortfall[] };

/** The shop's calendar day (Vietnam, UTC+7, no daylight saving) of an instant, as YYYY-MM-DD. */
export function shopDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

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

/**
 * The plain data of inventory: lots as allocation sees them, reservation requests, stored
 * reservations and their API view, and the result shapes the decisions in domain.ts return.
 */
import type { FieldError } from '../shared/errors';

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

/** Reservation states: held until committed, released, or expired by the sweeper. */
export type ReservationStatus = 'held' | 'committed' | 'released' | 'expired';

/** A reservation request after schema validation. */
export interface ReserveRequest {
  id: string;
  owner: string;
  location: string;
  lines: Line[];
  ttlSeconds: number;
  allowPartial: boolean;
  /** Hash of the request's fields: the same id with another request is a conflict. */
  hash: string;
  actor: string;
  correlationId?: string;
}

/** A reservation as stored: its lines with what was held, and its allocations (FEFO order). */
export interface StoredReservation {
  id: string;
  owner: string;
  location: string;
  status: ReservationStatus;
  request_hash: string;
  lines: (Line & { held: number })[];
  created_at: Date;
  expires_at: Date;
  closed_at: Date | null;
  allocations: (Allocation & { expires_on: string | null })[];
}

/** A reservation as the API shows it. */
export interface ReservationView {
  id: string;
  owner: string;
  location: string;
  status: ReservationStatus;
  lines: {
    sku: string;
    qty: number;
    held: number;
    lots: { lot_id: string; qty: number; expires_on: string | null }[];
  }[];
  created_at: string;
  expires_at: string;
  closed_at: string | null;
}

/** What became of one reservation request. */
export type ReserveOutcome =
  | { kind: 'held'; reservation: ReservationView; replayed: boolean }
  | { kind: 'refused'; shortfall: Shortfall[] }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; message: string }
  /** Its id was released before it was made (a reserve that arrived after its compensation). */
  | { kind: 'released'; message: string };

/** The API view of a stored reservation: each line with the lots it holds. */
export function reservationView(row: Omit<StoredReservation, 'request_hash'>): ReservationView {
  return {
    id: row.id,
    owner: row.owner,
    location: row.location,
    status: row.status,
    lines: row.lines.map((l) => ({
      sku: l.sku,
      qty: l.qty,
      held: l.held,
      lots: row.allocations
        .filter((a) => a.sku === l.sku)
        .map((a) => ({ lot_id: a.lot_id, qty: a.qty, expires_on: a.expires_on })),
    })),
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    closed_at: row.closed_at ? row.closed_at.toISOString() : null,
  };
}

/** What a batch decision reads besides the lots: stored reservations of its ids, active SKUs, locations. */
export interface ExistingState {
  reservations: ReadonlyMap<string, StoredReservation>;
  activeSkus: ReadonlySet<string>;
  locations: ReadonlySet<string>;
  /** Ids released before any reservation was made under them: never reserved afterwards. */
  released?: ReadonlySet<string>;
}

/** A lot free to reserve at a location (the store locks these before the decision). */
export type LocatedLot = LotStock & { location: string };

/** A new hold to persist: the reservation row, its allocations and the ledger's context. */
export interface NewHold {
  reservation: StoredReservation;
  /** Who asked for it and under which correlation id: its ledger lines name them. */
  actor: string;
  correlationId: string | null;
}

/** The decision on a batch: what to hold, and one outcome per request (refusals and replays included). */
export interface ReservationPlan {
  hold: NewHold[];
  outcomes: ReserveOutcome[];
}

/** An expected refusal of a staff operation: the edge answers 400 (invalid) or 409 (conflict). */
export type Refusal =
  | { kind: 'invalid'; message: string; errors: FieldError[] }
  | { kind: 'conflict'; message: string; extensions?: Record<string, unknown> };

/** Units put back into one lot by a restock of a committed reservation. */
export type Returned = Allocation;

/** A restock as decided: what goes back into each lot, and per SKU (lines with 0 left out). */
export interface RestockPlan {
  lots: Returned[];
  restocked: Line[];
}

/** A restock as stored: its request's hash and what it put back (replayed for the same id). */
export interface StoredRestock {
  restock_id: string;
  request_hash: string;
  restocked: Line[];
  lots: Returned[];
}

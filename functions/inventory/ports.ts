/**
 * The few interfaces inventory's handlers need: the routes, the event handlers and the jobs see
 * these, and deps.ts wires PostgreSQL (and Firestore) adapters behind them. Expected business
 * outcomes are result values; a rejected promise means a bug or broken infrastructure.
 */
import type { DataOf, ProductSnapshot, stockChanged } from '../../events';
import type { Tx } from '../shared/db';
import type {
  Line,
  Refusal,
  ReservationStatus,
  ReservationView,
  ReserveOutcome,
  ReserveRequest,
} from './domain';
import type { LocationRow, LotView } from './lot-store';
import type { AdjustBody, ReceiveBody } from './schemas';
import type { StockKey, StockLevel } from './stock-store';

/** Who did it and why, for the ledger. */
export interface Actor {
  actor: string;
  correlationId?: string;
  /** The instant of the operation (tests); defaults to now. */
  now?: Date;
  /**
   * A release of an id never reserved leaves a mark that refuses a later reserve of it (the
   * checkout saga's compensation, which can overtake its own reserve command). Off for the HTTP
   * route, whose 404 changes nothing.
   */
  markUnknown?: boolean;
}

/** What closing a reservation did: closed now, replayed, refused (with its state) or missing. */
export type CloseResult =
  { outcome: 'missing' } | { outcome: 'done' | 'replayed' | 'refused'; reservation: ReservationView };

/** Units of a committed reservation to put back on the shelf, once per restock id. */
export interface RestockRequest {
  reservationId: string;
  restockId: string;
  lines: Line[];
}

/**
 * What a restock did: put back (now, or replayed for the same id) the units per SKU, or why it was
 * refused: no such reservation, not committed, SKUs not on it, or the id used for other lines.
 */
export type RestockResult =
  | { outcome: 'done' | 'replayed'; restocked: Line[] }
  | { outcome: 'missing' | 'conflict' }
  | { outcome: 'not_committed'; status: ReservationStatus }
  | { outcome: 'invalid'; duplicated: string[]; notReserved: string[] };

/**
 * Reservations: holding stock for checkout, committing or releasing it, expiring what was left,
 * and putting committed units back on the shelf.
 */
export interface Reservations {
  /** Decides a batch in one transaction: one outcome per request, in order. */
  reserveBatch(requests: ReserveRequest[], now?: Date): Promise<ReserveOutcome[]>;
  get(id: string): Promise<ReservationView | undefined>;
  close(id: string, to: 'committed' | 'released', ctx: Actor): Promise<CloseResult>;
  /** Puts units of a committed reservation back into the lots they came from (unexpired ones). */
  restock(req: RestockRequest, ctx: Actor): Promise<RestockResult>;
  /** Expires up to `limit` held reservations past their TTL; returns how many. */
  sweep(opts?: { limit?: number; now?: Date; actor?: string }): Promise<number>;
}

/** What a staff lot operation did: the lot (maybe a replayed answer), or why it was refused. */
export type LotResult = { ok: true; lot: LotView; replayed: boolean } | ({ ok: false } & Refusal);

/** Staff stock operations and the daily expiring scan. */
export interface StockOperations {
  receive(body: ReceiveBody, ctx: Actor): Promise<LotResult>;
  adjust(body: AdjustBody, ctx: Actor): Promise<LotResult>;
  /** Sets a SKU's low-stock threshold; false when there is no such SKU. */
  setThreshold(sku: string, threshold: number): Promise<boolean>;
  /** stock.expiring notices for lots expiring within the window; returns how many. */
  scanExpiring(now?: Date): Promise<number>;
}

/** A SKU as inventory counts it. */
export interface SkuRow {
  sku: string;
  sold_by: 'piece' | 'weight';
  is_perishable: boolean;
  active: boolean;
  low_threshold: number;
}

/** The reads the public and staff routes serve. */
export interface StockReads {
  locations(): Promise<LocationRow[]>;
  sku(sku: string): Promise<SkuRow | undefined>;
  /** Which of these SKUs inventory knows (active or not). */
  knownSkus(skus: string[]): Promise<Set<string>>;
  levels(keys: StockKey[]): Promise<StockLevel[]>;
  levelsOfSku(sku: string): Promise<StockLevel[]>;
  lots(sku: string, location: string | undefined): Promise<LotView[]>;
}

/** The SKUs inventory counts, fed by catalog's product events inside the consumer's transaction. */
export interface SkuProjection {
  upsertSkus(
    tx: Tx,
    products: Pick<ProductSnapshot, 'sku' | 'sold_by' | 'is_perishable' | 'status' | 'version'>[],
  ): Promise<void>;
  retireSku(tx: Tx, sku: string, version: number): Promise<void>;
}

/** Where stock.changed events are projected for clients to listen to (Firestore). */
export interface StockProjection {
  apply(level: DataOf<typeof stockChanged>): Promise<'written' | 'stale'>;
  close(): Promise<void>;
}

/**
 * Orders and their saga log. Persistence only: every call takes the caller's transaction or the pool.
 */
import { ident, type Queryable } from '../shared/db';
import type { SagaState } from './saga';
import type { Bill, PickLine, Refund } from './picking';
import type { Rail } from './rails';

/** A delivery address as the customer saved it (a snapshot: the carrier needs it after edits). */
export type AddressSnapshot = Record<string, unknown>;

/** How the order reaches the customer. */
export interface OrderFulfilment {
  kind: 'delivery' | 'pickup';
  slot: string;
  hold_id: string;
  window: { starts_at: string; ends_at: string; fee_vnd: number };
  address?: AddressSnapshot;
}

/** One line as the customer bought it. */
export interface OrderLine {
  sku: string;
  name: { en: string; vi: string };
  sold_by: 'piece' | 'weight';
  qty?: number;
  grams?: number;
  substitution: { mode: 'best_match' } | { mode: 'specific'; skus: string[] } | { mode: 'none' };
  note?: string;
}

/** An order as stored. */
export interface OrderRow {
  id: string;
  customer_id: string;
  cart_id: string;
  idempotency_key: string;
  request_hash: string;
  lang: 'en' | 'vi';
  status: string;
  location: string;
  fulfilment: OrderFulfilment;
  lines: OrderLine[];
  coupons: string[];
  rail: Rail;
  payment_id: string;
  quote: Record<string, unknown> | null;
  total_vnd: number | null;
  authorised_vnd: number | null;
  redemption_ids: string[];
  next_action: 'redirect' | 'client_secret' | 'none' | null;
  redirect_url: string | null;
  reason: { code: string; message: { en: string; vi: string } } | null;
  refund_vnd: number;
  saga: SagaState;
  next_check_at: Date | null;
  settled: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  /** After confirmation (fulfilment.ts). */
  picking: PickLine[] | null;
  bill: Bill | null;
  final_vnd: number | null;
  captured_vnd: number;
  refunds: Refund[];
  asks: Ask[];
  tracking: Tracking | null;
  packed_at: Date | null;
  completed_at: Date | null;
}

/** A command sent after confirmation, kept until its owner answers (re-sent by the clock). */
export interface Ask {
  key: string;
  type: string;
  data: Record<string, unknown>;
  state: 'sent' | 'done' | 'refused';
  sent_at: string;
  attempts: number;
  reason?: { code: string; message: { en: string; vi: string } };
}

/** The delivery or pickup as delivery reports it. */
export interface Tracking {
  delivery_id: string;
  carrier?: string;
  status?: string;
  tracking_url?: string | null;
  eta_at?: string | null;
  ready_at?: string;
}

const COLUMNS = `id, customer_id, cart_id, idempotency_key, request_hash, lang, status, location, fulfilment,
  lines, coupons, rail, payment_id, quote, total_vnd::float8 AS total_vnd, authorised_vnd::float8 AS authorised_vnd,
  redemption_ids, next_action, redirect_url, reason, refund_vnd::float8 AS refund_vnd, saga, next_check_at,
  settled, version, created_at, updated_at, confirmed_at, cancelled_at, picking, bill,
  final_vnd::float8 AS final_vnd, captured_vnd::float8 AS captured_vnd, refunds, asks, tracking, packed_at,
  completed_at`;

/** Fields an update may set. */
export type OrderPatch = Partial<
  Pick<
    OrderRow,
    | 'status'
    | 'quote'
    | 'total_vnd'
    | 'authorised_vnd'
    | 'redemption_ids'
    | 'next_action'
    | 'redirect_url'
    | 'reason'
    | 'refund_vnd'
    | 'saga'
    | 'next_check_at'
    | 'settled'
    | 'confirmed_at'
    | 'cancelled_at'
    | 'picking'
    | 'bill'
    | 'final_vnd'
    | 'captured_vnd'
    | 'refunds'
    | 'asks'
    | 'tracking'
    | 'packed_at'
    | 'completed_at'
  >
>;
const JSON_COLUMNS = new Set(['quote', 'reason', 'saga', 'picking', 'bill', 'refunds', 'asks', 'tracking']);

/** The order store over `schema`. */
export function orderStore(schema: string) {
  const orders = `${ident(schema)}.orders`;
  const log = `${ident(schema)}.saga_log`;
  return {
    async insert(db: Queryable, row: Omit<OrderRow, 'version' | 'updated_at'>): Promise<void> {
      const cols = Object.keys(row);
      await db.query(
        `INSERT INTO ${orders} (${cols.join(', ')}, version, updated_at)
         VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}, 1, $${cols.length + 1})`,
        [
          ...cols.map((c) => {
            const v = (row as Record<string, unknown>)[c];
            return c === 'fulfilment' || c === 'lines' || (JSON_COLUMNS.has(c) && v !== null)
              ? JSON.stringify(v)
              : v;
          }),
          row.created_at,
        ],
      );
    },

    async get(db: Queryable, id: string, lock = false): Promise<OrderRow | undefined> {
      const { rows } = await db.query(
        `SELECT ${COLUMNS} FROM ${orders} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] as OrderRow | undefined;
    },

    async byKey(db: Queryable, customerId: string, key: string): Promise<OrderRow | undefined> {
      const { rows } = await db.query(
        `SELECT ${COLUMNS} FROM ${orders} WHERE customer_id = $1 AND idempotency_key = $2`,
        [customerId, key],
      );
      return rows[0] as OrderRow | undefined;
    },

    async liveOfCart(db: Queryable, cartId: string): Promise<OrderRow | undefined> {
      const { rows } = await db.query(
        `SELECT ${COLUMNS} FROM ${orders} WHERE cart_id = $1 AND status <> 'cancelled'`,
        [cartId],
      );
      return rows[0] as OrderRow | undefined;
    },

    async update(db: Queryable, id: string, patch: OrderPatch, now: Date): Promise<void> {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
      const sets = entries.map(([k], i) => `${k} = $${i + 3}`);
      await db.query(
        `UPDATE ${orders} SET ${[...sets, 'version = version + 1', 'updated_at = $2'].join(', ')} WHERE id = $1`,
        [id, now, ...entries.map(([k, v]) => (JSON_COLUMNS.has(k) && v !== null ? JSON.stringify(v) : v))],
      );
    },

    async appendLog(
      db: Queryable,
      orderId: string,
      entry: { input: unknown; phase: string; sent: unknown },
      now: Date,
    ): Promise<void> {
      await db.query(
        `INSERT INTO ${log} (order_id, seq, input, phase, sent, at)
         SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 FROM ${log} WHERE order_id = $1`,
        [orderId, JSON.stringify(entry.input), entry.phase, JSON.stringify(entry.sent), now],
      );
    },

    async logOf(db: Queryable, orderId: string) {
      const { rows } = await db.query(
        `SELECT seq, input, phase, sent, at FROM ${log} WHERE order_id = $1 ORDER BY seq`,
        [orderId],
      );
      return rows as { seq: number; input: unknown; phase: string; sent: unknown; at: Date }[];
    },

    /** Orders whose saga needs the clock, locked for this caller (others skip them). */
    async due(db: Queryable, now: Date, limit: number): Promise<string[]> {
      const { rows } = await db.query(
        `SELECT id FROM ${orders} WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      return rows.map((r) => r.id as string);
    },

    /** Confirmed orders of a customer (first-order promotions). */
    async placedBefore(db: Queryable, customerId: string): Promise<number> {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM ${orders} WHERE customer_id = $1 AND confirmed_at IS NOT NULL`,
        [customerId],
      );
      return rows[0].n as number;
    },

    /** A page of orders, newest first, after the cursor (created_at, id). */
    async page(
      db: Queryable,
      filter: { customerId?: string; status?: string; location?: string; slot?: string },
      limit: number,
      after?: { at: string; id: string },
    ): Promise<OrderRow[]> {
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        values.push(v);
        where.push(sql.replace('?', `$${values.length}`));
      };
      if (filter.customerId) add('customer_id = ?', filter.customerId);
      if (filter.status) add('status = ?', filter.status);
      if (filter.location) add('location = ?', filter.location);
      if (filter.slot) add(`fulfilment->>'slot' = ?`, filter.slot);
      if (after) {
        values.push(after.at, after.id);
        where.push(`(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length})`);
      }
      values.push(limit);
      const { rows } = await db.query(
        `SELECT ${COLUMNS} FROM ${orders} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
        values,
      );
      return rows as OrderRow[];
    },

    /** Orders changed since their last publish to the tracking view (tracking.ts), oldest first. */
    async untracked(db: Queryable, limit: number): Promise<OrderRow[]> {
      const { rows } = await db.query(
        `SELECT ${COLUMNS} FROM ${orders} WHERE tracked_version < version ORDER BY updated_at, id LIMIT $1`,
        [limit],
      );
      return rows as OrderRow[];
    },

    /** Records `version` as published; never moves the mark back. Does not bump the order's version. */
    async markTracked(db: Queryable, id: string, version: number): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE ${orders} SET tracked_version = $2 WHERE id = $1 AND tracked_version < $2`,
        [id, version],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}

export type OrderStore = ReturnType<typeof orderStore>;

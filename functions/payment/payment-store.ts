/**
 * Payments, the operations sent to providers, the ledger, refunds, the notification inbox and COD
 * collections. Persistence only: every call takes the caller's transaction or the pool.
 */
import { ident, type Queryable } from '../shared/db';
import type { PaymentFacts } from './domain';
import type { RailName, RailStatus } from './rail';

/** A payment as stored. */
export interface PaymentRow extends PaymentFacts {
  id: string;
  order_id: string;
  customer_id: string;
  rail: RailName;
  provider_ref: string | null;
  next_action: { kind: 'redirect'; url: string } | { kind: 'client_secret'; client_secret: string } | null;
  failure: { code: string; message: string } | null;
  hold_expires_at: Date | null;
  return_url: string;
  request_hash: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** One provider call, recorded before it is sent. */
export interface OperationRow {
  payment_id: string;
  operation: 'authorise' | 'capture' | 'void' | 'refund';
  attempt: string;
  idempotency_key: string;
  amount_vnd: number | null;
  state: 'started' | 'done' | 'refused';
  result: unknown;
}

/** A refund as stored. */
export interface RefundRow {
  id: string;
  payment_id: string;
  amount_vnd: number;
  reason: string;
  status: 'started' | 'succeeded' | 'pending' | 'failed';
  provider_ref: string | null;
  request_hash: string;
  created_at: Date;
  updated_at: Date;
}

const PAYMENT = `id, order_id, customer_id, rail, amount_vnd::float8 AS "amountVnd", stage,
  authorised_vnd::float8 AS "authorisedVnd", captured_vnd::float8 AS "capturedVnd",
  refunded_vnd::float8 AS "refundedVnd", provider_ref, next_action, failure, hold_expires_at, return_url,
  request_hash, version, created_at, updated_at`;
const OPERATION = `payment_id, operation, attempt, idempotency_key, amount_vnd::float8 AS amount_vnd, state, result`;
const REFUND = `id, payment_id, amount_vnd::float8 AS amount_vnd, reason, status, provider_ref, request_hash, created_at, updated_at`;

/** Column of each payment field that may change. */
const COLUMN: Record<string, string> = {
  stage: 'stage',
  authorisedVnd: 'authorised_vnd',
  capturedVnd: 'captured_vnd',
  refundedVnd: 'refunded_vnd',
  provider_ref: 'provider_ref',
  next_action: 'next_action',
  failure: 'failure',
  hold_expires_at: 'hold_expires_at',
};
const JSON_FIELDS = new Set(['next_action', 'failure']);

/** The store in `schema`. */
export function paymentStore(schema: string) {
  const s = ident(schema);
  return {
    async get(db: Queryable, id: string, lock = false): Promise<PaymentRow | undefined> {
      const { rows } = await db.query<PaymentRow>(
        `SELECT ${PAYMENT} FROM ${s}.payments WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    async ofOrder(db: Queryable, orderId: string): Promise<PaymentRow[]> {
      const { rows } = await db.query<PaymentRow>(
        `SELECT ${PAYMENT} FROM ${s}.payments WHERE order_id = $1 ORDER BY created_at, id`,
        [orderId],
      );
      return rows;
    },

    /** Inserts a new payment; false when the id exists. */
    async insert(
      db: Queryable,
      p: Pick<
        PaymentRow,
        'id' | 'order_id' | 'customer_id' | 'rail' | 'amountVnd' | 'return_url' | 'request_hash'
      >,
      now: Date,
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.payments (id, order_id, customer_id, rail, amount_vnd, stage, return_url, request_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING`,
        [p.id, p.order_id, p.customer_id, p.rail, p.amountVnd, p.return_url, p.request_hash, now],
      );
      return rowCount === 1;
    },

    /** Writes the fields that changed and bumps the version; returns the new row. */
    async update(db: Queryable, id: string, changes: Partial<PaymentRow>, now: Date): Promise<PaymentRow> {
      const keys = Object.keys(changes).filter((k) => k in COLUMN);
      const sets = keys.map((k, i) => `${COLUMN[k]} = $${i + 3}`);
      const values = keys.map((k) => {
        const v = (changes as Record<string, unknown>)[k];
        return JSON_FIELDS.has(k) && v !== null ? JSON.stringify(v) : v;
      });
      const { rows } = await db.query<PaymentRow>(
        `UPDATE ${s}.payments SET ${[...sets, 'version = version + 1', 'updated_at = $2'].join(', ')}
          WHERE id = $1 RETURNING ${PAYMENT}`,
        [id, now, ...values],
      );
      return rows[0]!;
    },

    async operation(db: Queryable, paymentId: string, operation: OperationRow['operation'], attempt: string) {
      const { rows } = await db.query<OperationRow>(
        `SELECT ${OPERATION} FROM ${s}.operations WHERE payment_id = $1 AND operation = $2 AND attempt = $3`,
        [paymentId, operation, attempt],
      );
      return rows[0];
    },

    /** The operation, recorded as started when new (`created`); the stored one when it exists (a retry). */
    async startOperation(
      db: Queryable,
      op: Pick<OperationRow, 'payment_id' | 'operation' | 'attempt' | 'idempotency_key' | 'amount_vnd'>,
      now: Date,
    ): Promise<{ op: OperationRow; created: boolean }> {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.operations (payment_id, operation, attempt, idempotency_key, amount_vnd, state, started_at)
         VALUES ($1, $2, $3, $4, $5, 'started', $6) ON CONFLICT DO NOTHING`,
        [op.payment_id, op.operation, op.attempt, op.idempotency_key, op.amount_vnd, now],
      );
      const { rows } = await db.query<OperationRow>(
        `SELECT ${OPERATION} FROM ${s}.operations WHERE payment_id = $1 AND operation = $2 AND attempt = $3`,
        [op.payment_id, op.operation, op.attempt],
      );
      return { op: rows[0]!, created: rowCount === 1 };
    },

    async finishOperation(
      db: Queryable,
      op: Pick<OperationRow, 'payment_id' | 'operation' | 'attempt'>,
      state: 'done' | 'refused',
      result: unknown,
      now: Date,
    ) {
      await db.query(
        `UPDATE ${s}.operations SET state = $4, result = $5, finished_at = $6
          WHERE payment_id = $1 AND operation = $2 AND attempt = $3`,
        [op.payment_id, op.operation, op.attempt, state, JSON.stringify(result ?? null), now],
      );
    },

    /** Operations sent but never recorded as finished (a crash or an outage), oldest first. */
    async unfinished(db: Queryable, olderThan: Date, limit: number): Promise<OperationRow[]> {
      const { rows } = await db.query<OperationRow>(
        `SELECT ${OPERATION} FROM ${s}.operations WHERE state = 'started' AND started_at < $1
          ORDER BY started_at LIMIT $2`,
        [olderThan, limit],
      );
      return rows;
    },

    async record(
      db: Queryable,
      entries: { payment_id: string; kind: string; amount_vnd: number; source: string }[],
      now: Date,
    ) {
      if (entries.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.ledger (payment_id, kind, amount_vnd, source, at)
         SELECT x.payment_id, x.kind, x.amount_vnd, x.source, $2
           FROM jsonb_to_recordset($1::jsonb) AS x(payment_id text, kind text, amount_vnd bigint, source text)`,
        [JSON.stringify(entries), now],
      );
    },

    async refund(db: Queryable, id: string, lock = false): Promise<RefundRow | undefined> {
      const { rows } = await db.query<RefundRow>(
        `SELECT ${REFUND} FROM ${s}.refunds WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    async refundsOf(db: Queryable, paymentId: string): Promise<RefundRow[]> {
      const { rows } = await db.query<RefundRow>(
        `SELECT ${REFUND} FROM ${s}.refunds WHERE payment_id = $1 ORDER BY created_at, id`,
        [paymentId],
      );
      return rows;
    },

    async insertRefund(
      db: Queryable,
      r: Pick<RefundRow, 'id' | 'payment_id' | 'amount_vnd' | 'reason' | 'request_hash'>,
      now: Date,
    ) {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.refunds (id, payment_id, amount_vnd, reason, status, request_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'started', $5, $6, $6) ON CONFLICT (id) DO NOTHING`,
        [r.id, r.payment_id, r.amount_vnd, r.reason, r.request_hash, now],
      );
      return rowCount === 1;
    },

    async settleRefund(
      db: Queryable,
      id: string,
      status: RefundRow['status'],
      providerRef: string | null,
      now: Date,
    ) {
      await db.query(
        `UPDATE ${s}.refunds SET status = $2, provider_ref = COALESCE($3, provider_ref), updated_at = $4 WHERE id = $1`,
        [id, status, providerRef, now],
      );
    },

    /** Records a notification; false when the provider sent it before. */
    async firstNotification(
      db: Queryable,
      rail: RailName,
      eventId: string,
      paymentId: string | null,
      verdict: string,
    ) {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.notifications (rail, event_id, payment_id, verdict) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [rail, eventId, paymentId, verdict],
      );
      return rowCount === 1;
    },

    /** Open payments not touched since `before` (reconciliation). */
    async stale(db: Queryable, before: Date, stages: RailStatus[], limit: number): Promise<PaymentRow[]> {
      const { rows } = await db.query<PaymentRow>(
        `SELECT ${PAYMENT} FROM ${s}.payments WHERE stage = ANY($1::text[]) AND updated_at < $2 ORDER BY updated_at LIMIT $3`,
        [stages, before, limit],
      );
      return rows;
    },

    /** Held payments whose hold lapses before `by` (cards: about 7 days). */
    async holdsExpiring(db: Queryable, by: Date, limit: number): Promise<PaymentRow[]> {
      const { rows } = await db.query<PaymentRow>(
        `SELECT ${PAYMENT} FROM ${s}.payments WHERE stage = 'authorised' AND hold_expires_at < $1
          ORDER BY hold_expires_at LIMIT $2`,
        [by, limit],
      );
      return rows;
    },

    /** Records a COD collection once per delivery; false when it was recorded before. */
    async collection(
      db: Queryable,
      c: {
        delivery_id: string;
        order_id: string;
        payment_id: string | null;
        carrier: string;
        amount_vnd: number;
        expected_vnd: number;
        collected_at: Date;
        day: string;
      },
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.cod_collections (delivery_id, order_id, payment_id, carrier, amount_vnd, expected_vnd, collected_at, day)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          c.delivery_id,
          c.order_id,
          c.payment_id,
          c.carrier,
          c.amount_vnd,
          c.expected_vnd,
          c.collected_at,
          c.day,
        ],
      );
      return rowCount === 1;
    },

    /** Cash per carrier for one Vietnam day: expected against collected. */
    async cashReport(db: Queryable, day: string) {
      const { rows } = await db.query<{
        carrier: string;
        deliveries: number;
        expected_vnd: number;
        collected_vnd: number;
      }>(
        `SELECT carrier, count(*)::int AS deliveries, sum(expected_vnd)::float8 AS expected_vnd,
                sum(amount_vnd)::float8 AS collected_vnd
           FROM ${s}.cod_collections WHERE day = $1 GROUP BY carrier ORDER BY carrier`,
        [day],
      );
      return rows;
    },
  };
}

export type PaymentStore = ReturnType<typeof paymentStore>;

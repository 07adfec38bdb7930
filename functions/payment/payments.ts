/**
 * Payment use cases. Every operation that moves money follows one shape: under the payment's row
 * lock, decide (domain.ts) and record the operation with its idempotency key; commit; call the
 * provider outside any transaction; then, under the lock again, apply what the provider answered
 * and emit the events. A crash or timeout between the call and its record leaves the operation
 * `started`: a retry, or the reconciliation job, sends it again with the same key, and the
 * provider replays its first answer — nobody is charged twice. Provider notifications and the
 * customer's "I paid" run the same apply step, so whichever comes first wins and the other
 * changes nothing.
 */
import {
  paymentAuthorised,
  paymentCaptured,
  paymentExpired,
  paymentFailed,
  paymentRefunded,
  paymentVoided,
  type TuoiCloudEvent,
} from '../../events';
import type { Queryable } from '../shared/db';
import { BadGatewayError } from '../shared/errors';
import { buildEvent } from '../shared/eventing/outbox';
import { hashRequest } from '../shared/idempotency';
import { createLogger } from '../shared/log';
import type { UnitOfWork, Work } from '../shared/unit-of-work';
import {
  applyReport,
  captureRefusal,
  idempotencyKey,
  refundRefusal,
  voidRefusal,
  type Operation,
  type Refusal,
} from './domain';
import type { OperationRow, PaymentRow, PaymentStore, RefundRow } from './payment-store';
import {
  RailRefusedError,
  type NotificationRequest,
  type NotificationVerdict,
  type Rail,
  type RailNotification,
  type RailName,
  type RailState,
} from './rail';

const log = createLogger('payment');

/**
 * The provider reported, for this payment, a reference (MoMo transId, VNPay TxnRef, Stripe
 * PaymentIntent) that another payment on the rail already holds (`payments_provider_ref`). The
 * provider's data and ours disagree, and neither the caller nor a retry can settle it: nothing is
 * changed and the caller gets a 502 with `code: provider_ref_conflict` (staff reconcile it from
 * the log).
 */
export class ProviderRefConflictError extends BadGatewayError {
  constructor(
    readonly rail: RailName,
    readonly paymentId: string,
    readonly providerRef: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${rail} reported reference ${providerRef} for payment ${paymentId}, but another payment already has it; nothing was changed`,
      { code: 'provider_ref_conflict', rail },
      options,
    );
    this.name = 'ProviderRefConflictError';
  }
}

/** A write that records a provider reference, with the unique violation on it made a ProviderRefConflictError. */
async function recordingRef<T>(
  write: Promise<T>,
  row: PaymentRow,
  providerRef: string | undefined,
  source: string,
): Promise<T> {
  try {
    return await write;
  } catch (err) {
    const e = err as { code?: unknown; constraint?: unknown } | null;
    if (!providerRef || e?.code !== '23505' || e.constraint !== 'payments_provider_ref') throw err;
    log.error('the provider reported a reference another payment already has; nothing changed', {
      rail: row.rail,
      payment: row.id,
      provider_ref: providerRef,
      source,
    });
    throw new ProviderRefConflictError(row.rail, row.id, providerRef, { cause: err });
  }
}

/** What creating a payment needs. */
export interface CreatePayment {
  id: string;
  order_id: string;
  customer_id: string;
  rail: RailName;
  amount_vnd: number;
  return_url: string;
  lang: 'vi' | 'en';
  customer_ip?: string;
}

/** What a command comes to. */
export type Outcome<T = PaymentRow> =
  | { kind: 'ok'; value: T; replayed: boolean }
  | { kind: 'refused'; refusal: Refusal | { code: string; message: string } }
  | { kind: 'not_found' }
  | { kind: 'conflict'; message: string };

/** What the use cases run on. */
export interface PaymentDeps {
  work: UnitOfWork;
  db: Queryable;
  store: PaymentStore;
  rails: ReadonlyMap<RailName, Rail>;
  /** Where providers post notifications: `${notifyBase}/payment/webhooks/<rail>`. */
  notifyBase: string;
}

const common = (p: PaymentRow, now: Date) => ({
  payment_id: p.id,
  order_id: p.order_id,
  rail: p.rail,
  at: now.toISOString(),
});

/** The events a move from `before` to `after` announces (refunds are announced where they happen). */
export function transitionEvents(before: PaymentRow, after: PaymentRow, now: Date): TuoiCloudEvent[] {
  if (before.stage === after.stage) return [];
  const base = common(after, now);
  switch (after.stage) {
    case 'authorised':
      return [
        buildEvent(paymentAuthorised, {
          ...base,
          amount_vnd: after.amountVnd,
          authorised_vnd: after.authorisedVnd,
        }),
      ];
    case 'captured':
      return [
        buildEvent(paymentCaptured, {
          ...base,
          amount_vnd: after.amountVnd,
          captured_vnd: after.capturedVnd,
        }),
      ];
    case 'voided':
      return [buildEvent(paymentVoided, base)];
    case 'failed':
      return [
        buildEvent(paymentFailed, {
          ...base,
          code: (after.failure?.code ?? 'failed').slice(0, 64) || 'failed',
        }),
      ];
    case 'expired':
      return [buildEvent(paymentExpired, base)];
    default:
      return [];
  }
}

/** The payment use cases. */
export function paymentUseCases(deps: PaymentDeps) {
  const { work, db, store, rails } = deps;
  const railOf = (p: PaymentRow) => rails.get(p.rail);

  /** Applies a provider's state under the row lock: forward only, with the ledger and events. */
  async function applyState(
    { tx, emit }: Work,
    row: PaymentRow,
    state: RailState,
    source: string,
    now: Date,
  ) {
    const next = applyReport(row, state);
    const refChanged = state.providerRef !== undefined && state.providerRef !== row.provider_ref;
    if (!next && !refChanged) return row;
    const facts = next ?? row;
    const updated = await recordingRef(
      store.update(
        tx,
        row.id,
        {
          ...facts,
          ...(state.providerRef ? { provider_ref: state.providerRef } : {}),
          ...(state.failure ? { failure: state.failure } : {}),
          ...(state.holdExpiresAt ? { hold_expires_at: state.holdExpiresAt } : {}),
        },
        now,
      ),
      row,
      refChanged ? state.providerRef : undefined,
      source,
    );
    const moves: { payment_id: string; kind: string; amount_vnd: number; source: string }[] = [];
    const add = (kind: string, amount: number) =>
      moves.push({ payment_id: row.id, kind, amount_vnd: amount, source });
    if (updated.stage !== row.stage && ['authorised', 'voided', 'failed', 'expired'].includes(updated.stage))
      add(updated.stage, updated.stage === 'authorised' ? updated.authorisedVnd : 0);
    if (updated.capturedVnd > row.capturedVnd) {
      add('captured', updated.capturedVnd - row.capturedVnd);
      const released = updated.authorisedVnd - updated.capturedVnd;
      if (row.stage === 'authorised' && released > 0) add('released', released);
    }
    if (updated.refundedVnd > row.refundedVnd) {
      add('refunded', updated.refundedVnd - row.refundedVnd);
      emit(
        buildEvent(paymentRefunded, {
          ...common(updated, now),
          refund_id: `${updated.id}.provider.${updated.version}`.slice(0, 64),
          amount_vnd: updated.refundedVnd - row.refundedVnd,
          refunded_total_vnd: updated.refundedVnd,
        }),
      );
    }
    await store.record(tx, moves, now);
    emit(...transitionEvents(row, updated, now));
    return updated;
  }

  /**
   * Runs one money-moving operation: decide and record it (or find the one already recorded),
   * call the provider, apply the answer. `call` gets the operation's idempotency key.
   */
  async function operate(
    id: string,
    operation: Exclude<Operation, 'status'>,
    attempt: string,
    amount: number | null,
    decide: (row: PaymentRow) => Refusal | undefined,
    call: (rail: Rail, row: PaymentRow, key: string) => Promise<RailState>,
    now: Date,
  ): Promise<Outcome> {
    const began = await work(async ({ tx }) => {
      const row = await store.get(tx, id, true);
      if (!row) return { kind: 'not_found' as const };
      const key = idempotencyKey(id, operation, attempt);
      const known = await store.operation(tx, id, operation, attempt);
      if (known) {
        if (known.amount_vnd !== amount)
          return {
            kind: 'conflict' as const,
            message: `This payment's ${operation} was already asked for ${known.amount_vnd ?? 'no'} ₫`,
          };
        if (known.state === 'done') return { kind: 'replay' as const, row };
        if (known.state === 'refused') return { kind: 'refused' as const, refusal: known.result as Refusal };
        // Started before (a crash or a timeout): decided then, resumed now with its own key.
        return { kind: 'go' as const, row, op: known };
      }
      // A refusal decided here writes nothing: bad input changes nothing.
      const refusal = decide(row);
      if (refusal) return { kind: 'refused' as const, refusal };
      const { op } = await store.startOperation(
        tx,
        { payment_id: id, operation, attempt, idempotency_key: key, amount_vnd: amount },
        now,
      );
      return { kind: 'go' as const, row, op };
    });
    if (began.kind === 'not_found' || began.kind === 'conflict' || began.kind === 'refused') return began;
    if (began.kind === 'replay') return { kind: 'ok', value: began.row, replayed: true };
    const rail = railOf(began.row)!;
    let state: RailState;
    try {
      state = await call(rail, began.row, began.op.idempotency_key);
    } catch (err) {
      if (!(err instanceof RailRefusedError)) throw err; // outage: the operation stays started
      const refusal = { code: err.code, message: err.message };
      await work(({ tx }) => store.finishOperation(tx, began.op, 'refused', refusal, now));
      return { kind: 'refused', refusal };
    }
    const value = await work(async (w) => {
      const row = (await store.get(w.tx, id, true))!;
      const updated = await applyState(w, row, state, operation, now);
      await store.finishOperation(w.tx, began.op, 'done', { status: state.status }, now);
      return updated;
    });
    return { kind: 'ok', value, replayed: false };
  }

  /** Starts a payment (idempotent by id) and asks its rail to authorise it. */
  async function create(input: CreatePayment, now = new Date()): Promise<Outcome> {
    const rail = rails.get(input.rail);
    if (!rail)
      return {
        kind: 'refused',
        refusal: { code: 'rail_unavailable', message: `${input.rail} is not offered here` },
      };
    if (input.amount_vnd > rail.maxAmountVnd)
      return {
        kind: 'refused',
        refusal: {
          code: 'amount',
          message: `${input.rail} takes at most ${rail.maxAmountVnd} ₫ per payment`,
        },
      };
    const hash = hashRequest({ ...input, id: undefined, lang: undefined, customer_ip: undefined });
    await store.insert(
      db,
      {
        id: input.id,
        order_id: input.order_id,
        customer_id: input.customer_id,
        rail: input.rail,
        amountVnd: input.amount_vnd,
        return_url: input.return_url,
        request_hash: hash,
      },
      now,
    );
    const row = (await store.get(db, input.id))!;
    if (row.request_hash !== hash)
      return { kind: 'conflict', message: `Payment ${input.id} exists with a different request` };
    const key = idempotencyKey(row.id, 'authorise', '1');
    const { op } = await work(({ tx }) =>
      store.startOperation(
        tx,
        {
          payment_id: row.id,
          operation: 'authorise',
          attempt: '1',
          idempotency_key: key,
          amount_vnd: row.amountVnd,
        },
        now,
      ),
    );
    // Asked before: answer as then (a retry of a started one asks the rail again, same key).
    if (op.state !== 'started') return { kind: 'ok', value: row, replayed: true };
    let result;
    try {
      result = await rail.authorise({
        paymentId: row.id,
        attemptId: '1',
        amountVnd: row.amountVnd,
        description: `Tươi ${row.order_id}`,
        returnUrl: row.return_url,
        notifyUrl: `${deps.notifyBase}/payment/webhooks/${row.rail}`,
        lang: input.lang,
        ...(input.customer_ip ? { customerIp: input.customer_ip } : {}),
        idempotencyKey: key,
      });
    } catch (err) {
      if (!(err instanceof RailRefusedError)) throw err;
      const failure = { code: err.code, message: err.message };
      const value = await work(async (w) => {
        const locked = (await store.get(w.tx, row.id, true))!;
        await store.finishOperation(
          w.tx,
          { payment_id: row.id, operation: 'authorise', attempt: '1' },
          'refused',
          failure,
          now,
        );
        return applyState(
          w,
          locked,
          { status: 'failed', authorisedVnd: 0, capturedVnd: 0, refundedVnd: 0, failure, at: now },
          'authorise',
          now,
        );
      });
      return { kind: 'ok', value, replayed: false };
    }
    const value = await work(async (w) => {
      const locked = (await store.get(w.tx, row.id, true))!;
      const nextAction =
        result.kind === 'redirect'
          ? { kind: 'redirect' as const, url: result.url }
          : result.kind === 'client_secret'
            ? { kind: 'client_secret' as const, client_secret: result.clientSecret }
            : null;
      const ref = 'providerRef' in result && result.providerRef ? result.providerRef : undefined;
      const marked = await recordingRef(
        store.update(w.tx, row.id, { next_action: nextAction, ...(ref ? { provider_ref: ref } : {}) }, now),
        locked,
        ref,
        'authorise',
      );
      await store.finishOperation(
        w.tx,
        { payment_id: row.id, operation: 'authorise', attempt: '1' },
        'done',
        { kind: result.kind },
        now,
      );
      const held = result.status === 'authorised' ? row.amountVnd : 0;
      return applyState(
        w,
        marked ?? locked,
        { status: result.status, authorisedVnd: held, capturedVnd: 0, refundedVnd: 0, at: now },
        'authorise',
        now,
      );
    });
    return { kind: 'ok', value, replayed: false };
  }

  /** Records a parsed notification once, by its event id, and applies it. */
  async function applyNotification(
    name: RailName,
    n: RailNotification,
    now: Date,
  ): Promise<NotificationVerdict> {
    return work(async (w) => {
      if (!(await store.firstNotification(w.tx, name, n.eventId, n.paymentId, 'received')))
        return 'duplicate';
      const row = await store.get(w.tx, n.paymentId, true);
      if (!row || row.rail !== name) return 'unknown_payment';
      if (n.amountVnd !== row.amountVnd) {
        log.warn('notification amount differs from the payment; not applied', {
          rail: name,
          payment: row.id,
          event: n.eventId,
        });
        return 'amount_mismatch';
      }
      await applyState(w, row, n.state, `notification:${name}`, now);
      return 'applied';
    });
  }

  return {
    create,
    get: (id: string) => store.get(db, id),
    ofOrder: (orderId: string) => store.ofOrder(db, orderId),
    refunds: (id: string) => store.refundsOf(db, id),

    /** Captures `amountVnd` ≤ the hold (once per payment; a retry with the same amount replays). */
    capture: (id: string, amountVnd: number, now = new Date()) =>
      operate(
        id,
        'capture',
        '1',
        amountVnd,
        (row) => captureRefusal(row, amountVnd, railOf(row)?.holds ?? true),
        (rail, row, key) =>
          rail.capture({
            paymentId: row.id,
            ...(row.provider_ref ? { providerRef: row.provider_ref } : {}),
            amountVnd,
            idempotencyKey: key,
          }),
        now,
      ),

    /** Releases the hold (or cancels a payment the customer has not completed). */
    async void(id: string, now = new Date()) {
      // A void asked before the customer paid finds nothing held (MoMo cannot cancel a page not
      // yet approved). If they approve it afterwards, the next void is its own attempt and
      // releases the hold, instead of replaying the first one.
      const [current, second] = await Promise.all([
        store.get(db, id),
        store.operation(db, id, 'void', 'held'),
      ]);
      return operate(
        id,
        'void',
        second || current?.stage === 'authorised' ? 'held' : '1',
        null,
        (row) => voidRefusal(row),
        (rail, row, key) =>
          rail.void({
            paymentId: row.id,
            ...(row.provider_ref ? { providerRef: row.provider_ref } : {}),
            idempotencyKey: key,
          }),
        now,
      );
    },

    /** Refunds part of what was captured (idempotent by the refund id; refunds in flight count). */
    async refund(
      id: string,
      r: { id: string; amount_vnd: number; reason: string },
      now = new Date(),
    ): Promise<Outcome<RefundRow>> {
      const hash = hashRequest({ payment: id, amount: r.amount_vnd, reason: r.reason });
      const began = await work(async ({ tx }) => {
        const row = await store.get(tx, id, true);
        if (!row) return { kind: 'not_found' as const };
        const existing = await store.refund(tx, r.id, true);
        if (existing) {
          if (existing.request_hash !== hash || existing.payment_id !== id)
            return { kind: 'conflict' as const, message: `Refund ${r.id} exists with a different request` };
          if (existing.status !== 'started') return { kind: 'replay' as const, refund: existing };
          return { kind: 'go' as const, row };
        }
        const inFlight = (await store.refundsOf(tx, id))
          .filter((x) => x.status === 'started' || x.status === 'pending')
          .reduce((t, x) => t + x.amount_vnd, 0);
        const refusal = refundRefusal({ ...row, refundedVnd: row.refundedVnd + inFlight }, r.amount_vnd);
        if (refusal) return { kind: 'refused' as const, refusal };
        await store.insertRefund(
          tx,
          { id: r.id, payment_id: id, amount_vnd: r.amount_vnd, reason: r.reason, request_hash: hash },
          now,
        );
        await store.startOperation(
          tx,
          {
            payment_id: id,
            operation: 'refund',
            attempt: r.id,
            idempotency_key: idempotencyKey(id, 'refund', r.id),
            amount_vnd: r.amount_vnd,
          },
          now,
        );
        return { kind: 'go' as const, row };
      });
      if (began.kind === 'not_found' || began.kind === 'conflict' || began.kind === 'refused') return began;
      if (began.kind === 'replay') return { kind: 'ok', value: began.refund, replayed: true };
      const rail = railOf(began.row)!;
      const key = idempotencyKey(id, 'refund', r.id);
      let result;
      try {
        result = await rail.refund({
          paymentId: id,
          ...(began.row.provider_ref ? { providerRef: began.row.provider_ref } : {}),
          refundId: r.id,
          amountVnd: r.amount_vnd,
          reason: r.reason,
          idempotencyKey: key,
        });
      } catch (err) {
        if (!(err instanceof RailRefusedError)) throw err;
        result = {
          refundRef: '',
          status: 'failed' as const,
          amountVnd: r.amount_vnd,
          failure: { code: err.code, message: err.message },
        };
      }
      const value = await work(async ({ tx, emit }) => {
        const row = (await store.get(tx, id, true))!;
        await store.settleRefund(tx, r.id, result.status, result.refundRef || null, now);
        await store.finishOperation(
          tx,
          { payment_id: id, operation: 'refund', attempt: r.id },
          result.status === 'failed' ? 'refused' : 'done',
          result,
          now,
        );
        if (result.status === 'succeeded') {
          const updated = await store.update(tx, id, { refundedVnd: row.refundedVnd + r.amount_vnd }, now);
          await store.record(
            tx,
            [{ payment_id: id, kind: 'refunded', amount_vnd: r.amount_vnd, source: `refund:${r.id}` }],
            now,
          );
          emit(
            buildEvent(paymentRefunded, {
              ...common(updated, now),
              refund_id: r.id,
              amount_vnd: r.amount_vnd,
              refunded_total_vnd: updated.refundedVnd,
            }),
          );
        }
        return (await store.refund(tx, r.id))!;
      });
      if (value.status === 'failed')
        return {
          kind: 'refused',
          refusal: result.failure ?? { code: 'refund_failed', message: 'The provider refused the refund' },
        };
      return { kind: 'ok', value, replayed: false };
    },

    /**
     * A provider notification: verified by its rail, recorded once by its event id, checked
     * against our amount, then applied like any report. Returns the verdict for the provider's answer.
     */
    async notify(name: RailName, req: NotificationRequest, now = new Date()): Promise<NotificationVerdict> {
      const rail = rails.get(name)!;
      const n = rail.parseNotification(req);
      try {
        return await applyNotification(name, n, now);
      } catch (err) {
        if (!(err instanceof ProviderRefConflictError)) throw err;
        // Rolled back: recorded on its own (a retry cannot settle it), answered as taken.
        await work(({ tx }) =>
          store.firstNotification(tx, name, n.eventId, n.paymentId, 'provider_ref_conflict'),
        );
        return 'provider_ref_conflict';
      }
    },

    /** The customer's "I paid": the provider is asked, and its answer applied like a notification. */
    async confirm(id: string, now = new Date()): Promise<PaymentRow | undefined> {
      const row = await store.get(db, id);
      if (!row) return undefined;
      const rail = railOf(row)!;
      if (row.rail === 'cod' || !['pending', 'requires_action'].includes(row.stage)) return row;
      const state = await rail.status({
        paymentId: row.id,
        ...(row.provider_ref ? { providerRef: row.provider_ref } : {}),
      });
      return work(async (w) => applyState(w, (await store.get(w.tx, id, true))!, state, 'confirm', now));
    },

    /** Cash collected on delivery settles the order's COD payment for the amount collected. */
    async codCollected(
      c: {
        delivery_id: string;
        order_id: string;
        carrier: string;
        amount_vnd: number;
        expected_vnd: number;
        collected_at: string;
      },
      day: string,
      now = new Date(),
    ) {
      await work(async (w) => {
        const cod = (await store.ofOrder(w.tx, c.order_id))
          .filter((p) => p.rail === 'cod' && p.stage === 'pending')
          .pop();
        const first = await store.collection(w.tx, {
          ...c,
          payment_id: cod?.id ?? null,
          collected_at: new Date(c.collected_at),
          day,
        });
        if (!first || !cod) return;
        const row = (await store.get(w.tx, cod.id, true))!;
        await applyState(
          w,
          row,
          {
            status: 'captured',
            authorisedVnd: 0,
            capturedVnd: c.amount_vnd,
            refundedVnd: 0,
            at: new Date(c.collected_at),
          },
          `cod:${c.carrier}`,
          now,
        );
      });
    },

    /** Cash per carrier for one day: expected against collected. */
    cashReport: (day: string) => store.cashReport(db, day),

    /** What staff should look at: payments waiting on the customer, holds about to lapse, operations not finished. */
    async attention(now = new Date()) {
      const before = new Date(now.getTime() - 15 * 60_000);
      const [waiting, expiring, unfinished] = await Promise.all([
        store.stale(db, before, ['pending', 'requires_action'], 100),
        store.holdsExpiring(db, new Date(now.getTime() + 24 * 3_600_000), 100),
        store.unfinished(db, before, 100),
      ]);
      return { waiting, expiring, unfinished };
    },

    /** Resends operations a crash or outage left unfinished, with their own keys. */
    async resume(olderThan: Date, now = new Date()): Promise<number> {
      const ops: OperationRow[] = await store.unfinished(db, olderThan, 20);
      for (const op of ops) {
        try {
          if (op.operation === 'capture') await this.capture(op.payment_id, op.amount_vnd!, now);
          else if (op.operation === 'void') await this.void(op.payment_id, now);
          else if (op.operation === 'refund') {
            const r = await store.refund(db, op.attempt);
            if (r)
              await this.refund(op.payment_id, { id: r.id, amount_vnd: r.amount_vnd, reason: r.reason }, now);
          }
        } catch (err) {
          log.warn('resuming a payment operation failed; will retry', {
            payment: op.payment_id,
            operation: op.operation,
            err,
          });
        }
      }
      return ops.length;
    },

    /** Payments waiting on the customer or the provider: re-read from the provider and applied. */
    async reconcile(before: Date, now = new Date()): Promise<number> {
      const open = await store.stale(db, before, ['pending', 'requires_action'], 50);
      let moved = 0;
      for (const p of open.filter((x) => x.rail !== 'cod')) {
        try {
          const after = await this.confirm(p.id, now);
          if (after && after.version !== p.version) moved++;
        } catch (err) {
          log.warn('reconciling a payment failed; will retry', { payment: p.id, err });
        }
      }
      return moved;
    },
  };
}

export type PaymentUseCases = ReturnType<typeof paymentUseCases>;

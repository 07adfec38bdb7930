/**
 * The order use cases. Every change to an order is one transaction under the order's row lock:
 * apply one input to the saga (saga.ts), store the new state, append it to the saga log, and write
 * the commands and order events it produced to the outbox — so a command exists iff the state that
 * sent it committed, and a crash anywhere resumes from the stored state (the tick job re-sends
 * what is unanswered).
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import {
  orderCancelled,
  orderConfirmed,
  orderPlaced,
  type DataOf,
  type paymentReplied,
  type pricingReplied,
  type slotReplied,
  type stockReplied,
  type TuoiCloudEvent,
} from '../../events';
import { onCommit, type Queryable, type Tx } from '../shared/db';
import { ConflictError } from '../shared/errors';
import { buildEvent, emit as writeOutbox } from '../shared/eventing/outbox';
import { countCheckoutFailure } from '../shared/metrics';
import type { UnitOfWork, Work } from '../shared/unit-of-work';
import { commandFor } from './commands';
import { fulfilmentUseCases, type FulfilmentTimings } from './fulfilment';
import { move, type OrderStatus } from './lifecycle';
import { amountToHold, restsAt, statusOfPhase, stockReason, type Rail } from './model';
import type { OrderFulfilment, OrderLine, OrderPatch, OrderRow, OrderStore } from './order-store';
import {
  advance,
  newSaga,
  nextCheck,
  settled,
  type Reason,
  type SagaInput,
  type SagaTimings,
  type Step,
} from './saga';

/** What the use cases run on. */
export interface OrderDeps {
  work: UnitOfWork;
  db: Pool;
  store: OrderStore;
  schema: string;
  timings: SagaTimings;
  /** How long owners hold stock, the window and coupon uses for a checkout. */
  holdTtlS: number;
  /** Where the payment page sends the customer back to. */
  returnUrl(orderId: string): string;
  /** Timings after confirmation (substitution deadline, resends). */
  fulfilment: FulfilmentTimings;
}

/** A checkout as the edge hands it over, after its pre-flight reads. */
export interface CheckoutRequest {
  customerId: string;
  idempotencyKey: string;
  requestHash: string;
  lang: 'en' | 'vi';
  cartId: string;
  location: string;
  fulfilment: Omit<OrderFulfilment, 'hold_id'> & { hold_id?: string };
  lines: OrderLine[];
  coupons: string[];
  rail: Rail;
}

/** Time-ordered ids: 10 base-32 characters of milliseconds, then 12 random ones. */
export function newOrderId(now: Date): string {
  const time = now.getTime().toString(32).padStart(10, '0');
  const rand = [...randomBytes(12)].map((b) => (b % 32).toString(32)).join('');
  return `ord-${time}${rand}`;
}

const UNIQUE = '23505';

/** A unit of work inside a transaction someone else opened (the event consumer's). */
async function inTx<T>(tx: Tx, schema: string, fn: (w: Work) => Promise<T>): Promise<T> {
  const events: TuoiCloudEvent[] = [];
  const result = await fn({ tx, emit: (...e) => void events.push(...e), afterCommit: () => {} });
  await writeOutbox(tx, schema, events);
  return result;
}

/** The order use cases. */
export function orderUseCases(deps: OrderDeps) {
  const { work, store, timings } = deps;
  /** The order after confirmation: once the saga is confirmed, its inputs go there. */
  const after = fulfilmentUseCases(deps);

  /** Applies `input` to the locked `order`; returns the order as stored after. */
  async function apply(
    w: Work,
    order: OrderRow,
    input: SagaInput,
    now: Date,
    patch: OrderPatch = {},
  ): Promise<{ order: OrderRow; refused?: string }> {
    const t = advance(order.saga, input, now, timings);
    if (t.refused) return { order, refused: t.refused };
    let status = order.status as OrderStatus;
    // The saga moves the status until confirmation; after it the lifecycle moves on its own.
    if (t.entered && t.entered !== 'confirming' && (status === 'placed' || status === 'awaiting_payment'))
      status = move(status, statusOfPhase(t.entered));
    const over = settled(t.state, now, timings);
    const next: OrderRow = {
      ...order,
      ...patch,
      saga: t.state,
      status,
      reason: t.state.reason ?? order.reason,
      settled: over,
      next_check_at: over ? null : (nextCheck(t.state, timings) ?? null),
      ...(t.entered === 'confirmed' ? { confirmed_at: now } : {}),
      ...(t.entered === 'cancelled'
        ? { cancelled_at: now, refund_vnd: Math.max(order.refund_vnd, t.state.capturedVnd) }
        : {}),
    };
    const firstOrder = t.send.some((s) => s.step === 'pricing' && s.leg === 'forward')
      ? (await store.placedBefore(w.tx, order.customer_id)) === 0
      : false;
    w.emit(
      ...t.send.map((s) =>
        commandFor(next, s, { holdTtlS: deps.holdTtlS, firstOrder, returnUrl: deps.returnUrl(order.id) }),
      ),
    );
    const base = {
      order_id: order.id,
      customer_id: order.customer_id,
      lang: order.lang,
      at: now.toISOString(),
    };
    if (t.entered === 'confirmed')
      w.emit(
        buildEvent(orderConfirmed, {
          ...base,
          cart_id: order.cart_id,
          location: order.location,
          slot: order.fulfilment.slot,
          rail: order.rail,
          total_vnd: next.total_vnd ?? 0,
          authorised_vnd: next.authorised_vnd ?? 0,
        }),
      );
    if (t.entered === 'cancelled') {
      const reason = t.state.reason!;
      w.emit(
        buildEvent(orderCancelled, {
          ...base,
          cart_id: order.cart_id,
          reason,
          refund_vnd: next.refund_vnd,
        }),
      );
      // Cancelled before confirmation: a checkout that failed (tuoi_checkout_failures_total{reason}).
      onCommit(w.tx, () => countCheckoutFailure(reason.code));
    }
    await store.update(
      w.tx,
      order.id,
      {
        ...patch,
        saga: next.saga,
        status: next.status,
        reason: next.reason,
        settled: next.settled,
        next_check_at: next.next_check_at,
        ...(t.entered === 'confirmed' ? { confirmed_at: now } : {}),
        ...(t.entered === 'cancelled' ? { cancelled_at: now, refund_vnd: next.refund_vnd } : {}),
      },
      now,
    );
    await store.appendLog(w.tx, order.id, { input, phase: t.state.phase, sent: t.send }, now);
    return { order: { ...next, version: order.version + 1, updated_at: now } };
  }

  /** Applies `input` to the locked order (nothing when `input` says so: not ours to answer). */
  async function onOrder(
    w: Work,
    order: OrderRow,
    input: (o: OrderRow) => { input: SagaInput; patch?: OrderPatch } | undefined,
    now: Date,
  ) {
    const step = input(order);
    if (!step) return order;
    return (await apply(w, order, step.input, now, step.patch)).order;
  }

  /**
   * Locks the order once and hands it on: to the checkout saga until it is confirmed, to the
   * order's fulfilment after (nothing when there is no such order: not ours to answer).
   */
  async function route<T>(
    tx: Tx,
    id: string,
    fulfil: (o: OrderRow) => Promise<T>,
    saga: (w: Work, o: OrderRow) => Promise<T>,
  ): Promise<T | undefined> {
    const order = await store.get(tx, id, true);
    if (!order) return undefined;
    return order.saga.phase === 'confirmed' ? fulfil(order) : inTx(tx, deps.schema, (w) => saga(w, order));
  }

  const reply = (
    step: Step,
    d: { action: string; outcome: 'done' | 'refused'; reason?: Reason | undefined },
  ): SagaInput => ({
    kind: 'reply',
    step,
    action: d.action,
    outcome: d.outcome,
    ...(d.reason ? { reason: d.reason } : {}),
  });

  return {
    get: (id: string, db: Queryable = deps.db) => store.get(db, id),
    log: (id: string) => store.logOf(deps.db, id),
    page: store.page.bind(null, deps.db),

    /** The order an Idempotency-Key already made (409 when it was for a different request). */
    async replayOf(customerId: string, key: string, hash: string) {
      const same = await store.byKey(deps.db, customerId, key);
      if (!same) return undefined;
      if (same.request_hash !== hash)
        throw new ConflictError('This Idempotency-Key was used for a different checkout', {
          code: 'idempotency_key_reused',
        });
      return { order: same, replayed: true };
    },

    /**
     * Starts a checkout: the order and its first commands in one transaction. The same
     * Idempotency-Key replays the same order; a different request under it, or a second checkout
     * of a cart that has a live order, is a 409.
     */
    async checkout(req: CheckoutRequest, now = new Date()): Promise<{ order: OrderRow; replayed: boolean }> {
      const existing = async () => {
        const same = await store.byKey(deps.db, req.customerId, req.idempotencyKey);
        if (same) {
          if (same.request_hash !== req.requestHash)
            throw new ConflictError('This Idempotency-Key was used for a different checkout', {
              code: 'idempotency_key_reused',
            });
          return { order: same, replayed: true };
        }
        const live = await store.liveOfCart(deps.db, req.cartId);
        if (live)
          throw new ConflictError('This cart already has an order being checked out', {
            code: 'cart_in_checkout',
            order_id: live.id,
          });
        return undefined;
      };
      const found = await existing();
      if (found) return found;
      const id = newOrderId(now);
      const order: OrderRow = {
        id,
        customer_id: req.customerId,
        cart_id: req.cartId,
        idempotency_key: req.idempotencyKey,
        request_hash: req.requestHash,
        lang: req.lang,
        status: 'placed',
        location: req.location,
        fulfilment: { ...req.fulfilment, hold_id: req.fulfilment.hold_id ?? id },
        lines: req.lines,
        coupons: req.coupons,
        rail: req.rail,
        // Letters, digits and dashes only: VNPay's transaction reference carries nothing else.
        payment_id: `${id}-p1`,
        quote: null,
        total_vnd: null,
        authorised_vnd: null,
        redemption_ids: [],
        next_action: null,
        redirect_url: null,
        reason: null,
        refund_vnd: 0,
        saga: newSaga(req.rail === 'cod'),
        next_check_at: null,
        settled: false,
        version: 1,
        created_at: now,
        updated_at: now,
        confirmed_at: null,
        cancelled_at: null,
        picking: null,
        bill: null,
        final_vnd: null,
        captured_vnd: 0,
        refunds: [],
        asks: [],
        tracking: null,
        packed_at: null,
        completed_at: null,
      };
      try {
        const placed = await work(async (w) => {
          const { version: _v, updated_at: _u, ...row } = order;
          await store.insert(w.tx, row);
          w.emit(
            buildEvent(orderPlaced, {
              order_id: id,
              customer_id: req.customerId,
              lang: req.lang,
              cart_id: req.cartId,
              fulfilment: req.fulfilment.kind,
              location: req.location,
              slot: req.fulfilment.slot,
              rail: req.rail,
              at: now.toISOString(),
            }),
          );
          return (await apply(w, order, { kind: 'start' }, now)).order;
        });
        return { order: placed, replayed: false };
      } catch (err) {
        // Another request with the same key or cart won the race: answer as it would.
        if ((err as { code?: string }).code === UNIQUE) {
          const again = await existing();
          if (again) return again;
        }
        throw err;
      }
    },

    /** The customer cancels before confirmation; a 409 after it (picking has its own rules). */
    async cancel(
      id: string,
      reason: { code: string; message: { en: string; vi: string } },
      now = new Date(),
    ) {
      // After confirmation the customer may still cancel before picking starts.
      if ((await store.get(deps.db, id))?.saga.phase === 'confirmed')
        return after.cancel(id, 'customer', now);
      return work(async (w) => {
        const order = await store.get(w.tx, id, true);
        if (!order) return undefined;
        const done = await apply(w, order, { kind: 'cancel', reason }, now);
        if (done.refused)
          throw new ConflictError(done.refused, { code: 'not_cancellable', order_status: order.status });
        return done.order;
      });
    },

    after,

    /**
     * Answers from the owners, applied in the consumer's transaction: to the checkout saga until
     * it is confirmed, to the order's fulfilment after (each answer names what it answers).
     */
    replies: {
      stock: (tx: Tx, d: DataOf<typeof stockReplied>, now = new Date()) =>
        route(
          tx,
          d.order_id,
          (o) =>
            after.reply(
              tx,
              {
                ...d,
                key: `stock:${d.action}:${d.action === 'restock' ? d.restock_id : d.reservation_id}`,
              },
              o,
            ),
          (w, o) =>
            onOrder(w, o, (o) => ({ input: reply('stock', { ...d, reason: stockReason(d, o.lines) }) }), now),
        ),
      slot: (tx: Tx, d: DataOf<typeof slotReplied>, now = new Date()) =>
        route(
          tx,
          d.order_id,
          (o) => after.reply(tx, { ...d, key: `slot:${d.action}` }, o),
          (w, o) => onOrder(w, o, () => ({ input: reply('slot', d) }), now),
        ),
      pricing: (tx: Tx, d: DataOf<typeof pricingReplied>, now = new Date()) =>
        route(
          tx,
          d.order_id,
          (o) =>
            after.reply(
              tx,
              {
                ...d,
                key: d.action === 'quote' ? `pricing:quote:${d.quote_id}` : `pricing:${d.action}`,
                ...(d.quote ? { price_vnd: d.quote.lines.reduce((t, l) => t + l.total_vnd, 0) } : {}),
              },
              o,
            ),
          (w, o) =>
            onOrder(
              w,
              o,
              (o) => {
                const patch: OrderPatch = {};
                if (d.action === 'price' && d.outcome === 'done' && d.quote) {
                  // The uses are recorded even for a cancelled order: its undo must name them.
                  patch.redemption_ids = d.redemption_ids ?? [];
                  if (!o.quote) {
                    patch.quote = d.quote as unknown as Record<string, unknown>;
                    patch.total_vnd = d.quote.totals.total_vnd;
                    patch.authorised_vnd = amountToHold(d.quote, o.rail);
                  }
                }
                return { input: reply('pricing', d), patch };
              },
              now,
            ),
        ),
      payment: (tx: Tx, d: DataOf<typeof paymentReplied>, now = new Date()) =>
        route(
          tx,
          d.order_id,
          (o) =>
            after.reply(
              tx,
              {
                ...d,
                key: d.action === 'refund' ? `payment:refund:${d.refund_id}` : `payment:${d.action}`,
              },
              o,
            ),
          (w, o) =>
            onOrder(
              w,
              o,
              (o) => {
                if (d.payment_id !== o.payment_id) return undefined;
                const patch: OrderPatch = {};
                if (d.action === 'create' && d.outcome === 'done') {
                  patch.next_action = d.next_action ?? null;
                  patch.redirect_url = d.redirect_url ?? null;
                }
                if (d.action === 'refund' && d.outcome === 'done' && d.refunded_vnd !== undefined)
                  patch.refund_vnd = Math.max(o.refund_vnd, d.refunded_vnd);
                return { input: reply('payment', d), patch };
              },
              now,
            ),
        ),
    },

    /** The provider's word on the customer's payment (payment.authorised/captured/failed/expired). */
    async paymentEvent(
      tx: Tx,
      d: { order_id: string; payment_id: string },
      input: SagaInput,
      now = new Date(),
    ) {
      return route(
        tx,
        d.order_id,
        // After confirmation only cash collected on delivery settles anything here.
        async (o) =>
          input.kind === 'paid' && input.capturedVnd > 0 ? after.captured(tx, o, input.capturedVnd) : o,
        (w, o) => onOrder(w, o, (x) => (d.payment_id === x.payment_id ? { input } : undefined), now),
      );
    },

    /** Applies the clock to orders whose saga is due (resends, timeouts); returns how many. */
    async tick(now = new Date(), limit = 100): Promise<number> {
      const ids = await work(({ tx }) => store.due(tx, now, limit));
      let n = 0;
      for (const id of ids)
        await work(async (w) => {
          const order = await store.get(w.tx, id, true);
          if (!order?.next_check_at || order.next_check_at.getTime() > now.getTime()) return;
          if (order.saga.phase === 'confirmed') await after.tick(w.tx, order, now);
          else await apply(w, order, { kind: 'tick' }, now);
          n++;
        });
      return n;
    },

    /** Waits up to `ms` for the order to reach a phase the customer acts on (Prefer: wait). */
    async waitForRest(id: string, ms: number): Promise<OrderRow | undefined> {
      const until = Date.now() + ms;
      let pause = 5;
      for (;;) {
        const order = await store.get(deps.db, id);
        if (!order || restsAt(order.saga.phase) || Date.now() >= until) return order;
        await new Promise((r) => setTimeout(r, Math.min(pause, until - Date.now())));
        pause = Math.min(pause * 2, 50);
      }
    },
  };
}

export type OrderUseCases = ReturnType<typeof orderUseCases>;

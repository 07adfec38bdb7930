/**
 * The order after confirmation: picking and substitutions, packing at the final amount and its
 * capture, the delivery or pickup as delivery reports it, completion, refunds, and a cancel after
 * confirmation (or a returned delivery) that gives everything back. Every change is one
 * transaction under the order's row lock, like the checkout saga's: the state (picking.ts) is
 * stored on the order, logged in saga_log, and the commands it causes are written to the outbox
 * with it. A command is kept on the order (`asks`) until its owner answers; the clock sends it
 * again, backing off, so a lost command or reply never leaves stock, a window, a coupon use or a
 * payment behind.
 */
import {
  contractFor,
  orderCancelled,
  orderCompleted,
  orderRefunded,
  orderSubstitutionDecided,
  orderSubstitutionProposed,
  paymentRequested,
  pricingRequested,
  stockRequested,
  type TuoiCloudEvent,
} from '../../events';
import type { Tx } from '../shared/db';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { buildEvent, emit as writeOutbox } from '../shared/eventing/outbox';
import type { Work } from '../shared/unit-of-work';
import { move, type OrderStatus } from './lifecycle';
import {
  AFTER_CONFIRM_REASONS,
  ask,
  base,
  giveBack,
  packedEvent,
  REFUND_REASONS,
  releaseStock,
  takenOf,
  type RefundReason,
} from './after-commands';
import type { Ask, OrderPatch, OrderRow, OrderStore, Tracking } from './order-store';
import type { UnitOfWork } from '../shared/unit-of-work';
import {
  bill as billOf,
  decide as decideLine,
  expireDue,
  linesToPick,
  nextDeadline,
  notPackable,
  pick as pickLine,
  PickingError,
  received,
  refundAmount,
  short as shortLine,
  subAnswered,
  type PickLine,
  type Refund,
  type SoldBy,
} from './picking';
import type { Reason } from './saga';

/** Timings after confirmation (seconds). */
export interface FulfilmentTimings {
  /** How long the customer has to answer a proposed substitute. */
  substitutionWindowS: number;
  /** First resend of an unanswered command; doubles up to `maxResendS`. */
  resendS: number;
  maxResendS: number;
}

/** A substitute as the picker names it (the route reads its names from the catalog). */
export interface SubstituteAsk {
  sku: string;
  name: { en: string; vi: string };
  sold_by: SoldBy;
  amount: number;
}

/** Delivery statuses that mean the rider has the order. */
const ON_THE_WAY = new Set(['picked_up', 'in_transit']);

type Changes = {
  patch: OrderPatch;
  events: TuoiCloudEvent[];
  what: Record<string, unknown>;
};

/** What the use cases after confirmation run on (a part of the order's deps). */
export interface FulfilmentDeps {
  work: UnitOfWork;
  store: OrderStore;
  schema: string;
  fulfilment: FulfilmentTimings;
}

/** The use cases after confirmation. */
export function fulfilmentUseCases(deps: FulfilmentDeps) {
  const { work, store } = deps;
  const t = deps.fulfilment;

  const resendAt = (a: Ask) =>
    Date.parse(a.sent_at) + Math.min(t.maxResendS, t.resendS * 2 ** Math.max(0, a.attempts - 1)) * 1000;

  /** When the clock must come back: an unanswered command, or a proposal's deadline. */
  function nextCheckOf(o: { asks: Ask[]; picking: PickLine[] | null }): Date | null {
    const times = o.asks.filter((a) => a.state === 'sent').map(resendAt);
    const d = o.picking ? nextDeadline(o.picking) : undefined;
    if (d) times.push(d.getTime());
    return times.length ? new Date(Math.min(...times)) : null;
  }

  /** Stores the changes to the locked `order`, logs them, and writes their events. */
  async function save(w: Work, order: OrderRow, c: Changes, now: Date): Promise<OrderRow> {
    const next: OrderRow = { ...order, ...c.patch } as OrderRow;
    const patch: OrderPatch = { ...c.patch, next_check_at: nextCheckOf(next) };
    await store.update(w.tx, order.id, patch, now);
    await store.appendLog(
      w.tx,
      order.id,
      { input: c.what, phase: next.status, sent: c.events.map((e) => e.type) },
      now,
    );
    w.emit(...c.events);
    return { ...next, ...patch, version: order.version + 1, updated_at: now };
  }

  /** Locks the order and applies `fn` in a unit of work of its own (HTTP). */
  async function change(
    id: string,
    fn: (o: OrderRow, now: Date) => Changes | undefined,
    now = new Date(),
  ): Promise<OrderRow | undefined> {
    return work(async (w) => {
      const order = await store.get(w.tx, id, true);
      if (!order) return undefined;
      const c = guard(() => fn(order, now));
      return c ? save(w, order, c, now) : order;
    });
  }

  /** The same inside the consumer's transaction (events). */
  async function changeIn(
    tx: Tx,
    id: string,
    fn: (o: OrderRow, now: Date) => Changes | undefined,
    now = new Date(),
  ): Promise<OrderRow | undefined> {
    const events: TuoiCloudEvent[] = [];
    const w: Work = { tx, emit: (...e) => void events.push(...e), afterCommit: () => {} };
    const order = await store.get(tx, id, true);
    if (!order) return undefined;
    const c = fn(order, now);
    const out = c ? await save(w, order, c, now) : order;
    await writeOutbox(tx, deps.schema, events);
    return out;
  }

  /** Picking refusals as the edge's errors. */
  function guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof PickingError)) throw err;
      if (err.kind === 'not_found') throw new NotFoundError(err.message, { code: err.code });
      if (err.kind === 'invalid')
        throw new ValidationError(err.message, [{ field: '/', code: err.code, message: err.message }]);
      throw new ConflictError(err.message, { code: err.code });
    }
  }

  const status = (o: OrderRow) => o.status as OrderStatus;
  const need = (o: OrderRow, ...allowed: OrderStatus[]) => {
    if (!allowed.includes(status(o)))
      throw new PickingError(`The order is ${o.status.replace(/_/g, ' ')}`, 'wrong_status');
  };

  // ---------------------------------------------------------------- commands after confirmation

  /** The order cancelled after confirmation: everything given back, the customer told why. */
  function cancelled(o: OrderRow, reason: Reason, now: Date, opts: { slot: boolean }): Changes {
    const asks = [...o.asks];
    const sent = giveBack(o, asks, now, opts);
    const taken = takenOf(o);
    return {
      patch: { status: move(status(o), 'cancelled'), reason, cancelled_at: now, asks },
      events: [
        ...sent,
        buildEvent(orderCancelled, {
          ...base(o, now),
          cart_id: o.cart_id,
          reason,
          refund_vnd: Math.max(0, taken),
        }),
      ],
      what: { kind: 'cancel_after_confirm', reason: reason.code },
    };
  }

  /** Delivered or collected with the payment settled: completed (catalog counts its sales). */
  function completeIfDone(o: OrderRow, c: Changes, now: Date): Changes {
    const next = { ...o, ...c.patch } as OrderRow;
    const st = next.status as OrderStatus;
    if ((st !== 'delivered' && st !== 'collected') || !(next.captured_vnd > 0) || !next.picking) return c;
    const lines = received(next.picking).map((r) =>
      r.sold_by === 'weight' ? { sku: r.sku, qty: 1, grams: r.amount } : { sku: r.sku, qty: r.amount },
    );
    // Sum repeated SKUs (a substitute that is also a line of its own).
    const merged = new Map<string, { sku: string; qty: number; grams?: number }>();
    for (const l of lines) {
      const m = merged.get(l.sku);
      if (!m) merged.set(l.sku, { ...l });
      else {
        m.qty += l.qty;
        if (l.grams) m.grams = (m.grams ?? 0) + l.grams;
      }
    }
    return {
      patch: { ...c.patch, status: move(st, 'completed'), completed_at: now },
      events: [
        ...c.events,
        buildEvent(orderCompleted, {
          ...base(o, now),
          location: o.location,
          lines: [...merged.values()],
          total_vnd: next.final_vnd ?? 0,
        }),
      ],
      what: { ...c.what, completed: true },
    };
  }

  /** Marks the ask answered; undefined when the reply answers nothing waiting (a duplicate). */
  function answered(
    o: OrderRow,
    key: string,
    outcome: 'done' | 'refused',
    reason?: Reason,
  ): Ask[] | undefined {
    const i = o.asks.findIndex((a) => a.key === key);
    if (i < 0 || o.asks[i]!.state !== 'sent') return undefined;
    const asks = [...o.asks];
    asks[i] = { ...asks[i]!, state: outcome, ...(reason ? { reason } : {}) };
    return asks;
  }

  return {
    nextCheckOf,

    /** Staff start picking a confirmed order. */
    startPicking: (id: string, now?: Date) =>
      change(
        id,
        (o) => {
          if (o.status === 'picking') return undefined;
          need(o, 'confirmed');
          return {
            patch: { status: move(status(o), 'picking'), picking: linesToPick(o.lines, o.quote as never) },
            events: [],
            what: { kind: 'picking' },
          };
        },
        now,
      ),

    /** Staff record what they picked for a line (pieces, or grams weighed). */
    pick: (id: string, sku: string, amount: number, now?: Date) =>
      change(
        id,
        (o) => {
          need(o, 'picking');
          return {
            patch: { picking: pickLine(o.picking!, sku, amount) },
            events: [],
            what: { kind: 'pick', sku, amount },
          };
        },
        now,
      ),

    /**
     * Staff report a line short, naming a substitute when the customer's choice allows one: its
     * stock is reserved and its price asked for; once both answer, the customer is asked.
     */
    short: (id: string, sku: string, substitute: SubstituteAsk | undefined, now?: Date) =>
      change(
        id,
        (o, at) => {
          need(o, 'picking');
          const n = o.picking!.findIndex((l) => l.sku === sku);
          const prior = o.picking![n]?.sub;
          const round = prior ? Number(/\.s\d+r(\d+)$/.exec(prior.reservation_id)?.[1] ?? 0) + 1 : 0;
          const ids = { reservation_id: `${o.id}.s${n}r${round}`, quote_id: `s${n}r${round}` };
          const lines = shortLine(o.picking!, sku, substitute, ids);
          const asks = [...o.asks];
          const events: TuoiCloudEvent[] = [];
          if (substitute) {
            const amount = substitute.amount;
            events.push(
              ask(
                asks,
                `stock:reserve:${ids.reservation_id}`,
                stockRequested,
                {
                  order_id: o.id,
                  action: 'reserve',
                  reservation_id: ids.reservation_id,
                  location: o.location,
                  lines: [{ sku: substitute.sku, qty: amount }],
                  ttl_seconds: Math.min(3_600, t.substitutionWindowS + 600),
                },
                at,
              ),
              ask(
                asks,
                `pricing:quote:${ids.quote_id}`,
                pricingRequested,
                {
                  order_id: o.id,
                  action: 'quote',
                  quote_id: ids.quote_id,
                  customer_id: o.customer_id,
                  location: o.location,
                  lines: [
                    substitute.sold_by === 'weight'
                      ? { sku: substitute.sku, grams: amount }
                      : { sku: substitute.sku, qty: amount },
                  ],
                },
                at,
              ),
            );
          }
          return {
            patch: { picking: lines, asks },
            events,
            what: { kind: 'short', sku, substitute: substitute?.sku ?? null },
          };
        },
        now,
      ),

    /** The customer approves or rejects a proposed substitute before its deadline. */
    decide: (id: string, sku: string, decision: 'approved' | 'rejected', now?: Date) =>
      change(
        id,
        (o, at) => {
          if (!o.picking)
            throw new PickingError(`No substitute is proposed for ${sku}`, 'no_proposal', 'not_found');
          const d = decideLine(o.picking, sku, decision, at);
          if (d.replayed) return undefined;
          const sub = d.line.sub!;
          const asks = [...o.asks];
          const cmd = ask(
            asks,
            `stock:${decision === 'approved' ? 'commit' : 'release'}:${sub.reservation_id}`,
            stockRequested,
            {
              order_id: o.id,
              action: decision === 'approved' ? 'commit' : 'release',
              reservation_id: sub.reservation_id,
            },
            at,
          );
          return {
            patch: { picking: d.lines, asks },
            events: [
              cmd,
              buildEvent(orderSubstitutionDecided, {
                ...base(o, at),
                sku,
                substitute_sku: sub.sku,
                decision,
              }),
            ],
            what: { kind: 'decide', sku, decision },
          };
        },
        now,
      ),

    /**
     * Staff pack the order: the final bill from what was picked, the capture of that amount (never
     * more than the hold), and order.packed for delivery (with the cash to collect on delivery).
     */
    pack: (id: string, now?: Date) =>
      change(
        id,
        (o, at) => {
          if (o.status === 'packed') return undefined;
          need(o, 'picking');
          const why = notPackable(o.picking!);
          if (why) throw new PickingError(why, 'not_packable');
          const b = billOf(o.picking!, o.total_vnd ?? 0);
          const asks = [...o.asks];
          const events: TuoiCloudEvent[] = [];
          if (o.rail !== 'cod')
            events.push(
              ask(
                asks,
                'payment:capture',
                paymentRequested,
                {
                  order_id: o.id,
                  action: 'capture',
                  payment_id: o.payment_id,
                  amount_vnd: b.total_vnd,
                },
                at,
              ),
            );
          events.push(packedEvent(o, b, at));
          return {
            patch: {
              status: move(status(o), 'packed'),
              bill: b,
              final_vnd: b.total_vnd,
              packed_at: at,
              asks,
              tracking: { delivery_id: `${o.id}.d1` },
            },
            events,
            what: { kind: 'pack', total_vnd: b.total_vnd },
          };
        },
        now,
      ),

    /** Staff refund whole lines or an amount of a delivered or collected order, through payment. */
    refund: (
      id: string,
      r: { id: string; skus?: string[]; amount_vnd?: number; reason: RefundReason },
      now?: Date,
    ) =>
      change(
        id,
        (o, at) => {
          const refundId = `${o.payment_id}.r-${r.id}`;
          const same = o.refunds.find((x) => x.id === refundId);
          if (same) return undefined;
          need(o, 'delivered', 'collected', 'completed', 'partially_refunded');
          const amount = refundAmount(o.bill!, o.refunds, r);
          const reason: Reason = { code: r.reason, message: REFUND_REASONS[r.reason] };
          const asks = [...o.asks];
          const cmd = ask(
            asks,
            `payment:refund:${refundId}`,
            paymentRequested,
            {
              order_id: o.id,
              action: 'refund',
              payment_id: o.payment_id,
              refund_id: refundId,
              amount_vnd: amount,
              reason: r.reason,
            },
            at,
          );
          const refund: Refund = {
            id: refundId,
            amount_vnd: amount,
            reason,
            skus: r.skus ?? [],
            state: 'sent',
          };
          return {
            patch: { refunds: [...o.refunds, refund], asks },
            events: [cmd],
            what: { kind: 'refund', amount },
          };
        },
        now,
      ),

    /** A cancel after confirmation: the customer before picking, staff before packing. */
    cancel: (id: string, by: 'customer' | 'store', now?: Date) =>
      change(
        id,
        (o, at) => {
          if (o.status === 'cancelled') return undefined;
          if (by === 'customer') need(o, 'confirmed');
          else need(o, 'confirmed', 'picking');
          return cancelled(o, AFTER_CONFIRM_REASONS[by], at, { slot: true });
        },
        now,
      ),

    /** An owner's answer to a command sent after confirmation; a duplicate changes nothing. */
    reply: (
      tx: Tx,
      d: {
        order_id: string;
        key: string;
        outcome: 'done' | 'refused';
        reason?: Reason | undefined;
        price_vnd?: number;
        captured_vnd?: number;
        refunded_vnd?: number;
      },
    ) =>
      changeIn(tx, d.order_id, (o, now) => {
        const asks = answered(o, d.key, d.outcome, d.reason);
        if (!asks) return undefined;
        const c: Changes = {
          patch: { asks },
          events: [],
          what: { kind: 'reply', key: d.key, outcome: d.outcome },
        };
        const [step, action, ref] = d.key.split(':') as [string, string, string | undefined];
        // A substitute's stock or price: proposed once both are in.
        if (
          o.picking &&
          ((step === 'stock' && action === 'reserve') || (step === 'pricing' && action === 'quote'))
        ) {
          const match =
            step === 'stock'
              ? (s: { reservation_id: string }) => s.reservation_id === ref
              : (s: { quote_id: string }) => s.quote_id === ref;
          const out = subAnswered(
            o.picking,
            match as never,
            d.outcome === 'refused'
              ? { refused: true }
              : step === 'stock'
                ? { held: true }
                : { price_vnd: d.price_vnd ?? 0 },
            new Date(now.getTime() + t.substitutionWindowS * 1000),
          );
          c.patch.picking = out.lines;
          if (out.unavailable?.sub && step === 'pricing')
            c.events.push(releaseStock(asks, o, out.unavailable.sub.reservation_id, now));
          if (out.proposed?.sub) {
            const s = out.proposed.sub;
            c.events.push(
              buildEvent(orderSubstitutionProposed, {
                ...base(o, now),
                sku: out.proposed.sku,
                name: out.proposed.name,
                substitute_sku: s.sku,
                substitute_name: s.name,
                ...(s.sold_by === 'weight' ? { grams: s.amount } : { qty: s.amount }),
                price_vnd: s.price_vnd!,
                original_vnd: out.proposed.estimate_vnd,
                deadline_at: s.deadline_at!,
              }),
            );
          }
          return c;
        }
        if (step === 'payment' && action === 'capture' && d.outcome === 'done') {
          c.patch.captured_vnd = d.captured_vnd ?? o.final_vnd ?? 0;
          if (status(o) === 'cancelled') {
            // The trip came back before the capture answered (its void found money taken): refund it.
            const kept = c.patch.captured_vnd - o.refund_vnd;
            if (kept > 0)
              c.events.push(
                ask(
                  asks,
                  `payment:refund:${o.payment_id}.cancel`,
                  paymentRequested,
                  {
                    order_id: o.id,
                    action: 'refund',
                    payment_id: o.payment_id,
                    refund_id: `${o.payment_id}.cancel`,
                    amount_vnd: kept,
                    reason: 'order cancelled',
                  },
                  now,
                ),
              );
            return c;
          }
          return completeIfDone(o, c, now);
        }
        if (step === 'payment' && action === 'refund') {
          const refunds = o.refunds.map((r) =>
            r.id === ref
              ? {
                  ...r,
                  state: d.outcome,
                  ...(d.reason && d.outcome === 'refused' ? { refusal: d.reason } : {}),
                }
              : r,
          );
          const mine = refunds.find((r) => r.id === ref);
          if (d.outcome === 'done') {
            const amount = mine?.amount_vnd ?? d.refunded_vnd ?? 0;
            const total = o.refund_vnd + amount;
            c.patch.refund_vnd = total;
            if (mine) {
              c.patch.refunds = refunds;
              const st = status(o);
              if (st !== 'cancelled')
                c.patch.status = move(st, total >= (o.final_vnd ?? 0) ? 'refunded' : 'partially_refunded');
              c.events.push(
                buildEvent(orderRefunded, {
                  ...base(o, now),
                  refund_id: mine.id,
                  amount_vnd: amount,
                  refunded_vnd: total,
                  total_vnd: o.final_vnd ?? 0,
                  reason: mine.reason,
                  skus: mine.skus,
                }),
              );
            }
          } else if (mine) c.patch.refunds = refunds;
          // The refund of a cancellation (not one of staff's): counted, nothing else to tell.
          if (!mine && d.outcome === 'done') c.patch.refund_vnd = o.refund_vnd + (d.refunded_vnd ?? 0);
        }
        return c;
      }),

    /** Cash collected on delivery settles a COD order (payment.captured after confirmation). */
    captured: (tx: Tx, orderId: string, capturedVnd: number) =>
      changeIn(tx, orderId, (o, now) => {
        if (o.rail !== 'cod' || o.captured_vnd >= capturedVnd) return undefined;
        return completeIfDone(
          o,
          { patch: { captured_vnd: capturedVnd }, events: [], what: { kind: 'cod_collected', capturedVnd } },
          now,
        );
      }),

    /** Delivery's word: booked, on the way, delivered, returned; pickups ready and collected. */
    delivery: (
      tx: Tx,
      d: {
        order_id: string;
        delivery_id: string;
        kind: 'booked' | 'status' | 'ready' | 'collected';
        status?: string;
        carrier?: string;
        tracking_url?: string | null;
        eta_at?: string | null;
      },
    ) =>
      changeIn(tx, d.order_id, (o, now) => {
        const tracking: Tracking = {
          ...(o.tracking ?? {}),
          delivery_id: d.delivery_id,
          ...(d.carrier ? { carrier: d.carrier } : {}),
          ...(d.status ? { status: d.status } : {}),
          ...(d.tracking_url !== undefined ? { tracking_url: d.tracking_url } : {}),
          ...(d.eta_at !== undefined ? { eta_at: d.eta_at } : {}),
          ...(d.kind === 'ready' ? { ready_at: now.toISOString() } : {}),
        };
        let st = status(o);
        const what = { kind: `delivery_${d.kind}`, status: d.status ?? null };
        if (st === 'cancelled' || st === 'completed' || st === 'refunded' || st === 'partially_refunded')
          return { patch: { tracking }, events: [], what };
        if (
          d.kind === 'status' &&
          (d.status === 'returned' || d.status === 'cancelled') &&
          (st === 'packed' || st === 'out_for_delivery')
        )
          return cancelled({ ...o, tracking }, AFTER_CONFIRM_REASONS.returned, now, { slot: false });
        const to = (s: OrderStatus) => {
          if (st !== s) st = move(st, s);
        };
        if (d.kind === 'ready' && st === 'packed') to('ready_for_pickup');
        if (d.kind === 'collected' && (st === 'packed' || st === 'ready_for_pickup')) {
          if (st === 'packed') to('ready_for_pickup');
          to('collected');
        }
        if (d.kind === 'status' && ON_THE_WAY.has(d.status ?? '') && st === 'packed') to('out_for_delivery');
        if (
          d.kind === 'status' &&
          d.status === 'delivered' &&
          (st === 'packed' || st === 'out_for_delivery')
        ) {
          if (st === 'packed') to('out_for_delivery');
          to('delivered');
        }
        return completeIfDone(o, { patch: { tracking, status: st }, events: [], what }, now);
      }),

    /** The clock: expired proposals, and commands unanswered past their resend time. */
    tick: (tx: Tx, order: OrderRow, now: Date) =>
      changeIn(
        tx,
        order.id,
        (o) => {
          const asks = [...o.asks];
          const events: TuoiCloudEvent[] = [];
          let picking = o.picking;
          if (picking) {
            const e = expireDue(picking, now);
            picking = e.lines;
            for (const l of e.expired) {
              const s = l.sub!;
              events.push(
                releaseStock(asks, o, s.reservation_id, now),
                buildEvent(orderSubstitutionDecided, {
                  ...base(o, now),
                  sku: l.sku,
                  substitute_sku: s.sku,
                  decision: 'expired',
                }),
              );
            }
          }
          for (const [i, a] of asks.entries()) {
            if (a.state !== 'sent' || resendAt(a) > now.getTime()) continue;
            asks[i] = { ...a, sent_at: now.toISOString(), attempts: a.attempts + 1 };
            events.push(buildEvent(contractFor(a.type)!, a.data));
          }
          if (!events.length) return { patch: { asks }, events: [], what: { kind: 'tick' } };
          return {
            patch: { asks, ...(picking ? { picking } : {}) },
            events,
            what: { kind: 'tick', sent: events.length },
          };
        },
        now,
      ),
  };
}

export type FulfilmentUseCases = ReturnType<typeof fulfilmentUseCases>;

/**
 * The order after confirmation: picking and substitutions, packing at the final amount and its
 * capture, the delivery or pickup as delivery reports it, completion, refunds, and a cancel after
 * confirmation (or a returned delivery) that gives everything back. Staff and customer actions are
 * here; what the order hears is in fulfilment-events.ts; both run on fulfilment-core.ts.
 */
import {
  orderSubstitutionDecided,
  paymentRequested,
  pricingRequested,
  stockRequested,
  type TuoiCloudEvent,
} from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { move } from './lifecycle';
import {
  AFTER_CONFIRM_REASONS,
  ask,
  base,
  packedEvent,
  REFUND_REASONS,
  type RefundReason,
} from './after-commands';
import {
  bill as billOf,
  decide as decideLine,
  linesToPick,
  notPackable,
  pick as pickLine,
  PickingError,
  refundAmount,
  short as shortLine,
  type Refund,
} from './picking';
import type { Reason } from './saga';
import {
  fulfilmentCore,
  type FulfilmentCore,
  type FulfilmentDeps,
  type SubstituteAsk,
} from './fulfilment-core';
import { fulfilmentEvents } from './fulfilment-events';

export type { FulfilmentDeps, FulfilmentTimings, SubstituteAsk } from './fulfilment-core';

/** Staff and the customer act on a confirmed order: picking, substitutes, packing, refunds, cancel. */
export function fulfilmentActions(core: FulfilmentCore) {
  const { t, change, need, status, cancelled } = core;
  return {
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
  };
}

/** The use cases after confirmation. */
export function fulfilmentUseCases(deps: FulfilmentDeps) {
  const core = fulfilmentCore(deps);
  return { nextCheckOf: core.nextCheckOf, ...fulfilmentActions(core), ...fulfilmentEvents(core) };
}

export type FulfilmentUseCases = ReturnType<typeof fulfilmentUseCases>;

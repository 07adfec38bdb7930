/**
 * The order after confirmation hears: its owners' answers (a substitute's stock and price, the
 * capture, refunds, what a cancel gave back), cash collected on delivery, delivery's statuses
 * (on the way, delivered, returned; a pickup ready and collected), and the clock (proposals past
 * their deadline, commands to send again). Each is applied in the consumer's transaction.
 */
import {
  contractFor,
  orderRefunded,
  orderSubstitutionDecided,
  orderSubstitutionProposed,
  type TuoiCloudEvent,
} from '../../events';
import type { Tx } from '../shared/db';
import { buildEvent } from '../shared/eventing/outbox';
import { move, type OrderStatus } from './lifecycle';
import { AFTER_CONFIRM_REASONS, base, refundCancelled, releaseStock } from './after-commands';
import type { OrderRow, Tracking } from './order-store';
import { expireDue, subAnswered } from './picking';
import type { Reason } from './saga';
import { ON_THE_WAY, type Changes, type FulfilmentCore } from './fulfilment-core';

/** Owners' answers, cash collected, delivery's statuses and the clock, after confirmation. */
export function fulfilmentEvents(core: FulfilmentCore) {
  const { t, changeIn, status, cancelled, completeIfDone, answered, resendAt } = core;
  return {
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
      locked?: OrderRow,
    ) =>
      changeIn(tx, locked ?? d.order_id, (o, now) => {
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
            if (kept > 0) c.events.push(refundCancelled(asks, o, kept, now));
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

    /** Cash collected on delivery settles a COD order (payment.captured after confirmation; its row locked). */
    captured: (tx: Tx, order: OrderRow, capturedVnd: number) =>
      changeIn(tx, order, (o, now) => {
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
        order,
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

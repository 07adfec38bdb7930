/**
 * The command events the saga sends, built from the order: which step, which leg, and the ids of
 * what it makes or undoes. Each id is the order's own (the reservation and the hold are named
 * after the order, the payment `<order>-p1`), so a command sent again does the same thing once.
 */
import {
  paymentRequested,
  pricingRequested,
  slotRequested,
  stockRequested,
  type TuoiCloudEvent,
} from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import type { OrderRow } from './order-store';
import { ACTIONS, type Send } from './saga';

/** How long the owners hold stock, a window and coupon uses: the payment window and a margin. */
export interface HoldTimes {
  holdTtlS: number;
}

/** The command for one leg of one step of `order`. */
export function commandFor(
  order: OrderRow,
  send: Send,
  opts: HoldTimes & { firstOrder: boolean; returnUrl: string },
): TuoiCloudEvent {
  const order_id = order.id;
  const action = ACTIONS[send.step][send.leg];
  switch (send.step) {
    case 'pricing':
      if (send.leg === 'forward')
        return buildEvent(pricingRequested, {
          order_id,
          action: 'price',
          customer_id: order.customer_id,
          location: order.location,
          lines: order.lines.map((l) =>
            l.grams !== undefined ? { sku: l.sku, grams: l.grams } : { sku: l.sku, qty: l.qty! },
          ),
          coupon_codes: order.coupons,
          delivery_fee_vnd: order.fulfilment.window.fee_vnd,
          first_order: opts.firstOrder,
          ttl_seconds: opts.holdTtlS,
        });
      if (send.leg === 'undo')
        return buildEvent(pricingRequested, {
          order_id,
          action: 'release',
          redemption_ids: order.redemption_ids,
          // Uses committed before another step refused are given back too.
          ...(order.saga.legs.pricing.finish.state === 'done' ? { committed: true } : {}),
        });
      return buildEvent(pricingRequested, {
        order_id,
        action: 'commit',
        redemption_ids: order.redemption_ids,
      });
    case 'stock':
      if (send.leg === 'forward')
        return buildEvent(stockRequested, {
          order_id,
          action: 'reserve',
          reservation_id: order_id,
          location: order.location,
          // Pieces, or grams for items sold by weight (inventory counts those in grams).
          lines: order.lines.map((l) => ({ sku: l.sku, qty: l.grams ?? l.qty! })),
          ttl_seconds: opts.holdTtlS,
        });
      if (send.leg === 'undo' && order.saga.legs.stock.finish.state === 'done')
        // Committed before another step refused (say the window's hold lapsed): put it back.
        return buildEvent(stockRequested, {
          order_id,
          action: 'restock',
          reservation_id: order_id,
          restock_id: `${order_id}.x1`,
          lines: order.lines.map((l) => ({ sku: l.sku, qty: l.grams ?? l.qty! })),
        });
      return buildEvent(stockRequested, {
        order_id,
        action: action as 'commit' | 'release',
        reservation_id: order_id,
      });
    case 'slot':
      if (send.leg === 'forward')
        return buildEvent(slotRequested, {
          order_id,
          action: 'hold',
          hold_id: order.fulfilment.hold_id,
          slot: order.fulfilment.slot,
          customer_id: order.customer_id,
          ttl_seconds: opts.holdTtlS,
        });
      return buildEvent(slotRequested, {
        order_id,
        action: action as 'book' | 'release',
        hold_id: order.fulfilment.hold_id,
      });
    case 'payment':
      if (send.leg === 'forward')
        return buildEvent(paymentRequested, {
          order_id,
          action: 'create',
          payment_id: order.payment_id,
          customer_id: order.customer_id,
          rail: order.rail,
          amount_vnd: order.authorised_vnd!,
          return_url: opts.returnUrl,
          lang: order.lang,
        });
      if (send.leg === 'undo' && order.saga.capturedVnd > 0)
        // Money was taken (VNPay charges at once): give it all back.
        return buildEvent(paymentRequested, {
          order_id,
          action: 'refund',
          payment_id: order.payment_id,
          refund_id: `${order.payment_id}.cancel`,
          amount_vnd: order.saga.capturedVnd,
          reason: 'order cancelled',
        });
      if (send.leg === 'undo')
        return buildEvent(paymentRequested, { order_id, action: 'void', payment_id: order.payment_id });
      throw new Error('the final capture is sent after picking, not by the checkout saga');
  }
}

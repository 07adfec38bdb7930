/**
 * The events the order function consumes: its saga's replies from inventory, delivery, promotions
 * and payment, the provider's word on the customer's payment, and delivery's on the order's trip. Each is applied in the
 * consumer's transaction (with its dedup row) under the order's row lock, and the commands it
 * causes are written to the outbox in that same transaction.
 */
import {
  deliveryBooked,
  deliveryStatusChanged,
  pickupCollected,
  pickupReady,
  paymentAuthorised,
  paymentCaptured,
  paymentExpired,
  paymentFailed,
  paymentReplied,
  pricingReplied,
  slotReplied,
  stockReplied,
  type DataOf,
} from '../../events';
import type { EventHandler } from '../shared/eventing/consumer';
import { paymentReason } from './model';
import type { OrderUseCases } from './orders';

/** The handlers by event type. */
export function orderHandlers(orders: OrderUseCases): Record<string, EventHandler> {
  return {
    [stockReplied.type]: async (e, tx) =>
      void (await orders.replies.stock(tx, e.data as DataOf<typeof stockReplied>)),
    [slotReplied.type]: async (e, tx) =>
      void (await orders.replies.slot(tx, e.data as DataOf<typeof slotReplied>)),
    [pricingReplied.type]: async (e, tx) =>
      void (await orders.replies.pricing(tx, e.data as DataOf<typeof pricingReplied>)),
    [paymentReplied.type]: async (e, tx) =>
      void (await orders.replies.payment(tx, e.data as DataOf<typeof paymentReplied>)),
    [paymentAuthorised.type]: async (e, tx) => {
      const d = e.data as DataOf<typeof paymentAuthorised>;
      await orders.paymentEvent(tx, d, { kind: 'paid', capturedVnd: 0 });
    },
    [paymentCaptured.type]: async (e, tx) => {
      // VNPay charges at once (no authorised step); later captures of a confirmed order change nothing here.
      const d = e.data as DataOf<typeof paymentCaptured>;
      await orders.paymentEvent(tx, d, { kind: 'paid', capturedVnd: d.captured_vnd });
    },
    [deliveryBooked.type]: async (e, tx) => {
      const d = e.data as DataOf<typeof deliveryBooked>;
      await orders.after.delivery(tx, { ...d, kind: 'booked' });
    },
    [deliveryStatusChanged.type]: async (e, tx) => {
      const d = e.data as DataOf<typeof deliveryStatusChanged>;
      await orders.after.delivery(tx, { ...d, kind: 'status' });
    },
    [pickupReady.type]: async (e, tx) => {
      const d = e.data as DataOf<typeof pickupReady>;
      await orders.after.delivery(tx, { order_id: d.order_id, delivery_id: d.delivery_id, kind: 'ready' });
    },
    [pickupCollected.type]: async (e, tx) => {
      const d = e.data as DataOf<typeof pickupCollected>;
      await orders.after.delivery(tx, {
        order_id: d.order_id,
        delivery_id: d.delivery_id,
        kind: 'collected',
      });
    },
    [paymentFailed.type]: async (e, tx) => {
      const d = e.data as DataOf<typeof paymentFailed>;
      await orders.paymentEvent(tx, d, { kind: 'payment_failed', reason: paymentReason('failed', d.code) });
    },
    [paymentExpired.type]: async (e, tx) => {
      const d = e.data as DataOf<typeof paymentExpired>;
      await orders.paymentEvent(tx, d, { kind: 'payment_failed', reason: paymentReason('expired') });
    },
  };
}

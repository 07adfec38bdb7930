/**
 * What the order function tells the platform about an order's life (notifications, the cart,
 * catalog popularity, delivery): small payloads, ids, amounts and reasons.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { defineEvent } from '../contract';
import { CART_ID_PATTERN } from '../cart/cart.v1';
import { SLOT_ID_PATTERN } from '../delivery/delivery.v1';
import { LOCATION_PATTERN } from '../inventory/stock.v1';
import { ORDER_ID_PATTERN, SagaReason } from './saga.v1';

const Money = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Instant = Type.String({ format: 'date-time' });
const Rail = Type.Union(['momo', 'vnpay', 'stripe', 'cod'].map((r) => Type.Literal(r)));

/** The fields every order event carries, then its own. */
const order = <P extends Record<string, TSchema>>(own: P) =>
  Type.Object(
    {
      order_id: Type.String({ pattern: ORDER_ID_PATTERN }),
      customer_id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
      /** The customer's language for anything sent about it. */
      lang: Type.Union([Type.Literal('en'), Type.Literal('vi')]),
      ...own,
      at: Instant,
    },
    { additionalProperties: false },
  );

/** A checkout began: the order exists and its saga is running. */
export const orderPlaced = defineEvent({
  type: 'io.tuoi.order.placed.v1',
  producer: 'order',
  description: 'A customer checked out: the order exists and is being priced, reserved and paid.',
  data: order({
    cart_id: Type.String({ pattern: CART_ID_PATTERN }),
    fulfilment: Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]),
    location: Type.String({ pattern: LOCATION_PATTERN }),
    slot: Type.String({ pattern: SLOT_ID_PATTERN }),
    rail: Rail,
  }),
  key: (data) => data.order_id,
});

/** Paid (or cash on delivery accepted), stock committed, window booked: the store will pick it. */
export const orderConfirmed = defineEvent({
  type: 'io.tuoi.order.confirmed.v1',
  producer: 'order',
  description:
    'An order is confirmed: its payment is authorised (or cash on delivery accepted), its stock committed, its window booked, its cart checked out.',
  data: order({
    cart_id: Type.String({ pattern: CART_ID_PATTERN }),
    location: Type.String({ pattern: LOCATION_PATTERN }),
    slot: Type.String({ pattern: SLOT_ID_PATTERN }),
    rail: Rail,
    total_vnd: Money,
    /** What the payment holds: the total plus the margin for items sold by weight. */
    authorised_vnd: Money,
  }),
  key: (data) => data.order_id,
});

/** Cancelled, with the reason in both languages; everything it held is being given back. */
export const orderCancelled = defineEvent({
  type: 'io.tuoi.order.cancelled.v1',
  producer: 'order',
  description:
    'An order is cancelled (a step refused, payment not completed in time, or the customer), with the reason in English and Vietnamese; its holds are released.',
  data: order({
    cart_id: Type.String({ pattern: CART_ID_PATTERN }),
    reason: SagaReason,
    /** Whether money had been taken and is being refunded. */
    refund_vnd: Money,
  }),
  key: (data) => data.order_id,
});

/**
 * What the order function tells the platform about an order's life (notifications, the cart,
 * catalog popularity, delivery): small payloads, ids, amounts and reasons.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { defineEvent } from '../contract';
import { CART_ID_PATTERN } from '../cart/cart.v1';
import { SKU_PATTERN } from '../catalog/product.v1';
import { DELIVERY_ID_PATTERN, SLOT_ID_PATTERN } from '../delivery/delivery.v1';
import { PAYMENT_ID_PATTERN } from '../payment/payment.v1';
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

const Sku = Type.String({ pattern: SKU_PATTERN });
const Names = Type.Object(
  { en: Type.String({ minLength: 1, maxLength: 300 }), vi: Type.String({ minLength: 1, maxLength: 300 }) },
  { additionalProperties: false },
);
const Pieces = Type.Integer({ minimum: 1, maximum: 10_000 });
const Grams = Type.Integer({ minimum: 1, maximum: 1_000_000 });

/** A line could not be picked: the picker proposes a substitute the customer approves or rejects. */
export const orderSubstitutionProposed = defineEvent({
  type: 'io.tuoi.order.substitution.proposed.v1',
  producer: 'order',
  description:
    'A line of an order was short when picked; the picker proposes a substitute, priced, which the customer approves or rejects before the deadline (no answer: the line is removed and not charged).',
  data: order({
    sku: Sku,
    name: Names,
    substitute_sku: Sku,
    substitute_name: Names,
    qty: Type.Optional(Pieces),
    grams: Type.Optional(Grams),
    /** What the substitute will cost the customer (never more than the line it replaces). */
    price_vnd: Money,
    /** What the line it replaces cost. */
    original_vnd: Money,
    deadline_at: Instant,
  }),
  key: (data) => data.order_id,
});

/** The customer's answer to a proposal, or its deadline passing. */
export const orderSubstitutionDecided = defineEvent({
  type: 'io.tuoi.order.substitution.decided.v1',
  producer: 'order',
  description:
    'A proposed substitute was approved or rejected by the customer, or expired unanswered (then removed and not charged).',
  data: order({
    sku: Sku,
    substitute_sku: Sku,
    decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('expired')]),
  }),
  key: (data) => data.order_id,
});

/** Picked and packed at its final amount: delivery dispatches it (or readies the pickup). */
export const orderPacked = defineEvent({
  type: 'io.tuoi.order.packed.v1',
  producer: 'order',
  description:
    'An order is picked and packed at its final amount; delivery books its carrier (or prepares the pickup) with the cash to collect on delivery.',
  data: order({
    fulfilment: Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]),
    location: Type.String({ pattern: LOCATION_PATTERN }),
    slot: Type.String({ pattern: SLOT_ID_PATTERN }),
    /** The order's booked slot hold. */
    hold_id: Type.String({ pattern: DELIVERY_ID_PATTERN }),
    /** Where it goes (deliveries only), as the customer saved it at checkout. */
    destination: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          phone: Type.String({ pattern: '^\\+[1-9][0-9]{7,14}$' }),
          street: Type.String({ minLength: 1, maxLength: 300 }),
          ward: Type.String({ minLength: 1, maxLength: 200 }),
          province: Type.String({ minLength: 1, maxLength: 100 }),
          geo: Type.Optional(
            Type.Object(
              {
                lat: Type.Number({ minimum: -90, maximum: 90 }),
                lng: Type.Number({ minimum: -180, maximum: 180 }),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    parcel: Type.Object(
      {
        weight_grams: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
        value_vnd: Money,
        items: Type.Array(
          Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 300 }), qty: Pieces },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 200 },
        ),
      },
      { additionalProperties: false },
    ),
    /** Cash the rider collects (cash on delivery: the final amount; otherwise 0). */
    cod_vnd: Money,
    /** The final amount: what the picked lines and approved substitutes cost. */
    total_vnd: Money,
  }),
  key: (data) => data.order_id,
});

/** Delivered or collected and paid: the order is done (catalog counts its sales). */
export const orderCompleted = defineEvent({
  type: 'io.tuoi.order.completed.v1',
  producer: 'order',
  description:
    'An order was delivered or collected and its payment settled; its picked lines are the sales catalog popularity counts.',
  data: order({
    location: Type.String({ pattern: LOCATION_PATTERN }),
    /** What the customer received: pieces, or grams for items sold by weight (then qty is 1). */
    lines: Type.Array(
      Type.Object({ sku: Sku, qty: Pieces, grams: Type.Optional(Grams) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 400 },
    ),
    total_vnd: Money,
  }),
  key: (data) => data.order_id,
});

/** Money went back to the customer after the order was packed (a line refunded, a return). */
export const orderRefunded = defineEvent({
  type: 'io.tuoi.order.refunded.v1',
  producer: 'order',
  description:
    'Part or all of what an order was charged was refunded (staff per line or amount, or a returned delivery), with the reason in English and Vietnamese.',
  data: order({
    refund_id: Type.String({ pattern: PAYMENT_ID_PATTERN }),
    amount_vnd: Money,
    /** Refunded so far, this refund included, and the final amount it is out of. */
    refunded_vnd: Money,
    total_vnd: Money,
    reason: SagaReason,
    skus: Type.Array(Sku, { maxItems: 200 }),
  }),
  key: (data) => data.order_id,
});

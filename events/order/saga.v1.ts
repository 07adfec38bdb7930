/**
 * The checkout saga's commands and replies. The order function orchestrates: it sends one command
 * type to each function that owns a step (inventory, delivery, promotions, payment) and hears one
 * reply type back from each. A command names its action (a forward step or its compensation) and
 * the id of the thing it makes or undoes (the reservation, the slot hold, the redemptions, the
 * payment), so a command delivered twice, or sent again by the saga, does the same thing once.
 * Every command and reply is keyed by the order id.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { INT4_MAX, defineEvent } from '../contract';
import { SKU_PATTERN } from '../catalog/product.v1';
import { DELIVERY_ID_PATTERN, SLOT_ID_PATTERN } from '../delivery/delivery.v1';
import { LOCATION_PATTERN } from '../inventory/stock.v1';
import { RESERVATION_ID_PATTERN } from '../inventory/reservation.v1';
import { PAYMENT_ID_PATTERN } from '../payment/payment.v1';
import { COUPON_CODE_PATTERN, PROMOTION_ID_PATTERN, REDEMPTION_ID_PATTERN } from '../promotions/promotion.v1';

/** An order id: `ord-` and a time-ordered lower-case base-32 id. */
export const ORDER_ID_PATTERN = '^ord-[0-9a-z]{8,40}$';

const OrderId = Type.String({ pattern: ORDER_ID_PATTERN });
const Sku = Type.String({ pattern: SKU_PATTERN });
const Money = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Instant = Type.String({ format: 'date-time' });
const CustomerId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });
const Text = Type.String({ minLength: 1, maxLength: 500 });
/** Why a step was refused, in both languages (the order's cancellation reason comes from it). */
export const SagaReason = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
    message: Type.Object({ en: Text, vi: Text }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
const Outcome = Type.Union([Type.Literal('done'), Type.Literal('refused')]);
const literals = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** A command: the order, its action, then the action's own fields. */
const command = <A extends string, P extends Record<string, TSchema>>(action: A, own: P) =>
  Type.Object({ order_id: OrderId, action: Type.Literal(action), ...own }, { additionalProperties: false });

/** A reply: the order, the action it answers, done or refused (with the reason), then its own fields. */
const reply = <A extends TSchema, P extends Record<string, TSchema>>(action: A, own: P) =>
  Type.Object(
    {
      order_id: OrderId,
      action,
      outcome: Outcome,
      reason: Type.Optional(SagaReason),
      ...own,
      at: Instant,
    },
    { additionalProperties: false },
  );

// ------------------------------------------------------------------------------------ stock

const ReservationId = Type.String({ pattern: RESERVATION_ID_PATTERN });
const StockLine = Type.Object(
  { sku: Sku, qty: Type.Integer({ minimum: 1, maximum: 10_000_000 }) },
  { additionalProperties: false },
);

/** Reserve the order's stock at its store (FEFO), commit it once paid, or release it. */
export const stockRequested = defineEvent({
  type: 'io.tuoi.order.saga.stock-requested.v1',
  producer: 'order',
  description:
    "The checkout saga asks inventory to reserve an order's stock (near-expiry lots first), commit it, or release it.",
  data: Type.Union([
    command('reserve', {
      reservation_id: ReservationId,
      location: Type.String({ pattern: LOCATION_PATTERN }),
      /** Pieces, or grams for items sold by weight. */
      lines: Type.Array(StockLine, { minItems: 1, maxItems: 200 }),
      ttl_seconds: Type.Integer({ minimum: 10, maximum: 3_600 }),
    }),
    command('commit', { reservation_id: ReservationId }),
    command('release', { reservation_id: ReservationId }),
    /**
     * Put units of a committed reservation back on the shelf (an order cancelled after it was
     * confirmed, or a delivery returned to the store), once per `restock_id`.
     */
    command('restock', {
      reservation_id: ReservationId,
      restock_id: ReservationId,
      lines: Type.Array(StockLine, { minItems: 1, maxItems: 200 }),
    }),
  ]),
  key: (data) => data.order_id,
});

/** Inventory's answer; a refused reservation says which lines were short. */
export const stockReplied = defineEvent({
  type: 'io.tuoi.inventory.saga.replied.v1',
  producer: 'inventory',
  description: "Inventory's answer to a checkout saga command: reserved, committed or released, or refused.",
  data: reply(literals('reserve', 'commit', 'release', 'restock'), {
    reservation_id: ReservationId,
    restock_id: Type.Optional(ReservationId),
    /** For a restock: the units put back per SKU (at most what the reservation committed). */
    restocked: Type.Optional(Type.Array(StockLine, { maxItems: 200 })),
    shortfall: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sku: Sku,
            wanted: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
            available: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
  }),
  key: (data) => data.order_id,
});

// ------------------------------------------------------------------------------------ slot

const HoldId = Type.String({ pattern: DELIVERY_ID_PATTERN });

/** Hold the order's delivery or pickup window (or adopt the customer's own hold), book it, or release it. */
export const slotRequested = defineEvent({
  type: 'io.tuoi.order.saga.slot-requested.v1',
  producer: 'order',
  description:
    "The checkout saga asks delivery to hold an order's delivery or pickup window (adopting the customer's own hold of it), book it, or release it.",
  data: Type.Union([
    command('hold', {
      hold_id: HoldId,
      slot: Type.String({ pattern: SLOT_ID_PATTERN }),
      customer_id: CustomerId,
      ttl_seconds: Type.Integer({ minimum: 60, maximum: 3_600 }),
      units: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    }),
    command('book', { hold_id: HoldId }),
    command('release', { hold_id: HoldId }),
  ]),
  key: (data) => data.order_id,
});

/** Delivery's answer; a hold says the window's fee and when it lapses. */
export const slotReplied = defineEvent({
  type: 'io.tuoi.delivery.saga.replied.v1',
  producer: 'delivery',
  description: "Delivery's answer to a checkout saga command: held, booked or released, or refused.",
  data: reply(literals('hold', 'book', 'release'), {
    hold_id: HoldId,
    slot: Type.Optional(Type.String({ pattern: SLOT_ID_PATTERN })),
    fee_vnd: Type.Optional(Money),
    expires_at: Type.Optional(Instant),
  }),
  key: (data) => data.order_id,
});

// ------------------------------------------------------------------------------------ pricing

const RedemptionId = Type.String({ pattern: REDEMPTION_ID_PATTERN });
const RedemptionIds = Type.Array(RedemptionId, { maxItems: 20 });
const PricedLines = Type.Array(
  Type.Object(
    {
      sku: Sku,
      qty: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      grams: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 200 },
);
/** Names one quote among an order's (a substitute's price: `<line index>`). */
const QuoteId = Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' });

/**
 * Price the order and reserve a use of every coupon and limited promotion the price applies, in
 * one step (the price and the uses it counts on cannot disagree); commit or release those uses.
 */
export const pricingRequested = defineEvent({
  type: 'io.tuoi.order.saga.pricing-requested.v1',
  producer: 'order',
  description:
    'The checkout saga asks promotions to freeze the price of an order and reserve the coupon and promotion uses it applies, then to commit or release them.',
  data: Type.Union([
    command('price', {
      customer_id: CustomerId,
      location: Type.String({ pattern: LOCATION_PATTERN }),
      lines: PricedLines,
      coupon_codes: Type.Array(Type.String({ pattern: COUPON_CODE_PATTERN }), { maxItems: 5 }),
      delivery_fee_vnd: Money,
      first_order: Type.Boolean(),
      ttl_seconds: Type.Integer({ minimum: 60, maximum: 3_600 }),
    }),
    command('commit', { redemption_ids: RedemptionIds }),
    command('release', {
      redemption_ids: RedemptionIds,
      /**
       * Give back committed uses too (an order cancelled after it was confirmed, before picking);
       * without it only held uses are released (a checkout's compensation).
       */
      committed: Type.Optional(Type.Boolean()),
    }),
    /**
     * Price lines now (a substitute proposed while picking) without reserving anything and
     * without coupons: promotions that apply to everyone are applied.
     */
    command('quote', {
      quote_id: QuoteId,
      customer_id: CustomerId,
      location: Type.String({ pattern: LOCATION_PATTERN }),
      lines: PricedLines,
    }),
  ]),
  key: (data) => data.order_id,
});

const Adjustment = Type.Object(
  {
    promotion_id: Type.String({ pattern: PROMOTION_ID_PATTERN }),
    amount_vnd: Money,
    label: Type.Object({ en: Text, vi: Text }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

/** The frozen price: what the order will show and charge (VAT included, whole đồng). */
export const FrozenQuote = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          sold_by: literals('piece', 'weight'),
          qty: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
          grams: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX })),
          unit_price_vnd: Money,
          list_amount_vnd: Money,
          discount_vnd: Money,
          total_vnd: Money,
          vat_rate: Type.String({ maxLength: 16 }),
          vat_vnd: Money,
          adjustments: Type.Array(Adjustment, { maxItems: 20 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
    totals: Type.Object(
      {
        subtotal_vnd: Money,
        discount_vnd: Money,
        delivery_fee_vnd: Money,
        delivery_discount_vnd: Money,
        vat_vnd: Money,
        total_vnd: Money,
      },
      { additionalProperties: false },
    ),
    applied: Type.Array(Adjustment, { maxItems: 50 }),
    priced_at: Instant,
  },
  { additionalProperties: false },
);

/** Promotions' answer; a price carries the frozen quote and the uses it reserved. */
export const pricingReplied = defineEvent({
  type: 'io.tuoi.promotions.saga.replied.v1',
  producer: 'promotions',
  description:
    "Promotions' answer to a checkout saga command: the frozen price with its reserved uses, uses committed or released, or refused (a coupon that no longer applies).",
  data: reply(literals('price', 'commit', 'release', 'quote'), {
    quote_id: Type.Optional(QuoteId),
    quote: Type.Optional(FrozenQuote),
    redemption_ids: Type.Optional(RedemptionIds),
  }),
  key: (data) => data.order_id,
});

// ------------------------------------------------------------------------------------ payment

const PaymentId = Type.String({ pattern: PAYMENT_ID_PATTERN });
const Rail = literals('momo', 'vnpay', 'stripe', 'cod');

/** Create the order's payment (a hold where the rail has one), capture the final amount, void it, or refund. */
export const paymentRequested = defineEvent({
  type: 'io.tuoi.order.saga.payment-requested.v1',
  producer: 'order',
  description:
    "The checkout saga asks payment to create an order's payment, capture its final amount, void it, or refund part of it.",
  data: Type.Union([
    command('create', {
      payment_id: PaymentId,
      customer_id: CustomerId,
      rail: Rail,
      amount_vnd: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      return_url: Type.String({ format: 'uri', maxLength: 2_000 }),
      lang: literals('en', 'vi'),
    }),
    command('capture', {
      payment_id: PaymentId,
      amount_vnd: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    }),
    command('void', { payment_id: PaymentId }),
    command('refund', {
      payment_id: PaymentId,
      refund_id: PaymentId,
      amount_vnd: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      reason: Type.String({ minLength: 1, maxLength: 200 }),
    }),
  ]),
  key: (data) => data.order_id,
});

/**
 * Payment's answer. A created payment says what the customer does next: follow a redirect (MoMo,
 * VNPay), confirm with the client secret read from `GET /payments/{id}` (Stripe: the secret does
 * not travel in events), or nothing (cash on delivery).
 */
export const paymentReplied = defineEvent({
  type: 'io.tuoi.payment.saga.replied.v1',
  producer: 'payment',
  description:
    "Payment's answer to a checkout saga command: created (with the customer's next step), captured, voided or refunded, or refused.",
  data: reply(literals('create', 'capture', 'void', 'refund'), {
    payment_id: PaymentId,
    status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })),
    next_action: Type.Optional(literals('redirect', 'client_secret', 'none')),
    redirect_url: Type.Optional(Type.String({ format: 'uri', maxLength: 4_000 })),
    captured_vnd: Type.Optional(Money),
    refund_id: Type.Optional(PaymentId),
    refunded_vnd: Type.Optional(Money),
  }),
  key: (data) => data.order_id,
});

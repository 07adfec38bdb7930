import { Type, type TSchema } from '@sinclair/typebox';
import { defineEvent } from '../contract';
import { DELIVERY_ID_PATTERN } from '../delivery/delivery.v1';

/** Payment, order and refund ids (UUIDs or saga step ids). */
export const PAYMENT_ID_PATTERN = DELIVERY_ID_PATTERN;

const Id = Type.String({ pattern: PAYMENT_ID_PATTERN });
const Money = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Rail = Type.Union(['momo', 'vnpay', 'stripe', 'cod'].map((r) => Type.Literal(r)));
const Instant = Type.String({ format: 'date-time' });

/** The fields every payment event carries, then its own. */
const payment = <P extends Record<string, TSchema>>(own: P) =>
  Type.Object(
    { payment_id: Id, order_id: Id, rail: Rail, ...own, at: Instant },
    { additionalProperties: false },
  );

/** The customer's money is held (or, on a rail without holds, about to be charged). */
export const paymentAuthorised = defineEvent({
  type: 'io.tuoi.payment.authorised.v1',
  producer: 'payment',
  description: 'A payment is authorised: the amount is held (MoMo, Stripe) or cash on delivery was accepted.',
  data: payment({ amount_vnd: Money, authorised_vnd: Money }),
  key: (data) => data.payment_id,
});

/** Money was taken: captured from a hold, charged, or cash collected and settled. */
export const paymentCaptured = defineEvent({
  type: 'io.tuoi.payment.captured.v1',
  producer: 'payment',
  description:
    'A payment was captured (possibly less than the hold), charged, or its cash on delivery settled.',
  data: payment({ amount_vnd: Money, captured_vnd: Money }),
  key: (data) => data.payment_id,
});

/** The payment did not go through (declined, cancelled by the customer, a provider error). */
export const paymentFailed = defineEvent({
  type: 'io.tuoi.payment.failed.v1',
  producer: 'payment',
  description:
    "A payment failed: declined, cancelled by the customer, or refused by the provider (with the provider's code).",
  data: payment({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
  key: (data) => data.payment_id,
});

/** A hold was released before capture (an order cancelled). */
export const paymentVoided = defineEvent({
  type: 'io.tuoi.payment.voided.v1',
  producer: 'payment',
  description: 'A held payment was released before capture.',
  data: payment({}),
  key: (data) => data.payment_id,
});

/** Part or all of a captured payment went back to the customer. */
export const paymentRefunded = defineEvent({
  type: 'io.tuoi.payment.refunded.v1',
  producer: 'payment',
  description: 'Part or all of a captured payment was refunded.',
  data: payment({ refund_id: Id, amount_vnd: Money, refunded_total_vnd: Money }),
  key: (data) => data.payment_id,
});

/** The customer never completed the payment, or a hold lapsed. */
export const paymentExpired = defineEvent({
  type: 'io.tuoi.payment.expired.v1',
  producer: 'payment',
  description: 'A payment expired: never completed by the customer, or its hold lapsed.',
  data: payment({}),
  key: (data) => data.payment_id,
});

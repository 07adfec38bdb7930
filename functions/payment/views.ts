/** Response schemas of the payment function (TypeBox), as the API documents its answers. */
import { Type, type TSchema } from '@sinclair/typebox';
import { PAYMENT_STATUSES } from './domain';
import { RAILS } from './rail';

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Problem = Type.Object({ code: Type.String(), message: Type.String() });

/** `paymentView`. */
export const PaymentView = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  customer_id: Type.String(),
  rail: Type.Union(RAILS.map((r) => Type.Literal(r))),
  status: Type.Union(PAYMENT_STATUSES.map((s) => Type.Literal(s))),
  amount_vnd: Type.Integer(),
  authorised_vnd: Type.Integer(),
  captured_vnd: Type.Integer(),
  refunded_vnd: Type.Integer(),
  /** What the customer does next: open the provider's page, or confirm with its SDK. */
  next_action: Nullable(
    Type.Union([
      Type.Object({ kind: Type.Literal('redirect'), url: Type.String() }),
      Type.Object({ kind: Type.Literal('client_secret'), client_secret: Type.String() }),
    ]),
  ),
  failure: Nullable(Problem),
  hold_expires_at: Nullable(Instant),
  version: Type.Integer(),
  created_at: Instant,
  updated_at: Instant,
});

/** `refundView`. */
export const RefundView = Type.Object({
  id: Type.String(),
  payment_id: Type.String(),
  amount_vnd: Type.Integer(),
  reason: Type.String(),
  status: Type.Union([
    Type.Literal('started'),
    Type.Literal('succeeded'),
    Type.Literal('pending'),
    Type.Literal('failed'),
  ]),
  created_at: Instant,
});

/** A payment with its refunds. */
export const PaymentWithRefunds = Type.Object({
  ...PaymentView.properties,
  refunds: Type.Array(RefundView),
});

/** The day's cash on delivery and what needs staff's attention. */
export const Reconciliation = Type.Object({
  date: Type.String({ format: 'date' }),
  cash_on_delivery: Type.Array(
    Type.Object({
      carrier: Type.String(),
      deliveries: Type.Integer(),
      expected_vnd: Type.Integer(),
      collected_vnd: Type.Integer(),
    }),
  ),
  waiting: Type.Array(PaymentView),
  holds_expiring: Type.Array(PaymentView),
  unfinished_operations: Type.Array(
    Type.Object({
      payment_id: Type.String(),
      operation: Type.Union([
        Type.Literal('authorise'),
        Type.Literal('capture'),
        Type.Literal('void'),
        Type.Literal('refund'),
      ]),
      attempt: Type.String(),
      amount_vnd: Nullable(Type.Integer()),
    }),
  ),
});

/** VNPay's IPN answer: `RspCode` 00 applied, 02 already confirmed, 01 unknown, 04 amount, 97 signature, 99 error. */
export const VnpayIpnAnswer = Type.Object({ RspCode: Type.String(), Message: Type.String() });

/** Stripe's webhook answer. */
export const StripeWebhookAnswer = Type.Object({ received: Type.Boolean() });

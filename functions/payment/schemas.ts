/** Request schemas of the payment function (TypeBox). */
import { Type, type Static } from '@sinclair/typebox';
import { PAYMENT_ID_PATTERN } from '../../events';
import { RAILS } from './rail';

const Id = Type.String({ pattern: PAYMENT_ID_PATTERN });
/** Whole đồng; each rail's own maximum is checked against its adapter. */
const Amount = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });

export const CreatePaymentBody = Type.Object(
  {
    id: Id,
    order_id: Id,
    customer_id: Type.String({ minLength: 1, maxLength: 128 }),
    rail: Type.Union(RAILS.map((r) => Type.Literal(r))),
    amount_vnd: Amount,
    /** Where the provider sends the browser back (https, or http on loopback in dev). */
    return_url: Type.String({ format: 'uri', maxLength: 2048, pattern: '^https?://' }),
    lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
    /** The shopper's IP address as checkout saw it (VNPay requires it). */
    customer_ip: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F:.]{2,45}$' })),
  },
  { additionalProperties: false },
);
export type CreatePaymentBody = Static<typeof CreatePaymentBody>;

export const CaptureBody = Type.Object({ amount_vnd: Amount }, { additionalProperties: false });
export type CaptureBody = Static<typeof CaptureBody>;

export const RefundBody = Type.Object(
  { id: Id, amount_vnd: Amount, reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefundBody = Static<typeof RefundBody>;

export const IdParam = Type.Object({ id: Id });
export const RailParam = Type.Object({ rail: Type.Union(RAILS.map((r) => Type.Literal(r))) });
export const CashQuery = Type.Object(
  { date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }) },
  { additionalProperties: false },
);

export const OrderQuery = Type.Object({ order_id: Id }, { additionalProperties: false });

/** Request schemas of the order function (TypeBox). */
import { Type, type Static } from '@sinclair/typebox';
import { CART_ID_PATTERN, DELIVERY_ID_PATTERN, ORDER_ID_PATTERN, SLOT_ID_PATTERN } from '../../events';
import { STATUSES } from './lifecycle';
import { RAILS } from './model';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Fulfilment = (kind: 'delivery' | 'pickup') =>
  Type.Object(
    {
      kind: Type.Literal(kind),
      /** The window: `<zone>:<date>:<HHMM>`, or `pickup-<store>:<date>:<HHMM>`. */
      slot: Type.String({ pattern: SLOT_ID_PATTERN }),
      /** The customer's own hold of that window from the slot picker, adopted by the order. */
      hold_id: Type.Optional(Type.String({ pattern: DELIVERY_ID_PATTERN })),
    },
    { additionalProperties: false },
  );

export const CheckoutBody = Type.Object(
  {
    cart_id: Type.String({ pattern: CART_ID_PATTERN }),
    fulfilment: Type.Union([Fulfilment('delivery'), Fulfilment('pickup')]),
    /** One of the customer's saved addresses (delivery only). */
    address_id: Type.Optional(Type.String({ format: 'uuid' })),
    payment_method: literals(RAILS),
    lang: Type.Optional(literals(['en', 'vi'] as const)),
  },
  { additionalProperties: false },
);
export type CheckoutBody = Static<typeof CheckoutBody>;

export const IdParam = Type.Object({ id: Type.String({ pattern: ORDER_ID_PATTERN }) });

const Page = {
  limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$' })),
  /** The `next` cursor of the previous page. */
  cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
  lang: Type.Optional(literals(['en', 'vi'] as const)),
};
export const MyOrdersQuery = Type.Object(Page, { additionalProperties: false });
export const StaffOrdersQuery = Type.Object(
  {
    ...Page,
    status: Type.Optional(literals(STATUSES)),
    location: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$' })),
    slot: Type.Optional(Type.String({ pattern: SLOT_ID_PATTERN })),
  },
  { additionalProperties: false },
);
export const LangQuery = Type.Object({ lang: Page.lang }, { additionalProperties: false });

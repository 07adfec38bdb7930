/** Request schemas of the order function (TypeBox). */
import { Type, type Static } from '@sinclair/typebox';
import {
  CART_ID_PATTERN,
  DELIVERY_ID_PATTERN,
  ORDER_ID_PATTERN,
  SKU_PATTERN,
  SLOT_ID_PATTERN,
} from '../../events';
import { REFUND_REASONS } from './after-commands';
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

export const LineParam = Type.Object({
  id: Type.String({ pattern: ORDER_ID_PATTERN }),
  sku: Type.String({ pattern: SKU_PATTERN }),
});

const Amount = {
  /** Pieces (items sold by the piece). */
  qty: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  /** Grams weighed (items sold by weight). */
  grams: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
};

/** What the picker picked for a line: pieces or grams, whichever the line is sold by. */
export const PickBody = Type.Object(Amount, { additionalProperties: false });

/** A line the picker could not pick, with the substitute they propose (when the customer allows one). */
export const ShortBody = Type.Object(
  {
    substitute: Type.Optional(
      Type.Object({ sku: Type.String({ pattern: SKU_PATTERN }), ...Amount }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

/** The customer's answer to a proposed substitute. */
export const DecisionBody = Type.Object(
  { decision: literals(['approve', 'reject'] as const) },
  { additionalProperties: false },
);

/** A refund by staff: whole lines as billed, or an amount; `id` makes a retry safe. */
export const RefundBody = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    skus: Type.Optional(
      Type.Array(Type.String({ pattern: SKU_PATTERN }), { minItems: 1, maxItems: 200, uniqueItems: true }),
    ),
    amount_vnd: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    reason: literals(Object.keys(REFUND_REASONS) as (keyof typeof REFUND_REASONS)[]),
  },
  { additionalProperties: false },
);

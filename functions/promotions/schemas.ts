/**
 * Request bodies of the promotions API, checked by TypeBox (unknown fields rejected) before the
 * rules that need more than one field (definition.ts) or the database (the use cases).
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  COUPON_CODE_PATTERN,
  DIETARY,
  LOCATION_PATTERN,
  PROMOTION_ID_PATTERN,
  PromotionTargetRef,
  REDEMPTION_ID_PATTERN,
  SKU_PATTERN,
  literals,
} from '../../events';

/** Most lines in one quote: a cart of 500 lines or more is refused. */
export const MAX_QUOTE_LINES = 499;
/** Most codes generated in one batch. */
export const MAX_BATCH = 10_000;
/** Redemption hold bounds (seconds): a checkout's length, like stock holds. */
export const TTL_SECONDS = { min: 10, max: 3_600, fallback: 900 } as const;
/** The largest amount of money anywhere in a definition: one billion đồng. */
export const MAX_VND = 1_000_000_000;

const Vnd = Type.Integer({ minimum: 0, maximum: MAX_VND });
const PositiveVnd = Type.Integer({ minimum: 1, maximum: MAX_VND });
/** A whole percentage off, 1–100. */
const Percent = Type.Integer({ minimum: 1, maximum: 100 });
const Count = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const Text = (max: number) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });
const Bilingual = (max: number) =>
  Type.Object({ en: Text(max), vi: Text(max) }, { additionalProperties: false });
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$' });

export const PromotionId = Type.String({ pattern: PROMOTION_ID_PATTERN });
/** A code as typed by a customer: letters, digits and hyphens, 3–32 characters, any case. */
export const CouponCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9-]{1,30}[A-Za-z0-9]$' });
/** The stored (upper-case) form. */
export const StoredCode = Type.String({ pattern: COUPON_CODE_PATTERN });

/** What a promotion applies to: the same shape the announcements carry (events/promotions). */
export const Target = PromotionTargetRef;
export type Target = Static<typeof Target>;

const Tier = Type.Object(
  { min: Count, unit_price_vnd: Type.Optional(Vnd), percent: Type.Optional(Percent) },
  { additionalProperties: false },
);

export const Discount = Type.Union([
  Type.Object({ kind: Type.Literal('percentage'), percent: Percent }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('amount_off'),
      amount_vnd: PositiveVnd,
      /** `each`: per unit (per weighted line); `across`: once, spread over the targeted lines. */
      allocation: Type.Union([Type.Literal('each'), Type.Literal('across')]),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('fixed_price'), unit_price_vnd: Vnd }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('buy_x_get_y'),
      buy: Type.Integer({ minimum: 1, maximum: 1000 }),
      get: Type.Integer({ minimum: 1, maximum: 1000 }),
      /** 100: the rewarded units are free. */
      percent: Percent,
      /** Rewarded units from these products (default: the target's). */
      get_target: Type.Optional(Target),
      max_applications: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('tiered'),
      measure: Type.Union([Type.Literal('quantity'), Type.Literal('grams')]),
      tiers: Type.Array(Tier, { minItems: 1, maxItems: 20 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('delivery'),
      percent: Type.Optional(Percent),
      amount_vnd: Type.Optional(PositiveVnd),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('near_expiry'),
      within_days: Type.Integer({ minimum: 0, maximum: 60 }),
      /** e.g. 20 % with 3 days left, 40 % with 1 day left: the smallest `days_left` ≥ the lot's wins. */
      schedule: Type.Array(
        Type.Object(
          { days_left: Type.Integer({ minimum: 0, maximum: 60 }), percent: Percent },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 20 },
      ),
    },
    { additionalProperties: false },
  ),
]);
export type Discount = Static<typeof Discount>;

export const Conditions = Type.Object(
  {
    min_order_value_vnd: Type.Optional(PositiveVnd),
    min_quantity: Type.Optional(Count),
    first_order: Type.Optional(Type.Boolean()),
    staff: Type.Optional(Type.Boolean()),
    dietary: Type.Optional(
      Type.Array(literals(DIETARY), { minItems: 1, maxItems: DIETARY.length, uniqueItems: true }),
    ),
  },
  { additionalProperties: false },
);

/** A promotion as staff write it (the id comes from the path on PUT). */
export const PromotionBody = Type.Object(
  {
    name: Bilingual(120),
    /** The badge customers see, e.g. `20% off` / `Giảm 20%`. */
    label: Bilingual(60),
    status: literals(['draft', 'active', 'paused', 'ended'] as const),
    /** Only with a coupon code (codes are created under /promotions/{id}/coupons). */
    requires_coupon: Type.Optional(Type.Boolean()),
    /** Instants with an offset; staff write Vietnam time as `+07:00`. */
    starts_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    ends_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    target: Target,
    discount: Discount,
    conditions: Type.Optional(Conditions),
    per_customer_limit: Type.Optional(Type.Union([Count, Type.Null()])),
    global_limit: Type.Optional(Type.Union([Count, Type.Null()])),
    /** Higher first; ties by id. */
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    /** Never combined with another promotion. */
    exclusive: Type.Optional(Type.Boolean()),
    /** Within a group only the best one for the customer applies. */
    stack_group: Type.Optional(Type.Union([Slug, Type.Null()])),
  },
  { additionalProperties: false },
);
export type PromotionBody = Static<typeof PromotionBody>;

export const CreatePromotionBody = Type.Object(
  { id: PromotionId, ...PromotionBody.properties },
  { additionalProperties: false },
);
export type CreatePromotionBody = Static<typeof CreatePromotionBody>;

export const CouponBody = Type.Object(
  {
    code: CouponCode,
    /** Omitted or null: as many uses as the promotion's limits allow. */
    max_uses: Type.Optional(Type.Union([Count, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CouponBody = Static<typeof CouponBody>;

export const CouponBatchBody = Type.Object(
  {
    /** Codes read `PREFIX-XXXX-XXXX`. */
    prefix: Type.String({ pattern: '^[A-Za-z0-9]{1,12}$' }),
    count: Type.Integer({ minimum: 1, maximum: MAX_BATCH }),
  },
  { additionalProperties: false },
);
export type CouponBatchBody = Static<typeof CouponBatchBody>;

export const VatRatesBody = Type.Object(
  {
    rates: Type.Array(
      Type.Object(
        {
          category: Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,31}$' }),
          /** Basis points: 800 = 8 %. */
          rate_bp: Type.Integer({ minimum: 0, maximum: 10_000 }),
          from: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
          until: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
          exempt: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type VatRatesBody = Static<typeof VatRatesBody>;

export const QuoteBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          sku: Type.String({ pattern: SKU_PATTERN }),
          /** Pieces; for an item sold by weight, pieces of its nominal weight. */
          qty: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          /** Items sold by weight: the weight asked for instead of pieces. */
          grams: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          /** Items sold by weight: the weight picked (the final price, not an estimate). */
          picked_grams: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_QUOTE_LINES },
    ),
    /** The store or warehouse the order is served from (near-expiry lots must be there). */
    location: Type.Optional(Type.String({ pattern: LOCATION_PATTERN })),
    customer: Type.Optional(
      Type.Object(
        {
          id: Type.Optional(
            Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
          ),
          first_order: Type.Optional(Type.Boolean()),
          staff: Type.Optional(Type.Boolean()),
          dietary: Type.Optional(
            Type.Array(literals(DIETARY), { maxItems: DIETARY.length, uniqueItems: true }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    coupon_codes: Type.Optional(Type.Array(CouponCode, { maxItems: 5 })),
    delivery_fee_vnd: Type.Optional(Vnd),
    /** Price at this instant instead of now (a cart priced for a delivery day, a refund). */
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type QuoteBody = Static<typeof QuoteBody>;

export const RedemptionBody = Type.Object(
  {
    /** Idempotency: checkout uses the order id. */
    id: Type.String({ pattern: REDEMPTION_ID_PATTERN }),
    /** The account it counts against (never an email). */
    customer_id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
    /** A coupon code, or … */
    code: Type.Optional(CouponCode),
    /** … an automatic promotion with a limit. */
    promotion_id: Type.Optional(PromotionId),
    order_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: REDEMPTION_ID_PATTERN })),
    ttl_seconds: Type.Optional(Type.Integer({ minimum: TTL_SECONDS.min, maximum: TTL_SECONDS.max })),
  },
  { additionalProperties: false },
);
export type RedemptionBody = Static<typeof RedemptionBody>;

export const IdParam = Type.Object({ id: PromotionId });
export const RedemptionIdParam = Type.Object({ id: Type.String({ pattern: REDEMPTION_ID_PATTERN }) });

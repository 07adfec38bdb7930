/**
 * The answers of the promotions API as its documents describe them: promotions (staff and public
 * views), coupons, redemptions, the VAT table and quotes. Open to new fields: clients must
 * tolerate them; parts that mirror a request body as staff wrote it (target, discount, conditions)
 * are described by their `kind` only.
 */
import { Type } from '@sinclair/typebox';

/** An instant as PostgreSQL renders it (`to_json(timestamptz)`), or `toISOString()`. */
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const Bilingual = Type.Object({ en: Type.String(), vi: Type.String() });
const Vnd = Type.Integer();
const Kind = Type.Union(
  ['percentage', 'amount_off', 'fixed_price', 'buy_x_get_y', 'tiered', 'delivery', 'near_expiry'].map((k) =>
    Type.Literal(k),
  ),
);
/** What a promotion applies to (`PromotionTargetRef`): its kind and the ids of that kind. */
const TargetView = Type.Object({ kind: Type.String() });
const Status = Type.Union(['draft', 'active', 'paused', 'ended'].map((s) => Type.Literal(s)));

/** A promotion as staff see it (`promotionView`): the definition as written plus its bookkeeping. */
export const PromotionView = Type.Object({
  id: Type.String(),
  name: Bilingual,
  label: Bilingual,
  status: Status,
  requires_coupon: Type.Optional(Type.Boolean()),
  starts_at: Type.Optional(NullableInstant),
  ends_at: Type.Optional(NullableInstant),
  target: TargetView,
  discount: Type.Object({ kind: Kind }),
  conditions: Type.Optional(Type.Object({})),
  per_customer_limit: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  global_limit: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  priority: Type.Optional(Type.Integer()),
  exclusive: Type.Optional(Type.Boolean()),
  stack_group: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  used: Type.Integer({ minimum: 0, description: 'Uses counted so far' }),
  live: Type.Boolean({ description: 'Announced as live to the other functions' }),
  version: Type.Integer({ minimum: 1 }),
  created_at: Instant,
  updated_at: Instant,
  updated_by: Type.String(),
});

/** What customers see of a live promotion (`publicView`). */
export const PublicPromotionView = Type.Object({
  id: Type.String(),
  name: Bilingual,
  label: Bilingual,
  kind: Kind,
  target: TargetView,
  starts_at: NullableInstant,
  ends_at: NullableInstant,
  min_order_value_vnd: Type.Union([Vnd, Type.Null()]),
  first_order: Type.Boolean(),
});

/** A stored coupon code (`CouponRow`). */
export const CouponView = Type.Object({
  code: Type.String(),
  promotion_id: Type.String(),
  max_uses: Type.Union([Type.Integer(), Type.Null()]),
  uses: Type.Integer({ minimum: 0 }),
  batch_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Instant,
});

/** A code just created (`createCoupon`). */
export const NewCouponView = Type.Object({
  code: Type.String(),
  promotion_id: Type.String(),
  max_uses: Type.Union([Type.Integer(), Type.Null()]),
  uses: Type.Integer({ minimum: 0 }),
});

/** A generated batch of single-use codes (`createBatch`). */
export const CouponBatchView = Type.Object({
  promotion_id: Type.String(),
  batch_id: Type.String(),
  codes: Type.Array(Type.String()),
});

/** A redemption (`RedemptionRow` without its request hash). */
export const RedemptionView = Type.Object({
  id: Type.String(),
  promotion_id: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  customer_id: Type.String(),
  order_id: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union(['reserved', 'committed', 'released', 'expired'].map((s) => Type.Literal(s))),
  expires_at: Instant,
  created_at: Instant,
  settled_at: NullableInstant,
});

/** The VAT rate table (`vatView`). */
export const VatTableView = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  updated_at: Instant,
  rates: Type.Array(
    Type.Object({
      category: Type.String(),
      rate_bp: Type.Integer({ description: 'Basis points: 800 = 8 %' }),
      from: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
      until: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
      exempt: Type.Boolean(),
    }),
  ),
});

const Reason = Type.Object({ code: Type.String(), en: Type.String(), vi: Type.String() });
const Adjustments = Type.Array(
  Type.Object({ promotion_id: Type.String(), amount_vnd: Vnd, label: Bilingual }),
);

/** A priced cart (`quoteResponse`): lines in the request's order, delivery, VAT parts and totals. */
export const QuoteView = Type.Object({
  priced_at: Instant,
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      sold_by: Type.Union([Type.Literal('piece'), Type.Literal('weight')]),
      qty: Type.Integer(),
      grams: Type.Optional(Type.Integer()),
      estimated: Type.Optional(Type.Boolean()),
      unit_price_vnd: Vnd,
      list_amount_vnd: Vnd,
      adjustments: Adjustments,
      discount_vnd: Vnd,
      total_vnd: Vnd,
      vat_rate: Type.String(),
      vat_vnd: Vnd,
    }),
  ),
  delivery: Type.Object({
    fee_vnd: Vnd,
    adjustments: Adjustments,
    discount_vnd: Vnd,
    total_vnd: Vnd,
    vat_rate: Type.String(),
    vat_vnd: Vnd,
  }),
  vat: Type.Array(
    Type.Object({
      rate: Type.String(),
      rate_bp: Type.Integer(),
      gross_vnd: Vnd,
      net_vnd: Vnd,
      vat_vnd: Vnd,
    }),
  ),
  totals: Type.Object({
    subtotal_vnd: Vnd,
    discount_vnd: Vnd,
    delivery_fee_vnd: Vnd,
    delivery_discount_vnd: Vnd,
    vat_vnd: Vnd,
    total_vnd: Vnd,
  }),
  applied: Type.Array(Type.Object({ promotion_id: Type.String(), label: Bilingual, amount_vnd: Vnd })),
  not_applied: Type.Array(Type.Object({ promotion_id: Type.String(), reason: Reason })),
  coupons: Type.Array(
    Type.Object({
      code: Type.String(),
      status: Type.Union([Type.Literal('applied'), Type.Literal('rejected')]),
      promotion_id: Type.Optional(Type.String()),
      reason: Type.Optional(Reason),
    }),
  ),
});

import { Type, type Static } from '@sinclair/typebox';
import { INT4_MAX, defineEvent } from '../contract';
import { CATEGORY_ID_PATTERN, SKU_PATTERN, literals } from '../catalog/product.v1';

/** A promotion id: a lower-case slug chosen by staff or generated, e.g. `tet-2027-rau-20`. */
export const PROMOTION_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$';
/** A coupon code as stored: upper-case letters, digits and hyphens, 3–32 characters. */
export const COUPON_CODE_PATTERN = '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$';
/** A coupon redemption id: chosen by the caller (checkout: the order id), 1–64 safe characters. */
export const REDEMPTION_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$';

/** The discount kinds a promotion can have. */
export const PROMOTION_KINDS = [
  'percentage',
  'amount_off',
  'fixed_price',
  'buy_x_get_y',
  'tiered',
  'delivery',
  'near_expiry',
] as const;

/** What a promotion applies to, as consumers need it to mark products (categories include descendants). */
export const PromotionTargetRef = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('skus'),
      skus: Type.Array(Type.String({ pattern: SKU_PATTERN }), {
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('categories'),
      categories: Type.Array(Type.String({ pattern: CATEGORY_ID_PATTERN }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('brands'),
      brands: Type.Array(
        Type.String({ minLength: 1, maxLength: 80, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
        {
          minItems: 1,
          maxItems: 100,
          uniqueItems: true,
        },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('order') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('delivery') }, { additionalProperties: false }),
]);
/** What a promotion applies to. */
export type PromotionTargetRef = Static<typeof PromotionTargetRef>;

/**
 * A promotion as the promotions function announces it: what catalog (the promoted list) and search
 * (badges, the `on_promotion` filter) need, never its rules or limits.
 */
export const PromotionAnnouncement = Type.Object(
  {
    id: Type.String({ pattern: PROMOTION_ID_PATTERN }),
    name_en: Type.String({ minLength: 1, maxLength: 120 }),
    name_vi: Type.String({ minLength: 1, maxLength: 120 }),
    /** The customer-facing badge, e.g. `20% off` / `Giảm 20%`. */
    label_en: Type.String({ minLength: 1, maxLength: 60 }),
    label_vi: Type.String({ minLength: 1, maxLength: 60 }),
    kind: literals(PROMOTION_KINDS),
    /** Only with a coupon code (not an automatic price). */
    coupon: Type.Boolean(),
    target: PromotionTargetRef,
    starts_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    ends_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    /** Increases with every change and every announcement; consumers keep the highest they have seen. */
    version: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
    at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
/** A promotion as announced. */
export type PromotionAnnouncement = Static<typeof PromotionAnnouncement>;

/** A promotion went live: it is active and its schedule has started. */
export const promotionActivated = defineEvent({
  type: 'io.tuoi.promotions.promotion.activated.v1',
  producer: 'promotions',
  description: 'A promotion is live now (active and within its schedule); data is what consumers show.',
  data: PromotionAnnouncement,
  key: (data) => data.id,
});

/** A live promotion changed (labels, targets, schedule): consumers replace what they hold. */
export const promotionChanged = defineEvent({
  type: 'io.tuoi.promotions.promotion.changed.v1',
  producer: 'promotions',
  description: 'A live promotion changed; data is the promotion after the change.',
  data: PromotionAnnouncement,
  key: (data) => data.id,
});

/** A promotion stopped being live (paused, ended, past its end, or deleted): consumers drop it. */
export const promotionEnded = defineEvent({
  type: 'io.tuoi.promotions.promotion.ended.v1',
  producer: 'promotions',
  description: 'A promotion is no longer live; consumers drop it (versions at or below `version`).',
  data: Type.Object(
    {
      id: Type.String({ pattern: PROMOTION_ID_PATTERN }),
      reason: literals(['paused', 'ended', 'expired', 'deleted'] as const),
      version: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
      at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.id,
});

/** A redemption (a coupon code, or a use of a limited automatic promotion) was committed. */
export const couponRedeemed = defineEvent({
  type: 'io.tuoi.promotions.coupon.redeemed.v1',
  producer: 'promotions',
  description: 'A coupon redemption was committed; its use now counts for good.',
  data: Type.Object(
    {
      redemption_id: Type.String({ pattern: REDEMPTION_ID_PATTERN }),
      promotion_id: Type.String({ pattern: PROMOTION_ID_PATTERN }),
      /** Null for a limited automatic promotion (no code). */
      code: Type.Union([Type.String({ pattern: COUPON_CODE_PATTERN }), Type.Null()]),
      customer_id: Type.String({ minLength: 1, maxLength: 128 }),
      order_id: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
      at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.redemption_id,
});

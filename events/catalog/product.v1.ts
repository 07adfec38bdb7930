import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { INT4_MAX, defineEvent } from '../contract';

/** Stock-keeping unit: upper-case letters, digits and hyphens, 3–32 characters, e.g. `TU-004217`. */
export const SKU_PATTERN = '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$';
/** Category id: a lower-case slug, e.g. `rau-la`. */
export const CATEGORY_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$';

/** Units of measure a product is sold in. */
export const UNITS = ['kg', 'g', 'l', 'ml', 'piece', 'pack'] as const;
/** Dietary labels a product can carry (all-of filter in listings and search). */
export const DIETARY = [
  'vegan',
  'vegetarian',
  'gluten-free',
  'halal',
  'organic',
  'lactose-free',
  'sugar-free',
  'nut-free',
] as const;
/** Lifecycle of a product; only `active` products are listed and searchable. */
export const PRODUCT_STATUSES = ['active', 'draft', 'discontinued'] as const;

/**
 * Vietnam VAT categories of a product (rates are effective-dated by whoever prices, not here):
 * `VAT5` fresh or unprocessed produce, meat, fish, eggs, clean water; `VAT10_REDUCIBLE` processed
 * or packaged food, drinks, household goods (8 % until 31 Dec 2026); `VAT10_EXCLUDED` goods under
 * special consumption tax (beer, wine, spirits, tobacco: 10 %, no cut); `EXEMPT` not taxed.
 */
export const TAX_CATEGORIES = ['VAT5', 'VAT10_REDUCIBLE', 'VAT10_EXCLUDED', 'EXEMPT'] as const;
/** One VAT category. */
export type TaxCategory = (typeof TAX_CATEGORIES)[number];
/**
 * The tax category of a product that has none: what the catalog stores by default, and what
 * consumers assume for a product event published before the field existed.
 */
export const DEFAULT_TAX_CATEGORY: TaxCategory = 'VAT10_REDUCIBLE';

/** A union of string literals, e.g. the allowed units. */
export function literals<T extends string>(values: readonly T[]): TUnion<TLiteral<T>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

/** One category on a product's path from the root, with both names. */
export const CategoryRef = Type.Object(
  {
    id: Type.String({ pattern: CATEGORY_ID_PATTERN }),
    name_en: Type.String({ minLength: 1, maxLength: 80 }),
    name_vi: Type.String({ minLength: 1, maxLength: 80 }),
  },
  { additionalProperties: false },
);
/** One category on a product's path. */
export type CategoryRef = Static<typeof CategoryRef>;

/**
 * A product as the catalog publishes it: every field a consumer (search, cart, recommendations)
 * needs, including its category path (root → leaf) so consumers never read the catalog's tables.
 */
export const ProductSnapshot = Type.Object(
  {
    sku: Type.String({ pattern: SKU_PATTERN }),
    name_en: Type.String({ minLength: 1, maxLength: 200 }),
    name_vi: Type.String({ minLength: 1, maxLength: 200 }),
    description_en: Type.String({ maxLength: 4000 }),
    description_vi: Type.String({ maxLength: 4000 }),
    category_path: Type.Array(CategoryRef, { minItems: 1, maxItems: 8 }),
    brand: Type.String({ minLength: 1, maxLength: 80 }),
    manufacturer: Type.String({ maxLength: 120 }),
    unit: literals(UNITS),
    /** How many units one item holds, e.g. 500 (g), 1.5 (l), 6 (pack). */
    size: Type.Number({ exclusiveMinimum: 0, maximum: 100000 }),
    sold_by: Type.Union([Type.Literal('piece'), Type.Literal('weight')]),
    /** Integer VND per item (for weighted items: the estimate for the nominal weight). */
    price_vnd: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    price_per_kg_vnd: Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000_000 }), Type.Null()]),
    nominal_weight_g: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]),
    dietary: Type.Array(literals(DIETARY), { maxItems: DIETARY.length, uniqueItems: true }),
    tags: Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' }), {
      maxItems: 20,
      uniqueItems: true,
    }),
    is_perishable: Type.Boolean(),
    shelf_life_days: Type.Union([Type.Integer({ minimum: 0, maximum: 3650 }), Type.Null()]),
    /**
     * The product's VAT category. The catalog always sends it; optional so that events published
     * before it existed stay valid (read a missing one as `DEFAULT_TAX_CATEGORY`).
     */
    tax_category: Type.Optional(literals(TAX_CATEGORIES)),
    image_urls: Type.Array(Type.String({ format: 'uri', maxLength: 500 }), { maxItems: 10 }),
    status: literals(PRODUCT_STATUSES),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    /** Increases by one with every change; consumers keep the highest they have seen. */
    version: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
  },
  { additionalProperties: false },
);
/** A product as published by the catalog. */
export type ProductSnapshot = Static<typeof ProductSnapshot>;

/** A new product (or a deleted SKU created again). */
export const productCreated = defineEvent({
  type: 'io.tuoi.catalog.product.created.v1',
  producer: 'catalog',
  description: 'A product was created; data is the full product.',
  data: ProductSnapshot,
  key: (data) => data.sku,
});

/** Any change to a product, including its status (draft, discontinued). */
export const productUpdated = defineEvent({
  type: 'io.tuoi.catalog.product.updated.v1',
  producer: 'catalog',
  description: 'A product changed; data is the full product after the change.',
  data: ProductSnapshot,
  key: (data) => data.sku,
});

/** A product was removed from the catalog. */
export const productDeleted = defineEvent({
  type: 'io.tuoi.catalog.product.deleted.v1',
  producer: 'catalog',
  description: 'A product was deleted; consumers drop it (versions at or below `version`).',
  data: Type.Object(
    {
      sku: Type.String({ pattern: SKU_PATTERN }),
      version: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
      deleted_at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.sku,
});

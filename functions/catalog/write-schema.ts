/**
 * The JSON shape of a product write (create, replace, merge patch, one import row), checked by
 * TypeBox before the cross-field rules of domain.ts. Unknown fields are rejected. Field names follow
 * the CSV import columns (csv.ts), so a JSON import and a CSV import describe products alike.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  CATEGORY_ID_PATTERN,
  DIETARY,
  PRODUCT_STATUSES,
  SKU_PATTERN,
  TAX_CATEGORIES,
  UNITS,
  literals,
} from '../../events';

/** A line of text without control characters (names, brand). */
const LINE = '^[^\\u0000-\\u001f\\u007f]*$';
/** A tag: lower-case slug, as in the product contract. */
export const TAG_PATTERN = '^[a-z0-9][a-z0-9-]{0,39}$';
/** Shop-window images are served over http(s) only (no data:, javascript: or file: URLs). */
const IMAGE_URL = Type.String({ format: 'uri', pattern: '^https?://[^\\s]+$', maxLength: 500 });

const line = (min: number, max: number) => Type.String({ minLength: min, maxLength: max, pattern: LINE });
const nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

/** The writable fields, every one optional here; `ProductWrite` makes the required ones required. */
const fields = {
  name_en: line(1, 200),
  name_vi: line(1, 200),
  description_en: Type.Optional(Type.String({ maxLength: 4000 })),
  description_vi: Type.Optional(Type.String({ maxLength: 4000 })),
  /** The leaf category id; the product's category path is derived from the category tree. */
  category: Type.String({ pattern: CATEGORY_ID_PATTERN }),
  brand: line(1, 80),
  manufacturer: Type.Optional(line(0, 120)),
  unit: literals(UNITS),
  size: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
  sold_by: Type.Union([Type.Literal('piece'), Type.Literal('weight')]),
  /** Required when sold by piece; derived (and, if given, checked) when sold by weight. */
  price_vnd: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  price_per_kg_vnd: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 1_000_000_000 }))),
  nominal_weight_g: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))),
  dietary: Type.Optional(Type.Array(literals(DIETARY), { maxItems: DIETARY.length, uniqueItems: true })),
  tags: Type.Optional(Type.Array(Type.String({ pattern: TAG_PATTERN }), { maxItems: 20, uniqueItems: true })),
  is_perishable: Type.Boolean(),
  shelf_life_days: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 3650 }))),
  /** The VAT category; left out, a write stores `VAT10_REDUCIBLE` (domain.ts `normalizeWrite`). */
  tax_category: Type.Optional(literals(TAX_CATEGORIES)),
  image_urls: Type.Optional(Type.Array(IMAGE_URL, { maxItems: 10, uniqueItems: true })),
  status: Type.Optional(literals(PRODUCT_STATUSES)),
};

/** A create (or import row): the SKU is part of the body. */
export const ProductWrite = Type.Object(
  { sku: Type.String({ pattern: SKU_PATTERN }), ...fields },
  { additionalProperties: false },
);
/** A product write as validated. */
export type ProductWrite = Static<typeof ProductWrite>;

/** A full replace (PUT) or the result of a merge patch: the SKU comes from the path. */
export const ProductReplace = Type.Object(
  { sku: Type.Optional(Type.String({ pattern: SKU_PATTERN })), ...fields },
  { additionalProperties: false },
);
/** A replace as validated. */
export type ProductReplace = Static<typeof ProductReplace>;

/** Names of the writable fields (for merge patches and the unknown-field check). */
export const WRITABLE_FIELDS: readonly string[] = ['sku', ...Object.keys(fields)];

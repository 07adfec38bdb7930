/**
 * Pure rules of the catalog: the cross-field rules of a product write (weighted items, perishables),
 * what a write does to the stored product (create, update, no-op, conflict), merge patches, the
 * published snapshot, and the conditional-request tags. No clock, no database: callers pass both in.
 */
import {
  DEFAULT_TAX_CATEGORY,
  type CategoryRef,
  type DIETARY,
  type PRODUCT_STATUSES,
  type ProductSnapshot,
  type TaxCategory,
  type UNITS,
} from '../../events';
import type { FieldError } from '../shared/errors';
import type { ProductReplace, ProductWrite } from './write-schema';

/** The writable fields of a product after normalisation: what the catalog stores and compares. */
export interface ProductFields {
  sku: string;
  name_en: string;
  name_vi: string;
  description_en: string;
  description_vi: string;
  category_id: string;
  brand: string;
  manufacturer: string;
  unit: (typeof UNITS)[number];
  size: number;
  sold_by: 'piece' | 'weight';
  price_vnd: number;
  price_per_kg_vnd: number | null;
  nominal_weight_g: number | null;
  dietary: (typeof DIETARY)[number][];
  tags: string[];
  is_perishable: boolean;
  shelf_life_days: number | null;
  tax_category: TaxCategory;
  image_urls: string[];
  status: (typeof PRODUCT_STATUSES)[number];
}

/** A product row: its fields plus lifecycle and the projections kept beside it. */
export interface StoredProduct extends ProductFields {
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  in_stock: boolean;
  expires_soon: boolean;
}

/** Units a product sold by weight may be measured in. */
export const WEIGHT_UNITS: readonly string[] = ['kg', 'g'];

/** Estimated price of a weighted item: price per kg × nominal weight, rounded to the đồng. */
export function derivedPrice(pricePerKg: number, nominalWeightG: number): number {
  return Math.round((pricePerKg * nominalWeightG) / 1000);
}

/** The outcome of the cross-field rules. */
export type Normalized = { ok: true; fields: ProductFields } | { ok: false; errors: FieldError[] };

const text = (s: string | undefined) => (s ?? '').normalize('NFC').trim();

/**
 * Applies the rules a schema cannot express and fills defaults: text trimmed and NFC-normalised;
 * sold by weight ⇒ unit kg|g, per-kg price and nominal weight required, price derived (a given
 * price must equal it); sold by piece ⇒ no per-kg fields, price required; perishable ⇒ shelf life ≥ 1;
 * no tax category ⇒ `DEFAULT_TAX_CATEGORY`, like any optional field a full write leaves out.
 */
export function normalizeWrite(sku: string, input: ProductReplace | ProductWrite): Normalized {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string, message: string) =>
    errors.push({ field: `/${field}`, code, message });
  const name_en = text(input.name_en);
  const name_vi = text(input.name_vi);
  const brand = text(input.brand);
  if (!name_en) fail('name_en', 'minLength', 'must not be blank');
  if (!name_vi) fail('name_vi', 'minLength', 'must not be blank');
  if (!brand) fail('brand', 'minLength', 'must not be blank');

  const perKg = input.price_per_kg_vnd ?? null;
  const weight = input.nominal_weight_g ?? null;
  let price = input.price_vnd;
  if (input.sold_by === 'weight') {
    if (!WEIGHT_UNITS.includes(input.unit))
      fail('unit', 'rule', `a product sold by weight is measured in kg or g, not ${input.unit}`);
    if (perKg === null) fail('price_per_kg_vnd', 'required', 'required for a product sold by weight');
    if (weight === null) fail('nominal_weight_g', 'required', 'required for a product sold by weight');
    if (perKg !== null && weight !== null) {
      const derived = derivedPrice(perKg, weight);
      if (derived > 1_000_000_000) fail('price_vnd', 'maximum', 'the derived price exceeds 1,000,000,000');
      else if (price !== undefined && price !== derived)
        fail(
          'price_vnd',
          'derived',
          `must be ${derived} (price_per_kg_vnd × nominal_weight_g / 1000, rounded) or left out`,
        );
      price = derived;
    }
  } else {
    if (perKg !== null) fail('price_per_kg_vnd', 'rule', 'only for products sold by weight');
    if (weight !== null) fail('nominal_weight_g', 'rule', 'only for products sold by weight');
    if (price === undefined) fail('price_vnd', 'required', 'required for a product sold by piece');
  }
  const shelfLife = input.shelf_life_days ?? null;
  if (input.is_perishable && (shelfLife === null || shelfLife < 1))
    fail('shelf_life_days', 'required', 'a perishable product needs a shelf life of at least 1 day');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      sku,
      name_en,
      name_vi,
      description_en: text(input.description_en),
      description_vi: text(input.description_vi),
      category_id: input.category,
      brand,
      manufacturer: text(input.manufacturer),
      unit: input.unit,
      size: input.size,
      sold_by: input.sold_by,
      price_vnd: price ?? 0,
      price_per_kg_vnd: perKg,
      nominal_weight_g: weight,
      dietary: [...(input.dietary ?? [])],
      tags: [...(input.tags ?? [])],
      is_perishable: input.is_perishable,
      shelf_life_days: shelfLife,
      tax_category: input.tax_category ?? DEFAULT_TAX_CATEGORY,
      image_urls: [...(input.image_urls ?? [])],
      status: input.status ?? 'active',
    },
  };
}

/**
 * The stored fields as a write body (the base a merge patch applies to). The price of a weighted
 * item is left out, so it is derived again from whatever the patch changes.
 */
export function toWritable(f: ProductFields): Record<string, unknown> {
  const out: Record<string, unknown> = {
    sku: f.sku,
    name_en: f.name_en,
    name_vi: f.name_vi,
    description_en: f.description_en,
    description_vi: f.description_vi,
    category: f.category_id,
    brand: f.brand,
    manufacturer: f.manufacturer,
    unit: f.unit,
    size: f.size,
    sold_by: f.sold_by,
    dietary: [...f.dietary],
    tags: [...f.tags],
    is_perishable: f.is_perishable,
    tax_category: f.tax_category,
    image_urls: [...f.image_urls],
    status: f.status,
  };
  if (f.sold_by === 'piece') out.price_vnd = f.price_vnd;
  if (f.price_per_kg_vnd !== null) out.price_per_kg_vnd = f.price_per_kg_vnd;
  if (f.nominal_weight_g !== null) out.nominal_weight_g = f.nominal_weight_g;
  if (f.shelf_life_days !== null) out.shelf_life_days = f.shelf_life_days;
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge member by member, `null` removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

const FIELD_NAMES: (keyof ProductFields)[] = [
  'sku',
  'name_en',
  'name_vi',
  'description_en',
  'description_vi',
  'category_id',
  'brand',
  'manufacturer',
  'unit',
  'size',
  'sold_by',
  'price_vnd',
  'price_per_kg_vnd',
  'nominal_weight_g',
  'dietary',
  'tags',
  'is_perishable',
  'shelf_life_days',
  'tax_category',
  'image_urls',
  'status',
];

/** True when two products have the same writable fields (lists compared in order). */
export function sameFields(a: ProductFields, b: ProductFields): boolean {
  return FIELD_NAMES.every((k) => {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
    return x === y;
  });
}

/** How a write was asked for: create (POST), replace (PUT/PATCH) or upsert (import). */
export type WriteMode = 'create' | 'replace' | 'upsert';

/** What a write does to the stored product. */
export type WritePlan =
  | { kind: 'create'; version: number }
  | { kind: 'update'; version: number }
  | { kind: 'unchanged' }
  | { kind: 'conflict' }
  | { kind: 'missing' };

/**
 * Decides a write against the current row (deleted rows included). A deleted SKU may be created
 * again and continues its version; an identical write is a no-op (no version, no event).
 */
export function planWrite(
  existing: StoredProduct | undefined,
  next: ProductFields,
  mode: WriteMode,
): WritePlan {
  const live = existing !== undefined && existing.deleted_at === null;
  if (!live) {
    if (mode === 'replace') return { kind: 'missing' };
    return { kind: 'create', version: existing ? existing.version + 1 : 1 };
  }
  if (mode === 'create') return { kind: 'conflict' };
  if (sameFields(existing, next)) return { kind: 'unchanged' };
  return { kind: 'update', version: existing.version + 1 };
}

/** The published snapshot of a stored product, given its category path (root → leaf) with names. */
export function toSnapshot(p: StoredProduct, categoryPath: CategoryRef[]): ProductSnapshot {
  return {
    sku: p.sku,
    name_en: p.name_en,
    name_vi: p.name_vi,
    description_en: p.description_en,
    description_vi: p.description_vi,
    category_path: categoryPath.map((c) => ({ id: c.id, name_en: c.name_en, name_vi: c.name_vi })),
    brand: p.brand,
    manufacturer: p.manufacturer,
    unit: p.unit,
    size: p.size,
    sold_by: p.sold_by,
    price_vnd: p.price_vnd,
    price_per_kg_vnd: p.price_per_kg_vnd,
    nominal_weight_g: p.nominal_weight_g,
    dietary: [...p.dietary],
    tags: [...p.tags],
    is_perishable: p.is_perishable,
    shelf_life_days: p.shelf_life_days,
    tax_category: p.tax_category,
    image_urls: [...p.image_urls],
    status: p.status,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
    version: p.version,
  };
}

/** The entity tag of one product view: version, language and stock flags all change the body. */
export function productEtag(
  sku: string,
  version: number,
  lang: 'en' | 'vi',
  flags: { in_stock: boolean; expires_soon: boolean },
): string {
  return `"${sku}-${version}-${lang}-s${flags.in_stock ? 1 : 0}e${flags.expires_soon ? 1 : 0}"`;
}

/** The entity tags listed in an If-Match / If-None-Match header (weak prefixes dropped). */
export function listedTags(header: string): string[] {
  return (header.match(/(?:W\/)?"[^"]*"|\*/g) ?? []).map((t) => t.replace(/^W\//, ''));
}

/**
 * Whether If-Match holds for a product at `version`. Any tag this catalog issued for the same
 * version matches whatever its language and stock flags: those change the view, not the product,
 * and must not make a staff edit fail. `*` matches any existing product.
 */
export function ifMatchHolds(header: string, sku: string, version: number): boolean {
  return listedTags(header).some((tag) => {
    if (tag === '*') return true;
    const inner = tag.slice(1, -1);
    if (!inner.startsWith(`${sku}-`)) return false;
    return inner.slice(sku.length + 1).split('-')[0] === String(version);
  });
}

/** Whether If-None-Match matches `etag` (weak comparison, as RFC 9110 asks for this header). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return listedTags(header).some((t) => t === '*' || t === etag);
}

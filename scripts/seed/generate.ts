/**
 * A deterministic generator of a realistic bilingual grocery catalog for dev data, benchmarks and
 * search relevance tests. Every product is one combination (brand × size × pack × variant options)
 * of a base item of the vocabulary; the catalog is spread over departments like a Vietnamese
 * supermarket's. Same seed and count → byte-for-byte the same output (no Math.random, no clock).
 */
import { DIETARY, type ProductSnapshot } from '../../events/catalog/product.v1';
import { allocate, department } from './allocate';
import { BRAND_PRICE, BRANDS, type CountryCode } from './brands';
import { categories, pathTo, type SeedCategory } from './categories';
import { labelsFor, type Choice } from './naming';
import { below, hash01, lazyPermutation, mulberry32, shuffle, type Rng } from './random';
import { taxCategoryOf } from './tax';
import type { Dietary, Storage } from './types';
import { vocabulary, type BaseItem } from './vocabulary';

/** A generated product: the ProductSnapshot fields the generator owns, plus its leaf category and age. */
export type SeedProduct = Omit<ProductSnapshot, 'category_path' | 'created_at' | 'updated_at' | 'version'> & {
  /** Leaf category id. */
  category: string;
  /** Days between creation and "now" (0–720), so sorting by newest is meaningful. */
  created_days_ago: number;
};

/** Options of {@link generateCatalog}. */
export interface GenerateOptions {
  count?: number;
  seed?: number;
}

/** Share of a 'may' dietary label's (item, brand) pairs that carry it. */
const MAY_LABEL_SHARE = 0.12;
const TET_DEPARTMENTS = new Set(['banh-keo', 'bia-ruou', 'do-uong']);

/** What depends only on (item, brand): where in the item's price range the brand sits, its labels. */
interface BrandFacts {
  priceFactor: number;
  pricePosition: number;
  diet: Dietary[];
  origin: CountryCode;
  manufacturer: string;
}

const brandFacts = new Map<BaseItem, BrandFacts[]>();

function factsFor(item: BaseItem, brandIndex: number): BrandFacts {
  let facts = brandFacts.get(item);
  if (!facts) {
    facts = item.brands.map(({ brand, label }) => ({
      priceFactor: BRAND_PRICE[brand] ?? 1,
      pricePosition: hash01(`${item.key}|${label}`),
      diet: [...item.diet, ...item.may.filter((d) => hash01(`${item.key}|${brand}|${d}`) < MAY_LABEL_SHARE)],
      origin: item.origin ?? BRANDS[brand]?.[1] ?? 'vn',
      manufacturer: BRANDS[brand]?.[0] ?? brand,
    }));
    brandFacts.set(item, facts);
  }
  const f = facts[brandIndex];
  if (!f) throw new Error(`no brand ${brandIndex} for ${item.key}`);
  return f;
}

const CASES = [6, 12, 24];

/** A case of 48 × 180 ml is a case of 12 × 1 l: cases of bigger sizes hold as many litres, in a stock case size. */
function scaledPack(item: BaseItem, size: BaseItem['sizes'][number], pack: number): number {
  const first = item.sizes[0]?.base ?? size.base;
  if (pack < 12 || size.base <= first) return pack;
  const units = (pack * first) / size.base;
  return CASES.find((c) => c >= units) ?? 24;
}

/** Decodes combination `index` of an item (mixed radix: brand, size, pack, then each variant group). */
function decode(item: BaseItem, index: number): Choice & { brandIndex: number } {
  let rest = index;
  const digit = (radix: number): number => {
    const d = rest % radix;
    rest = Math.floor(rest / radix);
    return d;
  };
  const brandIndex = digit(item.brands.length);
  const brand = item.brands[brandIndex];
  const size = item.sizes[digit(item.sizes.length)];
  const packIndex = digit(item.packs.length + 1);
  const options = item.groups.map((g) => g[digit(g.length)]);
  if (!brand || !size || options.some((o) => !o)) throw new Error(`bad combination ${index} of ${item.key}`);
  const pack = scaledPack(item, size, packIndex === 0 ? 0 : (item.packs[packIndex - 1] ?? 0));
  return { item, brand, brandIndex, size, pack, options: options as Choice['options'] };
}

const roundTo = (value: number, step: number): number => Math.max(step, Math.round(value / step) * step);

/** One product for a combination; sku, status, age and per-product tags are filled in later. */
function build(c: Choice & { brandIndex: number }, rng: Rng): SeedProduct {
  const { item, brand, size, pack, options } = c;
  const facts = factsFor(item, c.brandIndex);
  let storage: Storage = item.storage;
  let shelf = item.shelf;
  let origin = facts.origin;
  let multiplier = 1;
  let diet: Dietary[] = facts.diet;
  for (const [, , extra] of options) {
    if (!extra) continue;
    multiplier *= extra.price ?? 1;
    if (extra.storage) storage = extra.storage;
    if (extra.shelf !== undefined && shelf !== null) shelf = extra.shelf;
    if (extra.origin) origin = extra.origin;
    if (extra.diet) diet = [...diet, ...extra.diet];
  }
  if (diet.includes('vegan')) diet = [...diet, 'vegetarian'];

  const base = (item.lo + (item.hi - item.lo) * facts.pricePosition) * facts.priceFactor;
  const jitter = 0.96 + rng() * 0.08;
  let price_vnd: number;
  let price_per_kg_vnd: number | null = null;
  let nominal_weight_g: number | null = null;
  if (item.byKg) {
    price_per_kg_vnd = roundTo(base * multiplier * jitter, 1000);
    nominal_weight_g = size.base;
    price_vnd = Math.round((price_per_kg_vnd * nominal_weight_g) / 1000);
  } else {
    const first = item.sizes[0]?.base ?? size.base;
    let p = base * multiplier * jitter * (size.base / first) ** 0.85;
    if (pack > 0) p *= pack * (pack >= 12 ? 0.9 : 0.95);
    price_vnd = roundTo(p, p < 20_000 ? 100 : 500);
  }

  const tags = [origin === 'vn' ? 'local' : 'imported', ...item.tags];
  const largest = item.sizes.length >= 3 && size === item.sizes[item.sizes.length - 1];
  if (pack >= 6 || largest || size.base >= 5000) tags.push('family-size');
  if (TET_DEPARTMENTS.has(department.get(item.leaf) ?? '') && rng() < 0.06 && !tags.includes('tet'))
    tags.push('tet');

  const labels = labelsFor(c, origin, storage, shelf);
  return {
    sku: '',
    name_en: labels.name_en,
    name_vi: labels.name_vi,
    description_en: labels.description_en,
    description_vi: labels.description_vi,
    category: item.leaf,
    brand: brand.brand,
    manufacturer: facts.manufacturer,
    unit: pack > 0 ? 'pack' : size.unit,
    size: pack > 0 ? pack : size.size,
    sold_by: item.byKg ? 'weight' : 'piece',
    price_vnd,
    price_per_kg_vnd,
    nominal_weight_g,
    dietary: DIETARY.filter((d) => diet.includes(d)),
    tags,
    is_perishable: shelf !== null && shelf <= 30 && storage !== 'frozen' && storage !== 'nonfood',
    shelf_life_days: shelf,
    tax_category: taxCategoryOf(item.leaf),
    image_urls: [],
    status: 'active',
    created_days_ago: 0,
  };
}

/** Generates `count` products over the seed category tree; deterministic for a given seed and count. */
export function generateCatalog({ count = 50_000, seed = 20261122 }: GenerateOptions = {}): {
  categories: SeedCategory[];
  products: SeedProduct[];
} {
  const rng = mulberry32(seed);
  const quota = allocate(vocabulary, count);
  // Combinations 0 … brands-1 are each brand's plain product (first size, single, first options):
  // drawn first, so every brand of an item has its everyday product before any variant.
  const samplers = vocabulary.map((item) => lazyPermutation(rng, item.capacity, item.brands.length));
  const seenVi = new Set<string>();
  const seenEn = new Set<string>();
  const made: SeedProduct[] = [];
  const take = (k: number): boolean => {
    const item = vocabulary[k];
    const next = samplers[k];
    if (!item || !next) return false;
    for (let index = next(); index !== null; index = next()) {
      const product = build(decode(item, index), rng);
      if (seenVi.has(product.name_vi) || seenEn.has(product.name_en)) continue;
      seenVi.add(product.name_vi);
      seenEn.add(product.name_en);
      made.push(product);
      return true;
    }
    return false;
  };
  quota.forEach((n, k) => {
    for (let i = 0; i < n; i++) if (!take(k)) break;
  });
  // Names that collided leave a few short; top up round-robin from items with combinations left.
  for (let progress = true; made.length < count && progress;) {
    progress = false;
    for (let k = 0; k < vocabulary.length && made.length < count; k++) if (take(k)) progress = true;
  }
  // SKUs follow creation order (oldest first); the shuffle spreads departments over the SKU range.
  const products = shuffle(rng, made.slice(0, count));
  for (const p of products) p.created_days_ago = below(rng, 721);
  products.sort((a, b) => b.created_days_ago - a.created_days_ago);
  products.forEach((p, i) => {
    p.sku = `TU-${String(i + 1).padStart(6, '0')}`;
    p.image_urls = [`https://img.tuoi.vn/p/${p.sku}.jpg`];
    const r = rng();
    p.status = r < 0.97 ? 'active' : r < 0.99 ? 'draft' : 'discontinued';
    if (p.created_days_ago <= 30) p.tags.push('new');
    if (rng() < 0.03) p.tags.push('best-seller');
    if (rng() < 0.01) p.tags.push('promoted');
  });
  return { categories: categories.map((c) => ({ ...c })), products };
}

/**
 * Synthetic units sold over the last 7 days per SKU: Zipf-like over a seeded ranking (best-sellers
 * first), so a few products sell hundreds, most a handful and many none; inactive products sell 0.
 */
export function generateSales(
  products: readonly SeedProduct[],
  { seed = 20261122 }: { seed?: number } = {},
): Map<string, number> {
  const rng = mulberry32(seed ^ 0x5eed5a1e);
  const best = products.map((p) => p.tags.includes('best-seller'));
  const order = shuffle(
    rng,
    products.map((_, i) => i),
  ).sort((a, b) => Number(best[b] ?? false) - Number(best[a] ?? false));
  const sales = new Map<string, number>();
  order.forEach((i, rank) => {
    const p = products[i];
    if (!p) return;
    const expected = 1500 / (rank + 1) ** 0.85;
    sales.set(p.sku, p.status === 'active' ? Math.floor(expected * 2 * rng()) : 0);
  });
  return sales;
}

/** The full ProductSnapshot of a seed product, given "now" (ISO) for created_at/updated_at. */
export function toSnapshot(
  p: SeedProduct,
  nowIso: string,
  all: readonly SeedCategory[] = categories,
): ProductSnapshot {
  const { category, created_days_ago, ...rest } = p;
  const created = new Date(Date.parse(nowIso) - created_days_ago * 86_400_000).toISOString();
  return {
    ...rest,
    category_path: pathTo(category, all).map(({ id, name_en, name_vi }) => ({ id, name_en, name_vi })),
    created_at: created,
    updated_at: created,
    version: 1,
  };
}

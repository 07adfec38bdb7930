/**
 * The seed vocabulary: base grocery items per leaf category in Vietnamese and English, resolved
 * from the data tables (vocab-*.ts, variants.ts, brands.ts) into ready-to-combine items. Loading
 * this module checks the tables and throws on a mistake, so a bad edit fails every test at once.
 */
import { BRANDS, type CountryCode } from './brands';
import { leafIds } from './categories';
import type { Dietary, ItemRow, LeafDefaults, LeafSpec, Storage, Unit, VariantOption } from './types';
import { VARIANT_GROUPS } from './variants';
import { DAIRY_GROCERY_VOCAB } from './vocab-dairy-grocery';
import { DRINKS_SNACKS_VOCAB } from './vocab-drinks-snacks';
import { FRESH_VOCAB } from './vocab-fresh';
import { NONFOOD_VOCAB } from './vocab-nonfood';
import { PANTRY_VOCAB } from './vocab-pantry';
import { PRODUCE_VOCAB } from './vocab-produce';

/** Container words used on Vietnamese shelf labels ("lốc 4 hộp", "thùng 24 lon"). */
const CONTAINERS = new Set(
  'túi hộp khay chai lon gói hũ bịch ly tô cây lọ tuýp thanh vỉ cục lốc can bình cái thỏi'.split(' '),
);

/** One size of an item, e.g. 500 g or a box of 10 eggs. */
export interface SeedSize {
  /** Quantity in grams, millilitres or pieces (for price scaling between sizes). */
  base: number;
  dim: 'mass' | 'volume' | 'count';
  unit: Unit;
  size: number;
  labelVi: string;
  labelEn: string;
  /** Container word (Vietnamese) for multipacks of this size. */
  pkg: string;
}

/** A brand as filed (`brand`) and as printed in the product name (`label`). */
export interface SeedBrand {
  brand: string;
  label: string;
}

/** A base item with every default applied; products are combinations of its options. */
export interface BaseItem {
  key: string;
  leaf: string;
  vi: string;
  en: string;
  lo: number;
  hi: number;
  brands: SeedBrand[];
  sizes: SeedSize[];
  packs: number[];
  groups: (readonly VariantOption[])[];
  byKg: boolean;
  storage: Storage;
  shelf: number | null;
  diet: Dietary[];
  may: Dietary[];
  use: readonly [string, string] | null;
  tags: string[];
  brandFirst: boolean;
  origin: CountryCode | null;
  /** Number of distinct products the item can yield. */
  capacity: number;
}

const SPECS: readonly LeafSpec[] = [
  ...PRODUCE_VOCAB,
  ...FRESH_VOCAB,
  ...DAIRY_GROCERY_VOCAB,
  ...PANTRY_VOCAB,
  ...DRINKS_SNACKS_VOCAB,
  ...NONFOOD_VOCAB,
];

function fail(where: string, what: string): never {
  throw new Error(`seed vocabulary, ${where}: ${what}`);
}

// Names are built by concatenation only, so NFC data gives NFC names without normalising 50,000 times.
const nfc = (s: string): string => s.normalize('NFC');

const num = (n: number, lang: 'vi' | 'en'): string =>
  lang === 'vi' ? String(n).replace('.', ',') : String(n);

function singular(word: string): string {
  if (/(sh|ch|x|s)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ves')) return `${word.slice(0, -3)}f`;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

function parseSize(spec: string, d: LeafDefaults, where: string): SeedSize {
  const m = /^(\d+(?:\.\d+)?)(ml|l|g|kg|pc)(?:@(.+))?$/.exec(spec);
  if (!m) fail(where, `bad size "${spec}"`);
  const n = Number(m[1]);
  const unitWord = m[2] as 'ml' | 'l' | 'g' | 'kg' | 'pc';
  const pkg = nfc(m[3] ?? d.pkg ?? 'gói');
  if (!CONTAINERS.has(pkg)) fail(where, `unknown container "${pkg}"`);
  if (unitWord === 'pc') {
    const [cv, ce] = d.count ?? ['cái', 'pcs'];
    const withPkg = n > 1 && d.pkg !== undefined && pkg !== cv;
    return {
      base: n,
      dim: 'count',
      unit: n === 1 ? 'piece' : 'pack',
      size: n,
      labelVi: nfc(`${withPkg ? `${pkg} ` : ''}${n} ${cv}`),
      labelEn: `${n} ${n === 1 ? singular(ce) : ce}`,
      pkg,
    };
  }
  const factor = unitWord === 'l' || unitWord === 'kg' ? 1000 : 1;
  const dim = unitWord === 'g' || unitWord === 'kg' ? 'mass' : 'volume';
  return {
    base: Math.round(n * factor),
    dim,
    unit: unitWord,
    size: n,
    labelVi: `${num(n, 'vi')} ${unitWord}`,
    labelEn: `${num(n, 'en')} ${unitWord}`,
    pkg,
  };
}

/** Multipacks an item is offered in when its table says nothing: "combo 2 gói" … "combo 6 gói". */
function defaultPacks(storage: Storage): number[] {
  return storage === 'chilled' || storage === 'frozen' ? [2] : [2, 3, 6];
}

function parseBrand(spec: string, where: string): SeedBrand {
  const [brand = '', label = brand] = spec.split('|').map(nfc);
  if (!BRANDS[brand]) fail(where, `brand "${brand}" is not in BRANDS`);
  return { brand, label };
}

function resolve(leaf: string, d: LeafDefaults, row: ItemRow): BaseItem {
  const [vi, en, lo, hi, over] = row;
  const o: LeafDefaults = { ...d, ...over };
  const where = `${leaf}/${vi}`;
  if (!leafIds.has(leaf)) fail(where, 'not a leaf category');
  if (!(lo > 0 && hi >= lo)) fail(where, 'bad price range');
  const byKg = o.byKg === true;
  const sizes = o.sizes.map((s) => parseSize(s, o, where));
  if (new Set(sizes.map((s) => s.dim)).size !== 1) fail(where, 'sizes mix mass, volume and count');
  if (byKg && sizes.some((s) => s.dim !== 'mass' || s.base % 100 !== 0))
    fail(where, 'sold by weight needs sizes in whole 100 g');
  const groups = (o.vary ?? []).map((v) => {
    const g = typeof v === 'string' ? VARIANT_GROUPS[v] : v;
    if (!g || g.length === 0) fail(where, `unknown variant group "${String(v)}"`);
    return g.map(([ovi, oen, extra]): VariantOption => [nfc(ovi), oen, extra]);
  });
  const brands = o.brands.map((b) => parseBrand(b, where));
  const packs = byKg || o.storage === 'fresh' ? [] : [...(o.packs ?? defaultPacks(o.storage))];
  const capacity = groups.reduce((n, g) => n * g.length, brands.length * sizes.length * (packs.length + 1));
  const food = o.storage !== 'nonfood';
  if (food && o.shelf === undefined) fail(where, 'food needs a shelf life');
  return {
    key: `${leaf}/${nfc(vi)}`,
    leaf,
    vi: nfc(vi),
    en,
    lo,
    hi,
    brands,
    sizes,
    packs,
    groups,
    byKg,
    storage: o.storage,
    shelf: food ? (o.shelf ?? null) : null,
    diet: [...(o.diet ?? [])],
    may: [...(o.may ?? [])],
    use: o.use ? [nfc(o.use[0]), o.use[1]] : null,
    tags: [...(o.tags ?? [])],
    brandFirst: o.brandFirst === true,
    origin: o.origin ?? null,
    capacity,
  };
}

function build(): BaseItem[] {
  const items = SPECS.flatMap((spec) => spec.items.map((row) => resolve(spec.leaf, spec.d, row)));
  const seen = new Set<string>();
  for (const item of items) {
    const name = item.vi.toLowerCase();
    if (seen.has(name)) fail(item.key, `duplicate base name "${item.vi}"`);
    seen.add(name);
  }
  const covered = new Set(items.map((i) => i.leaf));
  for (const leaf of leafIds) if (!covered.has(leaf)) fail(leaf, 'leaf category without items');
  return items;
}

/** Every base item, in table order. */
export const vocabulary: readonly BaseItem[] = build();

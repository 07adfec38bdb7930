import { createHash } from 'node:crypto';
import { CATEGORY_ID_PATTERN, DIETARY, ProductSnapshot, SKU_PATTERN } from '../../events/catalog/product.v1';
import { schemaIssues } from '../../events/check';
import { categories, leafIds, pathTo } from './categories';
import { generateCatalog, generateSales, toSnapshot, type SeedProduct } from './generate';
import { vocabulary } from './vocabulary';

const NOW = '2026-11-22T00:00:00.000Z';
const sha = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const isNfc = (s: string): boolean => s === s.normalize('NFC');
const share = (items: readonly SeedProduct[], pred: (p: SeedProduct) => boolean): number =>
  items.filter(pred).length / items.length;
/** SKUs (up to 5) of products failing `ok`: one assertion instead of 50,000 keeps the suite fast. */
const failing = (items: readonly SeedProduct[], ok: (p: SeedProduct) => boolean): string[] =>
  items
    .filter((p) => !ok(p))
    .slice(0, 5)
    .map((p) => `${p.sku} ${p.name_vi}`);
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

let products: SeedProduct[];

beforeAll(() => {
  products = generateCatalog().products;
});

describe('determinism', () => {
  it('gives the same catalog for the same seed, another for another seed', () => {
    expect(sha(generateCatalog().products)).toBe(sha(products));
    const small = generateCatalog({ count: 2_000 });
    expect(generateCatalog({ count: 2_000 })).toEqual(small);
    expect(sha(generateCatalog({ count: 2_000, seed: 7 }))).not.toBe(sha(small));
  });

  it('keeps the output stable across releases (update the pin when the vocabulary changes on purpose)', () => {
    expect(sha(generateCatalog({ count: 2_000 }))).toBe(PINNED_SHA_2000);
  });
});

describe('category tree', () => {
  it('has 180–230 unique slug ids, parents before children, 2–3 levels', () => {
    expect(categories.length).toBeGreaterThanOrEqual(180);
    expect(categories.length).toBeLessThanOrEqual(230);
    const pattern = new RegExp(CATEGORY_ID_PATTERN);
    const seen = new Set<string>();
    for (const c of categories) {
      expect(c.id).toMatch(pattern);
      expect(seen.has(c.id)).toBe(false);
      if (c.parent_id !== null) expect(seen.has(c.parent_id)).toBe(true);
      seen.add(c.id);
      expect(isNfc(c.name_vi) && c.name_vi !== '' && c.name_en !== '').toBe(true);
    }
    for (const leaf of leafIds) expect([2, 3]).toContain(pathTo(leaf).length);
    const tops = categories.filter((c) => c.parent_id === null);
    expect(tops.length).toBeGreaterThanOrEqual(14);
    for (const top of tops) expect(leafIds.has(top.id)).toBe(false);
  });

  it('numbers siblings 1..n', () => {
    const byParent = new Map<string | null, number[]>();
    for (const c of categories) byParent.set(c.parent_id, [...(byParent.get(c.parent_id) ?? []), c.position]);
    for (const positions of byParent.values()) expect(positions).toEqual(positions.map((_, i) => i + 1));
  });
});

describe('vocabulary', () => {
  it('has at least 400 bilingual base items covering every leaf', () => {
    expect(vocabulary.length).toBeGreaterThanOrEqual(400);
    expect(vocabulary.filter((i) => !isNfc(i.vi) || i.vi === i.en || !i.en).map((i) => i.vi)).toEqual([]);
    expect(new Set(vocabulary.map((i) => i.leaf))).toEqual(new Set(leafIds));
  });
});

describe('50,000 products', () => {
  it('have unique SKUs TU-000001… and unique names', () => {
    expect(products).toHaveLength(50_000);
    const skuPattern = new RegExp(SKU_PATTERN);
    expect(failing(products, (p) => skuPattern.test(p.sku))).toEqual([]);
    expect(products.map((p) => p.sku).join()).toBe(
      products.map((_, i) => `TU-${String(i + 1).padStart(6, '0')}`).join(),
    );
    expect(new Set(products.map((p) => p.name_vi)).size).toBe(50_000);
    expect(new Set(products.map((p) => p.name_en)).size).toBe(50_000);
  });

  it('complete to valid ProductSnapshots filed under leaf categories', () => {
    expect(failing(products, (p) => leafIds.has(p.category))).toEqual([]);
    const bad = products
      .map((p) => ({ sku: p.sku, issues: schemaIssues(ProductSnapshot, toSnapshot(p, NOW)) }))
      .filter((r) => r.issues.length > 0);
    expect(bad.slice(0, 5)).toEqual([]);
    const snapshot = toSnapshot(products[0] as SeedProduct, NOW);
    expect(snapshot.category_path.at(-1)?.id).toBe(products[0]?.category);
    expect(snapshot.category_path[0]?.id).toBe(pathTo(products[0]?.category ?? '')[0]?.id);
  });

  it('have NFC names that differ between languages and 1–2 sentence descriptions', () => {
    const texts = (p: SeedProduct): string[] => [p.name_vi, p.name_en, p.description_vi, p.description_en];
    expect(failing(products, (p) => texts(p).every(isNfc))).toEqual([]);
    expect(failing(products, (p) => p.name_vi !== p.name_en)).toEqual([]);
    const tidy = (s: string): boolean => s === s.replace(/\s+/g, ' ').trim() && s !== '';
    expect(failing(products, (p) => texts(p).every(tidy))).toEqual([]);
    const sentences = (d: string): number => d.split(/(?<=\.) (?=\p{Lu})/u).length;
    expect(
      failing(products, (p) => [p.description_vi, p.description_en].every((d) => sentences(d) <= 2)),
    ).toEqual([]);
  });

  it('hit the target ratios', () => {
    expect(share(products, (p) => p.is_perishable)).toBeGreaterThanOrEqual(0.15);
    expect(share(products, (p) => p.is_perishable)).toBeLessThanOrEqual(0.25);
    const plant = share(products, (p) => p.dietary.includes('vegan') || p.dietary.includes('gluten-free'));
    expect(plant).toBeGreaterThanOrEqual(0.08);
    expect(plant).toBeLessThanOrEqual(0.14);
    expect(share(products, (p) => p.sold_by === 'weight')).toBeGreaterThanOrEqual(0.03);
    expect(share(products, (p) => p.status === 'active')).toBeCloseTo(0.97, 2);
    expect(share(products, (p) => p.status === 'draft')).toBeCloseTo(0.02, 2);
    expect(share(products, (p) => p.status === 'discontinued')).toBeCloseTo(0.01, 2);
    expect(share(products, (p) => p.tags.includes('promoted'))).toBeCloseTo(0.01, 2);
    for (const tag of ['local', 'imported', 'best-seller', 'new', 'family-size', 'tet'])
      expect(products.some((p) => p.tags.includes(tag))).toBe(true);
  });

  it('price weighted items by the kilo and round every price', () => {
    expect(
      failing(products, (p) => Number.isInteger(p.price_vnd) && p.price_vnd > 0 && p.price_vnd % 100 === 0),
    ).toEqual([]);
    const weighted = (p: SeedProduct): boolean =>
      (p.unit === 'kg' || p.unit === 'g') &&
      p.price_per_kg_vnd !== null &&
      p.nominal_weight_g !== null &&
      p.price_vnd === Math.round((p.price_per_kg_vnd * p.nominal_weight_g) / 1000);
    const byPiece = (p: SeedProduct): boolean => p.price_per_kg_vnd === null && p.nominal_weight_g === null;
    expect(failing(products, (p) => (p.sold_by === 'weight' ? weighted(p) : byPiece(p)))).toEqual([]);
    const age = (p: SeedProduct): boolean =>
      Number.isInteger(p.created_days_ago) && p.created_days_ago >= 0 && p.created_days_ago <= 720;
    expect(failing(products, age)).toEqual([]);
    expect(Math.max(...products.map((p) => p.created_days_ago))).toBeGreaterThan(700);
    expect(failing(products, (p) => p.image_urls.join() === `https://img.tuoi.vn/p/${p.sku}.jpg`)).toEqual(
      [],
    );
  });

  it('have realistic prices for everyday items', () => {
    const single = (re: RegExp, size: string): number[] =>
      products
        .filter(
          (p) => re.test(p.name_vi) && p.name_vi.endsWith(size) && !/(lốc|thùng|combo) \d/.test(p.name_vi),
        )
        .map((p) => p.price_vnd);
    expect(median(single(/^Rau muống /, ' 300 g'))).toBeGreaterThan(8_000);
    expect(median(single(/^Rau muống /, ' 300 g'))).toBeLessThan(25_000);
    expect(median(single(/^Sữa tươi tiệt trùng (có|ít|không) đường \p{Lu}/u, ' 1 l'))).toBeGreaterThan(
      28_000,
    );
    expect(median(single(/^Sữa tươi tiệt trùng (có|ít|không) đường \p{Lu}/u, ' 1 l'))).toBeLessThan(45_000);
    expect(median(single(/^Gạo ST25 /, ' 5 kg'))).toBeGreaterThan(140_000);
    expect(median(single(/^Gạo ST25 /, ' 5 kg'))).toBeLessThan(230_000);
    const beefPerKg = products
      .filter((p) => /^(Thịt bò|Bắp bò|Nạm bò)/.test(p.name_vi) && !/ (Úc|Mỹ) /.test(p.name_vi))
      .map((p) => p.price_per_kg_vnd ?? 0);
    expect(median(beefPerKg)).toBeGreaterThan(230_000);
    expect(median(beefPerKg)).toBeLessThan(380_000);
  });

  it('carry dietary labels only where they are true', () => {
    const has = (p: SeedProduct, d: (typeof DIETARY)[number]): boolean => p.dietary.includes(d);
    expect(failing(products, (p) => p.dietary.join() === DIETARY.filter((d) => has(p, d)).join())).toEqual(
      [],
    );
    expect(failing(products, (p) => !has(p, 'vegan') || has(p, 'vegetarian'))).toEqual([]);
    expect(failing(products, (p) => !p.name_vi.includes(' hữu cơ') || has(p, 'organic'))).toEqual([]);
    const meat = (p: SeedProduct): boolean => /^(thit-(heo|bo|ga|vit)|ca-tuoi|tom)$/.test(p.category);
    expect(failing(products, (p) => !meat(p) || !has(p, 'vegetarian'))).toEqual([]);
    expect(failing(products, (p) => !/^Gạo /.test(p.name_vi) || has(p, 'gluten-free'))).toEqual([]);
    const tofu = (p: SeedProduct): boolean => /^Đậu phụ /.test(p.name_vi) && !p.name_vi.includes('trứng');
    expect(failing(products, (p) => !tofu(p) || has(p, 'vegan'))).toEqual([]);
  });

  it('contain the vocabulary anchors as active products', () => {
    const active = products.filter((p) => p.status === 'active');
    const vi = [
      'Rau muống',
      'Thịt ba chỉ',
      'Nước mắm',
      'Sữa tươi',
      'Gạo ST25',
      'Cà chua',
      'Thịt bò',
      'Đậu phụ',
      'Cà phê',
    ];
    for (const word of vi) expect(active.some((p) => p.name_vi.includes(word))).toBe(true);
    const en = [
      'Water Spinach',
      'Pork Belly',
      'Fish Sauce',
      'Fresh Milk',
      'ST25 Rice',
      'Tomato',
      'Beef',
      'Butter',
      'Avocado',
      'Tofu',
      'Coffee',
    ];
    for (const word of en) expect(active.some((p) => p.name_en.includes(word))).toBe(true);
    expect(
      active.some((p) => p.category === 'bo' && p.name_vi.startsWith('Bơ ') && / Butter /.test(p.name_en)),
    ).toBe(true);
    expect(active.some((p) => /Quả bơ|Bơ sáp/.test(p.name_vi) && p.name_en.includes('Avocado'))).toBe(true);
    const names = new Set(products.map((p) => `${p.name_vi} / ${p.name_en}`));
    expect(names).toContain(
      'Sữa tươi tiệt trùng có đường Vinamilk 180 ml / Vinamilk Sweetened UHT Fresh Milk 180 ml',
    );
    for (const brand of ['Vinamilk', 'TH true MILK', 'Chin-su', 'Nam Ngư', 'Acecook'])
      expect(active.some((p) => p.brand === brand)).toBe(true);
  });
});

describe('generateSales', () => {
  it('is deterministic and Zipf-like: a few best-sellers, most small, many zero', () => {
    const sales = generateSales(products, { seed: 1 });
    expect([...generateSales(products, { seed: 1 })]).toEqual([...sales]);
    expect(sales.size).toBe(products.length);
    expect(failing(products, (p) => p.status === 'active' || sales.get(p.sku) === 0)).toEqual([]);
    const units = [...sales.values()].sort((a, b) => b - a);
    const total = units.reduce((a, b) => a + b, 0);
    expect(units[0]).toBeGreaterThan(100);
    expect(units.slice(0, units.length / 100).reduce((a, b) => a + b, 0) / total).toBeGreaterThan(0.3);
    expect(units.filter((u) => u === 0).length / units.length).toBeGreaterThan(0.5);
  });
});

// sha256 of JSON.stringify(generateCatalog({ count: 2_000 })); re-pin after deliberate vocabulary or generator changes.
const PINNED_SHA_2000 = 'cc87eb40f7d20b46581dec7d8198f0839102995f7d7c6c6142d8552f831ea99f';

import type { Client } from '@elastic/elasticsearch';
import { createElasticsearch } from '../../shared/clients/elasticsearch';
import { serviceEnv, uniqueSuffix } from '../../shared/clients/testing/service-env';
import {
  PRICE_EDGES,
  SEARCH_SORTS,
  type EngineResult,
  type FacetBucket,
  type IndexedDocument,
  type SearchEngine,
  type SearchFilters,
  type SearchQuery,
} from '../ports';
import { liveAt, type DocPromotion } from '../promotions';
import { fold } from '../text';
import { createElasticsearchEngine } from './elasticsearch';
import { indexBody, PROMOTIONS_MAPPING } from './elasticsearch-mapping';

jest.setTimeout(120_000);

const prefix = `t-${uniqueSuffix()}`;
let es: Client;
let engine: SearchEngine;

/** Category paths (root → leaf): id, English name, Vietnamese name. */
const CATEGORIES: Record<string, [string, string, string][]> = {};
function category(id: string, en: string, vi: string, parent?: string): void {
  CATEGORIES[id] = [...(parent ? (CATEGORIES[parent] ?? []) : []), [id, en, vi]];
}
category('sua', 'Dairy & eggs', 'Sữa & trứng');
category('sua-tuoi', 'Fresh milk', 'Sữa tươi', 'sua');
category('sua-chua', 'Yogurt', 'Sữa chua', 'sua');
category('bo-pho-mai', 'Butter & cheese', 'Bơ & phô mai', 'sua');
category('trung', 'Eggs', 'Trứng', 'sua');
category('thit-ca', 'Meat & seafood', 'Thịt & hải sản');
category('thit-bo', 'Beef', 'Thịt bò', 'thit-ca');
category('thit-heo', 'Pork', 'Thịt heo', 'thit-ca');
category('hai-san', 'Seafood', 'Hải sản', 'thit-ca');
category('rau-cu', 'Vegetables', 'Rau củ');
category('rau-la', 'Leafy greens', 'Rau lá', 'rau-cu');
category('cu-qua', 'Fruit vegetables', 'Củ quả', 'rau-cu');
category('trai-cay', 'Fruit', 'Trái cây');
category('gia-vi', 'Condiments', 'Gia vị');
category('nuoc-cham', 'Dipping sauces', 'Nước chấm', 'gia-vi');
category('do-kho', 'Pantry', 'Đồ khô');
category('dau-hat', 'Beans & tofu', 'Đậu & đậu phụ', 'do-kho');
category('mon-an', 'Ready meals', 'Món ăn sẵn');
category('do-uong', 'Drinks', 'Đồ uống');

type Extra = Partial<IndexedDocument>;
let day = 0;
/** One fixture: sku, Vietnamese and English name, brand, leaf category, price, popularity. */
function product(
  sku: string,
  name_vi: string,
  name_en: string,
  brand: string,
  leaf: string,
  price_vnd: number,
  popularity: number,
  extra: Extra = {},
): IndexedDocument {
  const path = CATEGORIES[leaf] ?? [];
  day += 1;
  return {
    sku,
    name_vi,
    name_en,
    description_vi: '',
    description_en: '',
    brand,
    category_id: leaf,
    category_ids: path.map((c) => c[0]),
    category_names_en: path.map((c) => c[1]),
    category_names_vi: path.map((c) => c[2]),
    price_vnd,
    unit: 'piece',
    size: 1,
    sold_by: 'piece',
    dietary: [],
    tags: [],
    is_perishable: false,
    image_url: null,
    in_stock: true,
    expires_soon: false,
    promotions: [],
    popularity,
    created_at: new Date(Date.UTC(2024, 0, day)).toISOString(),
    version: 1,
    revision: 10,
    deleted: false,
    ...extra,
  };
}

const fresh: Extra = { is_perishable: true, tags: ['fresh'] };
/** A promotion from `from` to `to` hours from now (null: open). */
const promo = (id: string, from: number | null, to: number | null): DocPromotion => {
  const at = (h: number | null) => (h === null ? null : new Date(Date.now() + h * 3_600_000).toISOString());
  return {
    id,
    label_en: `${id} en`,
    label_vi: `${id} vi`,
    kind: 'percentage',
    starts_at: at(from),
    ends_at: at(to),
  };
};
// prettier-ignore
const FIXTURES: IndexedDocument[] = [
  product('TU-000101', 'Sữa tươi tiệt trùng Vinamilk 1 l', 'Vinamilk UHT Fresh Milk 1 l', 'Vinamilk', 'sua-tuoi', 32_000, 900, { unit: 'l', dietary: ['halal'], promotions: [promo('later', 24, 48)] }),
  product('TU-000102', 'Sữa tươi không đường 180 ml', 'Unsweetened Fresh Milk 180 ml', 'Vinamilk', 'sua-tuoi', 8_000, 700, { dietary: ['sugar-free', 'halal'] }),
  product('TU-000103', 'Sữa tươi TH true MILK ít đường 1 l', 'TH true MILK Less Sugar Fresh Milk 1 l', 'TH true MILK', 'sua-tuoi', 35_000, 800, { tags: ['fresh', 'local'] }),
  product('TU-000104', 'Sữa tươi Đà Lạt Milk 950 ml', 'Dalat Milk Fresh Milk 950 ml', 'Dalat Milk', 'sua-tuoi', 39_000, 300, { ...fresh, description_en: 'A highland alternative to Vinamilk.' }),
  product('TU-000105', 'Sữa chua ăn Vinamilk có đường', 'Vinamilk Sweetened Yogurt', 'Vinamilk', 'sua-chua', 26_000, 600, { ...fresh, expires_soon: true, promotions: [promo('over', -48, -24), promo('now', -1, 1)] }),
  product('TU-000106', 'Sữa chua uống Ba Vì', 'Ba Vi Drinking Yogurt', 'Ba Vì', 'sua-chua', 24_000, 120, fresh),
  product('TU-000107', 'Bơ lạt Anchor 227 g', 'Anchor Unsalted Butter 227 g', 'Anchor', 'bo-pho-mai', 95_000, 200, { tags: ['imported'] }),
  product('TU-000108', 'Phô mai lát Anchor', 'Anchor Cheese Slices', 'Anchor', 'bo-pho-mai', 65_000, 90, { tags: ['imported'], dietary: ['vegetarian'] }),
  product('TU-000109', 'Trứng gà ta 10 quả', 'Free-range Eggs 10 pcs', 'Ba Huân', 'trung', 38_000, 650, { ...fresh, dietary: ['vegetarian', 'gluten-free'] }),
  product('TU-000201', 'Thịt bò xay 500 g', 'Minced Beef 500 g', 'Vissan', 'thit-bo', 145_000, 400, { ...fresh, sold_by: 'weight', unit: 'g', size: 500, dietary: ['halal'] }),
  product('TU-000202', 'Thăn bò Úc 300 g', 'Australian Beef Tenderloin 300 g', 'Meat Deli', 'thit-bo', 320_000, 150, { ...fresh, tags: ['fresh', 'imported'] }),
  product('TU-000203', 'Ba chỉ heo', 'Pork Belly', 'Meat Deli', 'thit-heo', 120_000, 500, { ...fresh, expires_soon: true }),
  product('TU-000204', 'Tôm sú tươi 500 g', 'Fresh Tiger Prawns 500 g', 'Sea Fresh', 'hai-san', 260_000, 220, { ...fresh, promotions: [promo('open', null, null)] }),
  product('TU-000205', 'Cá hồi Na Uy phi lê', 'Norwegian Salmon Fillet', 'Sea Fresh', 'hai-san', 550_000, 180, { ...fresh, tags: ['fresh', 'imported'], in_stock: false }),
  product('TU-000206', 'Thịt bò khô', 'Beef Jerky', 'Vissan', 'mon-an', 110_000, 260),
  product('TU-000301', 'Cà chua bi 250 g', 'Cherry Tomatoes 250 g', 'Đà Lạt GAP', 'cu-qua', 25_000, 100, { ...fresh, dietary: ['vegan', 'organic'] }),
  product('TU-000302', 'Cà chua Đà Lạt 1 kg', 'Da Lat Tomatoes 1 kg', 'Nông Sản Việt', 'cu-qua', 30_000, 150, { ...fresh, dietary: ['vegan'] }),
  product('TU-000303', 'Cà pháo muối chua', 'Pickled Eggplant', 'Bà Tư', 'mon-an', 18_000, 1_000, { dietary: ['vegan'] }),
  product('TU-004217', 'Cá kho tộ vị chua ngọt', 'Sweet and Sour Braised Fish', 'Bếp Việt', 'mon-an', 85_000, 2_000, { expires_soon: true }),
  product('TU-000304', 'Rau muống', 'Water Spinach', 'Đà Lạt GAP', 'rau-la', 12_000, 300, { ...fresh, dietary: ['vegan', 'organic'] }),
  product('TU-000305', 'Cải bó xôi', 'Spinach', 'Đà Lạt GAP', 'rau-la', 22_000, 80, { ...fresh, dietary: ['vegan', 'organic', 'gluten-free'] }),
  product('TU-000306', 'Quả bơ sáp Đắk Lắk', 'Creamy Avocado', 'Nông Sản Việt', 'trai-cay', 50_000, 500, { ...fresh, dietary: ['vegan'] }),
  product('TU-000307', 'Dâu tây Đà Lạt', 'Da Lat Strawberries', 'Nông Sản Việt', 'trai-cay', 89_000, 240, { ...fresh, dietary: ['vegan'] }),
  product('TU-000308', 'Chuối già Nam Mỹ', 'Cavendish Bananas', 'Nông Sản Việt', 'trai-cay', 28_000, 330, { ...fresh, dietary: ['vegan', 'gluten-free'] }),
  product('TU-000309', 'Súp lơ xanh', 'Broccoli', 'Nông Sản Việt', 'cu-qua', 35_000, 60, { ...fresh, description_vi: 'Trồng tại Đà Lạt.' }),
  product('TU-000401', 'Đậu phụ non', 'Silken Tofu', 'Vị Quê', 'dau-hat', 9_000, 420, { ...fresh, dietary: ['vegan', 'vegetarian', 'gluten-free'] }),
  product('TU-000402', 'Đậu xanh cà vỏ 500 g', 'Split Mung Beans 500 g', 'Vị Quê', 'dau-hat', 35_000, 70, { dietary: ['vegan', 'gluten-free'] }),
  product('TU-000403', 'Dầu ăn Tường An 1 l', 'Tuong An Cooking Oil 1 l', 'Tường An', 'gia-vi', 48_000, 700, { dietary: ['vegan'] }),
  product('TU-000501', 'Nước mắm Nam Ngư 500 ml', 'Nam Ngu Fish Sauce 500 ml', 'Chin-su', 'nuoc-cham', 38_000, 500),
  product('TU-000502', 'Nước mắm Phú Quốc 40 độ đạm', 'Phu Quoc Fish Sauce 40N', 'Hưng Thịnh', 'nuoc-cham', 75_000, 3_000, { in_stock: false }),
  product('TU-000503', 'Nước mắm chay', 'Vegan Fish Sauce', 'Vị Quê', 'nuoc-cham', 30_000, 50, { dietary: ['vegan'] }),
  product('TU-000504', 'Muối hồng Himalaya', 'Himalayan Pink Salt', 'Vị Quê', 'gia-vi', 45_000, 100, { tags: ['imported'] }),
  product('TU-000505', 'Tương ớt Chin-su', 'Chin-su Chili Sauce', 'Chin-su', 'nuoc-cham', 15_000, 100, { dietary: ['vegan'] }),
  product('TU-000601', 'Cà phê sữa đá hòa tan', 'Instant Iced Milk Coffee', 'Trung Nguyên', 'do-uong', 50_000, 900),
  product('TU-000602', 'Trà xanh Không Độ', 'Zero Degree Green Tea', 'Tân Hiệp Phát', 'do-uong', 10_000, 330, { dietary: ['vegan'] }),
  product('TU-000603', 'Nước khoáng La Vie 500 ml', 'La Vie Mineral Water 500 ml', 'La Vie', 'do-uong', 5_000, 800, { dietary: ['vegan'] }),
  product('TU-000604', 'Sữa hạt óc chó', 'Walnut Milk', 'Vinamilk', 'do-uong', 30_000, 210, { dietary: ['vegan', 'lactose-free'] }),
  product('TU-000701', 'Bánh mì sandwich', 'Sandwich Bread', 'Kinh Đô', 'do-kho', 20_000, 450, { ...fresh, expires_soon: true }),
  product('TU-000702', 'Gạo ST25 5 kg', 'ST25 Rice 5 kg', 'Ông Cua', 'do-kho', 200_000, 600, { dietary: ['vegan', 'gluten-free'] }),
  product('TU-000703', 'Mì tôm Hảo Hảo', 'Hao Hao Instant Noodles', 'Acecook', 'do-kho', 4_500, 1_200),
  product('TU-000704', 'Bún tươi', 'Fresh Rice Vermicelli', 'Vị Quê', 'do-kho', 15_000, 160, { ...fresh, dietary: ['vegan', 'gluten-free'] }),
];
const bySku = new Map(FIXTURES.map((d) => [d.sku, d]));

const NO_FILTERS: SearchFilters = { dietary: [], tags: [], brand: [] };
function q(text: string, extra: Partial<SearchQuery> = {}): SearchQuery {
  return { text, lang: 'vi', filters: NO_FILTERS, sort: 'relevance', offset: 0, limit: 100, ...extra };
}
const skus = (r: EngineResult): string[] => r.hits.map((h) => h.doc.sku);
const search = async (text: string, extra: Partial<SearchQuery> = {}) => engine.search(q(text, extra));
const first = async (text: string): Promise<string | undefined> => skus(await search(text))[0];
/** Position of every sku in the result (-1 when absent). */
const rank = (r: EngineResult, sku: string): number => skus(r).indexOf(sku);
/** Every sku of `above` is returned and ranks before every returned sku of `below`. */
function expectAbove(r: EngineResult, above: string[], below: string[]): void {
  const lowest = Math.max(...above.map((s) => rank(r, s)));
  for (const s of above) expect(rank(r, s)).toBeGreaterThanOrEqual(0);
  for (const s of below) if (rank(r, s) >= 0) expect(rank(r, s)).toBeGreaterThan(lowest);
}

function countBy(values: string[]): FacetBucket[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}
function expectedFacets(docs: IndexedDocument[]) {
  return {
    category: countBy(docs.map((d) => d.category_id)).slice(0, 50),
    dietary: countBy(docs.flatMap((d) => d.dietary)),
    brand: countBy(docs.map((d) => d.brand)).slice(0, 20),
    price: PRICE_EDGES.map((edge, i) => ({
      value: String(edge),
      count: docs.filter((d) => d.price_vnd >= edge && d.price_vnd < (PRICE_EDGES[i + 1] ?? Infinity)).length,
    })),
  };
}
function matches(d: IndexedDocument, f: SearchFilters): boolean {
  return (
    (f.category === undefined || d.category_ids.includes(f.category)) &&
    f.dietary.every((x) => d.dietary.includes(x)) &&
    f.tags.every((x) => d.tags.includes(x)) &&
    (f.brand.length === 0 || f.brand.includes(d.brand)) &&
    (f.price_min === undefined || d.price_vnd >= f.price_min) &&
    (f.price_max === undefined || d.price_vnd <= f.price_max) &&
    (f.is_perishable === undefined || d.is_perishable === f.is_perishable) &&
    (f.expires_soon === undefined || d.expires_soon === f.expires_soon) &&
    (f.in_stock === undefined || d.in_stock === f.in_stock) &&
    (f.on_promotion === undefined || liveAt(d.promotions, Date.now()).length > 0 === f.on_promotion)
  );
}

/** An engine on its own alias (deleted in afterAll with the rest of this file's indices). */
const engineOn = (name: string, aliasCacheMs?: number) =>
  createElasticsearchEngine({ client: es, alias: `${prefix}-${name}`, aliasCacheMs });

beforeAll(async () => {
  es = createElasticsearch({ url: serviceEnv('ELASTICSEARCH_URL') });
  engine = engineOn('main');
  await engine.index(FIXTURES);
  await engine.refresh();
});

afterAll(async () => {
  await es.indices.delete({ index: `${prefix}-*` }, { ignore: [404] });
  await es.close();
});

describe('relevance', () => {
  it('1. a query equal to a SKU puts that product first, in any case', async () => {
    await expect(first('tu-004217')).resolves.toBe('TU-004217');
    await expect(first('TU-000305')).resolves.toBe('TU-000305');
  });

  it('2. is diacritic-insensitive both ways and ranks exact accents first', async () => {
    const sua = await search('sua tuoi');
    expect(skus(sua).slice(0, 4).sort()).toEqual(['TU-000101', 'TU-000102', 'TU-000103', 'TU-000104']);
    expect(
      skus(await search('Sữa Tươi'))
        .slice(0, 4)
        .sort(),
    ).toEqual(skus(sua).slice(0, 4).sort());
    expect(skus(await search('dau'))).toEqual(
      expect.arrayContaining(['TU-000401', 'TU-000402', 'TU-000403', 'TU-000307']),
    );
    expectAbove(await search('đậu'), ['TU-000401', 'TU-000402'], ['TU-000403', 'TU-000307']);
    const beef = ['TU-000201', 'TU-000202', 'TU-000206'];
    expectAbove(await search('bò'), beef, ['TU-000107', 'TU-000306', 'TU-000305']);
    expectAbove(await search('bơ'), ['TU-000107', 'TU-000306'], beef);
  });

  it('3. tolerates typos (transpositions too), exact matches first', async () => {
    expect(skus(await search('mlik'))).toEqual(expect.arrayContaining(['TU-000101', 'TU-000604']));
    expect(
      skus(await search('sua tuoii'))
        .slice(0, 4)
        .sort(),
    ).toEqual(['TU-000101', 'TU-000102', 'TU-000103', 'TU-000104']);
    expect(['TU-000101', 'TU-000105']).toContain(await first('vinamlik'));
    // "muoi" is one edit from "tuoi": the salt and the pickles rank above every fresh (tươi) product.
    const salt = await search('muối');
    expectAbove(salt, ['TU-000504', 'TU-000303'], ['TU-000101', 'TU-000204', 'TU-000704']);
    expect(rank(salt, 'TU-000101')).toBeGreaterThan(0);
    expect(skus(await search('bo'))).not.toContain('TU-000203'); // "ba": 2 letters allow no edit
  });

  it('4. matches the last word as a prefix (as you type)', async () => {
    expect(
      skus(await search('ca ch'))
        .slice(0, 2)
        .sort(),
    ).toEqual(['TU-000301', 'TU-000302']);
    expect(skus(await search('vinam'))).toEqual(expect.arrayContaining(['TU-000101', 'TU-000105']));
    expect(skus(await search('vinam'))).toContain('TU-000102'); // brand prefix
    expect(await search('vina sua')).toMatchObject({ total: 0 }); // only the last word is a prefix
  });

  it('5. needs every word somewhere, across fields and both languages', async () => {
    const both = skus(await search('vinamilk sữa tươi')); // TU-000104 mentions Vinamilk in its description
    expect(both.slice(0, 2).sort()).toEqual(['TU-000101', 'TU-000102']);
    expect(both).not.toEqual(expect.arrayContaining(['TU-000103'])); // no Vinamilk
    expect(both).not.toEqual(expect.arrayContaining(['TU-000105'])); // no "tươi"
    expect(skus(await search('fresh milk', { lang: 'vi' }))).toEqual(
      expect.arrayContaining(['TU-000101', 'TU-000102', 'TU-000103', 'TU-000104']),
    );
    expect(skus(await search('sữa thịt'))).toEqual([]);
  });

  it('6. ranks adjacent words in order above scattered ones', async () => {
    for (const text of ['ca chua', 'cà chua']) {
      expectAbove(await search(text), ['TU-000301', 'TU-000302'], ['TU-000303', 'TU-004217']);
    }
  });

  it('7. weighs names over brand and category over description; boosts an exact brand', async () => {
    const dalat = await search('Đà Lạt');
    expectAbove(dalat, ['TU-000302', 'TU-000307', 'TU-000104'], ['TU-000301', 'TU-000304', 'TU-000305']);
    expectAbove(dalat, ['TU-000301', 'TU-000304', 'TU-000305'], ['TU-000309']);
    const vinamilk = await search('vinamilk');
    expectAbove(vinamilk, ['TU-000101', 'TU-000102', 'TU-000105', 'TU-000604'], ['TU-000104']);
    expectAbove(await search('chin su'), ['TU-000505'], ['TU-000501']);
  });

  it('8–9. puts in-stock first, then the more popular of equal matches', async () => {
    expect(skus(await search('nước mắm'))).toEqual(['TU-000501', 'TU-000503', 'TU-000502']);
  });
});

describe('filters, facets, sorts and pages', () => {
  const cases: [string, Partial<SearchFilters>][] = [
    ['category (an ancestor)', { category: 'sua' }],
    ['category (a leaf)', { category: 'thit-bo' }],
    ['dietary, all of', { dietary: ['vegan', 'gluten-free'] }],
    ['tags, all of', { tags: ['fresh', 'imported'] }],
    ['brand, any of', { brand: ['Vinamilk', 'Anchor'] }],
    ['price range, inclusive', { price_min: 20_000, price_max: 50_000 }],
    ['perishable', { is_perishable: true }],
    ['expires soon', { expires_soon: true }],
    ['out of stock', { in_stock: false }],
    ['on promotion now (schedules at search time)', { on_promotion: true }],
    ['not on promotion now', { on_promotion: false, category: 'sua' }],
    ['several', { category: 'rau-cu', dietary: ['organic'], price_max: 25_000 }],
  ];
  it.each(cases)('filters by %s, with facets over the matches', async (_name, partial) => {
    const filters = { ...NO_FILTERS, ...partial };
    const expected = FIXTURES.filter((d) => matches(d, filters));
    expect(expected.length).toBeGreaterThan(0);
    const res = await search('', { filters });
    expect(skus(res).sort()).toEqual(expected.map((d) => d.sku).sort());
    expect(res.total).toBe(expected.length);
    expect(res.facets).toEqual(expectedFacets(expected));
  });

  it('counts facets over a text query', async () => {
    const res = await search('sữa');
    expect(res.total).toBe(res.hits.length);
    expect(res.facets).toEqual(expectedFacets(res.hits.map((h) => bySku.get(h.doc.sku)!)));
    expect(res.facets.price.map((b) => b.value)).toEqual(PRICE_EDGES.map(String));
  });

  const bySort: Record<string, (a: IndexedDocument, b: IndexedDocument) => number> = {
    relevance: (a, b) => b.popularity - a.popularity,
    popular: (a, b) => b.popularity - a.popularity,
    price_asc: (a, b) => a.price_vnd - b.price_vnd,
    price_desc: (a, b) => b.price_vnd - a.price_vnd,
    newest: (a, b) => b.created_at.localeCompare(a.created_at),
    name: (a, b) => (fold(a.name_vi) < fold(b.name_vi) ? -1 : fold(a.name_vi) > fold(b.name_vi) ? 1 : 0),
  };
  it.each(SEARCH_SORTS.map((s) => [s]))('sorts by %s (then sku)', async (sort) => {
    const expected = [...FIXTURES].sort((a, b) => bySort[sort]!(a, b) || (a.sku < b.sku ? -1 : 1));
    expect(skus(await search('', { sort }))).toEqual(expected.map((d) => d.sku));
  });

  it('sorts by the name in the query language', async () => {
    const en = [...FIXTURES].sort((a, b) => (fold(a.name_en) < fold(b.name_en) ? -1 : 1));
    expect(skus(await search('', { sort: 'name', lang: 'en' }))).toEqual(en.map((d) => d.sku));
    const milk = await search('milk', { sort: 'price_asc' });
    expect(milk.hits.map((h) => h.doc.price_vnd)).toEqual(
      [...milk.hits.map((h) => h.doc.price_vnd)].sort((a, b) => a - b),
    );
  });

  it('pages with offset and limit', async () => {
    const all = skus(await search('', { sort: 'popular' }));
    const pages: string[] = [];
    for (let offset = 0; offset < all.length; offset += 7) {
      const page = await search('', { sort: 'popular', offset, limit: 7 });
      expect(page.total).toBe(FIXTURES.length);
      pages.push(...skus(page));
    }
    expect(pages).toEqual(all);
    expect((await search('', { offset: 100, limit: 10 })).hits).toEqual([]);
  });

  it('returns the documents as indexed, without the stored-only fields', async () => {
    const [hit] = (await search('tu-000101')).hits;
    const { revision: _r, deleted: _d, ...doc } = bySku.get('TU-000101')!;
    expect(hit?.doc).toEqual(doc);
  });
});

describe('did you mean', () => {
  it.each([
    ['sua tuoii', ['sua tuoi', 'sữa tươi']],
    ['sữa tươii', ['sữa tươi']],
    ['vinamlik', ['vinamilk']],
    ['mlik', ['milk']],
    ['sua tuoiii', ['sua tuoi']], // no hit at all (2 edits on a 6-letter word), corrected anyway
  ])('corrects %s', async (text, expected) => {
    expect(expected).toContain((await search(text)).suggestion);
  });

  it.each(['sua tuoi', 'vinamilk', 'qwxzvk', 'ca ch'])('proposes nothing for %s', async (text) => {
    expect((await search(text)).suggestion).toBeUndefined();
  });
});

describe('typeahead', () => {
  const suggest = async (prefix: string, limit = 10) =>
    (await engine.suggest(prefix, limit)).map((s) => s.sku);

  it('matches the typed words in order, the last as a folded prefix, by popularity', async () => {
    await expect(suggest('ca ch')).resolves.toEqual(['TU-000302', 'TU-000301']);
    await expect(suggest('sua t')).resolves.toEqual(['TU-000101', 'TU-000103', 'TU-000102', 'TU-000104']);
    await expect(suggest('vinam')).resolves.toEqual(['TU-000101', 'TU-000105']);
    await expect(suggest('chua ca')).resolves.toEqual([]);
    await expect(suggest('   ')).resolves.toEqual([]);
  });

  it('puts exact-accent prefixes first and honours the limit', async () => {
    await expect(suggest('bơ', 2)).resolves.toEqual(['TU-000306', 'TU-000107']);
    const bo = await suggest('bò');
    expect(bo.slice(0, 3).sort()).toEqual(['TU-000201', 'TU-000202', 'TU-000206']);
    expect(bo).toEqual(expect.arrayContaining(['TU-000107', 'TU-000305']));
    expect(await engine.suggest('sữ', 1)).toEqual([
      {
        sku: 'TU-000101',
        name_en: 'Vinamilk UHT Fresh Milk 1 l',
        name_vi: 'Sữa tươi tiệt trùng Vinamilk 1 l',
        category_id: 'sua-tuoi',
      },
    ]);
  });
});

describe('revisions', () => {
  const scratch = () => engineOn('revisions');
  const doc = (revision: number, extra: Extra = {}) =>
    product(
      'TU-900001',
      `Bưởi da xanh r${revision}`,
      `Green Pomelo r${revision}`,
      'Bến Tre',
      'trai-cay',
      60_000,
      1,
      {
        revision,
        ...extra,
      },
    );
  const names = async (e: SearchEngine, text: string) =>
    (await e.search(q(text))).hits.map((h) => h.doc.name_vi);

  it('keeps the highest revision, hides tombstones and accepts redeliveries', async () => {
    const e = scratch();
    await e.index([doc(5)]);
    await e.index([doc(3)]); // late, older
    await e.index([doc(5)]); // redelivered
    await e.refresh();
    await expect(names(e, 'bưởi')).resolves.toEqual(['Bưởi da xanh r5']);
    await e.index([doc(6, { deleted: true }), doc(4)]); // tombstone + an older write in one batch
    await e.refresh();
    await expect(names(e, 'bưởi')).resolves.toEqual([]);
    await expect(e.suggest('bưởi', 5)).resolves.toEqual([]);
    expect((await e.search(q(''))).total).toBe(0);
    await e.index([doc(7)]);
    await e.refresh();
    await expect(names(e, 'buoi')).resolves.toEqual(['Bưởi da xanh r7']);
  });

  it('throws on any other rejected document', async () => {
    const bad = { ...doc(8), price_vnd: 'cheap' } as unknown as IndexedDocument;
    await expect(scratch().index([bad])).rejects.toThrow(
      /TU-900001.*document_parsing_exception|mapper_parsing/,
    );
  });

  it('creates the first index on first use, once under concurrent starts', async () => {
    const alias = `${prefix}-first`;
    const engines = [1, 2, 3].map(() => createElasticsearchEngine({ client: es, alias }));
    await expect(engines[0]!.search(q('sữa'))).resolves.toMatchObject({ total: 0, hits: [] });
    const alias2 = `${prefix}-race`;
    const racers = [1, 2, 3].map(() => createElasticsearchEngine({ client: es, alias: alias2 }));
    await Promise.all(racers.map((e, i) => e.index([doc(i + 1)])));
    const behind = await es.indices.getAlias({ name: alias2 });
    expect(Object.keys(behind)).toEqual([`${alias2}-0`]);
  });
});

describe('promotions', () => {
  it('adds the promotions field to an index made before it existed', async () => {
    const alias = `${prefix}-legacy`;
    const { settings, mappings } = indexBody({ shards: 1, replicas: 0, loading: false });
    const { promotions: _p, ...before } = mappings.properties!;
    await es.indices.create({
      index: `${alias}-0`,
      aliases: { [alias]: {} },
      settings,
      mappings: { ...mappings, properties: before },
    });
    const old = bySku.get('TU-000102')!;
    const { revision: _r, promotions: _none, ...source } = old;
    await es.index({
      index: alias,
      id: old.sku,
      document: { ...source, revision: 1, brand_key: 'vinamilk' },
    });
    await es.indices.refresh({ index: alias });
    const e = createElasticsearchEngine({ client: es, alias });
    const onPromotion = { ...NO_FILTERS, on_promotion: true };
    await expect(e.search(q('', { filters: onPromotion }))).resolves.toMatchObject({ total: 0 });
    expect((await e.search(q(''))).hits.map((h) => h.doc.promotions)).toEqual([[]]);

    await e.index([{ ...bySku.get('TU-000105')!, revision: 2 }]);
    await e.refresh();
    const found = await e.search(q('', { filters: onPromotion }));
    expect(skus(found)).toEqual(['TU-000105']);
    expect(found.hits[0]?.doc.promotions.map((p) => p.id)).toEqual(['over', 'now']);
    const mapping = await es.indices.getMapping({ index: alias });
    expect(Object.values(mapping)[0]?.mappings.properties?.promotions).toEqual(PROMOTIONS_MAPPING);
  });
});

describe('rebuild', () => {
  it('swaps in a new index while searches and writes go on', async () => {
    const alias = `${prefix}-rebuild`;
    const e = createElasticsearchEngine({ client: es, alias, bulkSize: 4, aliasCacheMs: 300 });
    await e.index(FIXTURES);
    await e.refresh();
    const oldIndex = Object.keys(await es.indices.getAlias({ name: alias }));
    expect(oldIndex).toEqual([`${alias}-0`]);

    const late = product(
      'TU-900002',
      'Xoài cát Hòa Lộc',
      'Hoa Loc Mango',
      'Nông Sản Việt',
      'trai-cay',
      70_000,
      5,
      {
        revision: 1,
      },
    );
    const newer = { ...bySku.get('TU-000101')!, name_vi: 'Sữa tươi Vinamilk mới', revision: 20 };
    const older = { ...bySku.get('TU-000102')!, name_vi: 'Sữa tươi cũ', revision: 5 };
    async function* batches(): AsyncIterable<IndexedDocument[]> {
      for (let i = 0; i < FIXTURES.length; i += 5) {
        if (i === 10) await e.index([late, newer, older]); // written during the rebuild
        await new Promise((r) => setTimeout(r, 30));
        yield FIXTURES.slice(i, i + 5);
      }
    }

    let searching = true;
    const failures: unknown[] = [];
    let searches = 0;
    const loop = (async () => {
      while (searching) {
        try {
          const res = await e.search(q('sữa'));
          if (res.total === 0) failures.push('no hits');
          searches += 1;
        } catch (err) {
          failures.push(err);
        }
      }
    })();
    const progress: number[] = [];
    const done = await e.rebuild(batches(), (p) => progress.push(p.indexed));
    searching = false;
    await loop;

    expect(failures).toEqual([]);
    expect(searches).toBeGreaterThan(5);
    expect(done).toEqual({ indexed: FIXTURES.length });
    expect(progress.at(-1)).toBe(FIXTURES.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const behind = Object.keys(await es.indices.getAlias({ name: alias }));
    expect(behind).toHaveLength(1);
    expect(behind[0]).not.toBe(`${alias}-0`);
    await expect(es.indices.exists({ index: `${alias}-0` })).resolves.toBe(false);
    await expect(es.indices.existsAlias({ name: `${alias}-building` })).resolves.toBe(false);

    await e.refresh();
    expect(skus(await search('xoài cát'))).toEqual([]); // the main alias is untouched
    const names = async (text: string) => (await e.search(q(text))).hits.map((h) => h.doc.name_vi);
    await expect(names('xoai cat')).resolves.toEqual(['Xoài cát Hòa Lộc']);
    await expect(names('tu-000101')).resolves.toEqual(['Sữa tươi Vinamilk mới']);
    await expect(names('tu-000102')).resolves.toEqual(['Sữa tươi không đường 180 ml']);
    expect((await e.search(q(''))).total).toBe(FIXTURES.length + 1);

    // After the rebuild, writes reach the new index only.
    await e.index([{ ...late, name_vi: 'Xoài cát chín', revision: 2 }]);
    await e.refresh();
    await expect(names('xoai cat')).resolves.toEqual(['Xoài cát chín']);
  });

  it('leaves the alias alone and removes its new index when loading fails', async () => {
    const alias = `${prefix}-failing`;
    const e = createElasticsearchEngine({ client: es, alias, aliasCacheMs: 50 });
    await e.index(FIXTURES.slice(0, 3));
    async function* broken(): AsyncIterable<IndexedDocument[]> {
      yield FIXTURES.slice(0, 2);
      throw new Error('source went away');
    }
    await expect(e.rebuild(broken())).rejects.toThrow('source went away');
    expect(Object.keys(await es.indices.get({ index: `${alias}-*` }))).toEqual([`${alias}-0`]);
    await expect(es.indices.existsAlias({ name: `${alias}-building` })).resolves.toBe(false);
    await e.refresh();
    expect((await e.search(q(''))).total).toBe(3);
  });
});

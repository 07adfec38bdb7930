/**
 * THE relevance suite: one table of queries over the 50,000-SKU seed catalog, with the hits each
 * must return on top, run against both engines. Also checks filters and facet counts against a
 * direct count in the database.
 */
import { randomBytes } from 'node:crypto';
import { createElasticsearch } from '../shared/clients/elasticsearch';
import { serviceEnv } from '../shared/clients/testing/service-env';
import { withTransaction } from '../shared/db';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { toSearchDocument } from './domain';
import { createElasticsearchEngine } from './engines/elasticsearch';
import { createPostgresEngine } from './engines/postgres';
import type { EngineHit, SearchEngine, SearchFilters, SearchQuery } from './ports';
import { documentStore } from './store';
import { seedSnapshots } from '../../scripts/seed/data';
import { fold } from './text';

interface Case {
  q: string;
  filters?: Partial<SearchFilters>;
  /** How many top hits must satisfy `expect` (all of them). */
  top: number;
  expect: (hit: EngineHit) => boolean;
  why: string;
}

const vi = (s: string) => (h: EngineHit) => h.doc.name_vi.toLowerCase().includes(s.toLowerCase());
const en = (s: string) => (h: EngineHit) => h.doc.name_en.toLowerCase().includes(s.toLowerCase());
const brand = (b: string) => (h: EngineHit) => h.doc.brand === b;
const word = (w: string) => (h: EngineHit) => h.doc.name_vi.toLowerCase().split(/\s+/).includes(w);
const foldedVi = (s: string) => (h: EngineHit) => fold(h.doc.name_vi).includes(s);
const both = (a: (h: EngineHit) => boolean, b: (h: EngineHit) => boolean) => (h: EngineHit) => a(h) && b(h);

const cases: Case[] = [
  // Vietnamese, accented
  { q: 'sữa tươi', top: 5, expect: vi('sữa tươi'), why: 'phrase in vi' },
  { q: 'rau muống', top: 3, expect: vi('rau muống'), why: 'leafy green' },
  { q: 'thịt ba chỉ', top: 3, expect: vi('thịt ba chỉ'), why: 'three-word phrase' },
  { q: 'nước mắm', top: 5, expect: vi('nước mắm'), why: 'condiment' },
  { q: 'gạo ST25', top: 5, expect: both(vi('gạo'), vi('st25')), why: 'rice variety with digits' },
  { q: 'cà chua', top: 3, expect: vi('cà chua'), why: 'adjacent words beat scattered cà/chua' },
  { q: 'thịt bò', top: 5, expect: vi('thịt bò'), why: 'beef' },
  { q: 'bò', top: 3, expect: word('bò'), why: 'exact accent: bò is beef, not bơ' },
  { q: 'bơ', top: 3, expect: word('bơ'), why: 'exact accent: bơ is butter/avocado, not bò' },
  { q: 'đậu phụ', top: 3, expect: vi('đậu phụ'), why: 'đ with accents' },
  { q: 'cà phê', top: 5, expect: vi('cà phê'), why: 'coffee' },
  // Vietnamese typed without accents
  { q: 'sua tuoi', top: 5, expect: vi('sữa tươi'), why: 'folded query finds accented names' },
  { q: 'rau muong', top: 3, expect: vi('rau muống'), why: 'folded' },
  { q: 'thit ba chi', top: 3, expect: vi('thịt ba chỉ'), why: 'folded three words' },
  { q: 'nuoc mam', top: 5, expect: vi('nước mắm'), why: 'folded' },
  { q: 'dau phu', top: 3, expect: vi('đậu phụ'), why: 'd finds đ' },
  { q: 'ca phe', top: 5, expect: vi('cà phê'), why: 'folded' },
  { q: 'dau', top: 5, expect: foldedVi('dau'), why: 'dau finds đậu/dầu' },
  // English
  { q: 'fresh milk', top: 5, expect: en('fresh milk'), why: 'en phrase' },
  { q: 'water spinach', top: 3, expect: en('water spinach'), why: 'en' },
  { q: 'pork belly', top: 3, expect: en('pork belly'), why: 'en' },
  { q: 'fish sauce', top: 5, expect: en('fish sauce'), why: 'en' },
  { q: 'tomato', top: 3, expect: en('tomato'), why: 'en' },
  { q: 'beef', top: 5, expect: en('beef'), why: 'en' },
  { q: 'butter', top: 3, expect: en('butter'), why: 'en' },
  { q: 'avocado', top: 3, expect: en('avocado'), why: 'en' },
  { q: 'tofu', top: 3, expect: en('tofu'), why: 'en' },
  { q: 'st25 rice', top: 5, expect: en('st25'), why: 'en with digits' },
  // Typos
  { q: 'mlik', top: 5, expect: en('milk'), why: 'transposition' },
  { q: 'sua tuoii', top: 5, expect: both(foldedVi('sua'), foldedVi('tuoi')), why: 'extra letter, folded' },
  { q: 'vinamlik', top: 3, expect: brand('Vinamilk'), why: 'brand typo (Vinamit is two edits away)' },
  { q: 'tomatoe', top: 3, expect: en('tomato'), why: 'extra letter' },
  { q: 'nuoc mamm', top: 5, expect: vi('nước mắm'), why: 'typo in folded vi' },
  { q: 'cofee', top: 5, expect: en('coffee'), why: 'missing letter' },
  // As you type
  {
    q: 'ca ch',
    top: 5,
    expect: (h) => {
      const words = fold(h.doc.name_vi).split(' ');
      return words.includes('ca') && words.some((w) => w.startsWith('ch'));
    },
    why: 'prefix of the last word (adjacent ones first: see cà chua)',
  },
  { q: 'rau mu', top: 3, expect: vi('rau muống'), why: 'prefix' },
  {
    q: 'vinam',
    top: 5,
    expect: (h) => h.doc.brand.startsWith('Vinam'),
    why: 'brand prefix (Vinamilk, Vinamit)',
  },
  { q: 'nuoc ma', top: 3, expect: vi('nước mắm'), why: 'folded prefix' },
  // Brands
  { q: 'vinamilk', top: 10, expect: brand('Vinamilk'), why: 'exact brand boost' },
  { q: 'TH true milk', top: 5, expect: brand('TH true MILK'), why: 'multi-word brand' },
  { q: 'nam ngư', top: 5, expect: brand('Nam Ngư'), why: 'accented brand' },
  { q: 'chin su', top: 5, expect: brand('Chin-su'), why: 'hyphenated brand' },
  // Both languages at once
  { q: 'vinamilk sữa tươi', top: 5, expect: both(brand('Vinamilk'), vi('sữa tươi')), why: 'brand + vi name' },
  { q: 'sữa tươi milk', top: 5, expect: vi('sữa tươi'), why: 'vi and en words in one query' },
  // Dietary filters
  {
    q: 'sữa',
    filters: { dietary: ['lactose-free'] },
    top: 5,
    expect: (h) => h.doc.dietary.includes('lactose-free') && foldedVi('sua')(h),
    why: 'filter + query',
  },
  {
    q: 'gạo',
    filters: { dietary: ['organic'] },
    top: 3,
    expect: (h) => h.doc.dietary.includes('organic') && foldedVi('gao')(h),
    why: 'organic rice',
  },
  {
    q: 'dau',
    filters: { dietary: ['vegan'] },
    top: 5,
    expect: (h) => h.doc.dietary.includes('vegan'),
    why: 'vegan',
  },
];

let db: TestDatabase;
const skuOf = new Map<string, string>();
const store = documentStore('search');

beforeAll(async () => {
  db = await freshDatabase();
  const { snapshots, sales } = seedSnapshots();
  for (let i = 0; i < snapshots.length; i += 2000) {
    const items = snapshots.slice(i, i + 2000).map((product) => ({
      product,
      doc: toSearchDocument(product, sales.get(product.sku) ?? 0),
      popularity: sales.get(product.sku) ?? 0,
    }));
    await withTransaction(db.pool, (tx) => store.upsertProducts(tx, items, { replaceEqual: true }));
  }
  await db.pool.query('ANALYZE search.documents');
  const first = snapshots.find((p) => p.status === 'active' && p.name_vi.includes('Rau muống'))!;
  skuOf.set('rau-muong', first.sku);
}, 300_000);

afterAll(() => db.drop());

const alias = `t-${randomBytes(4).toString('hex')}-products`;
const engines: [string, () => Promise<SearchEngine>][] = [
  ['postgres', async () => createPostgresEngine({ pool: db.pool, schema: 'search' })],
  [
    'elasticsearch',
    async () => {
      const engine = createElasticsearchEngine({
        client: createElasticsearch({ url: serviceEnv('ELASTICSEARCH_URL') }),
        alias,
      });
      await engine.rebuild(store.batches(db.pool));
      await engine.refresh();
      return engine;
    },
  ],
];

describe.each(engines)('relevance on %s', (name, make) => {
  let engine: SearchEngine;
  const query = (
    q: string,
    extra: Partial<SearchQuery> = {},
    filters: Partial<SearchFilters> = {},
  ): SearchQuery => ({
    text: q,
    lang: 'vi',
    sort: 'relevance',
    offset: 0,
    limit: 10,
    ...extra,
    filters: { dietary: [], tags: [], brand: [], ...filters },
  });

  beforeAll(async () => {
    engine = await make();
  }, 300_000);

  afterAll(async () => {
    if (name === 'elasticsearch') {
      const es = createElasticsearch({ url: serviceEnv('ELASTICSEARCH_URL') });
      await es.indices.delete({ index: `${alias}-*`, ignore_unavailable: true, allow_no_indices: true });
      await es.close();
    }
    await engine.close();
  });

  it('has at least 40 queries', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases.map((c) => [c.q, c] as const))('%s', async (_q, c) => {
    const r = await engine.search(query(c.q, {}, c.filters));
    const top = r.hits.slice(0, c.top);
    const bad = top
      .filter((h) => !c.expect(h))
      .map((h) => `${h.doc.sku} ${h.doc.name_vi} / ${h.doc.name_en} (${h.doc.brand}) ${h.score.toFixed(3)}`);
    expect({ why: c.why, count: top.length, bad }).toEqual({ why: c.why, count: c.top, bad: [] });
  });

  it('puts an exact SKU first, in any case', async () => {
    const sku = skuOf.get('rau-muong')!;
    expect((await engine.search(query(sku.toLowerCase()))).hits[0]?.doc.sku).toBe(sku);
  });

  it('proposes a spelling when a word is unknown', async () => {
    expect((await engine.search(query('sua tuoii'))).suggestion).toMatch(/tuoi|tươi/);
  });

  it('suggests names as you type', async () => {
    const s = await engine.suggest('ca ch', 10);
    expect(s.length).toBeGreaterThan(0);
    expect(s.length).toBeLessThanOrEqual(10);
    for (const x of s) expect(fold(x.name_vi)).toMatch(/(^| )ca ch/);
  });

  it.each([
    ['category', { category: 'sua-tuoi' }, `category_ids @> ARRAY['sua-tuoi']`],
    ['dietary all-of', { dietary: ['vegan', 'gluten-free'] }, `dietary @> ARRAY['vegan','gluten-free']`],
    ['price range', { price_min: 20_000, price_max: 50_000 }, 'price_vnd BETWEEN 20000 AND 50000'],
    ['perishable', { is_perishable: true }, 'is_perishable'],
  ])('counts and facets for a %s filter agree with the database', async (_n, filters, where) => {
    const r = await engine.search(query('', {}, filters));
    const count = async (sql: string) =>
      (
        await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM search.documents WHERE NOT deleted AND ${where} ${sql}`,
        )
      ).rows[0]!.n;
    expect(r.total).toBe(await count(''));
    expect(r.total).toBeGreaterThan(0);
    for (const b of r.facets.dietary) expect(b.count).toBe(await count(`AND '${b.value}' = ANY(dietary)`));
    for (const b of r.facets.brand.slice(0, 5))
      expect(b.count).toBe(await count(`AND brand = '${b.value.replace(/'/g, "''")}'`));
    for (const b of r.facets.category.slice(0, 5))
      expect(b.count).toBe(await count(`AND category_id = '${b.value}'`));
    const priced = r.facets.price.reduce((n, b) => n + b.count, 0);
    expect(priced).toBe(r.total);
  });

  it('counts a text query the same as its facets', async () => {
    const r = await engine.search(query('sữa tươi'));
    expect(r.facets.category.reduce((n, b) => n + b.count, 0)).toBe(r.total);
  });
});

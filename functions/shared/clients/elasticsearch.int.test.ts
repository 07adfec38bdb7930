import type { Client } from '@elastic/elasticsearch';
import { createElasticsearch, pingElasticsearch } from './elasticsearch';
import { serviceEnv, uniqueSuffix } from './testing/service-env';

jest.setTimeout(60_000);

const index = `it-products-${uniqueSuffix()}`;
let es: Client;

const products = [
  { sku: 'SUA-001', name: 'Sữa tươi Vinamilk 1L', price: 32_000 },
  { sku: 'SUA-002', name: 'Sữa chua Ba Vì', price: 28_000 },
  { sku: 'RAU-001', name: 'Cà chua Đà Lạt', price: 25_000 },
  { sku: 'RAU-002', name: 'Rau muống', price: 12_000 },
  { sku: 'BAN-001', name: 'Bánh mì tươi', price: 15_000 },
];

async function searchNames(query: string): Promise<string[]> {
  const res = await es.search<{ name: string }>({
    index,
    query: { match: { name: { query, operator: 'and' } } },
  });
  return res.hits.hits.map((hit) => hit._source?.name ?? '');
}

beforeAll(async () => {
  es = createElasticsearch({ url: serviceEnv('ELASTICSEARCH_URL') });
  await es.indices.create({
    index,
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      analysis: {
        analyzer: {
          vi_folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
        },
        normalizer: {
          vi_keyword: { type: 'custom', filter: ['lowercase', 'asciifolding'] },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        sku: { type: 'keyword' },
        name: {
          type: 'text',
          analyzer: 'vi_folded',
          fields: { sort: { type: 'keyword', normalizer: 'vi_keyword' } },
        },
        price: { type: 'long' },
      },
    },
  });
  const bulk = await es.bulk({
    refresh: 'wait_for',
    operations: products.flatMap((p) => [{ index: { _index: index, _id: p.sku } }, p]),
  });
  if (bulk.errors) throw new Error(`bulk failed: ${JSON.stringify(bulk.items)}`);
});

afterAll(async () => {
  await es.indices.delete({ index }, { ignore: [404] });
  await es.close();
});

describe('elasticsearch client against the real node', () => {
  it('reports the cluster as reachable', async () => {
    await expect(pingElasticsearch(es)).resolves.toBe(true);
  });

  it('reports an unreachable node as down instead of throwing', async () => {
    const dead = createElasticsearch({ url: 'http://127.0.0.1:1', requestTimeoutMs: 1000 });
    try {
      await expect(pingElasticsearch(dead)).resolves.toBe(false);
    } finally {
      await dead.close();
    }
  });

  it('keeps the explicit mapping', async () => {
    const mapping = await es.indices.getMapping({ index });
    expect(mapping[index]?.mappings.properties?.name).toMatchObject({ type: 'text', analyzer: 'vi_folded' });
    await expect(es.count({ index })).resolves.toMatchObject({ count: products.length });
  });

  it('folds Vietnamese diacritics in the analyzer', async () => {
    const res = await es.indices.analyze({ index, analyzer: 'vi_folded', text: 'Sữa TƯƠI Đà Lạt' });
    expect(res.tokens?.map((t) => t.token)).toEqual(['sua', 'tuoi', 'da', 'lat']);
  });

  it('finds "sữa tươi" when searching "sua tuoi" without diacritics', async () => {
    await expect(searchNames('sua tuoi')).resolves.toEqual(['Sữa tươi Vinamilk 1L']);
  });

  it('matches with or without diacritics in the query', async () => {
    await expect(searchNames('ca chua')).resolves.toEqual(['Cà chua Đà Lạt']);
    await expect(searchNames('đà lạt')).resolves.toEqual(['Cà chua Đà Lạt']);
    await expect(searchNames('DA LAT')).resolves.toEqual(['Cà chua Đà Lạt']);
    expect((await searchNames('sua')).sort()).toEqual(['Sữa chua Ba Vì', 'Sữa tươi Vinamilk 1L']);
    await expect(searchNames('cà phê')).resolves.toEqual([]);
  });

  it('filters and sorts on the folded keyword and numeric fields', async () => {
    const res = await es.search<{ name: string }>({
      index,
      query: { range: { price: { gte: 15_000, lte: 30_000 } } },
      sort: [{ 'name.sort': 'asc' }],
    });
    expect(res.hits.hits.map((h) => h._source?.name)).toEqual([
      'Bánh mì tươi',
      'Cà chua Đà Lạt',
      'Sữa chua Ba Vì',
    ]);
  });
});

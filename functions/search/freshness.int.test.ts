/**
 * Freshness through the real backbone: a product written in the catalog becomes searchable through
 * outbox → relay → Kafka → router → search indexer → Elasticsearch within 2 s (issue 3's bound,
 * checked on the median of five updates so one or two scheduling hiccups on a loaded CI box do not
 * decide it); and a full reindex from the catalog export while it runs.
 */
import { randomBytes } from 'node:crypto';
import { startBackbone, type Backbone } from '../../scripts/lib/backbone';
import { addTestCategories, productBody, startCatalog, type RunningCatalog } from '../catalog/testing';
import { serviceToken } from '../shared/auth/testing';
import { createElasticsearch } from '../shared/clients/elasticsearch';
import { serviceEnv } from '../shared/clients/testing/service-env';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { runReindex } from './seed';
import { startSearch } from './testing';
import { testIssuer } from '../shared/eventing/testing';

const ES_URL = serviceEnv('ELASTICSEARCH_URL');
const alias = `t-${randomBytes(4).toString('hex')}-products`;
const searchEnv = { SEARCH_ENGINE: 'elasticsearch', ELASTICSEARCH_URL: ES_URL, SEARCH_INDEX_ALIAS: alias };
let db: TestDatabase;
let catalog: RunningCatalog;
let search: Awaited<ReturnType<typeof startSearch>>;
let backbone: Backbone;

beforeAll(async () => {
  db = await freshDatabase();
  await addTestCategories(db.pool);
  catalog = await startCatalog(db.url);
  search = await startSearch(db.url, searchEnv);
  const bases: Record<string, string> = { catalog: catalog.base, search: search.base };
  backbone = await startBackbone({
    pool: db.pool,
    schemas: ['catalog'],
    resolve: (name) => bases[name],
    issuer: testIssuer,
    kafkaBrokers: serviceEnv('KAFKA_BROKERS').split(','),
    groupId: `t-fresh-${randomBytes(4).toString('hex')}`,
    startAtLatest: true,
    routerSchema: 'router',
  });
}, 120_000);

afterAll(async () => {
  await backbone.stop();
  await search.close();
  await catalog.close();
  await db.drop();
  const es = createElasticsearch({ url: ES_URL });
  await es.indices.delete({ index: `${alias}-*`, ignore_unavailable: true, allow_no_indices: true });
  await es.close();
});

async function msUntilFound(word: string, sku: string, deadlineMs = 15_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    const res = await fetch(`${search.base}/search?q=${encodeURIComponent(word)}`);
    const body = (await res.json()) as { hits: { sku: string }[] };
    if (body.hits.some((h) => h.sku === sku)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${sku} not searchable as "${word}" after ${deadlineMs} ms`);
}

it('makes created and updated products searchable within 2 s through Kafka and Elasticsearch', async () => {
  const created = await catalog.call('POST', '/products', {
    staff: true,
    json: productBody('TU-900001', { name_en: 'Kumquat Jam 200 g' }),
  });
  expect(created.status).toBe(201);
  await msUntilFound('kumquat', 'TU-900001'); // warms topics, consumer group and index

  const times: number[] = [];
  // Five updates and their median: one slow round on a busy CI machine does not decide it.
  for (const word of ['dragonfruit', 'rambutan', 'mangosteen', 'longan', 'soursop']) {
    const started = Date.now();
    const res = await catalog.call('PATCH', '/products/TU-900001', {
      staff: true,
      json: { name_en: `${word} jam 200 g` },
    });
    expect(res.status).toBe(200);
    await msUntilFound(word, 'TU-900001');
    times.push(Date.now() - started);
  }
  times.sort((a, b) => a - b);
  // eslint-disable-next-line no-console -- the measured figures belong in the CI log (docs/benchmarks.md)
  console.log(`freshness (update → searchable) ms: ${times.join(', ')}`);
  expect(times[2]).toBeLessThanOrEqual(2000);
});

it('rebuilds the index from the catalog export while searches keep answering', async () => {
  for (let i = 2; i <= 6; i++)
    expect(
      (await catalog.call('POST', '/products', { staff: true, json: productBody(`TU-90000${i}`) })).status,
    ).toBe(201);
  const report = await runReindex(db.pool, catalog.base, {
    ...searchEnv,
    DATABASE_URL: db.url,
    CATALOG_TOKEN: serviceToken(['catalog:export'], 'search-indexer'),
  });
  expect(report.reconciled).toBe(6);
  expect(report.indexed).toBe(6);
  const res = await fetch(`${search.base}/search?q=sua tuoi`);
  expect(((await res.json()) as { total: number }).total).toBe(6); // TU-900001 is a "Sữa tươi" too
});

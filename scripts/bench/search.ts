/**
 * Search benchmark: the search function (lean host, its own process) over the 50,000-SKU seed
 * catalog, driven by autocannon with 64 connections through a realistic mixed query set
 * (accented, unaccented, typos, prefixes, brands, English, filters, sorts, typeahead), once per
 * engine; plus the time of a full Elasticsearch rebuild of 50k documents. Loopback only.
 * Needs `make services-up` (PostgreSQL, Elasticsearch). Prints Markdown.
 */
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createElasticsearch } from '../../functions/shared/clients/elasticsearch';
import { serviceEnv } from '../../functions/shared/clients/testing/service-env';
import { createPool, withTransaction } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { toSearchDocument } from '../../functions/search/domain';
import { createElasticsearchEngine } from '../../functions/search/engines/elasticsearch';
import { documentStore } from '../../functions/search/store';
import { seedSnapshots } from '../../functions/search/testing';
import { fold } from '../../functions/search/text';
import type { ProductSnapshot } from '../../events';
import { built, freePort, startNode } from '../testing/processes';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = 64;
const ALIAS = 'bench-products';

/** A deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The mixed query set: paths relative to the function. */
export function querySet(products: ProductSnapshot[], n = 400): string[] {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const active = products.filter((p) => p.status === 'active');
  const words = (s: string) => s.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const typo = (w: string) => (w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w + w.slice(-1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = pick(active);
    const vi = words(p.name_vi).slice(0, 2);
    const en = words(p.name_en).slice(-2);
    const r = rand();
    let q: string;
    let extra = '';
    if (r < 0.3) q = vi.join(' ');
    else if (r < 0.5) q = fold(vi.join(' '));
    else if (r < 0.62) q = en.join(' ');
    else if (r < 0.72) q = fold(vi.map((w, j) => (j === vi.length - 1 ? typo(w) : w)).join(' '));
    else if (r < 0.8) q = `${fold(vi[0]!)} ${fold(vi[1] ?? '').slice(0, 2)}`.trim();
    else if (r < 0.86) q = p.brand;
    else if (r < 0.93) {
      q = fold(vi[0]!);
      extra = pick([
        '&dietary=vegan',
        '&is_perishable=true',
        '&price_max=50000',
        '&sort=price_asc',
        `&category=${p.category_path[0]!.id}`,
      ]);
    } else {
      out.push(`/search/suggest?q=${encodeURIComponent(fold(vi.join(' ')).slice(0, 5))}`);
      continue;
    }
    out.push(`/search?q=${encodeURIComponent(q)}${extra}&lang=${rand() < 0.7 ? 'vi' : 'en'}`);
  }
  return out;
}

async function freshDb(): Promise<string> {
  const admin = new Client({ connectionString: serviceEnv('DATABASE_URL') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_search WITH (FORCE)');
  await admin.query('CREATE DATABASE bench_search');
  await admin.end();
  const url = new URL(serviceEnv('DATABASE_URL'));
  url.pathname = '/bench_search';
  return url.toString();
}

async function run(label: string, env: NodeJS.ProcessEnv, paths: string[]): Promise<string> {
  const port = await freePort();
  const child = startNode(
    [built('functions/shared/host.js'), '--target=search', `--source=${built('functions/search/index.js')}`],
    {
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      DB_POOL_SIZE: '16',
      ...env,
    },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    await child.waitForHttp(`${base}/readyz`);
    const requests = paths.map((path) => ({ method: 'GET' as const, path }));
    await autocannon({ url: base, connections: CONNECTIONS, duration: 3, requests }); // warm-up
    const r = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION_S, requests });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return `| ${label} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} | ${r.latency.p99} |`;
  } finally {
    child.proc.kill('SIGTERM');
    await child.exited();
  }
}

async function main(): Promise<void> {
  const url = await freshDb();
  const pool = createPool(url, { max: 8 });
  const store = documentStore('search');
  try {
    await migrate(pool, allTracks());
    const { snapshots, sales } = seedSnapshots();
    let started = Date.now();
    for (let i = 0; i < snapshots.length; i += 2000) {
      const items = snapshots.slice(i, i + 2000).map((product) => ({
        product,
        doc: toSearchDocument(product, sales.get(product.sku) ?? 0),
        popularity: sales.get(product.sku) ?? 0,
      }));
      await withTransaction(pool, (tx) => store.upsertProducts(tx, items, { replaceEqual: true }));
    }
    await pool.query('ANALYZE search.documents');
    const loadMs = Date.now() - started;

    const es = createElasticsearch({ url: serviceEnv('ELASTICSEARCH_URL') });
    const engine = createElasticsearchEngine({ client: es, alias: ALIAS });
    started = Date.now();
    const rebuilt = await engine.rebuild(store.batches(pool));
    const rebuildMs = Date.now() - started;

    const paths = querySet(snapshots);
    const env = {
      DATABASE_URL: url,
      ELASTICSEARCH_URL: serviceEnv('ELASTICSEARCH_URL'),
      SEARCH_INDEX_ALIAS: ALIAS,
    };
    const rows = [
      await run('PostgreSQL engine', { ...env, SEARCH_ENGINE: 'postgres' }, paths),
      await run('Elasticsearch engine', { ...env, SEARCH_ENGINE: 'elasticsearch' }, paths),
    ];
    await es.indices.delete({ index: `${ALIAS}-*`, ignore_unavailable: true, allow_no_indices: true });
    await es.close();
    console.log(
      `\nSearch: ${snapshots.length} SKUs, ${paths.length} distinct mixed queries, ${CONNECTIONS} connections, ${DURATION_S} s each\n`,
    );
    console.log('| engine | req/s | p50 ms | p99 ms |\n|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(`\nLoad 50k documents into search.documents: ${(loadMs / 1000).toFixed(1)} s`);
    console.log(
      `Elasticsearch full rebuild (new index, bulk, alias swap): ${rebuilt.indexed} docs in ${(rebuildMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

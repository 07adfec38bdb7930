/**
 * Search benchmark: the search function (lean host, its own process) over the 50,000-SKU seed
 * catalog, driven by autocannon with 64 connections through a realistic mixed query set
 * (accented, unaccented, typos, prefixes, brands, English, filters, sorts, typeahead), once per
 * engine; plus the time of a full Elasticsearch rebuild of 50k documents. Loopback only.
 * Needs `make services-up` (PostgreSQL, Elasticsearch). Prints Markdown.
 */
import autocannon from 'autocannon';
import { createElasticsearch } from '../../functions/shared/clients/elasticsearch';
import { serviceEnv } from '../../functions/shared/clients/testing/service-env';
import { createPool, withTransaction } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { toSearchDocument } from '../../functions/search/domain';
import { createElasticsearchEngine } from '../../functions/search/engines/elasticsearch';
import { documentStore } from '../../functions/search/store';
import { seedSnapshots } from '../seed/data';
import { fold } from '../../functions/search/text';
import type { ProductSnapshot } from '../../events';
import { benchDatabase, rng, serveFunction, zipfPicker } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = 64;
/** Latency without a queue: 64 connections on two cores wait behind each other (Little's law). */
const FEW_CONNECTIONS = 8;
const ALIAS = 'bench-products';

/** The English product noun of a name: without the brand, the pack and the size ("Bar Soap"). */
function englishNoun(p: ProductSnapshot): string[] {
  const brand = new Set(p.brand.toLowerCase().split(/\s+/));
  const words: string[] = [];
  for (const w of p.name_en.split(/\s+/)) {
    if (/\d/.test(w) || /^(pack|case|box|bag)$/i.test(w)) break;
    if (/\p{L}/u.test(w) && !brand.has(w.toLowerCase())) words.push(w);
  }
  return words.slice(-2);
}

/**
 * The distinct queries of the mix, as paths relative to the function: Vietnamese with and without
 * accents (half), English product nouns, typos, as-you-type prefixes, brands, filtered and sorted
 * searches, and typeahead.
 */
export function querySet(products: ProductSnapshot[], n = 5_000): string[] {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const active = products.filter((p) => p.status === 'active');
  const words = (s: string) => s.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const typo = (w: string) => (w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w + w.slice(-1));
  const out = new Set<string>();
  while (out.size < n) {
    const p = pick(active);
    const vi = words(p.name_vi).slice(0, 2);
    const en = englishNoun(p);
    const r = rand();
    let q: string;
    let extra = '';
    if (r < 0.3) q = vi.join(' ');
    else if (r < 0.5) q = fold(vi.join(' '));
    else if (r < 0.62 && en.length > 0) q = en.join(' ');
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
      out.add(`/search/suggest?q=${encodeURIComponent(fold(vi.join(' ')).slice(0, 5))}`);
      continue;
    }
    out.add(`/search?q=${encodeURIComponent(q.toLowerCase())}${extra}&lang=${rand() < 0.7 ? 'vi' : 'en'}`);
  }
  return [...out];
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Requests that got no 2xx answer within autocannon's 10 s timeout. */
  failed: number;
}

/** Serves search in its own process with `env` and drives it with Zipf-distributed queries. */
async function drive(env: NodeJS.ProcessEnv, paths: string[], connections: number): Promise<Figures> {
  const { base, stop } = await serveFunction('search', { DB_POOL_SIZE: '16', ...env });
  try {
    const next = zipfPicker(paths);
    const requests = [{ method: 'GET' as const, setupRequest: (req: object) => ({ ...req, path: next() }) }];
    await autocannon({ url: base, connections, duration: 3, requests }); // warm-up
    const r = await autocannon({ url: base, connections, duration: DURATION_S, requests });
    // Failures are figures too (a cold engine overloaded by 64 connections times out): reported, not thrown.
    return {
      rps: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      failed: r.non2xx + r.errors, // errors include timeouts
    };
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  const url = await benchDatabase('bench_search');
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
    const rows: string[] = [];
    for (const [engine, name] of [
      ['postgres', 'PostgreSQL'],
      ['elasticsearch', 'Elasticsearch'],
    ] as const) {
      for (const [entries, cache] of [
        ['0', 'off'],
        ['5000', 'on'],
      ] as const) {
        for (const connections of [CONNECTIONS, FEW_CONNECTIONS]) {
          const f = await drive(
            { ...env, SEARCH_ENGINE: engine, SEARCH_CACHE_ENTRIES: entries },
            paths,
            connections,
          );
          rows.push(
            `| ${name} | ${cache} | ${connections} | ${f.rps.toLocaleString('en')} | ${f.p50} | ${f.p99} | ${f.failed} |`,
          );
        }
      }
    }
    await es.indices.delete({ index: `${ALIAS}-*`, ignore_unavailable: true, allow_no_indices: true });
    await es.close();
    console.log(
      `\nSearch: ${snapshots.length.toLocaleString('en')} SKUs, ${paths.length.toLocaleString('en')} distinct mixed queries drawn Zipf(1), ${DURATION_S} s per row, each row a fresh process (cold cache)\n`,
    );
    console.log(
      '| engine | result cache | connections | req/s | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|---|',
    );
    for (const row of rows) console.log(row);
    console.log(`\nLoad 50k documents into search.documents: ${(loadMs / 1000).toFixed(1)} s`);
    console.log(
      `Elasticsearch full rebuild (new index, bulk, alias swap): ${rebuilt.indexed} docs in ${(rebuildMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await pool.end();
  }
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });

/**
 * Search benchmark: the search function (lean host, its own process) over the 50,000-SKU seed
 * catalog, driven by autocannon with 64 connections through a realistic mixed query set
 * (accented, unaccented, typos, prefixes, brands, English, filters, sorts, typeahead), once per
 * engine; plus the time of a full Elasticsearch rebuild of 50k documents. Loopback only.
 * Needs `make services-up` (PostgreSQL, Elasticsearch). Prints Markdown.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
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

/** Requests in flight one instance admits in the overload rows (the registry's MAX_INFLIGHT for search). */
const LIMIT = Number(process.env.BENCH_SEARCH_LIMIT ?? 16);

/** The given percentile of sorted values. */
const percentile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Answers the instance shed with 503 at its limit. */
  shed: number;
  /** p50 and p99 of the 2xx answers alone (ms). */
  okP50: number;
  okP99: number;
  ok: number;
  /** Requests that got no 2xx answer within autocannon's 10 s timeout. */
  failed: number;
}

/**
 * `connections` clients that each send a request, wait for its answer and send the next, as
 * autocannon does, but honour a 503's Retry-After (wait that long before the next request), as a
 * well-behaved client, the storefront included, does. autocannon's clients would retry a shed
 * request at once and turn the shedding into a loop that starves the engine of CPU.
 */
async function politeClients(
  base: string,
  next: () => string,
  connections: number,
  durationS: number,
): Promise<{ ok: number[]; shed: number; failed: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const ok: number[] = [];
  let shed = 0;
  let failed = 0;
  const until = Date.now() + durationS * 1000;
  const get = (path: string) =>
    new Promise<{ status: number; retryAfter: number }>((resolve) => {
      const req = request(`${base}${path}`, { agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1) }),
        );
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, retryAfter: 0 }));
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        const r = await get(next());
        if (r.status >= 200 && r.status < 300) ok.push(performance.now() - started);
        else if (r.status === 503) {
          shed++;
          await new Promise((done) => setTimeout(done, r.retryAfter * 1000));
        } else failed++;
      }
    }),
  );
  agent.destroy();
  return { ok, shed, failed };
}

/** Serves search in its own process with `env` and drives it with Zipf-distributed queries. */
async function drive(env: NodeJS.ProcessEnv, paths: string[], connections: number): Promise<Figures> {
  const { base, stop } = await serveFunction('search', { DB_POOL_SIZE: '16', ...env });
  try {
    const next = zipfPicker(paths);
    const requests = [{ method: 'GET' as const, setupRequest: (req: object) => ({ ...req, path: next() }) }];
    await autocannon({ url: base, connections, duration: 3, requests }); // warm-up
    if (env.MAX_INFLIGHT) {
      const r = await politeClients(base, next, connections, DURATION_S);
      r.ok.sort((a, b) => a - b);
      return {
        rps: Math.round(r.ok.length / DURATION_S),
        p50: 0,
        p99: 0,
        failed: r.failed,
        shed: r.shed,
        ok: r.ok.length,
        okP50: Math.round(percentile(r.ok, 0.5)),
        okP99: Math.round(percentile(r.ok, 0.99)),
      };
    }
    const r = await autocannon({ url: base, connections, duration: DURATION_S, requests });
    // Failures are figures too (a cold engine overloaded by 64 connections times out): reported, not thrown.
    return {
      rps: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      failed: r.non2xx + r.errors, // errors include timeouts
      shed: 0,
      ok: 0,
      okP50: 0,
      okP99: 0,
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
    const overload: string[] = [];
    const only = process.env.BENCH_SEARCH_ONLY; // 'overload': just the shedding rows
    for (const [engine, name] of [
      ['postgres', 'PostgreSQL'],
      ['elasticsearch', 'Elasticsearch'],
    ] as const) {
      for (const [entries, cache] of [
        ['0', 'off'],
        ['5000', 'on'],
      ] as const) {
        // The same load on an instance that sheds past LIMIT requests in flight (503 + Retry-After).
        const f = await drive(
          { ...env, SEARCH_ENGINE: engine, SEARCH_CACHE_ENTRIES: entries, MAX_INFLIGHT: String(LIMIT) },
          paths,
          CONNECTIONS,
        );
        const total = f.ok + f.shed + f.failed;
        overload.push(
          `| ${name} | ${cache} | ${CONNECTIONS} | ${LIMIT} | ${Math.round(f.ok / DURATION_S).toLocaleString('en')} | ${f.okP50} | ${f.okP99} | ${((100 * f.shed) / Math.max(total, 1)).toFixed(1)} % | ${f.failed} |`,
        );
        if (only === 'overload') continue;
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
    console.log(
      `\nOverload: 64 clients on an instance admitting ${LIMIT} requests at once (MAX_INFLIGHT), the rest answered 503 with Retry-After at once; each client waits Retry-After after a 503; latency of the 2xx answers\n`,
    );
    console.log(
      '| engine | result cache | connections | limit | answered/s | p50 ms | p99 ms | shed (503) | failed |\n|---|---|---|---|---|---|---|---|---|',
    );
    for (const row of overload) console.log(row);
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

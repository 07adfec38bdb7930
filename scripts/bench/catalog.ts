/**
 * Catalog benchmark: seeds the 50,000-SKU catalog (timed), then drives `GET /products/{sku}` on
 * the catalog function (lean host, its own process) over 2,000 warmed SKUs picked Zipf(1), in
 * English and Vietnamese, with the in-process cache (embedded mode) and with the shared Redis
 * cache, at 64 connections and at 8 (latency without queueing). Loopback only. Needs
 * `make services-up`. Prints Markdown.
 */
import { TEST_AUTH_ENV } from '../../functions/shared/auth/testing';
import autocannon from 'autocannon';
import { serviceEnv } from '../../functions/shared/clients/testing/service-env';
import { createPool } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { seed } from '../../functions/catalog/seed';
import { seedData } from '../seed/data';
import { benchDatabase, serveFunction, zipfPicker } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = 64;
/** Latency without a queue: 64 connections on two cores wait behind each other (Little's law). */
const FEW_CONNECTIONS = 8;
const HOT_SKUS = 2_000;

async function drive(env: NodeJS.ProcessEnv, paths: string[]) {
  const { base, stop } = await serveFunction('catalog', {
    ...TEST_AUTH_ENV,
    ...env,
  });
  try {
    // Warm the cache: every path once.
    for (let i = 0; i < paths.length; i += 32)
      await Promise.all(
        paths.slice(i, i + 32).map(async (path) => {
          const res = await fetch(`${base}${path}`);
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          await res.arrayBuffer();
        }),
      );
    const next = zipfPicker(paths);
    const requests = [{ method: 'GET' as const, setupRequest: (req: object) => ({ ...req, path: next() }) }];
    await autocannon({ url: base, connections: CONNECTIONS, duration: 3, requests });
    const out = [];
    for (const connections of [CONNECTIONS, FEW_CONNECTIONS]) {
      const r = await autocannon({ url: base, connections, duration: DURATION_S, requests });
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
      out.push({ connections, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 });
    }
    return out;
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  const url = await benchDatabase('bench_catalog');
  const pool = createPool(url, { max: 4 });
  let seedLine: string;
  let skus: string[];
  try {
    await migrate(pool, allTracks());
    seedLine = `Seed (into the services' PostgreSQL): ${await seed(pool, seedData(), { write: () => {} })}`;
    const { rows } = await pool.query<{ sku: string }>(
      `SELECT sku FROM catalog.products WHERE status = 'active' ORDER BY md5(sku) LIMIT ${HOT_SKUS}`,
    );
    skus = rows.map((r) => r.sku);
  } finally {
    await pool.end();
  }
  const paths = skus.flatMap((sku) => [`/products/${sku}?lang=vi`, `/products/${sku}?lang=en`]);
  const rows: string[] = [];
  const caches = [
    ['in-process LRU (embedded mode)', { DATABASE_URL: url }],
    [
      'Redis (shared)',
      { DATABASE_URL: url, REDIS_URL: serviceEnv('REDIS_URL'), CATALOG_CACHE_PREFIX: `bench:${Date.now()}:` },
    ],
  ] as const;
  for (const [label, env] of caches)
    for (const f of await drive(env, paths))
      rows.push(`| ${label} | ${f.connections} | ${f.rps.toLocaleString('en')} | ${f.p50} | ${f.p99} |`);
  console.log(
    `\nProduct detail (GET /products/{sku}, cached): ${HOT_SKUS.toLocaleString('en')} SKUs × 2 languages drawn Zipf(1), ${DURATION_S} s per row\n`,
  );
  console.log('| cache | connections | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\n${seedLine}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

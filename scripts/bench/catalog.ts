/**
 * Catalog benchmark: seeds the 50,000-SKU catalog (timed), then drives `GET /products/{sku}` on
 * the catalog function (lean host, its own process) with 64 connections over 2,000 warmed SKUs
 * picked Zipf(1), in English and Vietnamese, once with the in-process cache (embedded mode) and
 * once with the shared Redis cache. Loopback only. Needs `make services-up`. Prints Markdown.
 */
import autocannon from 'autocannon';
import { serviceEnv } from '../../functions/shared/clients/testing/service-env';
import { createPool } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { seed } from '../../functions/catalog/seed';
import { built, freePort, startNode } from '../testing/processes';
import { benchDatabase, zipfPicker } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = 64;
const HOT_SKUS = 2_000;

async function drive(env: NodeJS.ProcessEnv, paths: string[]) {
  const port = await freePort();
  const child = startNode(
    [
      built('functions/shared/host.js'),
      '--target=catalog',
      `--source=${built('functions/catalog/index.js')}`,
    ],
    {
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      CATALOG_ADMIN_TOKEN: 'bench-admin-token-0000',
      ...env,
    },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    await child.waitForHttp(`${base}/readyz`);
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
    const r = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION_S, requests });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
    return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 };
  } finally {
    child.proc.kill('SIGTERM');
    await child.exited();
  }
}

async function main(): Promise<void> {
  const url = await benchDatabase('bench_catalog');
  const pool = createPool(url, { max: 4 });
  let seedLine: string;
  let skus: string[];
  try {
    await migrate(pool, allTracks());
    const started = Date.now();
    seedLine = await seed(pool, { write: () => {} });
    const seedMs = Date.now() - started;
    seedLine = `Seed: ${seedLine} in ${(seedMs / 1000).toFixed(1)} s (into the services' PostgreSQL)`;
    const { rows } = await pool.query<{ sku: string }>(
      `SELECT sku FROM catalog.products WHERE status = 'active' ORDER BY md5(sku) LIMIT ${HOT_SKUS}`,
    );
    skus = rows.map((r) => r.sku);
  } finally {
    await pool.end();
  }
  const paths = skus.flatMap((sku) => [`/products/${sku}?lang=vi`, `/products/${sku}?lang=en`]);
  const rows: string[] = [];
  const memory = await drive({ DATABASE_URL: url }, paths);
  rows.push(
    `| in-process LRU (embedded mode) | ${memory.rps.toLocaleString('en')} | ${memory.p50} | ${memory.p99} |`,
  );
  const redis = await drive(
    {
      DATABASE_URL: url,
      REDIS_URL: serviceEnv('REDIS_URL'),
      CATALOG_CACHE_PREFIX: `bench:${Date.now()}:`,
    },
    paths,
  );
  rows.push(`| Redis (shared) | ${redis.rps.toLocaleString('en')} | ${redis.p50} | ${redis.p99} |`);
  console.log(
    `\nProduct detail (GET /products/{sku}, cached): ${HOT_SKUS.toLocaleString('en')} SKUs × 2 languages drawn Zipf(1), ${CONNECTIONS} connections, ${DURATION_S} s per row\n`,
  );
  console.log('| cache | req/s | p50 ms | p99 ms |\n|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\n${seedLine}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

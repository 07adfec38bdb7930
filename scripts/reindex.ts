/**
 * `make reindex`: rebuilds the search index from the catalog without downtime. Reads DATABASE_URL
 * (or the embedded dev database), CATALOG_URL (default the dev gateway), SEARCH_ENGINE and
 * ELASTICSEARCH_URL like the search function, and the search-indexer client's AUTH_CLIENT_SECRET
 * (the dev default) or a CATALOG_TOKEN with catalog:export.
 */
import { createPool } from '../functions/shared/db';
import { runReindex } from '../functions/search/seed';
import { DEV_INDEXER_SECRET } from '../functions/user/seed';

async function main(): Promise<void> {
  const env = process.env;
  const url = env.DATABASE_URL ?? `postgres://tuoi:tuoi@127.0.0.1:${env.EMBEDDED_PG_PORT ?? 54329}/tuoi`;
  const pool = createPool(url, { max: 4 });
  try {
    const r = await runReindex(pool, env.CATALOG_URL ?? 'http://127.0.0.1:8080', {
      AUTH_CLIENT_SECRET: DEV_INDEXER_SECRET,
      ...env,
      DATABASE_URL: url,
    });
    console.log(
      `reconciled ${r.reconciled} products (${r.tombstoned} removed) in ${r.ms.reconcile} ms; ` +
        `engine indexed ${r.indexed} documents in ${r.ms.rebuild} ms`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

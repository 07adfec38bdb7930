/**
 * Dev and ops entry points of the search index: `afterStart` (run by `make dev` once every
 * function is up) builds the index from the catalog when it is empty; `runReindex` is the full
 * reindex behind `make reindex`.
 */
import type { Pool } from 'pg';
import { clientTokens } from '../shared/auth/client';
import { optional, parseConfig, str } from '../shared/config';
import { createEngine, SCHEMA, searchEngineConfigSpec } from './deps';
import { httpExportReader, reindex, type ReindexReport } from './reindex';
import { documentStore } from './store';

/** Redraws one progress line on stderr. */
function progressLine(label: string, done: number): void {
  process.stderr.write(`\r${label.padEnd(10)} ${done}   `);
}

/**
 * How the reindex reads the catalog export (it needs catalog:export): a ready access token in
 * CATALOG_TOKEN, or the client credentials AUTH_CLIENT_ID / AUTH_CLIENT_SECRET exchanged at
 * AUTH_TOKEN_URL (default: /auth/token behind the same gateway as the catalog).
 */
const credentialsSpec = {
  CATALOG_TOKEN: optional(),
  AUTH_TOKEN_URL: optional(),
  AUTH_CLIENT_ID: str('search-indexer'),
  AUTH_CLIENT_SECRET: optional(),
};

function exportToken(catalogUrl: string, env: NodeJS.ProcessEnv): () => Promise<string> {
  const c = parseConfig(credentialsSpec, env);
  if (c.CATALOG_TOKEN) return async () => c.CATALOG_TOKEN as string;
  if (!c.AUTH_CLIENT_SECRET)
    throw new Error(
      'Set AUTH_CLIENT_SECRET (client search-indexer) or CATALOG_TOKEN to read the catalog export',
    );
  return clientTokens({
    tokenUrl: c.AUTH_TOKEN_URL ?? new URL('/auth/token', catalogUrl).toString(),
    clientId: c.AUTH_CLIENT_ID,
    clientSecret: c.AUTH_CLIENT_SECRET,
    scope: 'catalog:export',
  });
}

/** Runs a full reindex from the catalog at `catalogUrl` into the configured engine, with progress. */
export async function runReindex(
  pool: Pool,
  catalogUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReindexReport> {
  const config = parseConfig(searchEngineConfigSpec, env);
  const token = exportToken(catalogUrl, env);
  const { engine, close } = createEngine(config, pool);
  const store = documentStore(SCHEMA);
  let phase = '';
  try {
    const report = await reindex({
      pool,
      store,
      engine,
      read: httpExportReader(catalogUrl, token),
      progress: (p, done) => {
        if (p !== phase && phase) process.stderr.write('\n');
        phase = p;
        progressLine(p, done);
      },
    });
    process.stderr.write('\n');
    return report;
  } finally {
    await close();
  }
}

/** `make dev` hook: builds the search index from the catalog when it holds no documents yet. */
export async function afterStart(ctx: {
  pool: Pool;
  gatewayUrl: string;
  env: NodeJS.ProcessEnv;
}): Promise<string> {
  const { rows } = await ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.documents`);
  if (rows[0]!.n > 0) return `index holds ${rows[0]!.n} documents`;
  const r = await runReindex(ctx.pool, ctx.gatewayUrl, ctx.env);
  return `indexed ${r.indexed} products from the catalog in ${((r.ms.reconcile + r.ms.rebuild) / 1000).toFixed(1)} s`;
}

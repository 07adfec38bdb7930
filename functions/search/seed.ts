/**
 * Dev and ops entry points of the search index: `afterStart` (run by `make dev` once every
 * function is up) builds the index from the catalog when it is empty; `runReindex` is the full
 * reindex behind `make reindex`.
 */
import type { Pool } from 'pg';
import { parseConfig, str } from '../shared/config';
import { createEngine, SCHEMA, searchConfigSpec } from './deps';
import { httpExportReader, reindex, type ReindexReport } from './reindex';
import { documentStore } from './store';

/** Redraws one progress line on stderr. */
function progressLine(label: string, done: number): void {
  process.stderr.write(`\r${label.padEnd(10)} ${done}   `);
}

/** Runs a full reindex from the catalog at `catalogUrl` into the configured engine, with progress. */
export async function runReindex(
  pool: Pool,
  catalogUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReindexReport> {
  const config = parseConfig({ ...searchConfigSpec, CATALOG_ADMIN_TOKEN: str() }, env);
  const { engine, close } = createEngine(config, pool);
  const store = documentStore(SCHEMA);
  let phase = '';
  try {
    const report = await reindex({
      pool,
      store,
      engine,
      read: httpExportReader(catalogUrl, config.CATALOG_ADMIN_TOKEN),
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

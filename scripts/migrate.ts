/**
 * `make migrate`: applies every function schema's migrations (and the local router's) to
 * DATABASE_URL. Forward-only; prints what it applied.
 */
import type { Pool } from 'pg';
import { createPool } from '../functions/shared/db';
import { allTracks, migrate, type MigrationReport } from '../functions/shared/migrate';

/** Migrates every schema of the registry plus the router's queue. */
export function migrateAll(pool: Pool): Promise<MigrationReport[]> {
  return migrate(pool, allTracks());
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required but not set');
    process.exit(78);
  }
  const pool = createPool(url, { max: 2 });
  try {
    for (const r of await migrateAll(pool))
      console.log(
        `${r.schema}: ${r.applied.length === 0 ? 'up to date' : 'applied ' + r.applied.join(', ')}`,
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

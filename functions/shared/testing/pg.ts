/** Integration-test helper: a fresh, fully migrated database on the test PostgreSQL server per suite. */
import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPool } from '../db';
import { allTracks, migrate } from '../migrate';
import { serviceEnv } from '../clients/testing/service-env';

/** The test server (started by `make services-up`; address from the environment or infra/services.env). */
export const TEST_DATABASE_URL = serviceEnv('DATABASE_URL');

/** A throwaway database. */
export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates database `t_<random>`, applies every migration, and returns a pool on it. */
export async function freshDatabase(
  opts: { poolSize?: number; migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), { max: opts.poolSize ?? 20 });
  if (opts.migrate !== false) await migrate(pool, allTracks());
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

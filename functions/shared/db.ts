/**
 * PostgreSQL access: one pool per process and a visible transaction wrapper. Functions pass the
 * transaction client to the state change and to the outbox, so both commit or neither does.
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { noteDatabaseError, observePool } from './metrics';

/** A client inside an open transaction. */
export type Tx = PoolClient;

/** Something that can run a query: a pool or a transaction client. */
export type Queryable = Pick<Pool, 'query'>;

/**
 * Creates a pool; connections are opened lazily on first use. `name` labels its metrics
 * (`tuoi_db_pool_connections{pool}`), read when Prometheus scrapes.
 */
export function createPool(connectionString: string, opts: Partial<PoolConfig> = {}, name = 'main'): Pool {
  const pool = new Pool({
    connectionString,
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    application_name: process.env.K_SERVICE ?? process.env.FUNCTION_TARGET ?? 'tuoi',
    ...opts,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  observePool(pool, name);
  return pool;
}

const commitHooks = new WeakMap<Tx, (() => void)[]>();

/**
 * Runs `fn` once `tx` (a `withTransaction` client) has committed, never if it rolls back; ignored
 * for a client whose transaction `withTransaction` does not own. For counters only: `fn` must not throw.
 */
export function onCommit(tx: Tx, fn: () => void): void {
  commitHooks.get(tx)?.push(fn);
}

/** Runs `fn` in a transaction: commits when it resolves, rolls back when it throws. */
export async function withTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const hooks: (() => void)[] = [];
  commitHooks.set(client, hooks);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    commitHooks.delete(client);
    for (const hook of hooks)
      try {
        hook();
      } catch {
        // A counter never fails work that has committed.
      }
    return result;
  } catch (err) {
    noteDatabaseError(err);
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw err;
  } finally {
    commitHooks.delete(client);
    client.release(broken);
  }
}

/** Throws unless the database answers a trivial query. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}

/** Quotes an SQL identifier (schema and table names come from the registry, never from requests). */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

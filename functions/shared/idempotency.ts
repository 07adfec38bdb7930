/**
 * Idempotent commands with Stripe's semantics: a write runs once per client-supplied key; its
 * response is stored with a hash of the request; a retry with the same key and request gets the
 * stored response back (`replayed: true`); the same key with a different request is a 409.
 *
 *   const once = idempotentUnit(unitOfWork(pool, SCHEMA), SCHEMA);
 *   const { status, body, replayed } = await once(
 *     { scope: `POST /reservations ${principal}`, key: idempotencyKeyFrom(headers), request: body },
 *     async ({ tx, emit }) => ({ status: 201, body: await reserve(tx, ...) }),
 *   );
 *
 * The key row is inserted first, inside the unit of work, so it commits with the effect and its
 * events or not at all: a command that throws (broken infrastructure) leaves no key and may be
 * retried; a returned outcome, a refusal included, is stored and replayed. Concurrent first
 * attempts with one key queue on the key's unique index: the first runs the write, the others
 * wait for its commit and replay it (or run it, if it rolled back).
 */
import { createHash } from 'node:crypto';
import { ident, type Queryable } from './db';
import { ConflictError, ValidationError } from './errors';
import type { UnitOfWork, Work } from './unit-of-work';

/** How long a key is remembered unless the runner is told otherwise: 24 hours, as Stripe. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A command's outcome as the client sees it; `body` must be JSON. */
export interface CommandResponse<T> {
  status: number;
  body: T;
}

/** What an idempotent run answers; `replayed` is true when it came from the store (no write ran). */
export interface IdempotentResponse<T> extends CommandResponse<T> {
  replayed: boolean;
}

/** Identifies one command: `request` is hashed, `scope` keeps keys of routes and principals apart. */
export interface IdempotentCommand {
  /** The route and principal the key belongs to, e.g. `POST /reservations staff:42`. */
  scope: string;
  /** The client's Idempotency-Key. */
  key: string;
  /** Everything that makes two requests the same command (usually the parsed body and path params). */
  request: unknown;
}

/** Runs `fn` once per (scope, key) within a unit of work; see the module comment. */
export type IdempotentRunner = <T>(
  command: IdempotentCommand,
  fn: (work: Work) => Promise<CommandResponse<T>>,
) => Promise<IdempotentResponse<T>>;

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Reads and checks the Idempotency-Key header (1–255 visible ASCII characters). Returns undefined
 * when it is absent, so a route decides whether the key is required.
 */
export function idempotencyKeyFrom(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!KEY.test(key))
    throw new ValidationError('Idempotency-Key must be 1 to 255 visible ASCII characters', [
      { field: '/headers/idempotency-key', code: 'format', message: 'Use a UUID or another opaque token' },
    ]);
  return key;
}

/** SHA-256 of `request` as canonical JSON (object keys sorted), so key order does not matter. */
export function hashRequest(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * An idempotent runner over `work` (a unit of work of `schema`, whose `idempotency_keys` table
 * the platform migration creates). `ttlMs` is how long a key is remembered.
 */
export function idempotentUnit(
  work: UnitOfWork,
  schema: string,
  opts: { ttlMs?: number } = {},
): IdempotentRunner {
  const table = `${ident(schema)}.idempotency_keys`;
  const ttlSeconds = (opts.ttlMs ?? IDEMPOTENCY_TTL_MS) / 1000;
  return (command, fn) => {
    const hash = hashRequest(command.request);
    return work(async (unit) => {
      // Insert first: a live row of another transaction makes this wait for its commit; an expired
      // row is taken over. No row back means a live, committed key: replay or refuse.
      const claimed = await unit.tx.query(
        `INSERT INTO ${table} AS k (scope, key, request_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))
         ON CONFLICT (scope, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, status = NULL, response = NULL,
               created_at = now(), expires_at = EXCLUDED.expires_at
           WHERE k.expires_at <= now()
         RETURNING 1`,
        [command.scope, command.key, hash, ttlSeconds],
      );
      if (claimed.rowCount === 0) return replay(unit, table, command, hash);
      const response = await fn(unit);
      await unit.tx.query(`UPDATE ${table} SET status = $3, response = $4 WHERE scope = $1 AND key = $2`, [
        command.scope,
        command.key,
        response.status,
        JSON.stringify(response.body ?? null),
      ]);
      return { ...response, replayed: false };
    });
  };
}

async function replay<T>(
  unit: Work,
  table: string,
  command: IdempotentCommand,
  hash: string,
): Promise<IdempotentResponse<T>> {
  const { rows } = await unit.tx.query<{ request_hash: string; status: number; response: T }>(
    `SELECT request_hash, status, response FROM ${table} WHERE scope = $1 AND key = $2`,
    [command.scope, command.key],
  );
  const stored = rows[0];
  if (!stored) throw new Error(`idempotency key ${command.key} vanished while it was replayed`);
  if (stored.request_hash !== hash)
    throw new ConflictError('This Idempotency-Key was already used for a different request', {
      code: 'idempotency-key-reused',
    });
  return { status: stored.status, body: stored.response, replayed: true };
}

/** Deletes up to `limit` expired keys of `schema`; returns how many. Run it from a function's sweeper. */
export async function purgeExpiredIdempotencyKeys(
  db: Queryable,
  schema: string,
  limit = 10_000,
): Promise<number> {
  const table = `${ident(schema)}.idempotency_keys`;
  const result = await db.query(
    `DELETE FROM ${table} WHERE (scope, key) IN (
       SELECT scope, key FROM ${table} WHERE expires_at <= now() ORDER BY expires_at LIMIT $1)`,
    [limit],
  );
  return result.rowCount ?? 0;
}

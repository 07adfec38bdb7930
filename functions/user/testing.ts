/**
 * Integration-test helpers: the user function on the lean host. The secrets a test needs (a
 * verification or reset token) are read from the events the function wrote to its outbox, as the
 * notification function would receive them.
 */
import { createPool } from '../shared/db';
import { serveLean, type LeanServer } from '../shared/host';
import { createUser, SCHEMA } from './deps';

/** Key-encryption secret of test instances. */
export const TEST_KEY_SECRET = 'test-users-key-secret-0123456789abcdef';

/** A running user function. */
export interface RunningUser extends LeanServer {
  base: string;
  /** fetch with a JSON body and an optional bearer token. */
  call(
    method: string,
    path: string,
    opts?: { json?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /** The newest secret (link token or code) the function's events carried to `to`. */
  secretFor(to: string, type?: string): Promise<string>;
}

/** Serves the user function against `databaseUrl`; `env` adds or overrides variables. */
export async function startUser(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<RunningUser> {
  const lean = await serveLean(
    { name: 'user', create: createUser },
    {
      port: 0,
      env: { DATABASE_URL: databaseUrl, USERS_KEY_SECRET: TEST_KEY_SECRET, ...env },
    },
  );
  const base = `http://127.0.0.1:${lean.port}`;
  const call: RunningUser['call'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    return fetch(`${base}${path}`, { method, headers, body });
  };
  return {
    ...lean,
    base,
    call,
    async secretFor(to, type) {
      const pool = createPool(databaseUrl, { max: 1 });
      try {
        const { rows } = await pool.query<{ event: { type: string; data: Record<string, unknown> } }>(
          `SELECT event FROM ${SCHEMA}.outbox WHERE event->'data'->>'to' = $1 ORDER BY id DESC`,
          [to],
        );
        for (const { event } of rows) {
          const secret = (event.data.verification ?? event.data.reset) as { token?: string } | undefined;
          if (secret?.token && (!type || event.type === type)) return secret.token;
        }
      } finally {
        await pool.end();
      }
      throw new Error(`No secret for ${to} in the user function's events`);
    },
  };
}

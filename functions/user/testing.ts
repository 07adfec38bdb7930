/** Integration-test helpers: the user function on the lean host, with the dev mailbox on. */
import { serveLean, type LeanServer } from '../shared/host';
import { createUser } from './deps';

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
  /** The newest secret (link token or code) the dev mailbox holds for `to`. */
  secretFor(to: string, type?: string): Promise<string>;
}

/** Serves the user function against `databaseUrl`; `env` adds or overrides variables. */
export async function startUser(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<RunningUser> {
  const lean = await serveLean(
    { name: 'user', create: createUser },
    {
      port: 0,
      env: { DATABASE_URL: databaseUrl, USERS_KEY_SECRET: TEST_KEY_SECRET, USERS_DEV_MAILBOX: 'on', ...env },
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
      const res = await call('GET', `/auth/dev/mailbox?to=${encodeURIComponent(to)}`);
      const { messages } = (await res.json()) as { messages: { type: string; secret?: string }[] };
      const hit = messages.find((m) => m.secret && (!type || m.type === type));
      if (!hit?.secret) throw new Error(`No secret for ${to} in the dev mailbox`);
      return hit.secret;
    },
  };
}

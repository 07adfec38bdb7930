/**
 * The platform as an attacker meets it, on a fresh test database: every registry function as its
 * own process on its registry host (`hostOf`), small seeds, the gateway process in front, and the
 * dev accounts' access tokens.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { hostOf, registry, type FunctionSpec } from '../../../functions/registry';
import { createPool } from '../../../functions/shared/db';
import { testIssuer } from '../../../functions/shared/eventing/testing';
import { outboxSchemas } from '../../../functions/shared/migrate';
import { startBackbone, type Backbone } from '../../lib/backbone';
import { uniqueSuffix } from '../../../functions/shared/clients/testing/service-env';
import { eventAuthEnv } from '../../../functions/shared/eventing/testing';
import { repoRoot } from '../../../functions/shared/paths';
import { freshDatabase, type TestDatabase } from '../../../functions/shared/testing/pg';
import {
  DEV_ACCOUNTS,
  DEV_INDEXER_SECRET,
  DEV_KEY_SECRET,
  DEV_NOTIFY_CLIENT_SECRET,
  DEV_ORDER_CLIENT_SECRET,
  DEV_PASSWORD,
} from '../../../functions/user/seed';
import { seedData, type SeedData } from '../../seed/data';
import { built, reservePort, startNode, startOnFreePort, type Child } from '../processes';
import type { Caller } from './cases';

/** A running platform. */
export interface Platform {
  db: TestDatabase;
  gateway: { url: string; child: Child };
  functions: { fn: FunctionSpec; url: string; child: Child }[];
  /** Access tokens of the dev accounts by role. */
  tokens: Record<Exclude<Caller, 'none'>, string>;
  /** The environment a function's process got, without ours (the route walker creates instances with it). */
  envOf(fn: FunctionSpec): NodeJS.ProcessEnv;
  /** Kills function `name`'s process (SIGKILL: no graceful shutdown), as a crashed pod. */
  kill(name: string): Promise<void>;
  /** Starts function `name` again on its port after `kill`, and waits until it is healthy. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Products and lots the suite seeds (the dev seeds' generators with a small count). */
export const SEED_COUNT = 12;

/**
 * Settings of the suite's processes: private cache prefixes, index alias and collection (shared
 * services, parallel test runs), cheap argon2 and generous IP limits so thousands of hostile sign-ins
 * reach validation and the handlers instead of a 429, hour-long access tokens. Counters stay in
 * process (no REDIS_URL for user): the suite's sign-ins must not count against other tests' clients.
 */
function suiteEnv(suffix: string): Record<string, NodeJS.ProcessEnv> {
  return {
    all: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      USERS_KEY_SECRET: DEV_KEY_SECRET,
      AUTH_CLIENT_SECRET: DEV_INDEXER_SECRET,
      ORDER_CLIENT_SECRET: DEV_ORDER_CLIENT_SECRET,
      NOTIFY_CLIENT_SECRET: DEV_NOTIFY_CLIENT_SECRET,
      NOTIFY_SEAL_KEY: `hostile-seal-key-${suffix}`,
      CATALOG_CACHE_PREFIX: `hostile:${suffix}:`,
      SEARCH_INDEX_ALIAS: `tuoi-hostile-${suffix}`,
      INVENTORY_FIRESTORE_COLLECTION: `hostile_${suffix}`,
      CART_REDIS_PREFIX: `hostile:${suffix}:cart:`,
    },
    // Nothing leaves the machine: every message is kept in the dev outbox.
    notification: { NOTIFY_DEV_OUTBOX: 'on' },
    // Carts in PostgreSQL, so "a refused write changes nothing" is checked on them too.
    cart: { CART_STORE: 'postgres' },
    user: {
      REDIS_URL: '',
      USERS_ACCESS_TTL_SECONDS: '3600',
      USERS_ARGON2_MEMORY_KIB: '1024',
      USERS_ARGON2_PASSES: '1',
      USERS_LIMIT_LOGIN_IP: '1000000/900',
      USERS_LIMIT_REFRESH_IP: '1000000/900',
      USERS_LIMIT_RESET_IP: '1000000/3600',
      USERS_LIMIT_REGISTER_IP: '1000000/3600',
    },
  };
}

function moduleOf(fn: FunctionSpec, file: string): Record<string, unknown> | undefined {
  // From the sources under jest, from dist/ when compiled (the benchmarks).
  const compiled = __filename.endsWith('.js');
  const path = compiled
    ? join(__dirname, '..', '..', '..', 'functions', fn.name, file)
    : join(repoRoot(), 'functions', fn.name, file);
  if (!existsSync(`${path}.${compiled ? 'js' : 'ts'}`)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as Record<string, unknown>;
}

/** Runs each function's dev seed, handing each the same small generated catalog. */
async function seedAll(pool: Pool): Promise<void> {
  const data = seedData({ count: SEED_COUNT });
  for (const fn of registry) {
    const seed = moduleOf(fn, 'seed')?.seed as
      ((p: Pool, d: SeedData, o: { write: (text: string) => void }) => Promise<string>) | undefined;
    if (seed) await seed(pool, data, { write: () => {} });
  }
}

/** Runs each function's `afterStart` hook, as `make dev` does (search indexes the catalog). */
async function afterStartAll(
  pool: Pool,
  gatewayUrl: string,
  envOf: (fn: FunctionSpec) => NodeJS.ProcessEnv,
): Promise<void> {
  for (const fn of registry) {
    const hook = moduleOf(fn, 'seed')?.afterStart as
      ((ctx: { pool: Pool; gatewayUrl: string; env: NodeJS.ProcessEnv }) => Promise<string>) | undefined;
    if (hook) {
      const write = process.stderr.write;
      process.stderr.write = () => true; // progress lines
      try {
        await hook({ pool, gatewayUrl, env: envOf(fn) });
      } finally {
        process.stderr.write = write;
      }
    }
  }
}

function startFunction(fn: FunctionSpec, port: number, env: NodeJS.ProcessEnv): Child {
  const source = built(`functions/${fn.name}/index.js`);
  const entry = built(`functions/shared/${hostOf(fn) === 'lean' ? 'host' : 'framework-host'}.js`);
  return startNode([entry, `--target=${fn.name}`, `--source=${source}`], {
    ...env,
    PORT: String(port),
    FUNCTION_TARGET: fn.name,
    K_SERVICE: fn.name,
    ...(fn.maxBodyBytes ? { MAX_BODY_BYTES: String(fn.maxBodyBytes) } : {}),
  });
}

/**
 * The gateway's own code in its own process (it must survive the suite, so not in the test's
 * process), with the cluster's settings: no `/_fn/` shortcut.
 */
function startGatewayProcess(port: number, upstreams: Record<string, string>): Child {
  const script = `require(process.env.GATEWAY_JS).startGateway(Number(process.env.PORT), JSON.parse(process.env.UPSTREAMS)).then((g) => console.log('gateway on ' + g.port));`;
  return startNode(['-e', script], {
    GATEWAY_JS: built('functions/shared/gateway.js'),
    PORT: String(port),
    UPSTREAMS: JSON.stringify(upstreams),
  });
}

async function login(gatewayUrl: string, email: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: email, password: DEV_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** What a suite asks of the platform beyond the defaults. */
export interface PlatformOptions {
  /** Deliver events between the functions (the local router reading the outboxes, test issuer). */
  events?: boolean;
  /** Extra variables per function name (e.g. a payment rail pointed at its simulator). */
  env?: Record<string, NodeJS.ProcessEnv>;
}

/** Starts everything on a fresh database; `stop` ends the processes and drops the database. */
export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const suffix = uniqueSuffix();
  const db = await freshDatabase({ poolSize: 4 });
  const children: Child[] = [];
  let backbone: { stop(): Promise<void> } | undefined;
  try {
    await seedAll(db.pool);
    // The gateway's port is held until its process starts: the functions' env needs its URL first.
    const gatewayPort = await reservePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort.port}`;
    const envs = suiteEnv(suffix);
    const env: NodeJS.ProcessEnv = {
      ...envs.all,
      DATABASE_URL: db.url,
      AUTH_JWKS_URL: `${gatewayUrl}/.well-known/jwks.json`,
      GATEWAY_URL: gatewayUrl,
      // The shop on plain local HTTP: payment pages send shoppers back to it and messages link to
      // it (every function gets this env: order and notification read SHOP_URL); no photo host offline.
      SHOP_URL: gatewayUrl,
      // Providers' callbacks on the webhook routes reach the suite's gateway (payment and
      // notification read WEBHOOK_BASE_URL; the manifests give them https://hooks.<env>).
      WEBHOOK_BASE_URL: gatewayUrl,
      STOREFRONT_SECURE_COOKIES: 'off',
      STOREFRONT_IMAGE_ORIGINS: 'none',
    };
    // CloudEvent senders are checked against the test issuer.
    // Peers a function reaches at their cluster-local URLs are reached through the suite's gateway.
    const local = (vars: Record<string, string> = {}) =>
      Object.fromEntries(
        Object.entries(vars).map(([k, v]) => [k, /\.svc\.cluster\.local\b/.test(v) ? gatewayUrl : v]),
      );
    const envOf = (fn: FunctionSpec) => ({
      ...env,
      ...local(fn.env),
      ...envs[fn.name],
      ...eventAuthEnv(fn.name),
      ...opts.env?.[fn.name],
    });
    const functions: Platform['functions'] = await Promise.all(
      registry
        .filter((f) => f.routes.length > 0)
        .map(async (fn) => {
          const { child, url } = await startOnFreePort(
            (port) => {
              const c = startFunction(fn, port, envOf(fn));
              children.push(c);
              return c;
            },
            '/healthz',
            { timeoutMs: 60_000 },
          );
          return { fn, url, child };
        }),
    );
    const upstreams = Object.fromEntries(functions.map((f) => [f.fn.name, f.url]));
    await gatewayPort.release();
    const gatewayChild = startGatewayProcess(gatewayPort.port, upstreams);
    children.push(gatewayChild);
    await gatewayChild.waitForHttp(`${gatewayUrl}/healthz`, 20_000);
    if (opts.events) backbone = await startEvents(db.url, upstreams);
    await afterStartAll(db.pool, gatewayUrl, (fn) => ({ ...process.env, ...envOf(fn) }));
    const byRole = (role: string) => DEV_ACCOUNTS.find((a) => a.role === role)!.email;
    const tokens = {
      admin: await login(gatewayUrl, byRole('admin')),
      staff: await login(gatewayUrl, byRole('staff')),
      customer: await login(gatewayUrl, byRole('customer')),
    };
    return {
      db,
      gateway: { url: gatewayUrl, child: gatewayChild },
      functions,
      tokens,
      envOf,
      async kill(name) {
        const f = functions.find((x) => x.fn.name === name)!;
        f.child.proc.kill('SIGKILL');
        await f.child.exited();
      },
      async restart(name) {
        const f = functions.find((x) => x.fn.name === name)!;
        const port = Number(new URL(f.url).port);
        f.child = startFunction(f.fn, port, envOf(f.fn));
        children.push(f.child);
        await f.child.waitForHttp(`${f.url}/healthz`, 60_000);
      },
      stop: () => stopAll(children, db, backbone),
    };
  } catch (err) {
    await stopAll(children, db, backbone);
    throw err;
  }
}

/** The local router over every outbox, delivering to the functions' processes as Triggers would. */
async function startEvents(
  url: string,
  upstreams: Record<string, string>,
): Promise<{ stop(): Promise<void> }> {
  const pool = createPool(url, { max: 8 });
  let bb: Backbone;
  try {
    bb = await startBackbone({
      pool,
      schemas: outboxSchemas(),
      resolve: (name) => upstreams[name],
      issuer: testIssuer,
    });
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    stop: async () => {
      await bb.stop();
      await pool.end();
    },
  };
}

async function stopAll(
  children: Child[],
  db: TestDatabase,
  backbone?: { stop(): Promise<void> },
): Promise<void> {
  await backbone?.stop();
  await Promise.all(
    children.map(async (c) => {
      if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
      c.proc.kill('SIGTERM');
      const timer = setTimeout(() => c.proc.kill('SIGKILL'), 5_000);
      await c.exited();
      clearTimeout(timer);
    }),
  );
  await db.drop();
}

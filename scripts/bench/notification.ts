/**
 * Notification benchmark (issue 20). (1) Messages rendered and handed to the provider per second:
 * the notification function on its registry host (functions-framework, NODE_ENV=production) in its
 * own process, pinned to one core when `taskset` exists, on a fresh database; N signed CloudEvents
 * delivered 16 at a time, timed from the first delivery to the last message recorded `queued`. The
 * providers are a loopback server in this process answering at once (SendGrid 202, Twilio 201 with
 * a sid): their own time is 0, so the figure is our whole cost (intake, plan, render, SDK, HTTP,
 * record). Order events need a contact: the user function is a loopback stub here too (token and
 * `GET /users/{id}` at once). Also the dev outbox (no HTTP) and `render()` alone in this thread.
 * (2) Cold start, 5 times: spawn → /healthz 2xx, → first CloudEvent 2xx, → its message `queued`.
 * Loopback only; drops its database and stops its processes.
 */
import type { Static } from '@sinclair/typebox';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { TuoiCloudEvent } from '../../events';
import { orderConfirmed } from '../../events/order/order.v1';
import { userPasswordResetRequested } from '../../events/user/user.v1';
import { hostOf, registry } from '../../functions/registry';
import { LANGS, linksFor, loadTemplates, render, templatesFor } from '../../functions/notification/templates';
import { buildEvent } from '../../functions/shared/eventing/outbox';
import { eventAuthEnv, signedDelivery } from '../../functions/shared/eventing/testing';
import { repoRoot } from '../../functions/shared/paths';
import { freshDatabase, type TestDatabase } from '../../functions/shared/testing/pg';
import { built, freePort } from '../testing/processes';
import { backendTicks, procTicks, TICK_MS } from './lib';

const N = Number(process.env.BENCH_MESSAGES ?? 3_000);
const WARM = 300;
const CONCURRENCY = 16;
const TICK = '50'; // NOTIFY_TICK_MS: its minimum (the config refuses less); every event also kicks a turn
const COLD_RUNS = 5;
const RENDER_S = 3;
const HOST = process.env.BENCH_HOST ?? hostOf(registry.find((f) => f.name === 'notification')!);
const PROFILE = process.env.BENCH_PROFILE_DIR; // a V8 CPU profile of each function process
const PIN = spawnSync('taskset', ['-V']).status === 0 ? String(cpus().length - 1) : undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** SendGrid, Twilio and the user function's contact API, answering at once on loopback. */
async function loopback() {
  const hits = { sendgrid: 0, twilio: 0, users: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '';
      const user = /^\/users\/([^/?]+)/.exec(url);
      let status = 200;
      let body: unknown = {};
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.startsWith('/v3/mail/send')) {
        hits.sendgrid++;
        status = 202;
        headers['x-message-id'] = randomBytes(11).toString('base64url');
      } else if (/^\/2010-04-01\/Accounts\/\w+\/Messages\.json/.test(url)) {
        hits.twilio++;
        status = 201;
        body = { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', num_segments: '1' };
      } else if (url === '/auth/token') body = { access_token: 'bench-token', expires_in: 3600 };
      else if (user) {
        hits.users++;
        const email = `${user[1]}@example.vn`;
        body = { email, email_verified: true, phone: null, lang: 'vi', status: 'active' };
      } else status = 404;
      res.writeHead(status, headers).end(status === 202 ? undefined : JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(r)) };
}

/** The function on its registry host (`hostOf`; BENCH_HOST=lean|framework overrides it), pinned. */
async function startFunction(env: NodeJS.ProcessEnv, onSpawn?: () => void) {
  const port = await freePort();
  const node = [
    process.execPath,
    ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []),
    built(`functions/shared/${HOST === 'lean' ? 'host' : 'framework-host'}.js`),
    '--target=notification',
    `--source=${built('functions/notification/index.js')}`,
  ];
  const argv = PIN ? ['taskset', '-c', PIN, ...node] : node;
  onSpawn?.();
  const proc = spawn(argv[0]!, argv.slice(1), {
    // No Firestore project: no in-app feed, so nothing leaves loopback but to our own server.
    env: {
      METRICS_PORT: 'off',
      ...process.env,
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      K_SERVICE: 'notification',
      FIRESTORE_PROJECT_ID: '',
      ...eventAuthEnv('notification'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (c) => (out += c));
  proc.stderr.on('data', (c) => (out += c));
  const exited = new Promise((r) => proc.on('exit', r));
  const stop = () => (proc.exitCode === null && proc.kill('SIGTERM'), exited);
  return { proc, base: `http://127.0.0.1:${port}`, stop, output: () => out };
}

/** Waits for 2xx on GET url; resolves with the moment it came. */
async function answered(url: string, proc: { exitCode: number | null }, output: () => string) {
  for (const deadline = Date.now() + 30_000; ;) {
    if (proc.exitCode !== null) throw new Error(`the function exited:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return performance.now();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered:\n${output()}`);
    await sleep(2);
  }
}

/** Delivers an event until it is accepted (a busy consumer may ask for it again). */
async function deliver(base: string, event: TuoiCloudEvent): Promise<void> {
  for (let tries = 1; ; tries++) {
    const res = await signedDelivery(base, 'notification', event).catch(() => undefined);
    if (res && res.status < 300) return;
    if (tries > 200) throw new Error(`event ${event.id} refused: ${res?.status}`);
    await sleep(20);
  }
}

const resetEvent = (id: string, channel: 'email' | 'phone', i: number) => {
  const to = channel === 'email' ? `bench.${i}@example.vn` : `+8490${String(i).padStart(7, '0')}`;
  const reset = {
    token: randomBytes(32).toString('base64url'),
    expires_at: new Date(Date.now() + 3.6e6).toISOString(),
  };
  return buildEvent(
    userPasswordResetRequested,
    { user_id: randomUUID(), channel, to, lang: i % 2 ? 'vi' : 'en', reset },
    { id },
  );
};

const FIXTURES = join(repoRoot(), 'events/fixtures');
const fixtures = (type: string) =>
  readdirSync(join(FIXTURES, type, 'valid')).map(
    (f) => JSON.parse(readFileSync(join(FIXTURES, type, 'valid', f), 'utf8')) as TuoiCloudEvent,
  );
const confirmed = fixtures(orderConfirmed.type)[0]!.data as Static<typeof orderConfirmed.data>;
const orderEvent = (id: string, userId: string) =>
  buildEvent(
    orderConfirmed,
    { ...confirmed, order_id: `ord-bench${id.replace(/[^0-9a-z]/g, '')}`, customer_id: userId },
    { id },
  );

/** Delivers `events` 16 at a time and waits until all their messages are `queued`. */
async function throughput(
  db: TestDatabase,
  fn: { base: string; proc: { pid?: number } },
  events: TuoiCloudEvent[],
) {
  const prefix = `${events[0]!.source}#${events[0]!.id.split('-')[0]}-%`;
  const dbName = new URL(db.url).pathname.slice(1);
  const xacts = async () =>
    (await db.pool.query(`SELECT xact_commit::int AS n FROM pg_stat_database WHERE datname = $1`, [dbName]))
      .rows[0].n as number;
  const [pg0, fn0, x0] = [backendTicks(dbName), procTicks(fn.proc.pid!), await xacts()];
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < events.length) await deliver(fn.base, events[next++]!);
    }),
  );
  const accepted = events.length / ((Date.now() - t0) / 1000);
  for (const deadline = Date.now() + 300_000; ; await sleep(100)) {
    const { rows } = await db.pool.query(
      `SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued, max(updated_at) AS last,
              count(*) FILTER (WHERE status IN ('failed', 'dead'))::int AS bad
         FROM notifications.messages WHERE event_id LIKE $1`,
      [prefix],
    );
    if (rows[0].bad > 0) throw new Error(`${rows[0].bad} messages failed`);
    if (Date.now() > deadline) throw new Error(`only ${rows[0].queued} of ${events.length} queued`);
    if (rows[0].queued < events.length) continue;
    let pgTicks = 0;
    for (const [pid, t] of backendTicks(dbName)) pgTicks += t - (pg0.get(pid) ?? 0);
    return {
      perSecond: events.length / (((rows[0].last as Date).getTime() - t0) / 1000),
      accepted,
      fnMs: ((procTicks(fn.proc.pid!) - fn0) * TICK_MS) / events.length,
      pgMs: (pgTicks * TICK_MS) / events.length,
      tx: ((await xacts()) - x0) / events.length,
    };
  }
}

/** render() alone, every template × both languages in turn, for RENDER_S seconds. */
async function renderOnly(): Promise<number> {
  const templates = loadTemplates();
  const cases = [...templates.values()].flatMap((t) => {
    const data = fixtures(t.event)
      .map((e) => e.data as Record<string, unknown>)
      .find((d) => templatesFor(templates, t.event, d).includes(t))!;
    return LANGS.map((lang) => ({ t, lang, data }));
  });
  let n = 0;
  const go = async (until: number) => {
    while (Date.now() < until)
      for (const c of cases) {
        await render(c.t, c.lang, c.data, linksFor(c.data, 'https://tuoi.vn'), { maxSmsSegments: 2 });
        n++;
      }
  };
  await go(Date.now() + 1_000);
  n = 0;
  const t0 = Date.now();
  await go(t0 + RENDER_S * 1_000);
  return n / ((Date.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const stub = await loopback();
  const db = await freshDatabase({ poolSize: 2 });
  const env = {
    DATABASE_URL: db.url,
    NOTIFY_USER_URL: stub.base,
    AUTH_JWKS_URL: `${stub.base}/.well-known/jwks.json`, // no staff request here: never fetched
    NOTIFY_CLIENT_SECRET: 'bench-client-secret',
    NOTIFY_SEAL_KEY: 'bench-seal-key-0123456789abcdef',
    NOTIFY_TICK_MS: TICK,
    SENDGRID_API_KEY: 'SG.bench',
    SENDGRID_API_URL: stub.base,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'bench-twilio-auth-token-00000000',
    TWILIO_API_URL: stub.base,
    TWILIO_FROM: '+15005550006',
  };
  const out: string[] = [];
  const cold: number[][] = [];
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const renders = await renderOnly();
    // Order messages ask the (stub) user function for each customer's contact: every customer a new
    // one. Their preferences have no quiet hours, so the run does not depend on the hour.
    const users = Array.from({ length: N + WARM }, () => randomUUID());
    await db.pool.query(
      `INSERT INTO notifications.preferences (user_id, channels, quiet, updated_at)
       SELECT u, '{"account":["email"],"order":["email"],"marketing":[]}', NULL, now() FROM unnest($1::text[]) u`,
      [users],
    );
    let u = 0;
    const reset = (channel: 'email' | 'phone') => (id: string, i: number) => resetEvent(id, channel, i);
    const workloads: [string, string, NodeJS.ProcessEnv, (id: string, i: number) => TuoiCloudEvent][] = [
      ['SendGrid (loopback, 202 at once): password reset by email', 'sg', {}, reset('email')],
      ['Twilio (loopback, 201 at once): password reset by SMS', 'tw', {}, reset('phone')],
      [
        'SendGrid: order confirmed, contact from the user stub',
        'oc',
        {},
        (id) => orderEvent(id, users[u++]!),
      ],
      ['dev outbox (no HTTP): password reset by email', 'dv', { NOTIFY_DEV_OUTBOX: 'on' }, reset('email')],
    ];
    for (const [label, key, extra, make] of workloads) {
      const fn = await startFunction({ ...env, ...extra });
      stops.push(fn.stop);
      await answered(`${fn.base}/readyz`, fn.proc, fn.output);
      const batch = (tag: string, n: number) =>
        Array.from({ length: n }, (_, i) => make(`${key}${tag}-${i}`, i));
      await throughput(db, fn, batch('warm', WARM));
      const r = await throughput(db, fn, batch('run', N));
      out.push(
        `| ${label} | ${fmt(r.perSecond)} | ${fmt(r.accepted)} | ${r.fnMs.toFixed(2)} | ${r.pgMs.toFixed(2)} | ${r.tx.toFixed(1)} |`,
      );
      await fn.stop();
    }
    out.push(
      `| render() alone, every template × language, in process | ${fmt(renders)} | – | ${(1000 / renders).toFixed(2)} | – | – |`,
    );

    for (let r = 0; r < COLD_RUNS; r++) {
      let t0 = 0;
      const fn = await startFunction(env, () => (t0 = performance.now()));
      stops.push(fn.stop);
      const healthy = await answered(`${fn.base}/healthz`, fn.proc, fn.output);
      const event = resetEvent(`cold${r}-0`, 'email', r);
      await deliver(fn.base, event);
      const taken = performance.now();
      const sql = `SELECT 1 FROM notifications.messages WHERE event_id = $1 AND status = 'queued'`;
      while (!(await db.pool.query(sql, [`${event.source}#${event.id}`])).rowCount) await sleep(2);
      cold.push([healthy - t0, taken - t0, performance.now() - t0]);
      await fn.stop();
    }
  } finally {
    for (const stop of stops) await stop();
    await db.drop();
    await stub.close();
  }
  const pin = PIN ? `pinned to core ${PIN} with taskset` : 'not pinned (no taskset)';
  console.log(
    `\nNotification: ${fmt(N)} messages per row after ${WARM} warm-up, ${CONCURRENCY} deliveries in flight,`,
  );
  console.log(`NOTIFY_TICK_MS=${TICK}, ${HOST} host, NODE_ENV=production, function ${pin}\n`);
  console.log(
    '| workload | messages/s | events accepted/s | function CPU ms/msg | PostgreSQL CPU ms/msg | transactions/msg |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const l of out) console.log(l);
  console.log(`\nLoopback requests: ${JSON.stringify(stub.hits)}.\n\nCold start, ${COLD_RUNS} runs:\n`);
  console.log('| from process start to | min ms | median ms | max ms |\n|---|---|---|---|');
  ['/healthz answers 2xx', 'first CloudEvent accepted (2xx)', 'its message `queued` at SendGrid'].forEach(
    (name, i) => {
      const v = cold.map((c) => c[i]!).sort((a, b) => a - b);
      console.log(`| ${name} | ${fmt(v[0]!)} | ${fmt(v[v.length >> 1]!)} | ${fmt(v[v.length - 1]!)} |`);
    },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

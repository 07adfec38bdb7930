/**
 * Users/auth benchmark (issue 5), two parts. Loopback only; stops by itself. Needs
 * `make services-up` (PostgreSQL; Redis holds the rate-limit counters, as in production).
 *
 * 1. Access-token verification in the shared verifier (`createVerifier`), in this process, one
 *    thread, no HTTP: `authenticate({ authorization: 'Bearer …' })` in a loop for 3 s after a 1 s
 *    warm-up. (a) cold: memory off (`cacheEntries: 0`), 30,000 pre-signed Ed25519 tokens in turn,
 *    so every call pays the full check (parse, signature, claims): the raw signature cost;
 *    (b) realistic: 20,000 active tokens (100k daily users, a fraction of them signed in at once)
 *    picked Zipf(1), default memory (50,000 tokens), once from an empty memory (every token's
 *    first use is a miss; the hit rate is counted) and once with the memory warm (steady state);
 *    (c) cold again with ES256 (P-256) for comparison. The picks are drawn before timing.
 *
 * 2. `POST /auth/login` on the user function (lean host, its own process, fresh database) at the
 *    default argon2id cost (19 MiB, 2 passes, 1 lane) over 1,000 registered accounts in turn, with
 *    10 connections, then 100 (in that order: the server keeps hashing the requests autocannon
 *    abandons when a round ends, a backlog that would fall on the next round). argon2 runs on
 *    libuv's threadpool (UV_THREADPOOL_SIZE, default 4) and this machine has 2 cores, shared by the
 *    function, PostgreSQL, Redis and autocannon, so logins/s is bounded by cores ÷ hash time. The
 *    hash time is measured here first: 50 sequential `argon2.hash` calls in this process, then as
 *    many at once as the threadpool has threads for 3 s (the hashes/s the machine really gives).
 *    The latency at 100 concurrent logins is then mostly queueing: by Little's law, time in system
 *    = clients in flight ÷ throughput, so p50 ≈ 100 ÷ logins/s whatever the code does; the
 *    10-connection round shows it with a short queue. The pool's new PostgreSQL connections
 *    authenticate (SCRAM, on WebCrypto) on the same threadpool, behind the queued hashes, so under
 *    the deep queue some can exceed the pool's 5 s connection timeout and answer 500: answers
 *    other than 200 are counted, not fatal. Prints Markdown.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import * as argon2 from 'argon2';
import autocannon from 'autocannon';
import { publicJwk, signJwt } from '../../functions/shared/auth/jwt';
import { createVerifier, staticKeys, type Verifier } from '../../functions/shared/auth/verifier';
import { createPool } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { DEFAULT_COST } from '../../functions/user/passwords';
import { benchDatabase, serveFunction, zipfPicker } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const FEW_DURATION_S = 10;
const CONNECTIONS = 100;
const FEW_CONNECTIONS = 10;
const ACCOUNTS = 1_000;
const REGISTER_CONCURRENCY = 8;
const HASHES = 50;
const PARALLEL_S = 3;

const VERIFY_S = 3;
const WARMUP_S = 1;
const COLD_TOKENS = 30_000;
const ES_TOKENS = 15_000;
const ACTIVE_TOKENS = 20_000;
/** Pre-drawn Zipf picks; the sequence repeats past its end (every token is remembered by then). */
const PICKS = 4_000_000;

const ISSUER = 'https://auth.tuoi.vn';
const AUDIENCE = 'tuoi-api';
/** The rule format allows at most six digits: effectively no limit for a 20 s run. */
const NO_LIMIT = '999999/900';

const email = (i: number) => `bench-${i}@example.vn`;
const password = (i: number) => `bench-password-${i}-xyz`;
const ms = (v: number) => Math.round(v * 10) / 10;
const n = (v: number) => Math.round(v).toLocaleString('en');

// ---------------------------------------------------------------------------------------------
// 1. Verification

function tokens(key: KeyObject, kid: string, count: number, prefix: string): string[] {
  const exp = Math.floor(Date.now() / 1000) + 900;
  return Array.from(
    { length: count },
    (_, i) =>
      `Bearer ${signJwt({ iss: ISSUER, aud: AUDIENCE, sub: `${prefix}-${i}`, exp, role: 'customer', scope: '' }, key, kid)}`,
  );
}

/** Calls `verify(i)` for i = 0, 1, … for `seconds`; returns calls and calls/s. */
async function timed(seconds: number, verify: (i: number) => Promise<unknown>) {
  const start = performance.now();
  const end = start + seconds * 1000;
  let calls = 0;
  while (performance.now() < end) for (let k = 0; k < 256; k++) await verify(calls++);
  return { calls, perSecond: calls / ((performance.now() - start) / 1000) };
}

async function verification(): Promise<string[]> {
  const ed = generateKeyPairSync('ed25519');
  const es = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = staticKeys({
    keys: [publicJwk(ed.publicKey, 'bench-ed'), publicJwk(es.publicKey, 'bench-es')],
  });
  const verifier = (cacheEntries?: number): Verifier =>
    createVerifier({ keys, issuer: ISSUER, audience: AUDIENCE, cacheEntries });

  const cold = tokens(ed.privateKey, 'bench-ed', COLD_TOKENS, 'cold');
  const esCold = tokens(es.privateKey, 'bench-es', ES_TOKENS, 'es');
  const active = tokens(ed.privateKey, 'bench-ed', ACTIVE_TOKENS, 'active');
  const pick = zipfPicker(
    Array.from({ length: ACTIVE_TOKENS }, (_, i) => i),
    1,
  );
  const picks = new Uint32Array(PICKS);
  for (let i = 0; i < PICKS; i++) picks[i] = pick();

  const rows: string[] = [];
  const row = (label: string, calls: number, perSecond: number, hits: string) =>
    rows.push(`| ${label} | ${n(calls)} | **${n(perSecond)}** | ${ms(1e6 / perSecond)} | ${hits} |`);

  // (a) Ed25519, memory off.
  const a = verifier(0);
  await timed(WARMUP_S, (i) => a.authenticate({ authorization: cold[i % COLD_TOKENS] }));
  const ra = await timed(VERIFY_S, (i) => a.authenticate({ authorization: cold[(i + 7_919) % COLD_TOKENS] }));
  row('(a) cold, Ed25519, memory off', ra.calls, ra.perSecond, '0 %');

  // (b) Zipf(1) over 20,000 active tokens, default memory: warm the code on another instance,
  // then time a fresh one from an empty memory, then the same one again (memory warm).
  const warm = verifier();
  await timed(WARMUP_S, (i) => warm.authenticate({ authorization: active[picks[i % PICKS]!] }));
  const b = verifier();
  const rb = await timed(VERIFY_S, (i) => b.authenticate({ authorization: active[picks[i % PICKS]!] }));
  // Nothing is evicted (20,000 < 50,000 entries) or expires in the run: misses = distinct tokens.
  const seen = new Set(picks.subarray(0, Math.min(rb.calls, PICKS)));
  const hitRate = (1 - seen.size / rb.calls) * 100;
  row(
    '(b) Zipf(1) over 20,000 tokens, Ed25519, default memory, from empty',
    rb.calls,
    rb.perSecond,
    `${hitRate.toFixed(2)} % (${n(seen.size)} misses)`,
  );
  const offset = rb.calls;
  const rb2 = await timed(VERIFY_S, (i) =>
    b.authenticate({ authorization: active[picks[(offset + i) % PICKS]!] }),
  );
  row('(b) same, memory warm (steady state)', rb2.calls, rb2.perSecond, '100 %');

  // (c) ES256, memory off.
  const c = verifier(0);
  await timed(WARMUP_S, (i) => c.authenticate({ authorization: esCold[i % ES_TOKENS] }));
  const rc = await timed(VERIFY_S, (i) => c.authenticate({ authorization: esCold[(i + 7_919) % ES_TOKENS] }));
  row('(c) cold, ES256 (P-256), memory off', rc.calls, rc.perSecond, '0 %');
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. Login

async function hashTime(): Promise<{ mean: number; p50: number; width: number; parallel: number }> {
  const options = { type: argon2.argon2id, ...DEFAULT_COST };
  await argon2.hash('warm-up-password', options);
  const times: number[] = [];
  for (let i = 0; i < HASHES; i++) {
    const t = performance.now();
    await argon2.hash(password(i), options);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  // The threadpool's width of hashes at once, as a login burst runs them: the measured ceiling.
  const width = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const start = performance.now();
  const end = start + PARALLEL_S * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (performance.now() < end) {
        await argon2.hash(password(done), options);
        done++;
      }
    }),
  );
  return {
    mean: times.reduce((s, t) => s + t, 0) / HASHES,
    p50: times[HASHES >> 1]!,
    width,
    parallel: done / ((performance.now() - start) / 1000),
  };
}

async function register(base: string): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: REGISTER_CONCURRENCY }, async () => {
      for (let i = next++; i < ACCOUNTS; i = next++) {
        const res = await fetch(`${base}/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: email(i), password: password(i) }),
        });
        if (res.status !== 202) throw new Error(`register ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

interface Round {
  connections: number;
  seconds: number;
  ok: number;
  other: string;
  errors: number;
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  max: number;
}

async function login(base: string, connections: number, seconds: number): Promise<Round> {
  let i = 0;
  const codes = new Map<number, number>();
  const requests = [
    {
      method: 'POST' as const,
      path: '/auth/login',
      setupRequest: (req: object) => {
        const k = i++ % ACCOUNTS;
        return { ...req, body: JSON.stringify({ identifier: email(k), password: password(k) }) };
      },
      onResponse: (status: number) => codes.set(status, (codes.get(status) ?? 0) + 1),
    },
  ];
  const r = await autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 30,
    headers: { 'content-type': 'application/json' },
    requests,
  });
  const ok = codes.get(200) ?? 0;
  const other = [...codes].filter(([c]) => c !== 200);
  return {
    connections,
    seconds,
    ok,
    other: other.length ? other.map(([c, k]) => `${k}×${c}`).join(', ') : '0',
    errors: r.errors + r.timeouts,
    rps: ok / seconds,
    p50: r.latency.p50,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
    max: r.latency.max,
  };
}

async function logins() {
  const hash = await hashTime();
  const url = await benchDatabase('bench_auth');
  const pool = createPool(url, { max: 4 });
  try {
    await migrate(pool, allTracks());
  } finally {
    await pool.end();
  }
  const { base, stop } = await serveFunction('user', {
    DATABASE_URL: url,
    USERS_KEY_SECRET: 'bench-key-secret-0123456789abcdefghijklmnop',
    USERS_LIMIT_LOGIN_ACCOUNT: NO_LIMIT,
    USERS_LIMIT_LOGIN_IP: NO_LIMIT,
    USERS_LIMIT_REGISTER_IP: NO_LIMIT,
    USERS_LIMIT_REGISTER_ACCOUNT: NO_LIMIT,
    // Counters in this process, not the services' Redis: an earlier run's counters would refuse
    // this run's registrations of the same addresses.
    REDIS_URL: '',
  });
  try {
    const registerS = await register(base);
    const check = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: email(0), password: password(0) }),
    });
    if (check.status !== 200) throw new Error(`login: ${check.status} ${await check.text()}`);
    await check.arrayBuffer();
    const rounds = [
      await login(base, FEW_CONNECTIONS, FEW_DURATION_S),
      await login(base, CONNECTIONS, DURATION_S),
    ];
    return { hash, registerS, rounds };
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2));
  const verify = await verification();
  const { hash, registerS, rounds } = await logins();

  console.log(
    `\nMachine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average at start ${load.join(' ')}, at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `\nAccess-token verification in the shared verifier, one thread, in process, ${VERIFY_S} s per row (goal ≥ 20,000/s)\n`,
  );
  console.log('| workload | calls | verifications/s | µs per call | memory hits |\n|---|---|---|---|---|');
  for (const r of verify) console.log(r);

  const perCore = 1000 / hash.mean;
  console.log(
    `\nargon2id at the default cost (m=${DEFAULT_COST.memoryCost} KiB, t=${DEFAULT_COST.timeCost}, p=${DEFAULT_COST.parallelism}), ${HASHES} sequential hashes in process: mean ${ms(hash.mean)} ms, p50 ${ms(hash.p50)} ms → ideal ceiling ${cpus().length} cores × ${perCore.toFixed(1)}/s = ${Math.round(cpus().length * perCore)} hashes/s; measured with ${hash.width} at once (the threadpool's width) for ${PARALLEL_S} s: ${hash.parallel.toFixed(1)} hashes/s`,
  );
  console.log(
    `Registration of ${n(ACCOUNTS)} accounts, ${REGISTER_CONCURRENCY} at a time: ${registerS.toFixed(1)} s (${Math.round(ACCOUNTS / registerS)}/s)`,
  );
  console.log(
    `\nPOST /auth/login (200 expected), ${n(ACCOUNTS)} accounts in turn, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}\n`,
  );
  console.log(
    '| connections | s | logins (200) | logins/s | other statuses | errors | p50 ms | p97.5 ms | p99 ms | max ms | Little: connections ÷ logins/s |\n|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rounds)
    console.log(
      `| ${r.connections} | ${r.seconds} | ${n(r.ok)} | ${r.rps.toFixed(1)} | ${r.other} | ${r.errors} | ${r.p50} | ${r.p97_5} | ${r.p99} | ${r.max} | ${r.rps ? Math.round((r.connections / r.rps) * 1000) : '–'} ms |`,
    );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

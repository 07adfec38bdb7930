/**
 * Payment benchmark (the payment function on the lean host, its own process, durable commits,
 * against the MoMo simulator): (a) `POST /payments` on cash on delivery, no provider call — our
 * own cost; (b) on MoMo with the simulator answering at once and (c) with it answering 200 ms
 * later (goal: p99 ≤ 50 ms at 16 connections excluding the provider's own time, so (c)'s p99
 * minus 200 ms); (d) MoMo IPNs, each a different payment's signed "authorised", applied per
 * second at 16 connections, then (e) the same IPNs again, every one a duplicate. After (d) the
 * database is asked how many payments the IPNs moved, and after (e) that nothing moved twice.
 * Loopback only. Needs `make services-up` (the simulators are services).
 */
import autocannon from 'autocannon';
import { Client } from 'pg';
import { serviceToken, TEST_AUTH_ENV } from '../../functions/shared/auth/testing';
import { createPool } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { momoSign, type MomoCredentials } from '../../functions/payment/providers/momo/wire';
import { serviceEnv } from '../../functions/shared/clients/testing/service-env';
import { benchDatabase, serveFunction } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const CONNECTIONS = 16;
const PROVIDER_MS = 200;
const CHECKOUT = serviceToken(['payments:write'], 'checkout');
const SIM = `http://127.0.0.1:${serviceEnv('SIM_MOMO_PORT')}`;
const CREDS: MomoCredentials = {
  partnerCode: 'TUOISIM',
  accessKey: 'tuoi-sim-access',
  secretKey: 'tuoi-sim-secret-key-000000000000',
};
const AMOUNT = 575_000;

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  codes: Map<number, number>;
}

async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${SIM}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`momo simulator ${path}: ${res.status}`);
}

/** `connections` clients sending `bodies(i)` to `path` for the duration, or `amount` requests. */
async function run(
  base: string,
  path: string,
  body: (i: number) => string | undefined,
  opts: { amount?: number; headers?: Record<string, string> } = {},
): Promise<Figures> {
  const codes = new Map<number, number>();
  let n = 0;
  const started = process.hrtime.bigint();
  const r = await autocannon({
    url: base,
    connections: CONNECTIONS,
    ...(opts.amount ? { amount: opts.amount } : { duration: DURATION_S }),
    headers: { 'content-type': 'application/json', ...opts.headers },
    requests: [
      {
        method: 'POST',
        path,
        setupRequest: (req: object) => ({ ...req, body: body(n++) }),
        onResponse: (status: number) => void codes.set(status, (codes.get(status) ?? 0) + 1),
      },
    ],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: Math.round(r.requests.total / seconds), p50: r.latency.p50, p99: r.latency.p99, codes };
}

const codesOf = (f: Figures) =>
  [...f.codes]
    .sort(([a], [b]) => a - b)
    .map(([k, v]) => `${k}: ${v.toLocaleString('en')}`)
    .join(', ');

function ipn(paymentId: string, transId: number): string {
  const f = {
    partnerCode: CREDS.partnerCode,
    orderId: paymentId,
    requestId: `bench-${paymentId}`,
    amount: AMOUNT,
    orderInfo: 'Tuoi order',
    orderType: 'momo_wallet',
    transId,
    resultCode: 9000,
    message: 'Transaction is authorized successfully.',
    payType: 'qr',
    responseTime: Date.now(),
    extraData: '',
  };
  return JSON.stringify({ ...f, signature: momoSign('ipn', f, CREDS) });
}

async function main(): Promise<void> {
  const durable = new URL(await benchDatabase('bench_payment'));
  durable.searchParams.set('options', '-c synchronous_commit=on');
  const url = durable.toString();
  const pool = createPool(url, { max: 2 });
  await migrate(pool, allTracks());
  await pool.end();
  await sim('/_sim/reset', {});
  const { base, stop } = await serveFunction('payment', {
    DATABASE_URL: url,
    DB_POOL_SIZE: '16',
    WEBHOOK_BASE_URL: 'http://127.0.0.1:9', // the simulator sends no IPN at create
    MOMO_API_URL: SIM,
    MOMO_PARTNER_CODE: CREDS.partnerCode,
    MOMO_ACCESS_KEY: CREDS.accessKey,
    MOMO_SECRET_KEY: CREDS.secretKey,
    ...TEST_AUTH_ENV,
  });
  const lines: string[] = [];
  const notes: string[] = [];
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const authorise = (label: string, rail: string) => (i: number) =>
      JSON.stringify({
        id: `${label}-${i}`,
        order_id: `ord-${label}-${i}`,
        customer_id: `cust-${i % 997}`,
        rail,
        amount_vnd: AMOUNT,
        return_url: 'https://tuoi.vn/checkout/return',
      });
    const auth = { headers: { authorization: `Bearer ${CHECKOUT}` } };
    await run(base, '/payments', authorise('warm', 'cod'), { ...auth, amount: 2_000 });
    await run(base, '/payments', authorise('warmmomo', 'momo'), { ...auth, amount: 2_000 });
    const row = (label: string, f: Figures, extra = '') =>
      lines.push(
        `| ${label} | ${CONNECTIONS} | ${f.perSecond.toLocaleString('en')} | ${f.p50} | ${f.p99}${extra} | ${codesOf(f)} |`,
      );
    row(
      '(a) POST /payments, cash on delivery (no provider)',
      await run(base, '/payments', authorise('a', 'cod'), auth),
    );
    row(
      '(b) POST /payments, MoMo, simulator 0 ms',
      await run(base, '/payments', authorise('b', 'momo'), auth),
    );
    await sim('/_sim/config', { latency_ms: PROVIDER_MS });
    const slow = await run(base, '/payments', authorise('c', 'momo'), auth);
    row(
      `(c) POST /payments, MoMo, simulator ${PROVIDER_MS} ms`,
      slow,
      ` (${slow.p99 - PROVIDER_MS} without MoMo's ${PROVIDER_MS})`,
    );
    await sim('/_sim/config', { latency_ms: 0 });

    const { rows } = await c.query(
      `SELECT id FROM payment.payments WHERE id LIKE 'b-%' AND stage = 'pending' ORDER BY id`,
    );
    const ids = rows.map((r) => r.id as string);
    const bodies = ids.map((id, i) => ipn(id, 4_000_000_000 + i));
    const before = await c.query(`SELECT count(*)::int AS n FROM payment.outbox`);
    const applied = await run(base, '/payment/webhooks/momo', (i) => bodies[i % bodies.length], {
      amount: bodies.length,
    });
    row(`(d) MoMo IPN, ${bodies.length.toLocaleString('en')} payments authorised`, applied);
    const moved = await c.query(
      `SELECT count(*)::int AS n FROM payment.payments WHERE id LIKE 'b-%' AND stage = 'authorised'`,
    );
    const dup = await run(base, '/payment/webhooks/momo', (i) => bodies[i % bodies.length], {
      amount: bodies.length,
    });
    row('(e) the same IPNs again (all duplicates)', dup);
    const after = await c.query(`SELECT count(*)::int AS n FROM payment.outbox`);
    const events = after.rows[0].n - before.rows[0].n;
    notes.push(
      `(d) moved ${moved.rows[0].n.toLocaleString('en')} of ${ids.length.toLocaleString('en')} pending MoMo payments to authorised; (d) and (e) together emitted ${events.toLocaleString('en')} events (one payment.authorised each: ${events === ids.length ? 'yes' : 'NO'}).`,
    );
  } finally {
    await c.end();
    await stop();
  }
  console.log(`\nPayment: ${DURATION_S} s per timed row, ${CONNECTIONS} connections, durable commits\n`);
  console.log(
    '| workload | connections | requests/s | p50 ms | p99 ms | answers |\n|---|---|---|---|---|---|',
  );
  for (const l of lines) console.log(l);
  for (const n of notes) console.log(n);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

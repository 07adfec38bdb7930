/**
 * The payment function over HTTP against real PostgreSQL and the MoMo simulator
 * (infra/simulators/momo): a hold approved by the customer and announced by a signed IPN,
 * captured for less, refunded in parts up to what was captured; 100 concurrent deliveries of one
 * IPN and an IPN racing the customer's "I paid" each change the payment once; a tampered IPN
 * changes nothing; a transId another payment already has is a 502 on "I paid" and changes nothing; a capture cut off by an outage resumes with its key and captures once; cash on
 * delivery settles from the carrier's collection, once.
 */
import { codCollected, type TuoiCloudEvent } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { localDateOf } from '../shared/vietnam-time';
import { notificationRelay, startPayment, type Caller, type RunningPayment } from './testing';

const SIM = `http://127.0.0.1:${process.env.SIM_MOMO_PORT ?? '58411'}`;
const VNPAY = `http://127.0.0.1:${process.env.SIM_VNPAY_PORT ?? '58412'}`;
const STRIPE = `http://127.0.0.1:${process.env.SIM_STRIPE_PORT ?? '58413'}`;
const STRIPE_HOOK = 'whsec_tuoi_test_0123456789';

let db: TestDatabase;
let fn: RunningPayment;
let relay: Awaited<ReturnType<typeof notificationRelay>>;

async function call(method: string, path: string, json?: unknown, as: Caller = 'checkout') {
  const res = await fn.call(method, path, { json, as });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
const sim = async <T = Record<string, unknown>>(path: string, json?: unknown): Promise<T> => {
  const res = await fetch(`${SIM}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return (await res.json()) as T;
};
const events = async (type: string, paymentId: string) =>
  (
    await db.pool.query(
      `SELECT event FROM payment.outbox WHERE event->>'type' = $1 AND event->'data'->>'payment_id' = $2 ORDER BY id`,
      [type, paymentId],
    )
  ).rows.map((r) => r.event.data);

const pay = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  order_id: `ord-${id}`,
  customer_id: 'cust-1',
  rail: 'momo',
  amount_vnd: 575_000,
  return_url: 'https://tuoi.vn/checkout/return',
  ...extra,
});

/** Creates a MoMo payment and approves it as the customer would; the IPN reaches the function. */
async function held(id: string) {
  const created = await call('POST', '/payments', pay(id));
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'pending', next_action: { kind: 'redirect' } });
  await sim('/_sim/pay', { orderId: id, action: 'approve' });
  const after = await call('GET', `/payments/${id}`);
  expect(after.body).toMatchObject({ status: 'authorised', authorised_vnd: 575_000 });
  return after.body;
}

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 30 });
  // MoMo posts IPNs to the URL given at create; the relay forwards them to the function.
  relay = await notificationRelay();
  fn = await startPayment(db.url, {
    DB_POOL_SIZE: '20',
    WEBHOOK_BASE_URL: relay.base,
    MOMO_API_URL: SIM,
    MOMO_PARTNER_CODE: 'TUOISIM',
    MOMO_ACCESS_KEY: 'tuoi-sim-access',
    MOMO_SECRET_KEY: 'tuoi-sim-secret-key-000000000000',
    VNPAY_PAY_URL: `${VNPAY}/paymentv2/vpcpay.html`,
    VNPAY_API_URL: `${VNPAY}/merchant_webapi/api/transaction`,
    VNPAY_TMN_CODE: 'TUOISIM1',
    VNPAY_HASH_SECRET: 'tuoi-sim-vnpay-hash-secret',
    STRIPE_API_BASE: STRIPE,
    STRIPE_SECRET_KEY: 'sk_test_tuoi',
    STRIPE_WEBHOOK_SECRET: STRIPE_HOOK,
  });
  relay.target = fn.base;
  await sim('/_sim/reset', {});
  const relayBase = relay.base;
  for (const [path, body] of [
    ['/_sim/reset', {}],
    ['/_sim/config', { ipn_url: `${relayBase}/payment/webhooks/vnpay` }],
  ] as const)
    await fetch(`${VNPAY}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  for (const [path, body] of [
    ['/_sim/reset', {}],
    ['/_sim/config', { webhook_url: `${relayBase}/payment/webhooks/stripe`, webhook_secret: STRIPE_HOOK }],
  ] as const)
    await fetch(`${STRIPE}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
});

afterAll(async () => {
  await relay?.close();
  await fn?.close();
  await db?.drop();
});

describe('MoMo: hold, capture less, refund', () => {
  it('holds on approval, captures less for a short pick, refunds in parts up to what was captured', async () => {
    await held('pay-m1');
    expect(await events('io.tuoi.payment.authorised.v1', 'pay-m1')).toEqual([
      expect.objectContaining({ rail: 'momo', amount_vnd: 575_000, authorised_vnd: 575_000 }),
    ]);
    // The weighed items came in lighter: take 538,400 of the 575,000 held.
    const captured = await call('POST', '/payments/pay-m1/capture', { amount_vnd: 538_400 });
    expect(captured.body).toMatchObject({ status: 'partially_captured', captured_vnd: 538_400 });
    // The same capture again (a retry) answers the same; another amount is a conflict.
    expect((await call('POST', '/payments/pay-m1/capture', { amount_vnd: 538_400 })).status).toBe(200);
    expect((await call('POST', '/payments/pay-m1/capture', { amount_vnd: 500_000 })).status).toBe(409);
    const { ledger } = await sim<{ ledger: { type: string; amount?: number; released?: number }[] }>(
      '/_sim/ledger',
    );
    expect(ledger.filter((l) => l.type === 'capture')).toHaveLength(1);

    for (const [id, amount] of [
      ['ref-1', 100_000],
      ['ref-2', 400_000],
    ] as const)
      expect(
        (await call('POST', '/payments/pay-m1/refunds', { id, amount_vnd: amount, reason: 'missing item' }))
          .status,
      ).toBe(201);
    // 38,400 is left: one đồng more is refused, nothing sent.
    const over = await call('POST', '/payments/pay-m1/refunds', {
      id: 'ref-3',
      amount_vnd: 38_401,
      reason: 'too much',
    });
    expect([over.status, over.body.code]).toEqual([409, 'over_captured']);
    expect(
      (
        await call('POST', '/payments/pay-m1/refunds', {
          id: 'ref-3',
          amount_vnd: 38_400,
          reason: 'the rest',
        })
      ).status,
    ).toBe(201);
    // Replaying a refund id answers it again; reusing it for another amount is a conflict.
    expect(
      (
        await call('POST', '/payments/pay-m1/refunds', {
          id: 'ref-1',
          amount_vnd: 100_000,
          reason: 'missing item',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', '/payments/pay-m1/refunds', {
          id: 'ref-1',
          amount_vnd: 1_000,
          reason: 'missing item',
        })
      ).status,
    ).toBe(409);
    const done = await call('GET', '/payments/pay-m1', undefined, { customer: 'cust-1' });
    expect(done.body).toMatchObject({ status: 'refunded', captured_vnd: 538_400, refunded_vnd: 538_400 });
    expect(done.body.refunds.map((r: { status: string }) => r.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect((await events('io.tuoi.payment.refunded.v1', 'pay-m1')).map((e) => e.refunded_total_vnd)).toEqual([
      100_000, 500_000, 538_400,
    ]);
    // Another customer cannot see it.
    expect((await call('GET', '/payments/pay-m1', undefined, { customer: 'cust-2' })).status).toBe(404);
  });

  it('refuses capture above the hold, a void after capture, and amounts over the rail limit', async () => {
    await held('pay-m2');
    const over = await call('POST', '/payments/pay-m2/capture', { amount_vnd: 575_001 });
    expect([over.status, over.body.code]).toEqual([409, 'over_hold']);
    expect((await call('POST', '/payments/pay-m2/capture', { amount_vnd: 1.5 })).status).toBe(400);
    expect((await call('POST', '/payments', pay('pay-big', { amount_vnd: 50_000_001 }))).status).toBe(400);
    expect((await call('POST', '/payments/pay-m2/void')).body.status).toBe('voided');
    expect((await call('POST', '/payments/pay-m2/void')).status).toBe(200);
    expect((await call('POST', '/payments/pay-m2/capture', { amount_vnd: 1_000 })).status).toBe(409);
    expect(await events('io.tuoi.payment.voided.v1', 'pay-m2')).toHaveLength(1);
  });
});

describe('notifications', () => {
  it('100 concurrent deliveries of one IPN change the payment once and announce it once', async () => {
    await call('POST', '/payments', pay('pay-n1'));
    const ipns: { body: string }[] = [];
    // Capture the IPN the simulator would send, without letting it through first.
    await sim('/_sim/config', { ipn_url: 'http://127.0.0.1:9/' });
    await sim('/_sim/pay', { orderId: 'pay-n1', action: 'approve' });
    const sent = await sim<{ ipns: { body: unknown }[] }>('/_sim/ipns');
    ipns.push(
      ...sent.ipns
        .filter((i) => JSON.stringify(i.body).includes('pay-n1'))
        .map((i) => ({ body: JSON.stringify(i.body) })),
    );
    await sim('/_sim/config', { ipn_url: '' });
    expect(ipns.length).toBeGreaterThan(0);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        fetch(`${fn.base}/payment/webhooks/momo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: ipns[0]!.body,
        }),
      ),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([204]));
    expect((await call('GET', '/payments/pay-n1')).body.status).toBe('authorised');
    expect(await events('io.tuoi.payment.authorised.v1', 'pay-n1')).toHaveLength(1);
  });

  it('a tampered IPN is refused and changes nothing; the customer\'s "I paid" racing the IPN has one effect', async () => {
    await call('POST', '/payments', pay('pay-n2'));
    await sim('/_sim/config', { ipn_url: 'http://127.0.0.1:9/' });
    await sim('/_sim/pay', { orderId: 'pay-n2', action: 'approve' });
    const sent = await sim<{ ipns: { body: Record<string, unknown> }[] }>('/_sim/ipns');
    await sim('/_sim/config', { ipn_url: '' });
    const ipn = sent.ipns.find((i) => i.body.orderId === 'pay-n2')!.body;
    const forged = await fetch(`${fn.base}/payment/webhooks/momo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ipn, amount: 1_000 }),
    });
    expect(forged.status).toBe(401);
    expect((await call('GET', '/payments/pay-n2')).body.status).toBe('pending');
    const [confirmed, delivered] = await Promise.all([
      call('POST', '/payments/pay-n2/confirm', undefined, { customer: 'cust-1' }),
      fetch(`${fn.base}/payment/webhooks/momo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ipn),
      }),
    ]);
    expect([confirmed.status, delivered.status]).toEqual([200, 204]);
    expect((await call('GET', '/payments/pay-n2')).body.status).toBe('authorised');
    expect(await events('io.tuoi.payment.authorised.v1', 'pay-n2')).toHaveLength(1);
  });
});

describe('a provider reference another payment already has', () => {
  it('"I paid" answers 502 provider_ref_conflict and changes nothing; the IPN is taken and changes nothing', async () => {
    // As with `make dev`'s database after a simulator restart: pay-x1, from an earlier run, holds
    // the transId MoMo now reports for pay-x2.
    await call('POST', '/payments', pay('pay-x1'));
    await call('POST', '/payments', pay('pay-x2'));
    await sim('/_sim/config', { ipn_url: 'http://127.0.0.1:9/' });
    await sim('/_sim/pay', { orderId: 'pay-x2', action: 'approve' });
    const sent = await sim<{ ipns: { body: Record<string, unknown> }[] }>('/_sim/ipns');
    await sim('/_sim/config', { ipn_url: '' });
    const ipn = sent.ipns.find((i) => i.body.orderId === 'pay-x2')!.body;
    await db.pool.query(`UPDATE payment.payments SET provider_ref = $1 WHERE id = 'pay-x1'`, [
      String(ipn.transId),
    ]);
    const snapshot = async () => ({
      payments: (
        await db.pool.query(
          `SELECT id, stage, provider_ref, authorised_vnd, version, updated_at FROM payment.payments
            WHERE id IN ('pay-x1', 'pay-x2') ORDER BY id`,
        )
      ).rows,
      ledger: (await db.pool.query(`SELECT * FROM payment.ledger WHERE payment_id = 'pay-x2'`)).rows,
      events: await events('io.tuoi.payment.authorised.v1', 'pay-x2'),
    });
    const before = await snapshot();
    expect(before.payments.map((p) => p.stage)).toEqual(['pending', 'pending']);

    const confirmed = await call('POST', '/payments/pay-x2/confirm', undefined, { customer: 'cust-1' });
    expect(confirmed.status).toBe(502);
    expect(confirmed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(confirmed.body).toMatchObject({
      type: 'https://tuoi.vn/problems/bad-gateway',
      status: 502,
      code: 'provider_ref_conflict',
      rail: 'momo',
    });
    expect(JSON.stringify(confirmed.body)).not.toContain('pay-x1'); // another customer's payment
    expect(await snapshot()).toEqual(before);

    // The IPN: taken (MoMo sending it again cannot settle it), recorded, nothing else changed.
    const delivered = await fetch(`${fn.base}/payment/webhooks/momo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ipn),
    });
    expect(delivered.status).toBe(204);
    expect(await snapshot()).toEqual(before);
    const { rows } = await db.pool.query(
      `SELECT verdict FROM payment.notifications WHERE rail = 'momo' AND payment_id = 'pay-x2'`,
    );
    expect(rows).toEqual([{ verdict: 'provider_ref_conflict' }]);
  });
});

describe('crash safety', () => {
  it('a capture cut off by an outage resumes with its key and captures once', async () => {
    await held('pay-c1');
    await sim('/_sim/fail', { count: 10, only: 'POST /v2/gateway/api/confirm' });
    const cut = await call('POST', '/payments/pay-c1/capture', { amount_vnd: 575_000 });
    expect(cut.status).toBe(503);
    await sim('/_sim/fail', { count: 0 });
    const { rows } = await db.pool.query(
      `SELECT state FROM payment.operations WHERE payment_id = 'pay-c1' AND operation = 'capture'`,
    );
    expect(rows).toEqual([{ state: 'started' }]);
    // The retry (or the reconciliation job) sends it again with the same key.
    const again = await call('POST', '/payments/pay-c1/capture', { amount_vnd: 575_000 });
    expect(again.body).toMatchObject({ status: 'captured', captured_vnd: 575_000 });
    const { ledger } = await sim<{ ledger: { type: string; orderId?: string }[] }>('/_sim/ledger');
    expect(ledger.filter((l) => l.type === 'capture' && JSON.stringify(l).includes('pay-c1'))).toHaveLength(
      1,
    );
    expect(await events('io.tuoi.payment.captured.v1', 'pay-c1')).toHaveLength(1);
  });
});

describe('VNPay: no hold', () => {
  it('charges the estimate on approval (IPN, a GET) and takes less by refunding the difference, once', async () => {
    const created = await call(
      'POST',
      '/payments',
      pay('pay-v1', { rail: 'vnpay', customer_ip: '203.0.113.7' }),
    );
    expect(created.body).toMatchObject({ status: 'pending', next_action: { kind: 'redirect' } });
    const url = new URL(created.body.next_action.url);
    expect(url.searchParams.get('vnp_Amount')).toBe('57500000');
    const txnRef = url.searchParams.get('vnp_TxnRef')!;
    // The customer's browser opens the signed page (VNPay checks the signature there).
    expect((await fetch(url)).status).toBe(200);
    const paid = await fetch(`${VNPAY}/_sim/pay/${txnRef}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve', follow: false }),
    });
    expect(paid.status).toBe(200);
    expect((await call('GET', '/payments/pay-v1')).body).toMatchObject({
      status: 'captured',
      captured_vnd: 575_000,
    });
    // A short pick: keep 538,400, refund 36,600 — once, whatever the retries.
    const less = await call('POST', '/payments/pay-v1/capture', { amount_vnd: 538_400 });
    expect(less.body).toMatchObject({ captured_vnd: 575_000, refunded_vnd: 36_600 });
    expect((await call('POST', '/payments/pay-v1/capture', { amount_vnd: 538_400 })).body.refunded_vnd).toBe(
      36_600,
    );
    expect(await events('io.tuoi.payment.refunded.v1', 'pay-v1')).toEqual([
      expect.objectContaining({ amount_vnd: 36_600, refunded_total_vnd: 36_600 }),
    ]);
  });
});

describe('Stripe: manual capture', () => {
  it('holds when the client confirms (webhook), captures less, refunds; a forged webhook is refused', async () => {
    const created = await call('POST', '/payments', pay('pay-s1', { rail: 'stripe' }));
    expect(created.body).toMatchObject({ status: 'pending', next_action: { kind: 'client_secret' } });
    const { rows } = await db.pool.query(`SELECT provider_ref FROM payment.payments WHERE id = 'pay-s1'`);
    const pi = rows[0].provider_ref as string;
    expect(pi).toMatch(/^pi_/);
    // What Stripe.js does in the browser with the client secret; the webhook reaches the function.
    await fetch(`${STRIPE}/_sim/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: pi, outcome: 'approve' }),
    });
    expect((await call('GET', '/payments/pay-s1')).body).toMatchObject({
      status: 'authorised',
      authorised_vnd: 575_000,
    });
    const forged = await fetch(`${fn.base}/payment/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
      },
      body: JSON.stringify({
        id: 'evt_forged',
        type: 'payment_intent.canceled',
        data: { object: { id: pi } },
      }),
    });
    expect(forged.status).toBe(400);
    expect((await call('POST', '/payments/pay-s1/capture', { amount_vnd: 540_000 })).body).toMatchObject({
      status: 'partially_captured',
      captured_vnd: 540_000,
    });
    expect(
      (await call('POST', '/payments/pay-s1/refunds', { id: 'ref-s1', amount_vnd: 40_000, reason: 'short' }))
        .status,
    ).toBe(201);
    expect((await call('GET', '/payments/pay-s1')).body).toMatchObject({
      status: 'partially_refunded',
      refunded_vnd: 40_000,
    });
    expect(await events('io.tuoi.payment.captured.v1', 'pay-s1')).toHaveLength(1);
  });
});

describe('reconciliation', () => {
  it('lists payments waiting on the customer and operations left unfinished', async () => {
    await call('POST', '/payments', pay('pay-r1'));
    await db.pool.query(
      `UPDATE payment.payments SET updated_at = now() - interval '1 hour' WHERE id = 'pay-r1'`,
    );
    const report = await call(
      'GET',
      `/payments/reconciliation?date=${localDateOf(new Date())}`,
      undefined,
      'staff',
    );
    expect(report.body.waiting.map((p: { id: string }) => p.id)).toContain('pay-r1');
    expect(report.body.unfinished_operations).toEqual(expect.any(Array));
    expect(report.body.holds_expiring).toEqual(expect.any(Array));
  });
});

describe('cash on delivery', () => {
  it('stays pending until the rider collects, settles for what was collected, once', async () => {
    const created = await call(
      'POST',
      '/payments',
      pay('pay-cod1', { rail: 'cod', amount_vnd: 412_000, order_id: 'ord-cod1' }),
    );
    expect(created.body).toMatchObject({ status: 'pending', next_action: null });
    expect(
      (
        await call(
          'POST',
          '/payments',
          pay('pay-cod1', { rail: 'cod', amount_vnd: 412_000, order_id: 'ord-cod1' }),
        )
      ).status,
    ).toBe(200);
    expect((await call('POST', '/payments/pay-cod1/capture', { amount_vnd: 1_000 })).status).toBe(409);
    const collectedAt = new Date().toISOString();
    const event: TuoiCloudEvent = buildEvent(codCollected, {
      delivery_id: 'dlv-cod1',
      order_id: 'ord-cod1',
      carrier: 'own_fleet',
      amount_vnd: 400_000,
      expected_vnd: 412_000,
      collected_at: collectedAt,
    });
    expect((await fn.deliver(event)).status).toBeLessThan(300);
    expect((await fn.deliver(event)).status).toBeLessThan(300);
    expect((await call('GET', '/payments/pay-cod1')).body).toMatchObject({
      status: 'partially_captured',
      captured_vnd: 400_000,
    });
    expect(await events('io.tuoi.payment.captured.v1', 'pay-cod1')).toHaveLength(1);
    const day = localDateOf(new Date(collectedAt));
    const report = await call('GET', `/payments/reconciliation?date=${day}`, undefined, 'staff');
    expect(report.body.cash_on_delivery).toEqual([
      { carrier: 'own_fleet', deliveries: 1, expected_vnd: 412_000, collected_vnd: 400_000 },
    ]);
    expect(
      (await call('GET', `/payments/reconciliation?date=${day}`, undefined, { customer: 'cust-1' })).status,
    ).toBe(403);
    const list = await call('GET', '/payments?order_id=ord-cod1', undefined, { customer: 'cust-1' });
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual(['pay-cod1']);
  });
});

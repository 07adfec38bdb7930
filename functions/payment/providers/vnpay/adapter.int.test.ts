/**
 * The VNPay rail against the VNPay simulator (infra/simulators/vnpay, SIM_VNPAY_PORT): a signed
 * payment page approved through its form, the IPN caught by a receiver in this test and fed raw
 * to parseNotification, the charge-then-refund capture of a short pick, partial refunds up to the
 * charge, querydr, an outage, duplicate IPNs and the RspCode answers VNPay reads.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderUnavailableError } from '../../../shared/outbound';
import {
  NotificationAuthError,
  RailRefusedError,
  type AuthoriseRequest,
  type NotificationVerdict,
  type Rail,
  type RailNotification,
} from '../../rail';
import { createVnpayRail } from './adapter';

const port = process.env.SIM_VNPAY_PORT;
if (!port) throw new Error('SIM_VNPAY_PORT is not set: run `set -a && . infra/services.env && set +a`');
const SIM = `http://127.0.0.1:${port}`;
const TMN = 'TUOIINT1';
const SECRET = 'tuoi-integration-hash-secret-0001';

async function sim<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(SIM + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

function vnpay(): Rail {
  return createVnpayRail({
    payUrl: `${SIM}/paymentv2/vpcpay.html`,
    apiUrl: `${SIM}/merchant_webapi/api/transaction`,
    tmnCode: TMN,
    hashSecret: SECRET,
    outbound: { timeoutMs: 2_000, retries: 2, backoff: { baseMs: 5, maxMs: 20 }, breaker: { volume: 1_000 } },
  });
}

/** The IPN URL: each GET is fed raw to parseNotification and answered with acknowledge(verdict). */
interface Received {
  method: string;
  query: Record<string, string>;
  verdict: NotificationVerdict;
  notification?: RailNotification;
}
let receiver: Server;
let ipnUrl: string;
let received: Received[] = [];
const rail = vnpay();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const entry: Received = { method: req.method ?? '', query, verdict: 'applied' };
    try {
      entry.notification = rail.parseNotification({ method: entry.method, headers: {}, query, rawBody: '' });
      const seen = received.some((r) => r.notification?.eventId === entry.notification!.eventId);
      entry.verdict = seen ? 'duplicate' : 'applied';
    } catch (err) {
      entry.verdict = err instanceof NotificationAuthError ? 'bad_signature' : 'error';
    }
    received.push(entry);
    const answer = rail.acknowledge(entry.verdict);
    res.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  ipnUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/payment/notifications/vnpay`;
});
afterAll(async () => {
  rail.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  received = [];
  await sim('/_sim/reset', {});
  await sim('/_sim/config', { tmn_code: TMN, hash_secret: SECRET, ipn_url: ipnUrl });
});

let seq = 0;
function request(overrides: Partial<AuthoriseRequest> = {}): AuthoriseRequest {
  seq += 1;
  return {
    paymentId: `pay-${Date.now().toString(36)}-${seq}`,
    attemptId: 'a1',
    amountVnd: 150_000,
    description: `Đơn hàng Tươi ${seq}`,
    returnUrl: 'https://tuoi.vn/checkout/vnpay-return?order=7',
    notifyUrl: ipnUrl,
    lang: 'vi',
    customerIp: '203.0.113.9',
    idempotencyKey: `auth-${seq}`,
    ...overrides,
  };
}

/** Opens the signed page and presses one of its buttons, as a browser would; returns the redirect. */
async function pay(url: string, outcome: 'approve' | 'decline') {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = new RegExp(
    `<form method="post" action="([^"]+)"><input type="hidden" name="outcome" value="${outcome}">`,
  ).exec(html)?.[1];
  expect(action).toBeDefined();
  const res = await fetch(SIM + action!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `outcome=${outcome}`,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function paid(overrides: Partial<AuthoriseRequest> = {}) {
  const req = request(overrides);
  const auth = await rail.authorise(req);
  if (auth.kind !== 'redirect') throw new Error('expected a redirect');
  const back = await pay(auth.url, 'approve');
  return { req, ref: auth.providerRef!, back };
}

describe('VNPay against its simulator', () => {
  it('authorises with a URL the gateway verifies, and refuses a tampered one', async () => {
    const auth = await rail.authorise(request());
    if (auth.kind !== 'redirect') throw new Error('expected a redirect');
    expect((await fetch(auth.url)).status).toBe(200);
    expect((await fetch(auth.url.replace('vnp_Amount=15000000', 'vnp_Amount=100000'))).status).toBe(400);
  });

  it('approves on the page: the IPN is verified, applied, and the browser returns signed', async () => {
    const { req, ref, back } = await paid();
    expect(received).toHaveLength(1);
    const [ipn] = received;
    expect(ipn).toMatchObject({ method: 'GET', verdict: 'applied' });
    expect(ipn!.notification).toMatchObject({
      paymentId: req.paymentId,
      amountVnd: 150_000,
      state: { status: 'captured', capturedVnd: 150_000, providerRef: ref },
    });
    expect(back.origin + back.pathname).toBe('https://tuoi.vn/checkout/vnpay-return');
    const query = Object.fromEntries(back.searchParams);
    const returned = rail.parseNotification({ method: 'GET', headers: {}, query, rawBody: '' });
    expect(returned.eventId).toBe(ipn!.notification!.eventId);
    const { ipns } = await sim<{ ipns: { result: { body: unknown } }[] }>('/_sim/ipns');
    expect(ipns[0]!.result.body).toEqual({ RspCode: '00', Message: 'Confirm Success' });
  });

  it('refuses a tampered amount or signature', async () => {
    await paid();
    const query = { ...received[0]!.query };
    const headers = {};
    expect(() =>
      rail.parseNotification({ method: 'GET', headers, query: { ...query, vnp_Amount: '100' }, rawBody: '' }),
    ).toThrow(NotificationAuthError);
    expect(() =>
      rail.parseNotification({
        method: 'GET',
        headers,
        query: { ...query, vnp_SecureHash: 'ab'.repeat(64) },
        rawBody: '',
      }),
    ).toThrow(NotificationAuthError);
  });

  it('reads a declined payment as failed, with VNPay code 24', async () => {
    const req = request();
    const auth = await rail.authorise(req);
    if (auth.kind !== 'redirect') throw new Error('expected a redirect');
    expect(await rail.status({ paymentId: req.paymentId, providerRef: auth.providerRef })).toMatchObject({
      status: 'pending',
    });
    await pay(auth.url, 'decline');
    expect(received[0]!.notification!.state).toMatchObject({ status: 'failed', failure: { code: '24' } });
    expect(await rail.status({ paymentId: req.paymentId, providerRef: auth.providerRef })).toMatchObject({
      status: 'failed',
    });
    await expect(
      rail.refund({
        paymentId: req.paymentId,
        providerRef: auth.providerRef,
        refundId: 'r',
        amountVnd: 1000,
        reason: 'x',
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({ code: 'not_paid' });
  });

  it('captures a short pick by refunding the difference, once per key', async () => {
    const { req, ref } = await paid();
    const p = {
      paymentId: req.paymentId,
      providerRef: ref,
      amountVnd: 120_000,
      idempotencyKey: `cap-${req.paymentId}`,
    };
    expect(await rail.capture(p)).toMatchObject({
      status: 'captured',
      capturedVnd: 150_000,
      refundedVnd: 30_000,
    });
    expect(await rail.capture(p)).toMatchObject({ refundedVnd: 30_000 });
    const { transactions } = await sim<{ transactions: { refunds: { amount: number }[] }[] }>(
      `/_sim/transactions?ref=${ref}`,
    );
    expect(transactions[0]!.refunds.map((r) => r.amount)).toEqual([3_000_000]);
    await expect(rail.capture({ ...p, amountVnd: 150_001, idempotencyKey: 'over' })).rejects.toMatchObject({
      code: 'over_charged',
    });
  });

  it('refunds in parts up to the charge, then refuses', async () => {
    const { req, ref } = await paid();
    const refund = (n: number, amountVnd: number) =>
      rail.refund({
        paymentId: req.paymentId,
        providerRef: ref,
        refundId: `r${n}`,
        amountVnd,
        reason: `Hoàn tiền ${n}`,
        idempotencyKey: `ref-${req.paymentId}-${n}`,
      });
    expect(await refund(1, 50_000)).toMatchObject({ status: 'succeeded', amountVnd: 50_000 });
    expect(await refund(1, 50_000)).toMatchObject({ status: 'succeeded', amountVnd: 50_000 });
    expect(await refund(2, 100_000)).toMatchObject({ status: 'succeeded', amountVnd: 100_000 });
    await expect(refund(3, 1_000)).rejects.toThrow(RailRefusedError);
    const { transactions } = await sim<{ transactions: { refunded: number }[] }>(
      `/_sim/transactions?ref=${ref}`,
    );
    expect(transactions[0]!.refunded).toBe(15_000_000);
  });

  it('retries a refund whose answer was lost without refunding twice', async () => {
    const { req, ref } = await paid();
    await sim('/_sim/stall', { count: 1, ms: 2_500, when: 'after', only: 'refund' });
    const p = {
      paymentId: req.paymentId,
      providerRef: ref,
      refundId: 'r1',
      amountVnd: 20_000,
      reason: 'thiếu hàng',
      idempotencyKey: `lost-${ref}`,
    };
    expect(await rail.refund(p)).toMatchObject({ status: 'succeeded', amountVnd: 20_000 });
    const { transactions } = await sim<{ transactions: { refunded: number }[] }>(
      `/_sim/transactions?ref=${ref}`,
    );
    expect(transactions[0]!.refunded).toBe(2_000_000);
  });

  it('voids an unpaid payment without a refund, and refunds a paid one in full', async () => {
    const req = request();
    const auth = await rail.authorise(req);
    expect(
      await rail.void({
        paymentId: req.paymentId,
        providerRef: auth.kind === 'redirect' ? auth.providerRef : '',
        idempotencyKey: 'v1',
      }),
    ).toMatchObject({ status: 'voided', refundedVnd: 0 });
    const { req: paidReq, ref } = await paid();
    expect(
      await rail.void({ paymentId: paidReq.paymentId, providerRef: ref, idempotencyKey: `void-${ref}` }),
    ).toMatchObject({ status: 'voided', capturedVnd: 150_000, refundedVnd: 150_000 });
    expect(await rail.status({ paymentId: paidReq.paymentId, providerRef: ref })).toMatchObject({
      status: 'captured',
      refundedVnd: 150_000,
    });
  });

  it('reads a paid payment with querydr', async () => {
    const { req, ref } = await paid();
    expect(await rail.status({ paymentId: req.paymentId, providerRef: ref })).toMatchObject({
      status: 'captured',
      capturedVnd: 150_000,
      refundedVnd: 0,
      providerRef: ref,
    });
  });

  it('surfaces an outage as ProviderUnavailableError', async () => {
    const { req, ref } = await paid();
    await sim('/_sim/fail', { count: 3, status: 503, only: 'querydr' });
    await expect(rail.status({ paymentId: req.paymentId, providerRef: ref })).rejects.toThrow(
      ProviderUnavailableError,
    );
    expect(await rail.status({ paymentId: req.paymentId, providerRef: ref })).toMatchObject({
      status: 'captured',
    });
  });

  it('gives duplicate IPNs the same eventId, answered 02 after the first', async () => {
    const { ref } = await paid();
    await sim('/_sim/ipn', { ref, duplicate: 2 });
    expect(received).toHaveLength(4);
    expect(new Set(received.map((r) => r.notification!.eventId)).size).toBe(1);
    const { ipns } = await sim<{ ipns: { result: { body: { RspCode: string } } }[] }>('/_sim/ipns');
    expect(ipns.map((i) => i.result.body.RspCode)).toEqual(['00', '02', '02', '02']);
  });

  it('tells a stale failure sent after the success apart (out of order)', async () => {
    const { ref } = await paid();
    await sim('/_sim/ipn', { ref, response_code: '24', transaction_status: '02' });
    const [first, stale] = received;
    expect(stale!.verdict).toBe('applied');
    expect(stale!.notification!.eventId).not.toBe(first!.notification!.eventId);
    expect(stale!.notification!.state.status).toBe('failed');
  });

  it('reports a payment approved after its page expired as expired (code 11)', async () => {
    const shortLived = createVnpayRail({
      payUrl: `${SIM}/paymentv2/vpcpay.html`,
      apiUrl: `${SIM}/merchant_webapi/api/transaction`,
      tmnCode: TMN,
      hashSecret: SECRET,
      pageLifeMs: 1,
    });
    const auth = await shortLived.authorise(request());
    shortLived.close();
    if (auth.kind !== 'redirect') throw new Error('expected a redirect');
    await new Promise((r) => setTimeout(r, 2_100));
    await pay(auth.url, 'approve');
    expect(received[0]!.notification!.state).toMatchObject({ status: 'expired', failure: { code: '11' } });
  });

  it('answers each verdict with the RspCode JSON VNPay reads', () => {
    const codes = (
      ['applied', 'duplicate', 'unknown_payment', 'amount_mismatch', 'bad_signature', 'error'] as const
    ).map((v) => {
      const answer = rail.acknowledge(v);
      expect(answer.status).toBe(200);
      return (answer.body as { RspCode: string }).RspCode;
    });
    expect(codes).toEqual(['00', '02', '01', '04', '97', '99']);
  });
});

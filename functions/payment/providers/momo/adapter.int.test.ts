/**
 * The MoMo rail against the MoMo simulator (infra/simulators/momo, SIM_MOMO_PORT): a wallet hold
 * approved on the payment page, the signed IPN caught by a receiver in this test, capture for less
 * than the hold, void, partial refunds up to the capture, outages and a capture whose answer is
 * lost (retried under the same requestId and captured once).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderUnavailableError } from '../../../shared/outbound';
import {
  NotificationAuthError,
  RailRefusedError,
  type AuthoriseRequest,
  type NotificationRequest,
  type Rail,
} from '../../rail';
import { createMomoRail } from './adapter';
import type { OutboundOverrides } from '../../../shared/outbound';

const port = process.env.SIM_MOMO_PORT;
if (!port) throw new Error('SIM_MOMO_PORT is not set: run `set -a && . infra/services.env && set +a`');
const SIM = `http://127.0.0.1:${port}`;
const CREDS = {
  partnerCode: 'TUOITEST',
  accessKey: 'tuoi-test-access',
  secretKey: 'tuoi-test-secret-key-0123456789ab',
};

async function sim<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(SIM + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

function momo(outbound: OutboundOverrides = {}): Rail {
  return createMomoRail({
    baseUrl: SIM,
    credentials: CREDS,
    outbound: {
      timeoutMs: 2_000,
      retries: 2,
      backoff: { baseMs: 5, maxMs: 20 },
      breaker: { volume: 1_000 },
      ...outbound,
    },
  });
}

/** An IPN receiver: the simulator POSTs here; each request is kept raw and answered 204. */
async function receiver() {
  const received: NotificationRequest[] = [];
  const server: Server = createServer((req, res) => {
    let rawBody = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (rawBody += c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
      received.push({ method: req.method ?? 'POST', headers, query: {}, rawBody });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${p}/hooks/momo`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let seq = 0;
let rail: Rail;
let hooks: Awaited<ReturnType<typeof receiver>>;
const request = (over: Partial<AuthoriseRequest> = {}): AuthoriseRequest => {
  seq += 1;
  const paymentId = `pay-${Date.now()}-${seq}`;
  return {
    paymentId,
    attemptId: 'a1',
    amountVnd: 250_000,
    description: `Tươi order ${seq}`,
    returnUrl: 'https://tuoi.test/checkout/return',
    notifyUrl: hooks.url,
    lang: 'vi',
    idempotencyKey: `${paymentId}:authorise:a1`,
    ...over,
  };
};

/** Authorises and approves on the simulator's page (its form), returning the payment id. */
async function held(amountVnd = 250_000) {
  const req = request({ amountVnd });
  const result = await rail.authorise(req);
  if (result.kind !== 'redirect') throw new Error('expected a redirect');
  const page = await (await fetch(result.url)).text();
  const action = /action="([^"]*approve[^"]*)"/.exec(page)![1]!;
  const res = await fetch(new URL(action, SIM), { method: 'POST', redirect: 'manual' });
  expect(res.status).toBe(302);
  return { req, result, location: res.headers.get('location')! };
}

beforeEach(async () => {
  await sim('/_sim/reset', {});
  await sim('/_sim/config', {
    partner_code: CREDS.partnerCode,
    access_key: CREDS.accessKey,
    secret_key: CREDS.secretKey,
  });
  hooks = await receiver();
  rail = momo();
});
afterEach(async () => {
  rail.close();
  await hooks.close();
});

describe('authorise and the IPN', () => {
  it('holds the amount once the customer approves, and the signed IPN says so', async () => {
    const { req, result, location } = await held();
    expect(result).toEqual({
      kind: 'redirect',
      url: expect.stringContaining('/v2/gateway/pay?t='),
      status: 'pending',
    });
    expect(location).toMatch(/^https:\/\/tuoi\.test\/checkout\/return\?.*resultCode=9000.*signature=/);
    expect(hooks.received).toHaveLength(1);
    const n = rail.parseNotification(hooks.received[0]!);
    expect(n).toMatchObject({ rail: 'momo', paymentId: req.paymentId, amountVnd: 250_000 });
    expect(n.eventId).toMatch(/^\d+:9000$/);
    expect(n.state).toMatchObject({ status: 'authorised', authorisedVnd: 250_000, capturedVnd: 0 });
    expect(await rail.status({ paymentId: req.paymentId })).toMatchObject({
      status: 'authorised',
      authorisedVnd: 250_000,
      providerRef: n.state.providerRef,
    });
    expect(rail.acknowledge('applied')).toEqual({ status: 204 });
    expect(rail.acknowledge('duplicate')).toEqual({ status: 204 });
  });

  it('refuses a tampered amount, body or signature', async () => {
    await held();
    const raw = hooks.received[0]!.rawBody;
    const body = JSON.parse(raw) as Record<string, unknown>;
    const tampered = [
      JSON.stringify({ ...body, amount: 1_000 }),
      JSON.stringify({ ...body, resultCode: 0 }),
      JSON.stringify({
        ...body,
        signature: (body.signature as string).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      }),
      JSON.stringify({ ...body, signature: undefined }),
    ];
    for (const rawBody of tampered)
      expect(() => rail.parseNotification({ ...hooks.received[0]!, rawBody })).toThrow(NotificationAuthError);
  });

  it('parses duplicates to the same eventId', async () => {
    const { req } = await held();
    await sim('/_sim/ipn', { orderId: req.paymentId, duplicate: 2 });
    const ids = hooks.received.map((r) => rail.parseNotification(r).eventId);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(1);
  });

  it('parses a late, out-of-order IPN as its own event with its own state', async () => {
    const { req } = await held(200_000);
    await rail.capture({ paymentId: req.paymentId, amountVnd: 150_000, idempotencyKey: 'c1' });
    await sim('/_sim/ipn', { orderId: req.paymentId, resultCode: 9000 });
    // The capture's IPN is sent without waiting: give it up to a second to arrive.
    for (let i = 0; i < 100 && hooks.received.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(hooks.received).toHaveLength(3);
    const parsed = hooks.received.map((r) => rail.parseNotification(r));
    const byEvent = new Map(parsed.map((n) => [n.eventId, n.state.status]));
    expect([...byEvent.values()].sort()).toEqual(['authorised', 'captured']);
    expect(parsed.find((n) => n.state.status === 'captured')!.amountVnd).toBe(150_000);
  });

  it('reports a page left to expire as expired', async () => {
    const req = request();
    await rail.authorise(req);
    await sim('/_sim/pay', { orderId: req.paymentId, action: 'expire' });
    expect(await rail.status({ paymentId: req.paymentId })).toMatchObject({ status: 'expired' });
    await expect(rail.void({ paymentId: req.paymentId, idempotencyKey: 'v1' })).rejects.toThrow(
      RailRefusedError,
    );
  });

  it('reports a declined payment as failed', async () => {
    const req = request();
    await rail.authorise(req);
    await sim('/_sim/pay', { orderId: req.paymentId, action: 'decline' });
    const n = rail.parseNotification(hooks.received[0]!);
    expect(n.state).toMatchObject({ status: 'failed', failure: { code: '1006' } });
    expect(await rail.status({ paymentId: req.paymentId })).toMatchObject({ status: 'failed' });
  });

  it('replays a create under the same key and refuses an amount over the limit', async () => {
    const req = request();
    const first = await rail.authorise(req);
    expect(await rail.authorise(req)).toEqual(first);
    await expect(rail.authorise(request({ amountVnd: 50_000_001 }))).rejects.toThrow(RailRefusedError);
    expect(rail.maxAmountVnd).toBe(50_000_000);
  });
});

describe('capture, void, refund', () => {
  it('captures less than the hold, then refunds in parts until nothing is left', async () => {
    const { req } = await held(300_000);
    const captured = await rail.capture({
      paymentId: req.paymentId,
      amountVnd: 287_500,
      idempotencyKey: 'c1',
    });
    expect(captured).toMatchObject({ status: 'captured', capturedVnd: 287_500, authorisedVnd: 0 });
    const { ledger } = await sim<{ ledger: { type: string; amount: number; released?: number }[] }>(
      '/_sim/ledger',
    );
    expect(ledger.find((l) => l.type === 'capture')).toMatchObject({ amount: 287_500, released: 12_500 });

    const r1 = await rail.refund({ paymentId: req.paymentId, refundId: `${req.paymentId}-r1`, amountVnd: 37_500, reason: 'Thiếu hàng', idempotencyKey: 'r1' }); // prettier-ignore
    expect(r1).toMatchObject({ status: 'succeeded', amountVnd: 37_500, refundRef: expect.any(String) });
    const providerRef = captured.providerRef!;
    const r2 = await rail.refund({ paymentId: req.paymentId, providerRef, refundId: `${req.paymentId}-r2`, amountVnd: 250_000, reason: 'Huỷ', idempotencyKey: 'r2' }); // prettier-ignore
    expect(r2.status).toBe('succeeded');
    await expect(
      rail.refund({ paymentId: req.paymentId, providerRef, refundId: `${req.paymentId}-r3`, amountVnd: 1_000, reason: 'x', idempotencyKey: 'r3' }), // prettier-ignore
    ).rejects.toMatchObject({ name: 'RailRefusedError', code: '1081' });
    expect(await rail.status({ paymentId: req.paymentId })).toMatchObject({
      status: 'captured',
      capturedVnd: 287_500,
      refundedVnd: 287_500,
    });
  });

  it('refuses a capture over the hold', async () => {
    const { req } = await held(100_000);
    await expect(rail.capture({ paymentId: req.paymentId, amountVnd: 100_001, idempotencyKey: 'c1' })).rejects.toMatchObject({ code: '21' }); // prettier-ignore
  });

  it('voids the whole hold', async () => {
    const { req } = await held(120_000);
    const voided = await rail.void({ paymentId: req.paymentId, idempotencyKey: 'v1' });
    expect(voided).toMatchObject({ status: 'voided', authorisedVnd: 0, capturedVnd: 0 });
    expect(await rail.status({ paymentId: req.paymentId })).toMatchObject({ status: 'voided' });
    expect(await rail.void({ paymentId: req.paymentId, idempotencyKey: 'v2' })).toMatchObject({
      status: 'voided',
    });
    await expect(rail.capture({ paymentId: req.paymentId, amountVnd: 1_000, idempotencyKey: 'c1' })).rejects.toThrow(RailRefusedError); // prettier-ignore
  });
});

describe('failures', () => {
  it('surfaces an outage as ProviderUnavailableError', async () => {
    await sim('/_sim/fail', { count: 10, status: 503 });
    await expect(rail.status({ paymentId: 'pay-x' })).rejects.toThrow(ProviderUnavailableError);
  });

  it('refuses to read a payment MoMo never saw', async () => {
    await expect(rail.status({ paymentId: 'pay-unknown' })).rejects.toMatchObject({ code: '42' });
  });

  it('refuses a key reused with other parameters', async () => {
    const req = request();
    await rail.authorise(req);
    await expect(rail.authorise({ ...req, amountVnd: 260_000 })).rejects.toMatchObject({ code: '43' });
  });

  it('captures once when the first answer is lost and the retry carries the same key', async () => {
    const { req } = await held(200_000);
    rail.close();
    rail = momo({ timeoutMs: 300 });
    await sim('/_sim/stall', { count: 1, ms: 1_000, when: 'after', only: 'POST /v2/gateway/api/confirm' });
    const state = await rail.capture({
      paymentId: req.paymentId,
      amountVnd: 180_000,
      idempotencyKey: 'cap-1',
    });
    expect(state).toMatchObject({ status: 'captured', capturedVnd: 180_000 });
    const { ledger } = await sim<{ ledger: { type: string }[] }>('/_sim/ledger');
    expect(ledger.filter((l) => l.type === 'capture')).toHaveLength(1);
  });
});

/**
 * The Stripe rail against the Stripe simulator (infra/simulators/stripe, SIM_STRIPE_PORT): a hold
 * confirmed as Stripe.js would, signed webhooks posted to a receiver in this test, partial capture,
 * void, partial refunds, outages, a capture whose answer is lost and retried under the same key.
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
import { createStripeRail } from './adapter';
import type { OutboundOverrides } from '../../../shared/outbound';

const port = process.env.SIM_STRIPE_PORT;
if (!port) throw new Error('SIM_STRIPE_PORT is not set: run `set -a && . infra/services.env && set +a`');
const SIM = `http://127.0.0.1:${port}`;
const SECRET = 'whsec_tuoi_int_test';

async function sim<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(SIM + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}
interface SimEvent {
  id: string;
  type: string;
}
const events = async (pi: string, type?: string) =>
  (await sim<{ data: SimEvent[] }>(`/_sim/events?payment_intent=${pi}${type ? `&type=${type}` : ''}`)).data;
async function eventOf(pi: string, type: string): Promise<SimEvent> {
  const [ev] = await events(pi, type);
  if (!ev) throw new Error(`no ${type} event for ${pi}`);
  return ev;
}
const ledger = async () =>
  (await sim<{ entries: { op: string; payment_intent: string; amount: number }[] }>('/_sim/ledger')).entries;

function stripe(outbound: OutboundOverrides = {}, extra: { webhookSecret?: string; now?: () => Date } = {}) {
  return createStripeRail({
    apiBase: SIM,
    secretKey: 'sk_test_tuoi_sim',
    webhookSecret: SECRET,
    outbound: {
      timeoutMs: 2_000,
      retries: 2,
      backoff: { baseMs: 5, maxMs: 20 },
      breaker: { volume: 1_000 },
      ...outbound,
    },
    ...extra,
  });
}

// ------------------------------------------------------------------ webhook receiver

let receiver: Server;
let received: NotificationRequest[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? 'POST',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        query: {},
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200).end('{"received":true}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

/** The `i`th delivery of an event of `type` (waiting for it). */
async function delivery(type: string, i = 0): Promise<NotificationRequest> {
  const hook = (await deliveries(type, i + 1))[i];
  if (!hook) throw new Error(`no delivery ${i} of ${type}`);
  return hook;
}

/** The deliveries of events of `type` received so far (waiting up to 3 s for at least `n`). */
async function deliveries(type: string, n = 1): Promise<NotificationRequest[]> {
  const of = () => received.filter((r) => (JSON.parse(r.rawBody) as SimEvent).type === type);
  for (let i = 0; i < 60 && of().length < n; i++) await new Promise((r) => setTimeout(r, 50));
  return of();
}

let rail: Rail;
let seq = 0;
beforeEach(async () => {
  await sim('/_sim/reset', {});
  const { port: hookPort } = receiver.address() as AddressInfo;
  await sim('/_sim/config', {
    webhook_url: `http://127.0.0.1:${hookPort}/hooks/stripe`,
    webhook_secret: SECRET,
  });
  received = [];
  rail = stripe();
});
afterEach(() => rail.close());

function authoriseRequest(amountVnd = 250_000): AuthoriseRequest {
  seq += 1;
  const paymentId = `pay_${Date.now()}_${seq}`;
  return {
    paymentId,
    attemptId: 'a1',
    amountVnd,
    description: `Tươi order ${seq}`,
    returnUrl: 'https://tuoi.test/checkout/return',
    notifyUrl: 'https://tuoi.test/hooks/stripe',
    lang: 'vi',
    idempotencyKey: `${paymentId}:authorise:a1`,
  };
}

/** A PaymentIntent authorised (held) for `amountVnd`, as after Stripe.js confirm. */
async function held(amountVnd = 250_000) {
  const req = authoriseRequest(amountVnd);
  const res = await rail.authorise(req);
  if (res.kind !== 'client_secret') throw new Error('expected a client secret');
  await sim('/_sim/confirm', { id: res.providerRef, outcome: 'approve' });
  return { req, ref: res.providerRef, paymentId: req.paymentId };
}

test('authorise creates a manual-capture VND PaymentIntent and answers its client secret', async () => {
  const req = authoriseRequest(185_000);
  const res = await rail.authorise(req);
  expect(res).toMatchObject({ kind: 'client_secret', status: 'pending' });
  if (res.kind !== 'client_secret') throw new Error('unreachable');
  expect(res.clientSecret).toMatch(new RegExp(`^${res.providerRef}_secret_`));
  const { data } = await sim<{ data: Record<string, unknown>[] }>('/_sim/payment_intents');
  expect(data[0]).toMatchObject({
    id: res.providerRef,
    amount: 185_000,
    currency: 'vnd',
    capture_method: 'manual',
    metadata: { payment_id: req.paymentId, attempt_id: 'a1' },
  });
  // The same key answers the same PaymentIntent.
  expect(await rail.authorise(req)).toEqual(res);
  await expect(rail.authorise(authoriseRequest(5_000))).rejects.toThrow(RailRefusedError);
  await expect(rail.authorise(authoriseRequest(100_000_000))).rejects.toThrow(/amount_too_large/);
});

test('a publishable key (Stripe.js in a browser) confirms only with the client secret, and nothing else', async () => {
  const res = await rail.authorise(authoriseRequest(120_000));
  if (res.kind !== 'client_secret') throw new Error('expected a client secret');
  const asBrowser = (path: string, body: string, method = 'POST') =>
    fetch(`${SIM}${path}`, {
      method,
      headers: { authorization: 'Bearer pk_test_tuoi', 'content-type': 'application/x-www-form-urlencoded' },
      ...(method === 'POST' ? { body } : {}),
    });
  const confirm = `/v1/payment_intents/${res.providerRef}/confirm`;
  expect((await asBrowser(`/v1/payment_intents/${res.providerRef}`, '', 'GET')).status).toBe(401);
  expect((await asBrowser('/v1/payment_intents', 'amount=50000&currency=vnd')).status).toBe(401);
  const wrong = await asBrowser(
    confirm,
    `client_secret=${res.providerRef}_secret_nope&payment_method=pm_card_visa`,
  );
  expect(wrong.status).toBe(400);
  expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('resource_missing');
  const ok = await asBrowser(
    confirm,
    `client_secret=${encodeURIComponent(res.clientSecret)}&payment_method=pm_card_visa`,
  );
  expect(ok.status).toBe(200);
  expect(ok.headers.get('access-control-allow-origin')).toBe('*');
  expect(((await ok.json()) as { status: string }).status).toBe('requires_capture');
  const preflight = await fetch(`${SIM}${confirm}`, { method: 'OPTIONS' });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  const js = await fetch(`${SIM}/v3/`);
  expect(js.headers.get('content-type')).toMatch(/javascript/);
  expect(await js.text()).toContain('confirmCardPayment');
});

test('confirm sends a signed amount_capturable_updated that parses as authorised; forgeries are refused', async () => {
  const { ref, paymentId } = await held(250_000);
  const hook = await delivery('payment_intent.amount_capturable_updated');
  const n = rail.parseNotification(hook);
  expect(n).toMatchObject({ rail: 'stripe', paymentId, amountVnd: 250_000 });
  expect(n.eventId).toMatch(/^evt_/);
  expect(n.state).toMatchObject({
    providerRef: ref,
    status: 'authorised',
    authorisedVnd: 250_000,
    capturedVnd: 0,
  });

  const tampered = { ...hook, rawBody: hook.rawBody.replace('250000', '25000') };
  expect(() => rail.parseNotification(tampered)).toThrow(NotificationAuthError);
  const other = stripe({}, { webhookSecret: 'whsec_someone_else' });
  expect(() => other.parseNotification(hook)).toThrow(NotificationAuthError);
  other.close();
  const later = stripe({}, { now: () => new Date(Date.now() + 301_000) });
  expect(() => later.parseNotification(hook)).toThrow(/tolerance/);
  later.close();
  const noHeader = { ...hook, headers: {} };
  expect(() => rail.parseNotification(noHeader)).toThrow(NotificationAuthError);
});

test('a stale re-sent event (timestamp 10 minutes old) is refused', async () => {
  const { ref } = await held();
  const ev = await eventOf(ref, 'payment_intent.amount_capturable_updated');
  await sim('/_sim/webhook', { ids: [ev.id], timestamp: Math.floor(Date.now() / 1000) - 600 });
  const stale = await delivery('payment_intent.amount_capturable_updated', 1);
  expect(() => rail.parseNotification(stale)).toThrow(NotificationAuthError);
});

test('capture less than the hold takes that much and releases the rest', async () => {
  const { ref, paymentId } = await held(250_000);
  await expect(
    rail.capture({
      paymentId,
      providerRef: ref,
      amountVnd: 300_000,
      idempotencyKey: `${paymentId}:cap:over`,
    }),
  ).rejects.toThrow(/amount_too_large/);
  const state = await rail.capture({
    paymentId,
    providerRef: ref,
    amountVnd: 231_500,
    idempotencyKey: `${paymentId}:cap`,
  });
  expect(state).toMatchObject({ status: 'captured', capturedVnd: 231_500, authorisedVnd: 0 });
  const hook = await delivery('payment_intent.succeeded');
  expect(rail.parseNotification(hook).state).toMatchObject({ status: 'captured', capturedVnd: 231_500 });
  // Without the ref the payment is found by its metadata.
  expect(await rail.status({ paymentId })).toMatchObject({
    providerRef: ref,
    status: 'captured',
    refundedVnd: 0,
  });
});

test('void releases the whole hold; a capture after it is refused', async () => {
  const { ref, paymentId } = await held();
  const state = await rail.void({ paymentId, providerRef: ref, idempotencyKey: `${paymentId}:void` });
  expect(state).toMatchObject({ status: 'voided', authorisedVnd: 0, capturedVnd: 0 });
  const hook = await delivery('payment_intent.canceled');
  expect(rail.parseNotification(hook).state.status).toBe('voided');
  await expect(
    rail.capture({ paymentId, providerRef: ref, amountVnd: 1_000, idempotencyKey: `${paymentId}:cap` }),
  ).rejects.toThrow(/payment_intent_unexpected_state/);
});

test('partial refunds up to the captured amount; one more is refused', async () => {
  const { ref, paymentId } = await held(200_000);
  await rail.capture({ paymentId, providerRef: ref, amountVnd: 180_000, idempotencyKey: `${paymentId}:cap` });
  const refund = (n: number, amountVnd: number) =>
    rail.refund({
      paymentId,
      providerRef: ref,
      refundId: `r${n}`,
      amountVnd,
      reason: 'thiếu hàng',
      idempotencyKey: `${paymentId}:refund:r${n}`,
    });
  expect(await refund(1, 50_000)).toMatchObject({ status: 'succeeded', amountVnd: 50_000 });
  expect((await refund(1, 50_000)).refundRef).toBe((await refund(1, 50_000)).refundRef); // replayed
  await expect(refund(2, 130_001)).rejects.toThrow(/amount_too_large/);
  expect(await refund(3, 130_000)).toMatchObject({ status: 'succeeded', amountVnd: 130_000 });
  const err = await refund(4, 1_000).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RailRefusedError);
  expect((err as RailRefusedError).code).toBe('charge_already_refunded');
  expect(await rail.status({ paymentId, providerRef: ref })).toMatchObject({
    capturedVnd: 180_000,
    refundedVnd: 180_000,
  });
  const last = await delivery('charge.refunded', 1);
  expect(rail.parseNotification(last)).toMatchObject({
    paymentId,
    amountVnd: 200_000,
    state: { status: 'captured', capturedVnd: 180_000, refundedVnd: 180_000 },
  });
});

test('a declined card reads as failed with its code', async () => {
  const req = authoriseRequest();
  const res = await rail.authorise(req);
  if (res.kind !== 'client_secret') throw new Error('unreachable');
  await sim('/_sim/confirm', { id: res.providerRef, outcome: 'decline' });
  expect(await rail.status({ paymentId: req.paymentId, providerRef: res.providerRef })).toMatchObject({
    status: 'failed',
    failure: { code: 'generic_decline' },
  });
  const hook = await delivery('payment_intent.payment_failed');
  expect(rail.parseNotification(hook).state.status).toBe('failed');
});

test('3-D Secure reads as requires_action, then authorised once approved', async () => {
  const req = authoriseRequest();
  const res = await rail.authorise(req);
  if (res.kind !== 'client_secret') throw new Error('unreachable');
  await sim('/_sim/confirm', { id: res.providerRef, outcome: '3ds' });
  const p = { paymentId: req.paymentId, providerRef: res.providerRef };
  expect((await rail.status(p)).status).toBe('requires_action');
  await sim('/_sim/confirm', { id: res.providerRef, outcome: 'approve' });
  expect(await rail.status(p)).toMatchObject({ status: 'authorised', authorisedVnd: req.amountVnd });
});

test('an outage surfaces as ProviderUnavailableError', async () => {
  await sim('/_sim/fail', { count: 3, status: 503 });
  await expect(rail.authorise(authoriseRequest())).rejects.toThrow(ProviderUnavailableError);
});

test('a capture whose answer is lost is retried under the same key and captures once', async () => {
  const { ref, paymentId } = await held(250_000);
  rail.close();
  rail = stripe({ timeoutMs: 300 });
  await sim('/_sim/stall', {
    count: 1,
    ms: 1_000,
    when: 'after',
    only: 'POST /v1/payment_intents/{id}/capture',
  });
  const state = await rail.capture({
    paymentId,
    providerRef: ref,
    amountVnd: 240_000,
    idempotencyKey: `${paymentId}:cap`,
  });
  expect(state).toMatchObject({ status: 'captured', capturedVnd: 240_000 });
  expect((await ledger()).filter((e) => e.op === 'capture' && e.payment_intent === ref)).toHaveLength(1);
});

test('the same Idempotency-Key with other parameters is refused', async () => {
  const { ref, paymentId } = await held(250_000);
  await rail.capture({ paymentId, providerRef: ref, amountVnd: 200_000, idempotencyKey: `${paymentId}:cap` });
  const err = await rail
    .capture({ paymentId, providerRef: ref, amountVnd: 210_000, idempotencyKey: `${paymentId}:cap` })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RailRefusedError);
  expect((err as RailRefusedError).code).toBe('idempotency_error');
});

test('duplicate and out-of-order deliveries carry the same event ids', async () => {
  const { ref, paymentId } = await held();
  await rail.capture({ paymentId, providerRef: ref, amountVnd: 100_000, idempotencyKey: `${paymentId}:cap` });
  const authorised = await eventOf(ref, 'payment_intent.amount_capturable_updated');
  const captured = await eventOf(ref, 'payment_intent.succeeded');
  received = [];
  await sim('/_sim/webhook', { ids: [captured.id, authorised.id], duplicate: 1 });
  const ids = received.map((r) => rail.parseNotification(r).eventId);
  expect(ids).toEqual([captured.id, captured.id, authorised.id, authorised.id]);
});

test('acknowledge: 2xx for every verified verdict, 400 for a bad signature, 500 to be sent again', () => {
  for (const v of ['applied', 'duplicate', 'unknown_payment', 'amount_mismatch'] as const)
    expect(rail.acknowledge(v).status).toBe(200);
  expect(rail.acknowledge('bad_signature').status).toBe(400);
  expect(rail.acknowledge('error').status).toBe(500);
});

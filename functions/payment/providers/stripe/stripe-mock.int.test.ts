/**
 * Contract check against the real stripe-mock (STRIPE_API_BASE in infra/services.env; `bash
 * infra/services.sh up stripe-mock`): stripe-mock validates every request against Stripe's OpenAPI
 * spec and answers fixtures, so these prove only that the rail's requests — create with manual
 * capture, capture with amount_to_capture, cancel, refund, retrieve with expand, search — have shapes
 * Stripe accepts, and that its fixtures parse. States do not move there (PROVIDERS.md §1.6); the
 * behaviour is tested against our simulator in adapter.int.test.ts.
 */
import Stripe from 'stripe';
import type { Rail } from '../../rail';
import { createStripeRail } from './adapter';

const apiBase = process.env.STRIPE_API_BASE;
if (!apiBase) throw new Error('STRIPE_API_BASE is not set: run `set -a && . infra/services.env && set +a`');
const secretKey = process.env.STRIPE_SECRET_KEY ?? 'sk_test_tuoi';

let rail: Rail;
beforeEach(() => {
  rail = createStripeRail({
    apiBase,
    secretKey,
    outbound: { timeoutMs: 5_000, retries: 0, breaker: { volume: 1_000 } },
  });
});
afterEach(() => rail.close());

const key = (op: string) => `contract:${op}:${Date.now()}:${Math.random()}`;

test('create with capture_method=manual in VND is accepted and answers a client secret', async () => {
  const res = await rail.authorise({
    paymentId: 'pay_contract_1',
    attemptId: 'a1',
    amountVnd: 250_000,
    description: 'Tươi order contract',
    returnUrl: 'https://tuoi.test/return',
    notifyUrl: 'https://tuoi.test/hooks/stripe',
    lang: 'vi',
    idempotencyKey: key('authorise'),
  });
  expect(res.kind).toBe('client_secret');
  if (res.kind !== 'client_secret') throw new Error('unreachable');
  expect(res.providerRef).toMatch(/^pi_/);
  expect(res.clientSecret).toBeTruthy();
});

test('capture with amount_to_capture, cancel, refund, retrieve and search are accepted', async () => {
  const ref = 'pi_contract';
  const captured = await rail.capture({
    paymentId: 'p',
    providerRef: ref,
    amountVnd: 231_500,
    idempotencyKey: key('capture'),
  });
  expect(captured.providerRef).toMatch(/^pi_/);
  const voided = await rail.void({ paymentId: 'p', providerRef: ref, idempotencyKey: key('void') });
  expect(voided.providerRef).toMatch(/^pi_/);
  const refund = await rail.refund({
    paymentId: 'p',
    providerRef: ref,
    refundId: 'r1',
    amountVnd: 50_000,
    reason: 'requested_by_customer',
    idempotencyKey: key('refund'),
  });
  expect(refund.refundRef).toMatch(/^re_/);
  expect((await rail.status({ paymentId: 'p', providerRef: ref })).providerRef).toMatch(/^pi_/);
  expect((await rail.status({ paymentId: 'pay_contract_1' })).providerRef).toMatch(/^pi_/);
});

test('a parameter Stripe does not know is refused by stripe-mock (the check is real)', async () => {
  const stripe = new Stripe(secretKey, {
    host: new URL(apiBase).hostname,
    port: new URL(apiBase).port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  await expect(
    stripe.paymentIntents.capture('pi_contract', {
      amount_to_kapture: 1,
    } as Stripe.PaymentIntentCaptureParams),
  ).rejects.toThrow(/additional properties are not allowed/);
});

import type Stripe from 'stripe';
import { createStripe } from './stripe';
import { serviceEnv, uniqueSuffix } from './testing/service-env';

jest.setTimeout(30_000);

// stripe-mock is stateless: it validates requests against Stripe's OpenAPI spec and answers
// with fixture objects. It reflects some request values (amount, currency, path ids) but does
// not remember anything, so assertions stick to what it really returns.
let stripe: Stripe;

beforeAll(() => {
  stripe = createStripe({
    secretKey: serviceEnv('STRIPE_SECRET_KEY'),
    apiBase: serviceEnv('STRIPE_API_BASE'),
  });
});

describe('stripe client against stripe-mock', () => {
  it('creates a PaymentIntent in VND with an idempotency key', async () => {
    const idempotencyKey = `order-${uniqueSuffix()}`;
    const intent = await stripe.paymentIntents.create(
      {
        amount: 150_000,
        currency: 'vnd',
        allowed_payment_method_types: ['card'],
        metadata: { orderId: 'o-1' },
      },
      { idempotencyKey },
    );
    expect(intent.object).toBe('payment_intent');
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.amount).toBe(150_000);
    expect(intent.currency).toBe('vnd');
    expect(intent.allowed_payment_method_types).toEqual(['card']);
    expect(intent.livemode).toBe(false);
    // The key really went over the wire: stripe-mock echoes it like the real API does.
    expect(intent.lastResponse.headers['idempotency-key']).toBe(idempotencyKey);
    expect(intent.lastResponse.statusCode).toBe(200);
  });

  it('retrieves a PaymentIntent by id', async () => {
    const intent = await stripe.paymentIntents.retrieve('pi_tuoi_test_123');
    expect(intent.id).toBe('pi_tuoi_test_123');
    expect(intent.object).toBe('payment_intent');
    expect(typeof intent.status).toBe('string');
  });

  it('creates a partial refund for a PaymentIntent', async () => {
    const refund = await stripe.refunds.create(
      { payment_intent: 'pi_tuoi_test_123', amount: 50_000, reason: 'requested_by_customer' },
      { idempotencyKey: `refund-${uniqueSuffix()}` },
    );
    expect(refund.object).toBe('refund');
    expect(refund.id).toMatch(/^re_/);
    expect(refund.amount).toBe(50_000);
    expect(refund.payment_intent).toBe('pi_tuoi_test_123');
    expect(refund.status).toBe('succeeded');
  });

  it('rejects a request that breaks the API schema', async () => {
    const missingAmount = { currency: 'vnd' } as unknown as Stripe.PaymentIntentCreateParams;
    await expect(stripe.paymentIntents.create(missingAmount)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
    });
  });

  it('rejects an invalid apiBase early', () => {
    expect(() => createStripe({ secretKey: 'sk_test_x', apiBase: 'ftp://127.0.0.1:1' })).toThrow(/http/);
    expect(() => createStripe({ secretKey: 'sk_test_x', apiBase: 'http://127.0.0.1:1/v1' })).toThrow(/path/);
  });
});

import { ConfigError, parseConfig } from '../../../shared/config';
import { createStripeRail, stripeConfigSpec, stripeFromConfig } from './adapter';

describe('stripeFromConfig', () => {
  it('leaves Stripe off when nothing is set', () => {
    expect(stripeFromConfig(parseConfig(stripeConfigSpec, {}))).toBeUndefined();
  });
  it('needs the API base and the secret key together', () => {
    expect(() => stripeFromConfig(parseConfig(stripeConfigSpec, { STRIPE_SECRET_KEY: 'sk_test_x' }))).toThrow(
      ConfigError,
    );
    expect(() =>
      stripeFromConfig(parseConfig(stripeConfigSpec, { STRIPE_WEBHOOK_SECRET: 'whsec_x' })),
    ).toThrow(/STRIPE_API_BASE is required.*|STRIPE_SECRET_KEY/);
  });
  it('builds the rail; the webhook secret is optional', () => {
    const rail = stripeFromConfig(
      parseConfig(stripeConfigSpec, {
        STRIPE_API_BASE: 'http://127.0.0.1:1',
        STRIPE_SECRET_KEY: 'sk_test_x',
      }),
    );
    expect(rail).toMatchObject({ name: 'stripe', holds: true, maxAmountVnd: 99_999_999 });
    rail?.close();
  });
});

describe('the rail without a network', () => {
  const rail = createStripeRail({ apiBase: 'http://127.0.0.1:1', secretKey: 'sk_test_x' });
  afterAll(() => rail.close());
  it('refuses every notification while no webhook secret is configured', () => {
    expect(() =>
      rail.parseNotification({
        method: 'POST',
        headers: { 'stripe-signature': 't=1,v1=00' },
        query: {},
        rawBody: '{}',
      }),
    ).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });
  it('refuses amounts outside Stripe VND limits before calling out', async () => {
    const req = {
      paymentId: 'p',
      attemptId: 'a',
      description: 'd',
      returnUrl: 'https://x',
      notifyUrl: 'https://y',
      lang: 'en' as const,
      idempotencyKey: 'k',
    };
    await expect(rail.authorise({ ...req, amountVnd: 100_000_000 })).rejects.toThrow(/amount_too_large/);
    await expect(rail.authorise({ ...req, amountVnd: 1_000 })).rejects.toThrow(/amount_too_small/);
  });
});

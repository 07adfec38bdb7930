/** MoMo's configuration and the answers MoMo gets to its IPNs (adapter.ts); no services needed. */
import { ConfigError, parseConfig } from '../../../shared/config';
import { NotificationFormatError } from '../../rail';
import { createMomoRail, momoConfigSpec, momoFromConfig } from './adapter';

const complete = {
  MOMO_API_URL: 'https://test-payment.momo.vn',
  MOMO_PARTNER_CODE: 'MOMOTUOI',
  MOMO_ACCESS_KEY: 'access',
  MOMO_SECRET_KEY: 'a-secret-of-32-characters-000000',
};

describe('momoFromConfig', () => {
  it('leaves MoMo off when nothing is set', () => {
    expect(momoFromConfig(parseConfig(momoConfigSpec, {}))).toBeUndefined();
  });

  it('names what is missing when MoMo is half configured', () => {
    const { MOMO_ACCESS_KEY: _, MOMO_SECRET_KEY: __, ...half } = complete;
    const config = parseConfig(momoConfigSpec, half);
    expect(() => momoFromConfig(config)).toThrow(ConfigError);
    expect(() => momoFromConfig(config)).toThrow(/MOMO_ACCESS_KEY.*\n.*MOMO_SECRET_KEY/);
  });

  it('refuses a secret key shorter than 16 characters', () => {
    const config = parseConfig(momoConfigSpec, { ...complete, MOMO_SECRET_KEY: 'short' });
    expect(() => momoFromConfig(config)).toThrow(/MOMO_SECRET_KEY must have at least 16/);
  });

  it('builds a holding rail capped at 50,000,000 ₫', () => {
    const rail = momoFromConfig(parseConfig(momoConfigSpec, complete));
    expect(rail).toMatchObject({ name: 'momo', holds: true, maxAmountVnd: 50_000_000 });
    rail!.close();
  });
});

describe('the rail without calls', () => {
  const rail = createMomoRail({
    baseUrl: 'http://127.0.0.1:9',
    credentials: { partnerCode: 'P', accessKey: 'a', secretKey: 's'.repeat(32) },
  });
  afterAll(() => rail.close());

  it.each([
    ['applied', 204],
    ['duplicate', 204],
    ['unknown_payment', 204],
    ['amount_mismatch', 204],
    ['bad_signature', 401],
    ['error', 500],
  ] as const)('acknowledges %s with %i and no body', (verdict, status) => {
    expect(rail.acknowledge(verdict)).toEqual({ status });
  });

  it('takes IPNs as POSTs only', () => {
    expect(() => rail.parseNotification({ method: 'GET', headers: {}, query: {}, rawBody: '{}' })).toThrow(
      NotificationFormatError,
    );
  });

  it('refuses amounts it cannot send before calling out', async () => {
    await expect(rail.capture({ paymentId: 'p', amountVnd: 1.5, idempotencyKey: 'k' })).rejects.toMatchObject(
      {
        code: 'invalid_amount',
      },
    );
  });
});

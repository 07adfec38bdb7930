/** GoSend's configuration (off when unset, an error when half set) and the calls it refuses before any I/O. */
import { ConfigError, parseConfig } from '../../../shared/config';
import type { BookRequest } from '../../carrier';
import { createGoSendCarrier, gosendConfigSpec, gosendFromConfig } from './adapter';

const complete = {
  GOSEND_API_URL: 'https://integration-kilat-api.gojekapi.com',
  GOSEND_CLIENT_ID: 'tuoi-engine',
  GOSEND_PASS_KEY: 'pass',
  GOSEND_MARKET: 'ID',
  GOSEND_WEBHOOK_AUTH_TOKEN: 'hook-secret',
};

describe('gosendFromConfig', () => {
  it('leaves GoSend off when nothing is set', () => {
    expect(gosendFromConfig(parseConfig(gosendConfigSpec, {}))).toBeUndefined();
  });

  it('names what is missing when GoSend is half configured (the header name may stay unset)', () => {
    const { GOSEND_PASS_KEY: _, GOSEND_MARKET: __, ...half } = complete;
    const config = parseConfig(gosendConfigSpec, { ...half, GOSEND_WEBHOOK_AUTH_HEADER: 'X-Callback-Token' });
    expect(() => gosendFromConfig(config)).toThrow(ConfigError);
    expect(() => gosendFromConfig(config)).toThrow(/GOSEND_PASS_KEY.*\n.*GOSEND_MARKET/);
  });

  it('refuses a market other than ID or SG', () => {
    expect(() => parseConfig(gosendConfigSpec, { ...complete, GOSEND_MARKET: 'VN' })).toThrow(/ID\|SG/);
  });

  it('builds the carrier when everything required is set', () => {
    const carrier = gosendFromConfig(parseConfig(gosendConfigSpec, complete));
    expect(carrier).toMatchObject({ name: 'gosend', webhookTrusted: true });
    carrier!.close();
  });
});

describe('before any call', () => {
  // Nothing listens here: a call out would fail, so these pass only if no call is made.
  const carrier = createGoSendCarrier({
    baseUrl: 'http://127.0.0.1:9',
    market: 'ID',
    credentials: { clientId: 'c', passKey: 'p' },
    outbound: { retries: 0, timeoutMs: 200 },
  });
  afterAll(() => carrier.close());
  const party = { name: 'A', phone: '+6281234567890', street: 'Jl. A', ward: 'Menteng', province: 'jakarta' };
  const req: BookRequest = {
    reference: 'dlv-1',
    origin: { ...party, geo: { lat: -6.195, lng: 106.823 } },
    destination: { ...party, geo: { lat: -6.26, lng: 106.81 } },
    parcel: { weightGrams: 1_000, valueVnd: 0, items: [] },
    codVnd: 0,
  };

  it('has no quote for cash on delivery or without coordinates', async () => {
    await expect(carrier.quote({ ...req, codVnd: 100_000 })).resolves.toBeUndefined();
    await expect(carrier.quote({ ...req, destination: party })).resolves.toBeUndefined();
  });

  it('refuses to book cash on delivery or without coordinates', async () => {
    await expect(carrier.book({ ...req, codVnd: 100_000 })).rejects.toMatchObject({
      code: 'cod_unsupported',
    });
    await expect(carrier.book({ ...req, origin: party })).rejects.toMatchObject({ code: 'no_coordinates' });
  });
});

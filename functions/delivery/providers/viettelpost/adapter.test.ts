/**
 * The ViettelPost adapter's pure parts: status codes, the location-code table, times, promised
 * durations, config, and webhook authentication and parsing (no network).
 */
import { ConfigError } from '../../../shared/config';
import { DELIVERY_STATUSES, WebhookAuthError, WebhookFormatError, type Carrier } from '../../carrier';
import { areaKey } from '../common';
import {
  VIETTELPOST_STATUSES,
  createViettelpostCarrier,
  etaMinutes,
  viettelpostAreaCodes,
  viettelpostFromConfig,
  viettelpostStatus,
  viettelpostTime,
} from './adapter';

const SECRET = 'vtp-webhook-secret-0123456789';
const carriers: Carrier[] = [];
afterEach(() => carriers.splice(0).forEach((c) => c.close()));

function vtp(): Carrier {
  const c = createViettelpostCarrier({
    baseUrl: 'http://127.0.0.1:9',
    credentials: { username: 'u', password: 'p', webhookToken: SECRET },
    areaCodes: new Map(),
  });
  carriers.push(c);
  return c;
}

const data = (over: Record<string, unknown> = {}) => ({
  ORDER_NUMBER: '1700000000001',
  ORDER_REFERENCE: 'dlv-1',
  ORDER_STATUSDATE: '21/04/2026 06:21:31',
  ORDER_STATUS: 500,
  STATUS_NAME: 'Đang giao hàng',
  NOTE: 'Khách hẹn giao lại',
  MONEY_COLLECTION: 150_000,
  ...over,
});
const hook = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  query: {},
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('ViettelPost statuses', () => {
  it.each([
    [-100, 'pending'],
    [102, 'pending'],
    [103, 'pending'],
    [104, 'pending'],
    [105, 'picked_up'],
    [107, 'cancelled'],
    [200, 'in_transit'],
    [201, 'cancelled'],
    [300, 'in_transit'],
    [400, 'in_transit'],
    [500, 'in_transit'],
    [501, 'delivered'],
    [502, 'returning'],
    [503, 'cancelled'],
    [504, 'returned'],
    [505, 'returning'],
    [506, 'failed'],
    [507, 'failed'],
    [508, 'in_transit'],
    [509, 'in_transit'],
    [515, 'returning'],
  ])('%i → %s', (code, status) => expect(viettelpostStatus(code)).toBe(status));

  it.each([101, 202, 550, 0, 999])('does not know %i', (code) =>
    expect(viettelpostStatus(code)).toBeUndefined(),
  );

  it('maps only to statuses of the port', () => {
    for (const s of VIETTELPOST_STATUSES.values()) expect(DELIVERY_STATUSES).toContain(s);
  });
});

describe('location-code table', () => {
  it('accepts ids with or without a district, keyed by province and folded ward', () => {
    const table = viettelpostAreaCodes({
      'ho-chi-minh|Phường Bến Thành': { provinceId: 2, districtId: 43, wardId: 501 },
      'ho-chi-minh|Xuân Hòa': { provinceId: 2, districtId: null, wardId: 511 },
    });
    expect(table.get(areaKey('ho-chi-minh', 'ben thanh'))).toEqual({
      provinceId: 2,
      districtId: 43,
      wardId: 501,
    });
    expect(table.get(areaKey('ho-chi-minh', 'Phường Xuân Hòa'))).toEqual({ provinceId: 2, wardId: 511 });
  });

  it('names every bad or repeated entry', () => {
    expect(() =>
      viettelpostAreaCodes({
        'ho-chi-minh|Bến Thành': { provinceId: 2, wardId: 501 },
        'ho-chi-minh|phuong ben thanh': { provinceId: 2, wardId: 501 },
        'ha-noi|Cửa Nam': { provinceId: 1, wardId: '102' },
        'ha-noi|Hoàn Kiếm': { provinceId: 1, districtId: 0, wardId: 101 },
      }),
    ).toThrow(/phuong ben thanh, ha-noi\|Cửa Nam, ha-noi\|Hoàn Kiếm/);
    expect(() => viettelpostAreaCodes([])).toThrow(
      'must be a JSON object of "<province>|<ward>": {provinceId, districtId?, wardId}',
    );
  });
});

describe('times and durations', () => {
  it.each([
    ['21/04/2026 06:21:31', '2026-04-20T23:21:31.000Z'],
    ['1/2/2026 7:05', '2026-02-01T00:05:00.000Z'],
    ['2026-06-29 10:00:00', '2026-06-29T03:00:00.000Z'],
    ['2026-06-29T10:00:00', '2026-06-29T03:00:00.000Z'],
    ['2026-06-29T10:00:00+07:00', '2026-06-29T03:00:00.000Z'],
    ['2026-06-29T03:00:00Z', '2026-06-29T03:00:00.000Z'],
  ])('reads %s as Vietnam time', (text, iso) => expect(viettelpostTime(text)?.toISOString()).toBe(iso));

  it.each(['31/02/2026 10:00:00', '2026-06-29', '25:00 1/1/2026', 'hôm qua', 42])('rejects %p', (v) =>
    expect(viettelpostTime(v)).toBeUndefined(),
  );

  it.each([
    ['24 giờ', 1440],
    ['12h', 720],
    ['Thời gian dự kiến: 2 ngày', 2880],
    ['1,5 ngày', 2160],
    ['sớm', undefined],
    [24, undefined],
  ])('reads %p as %p minutes', (text, minutes) => expect(etaMinutes(text)).toBe(minutes));
});

describe('viettelpostFromConfig', () => {
  const full = {
    VIETTELPOST_API_URL: 'https://partnerdev.viettelpost.vn',
    VIETTELPOST_USERNAME: 'user',
    VIETTELPOST_PASSWORD: 'password',
    VIETTELPOST_WEBHOOK_TOKEN: SECRET,
    VIETTELPOST_AREA_CODES: '{"ho-chi-minh|Bến Thành": {"provinceId": 2, "districtId": 43, "wardId": 501}}',
    VIETTELPOST_GROUPADDRESS_ID: '12345',
    VIETTELPOST_SERVICE: 'VCN',
  };

  it('is off without VIETTELPOST_API_URL', () => {
    expect(viettelpostFromConfig({ ...full, VIETTELPOST_API_URL: undefined })).toBeUndefined();
  });

  it('builds the carrier when configured', () => {
    const c = viettelpostFromConfig(full)!;
    carriers.push(c);
    expect(c).toMatchObject({ name: 'viettelpost', webhookTrusted: true });
  });

  it('names every missing or bad variable once VIETTELPOST_API_URL is set', () => {
    let err: unknown;
    try {
      viettelpostFromConfig({
        VIETTELPOST_API_URL: full.VIETTELPOST_API_URL,
        VIETTELPOST_WEBHOOK_TOKEN: 'short',
        VIETTELPOST_AREA_CODES: '{"x": 1}',
        VIETTELPOST_GROUPADDRESS_ID: 'main',
      } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
      'VIETTELPOST_USERNAME',
      'VIETTELPOST_PASSWORD',
      'VIETTELPOST_WEBHOOK_TOKEN',
      'VIETTELPOST_AREA_CODES',
      'VIETTELPOST_GROUPADDRESS_ID',
    ]);
  });
});

describe('parseWebhook', () => {
  it('reads DATA with its Vietnam time, our reference and no COD before delivery', () => {
    expect(vtp().parseWebhook(hook({ DATA: data(), TOKEN: SECRET }))).toEqual([
      {
        carrier: 'viettelpost',
        carrierRef: '1700000000001',
        reference: 'dlv-1',
        status: 'in_transit',
        rawStatus: '500',
        at: new Date('2026-04-20T23:21:31.000Z'),
        codCollectedVnd: undefined,
        reason: undefined,
      },
    ]);
  });

  it('reports the COD on delivery, the note as the reason of a failure, and the courier', () => {
    const c = vtp();
    expect(c.parseWebhook(hook({ DATA: data({ ORDER_STATUS: 501 }), TOKEN: SECRET }))[0]).toMatchObject({
      status: 'delivered',
      codCollectedVnd: 150_000,
    });
    expect(
      c.parseWebhook(
        hook({
          DATA: data({ ORDER_STATUS: '506', EMPLOYEE_NAME: 'Bưu tá A', EMPLOYEE_PHONE: '0987000111' }),
          TOKEN: SECRET,
        }),
      )[0],
    ).toMatchObject({
      status: 'failed',
      rawStatus: '506',
      reason: 'Khách hẹn giao lại',
      driver: { name: 'Bưu tá A', phone: '0987000111' },
    });
  });

  it('keeps an unknown code raw and a bad time as the time heard', () => {
    const before = Date.now();
    const [u] = vtp().parseWebhook(
      hook({ DATA: data({ ORDER_STATUS: 550, ORDER_STATUSDATE: '' }), TOKEN: SECRET }),
    );
    expect(u).toMatchObject({ status: undefined, rawStatus: '550' });
    expect(u!.at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('takes the secret from the body, or from Authorization when the body has none', () => {
    const c = vtp();
    expect(c.parseWebhook(hook({ DATA: data() }, { authorization: SECRET }))).toHaveLength(1);
    expect(c.parseWebhook(hook({ DATA: data() }, { authorization: `Bearer ${SECRET}` }))).toHaveLength(1);
    // A wrong TOKEN in the body is not rescued by a right header.
    expect(() => c.parseWebhook(hook({ DATA: data(), TOKEN: 'wrong' }, { authorization: SECRET }))).toThrow(
      WebhookAuthError,
    );
  });

  it('refuses a missing or wrong secret', () => {
    const c = vtp();
    expect(() => c.parseWebhook(hook({ DATA: data() }))).toThrow(WebhookAuthError);
    expect(() => c.parseWebhook(hook({ DATA: data(), TOKEN: '' }))).toThrow(WebhookAuthError);
    expect(() => c.parseWebhook(hook({ DATA: data(), TOKEN: `${SECRET}x` }))).toThrow(WebhookAuthError);
    expect(() => c.parseWebhook(hook('not json'))).toThrow(WebhookAuthError);
  });

  it.each([
    [{ TOKEN: SECRET }],
    [{ DATA: 'x', TOKEN: SECRET }],
    [{ DATA: data({ ORDER_NUMBER: '' }), TOKEN: SECRET }],
    [{ DATA: data({ ORDER_STATUS: 'Giao thành công' }), TOKEN: SECRET }],
    [{ DATA: data({ ORDER_STATUS: 50.5 }), TOKEN: SECRET }],
  ])('refuses a malformed body %#', (body) =>
    expect(() => vtp().parseWebhook(hook(body))).toThrow(WebhookFormatError),
  );
});

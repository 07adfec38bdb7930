/**
 * The GHN adapter's pure parts: status words, the location-code table, config, and webhook
 * authentication and parsing (no network: `parseWebhook` reads only the request it is given).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../shared/config';
import { DELIVERY_STATUSES, WebhookAuthError, WebhookFormatError, type Carrier } from '../../carrier';
import { areaKey } from '../common';
import { GHN_STATUSES, createGhnCarrier, ghnAreaCodes, ghnFromConfig, ghnStatus } from './adapter';

const SECRET = 'ghn-webhook-secret-0123456789';
const carriers: Carrier[] = [];
afterEach(() => carriers.splice(0).forEach((c) => c.close()));

function ghn(): Carrier {
  const c = createGhnCarrier({
    baseUrl: 'http://127.0.0.1:9',
    credentials: { token: 't', shopId: 1, webhookToken: SECRET },
    areaCodes: new Map(),
  });
  carriers.push(c);
  return c;
}

const hook = (body: unknown, query: Record<string, string | undefined> = { token: SECRET }) => ({
  headers: { 'content-type': 'application/json' },
  query,
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
});
const statusBody = (over: Record<string, unknown> = {}) => ({
  OrderCode: 'Z82BS',
  ClientOrderCode: 'dlv-1',
  Status: 'picked',
  Time: '2026-03-04T05:06:07.890Z',
  Type: 'switch_status',
  CODAmount: 150_000,
  Reason: '',
  ...over,
});

describe('GHN statuses', () => {
  it.each([
    ['ready_to_pick', 'pending'],
    ['picking', 'assigned'],
    ['money_collect_picking', 'assigned'],
    ['picked', 'picked_up'],
    ['storing', 'in_transit'],
    ['transporting', 'in_transit'],
    ['sorting', 'in_transit'],
    ['delivering', 'in_transit'],
    ['money_collect_delivering', 'in_transit'],
    ['delivered', 'delivered'],
    ['delivery_fail', 'failed'],
    ['waiting_to_return', 'returning'],
    ['return', 'returning'],
    ['return_transporting', 'returning'],
    ['return_sorting', 'returning'],
    ['returning', 'returning'],
    ['return_fail', 'returning'],
    ['returned', 'returned'],
    ['cancel', 'cancelled'],
    ['exception', 'failed'],
    ['damage', 'failed'],
    ['lost', 'failed'],
  ])('%s → %s', (raw, status) => expect(ghnStatus(raw)).toBe(status));

  it('covers the 22 community words with statuses of the port only', () => {
    expect(GHN_STATUSES.size).toBe(22);
    for (const s of GHN_STATUSES.values()) expect(DELIVERY_STATUSES).toContain(s);
  });

  it.each(['READY_TO_PICK', 'constructor', '__proto__', '', 'on_the_moon'])('does not know %p', (raw) =>
    expect(ghnStatus(raw)).toBeUndefined(),
  );
});

describe('location-code table', () => {
  it('keys a ward by province and folded name, with or without its unit word', () => {
    const table = ghnAreaCodes({ 'ho-chi-minh|Phường Bến Thành': { districtId: 1442, wardCode: '20101' } });
    expect(table.get(areaKey('ho-chi-minh', 'BẾN THÀNH'))).toEqual({ districtId: 1442, wardCode: '20101' });
  });

  it('names every bad or repeated entry', () => {
    expect(() =>
      ghnAreaCodes({
        'ho-chi-minh|Bến Thành': { districtId: 1442, wardCode: '20101' },
        'ho-chi-minh|phuong ben thanh': { districtId: 1442, wardCode: '20101' },
        'no-bar': { districtId: 1, wardCode: 'x' },
        'ha-noi|Cửa Nam': { districtId: '1488', wardCode: '1A0102' },
        'ha-noi|Hoàn Kiếm': { districtId: 1488 },
      }),
    ).toThrow(/phuong ben thanh, no-bar, ha-noi\|Cửa Nam, ha-noi\|Hoàn Kiếm/);
    expect(() => ghnAreaCodes([])).toThrow(
      'must be a JSON object of "<province>|<ward>": {districtId, wardCode}',
    );
  });
});

describe('ghnFromConfig', () => {
  const full = {
    GHN_API_URL: 'https://dev-online-gateway.ghn.vn',
    GHN_TOKEN: 'token-0123456789',
    GHN_SHOP_ID: '885',
    GHN_WEBHOOK_TOKEN: SECRET,
    GHN_AREA_CODES: '{"ho-chi-minh|Bến Thành": {"districtId": 1442, "wardCode": "20101"}}',
  };

  it('is off without GHN_API_URL', () => {
    expect(ghnFromConfig({ ...full, GHN_API_URL: undefined })).toBeUndefined();
  });

  it('builds the carrier from JSON or from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ghn-'));
    const file = join(dir, 'areas.json');
    writeFileSync(file, full.GHN_AREA_CODES);
    for (const areas of [full.GHN_AREA_CODES, file]) {
      const c = ghnFromConfig({ ...full, GHN_AREA_CODES: areas })!;
      carriers.push(c);
      expect(c).toMatchObject({ name: 'ghn', webhookTrusted: false });
    }
  });

  it('names every missing or bad variable once GHN_API_URL is set', () => {
    let err: unknown;
    try {
      ghnFromConfig({
        GHN_API_URL: full.GHN_API_URL,
        GHN_SHOP_ID: 'shop',
        GHN_WEBHOOK_TOKEN: 'short',
      } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
      'GHN_TOKEN',
      'GHN_SHOP_ID',
      'GHN_WEBHOOK_TOKEN',
      'GHN_AREA_CODES',
    ]);
    expect((err as ConfigError).message).not.toContain('short');
  });
});

describe('parseWebhook', () => {
  it('reads a status change with its time, our reference and the reason', () => {
    expect(
      ghn().parseWebhook(hook(statusBody({ Status: 'delivery_fail', Reason: 'Không liên lạc được' }))),
    ).toEqual([
      {
        carrier: 'ghn',
        carrierRef: 'Z82BS',
        reference: 'dlv-1',
        status: 'failed',
        rawStatus: 'delivery_fail',
        at: new Date('2026-03-04T05:06:07.890Z'),
        codCollectedVnd: undefined,
        reason: 'Không liên lạc được',
      },
    ]);
  });

  it('reads the creation webhook (Type "create", any case) and the COD on delivery', () => {
    const c = ghn();
    expect(c.parseWebhook(hook(statusBody({ Type: 'Create', Status: 'ready_to_pick' })))[0]!.status).toBe(
      'pending',
    );
    expect(c.parseWebhook(hook(statusBody({ Status: 'delivered' })))[0]!.codCollectedVnd).toBe(150_000);
    expect(
      c.parseWebhook(hook(statusBody({ Status: 'delivered', CODAmount: 0 })))[0]!.codCollectedVnd,
    ).toBeUndefined();
  });

  it('keeps an unknown status raw and unapplied, and a bad time as the time heard', () => {
    const before = Date.now();
    const [u] = ghn().parseWebhook(
      hook(statusBody({ Status: 'teleported', Time: 'soon', ClientOrderCode: '' })),
    );
    expect(u).toMatchObject({ status: undefined, rawStatus: 'teleported', reference: undefined });
    expect(u!.at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it.each(['Update_weight', 'Update_cod', 'Update_fee', 'something_new'])(
    'returns nothing for Type %s',
    (type) => expect(ghn().parseWebhook(hook(statusBody({ Type: type })))).toEqual([]),
  );

  it('refuses a missing or wrong token before reading the body', () => {
    const c = ghn();
    expect(() => c.parseWebhook(hook('not json', {}))).toThrow(WebhookAuthError);
    expect(() => c.parseWebhook(hook(statusBody(), { token: '' }))).toThrow(WebhookAuthError);
    expect(() => c.parseWebhook(hook(statusBody(), { token: `${SECRET}!` }))).toThrow(WebhookAuthError);
  });

  it.each([['not json'], [[]], [{ Status: 'picked', Type: 'switch_status' }], [statusBody({ Status: 7 })]])(
    'refuses a malformed body %#',
    (body) => expect(() => ghn().parseWebhook(hook(body))).toThrow(WebhookFormatError),
  );
});

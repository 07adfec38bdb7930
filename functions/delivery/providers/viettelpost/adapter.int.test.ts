/**
 * The ViettelPost adapter against the ViettelPost simulator (infra/simulators/viettelpost, service
 * sim-viettelpost): login and its reuse, prices, what ViettelPost receives, a create whose answer
 * is lost (never sent twice), cancels, and webhooks the simulator really posts to a receiver
 * started here and fed to `parseWebhook` as they arrived.
 */
import { createServer, type Server } from 'node:http';
import { serviceEnv } from '../../../shared/clients/testing/service-env';
import { ProviderUnavailableError } from '../../../shared/outbound';
import {
  BookingUncertainError,
  CarrierRefusedError,
  WebhookAuthError,
  type BookRequest,
  type Carrier,
  type Party,
  type WebhookRequest,
} from '../../carrier';
import { createViettelpostCarrier, viettelpostAreaCodes, type ViettelpostOptions } from './adapter';

const SIM = `http://127.0.0.1:${serviceEnv('SIM_VIETTELPOST_PORT')}`;
const WEBHOOK_SECRET = 'vtp-webhook-secret-0123456789';

/** Ids of the simulator's master data; Xuân Hòa without a district, as post-reform ids may come. */
const areaCodes = viettelpostAreaCodes({
  'ho-chi-minh|Phường Bến Thành': { provinceId: 2, districtId: 43, wardId: 501 },
  'ho-chi-minh|Phường Xuân Hòa': { provinceId: 2, wardId: 511 },
  'ha-noi|Phường Cửa Nam': { provinceId: 1, districtId: 1, wardId: 102 },
  'ho-chi-minh|Phường Sài Gòn': { provinceId: 2, districtId: 43, wardId: 999 },
});

const store: Party = {
  name: 'Tươi Bến Thành',
  phone: '+84281234567',
  street: '1 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'ho-chi-minh',
};
const customer: Party = {
  name: 'Nguyễn Văn A',
  phone: '+84901234567',
  street: '12 Võ Văn Tần',
  ward: 'Phường Xuân Hòa',
  province: 'ho-chi-minh',
};

let refs = 0;
const booking = (over: Partial<BookRequest> = {}): BookRequest => ({
  origin: store,
  destination: customer,
  parcel: { weightGrams: 1200, valueVnd: 300_000, items: [{ name: 'Rau muống', qty: 2 }] },
  codVnd: 250_000,
  reference: `dlv-${Date.now().toString(36)}-${++refs}`,
  ...over,
});

interface SimOrder {
  ORDER_NUMBER: string;
  ORDER_REFERENCE: string;
  status: number;
  MONEY_TOTAL: number;
  request: Record<string, unknown>;
}

async function sim<T = unknown>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(SIM + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}
const simOrders = () => sim<SimOrder[]>('/_sim/orders');

const carriers: Carrier[] = [];
function vtp(over: Partial<ViettelpostOptions> = {}): Carrier {
  const c = createViettelpostCarrier({
    baseUrl: SIM,
    credentials: { username: 'tuoi-sim', password: 'tuoi-sim-password', webhookToken: WEBHOOK_SECRET },
    areaCodes,
    outbound: { timeoutMs: 2000, retries: 2, backoff: { baseMs: 1, maxMs: 5 } },
    ...over,
  });
  carriers.push(c);
  return c;
}

// A webhook receiver: keeps every request exactly as it arrived.
let receiver: Server;
let receiverUrl: string;
const captured: WebhookRequest[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      captured.push({
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
        ),
        query: Object.fromEntries(url.searchParams),
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/webhooks/viettelpost`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  captured.length = 0;
  await sim('/_sim/reset', {});
  await sim('/_sim/config', { webhook_url: receiverUrl, webhook_token: WEBHOOK_SECRET });
});
afterEach(() => carriers.splice(0).forEach((c) => c.close()));

/** The `skip`-th captured webhook with this status code, waiting for it to arrive. */
async function webhook(status: number, skip = 0): Promise<WebhookRequest> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const hits = captured.filter(
      (w) => (JSON.parse(w.rawBody) as { DATA: { ORDER_STATUS: number } }).DATA.ORDER_STATUS === status,
    );
    if (hits.length > skip) return hits[skip]!;
    if (Date.now() > deadline) throw new Error(`no webhook with status ${status} arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('quote', () => {
  it('takes the cheapest service ViettelPost offers, with its promised time', async () => {
    // Simulator VTK: 16,000 + 2 × 2,000 (1,200 g) + 1 % of 250,000 COD.
    expect(await vtp().quote(booking())).toEqual({
      carrier: 'viettelpost',
      service: 'VTK',
      feeVnd: 22_500,
      etaMinutes: 48 * 60,
    });
  });

  it('keeps to a configured service, and serves nothing where it is not offered', async () => {
    const c = vtp({ service: 'VHT' });
    expect(await c.quote(booking())).toMatchObject({ service: 'VHT', feeVnd: 47_500, etaMinutes: 12 * 60 });
    const hanoi = { ...customer, province: 'ha-noi', ward: 'Phường Cửa Nam' };
    expect(await c.quote(booking({ destination: hanoi }))).toBeUndefined();
  });

  it('does not serve a ward missing from the table (either end), nor one ViettelPost refuses', async () => {
    const c = vtp();
    expect(await c.quote(booking({ destination: { ...customer, ward: 'Phường Tân Định' } }))).toBeUndefined();
    expect(await c.quote(booking({ origin: { ...store, ward: 'Phường Tân Định' } }))).toBeUndefined();
    expect(await c.quote(booking({ destination: { ...customer, ward: 'Phường Sài Gòn' } }))).toBeUndefined();
  });
});

describe('login', () => {
  it('logs in once and reuses the token', async () => {
    const c = vtp();
    await c.quote(booking());
    await c.quote(booking());
    expect(await sim('/_sim/stats')).toMatchObject({ logins: 1 });
  });

  it('logs in again once when the token is no longer accepted', async () => {
    const c = vtp();
    await c.quote(booking());
    await sim('/_sim/expire_tokens', {});
    expect(await c.quote(booking())).toBeDefined();
    expect(await sim('/_sim/stats')).toMatchObject({ logins: 2 });
  });

  it('refuses with wrong credentials', async () => {
    const c = vtp({ credentials: { username: 'tuoi-sim', password: 'wrong', webhookToken: WEBHOOK_SECRET } });
    const err = await c.quote(booking()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CarrierRefusedError);
    expect((err as CarrierRefusedError).code).toBe('login_failed');
  });
});

describe('book', () => {
  it('sends our reference, the COD amount, grams, ids from the table and local phone numbers', async () => {
    const req = booking();
    const booked = await vtp().book(req);
    const [order] = await simOrders();
    expect(booked).toEqual({
      carrier: 'viettelpost',
      carrierRef: order!.ORDER_NUMBER,
      feeVnd: 22_500,
      status: 'pending',
      rawStatus: '-100',
    });
    expect(order!.request).toMatchObject({
      ORDER_NUMBER: req.reference,
      CHECK_UNIQUE: true,
      MONEY_COLLECTION: 250_000,
      ORDER_PAYMENT: 3,
      ORDER_SERVICE: 'VTK',
      PRODUCT_WEIGHT: 1200,
      PRODUCT_PRICE: 300_000,
      PRODUCT_QUANTITY: 2,
      SENDER_PROVINCE: 2,
      SENDER_DISTRICT: 43,
      SENDER_WARD: 501,
      SENDER_PHONE: '0281234567',
      RECEIVER_FULLNAME: 'Nguyễn Văn A',
      RECEIVER_PHONE: '0901234567',
      RECEIVER_ADDRESS: '12 Võ Văn Tần, Phường Xuân Hòa',
      RECEIVER_PROVINCE: 2,
      RECEIVER_DISTRICT: null,
      RECEIVER_WARD: 511,
    });
  });

  it('books the quoted service, and collects nothing when paid online', async () => {
    await vtp().book(booking({ service: 'VCN', codVnd: 0 }));
    const [order] = await simOrders();
    expect(order!.request).toMatchObject({ ORDER_SERVICE: 'VCN', ORDER_PAYMENT: 1, MONEY_COLLECTION: 0 });
  });

  it('refuses a ward missing from the table without calling ViettelPost', async () => {
    const err = await vtp()
      .book(booking({ destination: { ...customer, ward: 'Phường Tân Định' } }))
      .catch((e: unknown) => e);
    expect((err as CarrierRefusedError).code).toBe('unmapped_area');
    expect(await simOrders()).toHaveLength(0);
  });

  it('a second book of one reference is refused as a duplicate, not booked twice', async () => {
    const c = vtp();
    const req = booking();
    await c.book(req);
    const err = await c.book(req).catch((e: unknown) => e);
    // The trip exists but its waybill is unknown here: uncertain, so the function books no other carrier.
    expect(err).toBeInstanceOf(BookingUncertainError);
    expect((err as Error).cause).toMatchObject({ code: 'duplicate_reference' });
    expect(await simOrders()).toHaveLength(1);
  });

  it('a create whose answer is lost is not sent again; its webhook names our reference', async () => {
    const c = vtp({ outbound: { timeoutMs: 300, retries: 2, backoff: { baseMs: 1, maxMs: 5 } } });
    await c.quote(booking()); // logged in before the stall
    await sim('/_sim/stall', { count: 1, ms: 1500, path: '/v2/order/createOrder' });
    const req = booking({ service: 'VTK' });
    const err = await c.book(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingUncertainError);
    expect((err as Error).cause).toMatchObject({ reason: 'timeout', attempts: 1 });
    const orders = await simOrders();
    expect(orders).toHaveLength(1);

    // The function's retry of the booking is refused instead of making a second trip…
    expect(((await c.book(req).catch((e: unknown) => e)) as Error).cause).toMatchObject({
      code: 'duplicate_reference',
    });
    expect(await simOrders()).toHaveLength(1);
    // …and the waybill arrives with the first webhook, which carries our reference.
    await sim('/_sim/advance', { id: orders[0]!.ORDER_NUMBER });
    expect(c.parseWebhook(await webhook(104))).toEqual([
      expect.objectContaining({
        carrierRef: orders[0]!.ORDER_NUMBER,
        reference: req.reference,
        status: 'pending',
      }),
    ]);
  });
});

describe('cancel and track', () => {
  it('cancels, and cancelling again succeeds', async () => {
    const c = vtp();
    const { carrierRef } = await c.book(booking());
    await c.cancel(carrierRef);
    await c.cancel(carrierRef);
    expect((await simOrders())[0]!.status).toBe(107);
    expect(c.parseWebhook(await webhook(107))).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  });

  it('is refused once the post office has the parcel', async () => {
    const c = vtp();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 200 });
    const err = await c.cancel(carrierRef).catch((e: unknown) => e);
    expect((err as CarrierRefusedError).code).toBe('cancel_refused');
  });

  it('track is refused: no status endpoint is documented', async () => {
    const c = vtp();
    const { carrierRef } = await c.book(booking());
    const err = await c.track(carrierRef).catch((e: unknown) => e);
    expect((err as CarrierRefusedError).code).toBe('track_unsupported');
    expect(c.webhookTrusted).toBe(true);
  });
});

describe('webhooks', () => {
  it('parses the statuses, the time and the COD collected on delivery', async () => {
    const c = vtp();
    const req = booking();
    const { carrierRef } = await c.book(req);
    await sim('/_sim/advance', { id: carrierRef, status: 105 });
    expect(c.parseWebhook(await webhook(105))).toEqual([
      expect.objectContaining({
        status: 'picked_up',
        rawStatus: '105',
        driver: { name: 'Bưu tá Mô Phỏng', phone: '0987000111' },
      }),
    ]);
    const before = Math.floor(Date.now() / 1000) * 1000;
    await sim('/_sim/advance', { id: carrierRef, status: 501 });
    const [delivered] = c.parseWebhook(await webhook(501));
    expect(delivered).toMatchObject({
      carrier: 'viettelpost',
      carrierRef,
      reference: req.reference,
      status: 'delivered',
      rawStatus: '501',
      codCollectedVnd: 250_000,
    });
    // ORDER_STATUSDATE is Vietnam wall-clock time to the second.
    expect(delivered!.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(delivered!.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a wrong or missing TOKEN', async () => {
    const c = vtp();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/config', { webhook_token: 'not-the-secret' });
    await sim('/_sim/advance', { id: carrierRef });
    expect(() => c.parseWebhook(captured[0]!)).toThrow(WebhookAuthError);
    await sim('/_sim/config', { webhook_token: '' });
    await sim('/_sim/advance', { id: carrierRef });
    expect(() => c.parseWebhook(captured[1]!)).toThrow(WebhookAuthError);
  });

  it('parses a duplicate alike and an out-of-order status with its own, older time', async () => {
    const c = vtp();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/webhook', { id: carrierRef, status: 500, duplicate: 2 });
    expect(c.parseWebhook(await webhook(500, 1))).toEqual(c.parseWebhook(await webhook(500)));

    const old = '2026-01-02T03:04:05.000Z';
    await sim('/_sim/webhook', { id: carrierRef, status: 104, at: old });
    expect(c.parseWebhook(await webhook(104))).toEqual([
      expect.objectContaining({ status: 'pending', at: new Date(old) }),
    ]);
  });

  it('keeps a status code it does not know raw and unapplied', async () => {
    const c = vtp();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/webhook', { id: carrierRef, status: 550 });
    expect(c.parseWebhook(await webhook(550))).toEqual([
      expect.objectContaining({ status: undefined, rawStatus: '550' }),
    ]);
  });
});

describe('outages', () => {
  it('surface as ProviderUnavailableError after the retries a safe call allows', async () => {
    await sim('/_sim/fail', { count: 3, path: '/v2/order/getPriceAll' });
    const err = await vtp()
      .quote(booking())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ provider: 'viettelpost', reason: 'status', attempts: 3, lastStatus: 500 });
  });

  it('a create failing with a 5xx is not sent again, and is reported as possibly booked', async () => {
    await sim('/_sim/fail', { count: 1, path: '/v2/order/createOrder' });
    await expect(vtp().book(booking({ service: 'VTK' }))).rejects.toBeInstanceOf(BookingUncertainError);
    expect(await simOrders()).toHaveLength(0);
  });
});

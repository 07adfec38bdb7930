/**
 * The GHN adapter against the GHN simulator (infra/simulators/ghn, service sim-ghn): what GHN
 * receives, prices, bookings that survive a lost answer, cancels, tracking, and webhooks the
 * simulator really posts to a receiver started here and fed to `parseWebhook` as they arrived.
 */
import { createServer, type Server } from 'node:http';
import { serviceEnv } from '../../../shared/clients/testing/service-env';
import { ProviderUnavailableError } from '../../../shared/outbound';
import {
  CarrierRefusedError,
  WebhookAuthError,
  type BookRequest,
  type Carrier,
  type Party,
  type WebhookRequest,
} from '../../carrier';
import { createGhnCarrier, ghnAreaCodes, type GhnOptions } from './adapter';

const SIM = `http://127.0.0.1:${serviceEnv('SIM_GHN_PORT')}`;
const WEBHOOK_SECRET = 'ghn-webhook-secret-0123456789';

/** Codes of the simulator's master data; "Sài Gòn" points at a ward code GHN does not have. */
const areaCodes = ghnAreaCodes({
  'ho-chi-minh|Phường Bến Thành': { districtId: 1442, wardCode: '20101' },
  'ho-chi-minh|Phường Xuân Hòa': { districtId: 1443, wardCode: '20301' },
  'ho-chi-minh|Phường Sài Gòn': { districtId: 1442, wardCode: '99999' },
});

const store: Party = {
  name: 'Tươi Bến Thành',
  phone: '+84281234567',
  street: '1 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'ho-chi-minh',
};
/** Written as a customer would: no "Phường", no accents. */
const customer: Party = {
  name: 'Nguyễn Văn A',
  phone: '+84901234567',
  street: '12 Võ Văn Tần',
  ward: 'xuan hoa',
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
  order_code: string;
  client_order_code: string;
  status: string;
  total_fee: number;
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
function ghn(over: Partial<GhnOptions> = {}): Carrier {
  const c = createGhnCarrier({
    baseUrl: SIM,
    credentials: { token: 'sim-ghn-token', shopId: 885, webhookToken: WEBHOOK_SECRET },
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
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/webhooks/ghn`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  captured.length = 0;
  await sim('/_sim/reset', {});
});
afterEach(() => carriers.splice(0).forEach((c) => c.close()));

/** The first captured webhook whose body matches, waiting for it to arrive. */
async function webhook(match: (body: Record<string, unknown>) => boolean, skip = 0): Promise<WebhookRequest> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const hits = captured.filter((w) => match(JSON.parse(w.rawBody) as Record<string, unknown>));
    if (hits.length > skip) return hits[skip]!;
    if (Date.now() > deadline) throw new Error('no such webhook arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('quote', () => {
  it('prices a mapped ward with the weight, declared value and COD it sends', async () => {
    const quote = await ghn().quote(booking());
    // Simulator: 15,000 + 2 × 2,500 (1,200 g) + 0.5 % of 300,000 + 1 % of 250,000.
    expect(quote).toEqual({ carrier: 'ghn', service: '2', feeVnd: 24_000 });
  });

  it('does not serve a ward missing from the table, nor one GHN does not know', async () => {
    const c = ghn();
    expect(await c.quote(booking({ destination: { ...customer, ward: 'Phường Tân Định' } }))).toBeUndefined();
    expect(await c.quote(booking({ destination: { ...customer, ward: 'Phường Sài Gòn' } }))).toBeUndefined();
  });
});

describe('book', () => {
  it('sends our reference, the COD amount, grams, the ward codes and local phone numbers', async () => {
    const req = booking();
    const booked = await ghn().book(req);
    const [order] = await simOrders();
    expect(booked).toEqual({
      carrier: 'ghn',
      carrierRef: order!.order_code,
      feeVnd: order!.total_fee,
      status: 'pending',
      rawStatus: 'ready_to_pick',
    });
    expect(order!.request).toMatchObject({
      client_order_code: req.reference,
      cod_amount: 250_000,
      weight: 1200,
      insurance_value: 300_000,
      to_name: 'Nguyễn Văn A',
      to_phone: '0901234567',
      to_address: '12 Võ Văn Tần, xuan hoa',
      to_district_id: 1443,
      to_ward_code: '20301',
      from_district_id: 1442,
      from_ward_code: '20101',
      from_phone: '0281234567',
      service_type_id: 2,
      payment_type_id: 1,
    });
  });

  it('books a reference once however often it is asked', async () => {
    const c = ghn();
    const req = booking();
    const first = await c.book(req);
    // Found again by our reference; GHN's detail answer carries no fee.
    expect(await c.book(req)).toEqual({ ...first, feeVnd: undefined });
    expect(await simOrders()).toHaveLength(1);
  });

  it('refuses a ward missing from the table without calling GHN', async () => {
    const err = await ghn()
      .book(booking({ destination: { ...customer, ward: 'Phường Tân Định' } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CarrierRefusedError);
    expect((err as CarrierRefusedError).code).toBe('unmapped_area');
    expect(await simOrders()).toHaveLength(0);
  });

  it('passes on GHN refusing the trip', async () => {
    const err = await ghn()
      .book(booking({ destination: { ...customer, ward: 'Phường Sài Gòn' } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CarrierRefusedError);
    expect(await simOrders()).toHaveLength(0);
  });

  it('finds the order when the create answer is lost, instead of creating a second one', async () => {
    const c = ghn({ outbound: { timeoutMs: 300, retries: 2, backoff: { baseMs: 1, maxMs: 5 } } });
    await sim('/_sim/stall', { count: 1, ms: 1500, path: '/v2/shipping-order/create' });
    const req = booking();
    const booked = await c.book(req);
    const orders = await simOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]!.client_order_code).toBe(req.reference);
    expect(booked.carrierRef).toBe(orders[0]!.order_code);
  });

  it('reports the outage when the create never reached GHN, and books once on the next try', async () => {
    const c = ghn({ outbound: { timeoutMs: 300, retries: 2, backoff: { baseMs: 1, maxMs: 5 } } });
    await sim('/_sim/stall', { count: 1, ms: 600, path: '/v2/shipping-order/create', effect: false });
    const req = booking();
    await expect(c.book(req)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await simOrders()).toHaveLength(0);
    await c.book(req);
    expect(await simOrders()).toHaveLength(1);
  });
});

describe('cancel', () => {
  it('cancels, and cancelling again succeeds', async () => {
    const c = ghn();
    const { carrierRef } = await c.book(booking());
    await c.cancel(carrierRef);
    await c.cancel(carrierRef);
    const [order] = await simOrders();
    expect(order!.status).toBe('cancel');
    expect((await c.track(carrierRef)).status).toBe('cancelled');
  });

  it('is refused once the parcel is picked up', async () => {
    const c = ghn();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'picked' });
    const err = await c.cancel(carrierRef).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CarrierRefusedError);
    expect((err as CarrierRefusedError).code).toBe('cancel_refused');
  });
});

describe('track', () => {
  it('reads the status, its time, our reference and, on delivery, the COD amount', async () => {
    const c = ghn();
    const req = booking();
    const { carrierRef } = await c.book(req);
    const picking = await sim<{ order: { updated_date: string } }>('/_sim/advance', { id: carrierRef });
    expect(await c.track(carrierRef)).toEqual({
      carrier: 'ghn',
      carrierRef,
      reference: req.reference,
      status: 'assigned',
      rawStatus: 'picking',
      at: new Date(picking.order.updated_date),
      codCollectedVnd: undefined,
    });
    await sim('/_sim/advance', { id: carrierRef, status: 'delivered' });
    const delivered = await c.track(carrierRef);
    expect(delivered).toMatchObject({
      status: 'delivered',
      rawStatus: 'delivered',
      codCollectedVnd: 250_000,
    });
  });

  it('is refused for an order GHN does not have', async () => {
    await expect(ghn().track('GNOSUCH1')).rejects.toBeInstanceOf(CarrierRefusedError);
  });
});

describe('webhooks', () => {
  it('parses what GHN posts to the URL holding our token, from create to delivery', async () => {
    await sim('/_sim/config', { webhook_url: `${receiverUrl}?token=${WEBHOOK_SECRET}` });
    const c = ghn();
    const req = booking();
    const { carrierRef } = await c.book(req);
    const created = c.parseWebhook(await webhook((b) => b.Type === 'create'));
    expect(created).toEqual([
      expect.objectContaining({
        carrierRef,
        reference: req.reference,
        status: 'pending',
        rawStatus: 'ready_to_pick',
      }),
    ]);

    await sim('/_sim/advance', { id: carrierRef, status: 'delivered' });
    const raw = await webhook((b) => b.Status === 'delivered');
    const body = JSON.parse(raw.rawBody) as { Time: string };
    expect(c.parseWebhook(raw)).toEqual([
      {
        carrier: 'ghn',
        carrierRef,
        reference: req.reference,
        status: 'delivered',
        rawStatus: 'delivered',
        at: new Date(body.Time),
        codCollectedVnd: 250_000,
        reason: undefined,
      },
    ]);
    expect(c.webhookTrusted).toBe(false);
  });

  it('refuses a webhook whose URL token is wrong or missing', async () => {
    const c = ghn();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/config', { webhook_url: `${receiverUrl}?token=not-the-secret` });
    await sim('/_sim/advance', { id: carrierRef });
    expect(() => c.parseWebhook(captured[0]!)).toThrow(WebhookAuthError);

    await sim('/_sim/config', { webhook_url: receiverUrl });
    await sim('/_sim/advance', { id: carrierRef });
    expect(() => c.parseWebhook(captured[1]!)).toThrow(WebhookAuthError);
  });

  it('parses a duplicate alike and an out-of-order status with its own, older time', async () => {
    await sim('/_sim/config', { webhook_url: `${receiverUrl}?token=${WEBHOOK_SECRET}` });
    const c = ghn();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/webhook', { id: carrierRef, status: 'delivering', duplicate: 2 });
    const first = c.parseWebhook(await webhook((b) => b.Status === 'delivering'));
    const again = c.parseWebhook(await webhook((b) => b.Status === 'delivering', 1));
    expect(again).toEqual(first);

    const old = '2026-01-02T03:04:05.000Z';
    await sim('/_sim/webhook', { id: carrierRef, status: 'picking', at: old });
    const late = c.parseWebhook(await webhook((b) => b.Status === 'picking'));
    expect(late).toEqual([expect.objectContaining({ status: 'assigned', at: new Date(old) })]);
  });

  it('returns nothing for a webhook that changes an amount, not the status', async () => {
    await sim('/_sim/config', { webhook_url: `${receiverUrl}?token=${WEBHOOK_SECRET}` });
    const c = ghn();
    const { carrierRef } = await c.book(booking());
    await sim('/_sim/webhook', { id: carrierRef, type: 'update_cod' });
    expect(c.parseWebhook(await webhook((b) => b.Type === 'update_cod'))).toEqual([]);
  });
});

describe('outages', () => {
  it('surface as ProviderUnavailableError after the retries a safe call allows', async () => {
    await sim('/_sim/fail', { count: 3 });
    const err = await ghn()
      .quote(booking())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ provider: 'ghn', reason: 'status', attempts: 3, lastStatus: 500 });
  });

  it('a create failing with a 5xx is not sent again, and nothing is booked', async () => {
    await sim('/_sim/fail', { count: 1, path: '/v2/shipping-order/create' });
    await expect(ghn().book(booking())).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await simOrders()).toHaveLength(0);
  });

  it('a wrong token is a refusal, not an outage', async () => {
    const err = await ghn({ credentials: { token: 'wrong', shopId: 885, webhookToken: WEBHOOK_SECRET } })
      .quote(booking())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CarrierRefusedError);
    expect((err as CarrierRefusedError).code).toBe('unauthorized');
  });
});

/**
 * The AhaMove adapter against the AhaMove simulator (infra/simulators/ahamove, SIM_AHAMOVE_PORT):
 * estimates, orders with their COD and reference, cancels, tracking through the drop's outcome,
 * callbacks posted by the simulator to a receiver in this test, outages and a create whose answer
 * never arrives.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderUnavailableError } from '../../../shared/outbound';
import {
  CarrierRefusedError,
  WebhookAuthError,
  type BookRequest,
  type Carrier,
  type WebhookRequest,
} from '../../carrier';
import { createAhamoveCarrier } from './adapter';
import type { OutboundOverrides } from '../../../shared/outbound';

const port = process.env.SIM_AHAMOVE_PORT;
if (!port) throw new Error('SIM_AHAMOVE_PORT is not set: run `set -a && . infra/services.env && set +a`');
const SIM = `http://127.0.0.1:${port}`;
const TOKEN = 'tuoi-sim-token';
const APIKEY = 'KJhb4seu82dHe3hkDgyU7mQoh5AB1o';

async function sim<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(SIM + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

interface SimOrder {
  _id: string;
  status: string;
  request: Record<string, unknown>;
}
const simOrders = async (reference: string) =>
  (await sim<{ deliveries: SimOrder[] }>(`/_sim/deliveries?tracking_number=${reference}`)).deliveries;

function ahamove(
  outbound: OutboundOverrides = {},
  credentials = { apiToken: TOKEN, webhookApiKey: APIKEY },
): Carrier {
  return createAhamoveCarrier({
    baseUrl: SIM,
    credentials,
    outbound: {
      timeoutMs: 2_000,
      retries: 2,
      backoff: { baseMs: 5, maxMs: 20 },
      breaker: { volume: 1_000 },
      ...outbound,
    },
  });
}

const store = {
  name: 'Tươi Bến Thành',
  phone: '+84283822000',
  street: '12 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'ho-chi-minh',
  geo: { lat: 10.7769, lng: 106.7009 },
};
const customer = {
  name: 'Nguyễn Thị Lan',
  phone: '+84901234567',
  street: '45 Võ Văn Tần',
  ward: 'Phường Xuân Hòa',
  province: 'ho-chi-minh',
  geo: { lat: 10.8, lng: 106.71 },
};
/** Vũng Tàu: in the merged province, but some 80 km from the store. */
const farCustomer = { ...customer, geo: { lat: 10.346, lng: 107.084 } };
const hanoiStore = {
  ...store,
  ward: 'Phường Hoàn Kiếm',
  province: 'ha-noi',
  geo: { lat: 21.0285, lng: 105.8542 },
};
const hanoiCustomer = {
  ...customer,
  ward: 'Phường Cầu Giấy',
  province: 'ha-noi',
  geo: { lat: 21.0362, lng: 105.7906 },
};

let seq = 0;
function booking(overrides: Partial<BookRequest> = {}): BookRequest {
  seq += 1;
  return {
    reference: `dlv-aha-${Date.now()}-${seq}`,
    origin: store,
    destination: customer,
    parcel: { weightGrams: 3_250, valueVnd: 412_000, items: [{ name: 'Rau muống', qty: 2 }] },
    codVnd: 0,
    ...overrides,
  };
}

/** A webhook receiver: the simulator POSTs here; each request is kept as it arrived. */
async function receiver(): Promise<{ url: string; received: WebhookRequest[]; close(): Promise<void> }> {
  const received: WebhookRequest[] = [];
  const server: Server = createServer((req, res) => {
    let rawBody = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (rawBody += c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
      const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
      received.push({ headers, query, rawBody });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${p}/hooks/ahamove`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let carrier: Carrier;
beforeEach(async () => {
  await sim('/_sim/reset', {});
  carrier = ahamove();
});
afterEach(() => carrier.close());

describe('quote', () => {
  it("prices a bike trip in the pickup's city by distance", async () => {
    expect(await carrier.quote(booking())).toEqual({
      carrier: 'ahamove',
      service: 'SGN-BIKE',
      feeVnd: 22_000, // 2.75 km: 16,000 ₫ + one started km at 5,500 ₫, rounded up to 1,000 ₫
      etaMinutes: 14,
      distanceMetres: 2_750,
    });
    expect(await carrier.quote(booking({ origin: hanoiStore, destination: hanoiCustomer }))).toMatchObject({
      service: 'HAN-BIKE',
    });
  });

  it('has no quote out of coverage, outside its cities, or without coordinates', async () => {
    expect(await carrier.quote(booking({ destination: farCustomer }))).toBeUndefined();
    expect(await carrier.quote(booking({ origin: { ...store, province: 'can-tho' } }))).toBeUndefined();
    const { geo: _, ...noGeo } = customer;
    expect(await carrier.quote(booking({ destination: noGeo }))).toBeUndefined();
  });

  it('is refused with a wrong partner token', async () => {
    const wrong = ahamove({}, { apiToken: 'expired', webhookApiKey: APIKEY });
    try {
      await expect(wrong.quote(booking())).rejects.toMatchObject({
        name: 'CarrierRefusedError',
        code: 'NOT_AUTHORIZED',
      });
    } finally {
      wrong.close();
    }
  });
});

describe('book', () => {
  it('sends our reference as the tracking number, the COD on the drop, the weight in kg', async () => {
    const req = booking({ codVnd: 412_000, note: 'Gọi trước khi giao' });
    const booked = await carrier.book(req);
    expect(booked).toEqual({
      carrier: 'ahamove',
      carrierRef: expect.any(String),
      feeVnd: 22_000,
      trackingUrl: expect.stringContaining(booked.carrierRef),
      status: 'pending',
      rawStatus: 'ASSIGNING',
    });

    const [sent] = await simOrders(req.reference);
    expect(sent!._id).toBe(booked.carrierRef);
    expect(sent!.request).toEqual({
      service_id: 'SGN-BIKE',
      order_time: 0,
      path: [
        {
          lat: 10.7769,
          lng: 106.7009,
          address: '12 Lê Lợi, Phường Bến Thành',
          short_address: 'Phường Bến Thành',
          name: 'Tươi Bến Thành',
          mobile: '84283822000',
        },
        {
          lat: 10.8,
          lng: 106.71,
          address: '45 Võ Văn Tần, Phường Xuân Hòa',
          short_address: 'Phường Xuân Hòa',
          name: 'Nguyễn Thị Lan',
          mobile: '84901234567',
          cod: 412_000,
          item_value: 412_000,
          tracking_number: req.reference,
          remarks: 'Gọi trước khi giao',
        },
      ],
      requests: [],
      payment_method: 'BALANCE',
      package_detail: [{ weight: 3.25, description: '2× Rau muống' }],
      remarks: 'Gọi trước khi giao',
    });
  });

  it('schedules an order for a window more than an hour ahead', async () => {
    const start = new Date(Date.now() + 3 * 3_600_000);
    const req = booking({ window: { start, end: new Date(+start + 7_200_000) } });
    expect(await carrier.book(req)).toMatchObject({ status: 'pending', rawStatus: 'IDLE' });
    const [sent] = await simOrders(req.reference);
    expect(sent!.request.order_time).toBe(Math.floor(start.getTime() / 1000));
  });

  it('is refused out of coverage, and where AhaMove is not used', async () => {
    await expect(carrier.book(booking({ destination: farCustomer }))).rejects.toMatchObject({
      carrier: 'ahamove',
      code: 'OUT_OF_SERVICE_AREA',
    });
    await expect(carrier.book(booking({ origin: { ...store, province: 'can-tho' } }))).rejects.toMatchObject({
      code: 'not_served',
    });
  });

  it('booking the same reference again leaves one live order', async () => {
    const req = booking();
    const first = await carrier.book(req);
    const second = await carrier.book(req);
    expect((await simOrders(req.reference)).map((o) => [o._id, o.status])).toEqual([
      [first.carrierRef, 'CANCELLED'],
      [second.carrierRef, 'ASSIGNING'],
    ]);
  });
});

describe('track and cancel', () => {
  it('tracks an order to its delivery, with the driver and the COD collected', async () => {
    const req = booking({ codVnd: 150_000 });
    const { carrierRef } = await carrier.book(req);
    const seen: [string, string | undefined][] = [];
    for (const step of ['ACCEPTED', 'BOARDED', 'IN PROCESS', 'COMPLETED']) {
      await sim('/_sim/advance', { id: carrierRef, status: step });
      const update = await carrier.track(carrierRef);
      seen.push([update.rawStatus, update.status]);
    }
    expect(seen).toEqual([
      ['ACCEPTED', 'assigned'],
      ['ACCEPTED:BOARDED', 'assigned'],
      ['IN PROCESS', 'in_transit'],
      ['COMPLETED (drop COMPLETED)', 'delivered'],
    ]);
    expect(await carrier.track(carrierRef)).toMatchObject({
      carrierRef,
      reference: req.reference,
      codCollectedVnd: 150_000,
      driver: { name: 'Lê Văn Cường', phone: '84909000222' },
      trackingUrl: expect.stringContaining(carrierRef),
    });
  });

  it('reads a failed drop, the return and the reason from the drop, not from COMPLETED alone', async () => {
    const { carrierRef } = await carrier.book(booking({ codVnd: 90_000 }));
    await sim('/_sim/advance', { id: carrierRef, status: 'IN PROCESS' });
    const seen = [];
    for (const step of ['FAILED', 'IN_RETURN', 'RETURNED']) {
      await sim('/_sim/advance', { id: carrierRef, status: step, comment: 'Khách không nghe máy' });
      seen.push(await carrier.track(carrierRef));
    }
    expect(seen.map((u) => [u.rawStatus, u.status, u.reason, u.codCollectedVnd])).toEqual([
      ['COMPLETED (drop FAILED)', 'failed', 'Khách không nghe máy', undefined],
      ['COMPLETED:IN_RETURN (drop FAILED)', 'returning', 'Khách không nghe máy', undefined],
      ['COMPLETED:RETURNED (drop FAILED)', 'returned', 'Khách không nghe máy', undefined],
    ]);
  });

  it('cancels, also once a driver accepted, and cancelling again succeeds', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'ACCEPTED' });
    await carrier.cancel(carrierRef);
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'cancelled', rawStatus: 'CANCELLED' });
    await expect(carrier.cancel(carrierRef)).resolves.toBeUndefined();
  });

  it('is refused cancelling an order past pickup, or one that does not exist', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'IN PROCESS' });
    await expect(carrier.cancel(carrierRef)).rejects.toMatchObject({ code: 'INVALID_ORDER_STATUS' });
    await expect(carrier.cancel('NOPE0001')).rejects.toBeInstanceOf(CarrierRefusedError);
    await expect(carrier.cancel('NOPE0001')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });
});

describe('webhooks', () => {
  let hooks: Awaited<ReturnType<typeof receiver>>;
  beforeEach(async () => {
    hooks = await receiver();
    await sim('/_sim/config', { webhook_url: hooks.url, webhook_apikey: APIKEY });
  });
  afterEach(() => hooks.close());

  it('parses the order the simulator posts with the agreed apikey', async () => {
    const req = booking();
    const { carrierRef } = await carrier.book(req);
    const before = Date.now();
    await sim('/_sim/advance', { id: carrierRef, status: 'ACCEPTED' });
    expect(hooks.received).toHaveLength(1);
    const [update] = carrier.parseWebhook(hooks.received[0]!);
    expect(update).toEqual({
      carrier: 'ahamove',
      carrierRef,
      reference: req.reference,
      status: 'assigned',
      rawStatus: 'ACCEPTED',
      at: expect.any(Date),
      driver: { name: 'Lê Văn Cường', phone: '84909000222' },
      trackingUrl: expect.stringContaining(carrierRef),
    });
    expect(update!.at.getTime()).toBeGreaterThanOrEqual(before); // accept_time, not when we parsed
  });

  it('refuses a callback whose apikey is wrong or missing', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'ACCEPTED' });
    const other = ahamove({}, { apiToken: TOKEN, webhookApiKey: 'another-key' });
    try {
      const [hook] = hooks.received;
      expect(() => other.parseWebhook(hook!)).toThrow(WebhookAuthError);
      const { apikey: _, ...without } = hook!.headers;
      expect(() => carrier.parseWebhook({ ...hook!, headers: without })).toThrow(WebhookAuthError);
    } finally {
      other.close();
    }
  });

  it('parses a duplicate and a late, older status each with its own timestamp', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'ACCEPTED' });
    await sim('/_sim/advance', { id: carrierRef, status: 'IN PROCESS' });
    const old = new Date(Date.now() - 10 * 60_000);
    await sim('/_sim/webhook', { id: carrierRef, duplicate: 1 });
    await sim('/_sim/webhook', { id: carrierRef, status: 'ACCEPTED', at: old.toISOString() });

    const [, , dup1, dup2, late] = hooks.received.map((h) => carrier.parseWebhook(h)[0]!);
    expect(dup1).toEqual(dup2);
    expect(dup1).toMatchObject({ status: 'in_transit', rawStatus: 'IN PROCESS' });
    expect(late).toMatchObject({ status: 'assigned', rawStatus: 'ACCEPTED', at: old });
    expect(late!.at.getTime()).toBeLessThan(dup1!.at.getTime());
  });
});

describe('outages', () => {
  it('retries an estimate and a read, then reports the outage', async () => {
    await sim('/_sim/fail', { count: 3, only: 'POST /v3/orders/estimates' });
    const err = await carrier.quote(booking()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ provider: 'ahamove', reason: 'status', attempts: 3, lastStatus: 503 });

    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/fail', { count: 2, only: `GET /v3/orders/${carrierRef}` });
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'pending' });
  });

  it('does not repeat a create that failed', async () => {
    const req = booking();
    await sim('/_sim/fail', { count: 1, only: 'POST /v3/orders' });
    await expect(carrier.book(req)).rejects.toMatchObject({ reason: 'status', attempts: 1 });
    expect(await simOrders(req.reference)).toEqual([]);
  });

  it('cancels the order of a create whose answer never came, and a rebook leaves one live order', async () => {
    carrier.close();
    carrier = ahamove({ timeoutMs: 300 });
    const req = booking();
    await sim('/_sim/stall', { count: 1, ms: 1_500, only: 'POST /v3/orders' });
    // Cleared, but a create cut off in flight may still land: uncertain, so the function books
    // no other carrier until a rebook here (or releaseReference) clears the reference again.
    await expect(carrier.book(req)).rejects.toMatchObject({
      name: 'BookingUncertainError',
      cause: { name: 'ProviderUnavailableError', reason: 'timeout' },
    });
    expect((await simOrders(req.reference)).map((o) => o.status)).toEqual(['CANCELLED']);

    const rebooked = await carrier.book(req);
    const live = (await simOrders(req.reference)).filter((o) => o.status !== 'CANCELLED');
    expect(live.map((o) => o._id)).toEqual([rebooked.carrierRef]);
  });

  it('cancels an order created after its create timed out when the caller rebooks', async () => {
    carrier.close();
    carrier = ahamove({ timeoutMs: 300 });
    const req = booking();
    await sim('/_sim/stall', { count: 1, ms: 800, when: 'before', only: 'POST /v3/orders' });
    await expect(carrier.book(req)).rejects.toMatchObject({
      name: 'BookingUncertainError',
      cause: { reason: 'timeout' },
    });
    await waitFor(async () => (await simOrders(req.reference)).length === 1);

    // Before another carrier may take the delivery, the function asks this one to release our reference.
    expect(await carrier.releaseReference!(req.reference)).toBe(true);
    expect((await simOrders(req.reference)).map((t) => t.status)).toEqual(['CANCELLED']);

    const rebooked = await carrier.book(req);
    const orders = await simOrders(req.reference);
    expect(orders.map((o) => o.status)).toEqual(['CANCELLED', 'ASSIGNING']);
    expect(orders[1]!._id).toBe(rebooked.carrierRef);
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The GoSend adapter against its simulator (infra/simulators/gosend, SIM_GOSEND_PORT): quotes, bookings,
 * cancels, tracking, webhooks posted to a receiver in this test, outages and creates whose answer is lost.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderUnavailableError } from '../../../shared/outbound';
import { WebhookAuthError, type BookRequest, type Carrier, type WebhookRequest } from '../../carrier';
import { createGoSendCarrier } from './adapter';
import type { GoSendMarket } from './wire';

const port = process.env.SIM_GOSEND_PORT;
if (!port) throw new Error('SIM_GOSEND_PORT is not set: run `set -a && . infra/services.env && set +a`');
const SIM = `http://127.0.0.1:${port}`;
const HOOK = { header: 'X-Callback-Token', token: 'tuoi-gosend-hook-1' };

async function sim<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const headers = { 'content-type': 'application/json' };
  const post = { method: 'POST', headers, body: JSON.stringify(body) };
  return (await (await fetch(SIM + path, body === undefined ? {} : post)).json()) as T;
}

type SimBooking = { orderNo: string; rawStatus: string; request: Record<string, unknown> };
const simBookings = async (storeOrderId: string) =>
  (await sim<{ bookings: SimBooking[] }>(`/_sim/bookings?storeOrderId=${storeOrderId}`)).bookings;

type Options = { timeoutMs?: number; token?: string; passKey?: string; market?: GoSendMarket };
/** Carriers made by a test, closed after it. */
const made: Carrier[] = [];
function gosend(o: Options = {}): Carrier {
  const [passKey, webhookAuthToken] = [o.passKey ?? 'tuoi-sim-pass-key', o.token ?? HOOK.token];
  const created = createGoSendCarrier({
    baseUrl: SIM,
    market: o.market ?? 'ID',
    credentials: { clientId: 'tuoi-sim', passKey, webhookAuthHeader: HOOK.header, webhookAuthToken },
    outbound: { timeoutMs: o.timeoutMs ?? 2_000, retries: 2, backoff: { baseMs: 5, maxMs: 20 } },
  });
  made.push(created);
  return created;
}

const party = (name: string, phone: string, street: string, lat: number, lng: number) => {
  return { name, phone, street, ward: 'Menteng', province: 'dki-jakarta', geo: { lat, lng } };
};
const store = party('Tươi Menteng', '+62215550100', 'Jl. M.H. Thamrin 1', -6.195, 106.823);
/** Kemang, some 7.4 km south of the store. */
const customer = party('Siti Rahma', '+6281234567890', 'Jl. Kemang Raya 5', -6.2607, 106.8137);

let seq = 0;
function booking(overrides: Partial<BookRequest> = {}): BookRequest {
  return {
    reference: `dlv-gosend-${Date.now()}-${(seq += 1)}`,
    origin: store,
    destination: customer,
    parcel: { weightGrams: 3_250, valueVnd: 0, items: [{ name: 'Bayam', qty: 2 }] },
    codVnd: 0,
    ...overrides,
  };
}

/** A webhook receiver: the simulator POSTs here; each request is kept as it arrived. */
async function receiver(): Promise<{ url: string; received: WebhookRequest[]; close(): Promise<void> }> {
  const received: WebhookRequest[] = [];
  const server = createServer(async (req, res) => {
    let rawBody = '';
    for await (const chunk of req) rawBody += String(chunk);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    received.push({ headers, query: {}, rawBody });
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/gosend`;
  return { url, received, close: () => new Promise((r) => server.close(() => r())) };
}

async function waitFor(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

let carrier: Carrier;
beforeEach(async () => {
  await sim('/_sim/reset', {});
  carrier = gosend();
});
afterEach(() => made.splice(0).forEach((c) => c.close()));

describe('quote', () => {
  it('prices an Instant trip in Jakarta in whole rupiah, not in đồng', async () => {
    const quote = await carrier.quote(booking());
    expect(quote).toMatchObject({ carrier: 'gosend', service: 'Instant', feeVnd: 0, currency: 'IDR' });
    expect(quote).toMatchObject({ fee: 27_500, distanceMetres: 7_380 }); // 20,000 to 5 km + 3 started km
  });

  it('prices in Singapore cents for an SG account', async () => {
    const origin = party('Tươi Orchard', '+6561230000', 'Orchard Rd 1', 1.3, 103.85);
    const destination = { ...origin, geo: { lat: 1.3521, lng: 103.8198 } };
    const quote = await gosend({ market: 'SG' }).quote(booking({ origin, destination }));
    expect(quote).toMatchObject({ currency: 'SGD', fee: 920, feeVnd: 0 }); // 6.7 km: 8.00 + 2 × 0.60
  });

  it('asks by coordinates for a Vietnamese address, and GoSend does not serve it', async () => {
    const hcmc = { ...party('Lan', '+84901234567', '12 Lê Lợi', 10.7769, 106.7009), province: 'ho-chi-minh' };
    const near = { ...hcmc, geo: { lat: 10.8, lng: 106.71 } };
    expect(await carrier.quote(booking({ origin: hcmc, destination: near }))).toBeUndefined();
    expect(await carrier.quote(booking({ destination: hcmc }))).toBeUndefined();
  });

  it('is refused with a wrong pass key', async () => {
    await expect(gosend({ passKey: 'not-it' }).quote(booking())).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });
});

describe('book', () => {
  it('sends our reference as storeOrderId, corporate payment, both contacts and coordinates', async () => {
    const req = booking({ note: 'Titip di satpam' });
    const booked = await carrier.book(req);
    expect(booked).toMatchObject({ carrier: 'gosend', status: 'pending', rawStatus: 'confirmed' });
    const [sent] = await simBookings(req.reference);
    expect(sent!.orderNo).toBe(booked.carrierRef);
    expect(sent!.request).toMatchObject({ paymentType: 3, shipment_method: 'Instant' });
    expect((sent!.request.routes as unknown[])[0]).toMatchObject({
      storeOrderId: req.reference,
      originContactPhone: '62215550100',
      originLatLong: '-6.195,106.823',
      destinationContactName: 'Siti Rahma',
      destinationContactPhone: '6281234567890',
      destinationLatLong: '-6.2607,106.8137',
      destinationNote: 'Titip di satpam',
      item: '2x Bayam',
    });
  });

  it('refuses cash on delivery without calling GoSend', async () => {
    const req = booking({ codVnd: 150_000 });
    await expect(carrier.book(req)).rejects.toMatchObject({ code: 'cod_unsupported' });
    expect(await simBookings(req.reference)).toEqual([]);
  });

  it('booking the same reference again adopts the live trip; after a cancel it books anew', async () => {
    const req = booking();
    const first = await carrier.book(req);
    expect((await carrier.book(req)).carrierRef).toBe(first.carrierRef);
    expect(await simBookings(req.reference)).toHaveLength(1);
    await carrier.cancel(first.carrierRef);
    const second = await carrier.book(req);
    expect(second.carrierRef).not.toBe(first.carrierRef);
    expect((await simBookings(req.reference)).map((b) => b.rawStatus)).toEqual(['cancelled', 'confirmed']);
  });
});

describe('track and cancel', () => {
  it('tracks a trip to its delivery with the driver and the tracking link', async () => {
    const req = booking();
    const { carrierRef } = await carrier.book(req);
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'pending', rawStatus: 'Finding Driver' });
    const steps = [
      ['allocated', 'Driver Allocated', 'assigned'],
      ['out_for_pickup', 'Enroute Pickup', 'assigned'],
      ['picked', 'Item Picked', 'picked_up'],
      ['out_for_delivery', 'Enroute Drop', 'in_transit'],
      ['delivered', 'Completed', 'delivered'],
    ];
    for (const [word, rawStatus, status] of steps) {
      await sim('/_sim/advance', { id: carrierRef, status: word });
      expect(await carrier.track(carrierRef)).toMatchObject({ rawStatus, status });
    }
    expect(await carrier.track(carrierRef)).toMatchObject({
      carrierRef,
      reference: req.reference,
      driver: { name: 'Budi Santoso', phone: '6281298765432', plate: 'B 1234 XYZ' },
      trackingUrl: expect.stringContaining(carrierRef),
    });
  });

  it('cancels, and cancelling again succeeds', async () => {
    const { carrierRef } = await carrier.book(booking());
    await carrier.cancel(carrierRef);
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'cancelled', rawStatus: 'Cancelled' });
    await expect(carrier.cancel(carrierRef)).resolves.toBeUndefined();
  });

  it('is refused cancelling (or releasing) a trip past pickup, or cancelling one that does not exist', async () => {
    const req = booking();
    const { carrierRef } = await carrier.book(req);
    await sim('/_sim/advance', { id: carrierRef, status: 'picked' });
    await expect(carrier.cancel(carrierRef)).rejects.toMatchObject({ code: 'not_cancellable' });
    expect(await carrier.releaseReference!(req.reference)).toBe(false);
    await expect(carrier.cancel('GK-11-1')).rejects.toMatchObject({ name: 'CarrierRefusedError' });
  });
});

describe('webhooks', () => {
  let hooks: Awaited<ReturnType<typeof receiver>>;
  beforeEach(async () => {
    hooks = await receiver();
    const { header: webhook_auth_header, token: webhook_auth_token } = HOOK;
    await sim('/_sim/config', { webhook_url: hooks.url, webhook_auth_header, webhook_auth_token });
  });
  afterEach(() => hooks.close());
  /** The updates received so far for one status word, parsed by `carrier`. */
  const parsed = (raw: string) =>
    hooks.received.map((h) => carrier.parseWebhook(h)[0]!).filter((u) => u.rawStatus === raw);

  it('parses what the simulator posts with the agreed header', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'allocated' });
    await waitFor(() => parsed('confirmed').length === 1);
    expect(parsed('allocated')).toEqual([
      {
        carrier: 'gosend',
        carrierRef,
        status: 'assigned',
        rawStatus: 'allocated',
        at: expect.any(Date),
        driver: { name: 'Budi Santoso', phone: '6281298765432' }, // webhooks carry no plate
        trackingUrl: expect.stringContaining(carrierRef),
      },
    ]);
  });

  it('refuses a webhook whose credential is wrong or missing', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'allocated' });
    const hook = hooks.received.at(-1)!;
    expect(hook.headers['x-callback-token']).toBe(HOOK.token);
    expect(() => gosend({ token: 'someone-else' }).parseWebhook(hook)).toThrow(WebhookAuthError);
    const { 'x-callback-token': _, ...without } = hook.headers;
    expect(() => carrier.parseWebhook({ ...hook, headers: without })).toThrow(WebhookAuthError);
  });

  it('parses a duplicate and a late, older status each with its own time', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'picked' });
    const old = new Date(Date.now() - 10 * 60_000);
    await sim('/_sim/webhook', { id: carrierRef, status: 'picked', duplicate: 1 });
    await sim('/_sim/webhook', { id: carrierRef, status: 'allocated', at: old.toISOString() });
    const [, dup1, dup2] = parsed('picked');
    expect(dup1).toEqual(dup2);
    expect(dup1).toMatchObject({ status: 'picked_up', carrierRef });
    const [late] = parsed('allocated');
    expect(late).toMatchObject({ status: 'assigned', at: old }); // event_date is in milliseconds
    expect(late!.at.getTime()).toBeLessThan(dup1!.at.getTime());
  });
});

describe('outages', () => {
  it('retries a quote and a read, then reports the outage', async () => {
    await sim('/_sim/fail', { count: 3, only: 'GET /gokilat/v10/calculate/price' });
    const err = await carrier.quote(booking()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ provider: 'gosend', reason: 'status', attempts: 3, lastStatus: 503 });
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/fail', { count: 2, only: `GET /gokilat/v10/booking/orderno/${carrierRef}` });
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'pending' }); // third attempt answers
  });

  it('does not repeat a failed create; reports the outage when nothing was booked', async () => {
    const req = booking();
    await sim('/_sim/fail', { count: 1, only: 'POST /gokilat/v10/booking' });
    await expect(carrier.book(req)).rejects.toMatchObject({ name: 'ProviderUnavailableError', attempts: 1 });
    expect(await simBookings(req.reference)).toEqual([]);
    // A gateway timeout is no answer from GoSend itself: the create may still land.
    await sim('/_sim/fail', { count: 1, status: 504, only: 'POST /gokilat/v10/booking' });
    await expect(carrier.book(req)).rejects.toMatchObject({ name: 'BookingUncertainError' });
  });

  it('adopts the trip of a create whose answer was lost: no second trip', async () => {
    carrier = gosend({ timeoutMs: 300 });
    const req = booking();
    await sim('/_sim/stall', { count: 1, ms: 1_500, only: 'POST /gokilat/v10/booking' });
    const booked = await carrier.book(req);
    const trips = await simBookings(req.reference);
    expect(trips.map((t) => t.orderNo)).toEqual([booked.carrierRef]);
    expect(booked).toMatchObject({ status: 'pending', rawStatus: 'Finding Driver' });
  });

  it('is uncertain when the create may still land, then adopts or releases the late trip', async () => {
    carrier = gosend({ timeoutMs: 300 });
    const req = booking();
    // GoSend is slow: the create is handled only after the adapter gave up and looked.
    await sim('/_sim/stall', { count: 1, ms: 800, when: 'before', only: 'POST /gokilat/v10/booking' });
    const uncertain = { name: 'BookingUncertainError', cause: { reason: 'timeout' } };
    await expect(carrier.book(req)).rejects.toMatchObject(uncertain);
    await waitFor(async () => (await simBookings(req.reference)).length === 1);
    const [late] = await simBookings(req.reference);
    expect((await carrier.book(req)).carrierRef).toBe(late!.orderNo); // a retry adopts it
    expect(await carrier.releaseReference!(req.reference)).toBe(true); // or the function releases it
    expect((await simBookings(req.reference)).map((t) => t.rawStatus)).toEqual(['cancelled']);
    expect(await carrier.releaseReference!(req.reference)).toBe(true); // nothing left: still released
  });
});

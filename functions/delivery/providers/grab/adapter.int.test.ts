/**
 * The Grab Express adapter against the Grab simulator (infra/simulators/grab, SIM_GRAB_PORT):
 * quotes, bookings with their COD and reference, cancels, tracking, webhooks posted by the
 * simulator to a receiver in this test, outages and a create whose answer never arrives.
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
import { createGrabCarrier } from './adapter';
import type { OutboundOverrides } from '../../../shared/outbound';

const port = process.env.SIM_GRAB_PORT;
if (!port) throw new Error('SIM_GRAB_PORT is not set: run `set -a && . infra/services.env && set +a`');
const SIM = `http://127.0.0.1:${port}`;
const HOOK = { authorization: 'Basic dHVvaTpob29rLXNlY3JldA==', id: 'tuoi-hooks-1' };

async function sim<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(SIM + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

interface SimDelivery {
  deliveryID: string;
  status: string;
  request: Record<string, unknown> & { cashOnDelivery?: { amount: number } };
}
const simDeliveries = async (merchantOrderID: string) =>
  (await sim<{ deliveries: SimDelivery[] }>(`/_sim/deliveries?merchantOrderID=${merchantOrderID}`))
    .deliveries;

function grab(outbound: OutboundOverrides = {}, webhook = HOOK): Carrier {
  return createGrabCarrier({
    baseUrl: `${SIM}/grab-express-sandbox`,
    credentials: {
      clientId: 'tuoi-sim',
      clientSecret: 'tuoi-sim-secret',
      webhookAuthorization: webhook.authorization,
      webhookAuthorizationId: webhook.id,
    },
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
/** Vũng Tàu, some 80 km away: past Grab's 35 km. */
const farCustomer = { ...customer, geo: { lat: 10.346, lng: 107.084 } };

let seq = 0;
function booking(overrides: Partial<BookRequest> = {}): BookRequest {
  seq += 1;
  return {
    reference: `dlv-grab-${Date.now()}-${seq}`,
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
    url: `http://127.0.0.1:${p}/hooks/grab`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let carrier: Carrier;
beforeEach(async () => {
  await sim('/_sim/reset', {});
  carrier = grab();
});
afterEach(() => carrier.close());

describe('quote', () => {
  it('prices an instant trip by distance', async () => {
    const quote = await carrier.quote(booking());
    expect(quote).toEqual({
      carrier: 'grab',
      service: 'INSTANT',
      feeVnd: 20_000, // 2.75 km: 15,000 ₫ + one started km
      etaMinutes: expect.any(Number),
      distanceMetres: 2_754,
    });
  });

  it('asks for SAME_DAY when the window starts more than an hour ahead', async () => {
    const start = new Date(Date.now() + 3 * 3_600_000);
    const quote = await carrier.quote(booking({ window: { start, end: new Date(+start + 7_200_000) } }));
    expect(quote).toMatchObject({ service: 'SAME_DAY', feeVnd: 16_000 });
    expect(quote!.etaMinutes).toBeGreaterThan(180);
  });

  it('has no quote out of coverage or without coordinates', async () => {
    expect(await carrier.quote(booking({ destination: farCustomer }))).toBeUndefined();
    const { geo: _, ...noGeo } = customer;
    expect(await carrier.quote(booking({ destination: noGeo }))).toBeUndefined();
  });

  it('fetches one token for many calls', async () => {
    await carrier.quote(booking());
    await Promise.all([carrier.quote(booking()), carrier.quote(booking())]);
    expect(await sim('/_sim/tokens')).toEqual({ issued: 1, live: 1 });
  });

  it('fetches a new token once when Grab no longer accepts the cached one', async () => {
    await carrier.quote(booking());
    await sim('/_sim/revoke-tokens', {});
    expect(await carrier.quote(booking())).toMatchObject({ feeVnd: 20_000 });
    expect(await sim('/_sim/tokens')).toEqual({ issued: 2, live: 1 });
  });

  it('is refused with a wrong client secret', async () => {
    const wrong = createGrabCarrier({
      baseUrl: SIM,
      credentials: { clientId: 'tuoi-sim', clientSecret: 'not-it' },
    });
    try {
      await expect(wrong.quote(booking())).rejects.toMatchObject({
        name: 'CarrierRefusedError',
        code: 'invalid_client',
      });
    } finally {
      wrong.close();
    }
  });
});

describe('book', () => {
  it('sends our reference as merchantOrderID, the COD amount, the weight and both contacts', async () => {
    const req = booking({ codVnd: 412_000, note: 'Gọi trước khi giao' });
    const booked = await carrier.book(req);
    expect(booked).toMatchObject({
      carrier: 'grab',
      status: 'pending',
      rawStatus: 'ALLOCATING',
      feeVnd: 20_000,
    });

    const [sent] = await simDeliveries(req.reference);
    expect(sent!.deliveryID).toBe(booked.carrierRef);
    expect(sent!.request).toMatchObject({
      merchantOrderID: req.reference,
      serviceType: 'INSTANT',
      paymentMethod: 'CASHLESS',
      payer: 'SENDER',
      codType: 'REGULAR',
      cashOnDelivery: { amount: 412_000 },
      packages: [{ quantity: 1, price: 412_000, dimensions: { weight: 3_250 }, description: '2× Rau muống' }],
      sender: { firstName: 'Tươi Bến Thành', phone: '84283822000' },
      recipient: { firstName: 'Nguyễn Thị Lan', phone: '84901234567', instruction: 'Gọi trước khi giao' },
      destination: { coordinates: { latitude: 10.8, longitude: 106.71 } },
    });
  });

  it('sends no cashOnDelivery when nothing is collected', async () => {
    const req = booking({ codVnd: 0 });
    await carrier.book(req);
    const [sent] = await simDeliveries(req.reference);
    expect(sent!.request.cashOnDelivery).toBeUndefined();
    expect(sent!.request.codType).toBeUndefined();
  });

  it('books SAME_DAY with the pickup schedule taken from the window', async () => {
    const start = new Date(Date.now() + 4 * 3_600_000);
    const end = new Date(+start + 7_200_000);
    const req = booking({ window: { start, end } });
    await carrier.book(req);
    const [sent] = await simDeliveries(req.reference);
    expect(sent!.request).toMatchObject({
      serviceType: 'SAME_DAY',
      schedule: { pickupTimeFrom: start.toISOString(), pickupTimeTo: end.toISOString() },
    });
  });

  it('is refused out of coverage', async () => {
    await expect(carrier.book(booking({ destination: farCustomer }))).rejects.toMatchObject({
      name: 'CarrierRefusedError',
      carrier: 'grab',
      code: 'OUT_OF_SERVICE_AREA',
    });
  });

  it('booking the same reference again leaves one live trip', async () => {
    const req = booking();
    const first = await carrier.book(req);
    const second = await carrier.book(req);
    const trips = await simDeliveries(req.reference);
    expect(trips.map((t) => [t.deliveryID, t.status])).toEqual([
      [first.carrierRef, 'CANCELED'],
      [second.carrierRef, 'ALLOCATING'],
    ]);
  });
});

describe('track and cancel', () => {
  it('tracks a trip to its delivery, with the driver and the COD collected', async () => {
    const req = booking({ codVnd: 150_000 });
    const { carrierRef } = await carrier.book(req);
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'pending', rawStatus: 'ALLOCATING' });

    const seen: [string, string | undefined][] = [];
    for (const raw of ['PENDING_PICKUP', 'PICKING_UP', 'PENDING_DROP_OFF', 'IN_DELIVERY', 'COMPLETED']) {
      await sim('/_sim/advance', { id: carrierRef, status: raw });
      const update = await carrier.track(carrierRef);
      seen.push([update.rawStatus, update.status]);
    }
    expect(seen).toEqual([
      ['PENDING_PICKUP', 'assigned'],
      ['PICKING_UP', 'assigned'],
      ['PENDING_DROP_OFF', 'picked_up'],
      ['IN_DELIVERY', 'in_transit'],
      ['COMPLETED', 'delivered'],
    ]);
    expect(await carrier.track(carrierRef)).toMatchObject({
      carrierRef,
      reference: req.reference,
      codCollectedVnd: 150_000,
      driver: { name: 'Trần Văn Bình', phone: '84909000111', plate: '59X1-123.45' },
      trackingUrl: expect.stringContaining(carrierRef),
    });
  });

  it('reports a failed trip with its reason', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'FAILED', failedReason: 'Khách không nghe máy' });
    expect(await carrier.track(carrierRef)).toMatchObject({
      status: 'failed',
      reason: 'Khách không nghe máy',
    });
  });

  it('cancels, and cancelling again succeeds', async () => {
    const { carrierRef } = await carrier.book(booking());
    await carrier.cancel(carrierRef);
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'cancelled', rawStatus: 'CANCELED' });
    await expect(carrier.cancel(carrierRef)).resolves.toBeUndefined();
  });

  it('is refused cancelling a trip past pickup, or one that does not exist', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'PENDING_DROP_OFF' });
    await expect(carrier.cancel(carrierRef)).rejects.toBeInstanceOf(CarrierRefusedError);
    await expect(carrier.cancel('IN-NOPE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('webhooks', () => {
  let hooks: Awaited<ReturnType<typeof receiver>>;
  beforeEach(async () => {
    hooks = await receiver();
    await sim('/_sim/config', {
      webhook_url: hooks.url,
      webhook_authorization: HOOK.authorization,
      webhook_authorization_id: HOOK.id,
    });
  });
  afterEach(() => hooks.close());

  it('parses what the simulator posts with the agreed headers', async () => {
    const req = booking();
    const { carrierRef } = await carrier.book(req);
    await sim('/_sim/advance', { id: carrierRef, status: 'PENDING_PICKUP' });
    expect(hooks.received).toHaveLength(1);
    expect(carrier.parseWebhook(hooks.received[0]!)).toEqual([
      {
        carrier: 'grab',
        carrierRef,
        reference: req.reference,
        status: 'assigned',
        rawStatus: 'PENDING_PICKUP',
        at: expect.any(Date),
        driver: { name: 'Trần Văn Bình', phone: '84909000111', plate: '59X1-123.45' },
        trackingUrl: expect.stringContaining(carrierRef),
      },
    ]);
  });

  it('refuses a webhook whose headers do not match', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'PENDING_PICKUP' });
    const wrongId = grab({}, { ...HOOK, id: 'someone-else' });
    const wrongAuth = grab({}, { ...HOOK, authorization: 'Basic d3Jvbmc6d3Jvbmc=' });
    try {
      const [hook] = hooks.received;
      expect(() => wrongId.parseWebhook(hook!)).toThrow(WebhookAuthError);
      expect(() => wrongAuth.parseWebhook(hook!)).toThrow(WebhookAuthError);
      const { 'authorization-id': _, ...withoutId } = hook!.headers;
      expect(() => carrier.parseWebhook({ ...hook!, headers: withoutId })).toThrow(WebhookAuthError);
    } finally {
      wrongId.close();
      wrongAuth.close();
    }
  });

  it('parses a duplicate and a late, older status each with its own timestamp', async () => {
    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/advance', { id: carrierRef, status: 'PENDING_DROP_OFF' });
    const old = new Date(Date.now() - 10 * 60_000);
    await sim('/_sim/webhook', { id: carrierRef, status: 'PENDING_DROP_OFF', duplicate: 1 });
    await sim('/_sim/webhook', { id: carrierRef, status: 'PENDING_PICKUP', at: old.toISOString() });

    const [, dup1, dup2, late] = hooks.received.map((h) => carrier.parseWebhook(h)[0]!);
    expect(dup1).toEqual(dup2);
    expect(dup1).toMatchObject({ status: 'picked_up', rawStatus: 'PENDING_DROP_OFF' });
    expect(late).toMatchObject({ status: 'assigned', rawStatus: 'PENDING_PICKUP' });
    expect(late!.at.getTime()).toBe(Math.floor(old.getTime() / 1000) * 1000); // Grab sends seconds
    expect(late!.at.getTime()).toBeLessThan(dup1!.at.getTime());
  });
});

describe('outages', () => {
  it('retries a quote and a read, then reports the outage', async () => {
    await sim('/_sim/fail', { count: 3, only: 'POST /v1/deliveries/quotes' });
    const err = await carrier.quote(booking()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ provider: 'grab', reason: 'status', attempts: 3, lastStatus: 503 });

    const { carrierRef } = await carrier.book(booking());
    await sim('/_sim/fail', { count: 2, only: `GET /v1/deliveries/${carrierRef}` });
    expect(await carrier.track(carrierRef)).toMatchObject({ status: 'pending' }); // third attempt answers
  });

  it('does not repeat a create that failed', async () => {
    const req = booking();
    await sim('/_sim/fail', { count: 1, only: 'POST /v1/deliveries' });
    await expect(carrier.book(req)).rejects.toMatchObject({ reason: 'status', attempts: 1 });
    expect(await simDeliveries(req.reference)).toEqual([]);
  });

  it('cancels the trip of a create whose answer never came, and a rebook leaves one live trip', async () => {
    carrier.close();
    carrier = grab({ timeoutMs: 300 });
    const req = booking();
    await sim('/_sim/stall', { count: 1, ms: 1_500, only: 'POST /v1/deliveries' });
    // Cleared, but a create cut off in flight may still land: uncertain, so the function books
    // no other carrier until a rebook here (or releaseReference) clears the reference again.
    await expect(carrier.book(req)).rejects.toMatchObject({
      name: 'BookingUncertainError',
      cause: { name: 'ProviderUnavailableError', reason: 'timeout' },
    });
    expect((await simDeliveries(req.reference)).map((t) => t.status)).toEqual(['CANCELED']);

    const rebooked = await carrier.book(req);
    const live = (await simDeliveries(req.reference)).filter((t) => t.status !== 'CANCELED');
    expect(live.map((t) => t.deliveryID)).toEqual([rebooked.carrierRef]);
  });

  it('cancels a trip created after its create timed out when the caller rebooks', async () => {
    carrier.close();
    carrier = grab({ timeoutMs: 300 });
    const req = booking();
    // Grab is slow: the create is handled only after the adapter gave up (and after its cleanup).
    await sim('/_sim/stall', { count: 1, ms: 800, when: 'before', only: 'POST /v1/deliveries' });
    await expect(carrier.book(req)).rejects.toMatchObject({
      name: 'BookingUncertainError',
      cause: { reason: 'timeout' },
    });
    await waitFor(async () => (await simDeliveries(req.reference)).length === 1);
    expect((await simDeliveries(req.reference))[0]!.status).toBe('ALLOCATING');

    // Before another carrier may take the delivery, the function asks this one to release our reference.
    expect(await carrier.releaseReference!(req.reference)).toBe(true);
    expect((await simDeliveries(req.reference)).map((t) => t.status)).toEqual(['CANCELED']);

    const rebooked = await carrier.book(req);
    const trips = await simDeliveries(req.reference);
    expect(trips.map((t) => t.status)).toEqual(['CANCELED', 'ALLOCATING']);
    expect(trips[1]!.deliveryID).toBe(rebooked.carrierRef);
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Deliveries and pickups over HTTP against real PostgreSQL and the Grab simulator
 * (infra/simulators/grab): a delivery is booked with the cheapest eligible carrier and falls back
 * to the next when one is down; Grab's webhooks are authenticated, deduplicated and never move a
 * delivery backwards; delivered with cash on delivery announces the cash; the own fleet is run by
 * staff; a pickup needs its code, refuses a wrong one and is collected once.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { TuoiCloudEvent } from '../../events';
import { createFirestore } from '../shared/clients/firestore';
import { serviceEnv, uniqueSuffix } from '../shared/clients/testing/service-env';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { deliveryUseCases } from './deps';
import { ownFleetCarrier } from './providers/own-fleet/adapter';
import { createGrabCarrier } from './providers/grab/adapter';
import { startDelivery, type Caller, type RunningDelivery, TRIP } from './testing';

const SIM = `http://127.0.0.1:${process.env.SIM_GRAB_PORT ?? '58401'}`;
const GHN = `http://127.0.0.1:${process.env.SIM_GHN_PORT ?? '58403'}`;
const GHN_HOOK = 'ghn-hook-secret-0123456789';
const VTP = `http://127.0.0.1:${process.env.SIM_VIETTELPOST_PORT ?? '58404'}`;
const VTP_HOOK = 'vtp-hook-secret-0123';
const HOOK = { authorization: 'grab-hook-secret', id: 'grab-hook-id' };

let db: TestDatabase;
let fn: RunningDelivery;
let firestore: Firestore;
const collection = `it-deliveries-${uniqueSuffix()}`;

async function call(method: string, path: string, json?: unknown, as: Caller = 'staff') {
  const res = await fn.call(method, path, { json, as });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const sim = async (path: string, json?: unknown, at = SIM) => {
  const res = await fetch(`${at}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return res.json() as Promise<Record<string, unknown>>;
};

// The day after tomorrow, not tomorrow: an express trip's 24 h ETA quoted in the evening would land
// after tomorrow's 18:00–20:00 window and leave its carrier out, whatever hour the suite runs.
const windowDay = () => addDays(localDateOf(new Date()), 2);
const { store, customer, parcel } = TRIP;

/** A zone, its calendar, and a booked hold for `customerId`; returns the hold id. */
async function bookedHold(zone: string, carriers: string[], customerId: string, holdId: string) {
  if ((await call('GET', `/zones/${zone}`)).status === 404) {
    await call('PUT', `/zones/${zone}`, {
      location: 'ch-quan-1',
      province: 'ho-chi-minh',
      name: { en: zone, vi: zone },
      wards: ['Phường Bến Thành'],
      origin: store,
      carriers,
    });
    await call('PUT', `/calendars/${zone}`, {
      windows: [{ start: '18:00', end: '20:00', capacity: 50, fee_vnd: 30_000 }],
      cutoff_minutes: 90,
      days_ahead: 3,
      closures: [],
    });
  }
  const slot = `${zone}:${windowDay()}:1800`;
  expect(
    (await call('POST', '/slot-holds', { id: holdId, slot, customer_id: customerId }, 'checkout')).status,
  ).toBe(201);
  expect((await call('POST', `/slot-holds/${holdId}/book`, undefined, 'checkout')).status).toBe(200);
  return holdId;
}

const outbox = async (type: string, id: string) =>
  (
    await db.pool.query(
      `SELECT event FROM delivery.outbox WHERE event->>'type' = $1 AND event->'data'->>'delivery_id' = $2 ORDER BY id`,
      [type, id],
    )
  ).rows.map((r) => r.event.data);

beforeAll(async () => {
  db = await freshDatabase();
  fn = await startDelivery(db.url, {
    GRAB_API_URL: `${SIM}/grab-express-sandbox`,
    GRAB_CLIENT_ID: 'tuoi-sim',
    GRAB_CLIENT_SECRET: 'tuoi-sim-secret',
    GRAB_WEBHOOK_AUTHORIZATION: HOOK.authorization,
    GRAB_WEBHOOK_AUTHORIZATION_ID: HOOK.id,
    DELIVERY_OWN_FLEET_TRIP_VND: '90000',
    GHN_API_URL: GHN,
    GHN_TOKEN: 'sim-ghn-token',
    GHN_SHOP_ID: '885',
    GHN_WEBHOOK_TOKEN: GHN_HOOK,
    GHN_AREA_CODES: JSON.stringify({
      'ho-chi-minh|Phường Bến Thành': { districtId: 1442, wardCode: '20101' },
    }),
    VIETTELPOST_API_URL: VTP,
    VIETTELPOST_USERNAME: 'tuoi-sim',
    VIETTELPOST_PASSWORD: 'tuoi-sim-password',
    VIETTELPOST_WEBHOOK_TOKEN: VTP_HOOK,
    // Groceries go express: the economy service's 48 h would miss the window.
    VIETTELPOST_SERVICE: 'VCN',
    VIETTELPOST_AREA_CODES: JSON.stringify({
      'ho-chi-minh|Phường Bến Thành': { provinceId: 2, districtId: 43, wardId: 501 },
      'ho-chi-minh|Phường Sài Gòn': { provinceId: 2, districtId: 43, wardId: 502 },
    }),
    FIRESTORE_PROJECT_ID: serviceEnv('FIRESTORE_PROJECT_ID'),
    FIRESTORE_EMULATOR_HOST: serviceEnv('FIRESTORE_EMULATOR_HOST'),
    DELIVERY_FIRESTORE_COLLECTION: collection,
  });
  firestore = createFirestore({
    projectId: serviceEnv('FIRESTORE_PROJECT_ID'),
    emulatorHost: serviceEnv('FIRESTORE_EMULATOR_HOST'),
  });
  await sim('/_sim/reset', {});
  await sim('/_sim/config', {
    webhook_url: `${fn.base}/delivery/webhooks/grab`,
    webhook_authorization: HOOK.authorization,
    webhook_authorization_id: HOOK.id,
  });
  await sim('/_sim/reset', {}, VTP);
  await sim(
    '/_sim/config',
    { webhook_url: `${fn.base}/delivery/webhooks/viettelpost`, webhook_token: VTP_HOOK },
    VTP,
  );
  await sim('/_sim/reset', {}, GHN);
  await sim(
    '/_sim/config',
    { webhook_url: `${fn.base}/delivery/webhooks/ghn?token=${GHN_HOOK}`, webhook_retries: 0 },
    GHN,
  );
});

afterAll(async () => {
  const snap = await firestore?.collection(collection).get();
  await Promise.all(snap?.docs.map((d) => d.ref.delete()) ?? []);
  await firestore?.terminate();
  await fn?.close();
  await db?.drop();
});

describe('deliveries with carriers', () => {
  it('books the cheapest carrier, and its webhooks move the delivery forward once, never back', async () => {
    const hold = await bookedHold('grab-zone', ['own_fleet', 'grab'], 'cust-1', 'hold-g1');
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-g1',
        order_id: 'ord-g1',
        customer_id: 'cust-1',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 412_000,
      },
      'checkout',
    );
    expect(created.status).toBe(201);
    // Grab's quote undercuts the own fleet's 90,000 ₫ trip.
    expect(created.body).toMatchObject({ carrier: 'grab', status: 'pending', cod_vnd: 412_000 });
    const ref = created.body.carrier_ref as string;
    const simmed = (await sim(`/_sim/deliveries?merchantOrderID=dlv-g1`)) as unknown as
      { deliveries?: unknown[] } | unknown[];
    expect(JSON.stringify(simmed)).toContain('412000');
    expect(await outbox('io.tuoi.delivery.booked.v1', 'dlv-g1')).toEqual([
      expect.objectContaining({
        carrier: 'grab',
        carrier_ref: ref,
        cod_vnd: 412_000,
        slot: `grab-zone:${windowDay()}:1800`,
      }),
    ]);
    // A retry of the same request replays without a second trip.
    const again = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-g1',
        order_id: 'ord-g1',
        customer_id: 'cust-1',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 412_000,
      },
      'checkout',
    );
    expect([again.status, again.body.carrier_ref]).toEqual([200, ref]);

    await sim('/_sim/advance', { id: ref, status: 'PENDING_PICKUP' });
    await sim('/_sim/advance', { id: ref, status: 'IN_DELIVERY' });
    // A repeat and a late earlier status change nothing.
    await sim('/_sim/webhook', { id: ref, status: 'IN_DELIVERY', duplicate: 2 });
    await sim('/_sim/webhook', {
      id: ref,
      status: 'PENDING_PICKUP',
      at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect((await call('GET', '/deliveries/dlv-g1', undefined, { customer: 'cust-1' })).body.status).toBe(
      'in_transit',
    );
    // A status Grab never documented is kept raw and flagged, not applied.
    await sim('/_sim/webhook', { id: ref, status: 'TELEPORTED' });
    const flagged = await call('GET', '/deliveries/dlv-g1');
    expect(flagged.body.status).toBe('in_transit');
    expect(flagged.body.history).toContainEqual(
      expect.objectContaining({ raw_status: 'TELEPORTED', status: null, outcome: 'unknown_status' }),
    );
    await sim('/_sim/advance', { id: ref, status: 'COMPLETED' });
    const done = await call('GET', '/deliveries/dlv-g1', undefined, { customer: 'cust-1' });
    expect(done.body).toMatchObject({ status: 'delivered', cod_collected_vnd: 412_000 });
    expect(done.body.history.map((h: { outcome: string }) => h.outcome)).toEqual(
      expect.arrayContaining(['applied', 'stale', 'unknown_status']),
    );
    const changes = await outbox('io.tuoi.delivery.status.changed.v1', 'dlv-g1');
    expect(changes.map((c) => c.status)).toEqual(['assigned', 'in_transit', 'delivered']);
    expect(await outbox('io.tuoi.delivery.cod.collected.v1', 'dlv-g1')).toEqual([
      expect.objectContaining({ carrier: 'grab', amount_vnd: 412_000, expected_vnd: 412_000 }),
    ]);
    // Another customer cannot read it.
    expect((await call('GET', '/deliveries/dlv-g1', undefined, { customer: 'cust-2' })).status).toBe(404);
  });

  it('a webhook with a bad credential is refused (401) and changes nothing', async () => {
    const res = await fetch(`${fn.base}/delivery/webhooks/grab`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'guess', 'authorization-id': HOOK.id },
      body: JSON.stringify({
        deliveryID: 'x',
        merchantOrderID: 'dlv-g1',
        status: 'CANCELED',
        timestamp: Date.now(),
      }),
    });
    expect(res.status).toBe(401);
    expect((await call('GET', '/deliveries/dlv-g1')).body.status).toBe('delivered');
    // GHN without the URL's token: 401; a carrier with no account here: 404.
    expect((await fetch(`${fn.base}/delivery/webhooks/ghn`, { method: 'POST', body: '{}' })).status).toBe(
      401,
    );
    expect((await fetch(`${fn.base}/delivery/webhooks/ahamove`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
  });

  it('falls back to the next carrier when the cheapest one is down', async () => {
    const hold = await bookedHold('grab-zone', ['own_fleet', 'grab'], 'cust-3', 'hold-g2');
    await sim('/_sim/fail', { count: 50 });
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-g2',
        order_id: 'ord-g2',
        customer_id: 'cust-3',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 0,
      },
      'checkout',
    );
    await sim('/_sim/fail', { count: 0 });
    expect(created.body).toMatchObject({ carrier: 'own_fleet', status: 'pending' });
  });
});

describe('GHN, whose webhooks prove nothing', () => {
  it('acts on the status re-read from its API, not on what the webhook claims', async () => {
    const hold = await bookedHold('ghn-zone', ['ghn'], 'cust-6', 'hold-h1');
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-h1',
        order_id: 'ord-h1',
        customer_id: 'cust-6',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 200_000,
      },
      'checkout',
    );
    expect(created.body).toMatchObject({ carrier: 'ghn', status: 'pending' });
    const ref = created.body.carrier_ref as string;
    // A webhook claiming "delivered" while GHN's API still says ready_to_pick changes nothing.
    await sim('/_sim/webhook', { id: ref, status: 'delivered' }, GHN);
    expect((await call('GET', '/deliveries/dlv-h1')).body).toMatchObject({
      status: 'pending',
      cod_collected_vnd: null,
    });
    await sim('/_sim/advance', { id: ref, status: 'picking' }, GHN);
    expect((await call('GET', '/deliveries/dlv-h1')).body.status).toBe('assigned');
    // Without the URL's secret token: 401, nothing read or changed.
    const forged = await fetch(`${fn.base}/delivery/webhooks/ghn?token=guess`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        OrderCode: ref,
        Status: 'cancel',
        Type: 'switch_status',
        Time: new Date().toISOString(),
      }),
    });
    expect(forged.status).toBe(401);
    expect((await call('GET', '/deliveries/dlv-h1')).body.status).toBe('assigned');
  });
});

describe('a cancel the carrier refuses', () => {
  it('is a 409 with code carrier_refused, and changes nothing', async () => {
    const hold = await bookedHold('ghn-zone', ['ghn'], 'cust-9', 'hold-r1');
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-r1',
        order_id: 'ord-r1',
        customer_id: 'cust-9',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 0,
      },
      'checkout',
    );
    expect(created.body).toMatchObject({ carrier: 'ghn', status: 'pending' });
    const ref = created.body.carrier_ref as string;
    // Picked up: GHN cancels only before pickup.
    await sim('/_sim/advance', { id: ref, status: 'picked' }, GHN);
    const before = (await call('GET', '/deliveries/dlv-r1')).body;
    expect(before.status).not.toBe('cancelled');
    const events = await db.pool.query(`SELECT count(*)::int AS n FROM delivery.outbox`);

    const refused = await call('POST', '/deliveries/dlv-r1/cancel', undefined, 'checkout');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: 409, code: 'carrier_refused', carrier: 'ghn' });
    expect(refused.body.detail).toContain('refused to cancel');

    expect((await call('GET', '/deliveries/dlv-r1')).body).toEqual(before);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM delivery.outbox`)).rows).toEqual(events.rows);
    const orders = (await sim('/_sim/orders', undefined, GHN)) as unknown as {
      order_code: string;
      status: string;
    }[];
    expect(orders.find((o) => o.order_code === ref)?.status).toBe('picked');
  });
});

describe('a booking whose answer was lost', () => {
  it('books no other carrier, and adopts the trip when its webhook names our reference', async () => {
    const hold = await bookedHold('vtp-zone', ['viettelpost', 'own_fleet'], 'cust-7', 'hold-v1');
    // ViettelPost creates the order but its answer never arrives (the adapter gives up after 5 s).
    await sim('/_sim/stall', { count: 1, ms: 6_000, path: '/v2/order/createOrder' }, VTP);
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-v1',
        order_id: 'ord-v1',
        customer_id: 'cust-7',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 0,
      },
      'checkout',
    );
    expect({ body: created.body }).toMatchObject({
      body: { status: 'booking', carrier: 'viettelpost', carrier_ref: null },
    });
    expect(created.body.fallbacks).toEqual([
      expect.objectContaining({ carrier: 'viettelpost', reason: expect.stringContaining('may have booked') }),
    ]);
    expect(await outbox('io.tuoi.delivery.booked.v1', 'dlv-v1')).toEqual([]);
    const orders = (await sim('/_sim/orders', undefined, VTP)) as unknown as { ORDER_NUMBER: string }[];
    expect(orders).toHaveLength(1);
    // Its first webhook carries our reference: the trip is adopted and moves on.
    await sim('/_sim/advance', { id: orders[0]!.ORDER_NUMBER }, VTP);
    await sim('/_sim/advance', { id: orders[0]!.ORDER_NUMBER }, VTP);
    const adopted = (await call('GET', '/deliveries/dlv-v1')).body;
    expect(adopted).toMatchObject({ carrier: 'viettelpost', status: 'picked_up' });
    expect(adopted.carrier_ref).toEqual(expect.any(String));
    expect(await outbox('io.tuoi.delivery.booked.v1', 'dlv-v1')).toEqual([
      expect.objectContaining({ carrier: 'viettelpost', carrier_ref: adopted.carrier_ref }),
    ]);
  }, 20_000);
});

describe('a Grab create cut off in flight', () => {
  it('keeps the delivery with Grab until Grab confirms nothing is left under our reference, then rebooks', async () => {
    const hold = await bookedHold('grab-zone', ['own_fleet', 'grab'], 'cust-8', 'hold-g3');
    // Grab creates the trip, but the answer never comes back (the adapter gives up after 5 s).
    await sim('/_sim/stall', { count: 1, ms: 6_000, only: 'POST /v1/deliveries' });
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-g3',
        order_id: 'ord-g3',
        customer_id: 'cust-8',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 0,
      },
      'checkout',
    );
    // Not handed to the own fleet: a late Grab create could send a second rider.
    expect(created.body).toMatchObject({ status: 'booking', carrier: 'grab', carrier_ref: null });
    // The clean-up's cancelled webhook (our reference, a trip id we never stored) adopts nothing.
    await new Promise((r) => setTimeout(r, 300));
    expect((await call('GET', '/deliveries/dlv-g3')).body).toMatchObject({
      status: 'booking',
      carrier_ref: null,
    });
    // The job's retry, once the claim lapsed: Grab clears the reference, and the cheapest carrier books.
    await db.pool.query(
      `UPDATE delivery.deliveries SET claim_until = now() - interval '1 second' WHERE id = 'dlv-g3'`,
    );
    const grab = createGrabCarrier({
      baseUrl: `${SIM}/grab-express-sandbox`,
      credentials: {
        clientId: 'tuoi-sim',
        clientSecret: 'tuoi-sim-secret',
        webhookAuthorization: HOOK.authorization,
        webhookAuthorizationId: HOOK.id,
      },
    });
    try {
      const uc = deliveryUseCases(db.pool, 'delivery', {
        maxHoldsPerCustomer: 3,
        carriers: new Map([
          ['own_fleet', ownFleetCarrier({ tripCostVnd: 90_000 })],
          ['grab', grab],
        ]),
      });
      expect(await uc.trips.retryUnbooked()).toBe(1);
    } finally {
      grab.close();
    }
    const after = (await call('GET', '/deliveries/dlv-g3')).body;
    expect(after).toMatchObject({ status: 'pending', carrier: 'grab' });
    const trips = (await sim('/_sim/deliveries?merchantOrderID=dlv-g3')) as unknown as {
      deliveryID: string;
      status: string;
    }[];
    const live = (Array.isArray(trips) ? trips : (trips as { deliveries: typeof trips }).deliveries).filter(
      (t) => t.status !== 'CANCELED',
    );
    expect(live.map((t) => t.deliveryID)).toEqual([after.carrier_ref]);
  }, 20_000);
});

describe('the own fleet', () => {
  it('staff dispatch a rider and set its statuses; COD is announced on delivery', async () => {
    const hold = await bookedHold('fleet-zone', ['own_fleet'], 'cust-4', 'hold-f1');
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'dlv-f1',
        order_id: 'ord-f1',
        customer_id: 'cust-4',
        kind: 'delivery',
        hold_id: hold,
        destination: customer,
        parcel,
        cod_vnd: 150_000,
      },
      'checkout',
    );
    expect(created.body).toMatchObject({ carrier: 'own_fleet', status: 'pending', fee_vnd: 90_000 });
    const assigned = await call('POST', '/deliveries/dlv-f1/status', {
      status: 'assigned',
      driver: { name: 'Trần Bình', phone: '+84912345678', plate: '59X1-12345' },
    });
    expect(assigned.body).toMatchObject({ status: 'assigned', driver: { name: 'Trần Bình' } });
    expect(
      (await call('POST', '/deliveries/dlv-f1/status', { status: 'picked_up' }, { customer: 'cust-4' }))
        .status,
    ).toBe(403);
    await call('POST', '/deliveries/dlv-f1/status', { status: 'delivered', cod_collected_vnd: 150_000 });
    const backwards = await call('POST', '/deliveries/dlv-f1/status', { status: 'in_transit' });
    expect(backwards.status).toBe(409);
    expect(await outbox('io.tuoi.delivery.cod.collected.v1', 'dlv-f1')).toEqual([
      expect.objectContaining({ carrier: 'own_fleet', amount_vnd: 150_000 }),
    ]);
    // Staff cannot set a carrier's statuses by hand.
    expect((await call('POST', '/deliveries/dlv-g1/status', { status: 'failed' })).status).toBe(409);
  });

  it('refuses a delivery without a booked hold, or of the wrong kind, with a clear 4xx', async () => {
    const body = {
      id: 'dlv-x',
      order_id: 'ord-x',
      customer_id: 'cust-9',
      kind: 'delivery',
      hold_id: 'nope',
      destination: customer,
      parcel,
      cod_vnd: 0,
    };
    expect((await call('POST', '/deliveries', body, 'checkout')).status).toBe(400);
    expect((await call('POST', '/deliveries', { ...body, hold_id: 'hold-f1' }, 'checkout')).status).toBe(400);
    expect((await call('POST', '/deliveries', { ...body, cod_vnd: -1 }, 'checkout')).status).toBe(400);
    expect((await call('POST', '/deliveries', body, { customer: 'cust-9' })).status).toBe(403);
    expect(
      (await db.pool.query(`SELECT count(*)::int AS n FROM delivery.deliveries WHERE id = 'dlv-x'`)).rows[0]
        .n,
    ).toBe(0);
  });
});

describe('pickup', () => {
  it('a ready pickup has a code; a wrong code is refused; it is collected once', async () => {
    await call('PUT', '/calendars/pickup-ch-quan-1', {
      windows: [{ start: '17:00', end: '18:00', capacity: 5, fee_vnd: 0 }],
      cutoff_minutes: 60,
      days_ahead: 3,
      closures: [],
    });
    const slot = `pickup-ch-quan-1:${windowDay()}:1700`;
    await call('POST', '/slot-holds', { id: 'hold-p1', slot, customer_id: 'cust-5' }, 'checkout');
    await call('POST', '/slot-holds/hold-p1/book', undefined, 'checkout');
    const created = await call(
      'POST',
      '/deliveries',
      {
        id: 'pck-1',
        order_id: 'ord-p1',
        customer_id: 'cust-5',
        kind: 'pickup',
        hold_id: 'hold-p1',
        parcel,
        cod_vnd: 0,
      },
      'checkout',
    );
    expect(created.body).toMatchObject({
      kind: 'pickup',
      status: 'pending',
      location: 'ch-quan-1',
      carrier: null,
    });
    // Not ready yet: nothing to collect.
    expect((await call('POST', '/deliveries/pck-1/collect', { code: '000000' })).status).toBe(409);
    expect((await call('POST', '/deliveries/pck-1/ready')).body.status).toBe('ready');
    const [ready] = await outbox('io.tuoi.delivery.pickup.ready.v1', 'pck-1');
    const code = ready.pickup_code as string;
    expect(code).toMatch(/^[0-9]{6}$/);
    // The code is never stored or shown.
    expect(JSON.stringify(await call('GET', '/deliveries/pck-1'))).not.toContain(code);
    const { rows } = await db.pool.query(
      `SELECT pickup_code_hash FROM delivery.deliveries WHERE id = 'pck-1'`,
    );
    expect(rows[0].pickup_code_hash).not.toContain(code);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await call('POST', '/deliveries/pck-1/collect', { code: wrong });
    expect([refused.status, refused.body.errors[0].code]).toEqual([400, 'wrong']);
    expect((await call('POST', '/deliveries/pck-1/collect', { code }, { customer: 'cust-5' })).status).toBe(
      403,
    );
    const collected = await call('POST', '/deliveries/pck-1/collect', { code });
    expect(collected.body.status).toBe('collected');
    expect((await call('POST', '/deliveries/pck-1/collect', { code })).status).toBe(409);
    expect(await outbox('io.tuoi.delivery.pickup.collected.v1', 'pck-1')).toHaveLength(1);
  });
});

describe('the tracking view', () => {
  it('converges on the latest delivery state in Firestore, whatever the order and repeats of events', async () => {
    const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
      `SELECT event FROM delivery.outbox WHERE event->'data'->>'delivery_id' IN ('dlv-g1', 'pck-1') ORDER BY id`,
    );
    const events = rows.map((r) => r.event).filter((e) => !e.type.includes('cod.collected'));
    expect(events.length).toBeGreaterThan(4);
    // Newest first, then everything again: at-least-once and out of order.
    for (const e of [...events].reverse().concat(events))
      expect((await fn.deliver(e)).status).toBeLessThan(300);
    const grab = (await firestore.collection(collection).doc('dlv-g1').get()).data();
    const row = (await call('GET', '/deliveries/dlv-g1')).body;
    expect(grab).toMatchObject({
      delivery_id: 'dlv-g1',
      customer_id: 'cust-1',
      status: 'delivered',
      carrier: 'grab',
      version: row.version,
      window: { starts_at: expect.any(String), ends_at: expect.any(String) },
    });
    const pickup = (await firestore.collection(collection).doc('pck-1').get()).data();
    expect(pickup).toMatchObject({ kind: 'pickup', status: 'collected', carrier: null });
    expect(JSON.stringify(pickup)).not.toMatch(/code/);
  });
});

/**
 * A packed order (`io.tuoi.order.packed.v1`) delivered as a signed CloudEvent against real
 * PostgreSQL and the Grab simulator (infra/simulators/grab): a delivery is created under
 * `<order_id>.d1` on the order's booked hold and booked with a carrier, cash on delivery as the
 * event says, delivery.booked in the outbox; the same event twice (or sent again) makes one
 * delivery and one trip; a pickup is left pending for staff; an order whose hold is not booked is
 * rejected as poison (400) and creates nothing.
 */
import { buildEvent } from '../shared/eventing/outbox';
import { uniqueSuffix } from '../shared/clients/testing/service-env';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { orderPacked, slotRequested, type DataOf, type TuoiCloudEvent } from '../../events';
import { startDelivery, type Caller, type RunningDelivery, TRIP } from './testing';

const SIM = `http://127.0.0.1:${process.env.SIM_GRAB_PORT ?? '58401'}`;

let db: TestDatabase;
let fn: RunningDelivery;

type Packed = DataOf<typeof orderPacked>;
type Command = DataOf<typeof slotRequested>;

const tomorrow = () => addDays(localDateOf(new Date()), 1);
/** Order ids unique across runs: the simulator keeps its trips in memory. */
const run = uniqueSuffix();
const orderId = (n: number) => `ord-${run}${String(n).padStart(3, '0')}`;

async function call(method: string, path: string, json?: unknown, as: Caller = 'staff') {
  const res = await fn.call(method, path, { json, as });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const { store, customer: destination, parcel } = TRIP;

/** Sends a saga command; the consumer must take it and answer done. */
async function command(data: Command) {
  const event = buildEvent(slotRequested, data);
  expect((await fn.deliver(event)).status).toBe(204);
  const { rows } = await db.pool.query(`SELECT event FROM delivery.outbox WHERE event->>'id' = $1`, [
    `${event.id}.reply`,
  ]);
  expect(rows.map((r) => r.event.data.outcome)).toEqual(['done']);
}

/** The order's window held and booked through the checkout saga (hold id = order id). */
async function bookedHold(order: string, slot: string, customer: string) {
  await command({
    order_id: order,
    action: 'hold',
    hold_id: order,
    slot,
    customer_id: customer,
    ttl_seconds: 600,
  } as Command);
  await command({ order_id: order, action: 'book', hold_id: order } as Command);
}

const packed = (order: string, customer: string, slot: string, extra: Partial<Packed> = {}): Packed => ({
  order_id: order,
  customer_id: customer,
  lang: 'vi',
  fulfilment: 'delivery',
  location: 'ch-quan-1',
  slot,
  hold_id: order,
  destination,
  parcel,
  cod_vnd: 412_000,
  total_vnd: 412_000,
  at: new Date().toISOString(),
  ...extra,
});

const deliveriesOf = async (order: string) =>
  (
    await db.pool.query(
      `SELECT id, kind, status, carrier, carrier_ref, cod_vnd::int AS cod_vnd, hold_id, customer_id, destination, parcel
         FROM delivery.deliveries WHERE order_id = $1`,
      [order],
    )
  ).rows;

const booked = async (id: string) =>
  (
    await db.pool.query(
      `SELECT event FROM delivery.outbox
        WHERE event->>'type' = 'io.tuoi.delivery.booked.v1' AND event->'data'->>'delivery_id' = $1`,
      [id],
    )
  ).rows.map((r) => r.event.data);

const simTrips = async (reference: string) => {
  const res = await fetch(`${SIM}/_sim/deliveries?merchantOrderID=${encodeURIComponent(reference)}`);
  return ((await res.json()) as { deliveries: Record<string, unknown>[] }).deliveries;
};

/** Delivers `event`; returns the consumer's status and its x-tuoi-delivery header. */
async function deliver(event: TuoiCloudEvent) {
  const res = await fn.deliver(event);
  await res.text();
  return { status: res.status, delivery: res.headers.get('x-tuoi-delivery') };
}

let slot: string;
let pickupSlot: string;

beforeAll(async () => {
  db = await freshDatabase();
  fn = await startDelivery(db.url, {
    GRAB_API_URL: `${SIM}/grab-express-sandbox`,
    GRAB_CLIENT_ID: 'tuoi-sim',
    GRAB_CLIENT_SECRET: 'tuoi-sim-secret',
    GRAB_WEBHOOK_AUTHORIZATION: 'grab-hook-secret',
    GRAB_WEBHOOK_AUTHORIZATION_ID: 'grab-hook-id',
    // Grab's quote undercuts the own fleet's trip.
    DELIVERY_OWN_FLEET_TRIP_VND: '90000',
  });
  expect(
    (
      await call('PUT', '/zones/dispatch-zone', {
        location: 'ch-quan-1',
        province: 'ho-chi-minh',
        name: { en: 'Dispatch', vi: 'Điều phối' },
        wards: ['Phường Bến Thành'],
        origin: store,
        carriers: ['own_fleet', 'grab'],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('PUT', '/calendars/dispatch-zone', {
        windows: [{ start: '18:00', end: '20:00', capacity: 50, fee_vnd: 30_000 }],
        cutoff_minutes: 90,
        days_ahead: 3,
        closures: [],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('PUT', '/calendars/pickup-ch-quan-1', {
        windows: [{ start: '17:00', end: '18:00', capacity: 5, fee_vnd: 0 }],
        cutoff_minutes: 60,
        days_ahead: 3,
        closures: [],
      })
    ).status,
  ).toBe(201);
  slot = `dispatch-zone:${tomorrow()}:1800`;
  pickupSlot = `pickup-ch-quan-1:${tomorrow()}:1700`;
});

afterAll(async () => {
  await fn?.close();
  await db?.drop();
});

describe('order.packed for a delivery', () => {
  it('creates <order_id>.d1 on the order’s booked hold, booked with a carrier, COD as given, delivery.booked in the outbox', async () => {
    const order = orderId(1);
    await bookedHold(order, slot, 'cus-d1');
    const event = buildEvent(orderPacked, packed(order, 'cus-d1', slot));
    expect(await deliver(event)).toEqual({ status: 204, delivery: 'processed' });

    const rows = await deliveriesOf(order);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: `${order}.d1`,
      kind: 'delivery',
      status: 'pending',
      carrier: 'grab',
      carrier_ref: expect.any(String),
      cod_vnd: 412_000,
      hold_id: order,
      customer_id: 'cus-d1',
      destination,
    });
    expect(await booked(`${order}.d1`)).toEqual([
      expect.objectContaining({
        order_id: order,
        customer_id: 'cus-d1',
        carrier: 'grab',
        carrier_ref: rows[0].carrier_ref,
        cod_vnd: 412_000,
        slot,
      }),
    ]);
    // The carrier's trip carries our delivery id and the cash to collect.
    const trips = await simTrips(`${order}.d1`);
    expect(trips).toHaveLength(1);
    expect(JSON.stringify(trips[0])).toContain('412000');
  });

  it('the same event delivered twice (at once, then again) and sent again makes one delivery and one trip', async () => {
    const order = orderId(2);
    await bookedHold(order, slot, 'cus-d2');
    const data = packed(order, 'cus-d2', slot, { cod_vnd: 0 });
    const event = buildEvent(orderPacked, data);
    const both = await Promise.all([deliver(event), deliver(event)]);
    expect(both.map((r) => r.status)).toEqual([204, 204]);
    expect(both.map((r) => r.delivery).sort()).toEqual(['duplicate', 'processed']);
    expect(await deliver(event)).toEqual({ status: 204, delivery: 'duplicate' });
    // Re-sent by the order function under a new event id: the same request replays.
    expect(await deliver(buildEvent(orderPacked, { ...data, at: new Date().toISOString() }))).toEqual({
      status: 204,
      delivery: 'processed',
    });

    const rows = await deliveriesOf(order);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: `${order}.d1`, status: 'pending', carrier: 'grab', cod_vnd: 0 });
    expect(await booked(`${order}.d1`)).toHaveLength(1);
    expect(await simTrips(`${order}.d1`)).toHaveLength(1);
  });

  it('rejects as poison (400, not retried) an order whose hold is not booked, or that conflicts with its delivery; nothing is created', async () => {
    const order = orderId(3);
    await command({
      order_id: order,
      action: 'hold',
      hold_id: order,
      slot,
      customer_id: 'cus-d3',
      ttl_seconds: 600,
    } as Command);
    const notBooked = await deliver(buildEvent(orderPacked, packed(order, 'cus-d3', slot)));
    expect(notBooked.status).toBe(400);
    expect(await deliveriesOf(order)).toHaveLength(0);

    const unknown = await deliver(buildEvent(orderPacked, packed(orderId(4), 'cus-d4', slot)));
    expect(unknown.status).toBe(400);
    expect(await deliveriesOf(orderId(4))).toHaveLength(0);

    // Booked and dispatched; a packed event with another amount to collect conflicts for good.
    await command({ order_id: order, action: 'book', hold_id: order } as Command);
    expect((await deliver(buildEvent(orderPacked, packed(order, 'cus-d3', slot)))).status).toBe(204);
    const changed = await deliver(buildEvent(orderPacked, packed(order, 'cus-d3', slot, { cod_vnd: 1 })));
    expect(changed.status).toBe(400);
    expect((await deliveriesOf(order)).map((r) => r.cod_vnd)).toEqual([412_000]);
  });
});

describe('order.packed for a pickup', () => {
  it('creates a pending pickup at the store, no carrier, no booking; twice is one pickup', async () => {
    const order = orderId(5);
    await bookedHold(order, pickupSlot, 'cus-p1');
    const data = packed(order, 'cus-p1', pickupSlot, { fulfilment: 'pickup', cod_vnd: 412_000 });
    delete data.destination;
    const event = buildEvent(orderPacked, data);
    expect(await deliver(event)).toEqual({ status: 204, delivery: 'processed' });
    expect(await deliver(buildEvent(orderPacked, data))).toEqual({ status: 204, delivery: 'processed' });

    const rows = await deliveriesOf(order);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: `${order}.d1`,
      kind: 'pickup',
      status: 'pending',
      carrier: null,
      cod_vnd: 412_000,
      destination: null,
    });
    expect(await booked(`${order}.d1`)).toHaveLength(0);
    // Staff mark it ready through the existing route.
    expect((await call('POST', `/deliveries/${order}.d1/ready`)).body.status).toBe('ready');
  });
});

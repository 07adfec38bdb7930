/**
 * The order tracking view against PostgreSQL and the Firestore emulator: the publisher writes one
 * document per changed order that mirrors its status, substitutions and delivery; a newer version
 * replaces it, an older write never does; a Firestore failure leaves the order due, so the next
 * round publishes it; and the wired function publishes on its own (or not at all without Firestore).
 */
import { connect, createServer, type Server } from 'node:net';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '../shared/clients/firestore';
import { serviceEnv, uniqueSuffix } from '../shared/clients/testing/service-env';
import { configureLogging } from '../shared/log';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { DEFAULT_TIMINGS } from './saga';
import { createOrder, orderFunction, SCHEMA } from './deps';
import type { OrderRow, OrderStore } from './order-store';
import type { PickLine } from './picking';
import type { SagaState } from './saga';
import { firestoreOrderTracking, publishTracking, trackingDoc, type OrderTrackingSink } from './tracking';

const PROJECT = serviceEnv('FIRESTORE_PROJECT_ID');
const EMULATOR = serviceEnv('FIRESTORE_EMULATOR_HOST');
const collection = `orders_it_${uniqueSuffix()}`;

let db: TestDatabase;
let store: OrderStore;
let firestore: Firestore;
let sink: OrderTrackingSink;
let seq = 0;

/** An order as checkout stores it, confirmed (cash on delivery), with two lines. */
function newOrder(patch: Partial<OrderRow> = {}): Omit<OrderRow, 'version' | 'updated_at'> {
  const id = `ord-trk-${++seq}-${uniqueSuffix()}`;
  const now = new Date();
  return {
    id,
    customer_id: 'usr-trk-1',
    cart_id: `cart-${id}`,
    idempotency_key: `key-${id}`,
    request_hash: 'h',
    lang: 'vi',
    status: 'confirmed',
    location: 'hcm-q1',
    fulfilment: {
      kind: 'delivery',
      slot: 'hcm-q1:2026-12-08:18',
      hold_id: `hold-${id}`,
      window: { starts_at: '2026-12-08T11:00:00.000Z', ends_at: '2026-12-08T12:00:00.000Z', fee_vnd: 15_000 },
      address: { line1: '1 Lê Lợi', ward: 'Phường Bến Thành' },
    },
    lines: [
      {
        sku: 'milk-1l',
        name: { en: 'Fresh milk 1 l', vi: 'Sữa tươi 1 l' },
        sold_by: 'piece',
        qty: 2,
        substitution: { mode: 'best_match' },
      },
      {
        sku: 'bok-choy',
        name: { en: 'Bok choy', vi: 'Cải thìa' },
        sold_by: 'weight',
        grams: 500,
        substitution: { mode: 'none' },
      },
    ],
    coupons: [],
    rail: 'cod',
    payment_id: `pay-${id}`,
    quote: null,
    total_vnd: 95_000,
    authorised_vnd: null,
    redemption_ids: [],
    next_action: 'none',
    redirect_url: null,
    reason: null,
    refund_vnd: 0,
    saga: { phase: 'confirmed', paid: false, capturedVnd: 0, payLater: true } as unknown as SagaState,
    next_check_at: null,
    settled: true,
    created_at: now,
    confirmed_at: now,
    cancelled_at: null,
    picking: null,
    bill: null,
    final_vnd: null,
    captured_vnd: 0,
    refunds: [],
    asks: [],
    tracking: null,
    packed_at: null,
    completed_at: null,
    ...patch,
  };
}

/** Picking with the milk short and a substitute proposed (price and deadline known). */
const proposed: PickLine[] = [
  {
    sku: 'milk-1l',
    name: { en: 'Fresh milk 1 l', vi: 'Sữa tươi 1 l' },
    sold_by: 'piece',
    ordered: 2,
    preference: { mode: 'best_match' },
    estimate_vnd: 64_000,
    state: 'short',
    picked: 0,
    sub: {
      sku: 'milk-1l-organic',
      name: { en: 'Organic milk 1 l', vi: 'Sữa hữu cơ 1 l' },
      sold_by: 'piece',
      amount: 2,
      reservation_id: 'res-1',
      quote_id: 'q-1',
      state: 'proposed',
      held: true,
      price_vnd: 60_000,
      deadline_at: '2026-12-07T10:15:00.000Z',
    },
  },
  {
    sku: 'bok-choy',
    name: { en: 'Bok choy', vi: 'Cải thìa' },
    sold_by: 'weight',
    ordered: 500,
    preference: { mode: 'none' },
    estimate_vnd: 16_000,
    state: 'picked',
    picked: 480,
  },
];

async function insert(patch: Partial<OrderRow> = {}): Promise<string> {
  const row = newOrder(patch);
  await store.insert(db.pool, row);
  return row.id;
}

const doc = async (id: string) => (await firestore.collection(collection).doc(id).get()).data();

async function trackedVersion(id: string): Promise<{ version: number; tracked_version: number }> {
  const { rows } = await db.pool.query(
    `SELECT version, tracked_version FROM ${SCHEMA}.orders WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** Publishes until nothing is due (other orders of this suite may be due too). */
const publish = (s: OrderTrackingSink = sink) => publishTracking({ db: db.pool, store, sink: s });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A TCP forwarder from `port` to `target` (host:port): Firestore reachable again. */
async function forward(port: number, target: string): Promise<Server> {
  const [host, targetPort] = target.split(':') as [string, string];
  const server = createServer((socket) => {
    const upstream = connect(Number(targetPort), host);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const stop = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > stop) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  configureLogging({ level: 'silent' });
  db = await freshDatabase();
  store = orderFunction(db.pool, SCHEMA, {
    timings: DEFAULT_TIMINGS,
    holdTtlS: 1_500,
    returnBase: 'http://127.0.0.1:8080',
  }).store;
  firestore = createFirestore({ projectId: PROJECT, emulatorHost: EMULATOR });
  sink = firestoreOrderTracking(firestore, collection);
});

afterAll(async () => {
  const snap = await firestore?.collection(collection).get();
  await Promise.all(snap?.docs.map((d) => d.ref.delete()) ?? []);
  await firestore?.terminate();
  await db?.drop();
});

describe('order tracking view', () => {
  it('publishes a changed order once, and its document mirrors status, substitutions and delivery', async () => {
    const id = await insert();
    expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 0 });
    expect((await publish()).published).toBeGreaterThanOrEqual(1);
    expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 1 });
    expect(await doc(id)).toMatchObject({
      order_id: id,
      customer_id: 'usr-trk-1',
      status: 'confirmed',
      status_label: { en: 'Confirmed', vi: 'Đã xác nhận' },
      kind: 'delivery',
      window: { starts_at: '2026-12-08T11:00:00.000Z', ends_at: '2026-12-08T12:00:00.000Z' },
      substitutions: [],
      delivery: null,
      ready_for_pickup: false,
      final_vnd: null,
      version: 1,
    });
    // Nothing changed: nothing to publish.
    expect(await publish()).toEqual({ published: 0, stale: 0, failed: 0 });

    // Picking with a substitute proposed.
    await store.update(db.pool, id, { status: 'picking', picking: proposed }, new Date());
    expect((await publish()).published).toBe(1);
    expect(await doc(id)).toMatchObject({
      status: 'picking',
      status_label: { en: 'Being picked', vi: 'Đang soạn hàng' },
      substitutions: [
        {
          sku: 'milk-1l',
          name: { en: 'Fresh milk 1 l', vi: 'Sữa tươi 1 l' },
          substitute: { sku: 'milk-1l-organic', name: { en: 'Organic milk 1 l', vi: 'Sữa hữu cơ 1 l' } },
          price_vnd: 60_000,
          deadline_at: '2026-12-07T10:15:00.000Z',
          state: 'proposed',
        },
      ],
      version: 2,
    });

    // Packed, then out for delivery with a carrier, an ETA and a link.
    await store.update(db.pool, id, { status: 'packed', final_vnd: 136_000 }, new Date());
    const updatedAt = new Date();
    await store.update(
      db.pool,
      id,
      {
        status: 'out_for_delivery',
        tracking: {
          delivery_id: `${id}.d1`,
          carrier: 'grab',
          status: 'in_transit',
          tracking_url: 'https://express.grab.com/track/GRB1',
          eta_at: '2026-12-08T11:40:00.000Z',
        },
      },
      updatedAt,
    );
    // Two changes since the last round: one document, at the latest version.
    expect((await publish()).published).toBe(1);
    expect(await trackedVersion(id)).toEqual({ version: 4, tracked_version: 4 });
    expect(await doc(id)).toMatchObject({
      status: 'out_for_delivery',
      status_label: { en: 'Out for delivery', vi: 'Đang giao hàng' },
      delivery: {
        delivery_id: `${id}.d1`,
        carrier: 'grab',
        status: 'in_transit',
        tracking_url: 'https://express.grab.com/track/GRB1',
        eta_at: '2026-12-08T11:40:00.000Z',
      },
      final_vnd: 136_000,
      version: 4,
      updated_at: updatedAt.toISOString(),
    });
  });

  it('says when a pickup is ready', async () => {
    const id = await insert({
      status: 'packed',
      fulfilment: { ...newOrder().fulfilment, kind: 'pickup' },
    });
    await store.update(
      db.pool,
      id,
      {
        status: 'ready_for_pickup',
        tracking: { delivery_id: 'pck-1', ready_at: '2026-12-08T10:00:00.000Z' },
      },
      new Date(),
    );
    await publish();
    expect(await doc(id)).toMatchObject({
      kind: 'pickup',
      status: 'ready_for_pickup',
      status_label: { en: 'Ready for pickup', vi: 'Sẵn sàng để nhận' },
      ready_for_pickup: true,
      ready_at: '2026-12-08T10:00:00.000Z',
      delivery: null,
      version: 2,
    });
  });

  it('never lets an older write replace a newer document', async () => {
    const id = await insert();
    const old = (await store.get(db.pool, id))!;
    await store.update(db.pool, id, { status: 'picking', picking: proposed }, new Date());
    await publish();
    expect(await doc(id)).toMatchObject({ status: 'picking', version: 2 });

    // A slow publisher that read version 1 writes after the newer one landed: refused.
    expect(await sink.write(trackingDoc(old))).toBe('stale');
    expect(await doc(id)).toMatchObject({ status: 'picking', version: 2 });

    // A crash after the write but before the mark: published again, found current, marked.
    await db.pool.query(`UPDATE ${SCHEMA}.orders SET tracked_version = 0 WHERE id = $1`, [id]);
    expect(await publish()).toEqual({ published: 0, stale: 1, failed: 0 });
    expect(await trackedVersion(id)).toEqual({ version: 2, tracked_version: 2 });

    // A late mark of an older version never moves the mark back.
    expect(await store.markTracked(db.pool, id, 1)).toBe(false);
    expect(await trackedVersion(id)).toEqual({ version: 2, tracked_version: 2 });
  });

  it('leaves an order due when Firestore fails, and publishes it in a later round', async () => {
    const id = await insert();
    const port = await closedPort();
    const down = firestoreOrderTracking(
      createFirestore({ projectId: PROJECT, emulatorHost: `127.0.0.1:${port}` }),
      collection,
      { closeGraceMs: 30_000 },
    );
    // The client retries an unreachable host for minutes; the round gives up on it.
    const started = Date.now();
    expect(await publishTracking({ db: db.pool, store, sink: down, timeoutMs: 1_000 })).toEqual({
      published: 0,
      stale: 0,
      failed: 1,
    });
    // Its write still runs in the client: the next round does not start another one.
    expect(await publishTracking({ db: db.pool, store, sink: down, timeoutMs: 1_000 })).toEqual({
      published: 0,
      stale: 0,
      failed: 1,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 0 });
    expect(await doc(id)).toBeUndefined();

    // Firestore answers again on that port: the abandoned write lands late (close waits for it)...
    const proxy = await forward(port, EMULATOR);
    try {
      await down.close();
    } finally {
      await new Promise((r) => proxy.close(r));
    }
    expect(await doc(id)).toMatchObject({ status: 'confirmed', version: 1 });
    expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 0 });
    // ...and the order, still due, is published again: found current and marked.
    expect(await publish()).toEqual({ published: 0, stale: 1, failed: 0 });
    expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 1 });
  }, 60_000);

  it('retries a failed order in the next round', async () => {
    const id = await insert();
    const failing: OrderTrackingSink = {
      write: () => Promise.reject(new Error('UNAVAILABLE')),
      close: async () => {},
    };
    expect(await publishTracking({ db: db.pool, store, sink: failing })).toEqual({
      published: 0,
      stale: 0,
      failed: 1,
    });
    expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 0 });
    expect(await publish()).toEqual({ published: 1, stale: 0, failed: 0 });
    expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 1 });
    expect(await doc(id)).toMatchObject({ status: 'confirmed', version: 1 });
  });

  describe('the wired function', () => {
    const env = () => ({
      DATABASE_URL: db.url,
      GATEWAY_URL: 'http://127.0.0.1:9',
      ORDER_CLIENT_SECRET: 'test-secret',
      EVENTS_OIDC_AUDIENCE: 'order',
      AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      EVENTS_OIDC_SUBJECTS: 'system:serviceaccount:tuoi:order--test',
      ORDER_TICK_MS: '60000',
      ORDER_TRACKING_MS: '50',
    });

    it('publishes changed orders on its own when Firestore is configured', async () => {
      const id = await insert();
      const fn = createOrder({
        ...env(),
        FIRESTORE_PROJECT_ID: PROJECT,
        FIRESTORE_EMULATOR_HOST: EMULATOR,
        ORDER_FIRESTORE_COLLECTION: collection,
      });
      try {
        expect(
          await eventually(
            () => doc(id),
            (d) => d !== undefined,
          ),
        ).toMatchObject({ version: 1 });
        await store.update(db.pool, id, { status: 'cancelled', cancelled_at: new Date() }, new Date());
        expect(
          await eventually(
            () => doc(id),
            (d) => d?.version === 2,
          ),
        ).toMatchObject({
          status: 'cancelled',
          status_label: { en: 'Cancelled', vi: 'Đã huỷ' },
        });
        expect(
          await eventually(
            () => trackedVersion(id),
            (v) => v.tracked_version === 2,
          ),
        ).toEqual({
          version: 2,
          tracked_version: 2,
        });
      } finally {
        await fn.close?.();
      }
    });

    it('keeps no view without FIRESTORE_PROJECT_ID, and closes cleanly', async () => {
      const id = await insert();
      const fn = createOrder(env());
      await new Promise((r) => setTimeout(r, 300));
      await fn.close?.();
      expect(await trackedVersion(id)).toEqual({ version: 1, tracked_version: 0 });
      expect(await doc(id)).toBeUndefined();
    });
  });
});

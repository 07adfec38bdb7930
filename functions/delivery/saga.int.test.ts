/**
 * The checkout saga's slot commands against real PostgreSQL, delivered as signed CloudEvents: a
 * hold answers done with the window's fee and expiry or refused with a bilingual reason; the
 * customer's own hold is adopted, someone else's never; book and release settle the order's hold;
 * a command delivered twice does its work and answers once; 30 concurrent holds on 10 places → 10.
 */
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { slotRequested, type DataOf, type TuoiCloudEvent } from '../../events';
import { startDelivery, type Caller, type RunningDelivery } from './testing';

let db: TestDatabase;
let fn: RunningDelivery;

type Command = DataOf<typeof slotRequested>;

const tomorrow = () => addDays(localDateOf(new Date()), 1);

async function call(method: string, path: string, json?: unknown, as: Caller = 'staff') {
  const res = await fn.call(method, path, { json, as });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A zone whose calendar has a 10-place morning window and a 1-place evening one. */
async function setUp(id: string, unitCapacity?: number) {
  const zone = {
    location: `store-${id}`,
    province: 'ho-chi-minh',
    name: { en: `Zone ${id}`, vi: `Khu ${id}` },
    wards: ['Phường Bến Thành'],
    carriers: ['own_fleet'],
  };
  expect((await call('PUT', `/zones/${id}`, zone)).status).toBe(201);
  const template = {
    windows: [
      {
        start: '08:00',
        end: '10:00',
        capacity: 10,
        fee_vnd: 15_000,
        ...(unitCapacity !== undefined ? { unit_capacity: unitCapacity } : {}),
      },
      { start: '18:00', end: '20:00', capacity: 1, fee_vnd: 30_000 },
    ],
    cutoff_minutes: 90,
    days_ahead: 7,
    closures: [],
  };
  expect((await call('PUT', `/calendars/${id}`, template)).status).toBe(201);
  return { morning: `${id}:${tomorrow()}:0800`, evening: `${id}:${tomorrow()}:1800` };
}

/** Delivers `event` as the router would; the consumer must take it (204). */
async function deliver(event: TuoiCloudEvent) {
  const res = await fn.deliver(event);
  expect(res.status).toBe(204);
  return res.headers.get('x-tuoi-delivery');
}

/** The replies to a command in delivery's outbox. */
async function repliesTo(event: TuoiCloudEvent) {
  const { rows } = await db.pool.query(
    `SELECT event FROM delivery.outbox WHERE event->>'type' = 'io.tuoi.delivery.saga.replied.v1'
        AND event->>'id' = $1`,
    [`${event.id}.reply`],
  );
  return rows.map((r) => r.event as TuoiCloudEvent<Record<string, unknown>>);
}

/** Sends one command and returns its reply's data. */
async function send(data: Command) {
  const event = buildEvent(slotRequested, data);
  await deliver(event);
  const replies = await repliesTo(event);
  expect(replies).toHaveLength(1);
  return replies[0]!.data;
}

const holdCmd = (order: string, slot: string, customer: string, extra: Partial<Command> = {}): Command =>
  ({
    order_id: order,
    action: 'hold',
    hold_id: order,
    slot,
    customer_id: customer,
    ttl_seconds: 600,
    ...extra,
  }) as Command;

const holdRow = async (id: string) =>
  (
    await db.pool.query(`SELECT state, owner, order_id, expires_at FROM delivery.slot_holds WHERE id = $1`, [
      id,
    ])
  ).rows[0] as { state: string; owner: string; order_id: string | null; expires_at: Date } | undefined;

const counters = async (slot: string) =>
  (await db.pool.query(`SELECT held, booked FROM delivery.slots WHERE id = $1`, [slot])).rows[0] as {
    held: number;
    booked: number;
  };

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 10 });
  fn = await startDelivery(db.url, { DB_POOL_SIZE: '6', DELIVERY_MAX_HOLDS_PER_CUSTOMER: '3' });
});

afterAll(async () => {
  await fn?.close();
  await db?.drop();
});

describe('hold', () => {
  it('holds a new place: done with the fee and expiry, the hold linked to the order; a full window is refused in both languages', async () => {
    const { evening } = await setUp('sa');
    const before = Date.now();
    const done = await send(holdCmd('ord-sa000001', evening, 'cus-sa1'));
    expect(done).toMatchObject({
      order_id: 'ord-sa000001',
      action: 'hold',
      outcome: 'done',
      hold_id: 'ord-sa000001',
      slot: evening,
      fee_vnd: 30_000,
    });
    const expires = Date.parse(done.expires_at as string);
    expect(expires).toBeGreaterThanOrEqual(before + 600_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 600_000 + 1_000);
    expect(await holdRow('ord-sa000001')).toMatchObject({
      state: 'held',
      owner: 'cus-sa1',
      order_id: 'ord-sa000001',
    });

    const full = await send(holdCmd('ord-sa000002', evening, 'cus-sa2'));
    expect(full).toMatchObject({
      order_id: 'ord-sa000002',
      action: 'hold',
      outcome: 'refused',
      hold_id: 'ord-sa000002',
      reason: {
        code: 'slot_full',
        message: { en: 'This delivery window is full', vi: 'Khung giờ giao hàng này đã kín' },
      },
    });
    expect(full.expires_at).toBeUndefined();
    expect(await holdRow('ord-sa000002')).toBeUndefined();
    expect(await counters(evening)).toEqual({ held: 1, booked: 0 });
  });

  it('refuses an unknown window with a reason, not an error', async () => {
    const out = await send(holdCmd('ord-sa000003', `nowhere:${tomorrow()}:0800`, 'cus-sa3'));
    expect(out).toMatchObject({ outcome: 'refused', reason: { code: 'slot_unknown' } });
  });

  it('the same command delivered twice makes one hold and one reply', async () => {
    const { morning } = await setUp('sb');
    const event = buildEvent(slotRequested, holdCmd('ord-sb000001', morning, 'cus-sb1'));
    const [first, second] = await Promise.all([fn.deliver(event), fn.deliver(event)]);
    expect([first.status, second.status]).toEqual([204, 204]);
    expect([first.headers.get('x-tuoi-delivery'), second.headers.get('x-tuoi-delivery')].sort()).toEqual([
      'duplicate',
      'processed',
    ]);
    expect(await deliver(event)).toBe('duplicate');
    const replies = await repliesTo(event);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      type: 'io.tuoi.delivery.saga.replied.v1',
      subject: 'ord-sb000001',
      partitionkey: 'ord-sb000001',
    });
    expect(await counters(morning)).toEqual({ held: 1, booked: 0 });
    // Sent again by the saga (a new event): the same hold, answered again, its expiry unchanged.
    const first_ = (await repliesTo(event))[0]!.data;
    const again = await send(holdCmd('ord-sb000001', morning, 'cus-sb1'));
    expect(again).toMatchObject({ outcome: 'done', expires_at: first_.expires_at, fee_vnd: 15_000 });
    expect(await counters(morning)).toEqual({ held: 1, booked: 0 });
  });

  it('30 concurrent hold commands on a window of 10 places → exactly 10 done, 20 refused slot_full', async () => {
    const { morning } = await setUp('sc');
    const events = Array.from({ length: 30 }, (_, i) =>
      buildEvent(slotRequested, holdCmd(`ord-sc${String(i).padStart(6, '0')}`, morning, `cus-sc${i}`)),
    );
    const statuses = await Promise.all(events.map(async (e) => (await fn.deliver(e)).status));
    expect(statuses.every((s) => s === 204)).toBe(true);
    const replies = (await Promise.all(events.map(repliesTo))).map((r) => {
      expect(r).toHaveLength(1);
      return r[0]!.data;
    });
    const done = replies.filter((r) => r.outcome === 'done');
    const refused = replies.filter((r) => r.outcome === 'refused');
    expect([done.length, refused.length]).toEqual([10, 20]);
    expect(new Set(refused.map((r) => (r.reason as { code: string }).code))).toEqual(new Set(['slot_full']));
    expect(await counters(morning)).toEqual({ held: 10, booked: 0 });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM delivery.slot_holds WHERE slot = $1 AND state = 'held'`,
      [morning],
    );
    expect(rows[0].n).toBe(10);
  });
});

describe('adopting the customer’s own hold', () => {
  it('adopts the customer’s live hold: linked to the order, expiry extended, no second place taken', async () => {
    const { morning } = await setUp('sd');
    const mine = await call(
      'POST',
      '/slot-holds',
      { id: 'pick-1', slot: morning, ttl_seconds: 60 },
      { customer: 'cus-own' },
    );
    expect(mine.status).toBe(201);
    expect(mine.body.order_id).toBeNull();
    const picked = Date.parse(mine.body.expires_at);

    const out = await send(
      holdCmd('ord-sd000001', morning, 'cus-own', { hold_id: 'pick-1', ttl_seconds: 900 }),
    );
    expect(out).toMatchObject({ outcome: 'done', hold_id: 'pick-1', slot: morning, fee_vnd: 15_000 });
    const extended = Date.parse(out.expires_at as string);
    expect(extended).toBeGreaterThan(picked + 800_000);
    const row = (await holdRow('pick-1'))!;
    expect(row).toMatchObject({ state: 'held', owner: 'cus-own', order_id: 'ord-sd000001' });
    expect(row.expires_at.getTime()).toBe(extended);
    expect(await counters(morning)).toEqual({ held: 1, booked: 0 });

    // Another order of the same customer cannot take it over.
    const other = await send(holdCmd('ord-sd000002', morning, 'cus-own', { hold_id: 'pick-1' }));
    expect(other).toMatchObject({ outcome: 'refused', reason: { code: 'hold_mismatch' } });

    // The adopted hold books for its order.
    const book = { order_id: 'ord-sd000001', action: 'book', hold_id: 'pick-1' } as Command;
    expect(await send(book)).toMatchObject({ outcome: 'done', hold_id: 'pick-1' });
    expect(await holdRow('pick-1')).toMatchObject({ state: 'booked', order_id: 'ord-sd000001' });
  });

  it('refuses someone else’s hold (hold_mismatch) and a lapsed one (hold_expired), changing nothing', async () => {
    const { morning, evening } = await setUp('se');
    expect(
      (await call('POST', '/slot-holds', { id: 'pick-2', slot: morning }, { customer: 'cus-a' })).status,
    ).toBe(201);
    const before = (await holdRow('pick-2'))!;

    const theirs = await send(holdCmd('ord-se000001', morning, 'cus-b', { hold_id: 'pick-2' }));
    expect(theirs).toMatchObject({
      outcome: 'refused',
      hold_id: 'pick-2',
      reason: { code: 'hold_mismatch', message: { en: expect.any(String), vi: expect.any(String) } },
    });
    const otherWindow = await send(holdCmd('ord-se000002', evening, 'cus-a', { hold_id: 'pick-2' }));
    expect(otherWindow).toMatchObject({ outcome: 'refused', reason: { code: 'hold_mismatch' } });
    expect(await holdRow('pick-2')).toEqual(before);

    await db.pool.query(
      `UPDATE delivery.slot_holds SET expires_at = now() - interval '1 second' WHERE id = 'pick-2'`,
    );
    const lapsed = await send(holdCmd('ord-se000003', morning, 'cus-a', { hold_id: 'pick-2' }));
    expect(lapsed).toMatchObject({ outcome: 'refused', reason: { code: 'hold_expired' } });
    expect((await holdRow('pick-2'))!.order_id).toBeNull();
  });
});

describe('adopting with the order’s picking units', () => {
  it('takes the order’s units when they fit the window, and refuses slot_full when they do not', async () => {
    const { morning } = await setUp('si', 100);
    const units = async () =>
      (await db.pool.query(`SELECT held_units FROM delivery.slots WHERE id = $1`, [morning])).rows[0]
        .held_units as number;
    for (const [id, customer] of [
      ['pick-i1', 'cus-i1'],
      ['pick-i2', 'cus-i2'],
    ] as const)
      expect((await call('POST', '/slot-holds', { id, slot: morning, units: 10 }, { customer })).status).toBe(
        201,
      );
    expect(await units()).toBe(20);

    const tooBig = await send(
      holdCmd('ord-si000001', morning, 'cus-i1', { hold_id: 'pick-i1', units: 95 } as Partial<Command>),
    );
    expect(tooBig).toMatchObject({ outcome: 'refused', reason: { code: 'slot_full' } });
    expect(await holdRow('pick-i1')).toMatchObject({ order_id: null });
    expect(await units()).toBe(20);

    const fits = await send(
      holdCmd('ord-si000002', morning, 'cus-i2', { hold_id: 'pick-i2', units: 90 } as Partial<Command>),
    );
    expect(fits).toMatchObject({ outcome: 'done', hold_id: 'pick-i2' });
    expect(await units()).toBe(100);
    expect(
      (await db.pool.query(`SELECT units FROM delivery.slot_holds WHERE id = 'pick-i2'`)).rows[0].units,
    ).toBe(90);
  });
});

describe('book and release', () => {
  it('books the order’s hold (delivery.slot.booked emitted), replays a second book, refuses one that lapsed or is missing', async () => {
    const { morning } = await setUp('sf');
    expect((await send(holdCmd('ord-sf000001', morning, 'cus-f1'))).outcome).toBe('done');
    const book = { order_id: 'ord-sf000001', action: 'book', hold_id: 'ord-sf000001' } as Command;
    expect(await send(book)).toMatchObject({ action: 'book', outcome: 'done', slot: morning });
    expect(await send(book)).toMatchObject({ action: 'book', outcome: 'done' });
    expect(await holdRow('ord-sf000001')).toMatchObject({ state: 'booked', order_id: 'ord-sf000001' });
    expect(await counters(morning)).toEqual({ held: 0, booked: 1 });
    const { rows } = await db.pool.query(
      `SELECT event FROM delivery.outbox
        WHERE event->>'type' = 'io.tuoi.delivery.slot.booked.v1' AND event->'data'->>'hold_id' = 'ord-sf000001'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].event.data).toMatchObject({
      order_id: 'ord-sf000001',
      customer_id: 'cus-f1',
      fee_vnd: 15_000,
    });

    expect((await send(holdCmd('ord-sf000002', morning, 'cus-f2'))).outcome).toBe('done');
    await db.pool.query(
      `UPDATE delivery.slot_holds SET expires_at = now() - interval '1 second' WHERE id = 'ord-sf000002'`,
    );
    const late = await send({ order_id: 'ord-sf000002', action: 'book', hold_id: 'ord-sf000002' } as Command);
    expect(late).toMatchObject({
      outcome: 'refused',
      reason: { code: 'hold_expired', message: { en: expect.any(String), vi: expect.any(String) } },
    });
    const missing = await send({
      order_id: 'ord-sf000003',
      action: 'book',
      hold_id: 'ord-sf000003',
    } as Command);
    expect(missing).toMatchObject({ outcome: 'refused', reason: { code: 'hold_missing' } });

    // Another order's hold is not booked for this one.
    expect((await send(holdCmd('ord-sf000004', morning, 'cus-f4'))).outcome).toBe('done');
    const stolen = await send({
      order_id: 'ord-sf000005',
      action: 'book',
      hold_id: 'ord-sf000004',
    } as Command);
    expect(stolen).toMatchObject({ outcome: 'refused', reason: { code: 'hold_mismatch' } });
    expect((await holdRow('ord-sf000004'))!.state).toBe('held');
  });

  it('releases a held and a booked place (each free again); an unknown or already released hold is done', async () => {
    const { evening } = await setUp('sg');
    const release = (order: string) => ({ order_id: order, action: 'release', hold_id: order }) as Command;

    expect((await send(holdCmd('ord-sg000001', evening, 'cus-g1'))).outcome).toBe('done');
    expect(await send(release('ord-sg000001'))).toMatchObject({ action: 'release', outcome: 'done' });
    expect(await counters(evening)).toEqual({ held: 0, booked: 0 });
    expect((await holdRow('ord-sg000001'))!.state).toBe('released');
    expect(await send(release('ord-sg000001'))).toMatchObject({ outcome: 'done' });

    // The place is free again: another order takes it, books it, and gives it back.
    expect((await send(holdCmd('ord-sg000002', evening, 'cus-g2'))).outcome).toBe('done');
    expect(
      (await send({ order_id: 'ord-sg000002', action: 'book', hold_id: 'ord-sg000002' } as Command)).outcome,
    ).toBe('done');
    expect(await counters(evening)).toEqual({ held: 0, booked: 1 });
    expect(await send(release('ord-sg000002'))).toMatchObject({ outcome: 'done' });
    expect(await counters(evening)).toEqual({ held: 0, booked: 0 });
    expect((await send(holdCmd('ord-sg000003', evening, 'cus-g3'))).outcome).toBe('done');

    const unknown = await send(release('ord-sg000009'));
    expect(unknown).toMatchObject({ outcome: 'done', hold_id: 'ord-sg000009' });
    expect(unknown.reason).toBeUndefined();

    // A compensation never gives back a place the order did not get (the customer's own hold).
    expect(
      (
        await call(
          'POST',
          '/slot-holds',
          { id: 'pick-3', slot: `sg:${tomorrow()}:0800` },
          { customer: 'cus-g5' },
        )
      ).status,
    ).toBe(201);
    expect(
      await send({ order_id: 'ord-sg000005', action: 'release', hold_id: 'pick-3' } as Command),
    ).toMatchObject({ outcome: 'done' });
    expect((await holdRow('pick-3'))!.state).toBe('held');
  });
});

describe('release of a booked hold (order cancelled after confirmation)', () => {
  it('gives the booked place back to the window once (the same command twice, then sent again); another order’s booked hold stays', async () => {
    const { evening } = await setUp('sj');
    const book = (order: string) => ({ order_id: order, action: 'book', hold_id: order }) as Command;
    const release = (order: string, hold = order) =>
      ({ order_id: order, action: 'release', hold_id: hold }) as Command;

    // The window's only place, held and booked by the order at checkout.
    expect((await send(holdCmd('ord-sj000001', evening, 'cus-j1'))).outcome).toBe('done');
    expect((await send(book('ord-sj000001'))).outcome).toBe('done');
    expect(await counters(evening)).toEqual({ held: 0, booked: 1 });
    expect(await send(holdCmd('ord-sj000002', evening, 'cus-j2'))).toMatchObject({
      outcome: 'refused',
      reason: { code: 'slot_full' },
    });

    // Another order cannot give it back.
    expect(await send(release('ord-sj000009', 'ord-sj000001'))).toMatchObject({ outcome: 'done' });
    expect(await holdRow('ord-sj000001')).toMatchObject({ state: 'booked', order_id: 'ord-sj000001' });
    expect(await counters(evening)).toEqual({ held: 0, booked: 1 });

    // The order's release, delivered twice at once, then again, then sent again by the saga.
    const event = buildEvent(slotRequested, release('ord-sj000001'));
    const both = await Promise.all([fn.deliver(event), fn.deliver(event)]);
    expect(both.map((r) => r.status)).toEqual([204, 204]);
    expect(await deliver(event)).toBe('duplicate');
    const replies = await repliesTo(event);
    expect(replies.map((r) => r.data)).toEqual([
      expect.objectContaining({ action: 'release', outcome: 'done', hold_id: 'ord-sj000001', slot: evening }),
    ]);
    expect(await send(release('ord-sj000001'))).toMatchObject({ outcome: 'done', hold_id: 'ord-sj000001' });
    expect(await holdRow('ord-sj000001')).toMatchObject({ state: 'released', order_id: 'ord-sj000001' });
    expect(await counters(evening)).toEqual({ held: 0, booked: 0 });

    // The place is free again, exactly one: another order takes it and the next is refused.
    expect((await send(holdCmd('ord-sj000003', evening, 'cus-j3'))).outcome).toBe('done');
    expect(await send(holdCmd('ord-sj000004', evening, 'cus-j4'))).toMatchObject({
      outcome: 'refused',
      reason: { code: 'slot_full' },
    });
    expect(await counters(evening)).toEqual({ held: 1, booked: 0 });
    // A booked hold of the order can no longer be booked again once released.
    expect(await send(book('ord-sj000001'))).toMatchObject({ outcome: 'refused' });
  });
});

describe('a failure of the database', () => {
  it('answers 5xx (the broker retries) and writes no reply; the retry answers once', async () => {
    const { morning } = await setUp('sh');
    const event = buildEvent(slotRequested, holdCmd('ord-sh000001', morning, 'cus-h1'));
    // The holds table out of reach stands in for the database failing mid-command.
    await db.pool.query(`ALTER TABLE delivery.slot_holds RENAME TO slot_holds_away`);
    try {
      expect((await fn.deliver(event)).status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.pool.query(`ALTER TABLE delivery.slot_holds_away RENAME TO slot_holds`);
    }
    expect(await repliesTo(event)).toHaveLength(0);
    expect(await deliver(event)).toBe('processed');
    expect((await repliesTo(event)).map((r) => r.data.outcome)).toEqual(['done']);
  });
});

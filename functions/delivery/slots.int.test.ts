/**
 * Zones, calendars, availability and slot holds against real PostgreSQL over HTTP: 500 concurrent
 * holds on a window with 10 places → exactly 10, none leaked after release and expiry; booking
 * after the TTL is refused; holds are idempotent by id; the cut-off and closures are respected;
 * staff edits keep what is held; bad input changes nothing.
 */
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { deliveryUseCases } from './deps';
import { startDelivery, type Caller, type RunningDelivery } from './testing';

let db: TestDatabase;
let fn: RunningDelivery;

const today = () => localDateOf(new Date());
const tomorrow = () => addDays(today(), 1);

async function call(method: string, path: string, json?: unknown, as: Caller = 'staff') {
  const res = await fn.call(method, path, { json, as });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const zone = (id: string, extra: Record<string, unknown> = {}) => ({
  location: `store-${id}`,
  province: 'ho-chi-minh',
  name: { en: `Zone ${id}`, vi: `Khu ${id}` },
  wards: ['Phường Bến Thành'],
  carriers: ['own_fleet'],
  ...extra,
});

const template = (extra: Record<string, unknown> = {}) => ({
  windows: [
    { start: '08:00', end: '10:00', capacity: 10, fee_vnd: 15_000 },
    {
      start: '18:00',
      end: '20:00',
      capacity: 2,
      fee_vnd: 30_000,
      label: { en: 'Evening peak', vi: 'Giờ cao điểm tối' },
    },
  ],
  cutoff_minutes: 90,
  days_ahead: 7,
  closures: [],
  ...extra,
});

async function setUp(id: string, tpl = template(), z = zone(id)) {
  expect((await call('PUT', `/zones/${id}`, z)).status).toBe(201);
  const put = await call('PUT', `/calendars/${id}`, tpl);
  expect(put.status).toBe(201);
}

const counters = async (slot: string) =>
  (await db.pool.query(`SELECT held, booked FROM delivery.slots WHERE id = $1`, [slot])).rows[0] as {
    held: number;
    booked: number;
  };

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 30 });
  fn = await startDelivery(db.url, { DB_POOL_SIZE: '12', DELIVERY_MAX_HOLDS_PER_CUSTOMER: '2' });
});

afterAll(async () => {
  await fn?.close();
  await db?.drop();
});

describe('slot holds under concurrency', () => {
  it('500 concurrent holds on a window with 10 places → exactly 10; release and expiry give places back, none leaked', async () => {
    await setUp('hot');
    const slot = `hot:${tomorrow()}:0800`;
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        call('POST', '/slot-holds', { id: `h-${i}`, slot, customer_id: `c-${i}` }, 'checkout'),
      ),
    );
    const held = results.filter((r) => r.status === 201);
    const full = results.filter((r) => r.status === 409);
    expect([held.length, full.length]).toEqual([10, 490]);
    expect(full[0]!.body.code).toBe('slot_full');
    expect(full[0]!.body.next_available.map((w: { id: string }) => w.id)).not.toContain(slot);
    expect(await counters(slot)).toEqual({ held: 10, booked: 0 });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM delivery.slot_holds WHERE slot = $1`,
      [slot],
    );
    expect(rows[0].n).toBe(10);

    // The listing says so.
    const day = await call('GET', `/slots?zone=hot&date=${tomorrow()}`, undefined, 'anonymous');
    expect(day.body.windows[0]).toMatchObject({ id: slot, remaining: 0, status: 'full' });

    // Release one, book one, let three lapse: the places come back exactly.
    const [a, b, c, d, e] = held.map((h) => h.body.id as string);
    expect((await call('POST', `/slot-holds/${a}/release`, undefined, 'checkout')).body.state).toBe(
      'released',
    );
    expect((await call('POST', `/slot-holds/${a}/release`, undefined, 'checkout')).status).toBe(200);
    expect(
      (await call('POST', `/slot-holds/${b}/book`, { order_id: 'ord-1' }, 'checkout')).body,
    ).toMatchObject({
      state: 'booked',
      order_id: 'ord-1',
    });
    await db.pool.query(
      `UPDATE delivery.slot_holds SET expires_at = now() - interval '1 second' WHERE id = ANY($1::text[])`,
      [[c, d, e]],
    );
    // Booking after the TTL is refused, even before the sweeper has run.
    const late = await call('POST', `/slot-holds/${c}/book`, undefined, 'checkout');
    expect(late.status).toBe(409);
    expect(await counters(slot)).toEqual({ held: 8, booked: 1 });
    // A new hold on the slot expires the lapsed ones first, then takes a place.
    const next = await call('POST', '/slot-holds', { id: 'h-late', slot, customer_id: 'c-late' }, 'checkout');
    expect(next.status).toBe(201);
    expect(await counters(slot)).toEqual({ held: 6, booked: 1 });
    expect((await call('GET', `/slot-holds/${d}`, undefined, 'checkout')).body.state).toBe('expired');
    // Booking an expired or released hold stays refused; the counters never drift.
    expect((await call('POST', `/slot-holds/${a}/book`, undefined, 'checkout')).status).toBe(409);
    const taken = (
      await db.pool.query(
        `SELECT count(*) FILTER (WHERE state = 'held')::int AS held, count(*) FILTER (WHERE state = 'booked')::int AS booked
           FROM delivery.slot_holds WHERE slot = $1`,
        [slot],
      )
    ).rows[0];
    expect(await counters(slot)).toEqual(taken);
  });

  it('the sweeper expires lapsed holds everywhere and gives their places back', async () => {
    await setUp('sweep');
    const slot = `sweep:${tomorrow()}:1800`;
    for (const i of [1, 2])
      expect(
        (await call('POST', '/slot-holds', { id: `s-${i}`, slot, customer_id: `c${i}` }, 'checkout')).status,
      ).toBe(201);
    expect(
      (await call('POST', '/slot-holds', { id: 's-3', slot, customer_id: 'c3' }, 'checkout')).status,
    ).toBe(409);
    await db.pool.query(
      `UPDATE delivery.slot_holds SET expires_at = now() - interval '1 second' WHERE slot = $1`,
      [slot],
    );
    const uc = deliveryUseCases(db.pool, 'delivery', { maxHoldsPerCustomer: 2 });
    expect(await uc.holds.sweep()).toBe(2);
    expect(await uc.holds.sweep()).toBe(0);
    expect(await counters(slot)).toEqual({ held: 0, booked: 0 });
  });
});

describe('holds: idempotency, ownership and refusals', () => {
  beforeAll(() => setUp('idem'));

  it('the same id replays (200) and a different request under it is a conflict', async () => {
    const slot = `idem:${tomorrow()}:0800`;
    const first = await call('POST', '/slot-holds', { id: 'same', slot }, { customer: 'alice' });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe('/slot-holds/same');
    const again = await call('POST', '/slot-holds', { id: 'same', slot }, { customer: 'alice' });
    expect([again.status, again.body.expires_at]).toEqual([200, first.body.expires_at]);
    const other = await call(
      'POST',
      '/slot-holds',
      { id: 'same', slot: `idem:${tomorrow()}:1800` },
      { customer: 'alice' },
    );
    expect(other.status).toBe(409);
    expect(await counters(slot)).toEqual({ held: 1, booked: 0 });
  });

  it('a customer holds only for themselves, sees only their own holds, and holds a few at most', async () => {
    const slot = `idem:${addDays(today(), 2)}:0800`;
    const forOther = await call(
      'POST',
      '/slot-holds',
      { id: 'x1', slot, customer_id: 'bob' },
      { customer: 'mallory' },
    );
    expect(forOther.status).toBe(403);
    expect((await call('POST', '/slot-holds', { id: 'b1', slot }, { customer: 'bob' })).status).toBe(201);
    expect((await call('GET', '/slot-holds/b1', undefined, { customer: 'mallory' })).status).toBe(404);
    expect((await call('POST', '/slot-holds/b1/release', undefined, { customer: 'mallory' })).status).toBe(
      404,
    );
    expect((await call('GET', '/slot-holds/b1', undefined, { customer: 'bob' })).status).toBe(200);
    expect(
      (
        await call(
          'POST',
          '/slot-holds',
          { id: 'b2', slot: `idem:${addDays(today(), 3)}:0800` },
          { customer: 'bob' },
        )
      ).status,
    ).toBe(201);
    const third = await call(
      'POST',
      '/slot-holds',
      { id: 'b3', slot: `idem:${addDays(today(), 4)}:0800` },
      { customer: 'bob' },
    );
    expect([third.status, third.body.code]).toEqual([409, 'too_many_holds']);
    expect((await call('POST', '/slot-holds', { id: 'b4', slot }, 'anonymous')).status).toBe(401);
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM delivery.slot_holds`)).rows[0].n;
    const cases: [unknown, number, string][] = [
      [{ id: 'bad-1', slot: `idem:${tomorrow()}:0900` }, 400, 'unknown'],
      [{ id: 'bad-2', slot: `nowhere:${tomorrow()}:0800` }, 400, 'unknown'],
      [{ id: 'bad-3', slot: `idem:${tomorrow()}:0800`, ttl_seconds: 5 }, 400, 'minimum'],
      [{ id: 'bad-4', slot: `idem:${tomorrow()}:0800`, ttl_seconds: 86_400 }, 400, 'maximum'],
      [{ id: 'bad 5', slot: `idem:${tomorrow()}:0800` }, 400, 'pattern'],
      [{ id: 'bad-6', slot: 'idem/tomorrow' }, 400, 'pattern'],
      [{ id: 'bad-7', slot: `idem:${addDays(today(), 30)}:0800` }, 400, 'unknown'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/slot-holds', body, { customer: 'carol' });
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(res.body.errors)).toContain(code);
    }
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM delivery.slot_holds`)).rows[0].n).toBe(
      before,
    );
  });
});

describe('availability', () => {
  it('lists a day with places left, fees, bilingual labels and statuses', async () => {
    await setUp('list');
    const date = tomorrow();
    const res = await call('GET', `/slots?zone=list&date=${date}`, undefined, 'anonymous');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      calendar: 'list',
      kind: 'delivery',
      location: 'store-list',
      date,
      closed: null,
    });
    expect(res.body.windows).toEqual([
      expect.objectContaining({
        id: `list:${date}:0800`,
        start: '08:00',
        end: '10:00',
        capacity: 10,
        remaining: 10,
        fee_vnd: 15_000,
        label: null,
        status: 'available',
      }),
      expect.objectContaining({
        id: `list:${date}:1800`,
        start: '18:00',
        end: '20:00',
        remaining: 2,
        fee_vnd: 30_000,
        label: { en: 'Evening peak', vi: 'Giờ cao điểm tối' },
        status: 'available',
      }),
    ]);
    await call('POST', '/slot-holds', { id: 'l1', slot: `list:${date}:1800` }, { customer: 'dan' });
    const after = await call('GET', `/slots?zone=list&date=${date}`, undefined, 'anonymous');
    expect(after.body.windows[1]).toMatchObject({ remaining: 1, status: 'few_left' });
  });

  it('closes windows at the cut-off (Vietnam time) and whole days for a closure such as Tết', async () => {
    // A window starting 30 minutes from now, with a 90-minute cut-off: booking has closed.
    const soon = new Date(Date.now() + 30 * 60_000);
    const hm = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(soon);
    const startMin = Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
    const endMin = Math.min(24 * 60, startMin + 30);
    const end =
      endMin === 24 * 60
        ? '24:00'
        : `${String(Math.floor(endMin / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`;
    const day = localDateOf(soon);
    const closedDay = addDays(today(), 3);
    await setUp(
      'cut',
      template({
        windows: [{ start: hm, end, capacity: 5, fee_vnd: 0 }],
        closures: [{ from: closedDay, until: closedDay, reason: { en: 'Closed for Tết', vi: 'Nghỉ Tết' } }],
      }),
    );
    const slot = `cut:${day}:${hm.replace(':', '')}`;
    const listing = await call('GET', `/slots?zone=cut&date=${day}`, undefined, 'anonymous');
    expect(listing.body.windows).toEqual([expect.objectContaining({ id: slot, status: 'closed' })]);
    const refused = await call('POST', '/slot-holds', { id: 'cut-1', slot }, { customer: 'erin' });
    expect([refused.status, refused.body.errors[0].code]).toEqual([400, 'after_cutoff']);
    // The same window a day later is open.
    const later = `cut:${addDays(day, 1)}:${hm.replace(':', '')}`;
    expect(
      (await call('POST', '/slot-holds', { id: 'cut-2', slot: later }, { customer: 'erin' })).status,
    ).toBe(201);
    const tet = await call('GET', `/slots?zone=cut&date=${closedDay}`, undefined, 'anonymous');
    expect(tet.body).toMatchObject({ closed: { en: 'Closed for Tết', vi: 'Nghỉ Tết' }, windows: [] });
    expect(
      (
        await call(
          'POST',
          '/slot-holds',
          { id: 'cut-3', slot: `cut:${closedDay}:${hm.replace(':', '')}` },
          { customer: 'erin' },
        )
      ).status,
    ).toBe(400);
  });

  it('refuses a past date, an unknown zone and a query that does not say where', async () => {
    expect(
      (await call('GET', `/slots?zone=list&date=${addDays(today(), -1)}`, undefined, 'anonymous')).body
        .errors[0].code,
    ).toBe('past');
    expect((await call('GET', `/slots?zone=nowhere&date=${tomorrow()}`, undefined, 'anonymous')).status).toBe(
      400,
    );
    expect((await call('GET', `/slots?date=${tomorrow()}`, undefined, 'anonymous')).body.errors[0].code).toBe(
      'one_of',
    );
    expect((await call('GET', `/slots?zone=list&pickup=store-list`, undefined, 'anonymous')).status).toBe(
      400,
    );
    expect((await call('GET', `/slots?address_id=abc`, undefined, 'anonymous')).status).toBe(400);
  });
});

describe('staff edits', () => {
  it('a template change keeps what is held, withdraws removed windows, and needs the current version', async () => {
    await setUp('edit');
    const date = tomorrow();
    await call('POST', '/slot-holds', { id: 'e1', slot: `edit:${date}:0800` }, { customer: 'fay' });
    const current = await call('GET', '/calendars/edit', undefined, 'anonymous');
    expect(current.headers.get('etag')).toBe('"v1"');
    const changed = template({ windows: [{ start: '08:00', end: '10:00', capacity: 1, fee_vnd: 20_000 }] });
    const stale = await fn.call('PUT', '/calendars/edit', { json: changed, headers: { 'if-match': '"v9"' } });
    expect(stale.status).toBe(412);
    const ok = await fn.call('PUT', '/calendars/edit', { json: changed, headers: { 'if-match': '"v1"' } });
    expect(ok.status).toBe(200);
    const listing = await call('GET', `/slots?zone=edit&date=${date}`, undefined, 'anonymous');
    expect(listing.body.windows).toEqual([
      expect.objectContaining({
        id: `edit:${date}:0800`,
        capacity: 1,
        remaining: 0,
        fee_vnd: 20_000,
        status: 'full',
      }),
    ]);
    // The withdrawn evening window takes no holds.
    const gone = await call(
      'POST',
      '/slot-holds',
      { id: 'e2', slot: `edit:${date}:1800` },
      { customer: 'gus' },
    );
    expect([gone.status, gone.body.errors[0].code]).toEqual([400, 'withdrawn']);
  });

  it('refuses invalid templates and zones, and writes by anyone but staff', async () => {
    const overlap = template({
      windows: [
        { start: '08:00', end: '10:00', capacity: 1, fee_vnd: 0 },
        { start: '09:00', end: '11:00', capacity: 1, fee_vnd: 0 },
      ],
    });
    expect((await call('PUT', '/zones/bad', zone('bad'))).status).toBe(201);
    const res = await call('PUT', '/calendars/bad', overlap);
    expect([res.status, res.body.errors[0].code]).toEqual([400, 'overlap']);
    expect((await call('GET', '/calendars/bad')).status).toBe(404);
    expect((await call('PUT', '/calendars/no-such-zone', template())).status).toBe(404);
    expect((await call('PUT', '/zones/pickup-x', zone('x'))).status).toBe(400);
    expect((await call('PUT', '/zones/z2', zone('z2', { carriers: ['gojek'] }))).status).toBe(400);
    expect(
      (
        await call(
          'PUT',
          '/zones/z3',
          zone('z3', {
            polygons: [
              [
                [200, 10],
                [1, 1],
                [2, 2],
              ],
            ],
          }),
        )
      ).status,
    ).toBe(400);
    expect((await call('PUT', '/zones/z4', zone('z4'), { customer: 'hal' })).status).toBe(403);
    expect((await call('PUT', '/calendars/bad', template(), 'anonymous')).status).toBe(401);
  });

  it('pickup calendars belong to a store and list like delivery ones', async () => {
    const put = await call(
      'PUT',
      '/calendars/pickup-ch-test',
      template({ windows: [{ start: '09:00', end: '10:00', capacity: 3, fee_vnd: 0 }] }),
    );
    expect(put.body).toMatchObject({ kind: 'pickup', location: 'ch-test' });
    const day = await call('GET', `/slots?pickup=ch-test&date=${tomorrow()}`, undefined, 'anonymous');
    expect(day.body).toMatchObject({
      kind: 'pickup',
      location: 'ch-test',
      windows: [{ id: `pickup-ch-test:${tomorrow()}:0900`, remaining: 3 }],
    });
  });
});

describe('booking announces the slot', () => {
  it('emits delivery.slot.booked once, in the booking transaction', async () => {
    await setUp('ann');
    const slot = `ann:${tomorrow()}:1800`;
    await call(
      'POST',
      '/slot-holds',
      { id: 'ann-1', slot, customer_id: 'ivy', order_id: 'ord-9' },
      'checkout',
    );
    await call('POST', '/slot-holds/ann-1/book', undefined, 'checkout');
    await call('POST', '/slot-holds/ann-1/book', undefined, 'checkout');
    const { rows } = await db.pool.query(
      `SELECT event FROM delivery.outbox WHERE event->>'type' = 'io.tuoi.delivery.slot.booked.v1' AND event->'data'->>'hold_id' = 'ann-1'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].event.data).toMatchObject({
      slot,
      kind: 'delivery',
      zone: 'ann',
      location: 'store-ann',
      fee_vnd: 30_000,
      customer_id: 'ivy',
      order_id: 'ord-9',
    });
  });
});

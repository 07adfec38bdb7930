/**
 * Reservations against real PostgreSQL through the inventory function: no oversell under 1,000
 * concurrent buyers, FEFO, TTL expiry after a crash, idempotent retries, the ledger, bad input.
 */
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { inventoryUseCases } from './deps';
import { addTestSkus, shopDate, startInventory, testStores, type RunningInventory } from './testing';

const HOT = 'TU-HOT-0001';
const MILK = 'TU-MILK-0001';
const PORK = 'TU-PORK-0001-W';
const RICE = 'TU-RICE-0001';

let db: TestDatabase;
let inv: RunningInventory;
const stores = testStores();

async function receive(
  lot: string,
  sku: string,
  location: string,
  quantity: number,
  expires_on?: string | null,
) {
  const res = await inv.call('POST', '/stock/receive', {
    json: { lot_id: lot, sku, location, quantity, expires_on },
  });
  expect(res.status).toBe(201);
}

/** The parts of reservation answers and problems these tests read. */
interface Answer {
  status: string;
  lines: {
    sku: string;
    qty: number;
    held: number;
    lots: { lot_id: string; qty: number; expires_on: string | null }[];
  }[];
  shortfall: { sku: string; requested: number; available: number }[];
  errors: { field: string }[];
}

async function reserve(body: Record<string, unknown>) {
  const res = await inv.call('POST', '/reservations', { json: body });
  return { status: res.status, body: (await res.json()) as Answer };
}

async function level(sku: string, location: string) {
  const res = await inv.call('GET', `/stock/${sku}?location=${location}`, { staff: false });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { locations: { on_hand: number; held: number; available: number }[] };
  return body.locations[0]!;
}

async function counts() {
  const { rows } = await db.pool.query(
    `SELECT (SELECT count(*) FROM inventory.reservations)::int AS reservations,
            (SELECT count(*) FROM inventory.movements)::int AS movements,
            (SELECT coalesce(sum(held), 0) FROM inventory.lots)::int AS held,
            (SELECT count(*) FROM inventory.outbox)::int AS events`,
  );
  return rows[0] as Record<string, number>;
}

beforeAll(async () => {
  db = await freshDatabase();
  await addTestSkus(db.pool, [HOT, MILK, PORK, RICE], { weighted: [PORK], perishable: [MILK, PORK] });
  inv = await startInventory(db.url, { DB_POOL_SIZE: '12' });
});

afterAll(async () => {
  await inv?.close();
  await db?.drop();
});

describe('no oversell', () => {
  it('1,000 concurrent one-unit reservations against 100 units: exactly 100 held, 900 refused', async () => {
    await receive('hot-q1', HOT, 'q1-ben-thanh', 100);
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        reserve({ id: `flash-${i}`, location: 'q1-ben-thanh', lines: [{ sku: HOT, qty: 1 }] }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(statuses.filter((s) => s === 409)).toHaveLength(900);
    const refused = results.find((r) => r.status === 409)!.body;
    expect(refused.shortfall).toEqual([{ sku: HOT, requested: 1, available: 0 }]);
    expect(await level(HOT, 'q1-ben-thanh')).toEqual({
      location: 'q1-ben-thanh',
      on_hand: 100,
      held: 100,
      available: 0,
    });
    // Coalesced: far fewer stock.changed events than holds, and their sequence only grows.
    const { rows } = await db.pool.query<{ seq: number }>(
      `SELECT (event->'data'->>'sequence')::int AS seq FROM inventory.outbox
       WHERE event->>'type' = 'io.tuoi.inventory.stock.changed.v1' AND event->'data'->>'sku' = $1 ORDER BY id`,
      [HOT],
    );
    expect(rows.length).toBeLessThan(100);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
  });

  it('holds exactly the stock of each of three locations under one concurrent burst', async () => {
    const places = ['q1-ben-thanh', 'q7-phu-my-hung', 'kho-thu-duc'];
    for (const p of places) await receive(`rice-${p}`, RICE, p, 100);
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        reserve({ id: `rice-${i}`, location: places[i % 3], lines: [{ sku: RICE, qty: 1 }] }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(300);
    for (const p of places)
      expect(await level(RICE, p)).toMatchObject({ on_hand: 100, held: 100, available: 0 });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM inventory.lots WHERE held > on_hand OR on_hand < 0`,
    );
    expect(rows[0].n).toBe(0);
  });
});

describe('FEFO', () => {
  it('allocates the earliest expiry first, spills into the next lot, and never takes an expired lot', async () => {
    await receive('milk-late', MILK, 'q7-phu-my-hung', 10, shopDate(9));
    await receive('milk-soon', MILK, 'q7-phu-my-hung', 4, shopDate(2));
    // An expired lot still on the shelf (receiving refuses expired lots, so it is put in place directly).
    await db.pool.query(
      `INSERT INTO inventory.lots (id, sku, location, received_qty, on_hand, expires_on, received_at)
       VALUES ('milk-expired', $1, 'q7-phu-my-hung', 50, 50, $2, now() - interval '10 days')`,
      [MILK, shopDate(-1)],
    );
    await db.pool.query(
      `INSERT INTO inventory.movements (lot_id, sku, location, on_hand_delta, held_delta, reason, actor)
       VALUES ('milk-expired', $1, 'q7-phu-my-hung', 50, 0, 'receive', 'test')`,
      [MILK],
    );
    expect(await level(MILK, 'q7-phu-my-hung')).toEqual({
      location: 'q7-phu-my-hung',
      on_hand: 64,
      held: 0,
      available: 14,
    });
    const { status, body } = await reserve({
      id: 'fefo-1',
      location: 'q7-phu-my-hung',
      lines: [{ sku: MILK, qty: 6 }],
    });
    expect(status).toBe(201);
    expect(body.lines[0]!.lots).toEqual([
      { lot_id: 'milk-soon', qty: 4, expires_on: shopDate(2) },
      { lot_id: 'milk-late', qty: 2, expires_on: shopDate(9) },
    ]);
    const short = await reserve({ id: 'fefo-2', location: 'q7-phu-my-hung', lines: [{ sku: MILK, qty: 9 }] });
    expect(short.status).toBe(409);
    expect(short.body.shortfall).toEqual([{ sku: MILK, requested: 9, available: 8 }]);
  });

  it('holds weighted items in grams across lots', async () => {
    await receive('pork-a', PORK, 'kho-thu-duc', 1_000, shopDate(1));
    await receive('pork-b', PORK, 'kho-thu-duc', 500, shopDate(3));
    const { status, body } = await reserve({
      id: 'pork-1',
      location: 'kho-thu-duc',
      lines: [{ sku: PORK, qty: 1_250 }],
    });
    expect(status).toBe(201);
    expect(body.lines[0]).toMatchObject({ sku: PORK, qty: 1_250, held: 1_250 });
    expect(body.lines[0]!.lots.map((l) => l.qty)).toEqual([1_000, 250]);
    const stock = await (await inv.call('GET', `/stock/${PORK}`, { staff: false })).json();
    expect(stock).toMatchObject({ unit: 'g', total: { on_hand: 1_500, held: 1_250, available: 250 } });
  });
});

describe('commit, release, expiry', () => {
  it('commits once: deducts from the allocated lots; a retry is a replay; release after commit is a 409', async () => {
    await receive('milk-c1', MILK, 'q1-ben-thanh', 5, shopDate(4));
    const held = await reserve({
      id: 'order-c1',
      location: 'q1-ben-thanh',
      lines: [{ sku: MILK, qty: 3 }],
      owner: 'order:c1',
    });
    expect(held.status).toBe(201);
    const first = await inv.call('POST', '/reservations/order-c1/commit');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'committed', owner: 'order:c1' });
    expect((await inv.call('POST', '/reservations/order-c1/commit')).status).toBe(200);
    expect(await level(MILK, 'q1-ben-thanh')).toMatchObject({ on_hand: 2, held: 0, available: 2 });
    const late = await inv.call('POST', '/reservations/order-c1/release');
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ status: 409, reservation_status: 'committed' });
  });

  it('releases once and refuses to commit a released reservation', async () => {
    const held = await reserve({ id: 'order-r1', location: 'q1-ben-thanh', lines: [{ sku: MILK, qty: 2 }] });
    expect(held.status).toBe(201);
    expect((await inv.call('POST', '/reservations/order-r1/release')).status).toBe(200);
    expect((await inv.call('POST', '/reservations/order-r1/release')).status).toBe(200);
    expect((await inv.call('POST', '/reservations/order-r1/commit')).status).toBe(409);
    expect(await level(MILK, 'q1-ben-thanh')).toMatchObject({ on_hand: 2, held: 0, available: 2 });
    expect((await inv.call('POST', '/reservations/nope/commit')).status).toBe(404);
  });

  it('a crash between reserve and commit: the sweeper returns the stock after the TTL and says so', async () => {
    await receive('rice-crash', RICE, 'q7-phu-my-hung', 10);
    const before = await level(RICE, 'q7-phu-my-hung');
    const held = await reserve({
      id: 'crashed-checkout',
      location: 'q7-phu-my-hung',
      lines: [{ sku: RICE, qty: 4 }],
      ttl_seconds: 60,
    });
    expect(held.status).toBe(201);
    expect((await level(RICE, 'q7-phu-my-hung')).available).toBe(before.available - 4);
    // Nobody commits. A minute later any instance's sweeper expires the hold.
    const later = new Date(Date.now() + 61_000);
    expect(await stores.reservations.sweep(db.pool, { now: later })).toBeGreaterThanOrEqual(1);
    expect(await level(RICE, 'q7-phu-my-hung')).toEqual(before);
    const view = await (await inv.call('GET', '/reservations/crashed-checkout')).json();
    expect(view).toMatchObject({ status: 'expired' });
    const commit = await inv.call('POST', '/reservations/crashed-checkout/commit');
    expect(commit.status).toBe(409);
    const { rows } = await db.pool.query(
      `SELECT event->'data' AS data FROM inventory.outbox WHERE event->>'type' = 'io.tuoi.inventory.reservation.expired.v1'`,
    );
    expect(rows.map((r) => r.data.id)).toContain('crashed-checkout');
  });

  it("the instance's own sweeper expires a hold once its TTL has passed", async () => {
    const quick = await startInventory(db.url, { INVENTORY_SWEEP_MS: '200' });
    try {
      const res = await quick.call('POST', '/reservations', {
        json: {
          id: 'short-ttl',
          location: 'q7-phu-my-hung',
          lines: [{ sku: RICE, qty: 1 }],
          ttl_seconds: 10,
        },
      });
      expect(res.status).toBe(201);
      const deadline = Date.now() + 20_000;
      let status = 'held';
      while (status === 'held' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        status = ((await (await quick.call('GET', '/reservations/short-ttl')).json()) as { status: string })
          .status;
      }
      expect(status).toBe('expired');
    } finally {
      await quick.close();
    }
  }, 30_000);
});

describe('idempotency', () => {
  it('the same reservation again holds nothing more and answers the same; another request under the id is a 409', async () => {
    await receive('milk-i1', MILK, 'kho-thu-duc', 10, shopDate(5));
    const body = { id: 'retry-1', location: 'kho-thu-duc', lines: [{ sku: MILK, qty: 3 }] };
    const first = await reserve(body);
    const again = await Promise.all([reserve(body), reserve(body)]);
    expect(first.status).toBe(201);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(again[0]!.body).toEqual(first.body);
    expect(await level(MILK, 'kho-thu-duc')).toMatchObject({ held: 3 });
    const other = await reserve({ ...body, lines: [{ sku: MILK, qty: 4 }] });
    expect(other.status).toBe(409);
  });

  it('concurrent first requests with one id hold once', async () => {
    const body = { id: 'retry-race', location: 'kho-thu-duc', lines: [{ sku: MILK, qty: 1 }] };
    const before = await level(MILK, 'kho-thu-duc');
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve(body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect((await level(MILK, 'kho-thu-duc')).held).toBe(before.held + 1);
  });

  it('receiving a lot twice is one lot; another lot under its id is a 409', async () => {
    const lot = { lot_id: 'rice-twice', sku: RICE, location: 'kho-thu-duc', quantity: 7 };
    const before = await level(RICE, 'kho-thu-duc');
    expect((await inv.call('POST', '/stock/receive', { json: lot })).status).toBe(201);
    expect((await inv.call('POST', '/stock/receive', { json: lot })).status).toBe(200);
    expect((await inv.call('POST', '/stock/receive', { json: { ...lot, quantity: 8 } })).status).toBe(409);
    expect((await level(RICE, 'kho-thu-duc')).on_hand).toBe(before.on_hand + 7);
  });
});

describe('adjustments', () => {
  it('counts, damage and expiry write-offs change on hand with a reason; never below what is held', async () => {
    await receive('rice-adj', RICE, 'q1-ben-thanh', 20);
    const adjust = (json: Record<string, unknown>) => inv.call('POST', '/stock/adjust', { json });
    const count = await adjust({ id: 'count-1', lot_id: 'rice-adj', reason: 'count', quantity: 18 });
    expect(count.status).toBe(200);
    expect(await count.json()).toMatchObject({ on_hand: 18 });
    expect((await adjust({ id: 'count-1', lot_id: 'rice-adj', reason: 'count', quantity: 18 })).status).toBe(
      200,
    );
    expect(
      (await adjust({ id: 'dmg-1', lot_id: 'rice-adj', reason: 'damage', quantity: 3, note: 'torn bags' }))
        .status,
    ).toBe(200);
    // The flash-sale rice lot here is fully held, so the 10 come from this lot: 15 on hand, 10 held.
    expect(
      (await reserve({ id: 'adj-hold', location: 'q1-ben-thanh', lines: [{ sku: RICE, qty: 10 }] })).status,
    ).toBe(201);
    const tooFar = await adjust({ id: 'dmg-2', lot_id: 'rice-adj', reason: 'damage', quantity: 6 });
    expect(tooFar.status).toBe(409);
    expect(await tooFar.json()).toMatchObject({ held: 10, on_hand: 15 });
    expect((await adjust({ id: 'exp-1', lot_id: 'rice-adj', reason: 'expiry' })).status).toBe(200); // writes off the 5 free
    expect(await level(RICE, 'q1-ben-thanh')).toMatchObject({ on_hand: 110, held: 110, available: 0 });
    const { rows } = await db.pool.query(
      `SELECT reason, on_hand_delta, note FROM inventory.movements WHERE lot_id = 'rice-adj' ORDER BY id`,
    );
    expect(rows.filter((r) => r.on_hand_delta !== 0)).toEqual([
      { reason: 'receive', on_hand_delta: 20, note: null },
      { reason: 'count', on_hand_delta: -2, note: null },
      { reason: 'damage', on_hand_delta: -3, note: 'torn bags' },
      { reason: 'expiry', on_hand_delta: -5, note: null },
    ]);
  });
});

describe('the ledger', () => {
  it("names each reservation's own requester and correlation id, also within one batch", async () => {
    const { reservations } = inventoryUseCases(db.pool, 'inventory', { expiringDays: 3 });
    const request = (id: string, actor: string) => ({
      id,
      owner: id,
      location: 'kho-thu-duc',
      lines: [{ sku: RICE, qty: 1 }],
      ttlSeconds: 60,
      allowPartial: false,
      hash: `hash-${id}`,
      actor,
      correlationId: `corr-${id}`,
    });
    const outcomes = await reservations.reserveBatch([
      request('ledger-a', 'client:checkout'),
      request('ledger-b', 'user:staff-1'),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['held', 'held']);
    const { rows } = await db.pool.query(
      `SELECT DISTINCT reservation_id, actor, correlation_id FROM inventory.movements
        WHERE reservation_id IN ('ledger-a', 'ledger-b') ORDER BY reservation_id`,
    );
    expect(rows).toEqual([
      { reservation_id: 'ledger-a', actor: 'client:checkout', correlation_id: 'corr-ledger-a' },
      { reservation_id: 'ledger-b', actor: 'user:staff-1', correlation_id: 'corr-ledger-b' },
    ]);
  });

  it('replays to the stored quantities of every lot', async () => {
    const lots = await stores.lots.replayLedger(db.pool);
    expect(lots.length).toBeGreaterThan(10);
    for (const l of lots) {
      expect({ lot: l.lot_id, on_hand: l.ledger_on_hand, held: l.ledger_held }).toEqual({
        lot: l.lot_id,
        on_hand: l.on_hand,
        held: l.held,
      });
    }
  });
});

describe('bad input', () => {
  it.each([
    ['qty 0', { id: 'bad-1', location: 'kho-thu-duc', lines: [{ sku: RICE, qty: 0 }] }, '/lines/0/qty'],
    [
      'negative qty',
      { id: 'bad-2', location: 'kho-thu-duc', lines: [{ sku: RICE, qty: -3 }] },
      '/lines/0/qty',
    ],
    [
      'unknown sku',
      { id: 'bad-3', location: 'kho-thu-duc', lines: [{ sku: 'TU-NOPE-0001', qty: 1 }] },
      '/lines/0/sku',
    ],
    ['unknown location', { id: 'bad-4', location: 'mars', lines: [{ sku: RICE, qty: 1 }] }, '/location'],
    [
      'ttl too short',
      { id: 'bad-5', location: 'kho-thu-duc', lines: [{ sku: RICE, qty: 1 }], ttl_seconds: 5 },
      '/ttl_seconds',
    ],
    [
      'ttl too long',
      { id: 'bad-6', location: 'kho-thu-duc', lines: [{ sku: RICE, qty: 1 }], ttl_seconds: 86_400 },
      '/ttl_seconds',
    ],
    [
      'duplicate lines',
      {
        id: 'bad-7',
        location: 'kho-thu-duc',
        lines: [
          { sku: RICE, qty: 1 },
          { sku: RICE, qty: 2 },
        ],
      },
      '/lines/1/sku',
    ],
    [
      'more than 200 lines',
      {
        id: 'bad-8',
        location: 'kho-thu-duc',
        lines: Array.from({ length: 201 }, (_, i) => ({ sku: `TU-X-${i + 1000}`, qty: 1 })),
      },
      '/lines',
    ],
    ['malformed id', { id: 'has space', location: 'kho-thu-duc', lines: [{ sku: RICE, qty: 1 }] }, '/id'],
    [
      'unknown field',
      { id: 'bad-9', location: 'kho-thu-duc', lines: [{ sku: RICE, qty: 1 }], vip: true },
      '/vip',
    ],
  ])('%s → 400 with the field, nothing held or written', async (_name, json, field) => {
    const before = await counts();
    const { status, body } = await reserve(json);
    expect(status).toBe(400);
    expect(body.errors.map((e) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('receiving: perishable without expiry, an expired lot, unknown SKU → 400; no token → 401', async () => {
    const post = (json: Record<string, unknown>, staff = true) =>
      inv.call('POST', '/stock/receive', { json, staff });
    const before = await counts();
    expect((await post({ lot_id: 'm-x', sku: MILK, location: 'kho-thu-duc', quantity: 1 })).status).toBe(400);
    expect(
      (
        await post({
          lot_id: 'm-y',
          sku: MILK,
          location: 'kho-thu-duc',
          quantity: 1,
          expires_on: shopDate(-2),
        })
      ).status,
    ).toBe(400);
    expect(
      (await post({ lot_id: 'm-z', sku: 'TU-NOPE-0001', location: 'kho-thu-duc', quantity: 1 })).status,
    ).toBe(400);
    expect(
      (await post({ lot_id: 'm-w', sku: RICE, location: 'kho-thu-duc', quantity: 1 }, false)).status,
    ).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('adjust, threshold and reservation paths: bad input → 400 with the field, nothing written', async () => {
    const before = await counts();
    const call = async (method: string, path: string, json?: unknown) => {
      const res = await inv.call(method, path, json === undefined ? {} : { json });
      return { status: res.status, body: (await res.json()) as { errors?: { field: string }[] } };
    };
    const fields = (r: { body: { errors?: { field: string }[] } }) =>
      (r.body.errors ?? []).map((e) => e.field);
    const noQty = await call('POST', '/stock/adjust', {
      id: 'adj-bad-1',
      lot_id: 'rice-adj',
      reason: 'count',
    });
    expect([noQty.status, fields(noQty)]).toEqual([400, ['/quantity']]);
    const noLot = await call('POST', '/stock/adjust', {
      id: 'adj-bad-2',
      lot_id: 'no-such-lot',
      reason: 'damage',
      quantity: 1,
    });
    expect([noLot.status, fields(noLot)]).toEqual([400, ['/lot_id']]);
    const badReason = await call('POST', '/stock/adjust', {
      id: 'adj-bad-3',
      lot_id: 'rice-adj',
      reason: 'theft',
      quantity: 1,
    });
    expect(badReason.status).toBe(400);
    expect(fields(badReason)).toContain('/reason');
    const zero = await call('PUT', `/stock/${RICE}/threshold`, { low_threshold: 0 });
    expect([zero.status, fields(zero)]).toEqual([400, ['/low_threshold']]);
    expect((await call('PUT', '/stock/TU-NOPE-0001/threshold', { low_threshold: 3 })).status).toBe(404);
    expect((await call('GET', '/reservations/has space')).status).toBe(400);
    expect((await call('POST', '/reservations/has space/commit')).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('reads: a malformed SKU is a 400, an unknown one a 404, unknown query parameters a 400', async () => {
    expect((await inv.call('GET', '/stock/not a sku', { staff: false })).status).toBe(400);
    expect((await inv.call('GET', '/stock/TU-NOPE-0001', { staff: false })).status).toBe(404);
    expect((await inv.call('GET', `/stock/${RICE}?colour=red`, { staff: false })).status).toBe(400);
    const batch = await inv.call('POST', '/stock/batch', {
      staff: false,
      json: {
        items: [
          { sku: RICE, location: 'kho-thu-duc' },
          { sku: RICE, location: 'nowhere' },
        ],
      },
    });
    expect(batch.status).toBe(400);
  });
});

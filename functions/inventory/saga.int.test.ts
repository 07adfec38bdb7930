/**
 * Inventory's step of the checkout saga against real PostgreSQL: signed stock-requested commands
 * reserve, commit and release an order's stock and restock a committed one, each answered by one
 * stock reply in the outbox;
 * a redelivered command changes nothing and replies once; concurrent orders never oversell; a
 * broken database is a 5xx to retry, never a refusal.
 */
import { randomBytes } from 'node:crypto';
import { stockRequested, type DataOf } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { SCHEMA } from './deps';
import { reservationStore } from './reservation-store';
import { stockStore } from './stock-store';
import { addTestSkus, shopDate, startInventory, testStores, type RunningInventory } from './testing';

const MILK = 'TU-SAGA-MILK-1';
const RICE = 'TU-SAGA-RICE-1';
const HOT = 'TU-SAGA-HOT-1';
const BACK = 'TU-SAGA-BACK-1';
const EGGS = 'TU-SAGA-EGGS-1';
const FRESH = 'TU-SAGA-FRESH-1';
const REPLIED = 'io.tuoi.inventory.saga.replied.v1';

let db: TestDatabase;
let inv: RunningInventory;
const stores = testStores();

beforeAll(async () => {
  db = await freshDatabase();
  await addTestSkus(db.pool, [MILK, RICE, HOT, BACK, EGGS, FRESH], { perishable: [MILK, FRESH] });
  // Fewer connections than the concurrent commands below: each holds one in its consumer
  // transaction while its reservation is decided, which must not starve the batches.
  inv = await startInventory(db.url, { DB_POOL_SIZE: '12' });
});

afterAll(async () => {
  await inv?.close();
  await db?.drop();
});

type Command = DataOf<typeof stockRequested>;

/** The parts of a stock reply these tests read. */
interface Reply {
  order_id: string;
  action: string;
  outcome: 'done' | 'refused';
  reason?: { code: string; message: { en: string; vi: string } };
  reservation_id: string;
  shortfall?: { sku: string; wanted: number; available: number }[];
  restock_id?: string;
  restocked?: { sku: string; qty: number }[];
}

const newOrder = () => `ord-${randomBytes(8).toString('hex')}`;

async function receive(
  lot: string,
  sku: string,
  location: string,
  quantity: number,
  expires_on = sku === MILK ? shopDate(5) : undefined,
) {
  const res = await inv.call('POST', '/stock/receive', {
    json: { lot_id: lot, sku, location, quantity, expires_on },
  });
  expect(res.status).toBe(201);
}

/** Delivers a command as the router does; returns the delivery and the event's id. */
async function send(data: Command) {
  const event = buildEvent(stockRequested, data);
  const res = await inv.deliver(event);
  return { status: res.status, delivery: res.headers.get('x-tuoi-delivery'), event };
}

/** Sends a command that must be accepted (204). */
async function command(data: Command) {
  const sent = await send(data);
  expect(sent.status).toBe(204);
  return sent.event;
}

const reserve = (order_id: string, reservation_id: string, lines: { sku: string; qty: number }[]) =>
  command({ order_id, action: 'reserve', reservation_id, location: 'q1-ben-thanh', lines, ttl_seconds: 60 });

/** The order's replies in the outbox, oldest first, with their event ids. */
async function replies(orderId: string): Promise<(Reply & { id: string })[]> {
  const { rows } = await db.pool.query<{ id: string; data: Reply }>(
    `SELECT event->>'id' AS id, event->'data' AS data FROM inventory.outbox
     WHERE event->>'type' = $1 AND event->'data'->>'order_id' = $2 ORDER BY outbox.id`,
    [REPLIED, orderId],
  );
  return rows.map((r) => ({ ...r.data, id: r.id }));
}

/** The order's only reply. */
async function reply(orderId: string): Promise<Reply & { id: string }> {
  const all = await replies(orderId);
  expect(all).toHaveLength(1);
  return all[0]!;
}

/** Moves a hold's expiry into the past, as if the customer had taken too long to pay. */
async function pastTtl(id: string) {
  await db.pool.query(
    `UPDATE inventory.reservations SET expires_at = now() - interval '1 second' WHERE id = $1`,
    [id],
  );
}

async function level(sku: string) {
  const res = await inv.call('GET', `/stock/${sku}?location=q1-ben-thanh`, { staff: false });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { locations: { on_hand: number; held: number; available: number }[] };
  const { on_hand, held, available } = body.locations[0]!;
  return { on_hand, held, available };
}

async function reservation(id: string) {
  const res = await inv.call('GET', `/reservations/${id}`);
  return res.status === 404 ? undefined : ((await res.json()) as { status: string; owner: string });
}

describe('reserve', () => {
  it('holds the order’s stock under order:<id> and replies done, under an id derived from the command', async () => {
    await receive('saga-milk-1', MILK, 'q1-ben-thanh', 10);
    const order = newOrder();
    const event = await reserve(order, `${order}-stock`, [{ sku: MILK, qty: 3 }]);
    const answer = await reply(order);
    expect(answer).toMatchObject({
      id: `${event.id}.reply`,
      order_id: order,
      action: 'reserve',
      outcome: 'done',
      reservation_id: `${order}-stock`,
    });
    expect(answer.reason).toBeUndefined();
    expect(await reservation(`${order}-stock`)).toMatchObject({ status: 'held', owner: `order:${order}` });
    expect(await level(MILK)).toMatchObject({ on_hand: 10, held: 3, available: 7 });
  });

  it('refuses a short order with the shortfall and a bilingual reason, holding nothing', async () => {
    await receive('saga-rice-1', RICE, 'q1-ben-thanh', 2);
    const before = await level(MILK);
    const order = newOrder();
    await reserve(order, `${order}-stock`, [
      { sku: MILK, qty: 1 },
      { sku: RICE, qty: 5 },
    ]);
    const answer = await reply(order);
    expect(answer).toMatchObject({ action: 'reserve', outcome: 'refused', reason: { code: 'out_of_stock' } });
    expect(answer.reason!.message.en).toContain(RICE);
    expect(answer.reason!.message.vi).toBe(`Không đủ hàng cho ${RICE}`);
    expect(answer.shortfall).toEqual([{ sku: RICE, wanted: 5, available: 2 }]);
    expect(await reservation(`${order}-stock`)).toBeUndefined();
    expect(await level(RICE)).toMatchObject({ on_hand: 2, held: 0 });
    expect(await level(MILK)).toEqual(before);
  });

  it('refuses unknown or repeated SKUs as invalid lines, and another request under a used id as a conflict', async () => {
    const unknown = newOrder();
    await reserve(unknown, `${unknown}-stock`, [{ sku: 'TU-NOT-SOLD-1', qty: 1 }]);
    const invalid = await reply(unknown);
    expect(invalid).toMatchObject({ outcome: 'refused', reason: { code: 'invalid_lines' } });
    expect(invalid.reason!.message.en).toContain('TU-NOT-SOLD-1');
    expect(invalid.reason!.message.vi).toContain('TU-NOT-SOLD-1');

    const twice = newOrder();
    await reserve(twice, `${twice}-stock`, [
      { sku: MILK, qty: 1 },
      { sku: MILK, qty: 1 },
    ]);
    expect(await reply(twice)).toMatchObject({ outcome: 'refused', reason: { code: 'invalid_lines' } });
    expect(await reservation(`${twice}-stock`)).toBeUndefined();

    const first = newOrder();
    await reserve(first, `${first}-stock`, [{ sku: MILK, qty: 1 }]);
    const other = newOrder();
    await reserve(other, `${first}-stock`, [{ sku: MILK, qty: 2 }]);
    expect(await reply(other)).toMatchObject({
      outcome: 'refused',
      reason: { code: 'reservation_conflict' },
    });
    expect(await reservation(`${first}-stock`)).toMatchObject({ owner: `order:${first}` });
  });

  it('a command delivered twice holds once and replies once; the saga sending it again replays the hold', async () => {
    const order = newOrder();
    const data: Command = {
      order_id: order,
      action: 'reserve',
      reservation_id: `${order}-stock`,
      location: 'q1-ben-thanh',
      lines: [{ sku: MILK, qty: 2 }],
      ttl_seconds: 60,
    };
    const event = buildEvent(stockRequested, data);
    const before = await level(MILK);
    const first = await inv.deliver(event);
    const again = await inv.deliver(event);
    expect([first.status, again.status]).toEqual([204, 204]);
    expect(again.headers.get('x-tuoi-delivery')).toBe('duplicate');
    expect(await reply(order)).toMatchObject({ id: `${event.id}.reply`, outcome: 'done' });
    expect((await level(MILK)).held).toBe(before.held + 2);

    // A new command (another event id) for the same reservation: the same hold, answered again.
    await command(data);
    const answers = await replies(order);
    expect(answers.map((a) => a.outcome)).toEqual(['done', 'done']);
    expect((await level(MILK)).held).toBe(before.held + 2);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM inventory.reservations WHERE owner = $1`,
      [`order:${order}`],
    );
    expect(rows[0].n).toBe(1);
  });

  it('20 concurrent orders for one unit each of a SKU with 5 units: exactly 5 done, 15 refused, never negative', async () => {
    await receive('saga-hot-1', HOT, 'q1-ben-thanh', 5);
    const orders = Array.from({ length: 20 }, newOrder);
    const sent = await Promise.all(
      orders.map((order) =>
        send({
          order_id: order,
          action: 'reserve',
          reservation_id: `${order}-stock`,
          location: 'q1-ben-thanh',
          lines: [{ sku: HOT, qty: 1 }],
          ttl_seconds: 60,
        }),
      ),
    );
    expect(sent.every((s) => s.status === 204)).toBe(true);
    const answers = await Promise.all(orders.map(reply));
    expect(answers.filter((a) => a.outcome === 'done')).toHaveLength(5);
    const refused = answers.filter((a) => a.outcome === 'refused');
    expect(refused).toHaveLength(15);
    expect(refused.every((a) => a.reason?.code === 'out_of_stock')).toBe(true);
    expect(await level(HOT)).toEqual({ on_hand: 5, held: 5, available: 0 });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS negative FROM inventory.lots WHERE on_hand < 0 OR held < 0 OR held > on_hand`,
    );
    expect(rows[0].negative).toBe(0);

    // Then all 20 orders close at once (paid or compensated), more than the instance's pool holds.
    const closing = await Promise.all(
      answers.map((a) =>
        send({
          order_id: a.order_id,
          action: a.outcome === 'done' ? 'commit' : 'release',
          reservation_id: a.reservation_id,
        }),
      ),
    );
    expect(closing.every((s) => s.status === 204)).toBe(true);
    const closed = await Promise.all(orders.map(async (o) => (await replies(o)).at(-1)!));
    expect(closed.every((a) => a.outcome === 'done')).toBe(true);
    expect(await level(HOT)).toEqual({ on_hand: 0, held: 0, available: 0 });
  });
});

describe('commit and release', () => {
  const closeCommand = (
    order_id: string,
    action: 'commit' | 'release',
    reservation_id = `${order_id}-stock`,
  ) => command({ order_id, action, reservation_id });

  /** The answer to the order's latest command. */
  const latest = async (order: string) => (await replies(order)).at(-1)!;

  it('commits a held reservation once the order is paid: done, and the stock leaves the shelf', async () => {
    await receive('saga-rice-2', RICE, 'q1-ben-thanh', 4);
    const before = await level(RICE);
    const order = newOrder();
    await reserve(order, `${order}-stock`, [{ sku: RICE, qty: 3 }]);
    await closeCommand(order, 'commit');
    expect(await latest(order)).toMatchObject({
      action: 'commit',
      outcome: 'done',
      reservation_id: `${order}-stock`,
    });
    expect(await reservation(`${order}-stock`)).toMatchObject({ status: 'committed' });
    expect(await level(RICE)).toEqual({
      on_hand: before.on_hand - 3,
      held: before.held,
      available: before.available - 3,
    });
    // Committing again (the saga retrying) is still done.
    await closeCommand(order, 'commit');
    expect((await replies(order)).map((a) => [a.action, a.outcome])).toEqual([
      ['reserve', 'done'],
      ['commit', 'done'],
      ['commit', 'done'],
    ]);
  });

  it('releases a held reservation (compensation): done, and the stock is back on sale', async () => {
    const before = await level(MILK);
    const order = newOrder();
    await reserve(order, `${order}-stock`, [{ sku: MILK, qty: 2 }]);
    expect((await level(MILK)).available).toBe(before.available - 2);
    await closeCommand(order, 'release');
    expect(await latest(order)).toMatchObject({ action: 'release', outcome: 'done' });
    expect(await reservation(`${order}-stock`)).toMatchObject({ status: 'released' });
    expect(await level(MILK)).toEqual(before);
  });

  it('a reserve waiting on the lock of a release sees the mark that release commits (a read after the lock, not in its snapshot)', async () => {
    const store = reservationStore(SCHEMA, stockStore(SCHEMA));
    const id = `${newOrder()}-stock`;
    const release = await db.pool.connect();
    const reserve = await db.pool.connect();
    try {
      await release.query('BEGIN');
      expect(await store.claimIds(release as never, [id])).toEqual(new Set());
      await reserve.query('BEGIN');
      const waiting = store.claimIds(reserve as never, [id]);
      await new Promise((r) => setTimeout(r, 200)); // the reserve is now blocked on the lock
      await store.markReleasedUnreserved(release as never, id, undefined, new Date());
      await release.query('COMMIT');
      expect(await waiting).toEqual(new Set([id]));
      await reserve.query('ROLLBACK');
    } finally {
      release.release();
      reserve.release();
    }
  });

  it('releasing a reservation that was never made is done: there is nothing to undo', async () => {
    const order = newOrder();
    await closeCommand(order, 'release');
    expect(await reply(order)).toMatchObject({
      action: 'release',
      outcome: 'done',
      reservation_id: `${order}-stock`,
    });
  });

  it('a reserve that arrives after its own release (the owner hung past the step timeout) is refused and holds nothing', async () => {
    const before = await level(MILK);
    const order = newOrder();
    await closeCommand(order, 'release');
    expect(await latest(order)).toMatchObject({ action: 'release', outcome: 'done' });
    await reserve(order, `${order}-stock`, [{ sku: MILK, qty: 2 }]);
    const late = await latest(order);
    expect(late).toMatchObject({
      action: 'reserve',
      outcome: 'refused',
      reason: { code: 'reservation_released' },
    });
    expect(late.reason!.message.vi).toMatch(/huỷ/);
    expect(await reservation(`${order}-stock`)).toBeUndefined();
    expect(await level(MILK)).toEqual(before);
    // Both arriving at once, in either order, end the same: nothing held (repeated: it is a race).
    for (const first of Array.from({ length: 8 }, (_, i): 'release' | 'reserve' =>
      i % 2 ? 'reserve' : 'release',
    )) {
      const o = newOrder();
      const release = () => closeCommand(o, 'release');
      const hold = () => reserve(o, `${o}-stock`, [{ sku: MILK, qty: 1 }]);
      await Promise.all(first === 'release' ? [release(), hold()] : [hold(), release()]);
      const r = await reservation(`${o}-stock`);
      expect([first, r?.status ?? 'none']).toEqual([first, expect.stringMatching(/^(none|released)$/)]);
      if (r?.status === 'released') await closeCommand(o, 'release'); // a replay stays done
    }
    expect(await level(MILK)).toEqual(before);
  });

  it('releasing an unknown reservation over HTTP is a 404 and leaves no mark', async () => {
    const id = `${newOrder()}-stock`;
    const res = await inv.call('POST', `/reservations/${id}/release`);
    expect(res.status).toBe(404);
    const { rows } = await db.pool.query(`SELECT 1 FROM inventory.released_unreserved WHERE id = $1`, [id]);
    expect(rows).toEqual([]);
  });

  it('committing a reservation that was never made is refused as missing', async () => {
    const order = newOrder();
    await closeCommand(order, 'commit');
    expect(await reply(order)).toMatchObject({ outcome: 'refused', reason: { code: 'reservation_missing' } });
  });

  it('committing after the hold expired is refused as expired; releasing it then is done', async () => {
    const before = await level(MILK);
    const order = newOrder();
    await reserve(order, `${order}-stock`, [{ sku: MILK, qty: 1 }]);
    // The customer took too long to pay: its TTL passed and a sweeper (this one, or the
    // instance's own if it came first) returned the stock.
    await pastTtl(`${order}-stock`);
    await stores.reservations.sweep(db.pool);
    expect(await reservation(`${order}-stock`)).toMatchObject({ status: 'expired' });
    await closeCommand(order, 'commit');
    const refused = await latest(order);
    expect(refused).toMatchObject({
      action: 'commit',
      outcome: 'refused',
      reason: { code: 'reservation_expired' },
    });
    expect(refused.reason!.message.vi).toMatch(/hết hạn/);
    await closeCommand(order, 'release');
    expect(await latest(order)).toMatchObject({ action: 'release', outcome: 'done' });
    expect(await level(MILK)).toEqual(before);
  });

  it('committing a held reservation past its TTL (before any sweep) expires it and is refused', async () => {
    const before = await level(MILK);
    const order = newOrder();
    await reserve(order, `${order}-stock`, [{ sku: MILK, qty: 1 }]);
    await pastTtl(`${order}-stock`);
    await closeCommand(order, 'commit');
    expect(await latest(order)).toMatchObject({
      outcome: 'refused',
      reason: { code: 'reservation_expired' },
    });
    expect(await level(MILK)).toEqual(before);
  });

  it('releasing after commit is refused: a paid order’s stock is not put back this way', async () => {
    const order = newOrder();
    await reserve(order, `${order}-stock`, [{ sku: MILK, qty: 1 }]);
    await closeCommand(order, 'commit');
    const after = await level(MILK);
    await closeCommand(order, 'release');
    expect(await latest(order)).toMatchObject({
      action: 'release',
      outcome: 'refused',
      reason: { code: 'reservation_committed' },
    });
    expect(await reservation(`${order}-stock`)).toMatchObject({ status: 'committed' });
    expect(await level(MILK)).toEqual(after);
  });

  it('committing a released reservation is refused as released', async () => {
    const order = newOrder();
    await reserve(order, `${order}-stock`, [{ sku: MILK, qty: 1 }]);
    await closeCommand(order, 'release');
    await closeCommand(order, 'commit');
    expect(await latest(order)).toMatchObject({
      outcome: 'refused',
      reason: { code: 'reservation_released' },
    });
  });
});

describe('restock', () => {
  const commit = (order_id: string) =>
    command({ order_id, action: 'commit', reservation_id: `${order_id}-stock` });
  const restock = (order_id: string, restock_id: string, lines: { sku: string; qty: number }[]) =>
    command({ order_id, action: 'restock', reservation_id: `${order_id}-stock`, restock_id, lines });

  /** The answer to the order's latest command. */
  const latest = async (order: string) => (await replies(order)).at(-1)!;

  /** An order whose lines were reserved and committed (its stock has left the shelf). */
  async function committedOrder(lines: { sku: string; qty: number }[]) {
    const order = newOrder();
    await reserve(order, `${order}-stock`, lines);
    await commit(order);
    expect((await replies(order)).map((a) => a.outcome)).toEqual(['done', 'done']);
    return order;
  }

  /** The restock ledger lines of a reservation: (lot, on-hand change). */
  async function restockMoves(reservationId: string) {
    const { rows } = await db.pool.query<{ lot_id: string; on_hand_delta: number; held_delta: number }>(
      `SELECT lot_id, on_hand_delta, held_delta FROM inventory.movements
       WHERE reservation_id = $1 AND reason = 'restock' ORDER BY id`,
      [reservationId],
    );
    return rows;
  }

  /** How many stock.changed events the outbox holds for a SKU. */
  async function changes(sku: string): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inventory.outbox
       WHERE event->>'type' = 'io.tuoi.inventory.stock.changed.v1' AND event->'data'->>'sku' = $1`,
      [sku],
    );
    return rows[0]!.n;
  }

  it('puts committed units back on the shelf: done with what was put back, the level rises by exactly that', async () => {
    await receive('saga-back-1', BACK, 'q1-ben-thanh', 10);
    const order = await committedOrder([{ sku: BACK, qty: 4 }]);
    const before = await level(BACK);
    expect(before).toEqual({ on_hand: 6, held: 0, available: 6 });
    const changed = await changes(BACK);
    const event = await restock(order, `${order}-r1`, [{ sku: BACK, qty: 3 }]);
    const answer = await latest(order);
    expect(answer).toMatchObject({
      id: `${event.id}.reply`,
      action: 'restock',
      outcome: 'done',
      reservation_id: `${order}-stock`,
      restock_id: `${order}-r1`,
      restocked: [{ sku: BACK, qty: 3 }],
    });
    expect(answer.reason).toBeUndefined();
    expect(await level(BACK)).toEqual({ on_hand: 9, held: 0, available: 9 });
    expect(await restockMoves(`${order}-stock`)).toEqual([
      { lot_id: 'saga-back-1', on_hand_delta: 3, held_delta: 0 },
    ]);
    expect(await changes(BACK)).toBe(changed + 1);
    expect(await reservation(`${order}-stock`)).toMatchObject({ status: 'committed' });
  });

  it('the same restock delivered twice or sent again changes nothing the second time and replies the same', async () => {
    await receive('saga-back-2', BACK, 'q1-ben-thanh', 5);
    const order = await committedOrder([{ sku: BACK, qty: 2 }]);
    const data: Command = {
      order_id: order,
      action: 'restock',
      reservation_id: `${order}-stock`,
      restock_id: `${order}-r1`,
      lines: [{ sku: BACK, qty: 2 }],
    };
    const event = buildEvent(stockRequested, data);
    const before = await level(BACK);
    const first = await inv.deliver(event);
    const again = await inv.deliver(event);
    expect([first.status, again.status]).toEqual([204, 204]);
    expect(again.headers.get('x-tuoi-delivery')).toBe('duplicate');
    const after = await level(BACK);
    expect(after.on_hand).toBe(before.on_hand + 2);
    const changed = await changes(BACK);

    // The saga sending the same restock again (another event id): the same answer, nothing moves.
    await command(data);
    const [once, twice] = (await replies(order)).slice(-2);
    expect(once).toMatchObject({ outcome: 'done', restocked: [{ sku: BACK, qty: 2 }] });
    expect(twice).toMatchObject({
      action: 'restock',
      outcome: 'done',
      restock_id: `${order}-r1`,
      restocked: [{ sku: BACK, qty: 2 }],
    });
    expect(await level(BACK)).toEqual(after);
    expect(await restockMoves(`${order}-stock`)).toHaveLength(1);
    expect(await changes(BACK)).toBe(changed);
  });

  it('partial restocks are capped per SKU at what the reservation committed', async () => {
    await receive('saga-back-3', BACK, 'q1-ben-thanh', 5);
    await receive('saga-eggs-1', EGGS, 'q1-ben-thanh', 10);
    const order = await committedOrder([
      { sku: BACK, qty: 3 },
      { sku: EGGS, qty: 6 },
    ]);
    const before = { back: await level(BACK), eggs: await level(EGGS) };

    await restock(order, `${order}-r1`, [{ sku: BACK, qty: 2 }]);
    expect(await latest(order)).toMatchObject({ outcome: 'done', restocked: [{ sku: BACK, qty: 2 }] });
    // More than is left of what was committed: only the rest goes back (1 of BACK, all 6 of EGGS).
    await restock(order, `${order}-r2`, [
      { sku: BACK, qty: 5 },
      { sku: EGGS, qty: 10 },
    ]);
    expect(await latest(order)).toMatchObject({
      outcome: 'done',
      restocked: [
        { sku: BACK, qty: 1 },
        { sku: EGGS, qty: 6 },
      ],
    });
    // Everything committed is back: a further restock is done but puts nothing back (no lines).
    await restock(order, `${order}-r3`, [{ sku: EGGS, qty: 1 }]);
    expect(await latest(order)).toMatchObject({ outcome: 'done', restocked: [] });

    expect((await level(BACK)).on_hand).toBe(before.back.on_hand + 3);
    expect((await level(EGGS)).on_hand).toBe(before.eggs.on_hand + 6);
    const moved = await restockMoves(`${order}-stock`);
    expect(moved.reduce((n, m) => n + m.on_hand_delta, 0)).toBe(9);
  });

  it('refuses a restock of a reservation that is held (not committed), released or unknown, in both languages', async () => {
    await receive('saga-back-4', BACK, 'q1-ben-thanh', 5);
    const held = newOrder();
    await reserve(held, `${held}-stock`, [{ sku: BACK, qty: 2 }]);
    const before = await level(BACK);
    await restock(held, `${held}-r1`, [{ sku: BACK, qty: 2 }]);
    const answer = await latest(held);
    expect(answer).toMatchObject({
      action: 'restock',
      outcome: 'refused',
      reason: { code: 'not_committed' },
      reservation_id: `${held}-stock`,
      restock_id: `${held}-r1`,
    });
    expect(answer.restocked).toBeUndefined();
    expect(answer.reason!.message.en).toContain('not committed');
    expect(answer.reason!.message.vi).toContain('chưa được xác nhận');
    expect(await level(BACK)).toEqual(before);
    expect(await reservation(`${held}-stock`)).toMatchObject({ status: 'held' });

    const released = newOrder();
    await reserve(released, `${released}-stock`, [{ sku: BACK, qty: 1 }]);
    await command({ order_id: released, action: 'release', reservation_id: `${released}-stock` });
    await restock(released, `${released}-r1`, [{ sku: BACK, qty: 1 }]);
    expect(await latest(released)).toMatchObject({ outcome: 'refused', reason: { code: 'not_committed' } });

    const unknown = newOrder();
    await restock(unknown, `${unknown}-r1`, [{ sku: BACK, qty: 1 }]);
    expect(await reply(unknown)).toMatchObject({ outcome: 'refused', reason: { code: 'not_committed' } });
    expect(await restockMoves(`${held}-stock`)).toEqual([]);
  });

  it('refuses a SKU that is not on the reservation as invalid lines, putting nothing back', async () => {
    await receive('saga-back-5', BACK, 'q1-ben-thanh', 5);
    const order = await committedOrder([{ sku: BACK, qty: 2 }]);
    const before = await level(BACK);
    await restock(order, `${order}-r1`, [
      { sku: BACK, qty: 1 },
      { sku: EGGS, qty: 1 },
    ]);
    const answer = await latest(order);
    expect(answer).toMatchObject({ outcome: 'refused', reason: { code: 'invalid_lines' } });
    expect(answer.reason!.message.en).toContain(EGGS);
    expect(answer.reason!.message.vi).toContain(EGGS);
    expect(await level(BACK)).toEqual(before);
  });

  it('refuses the same restock id with different lines as a conflict, keeping the first restock', async () => {
    await receive('saga-back-6', BACK, 'q1-ben-thanh', 5);
    const order = await committedOrder([{ sku: BACK, qty: 3 }]);
    await restock(order, `${order}-r1`, [{ sku: BACK, qty: 1 }]);
    const after = await level(BACK);
    await restock(order, `${order}-r1`, [{ sku: BACK, qty: 2 }]);
    const answer = await latest(order);
    expect(answer).toMatchObject({
      action: 'restock',
      outcome: 'refused',
      reason: { code: 'restock_conflict' },
      restock_id: `${order}-r1`,
    });
    expect(answer.reason!.message.vi).toContain(`${order}-r1`);
    expect(await level(BACK)).toEqual(after);
    const moved = await restockMoves(`${order}-stock`);
    expect(moved.map((m) => m.on_hand_delta)).toEqual([1]);
  });

  it('puts units back into the lots they came from, latest expiry first, never into a lot that has expired', async () => {
    await receive('saga-fresh-a', FRESH, 'q1-ben-thanh', 2, shopDate(2));
    await receive('saga-fresh-b', FRESH, 'q1-ben-thanh', 3, shopDate(6));
    await receive('saga-fresh-c', FRESH, 'q1-ben-thanh', 4, shopDate(9));
    // FEFO: 2 from lot a, 3 from lot b, 1 from lot c.
    const order = await committedOrder([{ sku: FRESH, qty: 6 }]);
    // Lot a's date passes while the order is out for delivery.
    await db.pool.query(`UPDATE inventory.lots SET expires_on = $2 WHERE id = $1`, [
      'saga-fresh-a',
      shopDate(-1),
    ]);
    const before = await level(FRESH);
    await restock(order, `${order}-r1`, [{ sku: FRESH, qty: 2 }]);
    expect(await latest(order)).toMatchObject({ outcome: 'done', restocked: [{ sku: FRESH, qty: 2 }] });
    // The rest: lot b's other 2 go back, lot a's 2 do not (expired), so 2 of the 4 asked.
    await restock(order, `${order}-r2`, [{ sku: FRESH, qty: 4 }]);
    expect(await latest(order)).toMatchObject({ outcome: 'done', restocked: [{ sku: FRESH, qty: 2 }] });
    expect(await restockMoves(`${order}-stock`)).toEqual([
      { lot_id: 'saga-fresh-c', on_hand_delta: 1, held_delta: 0 },
      { lot_id: 'saga-fresh-b', on_hand_delta: 1, held_delta: 0 },
      { lot_id: 'saga-fresh-b', on_hand_delta: 2, held_delta: 0 },
    ]);
    expect(await level(FRESH)).toEqual({
      on_hand: before.on_hand + 4,
      held: 0,
      available: before.available + 4,
    });
    const { rows } = await db.pool.query(`SELECT on_hand FROM inventory.lots WHERE id = 'saga-fresh-a'`);
    expect(rows[0].on_hand).toBe(0);
  });

  it('keeps the ledger and the lots in agreement after restocks', async () => {
    const drift = (await stores.lots.replayLedger(db.pool)).filter(
      (l) => l.on_hand !== l.ledger_on_hand || l.held !== l.ledger_held,
    );
    expect(drift).toEqual([]);
  });
});

describe('transient failure', () => {
  it('a broken database is a 5xx for the broker to retry, never a refusal; the retry is answered', async () => {
    const order = newOrder();
    const event = buildEvent(stockRequested, {
      order_id: order,
      action: 'reserve',
      reservation_id: `${order}-stock`,
      location: 'q1-ben-thanh',
      lines: [{ sku: MILK, qty: 1 }],
      ttl_seconds: 60,
    });
    await db.pool.query('ALTER TABLE inventory.reservations RENAME TO reservations_away');
    try {
      expect((await inv.deliver(event)).status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.pool.query('ALTER TABLE inventory.reservations_away RENAME TO reservations');
    }
    expect(await replies(order)).toEqual([]);
    // The broker delivers the same event again once the database is back.
    const retry = await inv.deliver(event);
    expect(retry.status).toBe(204);
    expect(retry.headers.get('x-tuoi-delivery')).toBe('processed');
    expect(await reply(order)).toMatchObject({ id: `${event.id}.reply`, outcome: 'done' });
  });
});

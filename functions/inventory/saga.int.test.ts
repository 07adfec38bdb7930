/**
 * Inventory's step of the checkout saga against real PostgreSQL: signed stock-requested commands
 * reserve, commit and release an order's stock, each answered by one stock reply in the outbox;
 * a redelivered command changes nothing and replies once; concurrent orders never oversell; a
 * broken database is a 5xx to retry, never a refusal.
 */
import { randomBytes } from 'node:crypto';
import { stockRequested, type DataOf } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addTestSkus, shopDate, startInventory, testStores, type RunningInventory } from './testing';

const MILK = 'TU-SAGA-MILK-1';
const RICE = 'TU-SAGA-RICE-1';
const HOT = 'TU-SAGA-HOT-1';
const REPLIED = 'io.tuoi.inventory.saga.replied.v1';

let db: TestDatabase;
let inv: RunningInventory;
const stores = testStores();

beforeAll(async () => {
  db = await freshDatabase();
  await addTestSkus(db.pool, [MILK, RICE, HOT], { perishable: [MILK] });
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
}

const newOrder = () => `ord-${randomBytes(8).toString('hex')}`;

async function receive(lot: string, sku: string, location: string, quantity: number) {
  const expires_on = sku === MILK ? shopDate(5) : undefined;
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

  it('releasing a reservation that was never made is done: there is nothing to undo', async () => {
    const order = newOrder();
    await closeCommand(order, 'release');
    expect(await reply(order)).toMatchObject({
      action: 'release',
      outcome: 'done',
      reservation_id: `${order}-stock`,
    });
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

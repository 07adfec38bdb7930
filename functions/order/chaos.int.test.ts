/**
 * Chaos on the checkout saga, on the whole platform (every function in its own process, events by
 * the local router with Knative's retry and dead-letter rules): each function that owns a step —
 * and the order function itself — is killed (SIGKILL, as a crashed pod) or frozen (SIGSTOP, as a
 * hung one, past the router's 10 s attempt timeout) while checkouts are in flight, then brought
 * back. Every checkout still ends confirmed or cancelled, and once the sagas rest the checker finds
 * nothing held by a cancelled order and everything committed for a confirmed one. The saga's
 * clocks are shortened (a forward step gives up after 8 s, unanswered commands are sent again after
 * 3 s, a step given up on may land late for 20 s) so each scenario takes seconds.
 */
import { randomUUID } from 'node:crypto';
import { productBody } from '../catalog/testing';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { startPlatform, type Platform } from '../../scripts/testing/hostile/platform';
import { checkOrders, settledSagas } from './testing/checker';
import { benThanhAddress, caller, sleep, stocked } from './testing/shoppers';

const SKU = 'TU-900200';
let platform: Platform;
let gw: string;
let customer: string;
let addressId: string;
let slot: string;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string> = {},
  token = customer,
) {
  const res = await fetch(`${gw}${path}`, {
    method,
    headers: {
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${token}`,
      ...headers,
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, headers: res.headers };
}

/** Fills the customer's cart and checks it out (cash on delivery); the order id. */
async function checkout(): Promise<string> {
  const cart = (await call('GET', '/me/cart')).body;
  expect((await call('POST', `/carts/${cart.id}/lines`, { sku: SKU, qty: 1 })).status).toBe(200);
  const res = await call(
    'POST',
    '/checkout',
    {
      cart_id: cart.id,
      fulfilment: { kind: 'delivery', slot },
      address_id: addressId,
      payment_method: 'cod',
    },
    { 'idempotency-key': randomUUID() },
  );
  expect(res.status).toBe(202);
  return res.body.id as string;
}

/** Waits until every saga rests, then checks every order; returns the orders' final phases. */
async function settledAndConsistent(ids: string[]) {
  expect(await settledSagas(platform.db.pool, 90_000)).toBe(0);
  expect(await checkOrders(platform.db.pool)).toEqual([]);
  const { rows } = await platform.db.pool.query(
    `SELECT saga->>'phase' AS phase, cart_id FROM orders.orders WHERE id = ANY($1)`,
    [ids],
  );
  for (const r of rows) expect(['confirmed', 'cancelled']).toContain(r.phase);
  // A cancelled order leaves its cart to the customer: empty it for the next scenario.
  for (const r of rows)
    if (r.phase === 'cancelled') await call('DELETE', `/carts/${r.cart_id}/lines/${SKU}`);
    else
      for (let i = 0; i < 100 && (await call('GET', '/me/cart')).body.id === r.cart_id; i++) await sleep(100);
  return rows.map((r) => r.phase as string);
}

/** The saga still waits on an answer (it cannot rest while one of its owners is down). */
const waiting = async (id: string) =>
  !(await platform.db.pool.query(`SELECT settled FROM orders.orders WHERE id = $1`, [id])).rows[0].settled;

const pid = (name: string) => platform.functions.find((f) => f.fn.name === name)!.child.proc;

beforeAll(async () => {
  platform = await startPlatform({
    events: true,
    env: {
      order: {
        ORDER_STEP_TIMEOUT_S: '8',
        ORDER_RESEND_S: '3',
        ORDER_LATE_WINDOW_S: '20',
        ORDER_TICK_MS: '200',
      },
    },
  });
  gw = platform.gateway.url;
  customer = platform.tokens.customer;
  const api = caller(gw);
  await stocked(api, platform.tokens.staff, productBody(SKU), 1_000);
  addressId = await benThanhAddress(api, customer);
  const day = await call('GET', `/slots?address_id=${addressId}&date=${addDays(localDateOf(new Date()), 1)}`);
  slot = day.body.windows.find((w: Json) => w.status === 'available').id;
}, 240_000);

afterAll(async () => {
  // A frozen process must not outlive the suite.
  for (const f of platform?.functions ?? []) if (f.child.proc.exitCode === null) f.child.proc.kill('SIGCONT');
  await platform?.stop();
});

describe.each(['promotions', 'inventory', 'delivery', 'payment'])('when %s', (owner) => {
  it('is killed while a checkout waits on it and comes back 12 s later: the order ends settled, nothing leaks', async () => {
    // Killed before the checkout (its command then finds no one), except delivery, which the
    // checkout's pre-flight reads: killed as soon as the checkout is answered.
    if (owner !== 'delivery') await platform.kill(owner);
    const id = await checkout();
    if (owner === 'delivery') await platform.kill(owner);
    await sleep(12_000);
    expect(await waiting(id)).toBe(true);
    await platform.restart(owner);
    await settledAndConsistent([id]);
  });

  it('hangs for 12 s (past the router’s attempt timeout) during a checkout: the order ends settled, nothing leaks', async () => {
    if (owner !== 'delivery') pid(owner).kill('SIGSTOP');
    const id = await checkout();
    if (owner === 'delivery') pid(owner).kill('SIGSTOP');
    await sleep(12_000);
    expect(await waiting(id)).toBe(true);
    pid(owner).kill('SIGCONT');
    await settledAndConsistent([id]);
  });
});

describe('when the order function itself', () => {
  it('is killed right after answering a checkout: it resumes from its log and confirms', async () => {
    const id = await checkout();
    await platform.kill('order');
    await sleep(2_000);
    await platform.restart('order');
    expect(await settledAndConsistent([id])).toEqual(['confirmed']);
  });
});

describe('after confirmation', () => {
  it('a cancel while inventory is down: the restock waits, is sent again, and lands once inventory is back', async () => {
    const id = await checkout();
    expect(await settledAndConsistent([id])).toEqual(['confirmed']);
    const staff = platform.tokens.staff;
    await platform.kill('inventory');
    const cancelled = await call('POST', `/orders/${id}/cancel`, undefined, {}, staff);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.reason.code).toBe('store_cancelled');
    await sleep(8_000);
    // The restock is still out (the clock has sent it again meanwhile): the order cannot rest.
    const asks = await platform.db.pool.query(
      `SELECT a->>'state' AS state, (a->>'attempts')::int AS attempts FROM orders.orders, jsonb_array_elements(asks) a
        WHERE id = $1 AND a->>'key' LIKE 'stock:restock:%'`,
      [id],
    );
    expect(asks.rows[0].state).toBe('sent');
    expect(asks.rows[0].attempts).toBeGreaterThan(1);
    await platform.restart('inventory');
    await settledAndConsistent([id]);
    const restocked = await platform.db.pool.query(
      `SELECT count(*)::int AS n FROM inventory.restocks WHERE reservation_id = $1`,
      [id],
    );
    expect(restocked.rows[0].n).toBe(1);
  });
});

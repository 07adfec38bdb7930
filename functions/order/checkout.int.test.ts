/**
 * Checkout end to end on the whole platform: every function in its own process behind the
 * gateway, events carried by the local router, MoMo played by its simulator. A shopper fills a
 * cart, checks out with a delivery window and pays; cash on delivery confirms at once; a MoMo
 * order waits for the customer, who approves in the simulator; an order short of stock, one the
 * customer cancels, one never paid and one whose coupon was withdrawn end cancelled with nothing
 * held; MoMo's notification racing the customer's "I paid" and retried checkouts give one order and
 * one authorisation. The checker reads every
 * schema after each and finds nothing held by a cancelled order and everything committed for a
 * confirmed one.
 */
import { randomUUID } from 'node:crypto';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { startPlatform, type Platform } from '../../scripts/testing/hostile/platform';
import { freePort } from '../../scripts/testing/processes';
import { metricValue, scrape } from '../shared/testing/metrics';
import { productBody, weightedBody } from '../catalog/testing';
import { checkOrders, settledSagas } from './testing/checker';
import { caller, MOMO_ENV, momoSim, stocked } from './testing/shoppers';

let orderMetrics = '';
let platform: Platform;
let gw: string;
let customer: string;
let addressId: string;
let piece: { sku: string; available: number };
let weighed: { sku: string; available: number };
let scarce: { sku: string; available: number };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(
  method: string,
  path: string,
  opts: { json?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${gw}${path}`, {
    method,
    headers: {
      ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${opts.token ?? customer}`,
      ...opts.headers,
    },
    body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

const sim = momoSim;

/** A fresh cart for the customer with `lines`, and a free delivery window tomorrow. */
async function cartWith(lines: Json[], coupons: string[] = []) {
  const cart = (await call('GET', '/me/cart')).body;
  for (const l of lines)
    expect((await call('POST', `/carts/${cart.id}/lines`, { json: l })).status).toBe(200);
  for (const c of coupons) expect((await call('POST', `/carts/${cart.id}/coupons/${c}`)).status).toBe(200);
  const date = addDays(localDateOf(new Date()), 1);
  const day = await call('GET', `/slots?address_id=${addressId}&date=${date}`);
  expect(day.status).toBe(200);
  const window = day.body.windows.find((w: Json) => w.status === 'available');
  expect(window).toBeDefined();
  return { cartId: cart.id as string, slot: window.id as string };
}

async function checkout(cartId: string, slot: string, method: string, key = randomUUID()) {
  return call('POST', '/checkout', {
    json: {
      cart_id: cartId,
      fulfilment: { kind: 'delivery', slot },
      address_id: addressId,
      payment_method: method,
    },
    headers: { 'idempotency-key': key, prefer: 'wait=20' },
  });
}

/** Polls the order until `done` holds for it (20 s at most). */
async function until(id: string, done: (o: Json) => boolean): Promise<Json> {
  const stop = Date.now() + 20_000;
  for (;;) {
    const o = (await call('GET', `/orders/${id}`)).body;
    if (done(o) || Date.now() > stop) return o;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectConsistent(ids: string[]) {
  expect(await settledSagas(platform.db.pool, 20_000)).toBe(0);
  expect(await checkOrders(platform.db.pool, ids)).toEqual([]);
}

beforeAll(async () => {
  orderMetrics = `http://127.0.0.1:${await freePort()}/metrics`;
  platform = await startPlatform({
    events: true,
    env: {
      payment: MOMO_ENV,
      order: {
        ORDER_PAYMENT_TIMEOUT_S: '10',
        ORDER_TICK_MS: '200',
        METRICS_PORT: new URL(orderMetrics).port,
      },
    },
  });
  gw = platform.gateway.url;
  customer = platform.tokens.customer;
  // MoMo posts its notifications through the gateway to the payment function.
  await sim('/_sim/reset', {});
  await sim('/_sim/config', { ipn_url: `${gw}/payment/webhooks/momo` });
  const address = await call('POST', '/me/addresses', {
    json: {
      recipient: 'Nguyễn Thị Lan',
      phone: '0901234567',
      street: '5 Lê Lợi',
      ward: 'Phường Bến Thành',
      province: 'ho-chi-minh',
    },
  });
  expect(address.status).toBe(201);
  addressId = address.body.id;
  const { rows } = await platform.db.pool.query(
    `SELECT l.sku, s.sold_by, sum(l.on_hand)::int AS available
       FROM inventory.lots l JOIN inventory.skus s USING (sku)
      WHERE l.location = 'ch-quan-1' AND s.active AND (l.expires_on IS NULL OR l.expires_on > current_date + 3)
      GROUP BY 1, 2 ORDER BY 1`,
  );
  piece = rows.find((r) => r.sold_by === 'piece' && r.available >= 10);
  expect(piece).toBeDefined();
  // Pork belly by weight (20 kg) and a milk of which one carton is left: staff add them, their
  // product events reach inventory, cart and promotions, and the stock arrives at the store.
  const api = caller(gw);
  weighed = await stocked(api, platform.tokens.staff, weightedBody('TU-900001'), 20_000);
  scarce = await stocked(api, platform.tokens.staff, productBody('TU-900002'), 1);
}, 240_000);

afterAll(async () => {
  await sim('/_sim/config', { ipn_url: '' }).catch(() => undefined);
  await platform?.stop();
});

describe('checkout', () => {
  it('with cash on delivery: confirmed at once, stock committed, window booked, cart checked out; the same key replays', async () => {
    const { cartId, slot } = await cartWith([
      { sku: piece.sku, qty: 2 },
      { sku: weighed.sku, grams: 500 },
    ]);
    const key = randomUUID();
    const placed = await checkout(cartId, slot, 'cod', key);
    expect(placed.status).toBe(202);
    expect(placed.headers.get('location')).toBe(`/orders/${placed.body.id}`);
    expect(placed.headers.get('preference-applied')).toBe('wait=20');
    const order = await until(placed.body.id, (o) => o.status === 'confirmed');
    expect(order).toMatchObject({
      status: 'confirmed',
      status_labels: { en: 'Confirmed', vi: 'Đã xác nhận' },
      payment: { rail: 'cod', next_action: 'none' },
      settled: true,
    });
    expect(order.total_vnd).toBe(order.quote.totals.total_vnd);
    expect(order.lines.map((l: Json) => l.sku)).toEqual([piece.sku, weighed.sku]);

    const again = await checkout(cartId, slot, 'cod', key);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(order.id);
    // A new key for the same cart: it is already ordered.
    expect((await checkout(cartId, slot, 'cod')).status).toBe(409);

    // The cart is checked out by order.confirmed: the next /me/cart is a new one.
    const stop = Date.now() + 10_000;
    let next = (await call('GET', '/me/cart')).body;
    while (next.id === cartId && Date.now() < stop) {
      await new Promise((r) => setTimeout(r, 100));
      next = (await call('GET', '/me/cart')).body;
    }
    expect(next.id).not.toBe(cartId);
    expect((await call('GET', '/me/orders')).body.items.map((o: Json) => o.id)).toContain(order.id);
    await expectConsistent([order.id]);
  });

  it('with MoMo and a coupon: awaiting payment with the pay URL, confirmed once the customer approves', async () => {
    const { cartId, slot } = await cartWith([{ sku: piece.sku, qty: 3 }], ['TET2027']);
    const placed = await checkout(cartId, slot, 'momo');
    expect(placed.status).toBe(202);
    expect(placed.body).toMatchObject({ status: 'awaiting_payment', payment: { next_action: 'redirect' } });
    expect(placed.body.payment.redirect_url).toContain('/v2/gateway/pay');
    expect(placed.body.quote.applied.map((a: Json) => a.promotion_id)).toContain('tet-2027');
    const approved = await sim('/_sim/pay', { orderId: placed.body.payment.id, action: 'approve' });
    expect(approved.error).toBeUndefined();
    const order = await until(placed.body.id, (o) => o.status === 'confirmed');
    expect(order.status).toBe('confirmed');
    const uses = await platform.db.pool.query(
      `SELECT state FROM promotions.redemptions WHERE order_id = $1`,
      [order.id],
    );
    expect(uses.rows.map((r) => r.state)).toEqual(['committed']);
    await expectConsistent([order.id]);
  });

  it('short of stock: cancelled with the product named in both languages, nothing held', async () => {
    const { cartId, slot } = await cartWith([{ sku: scarce.sku, qty: 2 }]);
    const placed = await checkout(cartId, slot, 'momo');
    const order = await until(placed.body.id, (o) => o.status === 'cancelled' && o.settled);
    expect(order.reason.code).toBe('out_of_stock');
    expect(order.reason.message.en).toMatch(/^Out of stock: /);
    expect(order.reason.message.vi).toMatch(/^Hết hàng: /);
    expect(order.payment.next_action).toBeNull();
    await expectConsistent([order.id]);
    // The cart is still the customer's to fix.
    expect((await call('GET', '/me/cart')).body.id).toBe(cartId);
    await call('DELETE', `/carts/${cartId}/lines/${scarce.sku}`);
    // The order function's metrics count a checkout failed for want of stock, and the checkout request.
    const metrics = await scrape(orderMetrics);
    expect(
      metricValue(metrics, 'tuoi_checkout_failures_total', { function: 'order', reason: 'out_of_stock' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(metrics, 'tuoi_orders_cancelled_total', { reason: 'out_of_stock' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(metrics, 'tuoi_http_request_duration_seconds_count', {
        route: '/checkout',
        method: 'POST',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('cancelled by the customer while paying: the hold, stock and window are given back', async () => {
    const { cartId, slot } = await cartWith([{ sku: piece.sku, qty: 1 }]);
    const placed = await checkout(cartId, slot, 'momo');
    expect(placed.body.status).toBe('awaiting_payment');
    const cancelled = await call('POST', `/orders/${placed.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.reason).toMatchObject({ code: 'customer_cancelled' });
    expect((await call('POST', `/orders/${placed.body.id}/cancel`)).status).toBe(409);
    await until(placed.body.id, (o) => o.settled);
    await expectConsistent([placed.body.id]);
    await call('DELETE', `/carts/${cartId}/lines/${piece.sku}`);
  });

  it('never paid: cancelled when the payment window closes', async () => {
    const { cartId, slot } = await cartWith([{ sku: piece.sku, qty: 1 }]);
    const placed = await checkout(cartId, slot, 'momo');
    expect(placed.body.status).toBe('awaiting_payment');
    const order = await until(placed.body.id, (o) => o.status === 'cancelled' && o.settled);
    expect(order.reason.code).toBe('payment_timeout');
    await expectConsistent([placed.body.id]);
    await call('DELETE', `/carts/${cartId}/lines/${piece.sku}`);
  });

  it('a coupon that stopped applying before the checkout: cancelled with the reason in both languages, nothing held', async () => {
    const staff = platform.tokens.staff;
    const id = `gone-${Date.now().toString(36)}`;
    const promo = await call('POST', '/promotions', {
      token: staff,
      json: {
        id,
        name: { en: 'Gone soon: 5% off', vi: 'Sắp hết: giảm 5%' },
        label: { en: '5% off', vi: 'Giảm 5%' },
        status: 'active',
        requires_coupon: true,
        target: { kind: 'order' },
        discount: { kind: 'percentage', percent: 5 },
      },
    });
    expect(promo.status).toBe(201);
    const code = `GONE${Date.now().toString(36).toUpperCase()}`;
    expect((await call('POST', `/promotions/${id}/coupons`, { token: staff, json: { code } })).status).toBe(
      201,
    );
    const { cartId, slot } = await cartWith([{ sku: piece.sku, qty: 1 }], [code]);
    // Staff withdraw it between the cart and the checkout.
    expect((await call('DELETE', `/promotions/${id}`, { token: staff })).status).toBe(204);
    const placed = await checkout(cartId, slot, 'momo');
    expect(placed.status).toBe(202);
    const order = await until(placed.body.id, (o) => o.status === 'cancelled' && o.settled);
    expect(order.status).toBe('cancelled');
    expect(order.reason.message.en.length).toBeGreaterThan(0);
    expect(order.reason.message.vi).not.toBe(order.reason.message.en);
    expect(order.payment.next_action).toBeNull();
    await expectConsistent([order.id]);
    await call('DELETE', `/carts/${cartId}/coupons/${code}`);
    await call('DELETE', `/carts/${cartId}/lines/${piece.sku}`);
  });

  it('the provider\'s notification racing the customer\'s "I paid" and retried checkouts: one order, one payment, authorised once', async () => {
    const { cartId, slot } = await cartWith([{ sku: piece.sku, qty: 1 }]);
    const key = randomUUID();
    const placed = await checkout(cartId, slot, 'momo', key);
    expect(placed.body.status).toBe('awaiting_payment');
    const paymentId = placed.body.payment.id as string;
    const [, , ...retries] = await Promise.all([
      sim('/_sim/pay', { orderId: paymentId, action: 'approve' }),
      call('POST', `/payments/${paymentId}/confirm`),
      checkout(cartId, slot, 'momo', key),
      checkout(cartId, slot, 'momo', key),
      checkout(cartId, slot, 'momo', key),
    ]);
    for (const r of retries) expect([r.status, r.body.id]).toEqual([202, placed.body.id]);
    const order = await until(placed.body.id, (o) => o.status === 'confirmed');
    expect(order.status).toBe('confirmed');
    const db = platform.db.pool;
    // One order for the key, and the cart's only live one (its earlier orders were cancelled).
    const orders = await db.query(
      `SELECT count(*) FILTER (WHERE idempotency_key = $2)::int AS keyed,
              count(*) FILTER (WHERE status <> 'cancelled')::int AS n
         FROM orders.orders WHERE cart_id = $1`,
      [cartId, key],
    );
    expect(orders.rows[0].keyed).toBe(1);
    expect(orders.rows[0].n).toBe(1);
    const payments = await db.query(`SELECT id, stage FROM payment.payments WHERE order_id = $1`, [order.id]);
    expect(payments.rows).toEqual([{ id: paymentId, stage: 'authorised' }]);
    const moves = await db.query(
      `SELECT kind, count(*)::int AS n FROM payment.ledger WHERE payment_id = $1 GROUP BY kind ORDER BY kind`,
      [paymentId],
    );
    expect(moves.rows).toEqual([{ kind: 'authorised', n: 1 }]);
    await expectConsistent([order.id]);
  });

  it('refuses bad checkouts before holding anything', async () => {
    const { cartId, slot } = await cartWith([{ sku: piece.sku, qty: 1 }]);
    const body = {
      cart_id: cartId,
      fulfilment: { kind: 'delivery', slot },
      address_id: addressId,
      payment_method: 'cod',
    };
    const post = (
      json: unknown,
      headers: Record<string, string> = { 'idempotency-key': randomUUID() },
      token?: string,
    ) => call('POST', '/checkout', { json, headers, ...(token ? { token } : {}) });
    const before = await platform.db.pool.query(`SELECT count(*)::int AS n FROM orders.orders`);
    expect((await post(body, {})).status).toBe(400); // no Idempotency-Key
    expect((await post({ ...body, payment_method: 'paypal' })).status).toBe(400);
    expect((await post({ ...body, cart_id: randomUUID() })).status).toBe(404);
    expect((await post({ ...body, address_id: undefined })).status).toBe(400);
    expect(
      (await post({ ...body, fulfilment: { kind: 'delivery', slot: slot.replace(/:\d{4}$/, ':0300') } }))
        .status,
    ).toBe(400);
    expect((await post({ ...body, fulfilment: { kind: 'pickup', slot } })).status).toBe(400);
    expect((await post(body, { 'idempotency-key': randomUUID() }, platform.tokens.staff)).status).toBe(404);
    const key = randomUUID();
    expect((await post(body, { 'idempotency-key': key })).status).toBe(202);
    expect((await post({ ...body, payment_method: 'momo' }, { 'idempotency-key': key })).status).toBe(409);
    const after = await platform.db.pool.query(`SELECT count(*)::int AS n FROM orders.orders`);
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
  });
});

/**
 * An order after confirmation, end to end on the whole platform (every function in its own
 * process behind the gateway, events through the local router, MoMo, VNPay and Stripe by their
 * simulators, the store's own riders), on every payment rail: staff pick it (a weighed line at its actual grams), a short line gets a substitute
 * the customer approves, rejects or leaves to expire; packing captures the final amount (less than
 * the hold, once); delivery dispatches it, the rider delivers, the order completes; staff refund
 * a line; a confirmed order the customer cancels gives its stock, window, coupon uses and payment
 * back. The checker reads every schema after each.
 */
import { randomUUID } from 'node:crypto';
import { startPlatform, type Platform } from '../../scripts/testing/hostile/platform';
import { productBody, weightedBody } from '../catalog/testing';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { checkOrders, settledSagas } from './testing/checker';
import {
  benThanhAddress,
  caller,
  MOMO_ENV,
  momoSim,
  paymentSimulatorsOff,
  paymentSimulatorsTo,
  simPost,
  sleep,
  stocked,
  STRIPE_ENV,
  STRIPE_SIM,
  VNPAY_ENV,
  VNPAY_SIM,
  type Call,
} from './testing/shoppers';

const stripeSim = simPost(STRIPE_SIM);
const vnpaySim = simPost(VNPAY_SIM);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let platform: Platform;
let call: Call;
let staff: string;
let addressId: string;
const sku = { milk: '', pork: '', tea: '', sub: '', bread: '' };

const sim = momoSim;

/** Polls the order until `done` holds (20 s at most). */
async function until(id: string, done: (o: Json) => boolean, ms = 20_000): Promise<Json> {
  const stop = Date.now() + ms;
  for (;;) {
    const o = (await call('GET', `/orders/${id}`)).body;
    if (done(o) || Date.now() > stop) return o;
    await sleep(100);
  }
}

/** A confirmed order of `lines`, paid with `method` (MoMo approved in the simulator). */
async function confirmed(
  lines: Json[],
  method: 'momo' | 'vnpay' | 'stripe' | 'cod',
  pickup = false,
): Promise<Json> {
  const cart = (await call('GET', '/me/cart')).body;
  for (const l of lines)
    expect((await call('POST', `/carts/${cart.id}/lines`, { json: l })).status).toBe(200);
  const date = addDays(localDateOf(new Date()), 1);
  const day = await call(
    'GET',
    pickup ? `/slots?pickup=ch-quan-1&date=${date}` : `/slots?address_id=${addressId}&date=${date}`,
  );
  const window = day.body.windows.find((w: Json) => w.status === 'available');
  const placed = await call('POST', '/checkout', {
    json: {
      cart_id: cart.id,
      fulfilment: { kind: pickup ? 'pickup' : 'delivery', slot: window.id },
      ...(pickup ? {} : { address_id: addressId }),
      payment_method: method,
    },
    headers: { 'idempotency-key': randomUUID(), prefer: 'wait=20' },
  });
  expect(placed.status).toBe(202);
  if (method === 'momo') await sim('/_sim/pay', { orderId: placed.body.payment.id, action: 'approve' });
  if (method === 'stripe') {
    // What Stripe.js does with the client secret; Stripe's webhook reaches the payment function.
    const { rows } = await platform.db.pool.query(`SELECT provider_ref FROM payment.payments WHERE id = $1`, [
      placed.body.payment.id,
    ]);
    expect(placed.body.payment.next_action).toBe('client_secret');
    expect((await stripeSim('/_sim/confirm', { id: rows[0].provider_ref, outcome: 'approve' })).status).toBe(
      200,
    );
  }
  if (method === 'vnpay') {
    // The customer's browser opens the signed page, then approves: VNPay charges at once (an IPN).
    const url = new URL(placed.body.payment.redirect_url);
    expect((await fetch(url)).status).toBe(200);
    const txn = url.searchParams.get('vnp_TxnRef')!;
    expect((await vnpaySim(`/_sim/pay/${txn}`, { outcome: 'approve', follow: false })).status).toBe(200);
  }
  const order = await until(placed.body.id, (o) => o.status === 'confirmed');
  expect(order.status).toBe('confirmed');
  // The cart is checked out by order.confirmed: wait, so the next order starts a new one.
  for (const stop = Date.now() + 10_000; Date.now() < stop; await sleep(100))
    if ((await call('GET', '/me/cart')).body.id !== cart.id) break;
  return order;
}

const as = (token: string) => ({ token });
const staffPost = (path: string, json?: unknown) =>
  call('POST', path, { ...as(staff), ...(json === undefined ? {} : { json }) });

/** The substitute of `line` on the order once it is in `state`. */
async function substitute(id: string, line: string, state: string): Promise<Json> {
  const o = await until(id, (x) => x.picking?.find((l: Json) => l.sku === line)?.substitute?.state === state);
  const sub = o.picking.find((l: Json) => l.sku === line).substitute;
  if (sub?.state !== state)
    throw new Error(`substitute of ${line}: ${JSON.stringify(o.picking)} ${JSON.stringify(o.attention)}`);
  return sub;
}

async function expectConsistent(ids: string[]) {
  expect(await settledSagas(platform.db.pool, 20_000)).toBe(0);
  expect(await checkOrders(platform.db.pool, ids)).toEqual([]);
}

async function available(s: string): Promise<number> {
  const { rows } = await platform.db.pool.query(
    `SELECT coalesce(sum(on_hand), 0)::int AS n FROM inventory.lots WHERE sku = $1 AND location = 'ch-quan-1'`,
    [s],
  );
  return rows[0].n as number;
}

/** The rider (own fleet) takes the order out and delivers it, collecting `cod` in cash. */
async function deliver(id: string, cod?: number) {
  const o = await until(id, (x) => !!x.tracking?.carrier);
  expect(o.tracking.carrier).toBe('own_fleet');
  const trip = `/deliveries/${o.tracking.delivery_id}/status`;
  expect((await staffPost(trip, { status: 'picked_up' })).status).toBe(200);
  expect((await until(id, (x) => x.status === 'out_for_delivery')).status).toBe('out_for_delivery');
  expect(
    (await staffPost(trip, { status: 'delivered', ...(cod !== undefined ? { cod_collected_vnd: cod } : {}) }))
      .status,
  ).toBe(200);
  return until(id, (x) => x.status === 'completed');
}

beforeAll(async () => {
  platform = await startPlatform({
    events: true,
    env: {
      payment: { ...MOMO_ENV, ...VNPAY_ENV, ...STRIPE_ENV },
      order: { ORDER_TICK_MS: '200', ORDER_SUBSTITUTION_WINDOW_S: '6' },
    },
  });
  const gw = platform.gateway.url;
  call = caller(gw, platform.tokens.customer);
  staff = platform.tokens.staff;
  await paymentSimulatorsTo(gw);
  addressId = await benThanhAddress(call, platform.tokens.customer, 7);
  const api = caller(gw);
  const add = async (name: keyof typeof sku, body: Json, qty: number) => {
    sku[name] = (await stocked(api, staff, body, qty)).sku;
  };
  await add('milk', productBody('TU-910001'), 50);
  await add('pork', weightedBody('TU-910002'), 20_000);
  await add('tea', productBody('TU-910003'), 20);
  await add('sub', productBody('TU-910004'), 20);
  await add('bread', productBody('TU-910005'), 20);
}, 240_000);

afterAll(async () => {
  await paymentSimulatorsOff();
  await platform?.stop();
});

describe('after confirmation', () => {
  it('picked with a weighed line and an approved substitute, captured at the final amount, delivered, completed, a line refunded', async () => {
    const order = await confirmed(
      [
        { sku: sku.milk, qty: 2 },
        { sku: sku.pork, grams: 500 },
        { sku: sku.tea, qty: 1 },
      ],
      'momo',
    );
    const id = order.id as string;
    // Only staff pick, and only a confirmed order.
    expect((await call('POST', `/orders/${id}/picking`)).status).toBe(403);
    expect((await staffPost(`/orders/${id}/pack`)).status).toBe(409);
    expect((await staffPost(`/orders/${id}/picking`)).body.status).toBe('picking');
    expect((await call('POST', `/orders/${id}/cancel`)).status).toBe(409);

    expect((await staffPost(`/orders/${id}/lines/${sku.milk}/pick`, { qty: 3 })).status).toBe(400);
    expect((await staffPost(`/orders/${id}/lines/${sku.milk}/pick`, { grams: 2 })).status).toBe(400);
    expect((await staffPost(`/orders/${id}/lines/${sku.milk}/pick`, { qty: 2 })).status).toBe(200);
    expect((await staffPost(`/orders/${id}/lines/${sku.pork}/pick`, { grams: 540 })).status).toBe(200);
    expect((await staffPost(`/orders/${id}/lines/TU-000000/pick`, { qty: 1 })).status).toBe(404);
    const shorted = await staffPost(`/orders/${id}/lines/${sku.tea}/short`, {
      substitute: { sku: sku.sub, qty: 1 },
    });
    expect(shorted.status).toBe(200);
    const sub = await substitute(id, sku.tea, 'proposed');
    const tea = order.quote.lines.find((l: Json) => l.sku === sku.tea);
    expect(sub.price_vnd).toBeLessThanOrEqual(tea.total_vnd);
    expect(new Date(sub.deadline_at).getTime()).toBeGreaterThan(Date.now());
    expect((await staffPost(`/orders/${id}/pack`)).status).toBe(409); // waiting for the customer
    expect((await staffPost(`/orders/${id}/substitutions/${sku.tea}`, { decision: 'approve' })).status).toBe(
      403,
    );
    expect(
      (await call('POST', `/orders/${id}/substitutions/${sku.tea}`, { json: { decision: 'approve' } }))
        .status,
    ).toBe(200);
    expect(
      (await call('POST', `/orders/${id}/substitutions/${sku.tea}`, { json: { decision: 'reject' } })).status,
    ).toBe(409);

    const packed = await staffPost(`/orders/${id}/pack`);
    expect(packed.status).toBe(200);
    const q = order.quote;
    const est = (s: string) => q.lines.find((l: Json) => l.sku === s).total_vnd as number;
    const delivery = q.totals.total_vnd - q.lines.reduce((t: number, l: Json) => t + l.total_vnd, 0);
    const final = est(sku.milk) + Math.round((est(sku.pork) * 540) / 500) + sub.price_vnd + delivery;
    expect(packed.body).toMatchObject({ status: 'packed', final_vnd: final });
    expect(packed.body.bill.lines.find((l: Json) => l.sku === sku.pork).difference_vnd).toBe(
      Math.round((est(sku.pork) * 540) / 500) - est(sku.pork),
    );
    expect(final).toBeLessThanOrEqual(order.payment.amount_vnd);

    const captured = await until(id, (o) => o.captured_vnd > 0);
    expect(captured.captured_vnd).toBe(final);
    const payment = await platform.db.pool.query(
      `SELECT captured_vnd::float8 AS c, authorised_vnd::float8 AS a FROM payment.payments WHERE id = $1`,
      [order.payment.id],
    );
    expect(payment.rows[0].c).toBe(final);

    const done = await deliver(id);
    expect(done.status).toBe('completed');
    expect(done.tracking.status).toBe('delivered');

    const refund = { id: 'damaged-milk', skus: [sku.milk], reason: 'damaged' };
    expect((await staffPost(`/orders/${id}/refunds`, { ...refund, amount_vnd: 1 })).status).toBe(400);
    expect((await call('POST', `/orders/${id}/refunds`, { json: refund })).status).toBe(403);
    expect((await staffPost(`/orders/${id}/refunds`, refund)).status).toBe(202);
    expect((await staffPost(`/orders/${id}/refunds`, refund)).status).toBe(202); // the same id: once
    const refunded = await until(id, (o) => o.status === 'partially_refunded');
    expect(refunded.refund_vnd).toBe(est(sku.milk));
    expect(refunded.refunds).toHaveLength(1);
    expect(
      (await staffPost(`/orders/${id}/refunds`, { id: 'again', skus: [sku.milk], reason: 'damaged' })).status,
    ).toBe(409);
    await expectConsistent([id]);
  });

  it('cash on delivery: a rejected substitute and one left to expire are not charged; the rider collects the final amount', async () => {
    const order = await confirmed(
      [
        { sku: sku.milk, qty: 1 },
        { sku: sku.tea, qty: 1 },
        { sku: sku.bread, qty: 1 },
      ],
      'cod',
    );
    const id = order.id as string;
    const subBefore = await available(sku.sub);
    expect((await staffPost(`/orders/${id}/picking`)).status).toBe(200);
    expect((await staffPost(`/orders/${id}/lines/${sku.milk}/pick`, { qty: 1 })).status).toBe(200);
    const shorted = await staffPost(`/orders/${id}/lines/${sku.tea}/short`, {
      substitute: { sku: sku.sub, qty: 1 },
    });
    expect([shorted.status, shorted.body.detail]).toEqual([200, undefined]);
    await substitute(id, sku.tea, 'proposed');
    expect(
      (await call('POST', `/orders/${id}/substitutions/${sku.tea}`, { json: { decision: 'reject' } })).status,
    ).toBe(200);
    expect(
      (await staffPost(`/orders/${id}/lines/${sku.bread}/short`, { substitute: { sku: sku.sub, qty: 2 } }))
        .status,
    ).toBe(200);
    await substitute(id, sku.bread, 'proposed');
    const expired = await substitute(id, sku.bread, 'expired');
    expect(expired.state).toBe('expired');
    const packed = await staffPost(`/orders/${id}/pack`);
    expect(packed.status).toBe(200);
    const q = order.quote;
    const milk = q.lines.find((l: Json) => l.sku === sku.milk).total_vnd as number;
    const delivery = q.totals.total_vnd - q.lines.reduce((t: number, l: Json) => t + l.total_vnd, 0);
    expect(packed.body.final_vnd).toBe(milk + delivery);
    const done = await deliver(id, packed.body.final_vnd);
    expect(done).toMatchObject({ status: 'completed', captured_vnd: milk + delivery });
    // Both substitutes' reservations were released: the substitute's stock is whole again.
    await expectConsistent([id]);
    expect(await available(sku.sub)).toBe(subBefore);
    const held = await platform.db.pool.query(
      `SELECT status FROM inventory.reservations WHERE id LIKE $1 ORDER BY id`,
      [`${id}.s%`],
    );
    expect(held.rows.map((r) => r.status)).toEqual(['released', 'released']);
  });

  it('VNPay, charged at checkout: a weighed line picked light is captured at its grams and the difference refunded, once', async () => {
    const order = await confirmed([{ sku: sku.pork, grams: 1_000 }], 'vnpay');
    const id = order.id as string;
    expect(order.payment.amount_vnd).toBeGreaterThan(order.total_vnd); // the weighed margin
    await staffPost(`/orders/${id}/picking`);
    expect((await staffPost(`/orders/${id}/lines/${sku.pork}/pick`, { grams: 900 })).status).toBe(200);
    const packed = (await staffPost(`/orders/${id}/pack`)).body;
    const q = order.quote;
    const line = q.lines[0].total_vnd as number;
    expect(packed.final_vnd).toBe(q.totals.total_vnd - line + Math.round((line * 900) / 1_000));
    const captured = await until(id, (o) => o.captured_vnd > 0);
    expect(captured.captured_vnd).toBe(packed.final_vnd);
    const pay = await platform.db.pool.query(
      `SELECT captured_vnd::float8 AS c, refunded_vnd::float8 AS r FROM payment.payments WHERE id = $1`,
      [order.payment.id],
    );
    // VNPay charged what the payment asked for (the estimate and the margin); the rest went back.
    expect(pay.rows[0].c - pay.rows[0].r).toBe(packed.final_vnd);
    expect(pay.rows[0].c).toBe(order.payment.amount_vnd);
    expect((await deliver(id)).status).toBe('completed');
    await expectConsistent([id]);
  });

  it('Stripe, held by card: captured at the final amount with a line picked short, once', async () => {
    const order = await confirmed([{ sku: sku.milk, qty: 3 }], 'stripe');
    const id = order.id as string;
    await staffPost(`/orders/${id}/picking`);
    expect((await staffPost(`/orders/${id}/lines/${sku.milk}/pick`, { qty: 2 })).status).toBe(200);
    const packed = (await staffPost(`/orders/${id}/pack`)).body;
    const line = order.quote.lines[0].total_vnd as number;
    expect(packed.final_vnd).toBe(order.quote.totals.total_vnd - line + Math.round((line * 2) / 3));
    const captured = await until(id, (o) => o.captured_vnd > 0);
    expect(captured.captured_vnd).toBe(packed.final_vnd);
    expect((await deliver(id)).status).toBe('completed');
    await expectConsistent([id]);
  });

  it('picked up at the store, cash at the counter: ready with a code, collected against it, paid, completed', async () => {
    const order = await confirmed([{ sku: sku.bread, qty: 2 }], 'cod', true);
    const id = order.id as string;
    await staffPost(`/orders/${id}/picking`);
    expect((await staffPost(`/orders/${id}/lines/${sku.bread}/pick`, { qty: 2 })).status).toBe(200);
    const packed = (await staffPost(`/orders/${id}/pack`)).body;
    expect(packed.status).toBe('packed');
    const pickup = `/deliveries/${packed.tracking.delivery_id}`;
    for (const stop = Date.now() + 10_000; Date.now() < stop; await sleep(100))
      if ((await call('GET', pickup, as(staff))).status === 200) break;
    expect((await staffPost(`${pickup}/ready`)).status).toBe(200);
    expect((await until(id, (o) => o.status === 'ready_for_pickup')).status).toBe('ready_for_pickup');
    // The code reaches the customer in pickup.ready (the notification function sends it).
    const { rows } = await platform.db.pool.query(
      `SELECT event->'data'->>'pickup_code' AS code FROM delivery.outbox
        WHERE event->>'type' = 'io.tuoi.delivery.pickup.ready.v1' AND event->'data'->>'order_id' = $1`,
      [id],
    );
    expect((await staffPost(`${pickup}/collect`, { code: rows[0].code })).status).toBe(200);
    const done = await until(id, (o) => o.status === 'completed');
    // The cash taken at the counter settles the COD payment (delivery's cod.collected).
    expect(done).toMatchObject({ status: 'completed', captured_vnd: packed.final_vnd });
    await expectConsistent([id]);
  });

  it('a delivery that comes back to the store: cancelled, stock put back, the capture refunded', async () => {
    const before = await available(sku.tea);
    const order = await confirmed([{ sku: sku.tea, qty: 2 }], 'momo');
    const id = order.id as string;
    await staffPost(`/orders/${id}/picking`);
    await staffPost(`/orders/${id}/lines/${sku.tea}/pick`, { qty: 2 });
    await staffPost(`/orders/${id}/pack`);
    const o = await until(id, (x) => !!x.tracking?.carrier && x.captured_vnd > 0);
    const trip = `/deliveries/${o.tracking.delivery_id}/status`;
    for (const status of ['picked_up', 'failed', 'returning', 'returned'])
      expect(
        (await staffPost(trip, { status, ...(status === 'failed' ? { reason: 'Không liên lạc được' } : {}) }))
          .status,
      ).toBe(200);
    const cancelled = await until(id, (x) => x.status === 'cancelled');
    expect(cancelled.reason.code).toBe('delivery_returned');
    await expectConsistent([id]);
    const after = await until(id, (x) => x.refund_vnd > 0);
    expect(after.refund_vnd).toBe(o.captured_vnd);
    expect(await available(sku.tea)).toBe(before);
  });

  it('cancelled by the customer after confirmation: stock put back, window, coupon use and payment released', async () => {
    const before = await available(sku.milk);
    const order = await confirmed([{ sku: sku.milk, qty: 3 }], 'momo');
    expect(await available(sku.milk)).toBe(before - 3);
    const cancelled = await call('POST', `/orders/${order.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: { code: 'customer_cancelled' } });
    expect((await call('POST', `/orders/${order.id}/cancel`)).status).toBe(200); // already: the same answer
    await expectConsistent([order.id]);
    expect(await available(sku.milk)).toBe(before);
    const hold = await platform.db.pool.query(`SELECT state FROM delivery.slot_holds WHERE id = $1`, [
      order.fulfilment.hold_id,
    ]);
    expect(hold.rows[0].state).toBe('released');
    const pay = await platform.db.pool.query(`SELECT stage FROM payment.payments WHERE id = $1`, [
      order.payment.id,
    ]);
    expect(pay.rows[0].stage).toBe('voided');
  });
});

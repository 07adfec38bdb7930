/**
 * The cart function against real servers, once per storage adapter (PostgreSQL and Redis): it
 * runs beside real promotions and inventory functions (lean hosts on one test database), receives
 * products as signed catalog events, and is driven over HTTP as guests, customers and staff.
 */
import { randomUUID } from 'node:crypto';
import { orderConfirmed, productCreated, productUpdated, type ProductSnapshot } from '../../events';
import { staffToken, TEST_AUTH_ENV, userToken } from '../shared/auth/testing';
import { serviceEnv } from '../shared/clients/testing/service-env';
import { buildEvent } from '../shared/eventing/outbox';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { createInventory } from '../inventory/deps';
import { addTestSkus } from '../inventory/testing';
import { createPromotions } from '../promotions/deps';
import { product } from '../promotions/testing-http';
import { abandonedUseCases } from './abandoned';
import { createCart } from './deps';
import { pgCartStore } from './pg-store';
import { redisCartStore } from './redis-store';
import { createRedis } from '../shared/clients/redis';
import { unitOfWork } from '../shared/unit-of-work';

const STORE = 'q1-ben-thanh';
const REDIS_URL = serviceEnv('REDIS_URL');

interface View {
  id: string;
  version: number;
  token?: string;
  lines: {
    sku: string;
    qty?: number;
    grams?: number;
    note?: string;
    available: number | null;
    flags: { not_on_sale: boolean; price_changed: boolean; out_of_stock: boolean; short: boolean };
    unit_price_vnd: number | null;
  }[];
  quote: null | {
    lines: { sku: string; total_vnd: number }[];
    totals: { total_vnd: number; discount_vnd: number };
    coupons: { code: string; status: string; reason?: { code: string } }[];
  };
  merge?: { capped: string[]; dropped: string[] };
  errors?: { field: string; code: string }[];
}

let db: TestDatabase;
let promotions: LeanServer;
let inventory: LeanServer;
const url = (s: LeanServer) => `http://127.0.0.1:${s.port}`;

const CATALOG: ProductSnapshot[] = [
  product('TU-MILK-1', { price_vnd: 32_000 }),
  product('TU-RICE-1', { price_vnd: 120_000 }),
  product('TU-PORK-1-W', {
    sold_by: 'weight',
    unit: 'kg',
    price_vnd: 75_000,
    price_per_kg_vnd: 150_000,
    nominal_weight_g: 500,
    tax_category: 'VAT5',
  }),
  product('TU-OLD-1', { status: 'discontinued' }),
  product('TU-GONE-1'),
  product('TU-GONE-2'),
  ...Array.from({ length: 50 }, (_, i) =>
    product(`TU-BULK-${String(i).padStart(3, '0')}`, { price_vnd: 5_000 + i }),
  ),
];

async function deliver(base: string, fn: string, ...products: ProductSnapshot[]) {
  for (const p of products) {
    const res = await signedDelivery(
      base,
      fn,
      buildEvent(p.version > 1 ? productUpdated : productCreated, p),
    );
    if (res.status >= 300) throw new Error(`${fn} refused ${p.sku}: ${res.status} ${await res.text()}`);
  }
}

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 10 });
  const env = { DATABASE_URL: db.url, ...TEST_AUTH_ENV };
  promotions = await serveLean(
    { name: 'promotions', create: createPromotions },
    { port: 0, env: { ...env, ...eventAuthEnv('promotions'), PROMOTIONS_CACHE_MS: '0' } },
  );
  inventory = await serveLean(
    { name: 'inventory', create: createInventory },
    { port: 0, env: { ...env, ...eventAuthEnv('inventory') } },
  );
  await deliver(url(promotions), 'promotions', ...CATALOG);
  await addTestSkus(
    db.pool,
    CATALOG.map((p) => p.sku),
    { weighted: ['TU-PORK-1-W'] },
  );
  const receive = (lot: string, sku: string, quantity: number) =>
    fetch(`${url(inventory)}/stock/receive`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staffToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ lot_id: lot, sku, location: STORE, quantity }),
    }).then((r) => expect(r.status).toBe(201));
  await receive('LOT-MILK', 'TU-MILK-1', 100);
  // A first-order coupon: 20,000 ₫ off a first order of 100,000 ₫ or more.
  const staff = { authorization: `Bearer ${staffToken()}`, 'content-type': 'application/json' };
  const created = await fetch(`${url(promotions)}/promotions`, {
    method: 'POST',
    headers: staff,
    body: JSON.stringify({
      id: 'welcome-first',
      name: { en: 'Welcome', vi: 'Chào bạn mới' },
      label: { en: '20,000 ₫ off', vi: 'Giảm 20.000 ₫' },
      status: 'active',
      requires_coupon: true,
      target: { kind: 'order' },
      discount: { kind: 'amount_off', amount_vnd: 20_000, allocation: 'across' },
      conditions: { min_order_value_vnd: 100_000, first_order: true },
    }),
  });
  expect(created.status).toBe(201);
  const code = await fetch(`${url(promotions)}/promotions/welcome-first/coupons`, {
    method: 'POST',
    headers: staff,
    body: JSON.stringify({ code: 'welcome-first' }),
  });
  expect(code.status).toBe(201);
  await receive('LOT-RICE', 'TU-RICE-1', 2);
}, 60_000);

afterAll(async () => {
  await promotions?.close();
  await inventory?.close();
  await db?.drop();
});

describe.each(['postgres', 'redis'] as const)('cart on %s', (kind) => {
  let cart: LeanServer;
  let base: string;
  const prefix = `test:cart:${randomUUID()}:`;

  const call = async (
    method: string,
    path: string,
    opts: { json?: unknown; token?: string; bearer?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers['x-cart-token'] = opts.token;
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
    });
    const text = await res.text();
    return {
      status: res.status,
      etag: res.headers.get('etag'),
      body: (text ? JSON.parse(text) : {}) as View,
    };
  };
  const guest = async () => {
    const res = await call('POST', '/carts');
    expect(res.status).toBe(201);
    return { id: res.body.id, token: res.body.token! };
  };

  beforeAll(async () => {
    cart = await serveLean(
      { name: 'cart', create: createCart },
      {
        port: 0,
        env: {
          DATABASE_URL: db.url,
          ...TEST_AUTH_ENV,
          ...eventAuthEnv('cart'),
          CART_STORE: kind,
          REDIS_URL,
          CART_REDIS_PREFIX: prefix,
          CART_PROMOTIONS_URL: url(promotions),
          CART_INVENTORY_URL: url(inventory),
          CART_SCAN_MS: '600000',
        },
      },
    );
    base = url(cart);
    if (kind === 'postgres') await deliver(base, 'cart', ...CATALOG);
  });
  afterAll(async () => {
    await cart?.close();
  });

  it('a guest cart opens only with its token; a forged access token is a 401', async () => {
    const { id, token } = await guest();
    expect(
      (await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-MILK-1', qty: 2 }, token })).status,
    ).toBe(200);
    expect((await call('GET', `/carts/${id}`, { token })).body.lines).toMatchObject([
      { sku: 'TU-MILK-1', qty: 2 },
    ]);
    expect((await call('GET', `/carts/${id}`)).status).toBe(404);
    expect((await call('GET', `/carts/${id}`, { token: `${id}.${'A'.repeat(43)}` })).status).toBe(404);
    expect((await call('GET', `/carts/${id}`, { bearer: userToken() })).status).toBe(404);
    expect((await call('GET', `/carts/${id}`, { bearer: staffToken() })).status).toBe(200);
    expect(
      (await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-RICE-1', qty: 1 }, bearer: staffToken() }))
        .status,
    ).toBe(404);
    expect((await call('GET', `/carts/${id}`, { bearer: `${staffToken()}x` })).status).toBe(401);
  });

  it('50 concurrent adds of 50 SKUs give 50 lines; 50 concurrent adds of one SKU give 50', async () => {
    const { id, token } = await guest();
    const skus = CATALOG.filter((p) => p.sku.startsWith('TU-BULK')).map((p) => p.sku);
    const adds = await Promise.all(
      skus.map((sku) => call('POST', `/carts/${id}/lines`, { json: { sku, qty: 1 }, token })),
    );
    expect(adds.map((a) => a.status)).toEqual(skus.map(() => 200));
    const after = await call('GET', `/carts/${id}`, { token });
    expect(after.body.lines.map((l) => l.sku).sort()).toEqual(skus);

    const one = await guest();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        call('POST', `/carts/${one.id}/lines`, { json: { sku: 'TU-MILK-1', qty: 1 }, token: one.token }),
      ),
    );
    expect((await call('GET', `/carts/${one.id}`, { token: one.token })).body.lines).toMatchObject([
      { sku: 'TU-MILK-1', qty: 50 },
    ]);
  });

  it('merges a guest cart on sign-in once: repeated and from two devices at once, no line lost', async () => {
    const customer = randomUUID();
    const bearer = userToken({ sub: customer });
    const mine = await call('POST', '/carts', { bearer });
    await call('POST', `/carts/${mine.body.id}/lines`, { json: { sku: 'TU-MILK-1', qty: 3 }, bearer });
    const g = await guest();
    await call('POST', `/carts/${g.id}/lines`, { json: { sku: 'TU-MILK-1', qty: 2 }, token: g.token });
    await call('POST', `/carts/${g.id}/lines`, { json: { sku: 'TU-PORK-1-W', grams: 300 }, token: g.token });
    const [a, b] = await Promise.all([
      call('GET', '/me/cart', { bearer, token: g.token }),
      call('GET', '/me/cart', { bearer, token: g.token }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const again = await call('GET', '/me/cart', { bearer, token: g.token });
    for (const view of [a, b, again]) expect(view.body.id).toBe(mine.body.id);
    expect(again.body.lines.map((l) => [l.sku, l.qty ?? l.grams])).toEqual([
      ['TU-MILK-1', 5],
      ['TU-PORK-1-W', 300],
    ]);
    const closed = await call('POST', `/carts/${g.id}/lines`, {
      json: { sku: 'TU-RICE-1', qty: 1 },
      token: g.token,
    });
    expect(closed.status).toBe(409);
  });

  it('a merge cut off after freezing the guest cart is finished by the next sign-in, once', async () => {
    const customer = randomUUID();
    const bearer = userToken({ sub: customer });
    const mine = await call('GET', '/me/cart', { bearer });
    const g = await guest();
    await call('POST', `/carts/${g.id}/lines`, { json: { sku: 'TU-RICE-1', qty: 2 }, token: g.token });
    // The crash: step 1 (freeze) landed, steps 2 and 3 did not.
    const redis = kind === 'redis' ? createRedis({ url: REDIS_URL }) : undefined;
    const store = redis
      ? redisCartStore(redis, { prefix, guestTtlMs: 86_400_000 })
      : pgCartStore(db.pool, 'carts');
    const frozen = (await store.get(g.id))!;
    const merging = {
      ...frozen,
      status: 'merging' as const,
      merged_into: mine.body.id,
      version: frozen.version + 1,
    };
    expect(await store.compareAndSet(merging, frozen.version)).toBe(true);
    expect(
      (await call('POST', `/carts/${g.id}/lines`, { json: { sku: 'TU-MILK-1', qty: 1 }, token: g.token }))
        .status,
    ).toBe(409);
    const resumed = await call('GET', '/me/cart', { bearer, token: g.token });
    const again = await call('GET', '/me/cart', { bearer, token: g.token });
    expect(resumed.body.lines.map((l) => [l.sku, l.qty])).toEqual([['TU-RICE-1', 2]]);
    expect(again.body.lines.map((l) => [l.sku, l.qty])).toEqual([['TU-RICE-1', 2]]);
    expect((await store.get(g.id))!.status).toBe('merged');
    await redis?.quit();
  });

  it('two devices of a customer with no cart yet get one cart', async () => {
    const bearer = userToken({ sub: randomUUID() });
    const views = await Promise.all(Array.from({ length: 8 }, () => call('GET', '/me/cart', { bearer })));
    expect(new Set(views.map((v) => v.body.id)).size).toBe(1);
  });

  it('prices on read exactly as POST /pricing/quote, and shows a new promotion and a new price on the next read', async () => {
    const { id, token } = await guest();
    await call('PUT', `/carts/${id}/fulfilment`, { json: { kind: 'pickup', location: STORE }, token });
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-MILK-1', qty: 2 }, token });
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-PORK-1-W', qty: 1 }, token });
    const direct = async () => {
      const res = await fetch(`${url(promotions)}/pricing/quote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          lines: [
            { sku: 'TU-MILK-1', qty: 2 },
            { sku: 'TU-PORK-1-W', grams: 500 },
          ],
          location: STORE,
        }),
      });
      const { priced_at: _at, ...quote } = (await res.json()) as Record<string, unknown>;
      return quote;
    };
    const fromCart = async () => {
      const view = await call('GET', `/carts/${id}`, { token });
      const { priced_at: _at, ...quote } = view.body.quote as unknown as Record<string, unknown>;
      return { view: view.body, quote };
    };
    const before = await fromCart();
    expect(before.quote).toEqual(await direct());

    const created = await fetch(`${url(promotions)}/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staffToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `milk-${kind}`,
        name: { en: 'Milk deal', vi: 'Ưu đãi sữa' },
        label: { en: '10% off', vi: 'Giảm 10%' },
        status: 'active',
        target: { kind: 'skus', skus: ['TU-MILK-1'] },
        discount: { kind: 'percentage', percent: 10 },
      }),
    });
    expect(created.status).toBe(201);
    // The announcement reaches the cart as an event (delivered here by hand, as the broker would).
    const activated = await db.pool.query(
      `SELECT event FROM promotions.outbox WHERE event->>'type' LIKE '%activated%' AND event->'data'->>'id' = $1`,
      [`milk-${kind}`],
    );
    expect((await signedDelivery(base, 'cart', activated.rows[0].event)).status).toBeLessThan(300);
    const promoted = await fromCart();
    expect(promoted.quote).toEqual(await direct());
    expect(promoted.view.quote!.totals.discount_vnd).toBeGreaterThan(before.view.quote!.totals.discount_vnd);

    const dearer = {
      ...CATALOG[0]!,
      price_vnd: kind === 'postgres' ? 35_000 : 36_000,
      version: kind === 'postgres' ? 2 : 3,
    };
    await deliver(url(promotions), 'promotions', dearer);
    await deliver(base, 'cart', dearer);
    const repriced = await fromCart();
    expect(repriced.view.lines[0]).toMatchObject({
      unit_price_vnd: dearer.price_vnd,
      flags: { price_changed: true },
    });
    expect(repriced.quote).toEqual(await direct());
  });

  it('flags a line whose product was discontinued after it was added, and prices the rest', async () => {
    const { id, token } = await guest();
    const sku = kind === 'postgres' ? 'TU-GONE-1' : 'TU-GONE-2';
    await call('POST', `/carts/${id}/lines`, { json: { sku, qty: 1 }, token });
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-RICE-1', qty: 1 }, token });
    const gone = { ...CATALOG.find((p) => p.sku === sku)!, status: 'discontinued' as const, version: 2 };
    await deliver(base, 'cart', gone);
    const view = await call('GET', `/carts/${id}`, { token });
    expect(view.body.lines.map((l) => [l.sku, l.flags.not_on_sale])).toEqual([
      [sku, true],
      ['TU-RICE-1', false],
    ]);
    expect(view.body.quote!.lines.map((l) => l.sku)).toEqual(['TU-RICE-1']);
  });

  it('flags stock at the chosen store: enough, short and out of stock', async () => {
    const { id, token } = await guest();
    await call('PUT', `/carts/${id}/fulfilment`, { json: { kind: 'pickup', location: STORE }, token });
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-MILK-1', qty: 3 }, token });
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-RICE-1', qty: 5 }, token });
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-BULK-000', qty: 1 }, token });
    const view = await call('GET', `/carts/${id}`, { token });
    expect(view.body.lines.map((l) => [l.sku, l.available, l.flags.short, l.flags.out_of_stock])).toEqual([
      ['TU-MILK-1', 100, false, false],
      ['TU-RICE-1', 2, true, false],
      ['TU-BULK-000', 0, false, true],
    ]);
  });

  it.each([
    ['an unknown SKU', { sku: 'TU-NOPE-1', qty: 1 }, 'unknown-sku'],
    ['a discontinued SKU', { sku: 'TU-OLD-1', qty: 1 }, 'not-on-sale'],
    ['zero pieces', { sku: 'TU-MILK-1', qty: 0 }, undefined],
    ['negative pieces', { sku: 'TU-MILK-1', qty: -2 }, undefined],
    ['fractional pieces', { sku: 'TU-MILK-1', qty: 1.5 }, undefined],
    ['grams off the step', { sku: 'TU-PORK-1-W', grams: 250 }, 'step'],
    ['an oversized note', { sku: 'TU-MILK-1', qty: 1, note: 'x'.repeat(201) }, undefined],
  ])('refuses %s with a 400 and changes nothing', async (_name, body, code) => {
    const { id, token } = await guest();
    const res = await call('POST', `/carts/${id}/lines`, { json: body, token });
    expect(res.status).toBe(400);
    if (code) expect(res.body.errors!.map((e) => e.code)).toContain(code);
    const after = await call('GET', `/carts/${id}`, { token });
    expect([after.body.version, after.body.lines]).toEqual([1, []]);
  });

  it('a coupon that does not apply is a 200 with the reason', async () => {
    const { id, token } = await guest();
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-MILK-1', qty: 1 }, token });
    const res = await call('POST', `/carts/${id}/coupons/nope-code`, { token });
    expect(res.status).toBe(200);
    expect(res.body.quote!.coupons).toEqual([
      expect.objectContaining({
        code: 'NOPE-CODE',
        status: 'rejected',
        reason: expect.objectContaining({ code: 'unknown_code' }),
      }),
    ]);
  });

  it('a first-order coupon applies to a customer who has not ordered yet, and stops once an order of theirs is confirmed', async () => {
    const sub = `first-order-${kind}-${randomUUID()}`;
    const bearer = userToken({ sub });
    const opened = await call('POST', '/carts', { bearer, json: {} });
    expect([200, 201]).toContain(opened.status);
    const id = opened.body.id;
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-MILK-1', qty: 4 }, bearer });
    const coupon = await call('POST', `/carts/${id}/coupons/welcome-first`, { bearer });
    expect(coupon.body.quote!.coupons).toEqual([
      expect.objectContaining({ code: 'WELCOME-FIRST', status: 'applied' }),
    ]);
    // Other tests' promotions may apply too: the coupon's own discount is its 20,000 ₫.
    expect(
      (coupon.body.quote as unknown as { applied: { promotion_id: string; amount_vnd: number }[] }).applied,
    ).toContainEqual(expect.objectContaining({ promotion_id: 'welcome-first', amount_vnd: 20_000 }));
    // A guest cart is never priced as a first order.
    const { id: guestId, token } = await guest();
    await call('POST', `/carts/${guestId}/lines`, { json: { sku: 'TU-MILK-1', qty: 4 }, token });
    const guestQuote = await call('POST', `/carts/${guestId}/coupons/welcome-first`, { token });
    expect(guestQuote.body.quote!.coupons).toEqual([
      expect.objectContaining({
        status: 'rejected',
        reason: expect.objectContaining({ code: 'first_order' }),
      }),
    ]);
    // Their order is confirmed (from another cart): the next cart is not a first order any more.
    const confirmed = await signedDelivery(
      base,
      'cart',
      buildEvent(orderConfirmed, {
        order_id: `ord-${randomUUID().replace(/-/g, '')}`,
        customer_id: sub,
        lang: 'vi',
        cart_id: randomUUID(),
        location: STORE,
        slot: 'hcm-quan-1:2026-12-08:1800',
        rail: 'cod',
        total_vnd: 100_000,
        authorised_vnd: 100_000,
        at: new Date().toISOString(),
      }),
    );
    expect(confirmed.status).toBeLessThan(300);
    await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-MILK-1', qty: 5 }, bearer });
    const after = await call('GET', `/carts/${id}`, { bearer });
    expect(after.body.quote!.coupons).toEqual([
      expect.objectContaining({
        status: 'rejected',
        reason: expect.objectContaining({ code: 'first_order' }),
      }),
    ]);
  });

  it("the customer's cart read with view=lines has its lines and no quote", async () => {
    const bearer = userToken({ sub: `lines-${kind}-${randomUUID()}` });
    const opened = await call('POST', '/carts', { bearer, json: {} });
    await call('POST', `/carts/${opened.body.id}/lines`, { json: { sku: 'TU-MILK-1', qty: 2 }, bearer });
    const lines = await call('GET', '/me/cart?view=lines', { bearer });
    expect(lines.status).toBe(200);
    expect(lines.body.lines).toMatchObject([{ sku: 'TU-MILK-1', qty: 2 }]);
    expect(lines.body.quote).toBeNull();
    expect((await call('GET', '/me/cart', { bearer })).body.quote).not.toBeNull();
  });

  it('If-Match: a stale version is a 412; the current one writes', async () => {
    const { id, token } = await guest();
    const first = await call('POST', `/carts/${id}/lines`, { json: { sku: 'TU-MILK-1', qty: 1 }, token });
    expect(first.etag).toBe('"c2"');
    expect(
      (
        await call('PUT', `/carts/${id}/lines/TU-MILK-1`, {
          json: { qty: 4 },
          token,
          headers: { 'if-match': '"c1"' },
        })
      ).status,
    ).toBe(412);
    expect(
      (
        await call('PUT', `/carts/${id}/lines/TU-MILK-1`, {
          json: { qty: 4 },
          token,
          headers: { 'if-match': '"c2"' },
        })
      ).body.lines[0]!.qty,
    ).toBe(4);
  });

  it('reports a customer cart idle past the limit once, as cart.abandoned', async () => {
    const customer = randomUUID();
    const bearer = userToken({ sub: customer });
    const mine = await call('GET', '/me/cart', { bearer });
    await call('POST', `/carts/${mine.body.id}/lines`, { json: { sku: 'TU-RICE-1', qty: 1 }, bearer });
    const redis = kind === 'redis' ? createRedis({ url: REDIS_URL }) : undefined;
    const store = redis
      ? redisCartStore(redis, { prefix, guestTtlMs: 86_400_000 })
      : pgCartStore(db.pool, 'carts');
    const scan = abandonedUseCases({
      store,
      work: unitOfWork(db.pool, 'carts'),
      idleMs: 3_600_000,
    });
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await scan.scan(new Date())).toBe(0);
    await scan.scan(later);
    await scan.scan(later);
    const { rows } = await db.pool.query(
      `SELECT event FROM carts.outbox WHERE event->>'type' = 'io.tuoi.cart.abandoned.v1' AND event->'data'->>'cart_id' = $1`,
      [mine.body.id],
    );
    await redis?.quit();
    expect(rows.map((r) => r.event.data)).toEqual([
      expect.objectContaining({
        customer_id: customer,
        line_count: 1,
        lines: [{ sku: 'TU-RICE-1', qty: 1 }],
      }),
    ]);
  });
});

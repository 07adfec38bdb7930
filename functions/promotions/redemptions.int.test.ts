/**
 * Coupon redemptions against real PostgreSQL: limits hold under concurrency (200 buyers of a
 * coupon limited to 50 → exactly 50), a customer limited to one use cannot use it twice (two
 * parallel checkouts), reserve is idempotent by id, commit emits coupon.redeemed, release and the
 * TTL sweeper give uses back.
 */
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { promotionsUseCases, SCHEMA } from './deps';
import { addProducts, outboxEvents, product, startPromotions, type RunningPromotions } from './testing-http';

let db: TestDatabase;
let fn: RunningPromotions;

const base = {
  name: { en: 'Coupon', vi: 'Mã giảm giá' },
  label: { en: '50k off', vi: 'Giảm 50k' },
  status: 'active',
  requires_coupon: true,
  target: { kind: 'order' },
  discount: { kind: 'amount_off', amount_vnd: 50_000, allocation: 'across' },
};

async function reserve(body: Record<string, unknown>) {
  const res = await fn.call('POST', '/coupon-redemptions', { json: body, as: 'checkout' });
  return {
    status: res.status,
    body: (await res.json()) as { state?: string; reason?: { code: string }; id?: string },
  };
}

async function post(path: string, json: unknown) {
  const res = await fn.call('POST', path, { json });
  expect({ path, status: res.status, body: await res.json() }).toMatchObject({ status: 201 });
}

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 30 });
  fn = await startPromotions(db.url, { DB_POOL_SIZE: '20' });
  await addProducts(fn, [product('TU-MILK-1')]);
});

afterAll(async () => {
  await fn?.close();
  await db?.drop();
});

describe('coupon redemptions', () => {
  it('200 concurrent redemptions of a coupon limited to 50 → exactly 50', async () => {
    await post('/promotions', { ...base, id: 'limited-50', global_limit: 50 });
    await post('/promotions/limited-50/coupons', { code: 'FIFTY' });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        reserve({ id: `r50-${i}`, customer_id: `c-${i}`, code: 'fifty' }),
      ),
    );
    const held = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect([held.length, refused.length]).toEqual([50, 150]);
    expect(new Set(refused.map((r) => r.body.reason?.code))).toEqual(new Set(['global_limit']));
    const { rows } = await db.pool.query(`SELECT used FROM promotions.promotions WHERE id = 'limited-50'`);
    expect(rows[0].used).toBe(50);
  });

  it('a customer limited to one use cannot use it twice: two parallel checkouts, or a second code', async () => {
    await post('/promotions', { ...base, id: 'once-each', per_customer_limit: 1 });
    await post('/promotions/once-each/coupon-batches', { prefix: 'once', count: 3 });
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM promotions.coupons WHERE promotion_id = 'once-each' ORDER BY code`,
    );
    expect(rows).toHaveLength(3);
    for (const { code } of rows) expect(code).toMatch(/^ONCE-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const [a, b] = await Promise.all([
      reserve({ id: 'once-a', customer_id: 'cust-1', code: rows[0]!.code }),
      reserve({ id: 'once-b', customer_id: 'cust-1', code: rows[1]!.code }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.reason?.code).toBe('customer_limit');
    // Another customer may use the third code; a single-use code cannot be used again.
    expect((await reserve({ id: 'once-c', customer_id: 'cust-2', code: rows[2]!.code })).status).toBe(201);
    const again = await reserve({ id: 'once-d', customer_id: 'cust-3', code: rows[2]!.code });
    expect([again.status, again.body.reason?.code]).toEqual([409, 'coupon_used']);
  });

  it('reserve is idempotent by id; the same id with another request is a 409', async () => {
    await post('/promotions', { ...base, id: 'idem' });
    await post('/promotions/idem/coupons', { code: 'IDEM-1' });
    const first = await reserve({ id: 'idem-1', customer_id: 'c', code: 'IDEM-1' });
    const retry = await reserve({ id: 'idem-1', customer_id: 'c', code: 'idem-1' });
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect((await reserve({ id: 'idem-1', customer_id: 'other', code: 'IDEM-1' })).status).toBe(409);
    const { rows } = await db.pool.query(`SELECT used FROM promotions.promotions WHERE id = 'idem'`);
    expect(rows[0].used).toBe(1);
    expect((await reserve({ id: 'x-1', customer_id: 'c', code: 'NOPE-1' })).status).toBe(404);
    expect((await reserve({ id: 'x-2', customer_id: 'c' })).status).toBe(400);
  });

  it('commit emits coupon.redeemed once; release gives the use back; both repeat safely', async () => {
    await post('/promotions', { ...base, id: 'one-left', global_limit: 1 });
    await post('/promotions/one-left/coupons', { code: 'LAST-ONE' });
    expect((await reserve({ id: 'ol-1', customer_id: 'c1', code: 'LAST-ONE' })).status).toBe(201);
    expect((await reserve({ id: 'ol-2', customer_id: 'c2', code: 'LAST-ONE' })).status).toBe(409);
    const mark = (await outboxEvents(db.pool)).length;
    for (let i = 0; i < 2; i++) {
      const res = await fn.call('POST', '/coupon-redemptions/ol-1/commit', {
        json: { order_id: 'ord-1' },
        as: 'checkout',
      });
      expect([res.status, ((await res.json()) as { state: string }).state]).toEqual([200, 'committed']);
    }
    const redeemed = (await outboxEvents(db.pool))
      .slice(mark)
      .filter((e) => e.type.endsWith('coupon.redeemed.v1'));
    expect(redeemed.map((e) => e.data)).toEqual([
      expect.objectContaining({
        redemption_id: 'ol-1',
        promotion_id: 'one-left',
        code: 'LAST-ONE',
        order_id: 'ord-1',
      }),
    ]);
    // The order is cancelled: the use comes back and someone else may have it.
    for (let i = 0; i < 2; i++)
      expect(
        (await fn.call('POST', '/coupon-redemptions/ol-1/release', { json: {}, as: 'checkout' })).status,
      ).toBe(200);
    expect((await reserve({ id: 'ol-3', customer_id: 'c2', code: 'LAST-ONE' })).status).toBe(201);
    const commitReleased = await fn.call('POST', '/coupon-redemptions/ol-1/commit', {
      json: {},
      as: 'checkout',
    });
    expect(commitReleased.status).toBe(409);
  });

  it('a use held past its TTL is given back by the sweeper and cannot be committed', async () => {
    await post('/promotions', { ...base, id: 'ttl', global_limit: 1 });
    await post('/promotions/ttl/coupons', { code: 'TTL-CODE' });
    expect((await reserve({ id: 'ttl-1', customer_id: 'c', code: 'TTL-CODE', ttl_seconds: 10 })).status).toBe(
      201,
    );
    const uc = promotionsUseCases(db.pool, SCHEMA, { cacheMs: 0 });
    expect(await uc.redemptions.sweep({ now: new Date() })).toBe(0);
    expect(await uc.redemptions.sweep({ now: new Date(Date.now() + 11_000) })).toBe(1);
    const res = await fn.call('GET', '/coupon-redemptions/ttl-1', { as: 'checkout' });
    expect(((await res.json()) as { state: string }).state).toBe('expired');
    expect(
      (await fn.call('POST', '/coupon-redemptions/ttl-1/commit', { json: {}, as: 'checkout' })).status,
    ).toBe(409);
    expect((await reserve({ id: 'ttl-2', customer_id: 'c', code: 'TTL-CODE' })).status).toBe(201);
  });

  it('a coupon-only promotion is not redeemed by its id; a limited automatic one is', async () => {
    await post('/promotions', { ...base, id: 'code-only' });
    const byId = await reserve({ id: 'co-1', customer_id: 'c', promotion_id: 'code-only' });
    expect([byId.status, byId.body.reason?.code]).toEqual([409, 'coupon_missing']);
    await post('/promotions', { ...base, id: 'auto-once', requires_coupon: false, per_customer_limit: 1 });
    expect((await reserve({ id: 'ao-1', customer_id: 'c', promotion_id: 'auto-once' })).status).toBe(201);
    const twice = await reserve({ id: 'ao-2', customer_id: 'c', promotion_id: 'auto-once' });
    expect([twice.status, twice.body.reason?.code]).toEqual([409, 'customer_limit']);
    expect((await reserve({ id: 'ao-3', customer_id: 'c', promotion_id: 'no-such-promotion' })).status).toBe(
      404,
    );
  });

  it('needs promotions:redeem: customers and anonymous callers are refused', async () => {
    const body = { id: 'auth-1', customer_id: 'c', code: 'FIFTY' };
    expect((await fn.call('POST', '/coupon-redemptions', { json: body, as: 'anonymous' })).status).toBe(401);
    expect((await fn.call('POST', '/coupon-redemptions', { json: body, as: { customer: 'c' } })).status).toBe(
      403,
    );
  });
});

/**
 * The checkout saga's pricing step against real PostgreSQL, through signed CloudEvents: a price
 * command freezes the quote POST /pricing/quote gives and reserves the coupon and limited
 * promotion uses it applies (refusing, with nothing left reserved, when a coupon no longer
 * applies), a re-sent command replays its holds, commit emits coupon.redeemed, release gives the
 * uses back (committed ones only when asked to), a quote prices lines without reserving anything,
 * and five orders racing for a single-use coupon get exactly one price.
 */
import { pricingReplied, pricingRequested, type DataOf, type TuoiCloudEvent } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { reason } from './reasons';
import { addProducts, outboxEvents, product, startPromotions, type RunningPromotions } from './testing-http';

type Command = DataOf<typeof pricingRequested>;
type Price = Extract<Command, { action: 'price' }>;
type QuoteLines = Extract<Command, { action: 'quote' }>;
type Reply = DataOf<typeof pricingReplied>;

let db: TestDatabase;
let fn: RunningPromotions;
let orders = 0;

const coupon = {
  name: { en: 'Coupon', vi: 'Mã giảm giá' },
  label: { en: '20k off', vi: 'Giảm 20k' },
  status: 'active',
  requires_coupon: true,
  target: { kind: 'order' },
  discount: { kind: 'amount_off', amount_vnd: 20_000, allocation: 'across' },
};

/** A fresh order id (the contract's `ord-` form). */
const newOrder = () => `ord-test${String(++orders).padStart(6, '0')}`;

async function post(path: string, json: unknown) {
  const res = await fn.call('POST', path, { json });
  expect({ path, status: res.status, body: await res.json() }).toMatchObject({ status: 201 });
}

/** A coupon promotion `id` with one code usable `maxUses` times (null: no limit of its own). */
async function couponFor(id: string, code: string, maxUses: number | null, extra: object = {}) {
  await post('/promotions', { ...coupon, id, ...extra });
  await post(`/promotions/${id}/coupons`, { code, max_uses: maxUses });
}

/** A price command for `order` (two bottles of milk unless overridden). */
function priceCommand(order: string, extra: Partial<Price> = {}): Price {
  return {
    order_id: order,
    action: 'price',
    customer_id: `cust-${order}`,
    location: 'q1-ben-thanh',
    lines: [{ sku: 'TU-MILK-1', qty: 2 }],
    coupon_codes: [],
    delivery_fee_vnd: 15_000,
    first_order: false,
    ttl_seconds: 600,
    ...extra,
  };
}

/** A quote command for `order`: substitute `s0`, two bottles of milk unless overridden. */
function quoteCommand(order: string, extra: Partial<QuoteLines> = {}): QuoteLines {
  return {
    order_id: order,
    action: 'quote',
    quote_id: 's0',
    customer_id: `cust-${order}`,
    location: 'q1-ben-thanh',
    lines: [{ sku: 'TU-MILK-1', qty: 2 }],
    ...extra,
  };
}

/** Delivers `event` and returns the one reply it produced (the reply's id derives from the command's). */
async function deliver(event: TuoiCloudEvent): Promise<Reply> {
  const res = await fn.deliver(event);
  expect({ status: res.status, body: await res.text() }).toEqual({ status: 204, body: '' });
  const replies = (await outboxEvents(db.pool)).filter((e) => e.id === `${event.id}.reply`);
  expect(replies.map((e) => e.type)).toEqual([pricingReplied.type]);
  return replies[0]!.data as Reply;
}

const send = (data: Command) => deliver(buildEvent(pricingRequested, data));

async function redemptionsOf(order: string) {
  const { rows } = await db.pool.query<{
    id: string;
    state: string;
    code: string | null;
    promotion_id: string;
  }>(`SELECT id, state, code, promotion_id FROM promotions.redemptions WHERE order_id = $1 ORDER BY id`, [
    order,
  ]);
  return rows;
}

async function promotionUsed(id: string): Promise<number> {
  const { rows } = await db.pool.query(`SELECT used FROM promotions.promotions WHERE id = $1`, [id]);
  return rows[0].used;
}

async function redemptionCount(): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM promotions.redemptions`);
  return rows[0].n;
}

async function couponUses(code: string): Promise<number> {
  const { rows } = await db.pool.query(`SELECT uses FROM promotions.coupons WHERE code = $1`, [code]);
  return rows[0].uses;
}

const bilingual = (code: Parameters<typeof reason>[0]) => {
  const r = reason(code);
  return { code, message: { en: r.en, vi: r.vi } };
};

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 10 });
  fn = await startPromotions(db.url, { DB_POOL_SIZE: '20' });
  await addProducts(fn, [
    product('TU-MILK-1', { price_vnd: 32_000 }),
    product('TU-EGG-1', { price_vnd: 40_000 }),
    product('TU-RICE-1', { price_vnd: 25_000 }),
    product('TU-OLD-1', { status: 'discontinued' }),
    product('TU-BREAD-1', { price_vnd: 20_000 }),
    product('TU-TEA-1', { price_vnd: 50_000 }),
  ]);
});

afterAll(async () => {
  await fn?.close();
  await db?.drop();
});

describe('pricing saga: price', () => {
  it('without coupons: done with the quote POST /pricing/quote gives, in the outbox', async () => {
    const order = newOrder();
    const cmd = priceCommand(order);
    const reply = await send(cmd);
    expect(reply).toMatchObject({ order_id: order, action: 'price', outcome: 'done', redemption_ids: [] });
    expect(reply.reason).toBeUndefined();
    const res = await fn.call('POST', '/pricing/quote', {
      as: 'checkout',
      json: {
        lines: cmd.lines,
        location: 'q1-ben-thanh',
        customer: { id: `cust-${order}`, first_order: false },
        delivery_fee_vnd: 15_000,
      },
    });
    const http = (await res.json()) as Required<Reply>['quote'];
    expect(reply.quote).toEqual({
      lines: http.lines,
      totals: http.totals,
      applied: http.applied,
      priced_at: reply.quote!.priced_at,
    });
    expect(reply.quote!.totals).toMatchObject({ subtotal_vnd: 64_000, delivery_fee_vnd: 15_000 });
  });

  it('with a valid coupon: done, the coupon applied and its use reserved for the order', async () => {
    await couponFor('saga-valid', 'SAGA-VALID', null);
    const order = newOrder();
    const reply = await send(priceCommand(order, { coupon_codes: ['SAGA-VALID'] }));
    expect(reply).toMatchObject({ outcome: 'done', redemption_ids: [`${order}.c0`] });
    expect(reply.quote!.applied).toEqual([
      expect.objectContaining({ promotion_id: 'saga-valid', amount_vnd: 20_000 }),
    ]);
    expect(reply.quote!.totals.discount_vnd).toBe(20_000);
    expect(await redemptionsOf(order)).toEqual([
      { id: `${order}.c0`, state: 'reserved', code: 'SAGA-VALID', promotion_id: 'saga-valid' },
    ]);
  });

  it('a used-up coupon: refused with its bilingual reason, nothing reserved', async () => {
    await couponFor('saga-used', 'SAGA-USED', 1);
    const first = newOrder();
    expect((await send(priceCommand(first, { coupon_codes: ['SAGA-USED'] }))).outcome).toBe('done');
    const order = newOrder();
    const reply = await send(priceCommand(order, { coupon_codes: ['SAGA-USED'] }));
    expect(reply).toMatchObject({ outcome: 'refused', reason: bilingual('coupon_used') });
    expect(reply.quote).toBeUndefined();
    expect(await redemptionsOf(order)).toEqual([]);
    expect(await couponUses('SAGA-USED')).toBe(1);
  });

  it('a coupon whose promotion does not apply: refused with why, nothing reserved', async () => {
    // The first coupon applies; the second needs a bigger order: nothing of the order is held.
    await couponFor('saga-a', 'SAGA-A', null);
    await couponFor('saga-big', 'SAGA-BIG', null, { conditions: { min_order_value_vnd: 1_000_000 } });
    const order = newOrder();
    const reply = await send(priceCommand(order, { coupon_codes: ['SAGA-A', 'SAGA-BIG'] }));
    expect(reply).toMatchObject({ outcome: 'refused', reason: bilingual('min_order_value') });
    expect(await redemptionsOf(order)).toEqual([]);
  });

  it('lines not on sale: refused invalid_lines naming them, nothing reserved', async () => {
    await couponFor('saga-lines', 'SAGA-LINES', null);
    const order = newOrder();
    const reply = await send(
      priceCommand(order, {
        coupon_codes: ['SAGA-LINES'],
        lines: [
          { sku: 'TU-MILK-1', qty: 1 },
          { sku: 'TU-NONE-1', qty: 1 },
          { sku: 'TU-OLD-1', qty: 1 },
        ],
      }),
    );
    expect(reply).toMatchObject({ outcome: 'refused', reason: { code: 'invalid_lines' } });
    expect(reply.reason!.message.en).toContain('TU-NONE-1, TU-OLD-1');
    expect(reply.reason!.message.vi).toContain('TU-NONE-1, TU-OLD-1');
    expect(await redemptionsOf(order)).toEqual([]);
  });

  it('the same command twice (redelivered, then re-sent): one reservation, the same redemption ids', async () => {
    // A single-use code: the re-sent command must not read its own hold as the code used up.
    await couponFor('saga-twice', 'SAGA-TWICE', 1);
    const order = newOrder();
    const cmd = priceCommand(order, { coupon_codes: ['SAGA-TWICE'] });
    const event = buildEvent(pricingRequested, cmd);
    const first = await deliver(event);
    const again = await fn.deliver(event);
    expect([again.status, again.headers.get('x-tuoi-delivery')]).toEqual([204, 'duplicate']);
    const resent = await send(cmd);
    expect(first).toMatchObject({ outcome: 'done', redemption_ids: [`${order}.c0`] });
    expect(resent).toMatchObject({ outcome: 'done', redemption_ids: first.redemption_ids });
    expect({ ...resent.quote, priced_at: '' }).toEqual({ ...first.quote, priced_at: '' });
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['reserved']);
    expect(await couponUses('SAGA-TWICE')).toBe(1);
    const replies = (await outboxEvents(db.pool)).filter((e) => e.id === `${event.id}.reply`);
    expect(replies).toHaveLength(1);
  });

  it('a re-sent command the coupons no longer apply to: refused, and the holds of its first run given back', async () => {
    await couponFor('saga-keep', 'SAGA-KEEP', null);
    await couponFor('saga-change', 'SAGA-CHANGE', 1);
    const order = newOrder();
    const cmd = priceCommand(order, { coupon_codes: ['SAGA-KEEP', 'SAGA-CHANGE'] });
    expect(await send(cmd)).toMatchObject({
      outcome: 'done',
      redemption_ids: [`${order}.c0`, `${order}.c1`],
    });
    // Staff raise the second coupon's minimum before the saga sends the command again.
    const res = await fn.call('PUT', '/promotions/saga-change', {
      json: { ...coupon, conditions: { min_order_value_vnd: 1_000_000 } },
    });
    expect(res.status).toBe(200);
    expect(await send(cmd)).toMatchObject({ outcome: 'refused', reason: bilingual('min_order_value') });
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['released', 'released']);
    expect([await couponUses('SAGA-KEEP'), await couponUses('SAGA-CHANGE')]).toEqual([0, 0]);
  });

  it('orders racing for an automatic promotion with one use: it is held once, a refused order holds nothing', async () => {
    await post('/promotions', {
      ...coupon,
      id: 'saga-auto-one',
      requires_coupon: false,
      target: { kind: 'skus', skus: ['TU-RICE-1'] },
      discount: { kind: 'percentage', percent: 10 },
      global_limit: 1,
    });
    await couponFor('saga-rice', 'SAGA-RICE', null);
    const race = Array.from({ length: 5 }, () => newOrder());
    const replies = await Promise.all(
      race.map((o) =>
        send(priceCommand(o, { coupon_codes: ['SAGA-RICE'], lines: [{ sku: 'TU-RICE-1', qty: 1 }] })),
      ),
    );
    const done = replies.filter((r) => r.outcome === 'done');
    const withAuto = done.filter((r) => r.redemption_ids!.length === 2);
    expect(withAuto).toHaveLength(1);
    for (const r of replies.filter((x) => x.outcome === 'refused')) {
      // Its coupon was reserved first, then the promotion's last use went to another order.
      expect(r.reason).toEqual(bilingual('global_limit'));
      expect((await redemptionsOf(r.order_id)).map((x) => x.state)).toEqual(['released']);
    }
    expect(await couponUses('SAGA-RICE')).toBe(done.length);
  });

  it('an applied automatic promotion with a limit gets its use reserved too', async () => {
    await post('/promotions', {
      ...coupon,
      id: 'saga-auto',
      requires_coupon: false,
      target: { kind: 'skus', skus: ['TU-EGG-1'] },
      discount: { kind: 'percentage', percent: 10 },
      per_customer_limit: 3,
    });
    await couponFor('saga-with-auto', 'SAGA-WITH-AUTO', null);
    const order = newOrder();
    const reply = await send(
      priceCommand(order, { coupon_codes: ['SAGA-WITH-AUTO'], lines: [{ sku: 'TU-EGG-1', qty: 1 }] }),
    );
    expect(reply).toMatchObject({ outcome: 'done', redemption_ids: [`${order}.c0`, `${order}.p0`] });
    expect(reply.quote!.lines[0]!.adjustments.map((a) => a.promotion_id).sort()).toEqual([
      'saga-auto',
      'saga-with-auto',
    ]);
    expect(await redemptionsOf(order)).toEqual([
      { id: `${order}.c0`, state: 'reserved', code: 'SAGA-WITH-AUTO', promotion_id: 'saga-with-auto' },
      { id: `${order}.p0`, state: 'reserved', code: null, promotion_id: 'saga-auto' },
    ]);
    const release = await send({ order_id: order, action: 'release', redemption_ids: reply.redemption_ids! });
    expect(release.outcome).toBe('done');
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['released', 'released']);
  });

  it('5 orders racing for a coupon with one use: exactly 1 done, 4 refused, 1 use held', async () => {
    await couponFor('saga-race', 'SAGA-RACE', 1);
    const race = Array.from({ length: 5 }, () => newOrder());
    const replies = await Promise.all(
      race.map((o) => send(priceCommand(o, { coupon_codes: ['SAGA-RACE'] }))),
    );
    const done = replies.filter((r) => r.outcome === 'done');
    const refused = replies.filter((r) => r.outcome === 'refused');
    expect([done.length, refused.length]).toEqual([1, 4]);
    for (const r of refused) expect(r.reason).toEqual(bilingual('coupon_used'));
    expect(await couponUses('SAGA-RACE')).toBe(1);
    for (const r of refused) expect(await redemptionsOf(r.order_id)).toEqual([]);
  });
});

describe('pricing saga: commit and release', () => {
  it('commit: done, coupon.redeemed emitted once; committing again is done; releasing it is refused', async () => {
    await couponFor('saga-commit', 'SAGA-COMMIT', null);
    const order = newOrder();
    const priced = await send(priceCommand(order, { coupon_codes: ['SAGA-COMMIT'] }));
    const mark = (await outboxEvents(db.pool)).at(-1)!.outboxId;
    const ids = priced.redemption_ids!;
    const commit = await send({ order_id: order, action: 'commit', redemption_ids: ids });
    expect(commit).toMatchObject({ order_id: order, action: 'commit', outcome: 'done' });
    expect((await send({ order_id: order, action: 'commit', redemption_ids: ids })).outcome).toBe('done');
    const redeemed = (await outboxEvents(db.pool, mark)).filter((e) => e.type.endsWith('coupon.redeemed.v1'));
    expect(redeemed.map((e) => e.data)).toEqual([
      expect.objectContaining({ redemption_id: `${order}.c0`, code: 'SAGA-COMMIT', order_id: order }),
    ]);
    const release = await send({ order_id: order, action: 'release', redemption_ids: ids });
    expect(release).toMatchObject({ outcome: 'refused', reason: { code: 'redemption_committed' } });
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['committed']);
  });

  it('commit of a missing or lapsed use: refused redemption_missing / redemption_expired', async () => {
    const missing = await send({ order_id: newOrder(), action: 'commit', redemption_ids: ['nope.c0'] });
    expect(missing).toMatchObject({ outcome: 'refused', reason: { code: 'redemption_missing' } });
    await couponFor('saga-lapse', 'SAGA-LAPSE', null);
    const order = newOrder();
    const priced = await send(priceCommand(order, { coupon_codes: ['SAGA-LAPSE'] }));
    // The checkout took longer than the hold's TTL.
    await db.pool.query(
      `UPDATE promotions.redemptions SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
      [order],
    );
    const commit = await send({ order_id: order, action: 'commit', redemption_ids: priced.redemption_ids! });
    expect(commit).toMatchObject({ outcome: 'refused', reason: { code: 'redemption_expired' } });
    expect(commit.reason!.message.vi).toMatch(/hết hạn/);
  });

  it('release: done and the use is free again for another order; releasing again is done', async () => {
    await couponFor('saga-free', 'SAGA-FREE', 1);
    const order = newOrder();
    const priced = await send(priceCommand(order, { coupon_codes: ['SAGA-FREE'] }));
    expect(priced.outcome).toBe('done');
    const other = newOrder();
    expect((await send(priceCommand(other, { coupon_codes: ['SAGA-FREE'] }))).outcome).toBe('refused');
    const ids = priced.redemption_ids!;
    expect((await send({ order_id: order, action: 'release', redemption_ids: ids })).outcome).toBe('done');
    expect((await send({ order_id: order, action: 'release', redemption_ids: ids })).outcome).toBe('done');
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['released']);
    expect(await couponUses('SAGA-FREE')).toBe(0);
    const later = newOrder();
    expect(await send(priceCommand(later, { coupon_codes: ['SAGA-FREE'] }))).toMatchObject({
      outcome: 'done',
      redemption_ids: [`${later}.c0`],
    });
  });

  it('release of unknown ids: done (nothing to undo)', async () => {
    const order = newOrder();
    const reply = await send({ order_id: order, action: 'release', redemption_ids: [`${order}.c0`, 'x.p3'] });
    expect(reply).toMatchObject({ order_id: order, action: 'release', outcome: 'done' });
  });
});

describe('pricing saga: release of committed uses', () => {
  /** An order priced with `code` and committed (paid); its redemption ids. */
  async function committedOrder(order: string, code: string): Promise<string[]> {
    const priced = await send(priceCommand(order, { coupon_codes: [code] }));
    expect(priced.outcome).toBe('done');
    const ids = priced.redemption_ids!;
    expect((await send({ order_id: order, action: 'commit', redemption_ids: ids })).outcome).toBe('done');
    return ids;
  }

  it('committed: true after commit: done, the use given back, a coupon at its limit usable again', async () => {
    await couponFor('saga-back', 'SAGA-BACK', 1);
    const order = newOrder();
    const ids = await committedOrder(order, 'SAGA-BACK');
    expect([await couponUses('SAGA-BACK'), await promotionUsed('saga-back')]).toEqual([1, 1]);
    const other = newOrder();
    expect(await send(priceCommand(other, { coupon_codes: ['SAGA-BACK'] }))).toMatchObject({
      outcome: 'refused',
      reason: bilingual('coupon_used'),
    });
    const release = await send({ order_id: order, action: 'release', redemption_ids: ids, committed: true });
    expect(release).toMatchObject({
      order_id: order,
      action: 'release',
      outcome: 'done',
      redemption_ids: ids,
    });
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['released']);
    expect([await couponUses('SAGA-BACK'), await promotionUsed('saga-back')]).toEqual([0, 0]);
    const later = newOrder();
    expect(await send(priceCommand(later, { coupon_codes: ['SAGA-BACK'] }))).toMatchObject({
      outcome: 'done',
      redemption_ids: [`${later}.c0`],
    });
  });

  it('without committed after commit: still refused redemption_committed, the use still counted', async () => {
    await couponFor('saga-kept', 'SAGA-KEPT', null);
    const order = newOrder();
    const ids = await committedOrder(order, 'SAGA-KEPT');
    for (const extra of [{}, { committed: false }]) {
      const release = await send({ order_id: order, action: 'release', redemption_ids: ids, ...extra });
      expect(release).toMatchObject({ outcome: 'refused', reason: { code: 'redemption_committed' } });
      expect(release.reason!.message.vi).toMatch(/đã được xác nhận/);
    }
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['committed']);
    expect(await couponUses('SAGA-KEPT')).toBe(1);
  });

  it('committed: true redelivered, then re-sent: done each time, the use given back once', async () => {
    // Two paid orders share a coupon: giving one order's use back twice would show as 0 uses.
    await couponFor('saga-once', 'SAGA-ONCE', null);
    const order = newOrder();
    const ids = await committedOrder(order, 'SAGA-ONCE');
    await committedOrder(newOrder(), 'SAGA-ONCE');
    expect(await couponUses('SAGA-ONCE')).toBe(2);
    const cmd: Command = { order_id: order, action: 'release', redemption_ids: ids, committed: true };
    const event = buildEvent(pricingRequested, cmd);
    expect(await deliver(event)).toMatchObject({ outcome: 'done', redemption_ids: ids });
    const again = await fn.deliver(event);
    expect([again.status, again.headers.get('x-tuoi-delivery')]).toEqual([204, 'duplicate']);
    expect(await send(cmd)).toMatchObject({ outcome: 'done', redemption_ids: ids });
    const replies = (await outboxEvents(db.pool)).filter((e) => e.id === `${event.id}.reply`);
    expect(replies).toHaveLength(1);
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['released']);
    expect([await couponUses('SAGA-ONCE'), await promotionUsed('saga-once')]).toEqual([1, 1]);
  });

  it('committed: true on held uses: released as without it', async () => {
    await couponFor('saga-held', 'SAGA-HELD', null);
    const order = newOrder();
    const ids = (await send(priceCommand(order, { coupon_codes: ['SAGA-HELD'] }))).redemption_ids!;
    const release = await send({ order_id: order, action: 'release', redemption_ids: ids, committed: true });
    expect(release.outcome).toBe('done');
    expect((await redemptionsOf(order)).map((r) => r.state)).toEqual(['released']);
    expect(await couponUses('SAGA-HELD')).toBe(0);
  });
});

describe('pricing saga: quote', () => {
  it("a line: done with a FrozenQuote at the SKU's price, no delivery fee, nothing reserved", async () => {
    const order = newOrder();
    const before = await redemptionCount();
    const reply = await send(quoteCommand(order, { quote_id: '3' }));
    expect(reply).toMatchObject({ order_id: order, action: 'quote', outcome: 'done', quote_id: '3' });
    expect(reply.reason).toBeUndefined();
    expect(reply.redemption_ids).toBeUndefined();
    expect(reply.quote!.lines).toEqual([
      expect.objectContaining({
        sku: 'TU-MILK-1',
        sold_by: 'piece',
        qty: 2,
        unit_price_vnd: 32_000,
        list_amount_vnd: 64_000,
        discount_vnd: 0,
        total_vnd: 64_000,
        adjustments: [],
      }),
    ]);
    expect(reply.quote!.totals).toMatchObject({
      subtotal_vnd: 64_000,
      discount_vnd: 0,
      delivery_fee_vnd: 0,
      delivery_discount_vnd: 0,
      total_vnd: 64_000,
    });
    // The reply went through buildEvent, which checks it against the contract (FrozenQuote included).
    expect(await redemptionsOf(order)).toEqual([]);
    expect(await redemptionCount()).toBe(before);
  });

  it('promotions for everyone apply; limited ones (no use can be reserved) and coupons do not', async () => {
    await post('/promotions', {
      ...coupon,
      id: 'saga-q-bread',
      label: { en: '10% off bread', vi: 'Giảm 10% bánh mì' },
      requires_coupon: false,
      target: { kind: 'skus', skus: ['TU-BREAD-1'] },
      discount: { kind: 'percentage', percent: 10 },
    });
    await post('/promotions', {
      ...coupon,
      id: 'saga-q-tea',
      requires_coupon: false,
      target: { kind: 'skus', skus: ['TU-TEA-1'] },
      discount: { kind: 'percentage', percent: 10 },
      global_limit: 100,
    });
    await couponFor('saga-q-coupon', 'SAGA-Q-COUPON', null);
    const order = newOrder();
    const reply = await send(
      quoteCommand(order, {
        lines: [
          { sku: 'TU-BREAD-1', qty: 1 },
          { sku: 'TU-TEA-1', qty: 1 },
        ],
      }),
    );
    expect(reply).toMatchObject({ outcome: 'done', quote_id: 's0' });
    const [bread, tea] = reply.quote!.lines;
    expect(bread).toMatchObject({ sku: 'TU-BREAD-1', discount_vnd: 2_000, total_vnd: 18_000 });
    expect(bread!.adjustments.map((a) => a.promotion_id)).toEqual(['saga-q-bread']);
    expect(tea).toMatchObject({ sku: 'TU-TEA-1', discount_vnd: 0, total_vnd: 50_000, adjustments: [] });
    expect(reply.quote!.applied.map((a) => a.promotion_id)).toEqual(['saga-q-bread']);
    expect(await promotionUsed('saga-q-tea')).toBe(0);
    expect(await redemptionsOf(order)).toEqual([]);
  });

  it('re-sent: prices again, the same quote, still nothing reserved', async () => {
    const order = newOrder();
    const cmd = quoteCommand(order);
    const first = await send(cmd);
    const again = await send(cmd);
    expect({ ...again, at: '', quote: { ...again.quote!, priced_at: '' } }).toEqual({
      ...first,
      at: '',
      quote: { ...first.quote!, priced_at: '' },
    });
    expect(await redemptionsOf(order)).toEqual([]);
  });

  it('an unknown or discontinued SKU: refused invalid_lines naming it, in both languages', async () => {
    const order = newOrder();
    const reply = await send(
      quoteCommand(order, {
        lines: [
          { sku: 'TU-NONE-1', qty: 1 },
          { sku: 'TU-OLD-1', qty: 1 },
        ],
      }),
    );
    expect(reply).toMatchObject({ action: 'quote', outcome: 'refused', quote_id: 's0' });
    expect(reply.reason!.code).toBe('invalid_lines');
    expect(reply.reason!.message.en).toContain('TU-NONE-1, TU-OLD-1');
    expect(reply.reason!.message.vi).toContain('TU-NONE-1, TU-OLD-1');
    expect(reply.quote).toBeUndefined();
    expect(await redemptionsOf(order)).toEqual([]);
  });
});

/**
 * Staff writes through the promotions function: promotions with their announcements (emitted in
 * the same transaction, by the clock through the scheduler), coupon codes, the VAT table as data,
 * what customers see on offer, and bad input refused with nothing written.
 */
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { promotionsUseCases, SCHEMA } from './deps';
import { addProducts, outboxEvents, product, startPromotions, type RunningPromotions } from './testing-http';

let db: TestDatabase;
let fn: RunningPromotions;

const valid = {
  name: { en: 'Greens week', vi: 'Tuần rau xanh' },
  label: { en: '20% off', vi: 'Giảm 20%' },
  status: 'active',
  target: { kind: 'skus', skus: ['TU-MILK-1'] },
  discount: { kind: 'percentage', percent: 20 },
};

async function send(method: string, path: string, json?: unknown, headers?: Record<string, string>) {
  const res = await fn.call(method, path, { json, headers });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
}

async function events(after: number) {
  return (await outboxEvents(db.pool, after)).map((e) => [e.type.split('.').slice(-2, -1)[0], e.data]);
}
async function mark() {
  const all = await outboxEvents(db.pool);
  return all.length ? all[all.length - 1]!.outboxId : 0;
}

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 5 });
  fn = await startPromotions(db.url);
  await addProducts(fn, [product('TU-MILK-1', { price_vnd: 32_000 })]);
});

afterAll(async () => {
  await fn?.close();
  await db?.drop();
});

describe('staff promotions', () => {
  it('announces activation, changes and the end in the same transaction as the write', async () => {
    const m = await mark();
    const created = await send('POST', '/promotions', { ...valid, id: 'greens' });
    expect([created.status, created.etag]).toEqual([201, '"v2"']);
    const changed = await send(
      'PUT',
      '/promotions/greens',
      { ...valid, label: { en: '25% off', vi: 'Giảm 25%' }, discount: { kind: 'percentage', percent: 25 } },
      { 'if-match': '"v2"' },
    );
    expect(changed.status).toBe(200);
    const stale = await send('PUT', '/promotions/greens', valid, { 'if-match': '"v2"' });
    expect(stale.status).toBe(412);
    expect((await send('PUT', '/promotions/greens', { ...valid, status: 'paused' })).status).toBe(200);
    expect(await events(m)).toEqual([
      [
        'activated',
        expect.objectContaining({
          id: 'greens',
          label_vi: 'Giảm 20%',
          kind: 'percentage',
          coupon: false,
          version: 2,
        }),
      ],
      ['changed', expect.objectContaining({ id: 'greens', label_vi: 'Giảm 25%', version: 3 })],
      ['ended', expect.objectContaining({ id: 'greens', reason: 'paused', version: 4 })],
    ]);
  });

  it('a promotion scheduled for later is announced by the clock, and ends by it', async () => {
    const starts = new Date(Date.now() + 60_000).toISOString();
    const ends = new Date(Date.now() + 120_000).toISOString();
    const m = await mark();
    expect(
      (await send('POST', '/promotions', { ...valid, id: 'later', starts_at: starts, ends_at: ends })).status,
    ).toBe(201);
    const uc = promotionsUseCases(db.pool, SCHEMA, { cacheMs: 0 });
    expect(await uc.staff.announceDue(new Date())).toBe(0);
    expect(await uc.staff.announceDue(new Date(Date.now() + 61_000))).toBe(1);
    expect(await uc.staff.announceDue(new Date(Date.now() + 62_000))).toBe(0);
    expect(await uc.staff.announceDue(new Date(Date.now() + 121_000))).toBe(1);
    expect(await events(m)).toEqual([
      ['activated', expect.objectContaining({ id: 'later', starts_at: starts })],
      ['ended', expect.objectContaining({ id: 'later', reason: 'expired' })],
    ]);
  });

  it('GET /promotions/active shows what is on offer now, bilingual, without coupon or staff-only ones', async () => {
    await send('POST', '/promotions', {
      ...valid,
      id: 'on-offer',
      label: { en: 'Milk deal', vi: 'Ưu đãi sữa' },
    });
    await send('POST', '/promotions', { ...valid, id: 'secret', requires_coupon: true });
    await send('POST', '/promotions', { ...valid, id: 'staff-only', conditions: { staff: true } });
    const res = await fn.call('GET', '/promotions/active', { as: 'anonymous' });
    const body = (await res.json()) as { promotions: { id: string; label: { vi: string } }[] };
    const ids = body.promotions.map((p) => p.id);
    expect(ids).toContain('on-offer');
    expect(ids).not.toEqual(expect.arrayContaining(['secret']));
    expect(ids).not.toContain('staff-only');
    expect(ids).not.toContain('greens'); // paused
    expect(body.promotions.find((p) => p.id === 'on-offer')!.label.vi).toBe('Ưu đãi sữa');
  });

  it.each([
    ['a percentage over 100', { discount: { kind: 'percentage', percent: 101 } }, '/discount'],
    ['a percentage under 0', { discount: { kind: 'percentage', percent: -5 } }, '/discount'],
    [
      'a fixed price above the list price',
      { discount: { kind: 'fixed_price', unit_price_vnd: 40_000 } },
      '/discount/unit_price_vnd',
    ],
    [
      'an end before the start',
      { starts_at: '2027-02-01T00:00:00+07:00', ends_at: '2027-01-01T00:00:00+07:00' },
      '/ends_at',
    ],
    ['an unknown SKU', { target: { kind: 'skus', skus: ['TU-NOPE-9'] } }, '/target/skus'],
    ['a delivery discount on products', { discount: { kind: 'delivery', percent: 100 } }, '/discount/kind'],
    [
      'tiers out of order',
      {
        discount: {
          kind: 'tiered',
          measure: 'quantity',
          tiers: [
            { min: 5, percent: 10 },
            { min: 2, percent: 5 },
          ],
        },
      },
      '/discount/tiers',
    ],
    ['an unknown field', { colour: 'red' }, ''],
  ])('refuses %s with a field error and writes nothing', async (_name, patch, field) => {
    const before = await db.pool.query(`SELECT count(*)::int AS n FROM promotions.promotions`);
    const m = await mark();
    const res = await send('POST', '/promotions', { ...valid, id: 'bad-one', ...patch });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).join(' ')).toContain(field);
    const after = await db.pool.query(`SELECT count(*)::int AS n FROM promotions.promotions`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(await events(m)).toEqual([]);
  });

  it('codes: spaces, 33 characters and duplicates are refused; an id taken is a 409', async () => {
    expect((await send('POST', '/promotions', { ...valid, id: 'on-offer' })).status).toBe(409);
    await send('POST', '/promotions', { ...valid, id: 'coded', requires_coupon: true });
    expect((await send('POST', '/promotions/coded/coupons', { code: 'HAS SPACE' })).status).toBe(400);
    expect((await send('POST', '/promotions/coded/coupons', { code: 'A'.repeat(33) })).status).toBe(400);
    expect((await send('POST', '/promotions/coded/coupons', { code: 'A'.repeat(32) })).status).toBe(201);
    expect((await send('POST', '/promotions/coded/coupons', { code: 'a'.repeat(32) })).status).toBe(409);
    expect((await send('POST', '/promotions/on-offer/coupons', { code: 'AUTO-1' })).status).toBe(409);
    const batch = await send('POST', '/promotions/coded/coupon-batches', { prefix: 'tet', count: 500 });
    expect(batch.status).toBe(201);
    expect(new Set(batch.body.codes).size).toBe(500);
    const list = await send('GET', '/promotions/coded/coupons?limit=1000');
    expect(list.body.coupons).toHaveLength(501);
  });

  it('a global limit cannot be set below the uses already taken', async () => {
    await send('POST', '/promotions', { ...valid, id: 'popular', global_limit: 5 });
    for (const i of [1, 2, 3]) {
      const r = await fn.call('POST', '/coupon-redemptions', {
        json: { id: `pop-${i}`, customer_id: `c-${i}`, promotion_id: 'popular' },
        as: 'checkout',
      });
      expect(r.status).toBe(201);
    }
    const lowered = await send('PUT', '/promotions/popular', { ...valid, global_limit: 2 });
    expect([lowered.status, lowered.body.used]).toEqual([409, 3]);
    expect((await send('PUT', '/promotions/popular', { ...valid, global_limit: 3 })).status).toBe(200);
  });

  it('only staff read and write promotions', async () => {
    expect((await fn.call('GET', '/promotions', { as: 'anonymous' })).status).toBe(401);
    expect(
      (await fn.call('POST', '/promotions', { json: { ...valid, id: 'x-y' }, as: { customer: 'c' } })).status,
    ).toBe(403);
    expect((await fn.call('PUT', '/vat-rates', { json: { rates: [] }, as: 'checkout' })).status).toBe(403);
  });

  it('VAT rates are data: staff change them and quotes follow; overlaps are refused', async () => {
    const table = await send('GET', '/vat-rates');
    expect(table.body.rates).toContainEqual({
      category: 'VAT10_REDUCIBLE',
      rate_bp: 800,
      from: '2025-07-01',
      until: '2026-12-31',
      exempt: false,
    });
    const extended = table.body.rates.map(
      (r: { until: string | null; from: string | null; rate_bp: number }) =>
        r.until === '2026-12-31'
          ? { ...r, until: '2027-06-30' }
          : r.from === '2027-01-01'
            ? { ...r, from: '2027-07-01' }
            : r,
    );
    const overlapping = [...table.body.rates, { category: 'VAT5', rate_bp: 700 }];
    const refused = await send('PUT', '/vat-rates', { rates: overlapping }, { 'if-match': table.etag! });
    expect(refused.status).toBe(400);
    const ok = await send('PUT', '/vat-rates', { rates: extended }, { 'if-match': table.etag! });
    expect(ok.status).toBe(200);
    expect((await send('PUT', '/vat-rates', { rates: extended }, { 'if-match': table.etag! })).status).toBe(
      412,
    );
    const q = await fn.call('POST', '/pricing/quote', {
      json: { lines: [{ sku: 'TU-MILK-1', qty: 1 }], at: '2027-03-01T12:00:00+07:00' },
      as: 'anonymous',
    });
    expect(((await q.json()) as { lines: { vat_rate: string }[] }).lines[0]!.vat_rate).toBe('8%');
  });

  it('deletes an unused promotion (announcing its end) but not a used one', async () => {
    await send('POST', '/promotions', { ...valid, id: 'short-lived' });
    const m = await mark();
    expect((await send('DELETE', '/promotions/short-lived')).status).toBe(204);
    expect(await events(m)).toEqual([
      ['ended', expect.objectContaining({ id: 'short-lived', reason: 'deleted' })],
    ]);
    expect((await send('GET', '/promotions/short-lived')).status).toBe(404);
    await send('POST', '/promotions/coded/coupons', { code: 'USED-1' });
    const r = await fn.call('POST', '/coupon-redemptions', {
      json: { id: 'u-1', customer_id: 'c', code: 'USED-1' },
      as: 'checkout',
    });
    expect(r.status).toBe(201);
    expect((await send('DELETE', '/promotions/coded')).status).toBe(409);
  });
});

/**
 * Quotes through the promotions function against real PostgreSQL: prices and categories from
 * catalog events, VAT by date, promotions written by staff, coupons, near-expiry lots from
 * stock.expiring events, and bad input refused line by line.
 */
import { buildEvent } from '../shared/eventing/outbox';
import { productUpdated, stockExpiring } from '../../events';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addProducts, product, startPromotions, type RunningPromotions } from './testing-http';

let db: TestDatabase;
let fn: RunningPromotions;

interface QuoteAnswer {
  lines: {
    sku: string;
    qty: number;
    grams?: number;
    estimated?: boolean;
    list_amount_vnd: number;
    discount_vnd: number;
    total_vnd: number;
    vat_rate: string;
    vat_vnd: number;
    adjustments: { promotion_id: string; amount_vnd: number; label: { en: string; vi: string } }[];
  }[];
  vat: { rate: string; gross_vnd: number; vat_vnd: number }[];
  totals: {
    subtotal_vnd: number;
    discount_vnd: number;
    vat_vnd: number;
    total_vnd: number;
    delivery_discount_vnd: number;
  };
  applied: { promotion_id: string; amount_vnd: number }[];
  not_applied: { promotion_id: string; reason: { code: string; en: string; vi: string } }[];
  coupons: { code: string; status: string; reason?: { code: string } }[];
  errors?: { field: string; code: string }[];
}

async function quote(body: Record<string, unknown>, as: 'anonymous' | 'checkout' = 'anonymous') {
  const res = await fn.call('POST', '/pricing/quote', { json: body, as });
  return { status: res.status, body: (await res.json()) as QuoteAnswer };
}

async function create(def: Record<string, unknown>) {
  const res = await fn.call('POST', '/promotions', { json: def });
  expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 201 });
}

const base = {
  name: { en: 'Test promotion', vi: 'Khuyến mãi thử' },
  label: { en: 'Deal', vi: 'Ưu đãi' },
  status: 'active',
};

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 5 });
  fn = await startPromotions(db.url);
  await addProducts(fn, [
    product('TU-MILK-1', { price_vnd: 32_000 }),
    product('TU-BEER-1', {
      price_vnd: 18_000,
      tax_category: 'VAT10_EXCLUDED',
      brand: 'Sabeco',
      category_path: [{ id: 'do-uong', name_en: 'Drinks', name_vi: 'Đồ uống' }],
    }),
    product('TU-RAU-1', {
      price_vnd: 12_000,
      tax_category: 'VAT5',
      is_perishable: true,
      category_path: [
        { id: 'thuc-pham', name_en: 'Food', name_vi: 'Thực phẩm' },
        { id: 'rau-la', name_en: 'Leafy greens', name_vi: 'Rau lá' },
      ],
    }),
    product('TU-PORK-1-W', {
      sold_by: 'weight',
      unit: 'kg',
      price_vnd: 75_000,
      price_per_kg_vnd: 150_000,
      nominal_weight_g: 500,
      tax_category: 'VAT5',
      category_path: [{ id: 'thit', name_en: 'Meat', name_vi: 'Thịt' }],
    }),
    product('TU-OLD-1', { status: 'discontinued' }),
  ]);
});

afterAll(async () => {
  await fn?.close();
  await db?.drop();
});

describe('quotes', () => {
  it('prices list prices with VAT per rate, weighted lines estimated then re-priced from the picked weight', async () => {
    const { status, body } = await quote({
      lines: [
        { sku: 'TU-MILK-1', qty: 2 },
        { sku: 'TU-BEER-1', qty: 6 },
        { sku: 'TU-PORK-1-W', qty: 1 },
      ],
      at: '2026-12-07T10:00:00+07:00',
    });
    expect(status).toBe(200);
    expect(body.lines.map((l) => [l.sku, l.list_amount_vnd, l.vat_rate])).toEqual([
      ['TU-MILK-1', 64_000, '8%'],
      ['TU-BEER-1', 108_000, '10%'],
      ['TU-PORK-1-W', 75_000, '5%'],
    ]);
    expect(body.lines[2]).toMatchObject({ grams: 500, estimated: true });
    expect(body.vat.map((v) => v.rate)).toEqual(['5%', '8%', '10%']);
    expect(body.totals.total_vnd).toBe(64_000 + 108_000 + 75_000);
    expect(body.totals.vat_vnd).toBe(body.vat.reduce((s, v) => s + v.vat_vnd, 0));

    const picked = await quote({ lines: [{ sku: 'TU-PORK-1-W', qty: 1, picked_grams: 537 }] });
    expect(picked.body.lines[0]).toMatchObject({ grams: 537, estimated: false, list_amount_vnd: 80_550 });
  });

  it('shows the end of the VAT cut between 31 Dec 2026 and 1 Jan 2027 (Vietnam time)', async () => {
    const lines = [{ sku: 'TU-MILK-1', qty: 1 }];
    const dec = await quote({ lines, at: '2026-12-31T23:59:59+07:00' });
    const jan = await quote({ lines, at: '2027-01-01T00:00:00+07:00' });
    expect(dec.body.lines[0]).toMatchObject({ vat_rate: '8%', vat_vnd: 2_370, total_vnd: 32_000 });
    expect(jan.body.lines[0]).toMatchObject({ vat_rate: '10%', vat_vnd: 2_909, total_vnd: 32_000 });
  });

  it('refuses unknown and inactive SKUs, fractional pieces, grams on pieces, 500 lines — per line', async () => {
    const bad = await quote({
      lines: [
        { sku: 'TU-NOPE-1', qty: 1 },
        { sku: 'TU-OLD-1', qty: 1 },
        { sku: 'TU-MILK-1', grams: 300 },
        { sku: 'TU-PORK-1-W' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors!.map((e) => [e.field, e.code])).toEqual([
      ['/lines/0/sku', 'unknown-sku'],
      ['/lines/1/sku', 'inactive'],
      ['/lines/2/grams', 'sold-by-piece'],
      ['/lines/3/qty', 'one-of'],
    ]);
    for (const lines of [
      [{ sku: 'TU-MILK-1', qty: 1.5 }],
      [{ sku: 'TU-MILK-1', qty: 0 }],
      [{ sku: 'TU-MILK-1', qty: -1 }],
      Array.from({ length: 500 }, () => ({ sku: 'TU-MILK-1', qty: 1 })),
      [],
    ])
      expect((await quote({ lines })).status).toBe(400);
  });

  it('applies a live promotion with a bilingual label, and a price change arrives by event', async () => {
    await create({
      ...base,
      id: 'rau-20',
      label: { en: '20% off greens', vi: 'Giảm 20% rau' },
      target: { kind: 'categories', categories: ['rau-la'] },
      discount: { kind: 'percentage', percent: 20 },
    });
    const { body } = await quote({ lines: [{ sku: 'TU-RAU-1', qty: 3 }] });
    expect(body.lines[0]).toMatchObject({
      list_amount_vnd: 36_000,
      discount_vnd: 7_200,
      total_vnd: 28_800,
      adjustments: [{ promotion_id: 'rau-20', amount_vnd: 7_200, label: { vi: 'Giảm 20% rau' } }],
    });
    const res = await fn.deliver(
      buildEvent(
        productUpdated,
        product('TU-RAU-1', {
          price_vnd: 10_000,
          tax_category: 'VAT5',
          version: 2,
          category_path: [{ id: 'rau-la', name_en: 'Leafy greens', name_vi: 'Rau lá' }],
        }) as never,
      ),
    );
    expect(res.status).toBeLessThan(300);
    expect((await quote({ lines: [{ sku: 'TU-RAU-1', qty: 3 }] })).body.lines[0]).toMatchObject({
      list_amount_vnd: 30_000,
      total_vnd: 24_000,
    });
  });

  it('buy 2 get 1 with 6 items gives exactly 2 free, and a maximum of applications holds', async () => {
    await create({
      ...base,
      id: 'beer-b2g1',
      target: { kind: 'skus', skus: ['TU-BEER-1'] },
      discount: { kind: 'buy_x_get_y', buy: 2, get: 1, percent: 100, max_applications: 3 },
    });
    expect((await quote({ lines: [{ sku: 'TU-BEER-1', qty: 6 }] })).body.lines[0]).toMatchObject({
      list_amount_vnd: 108_000,
      discount_vnd: 36_000,
    });
    expect((await quote({ lines: [{ sku: 'TU-BEER-1', qty: 12 }] })).body.lines[0]).toMatchObject({
      discount_vnd: 54_000,
    });
  });

  it('a near-expiry markdown follows stock.expiring: no more units than the lots hold, gone with the lots', async () => {
    await create({
      ...base,
      id: 'milk-near-expiry',
      target: { kind: 'skus', skus: ['TU-MILK-1'] },
      discount: {
        kind: 'near_expiry',
        within_days: 3,
        schedule: [
          { days_left: 1, percent: 40 },
          { days_left: 3, percent: 20 },
        ],
      },
    });
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const body = { lines: [{ sku: 'TU-MILK-1', qty: 5 }], location: 'q1-ben-thanh' };
    expect((await quote(body)).body.lines[0]!.discount_vnd).toBe(0);
    const notice = (quantity: number, at: string) =>
      buildEvent(stockExpiring, {
        sku: 'TU-MILK-1',
        location: 'q1-ben-thanh',
        lot_id: 'LOT-MILK-1',
        expires_on: today,
        quantity,
        at,
      });
    expect((await fn.deliver(notice(2, new Date().toISOString()))).status).toBeLessThan(300);
    // Two units in a lot expiring today: 40 % off those two, nothing off the other three.
    expect((await quote(body)).body.lines[0]!.discount_vnd).toBe(2 * 12_800);
    // Elsewhere there are no such lots.
    expect((await quote({ ...body, location: 'q7-phu-my-hung' })).body.lines[0]!.discount_vnd).toBe(0);
    // An older notice arriving late changes nothing; the lot sold out removes the markdown.
    expect((await fn.deliver(notice(9, '2000-01-01T00:00:00Z'))).status).toBeLessThan(300);
    expect((await quote(body)).body.lines[0]!.discount_vnd).toBe(2 * 12_800);
    expect((await fn.deliver(notice(0, new Date(Date.now() + 1000).toISOString()))).status).toBeLessThan(300);
    expect((await quote(body)).body.lines[0]!.discount_vnd).toBe(0);
  });

  it('coupon promotions price only with their code; unknown codes are rejected with a reason', async () => {
    await create({
      ...base,
      id: 'welcome-30k',
      requires_coupon: true,
      target: { kind: 'order' },
      discount: { kind: 'amount_off', amount_vnd: 30_000, allocation: 'across' },
      conditions: { min_order_value_vnd: 100_000 },
    });
    const code = await fn.call('POST', '/promotions/welcome-30k/coupons', { json: { code: 'chao-ban' } });
    expect(code.status).toBe(201);
    const lines = [
      { sku: 'TU-MILK-1', qty: 2 },
      { sku: 'TU-PORK-1-W', qty: 1 },
    ];
    const without = await quote({ lines });
    expect(without.body.not_applied.map((n) => n.promotion_id)).not.toContain('welcome-30k');
    const withCode = await quote({ lines, coupon_codes: ['CHAO-BAN', 'NOPE-123'] });
    expect(withCode.body.applied).toContainEqual({
      promotion_id: 'welcome-30k',
      label: { en: 'Deal', vi: 'Ưu đãi' },
      amount_vnd: 30_000,
    });
    expect(withCode.body.coupons).toEqual([
      { code: 'CHAO-BAN', status: 'applied', promotion_id: 'welcome-30k' },
      expect.objectContaining({
        code: 'NOPE-123',
        status: 'rejected',
        reason: expect.objectContaining({ code: 'unknown_code' }),
      }),
    ]);
    // The order discount is spread over the lines: totals are the sum of the lines, exactly.
    const sum = withCode.body.lines.reduce((s, l) => s + l.total_vnd, 0);
    expect(withCode.body.totals.total_vnd).toBe(sum);
    const small = await quote({ lines: [{ sku: 'TU-MILK-1', qty: 1 }], coupon_codes: ['chao-ban'] });
    expect(small.body.coupons[0]).toMatchObject({ status: 'rejected', reason: { code: 'min_order_value' } });
  });
});

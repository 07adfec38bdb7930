import { priceCart } from './engine';
import type { Cart, Promotion } from './model';
import { piece, promo, weighed } from './testing';
import { DEFAULT_VAT_TABLE } from './vat';

const AT = new Date('2026-06-15T10:00:00+07:00');
const quote = (cart: Cart, promotions: Promotion[], at = AT) =>
  priceCart(cart, promotions, DEFAULT_VAT_TABLE, at);
const discounts = (cart: Cart, promotions: Promotion[]) =>
  Object.fromEntries(quote(cart, promotions).lines.map((l) => [l.key, l.discount]));

describe('each kind, per line discounts', () => {
  const skus = (...s: string[]) => ({ kind: 'skus' as const, skus: s });
  it.each<[string, Cart, Promotion, Record<string, number>]>([
    [
      'percentage on SKUs',
      { lines: [piece('a', 10_000, 3), piece('b', 5_000, 1)] },
      promo('p', { kind: 'percentage', percent: 15 }, { target: skus('a') }),
      { a: 4_500, b: 0 },
    ],
    [
      'percentage on the order, split exactly',
      { lines: [piece('a', 3_333, 1), piece('b', 3_333, 1), piece('c', 3_334, 1)] },
      promo('p', { kind: 'percentage', percent: 10 }),
      { a: 333, b: 333, c: 334 },
    ],
    [
      'percentage on a category and its descendants',
      {
        lines: [
          piece('a', 10_000, 1, { categoryPath: ['food', 'dairy', 'yogurt'] }),
          piece('b', 10_000, 1, { categoryPath: ['home'] }),
        ],
      },
      promo(
        'p',
        { kind: 'percentage', percent: 50 },
        { target: { kind: 'categories', categories: ['dairy'] } },
      ),
      { a: 5_000, b: 0 },
    ],
    [
      'percentage on a brand',
      { lines: [piece('a', 10_000, 1, { brand: 'vinamilk' }), piece('b', 10_000, 1, { brand: 'th' })] },
      promo('p', { kind: 'percentage', percent: 10 }, { target: { kind: 'brands', brands: ['th'] } }),
      { a: 0, b: 1_000 },
    ],
    [
      'a brand matches whatever its case, accents and spacing',
      {
        lines: [
          piece('a', 10_000, 1, { brand: 'Bà  Tư' }),
          piece('b', 10_000, 1, { brand: 'VINAMILK' }),
          piece('c', 10_000, 1, { brand: 'Vina milk' }),
        ],
      },
      promo(
        'p',
        { kind: 'percentage', percent: 10 },
        { target: { kind: 'brands', brands: ['ba tu', 'Vinamilk'] } },
      ),
      { a: 1_000, b: 1_000, c: 0 },
    ],
    [
      'fixed amount each unit',
      { lines: [piece('a', 10_000, 3)] },
      promo('p', { kind: 'amountOff', amount: 2_000, allocation: 'each' }, { target: skus('a') }),
      { a: 6_000 },
    ],
    [
      'fixed amount each, capped at the line',
      { lines: [piece('a', 1_000, 2)] },
      promo('p', { kind: 'amountOff', amount: 5_000, allocation: 'each' }, { target: skus('a') }),
      { a: 2_000 },
    ],
    [
      'fixed amount across the order',
      { lines: [piece('a', 20_000, 1), piece('b', 10_000, 1)] },
      promo('p', { kind: 'amountOff', amount: 10_000, allocation: 'across' }),
      { a: 6_667, b: 3_333 },
    ],
    [
      'fixed amount above the order',
      { lines: [piece('a', 2_000, 1)] },
      promo('p', { kind: 'amountOff', amount: 50_000, allocation: 'across' }),
      { a: 2_000 },
    ],
    [
      'fixed price',
      { lines: [piece('a', 25_000, 2)] },
      promo('p', { kind: 'fixedPrice', unitPrice: 19_900 }, { target: skus('a') }),
      { a: 10_200 },
    ],
    [
      'fixed price never above list',
      { lines: [piece('a', 15_000, 2)] },
      promo('p', { kind: 'fixedPrice', unitPrice: 19_900 }, { target: skus('a') }),
      { a: 0 },
    ],
    [
      'fixed price per kg on a weighted line',
      { lines: [weighed('m', 200_000, 1, 500)] },
      promo('p', { kind: 'fixedPrice', unitPrice: 150_000 }, { target: skus('m') }),
      { m: 25_000 },
    ],
    [
      'buy 2 get 1 with 6 items: 2 free',
      { lines: [piece('a', 10_000, 6)] },
      promo('p', { kind: 'buyXGetY', buy: 2, get: 1, percent: 100 }, { target: skus('a') }),
      { a: 20_000 },
    ],
    [
      'buy 2 get 1 with 5 items: 1 free',
      { lines: [piece('a', 10_000, 5)] },
      promo('p', { kind: 'buyXGetY', buy: 2, get: 1, percent: 100 }, { target: skus('a') }),
      { a: 10_000 },
    ],
    [
      'buy 2 get 1: the cheapest units are free',
      { lines: [piece('a', 30_000, 2), piece('b', 10_000, 1), piece('c', 20_000, 3)] },
      promo('p', { kind: 'buyXGetY', buy: 2, get: 1, percent: 100 }, { target: skus('a', 'b', 'c') }),
      { a: 0, b: 10_000, c: 20_000 },
    ],
    [
      'buy 2 get 1 at 50 %',
      { lines: [piece('a', 10_000, 6)] },
      promo('p', { kind: 'buyXGetY', buy: 2, get: 1, percent: 50 }, { target: skus('a') }),
      { a: 10_000 },
    ],
    [
      'buy 1 get 1: maximum applications holds',
      { lines: [piece('a', 10_000, 10)] },
      promo(
        'p',
        { kind: 'buyXGetY', buy: 1, get: 1, percent: 100, maxApplications: 2 },
        { target: skus('a') },
      ),
      { a: 20_000 },
    ],
    [
      'buy 2 of a, get 1 of b',
      { lines: [piece('a', 10_000, 4), piece('b', 8_000, 5)] },
      promo(
        'p',
        { kind: 'buyXGetY', buy: 2, get: 1, percent: 100, getTarget: skus('b') },
        { target: skus('a') },
      ),
      { a: 0, b: 16_000 },
    ],
    [
      'buy a get b: no b, nothing',
      { lines: [piece('a', 10_000, 4)] },
      promo(
        'p',
        { kind: 'buyXGetY', buy: 2, get: 1, percent: 100, getTarget: skus('b') },
        { target: skus('a') },
      ),
      { a: 0 },
    ],
    [
      'tiered by quantity: unit price from 3',
      { lines: [piece('a', 10_000, 2), piece('b', 10_000, 2)] },
      promo(
        'p',
        {
          kind: 'tiered',
          measure: 'quantity',
          tiers: [
            { min: 3, unitPrice: 9_000 },
            { min: 6, unitPrice: 8_000 },
          ],
        },
        { target: skus('a', 'b') },
      ),
      { a: 2_000, b: 2_000 },
    ],
    [
      'tiered by quantity: the highest tier reached',
      { lines: [piece('a', 10_000, 6)] },
      promo(
        'p',
        {
          kind: 'tiered',
          measure: 'quantity',
          tiers: [
            { min: 3, percent: 5 },
            { min: 6, percent: 10 },
          ],
        },
        { target: skus('a') },
      ),
      { a: 6_000 },
    ],
    [
      'tiered by quantity: below the first tier',
      { lines: [piece('a', 10_000, 2)] },
      promo(
        'p',
        { kind: 'tiered', measure: 'quantity', tiers: [{ min: 3, percent: 5 }] },
        { target: skus('a') },
      ),
      { a: 0 },
    ],
    [
      'tiered by weight: 10 % from 1 kg',
      { lines: [weighed('m', 100_000, 3, 400)] },
      promo(
        'p',
        { kind: 'tiered', measure: 'grams', tiers: [{ min: 1_000, percent: 10 }] },
        { target: skus('m') },
      ),
      { m: 12_000 },
    ],
    [
      'buy 2 of the category, get 1 of it free: pools overlap, a unit is never both',
      {
        lines: [
          piece('a', 10_000, 2, { categoryPath: ['dairy'] }),
          piece('b', 6_000, 1, { categoryPath: ['dairy'] }),
        ],
      },
      promo(
        'p',
        {
          kind: 'buyXGetY',
          buy: 2,
          get: 1,
          percent: 100,
          getTarget: { kind: 'categories', categories: ['dairy'] },
        },
        { target: { kind: 'categories', categories: ['dairy'] } },
      ),
      { a: 0, b: 6_000 },
    ],
    [
      'buy X get Y ignores weighted lines',
      { lines: [weighed('m', 100_000, 6, 500)] },
      promo('p', { kind: 'buyXGetY', buy: 2, get: 1, percent: 100 }, { target: skus('m') }),
      { m: 0 },
    ],
    [
      'tiered by weight: price per kg from 1 kg',
      { lines: [weighed('m', 200_000, 2, 600)] },
      promo(
        'p',
        { kind: 'tiered', measure: 'grams', tiers: [{ min: 1_000, unitPrice: 180_000 }] },
        { target: skus('m') },
      ),
      { m: 24_000 },
    ],
  ])('%s', (_name, cart, promotion, want) => {
    expect(discounts(cart, [promotion])).toEqual(want);
  });
});

describe('delivery', () => {
  it.each<[string, Promotion, number]>([
    [
      'free delivery',
      promo('d', { kind: 'delivery', percent: 100 }, { target: { kind: 'delivery' } }),
      15_000,
    ],
    [
      'half-price delivery',
      promo('d', { kind: 'delivery', percent: 50 }, { target: { kind: 'delivery' } }),
      7_500,
    ],
    [
      '10,000 off delivery',
      promo('d', { kind: 'delivery', amount: 10_000 }, { target: { kind: 'delivery' } }),
      10_000,
    ],
    [
      '50,000 off delivery is capped at the fee',
      promo('d', { kind: 'delivery', amount: 50_000 }, { target: { kind: 'delivery' } }),
      15_000,
    ],
  ])('%s', (_name, promotion, off) => {
    const q = quote({ lines: [piece('a', 100_000, 1)], deliveryFee: 15_000 }, [promotion]);
    expect(q.totals.deliveryDiscount).toBe(off);
    expect(q.totals.total).toBe(115_000 - off);
    expect(q.delivery.adjustments).toEqual([{ promotionId: 'd', amount: off, label: promotion.label }]);
  });
});

describe('near-expiry markdown', () => {
  const markdown = promo(
    'x',
    {
      kind: 'nearExpiry',
      withinDays: 3,
      schedule: [
        { daysLeft: 3, percent: 20 },
        { daysLeft: 1, percent: 40 },
      ],
    },
    { target: { kind: 'categories', categories: ['food'] } },
  );
  const lot = (expiresOn: string, qty: number, location = 'kho-q1') => ({
    sku: 'milk',
    location,
    qty,
    expiresOn,
  });
  it.each<[string, { sku: string; location: string; qty: number; expiresOn: string }[], number]>([
    ['no lots: nothing', [], 0],
    ['3 days left: 20 % on the lot units only', [lot('2026-06-18', 2)], 4_000],
    ['1 day left: 40 %', [lot('2026-06-16', 5)], 20_000],
    ['today: 40 %', [lot('2026-06-15', 1)], 4_000],
    ['earliest lot first, then the next', [lot('2026-06-18', 3), lot('2026-06-16', 2)], 8_000 + 6_000],
    ['4 days left: outside the window', [lot('2026-06-19', 5)], 0],
    ['already expired: nothing', [lot('2026-06-14', 5)], 0],
    ['another location: nothing', [lot('2026-06-16', 5, 'kho-q7')], 0],
    ['lots hold more than the cart: only the cart units', [lot('2026-06-16', 50)], 40_000],
  ])('%s', (_name, lots, off) => {
    const cart: Cart = { lines: [piece('milk', 10_000, 10)], location: 'kho-q1', lots };
    expect(quote(cart, [markdown]).totals.discount).toBe(off);
  });

  it('two lines of the same SKU share the lots: no more units than the lots hold', () => {
    const cart: Cart = {
      lines: [piece('m1', 10_000, 2, { sku: 'milk' }), piece('m2', 10_000, 2, { sku: 'milk' })],
      location: 'kho-q1',
      lots: [lot('2026-06-16', 3)],
    };
    expect(quote(cart, [markdown]).lines.map((l) => l.discount)).toEqual([8_000, 4_000]);
  });
});

describe('weighted items', () => {
  it('estimates from the nominal weight, then reprices from the picked grams', () => {
    const estimate = quote({ lines: [weighed('m', 189_000, 2, 500)] }, []);
    expect(estimate.lines[0]).toMatchObject({ grams: 1_000, estimated: true, listAmount: 189_000 });
    const picked = quote({ lines: [weighed('m', 189_000, 2, 500, 1_043)] }, []);
    expect(picked.lines[0]).toMatchObject({ grams: 1_043, estimated: false, listAmount: 197_127 });
  });

  it('rounds per line to the đồng (half up)', () => {
    expect(quote({ lines: [weighed('m', 99_999, 1, 500, 333)] }, []).lines[0]!.listAmount).toBe(33_300);
  });
});

import { priceCart } from './engine';
import type { Cart } from './model';
import { piece, promo, weighed } from './testing';
import { DEFAULT_VAT_TABLE } from './vat';

describe('VAT at the year boundary (Vietnam time)', () => {
  const cart: Cart = {
    lines: [
      piece('snack', 108_000, 1),
      piece('beer', 110_000, 1, { taxCategory: 'VAT10_EXCLUDED' }),
      weighed('rau', 105_000, 1, 1_000, undefined, { taxCategory: 'VAT5' }),
    ],
  };
  it.each([
    [
      '2026-12-31T23:59:00+07:00',
      [
        ['5%', 5_000],
        ['8%', 8_000],
        ['10%', 10_000],
      ],
    ],
    [
      '2027-01-01T00:00:00+07:00',
      [
        ['5%', 5_000],
        ['10%', 19_818],
      ],
    ],
  ])('priced at %s', (at, parts) => {
    const q = priceCart(cart, [], DEFAULT_VAT_TABLE, new Date(at));
    expect(q.vat.map((p) => [p.rate, p.vat])).toEqual(parts);
    expect(q.totals.vat).toBe(parts.reduce((s, [, v]) => s + (v as number), 0));
    expect(q.totals.total).toBe(323_000);
  });
});

describe('a fixed discount on VAT-inclusive prices gives exact totals', () => {
  it.each([
    [10_000, [33_333, 33_333, 33_334]],
    [100_000, [33_333, 33_333, 33_334]],
    [1, [1, 1, 1]],
  ])('%p off', (off, prices) => {
    const lines = prices.map((p, i) => piece(`l${i}`, p, 1));
    const q = priceCart(
      { lines },
      [promo('f', { kind: 'amountOff', amount: off, allocation: 'across' })],
      DEFAULT_VAT_TABLE,
      new Date('2026-06-15T10:00:00+07:00'),
    );
    const sum = prices.reduce((a, b) => a + b, 0);
    expect(q.totals.discount).toBe(Math.min(off, sum));
    expect(q.totals.total).toBe(sum - Math.min(off, sum));
    expect(q.lines.reduce((s, l) => s + l.total, 0)).toBe(q.totals.total);
    expect(q.vat.reduce((s, p) => s + p.vat, 0)).toBe(q.totals.vat);
    for (const l of q.lines) expect(l.total).toBeGreaterThanOrEqual(0);
  });
});

describe('determinism', () => {
  it('the same cart priced twice, or with its lines reversed, prices the same', () => {
    const lines = [piece('a', 10_000, 6), piece('b', 10_000, 3), weighed('c', 150_000, 2, 300)];
    const promotions = [
      promo(
        'b2g1',
        { kind: 'buyXGetY', buy: 2, get: 1, percent: 100 },
        { target: { kind: 'skus', skus: ['a', 'b'] } },
      ),
      promo('ten', { kind: 'amountOff', amount: 10_001, allocation: 'across' }),
    ];
    const at = new Date('2026-06-15T10:00:00+07:00');
    const first = priceCart({ lines }, promotions, DEFAULT_VAT_TABLE, at);
    expect(priceCart({ lines }, promotions, DEFAULT_VAT_TABLE, at)).toEqual(first);
    expect(
      priceCart({ lines: [...lines].reverse() }, [...promotions].reverse(), DEFAULT_VAT_TABLE, at),
    ).toEqual(first);
  });
});

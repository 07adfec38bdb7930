import fc from 'fast-check';
import {
  addCoupon,
  addToLine,
  MAX_GRAMS,
  MAX_LINES,
  MAX_PIECES,
  mergeInto,
  removeLine,
  setLine,
  type Outcome,
} from './domain';
import type { Cart } from './model';
import { emptyCart, line, productInfo } from './testing';

const NOW = '2026-12-07T10:00:00.000Z';
const products = new Map(
  [
    productInfo('TU-MILK-1', { price_vnd: 32_000 }),
    productInfo('TU-PORK-1-W', { sold_by: 'weight', price_per_kg_vnd: 150_000, nominal_weight_g: 450 }),
    productInfo('TU-OLD-1', { status: 'discontinued' }),
    productInfo('TU-ALT-1'),
  ].map((p) => [p.sku, p]),
);
const ok = (o: Outcome): Cart => {
  if (!o.ok) throw new Error(JSON.stringify(o));
  return o.cart;
};
const errorOf = (o: Outcome) => (o.ok ? undefined : o.kind === 'invalid' ? o.errors[0]!.code : o.kind);

describe('adding to a line', () => {
  it('appends a new line with the list price seen, then adds to it', () => {
    const one = ok(addToLine(emptyCart(), 'TU-MILK-1', { qty: 2 }, products, NOW));
    expect(one.lines).toEqual([
      { sku: 'TU-MILK-1', qty: 2, price_at_add_vnd: 32_000, added_at: NOW, updated_at: NOW },
    ]);
    expect(one.lines_touched_at).toBe(NOW);
    const two = ok(addToLine(one, 'TU-MILK-1', { qty: 3, note: 'ripe ones' }, products, NOW));
    expect(two.lines).toMatchObject([{ sku: 'TU-MILK-1', qty: 5, note: 'ripe ones' }]);
  });

  it('counts items sold by weight in grams: a step, or pieces of the nominal weight rounded up to it', () => {
    const byGrams = ok(addToLine(emptyCart(), 'TU-PORK-1-W', { grams: 300 }, products, NOW));
    expect(byGrams.lines[0]).toMatchObject({ grams: 300, price_at_add_vnd: 150_000 });
    const byPieces = ok(addToLine(byGrams, 'TU-PORK-1-W', { qty: 2 }, products, NOW));
    expect(byPieces.lines[0]).toMatchObject({ grams: 300 + 900 });
  });

  it.each([
    ['an unknown SKU', 'TU-NOPE-1', { qty: 1 }, 'unknown-sku'],
    ['a discontinued SKU', 'TU-OLD-1', { qty: 1 }, 'not-on-sale'],
    ['grams of a piece', 'TU-MILK-1', { grams: 100 }, 'sold-by-piece'],
    ['no pieces', 'TU-MILK-1', {}, 'required'],
    ['grams off the step', 'TU-PORK-1-W', { grams: 250 }, 'step'],
    ['both pieces and grams by weight', 'TU-PORK-1-W', { qty: 1, grams: 200 }, 'one-of'],
    ['more than the per-line maximum', 'TU-MILK-1', { qty: MAX_PIECES + 1 }, 'line-limit'],
    ['more than 20 kg', 'TU-PORK-1-W', { grams: MAX_GRAMS + 100 }, 'line-limit'],
    [
      'itself as a substitute',
      'TU-MILK-1',
      { qty: 1, substitution: { mode: 'specific' as const, skus: ['TU-MILK-1'] } },
      'self',
    ],
    [
      'a discontinued substitute',
      'TU-MILK-1',
      { qty: 1, substitution: { mode: 'specific' as const, skus: ['TU-OLD-1'] } },
      'not-on-sale',
    ],
  ])('refuses %s and changes nothing', (_name, sku, input, code) => {
    const cart = emptyCart();
    expect(errorOf(addToLine(cart, sku, input, products, NOW))).toBe(code);
    expect(cart.lines).toEqual([]);
  });

  it('refuses adding past the per-line maximum and a 201st line', () => {
    const full = ok(addToLine(emptyCart(), 'TU-MILK-1', { qty: MAX_PIECES }, products, NOW));
    expect(errorOf(addToLine(full, 'TU-MILK-1', { qty: 1 }, products, NOW))).toBe('line-limit');
    const many = emptyCart('c', { lines: Array.from({ length: MAX_LINES }, (_, i) => line(`TU-X-${i}`, 1)) });
    expect(errorOf(addToLine(many, 'TU-MILK-1', { qty: 1 }, products, NOW))).toBe('too-many-lines');
    expect(
      ok(addToLine(many, 'TU-X-7', { qty: 1 }, new Map([['TU-X-7', productInfo('TU-X-7')]]), NOW)).lines,
    ).toHaveLength(MAX_LINES);
  });

  it('refuses any write to a merged or checked-out cart', () => {
    expect(
      errorOf(
        addToLine(
          emptyCart('g', { status: 'merged', merged_into: 'c' }),
          'TU-MILK-1',
          { qty: 1 },
          products,
          NOW,
        ),
      ),
    ).toBe('closed');
    expect(errorOf(removeLine(emptyCart('g', { status: 'checked_out' }), 'TU-MILK-1', NOW))).toBe('closed');
  });
});

describe('setting and removing', () => {
  const cart = ok(addToLine(emptyCart(), 'TU-MILK-1', { qty: 2, note: 'cold' }, products, NOW));
  it('sets the amount, keeps the note unless told, clears it with null', () => {
    expect(ok(setLine(cart, 'TU-MILK-1', { qty: 7 }, products, NOW)).lines[0]).toMatchObject({
      qty: 7,
      note: 'cold',
    });
    expect(ok(setLine(cart, 'TU-MILK-1', { note: null }, products, NOW)).lines[0]!.note).toBeUndefined();
    expect(
      ok(
        setLine(cart, 'TU-MILK-1', { substitution: { mode: 'specific', skus: ['TU-ALT-1'] } }, products, NOW),
      ).lines[0]!.substitution,
    ).toEqual({ mode: 'specific', skus: ['TU-ALT-1'] });
    expect(errorOf(setLine(cart, 'TU-PORK-1-W', { grams: 100 }, products, NOW))).toBe('not-found');
  });
  it('removes a line; removing an absent one changes nothing; an emptied cart has no activity time', () => {
    const empty = ok(removeLine(cart, 'TU-MILK-1', NOW));
    expect(empty.lines).toEqual([]);
    expect(empty.lines_touched_at).toBeUndefined();
    expect(ok(removeLine(empty, 'TU-MILK-1', NOW))).toBe(empty);
  });
  it('upper-cases coupons and keeps one of each', () => {
    const once = ok(addCoupon(cart, 'tet2027', NOW));
    expect(ok(addCoupon(once, 'TET2027', NOW)).coupons).toEqual(['TET2027']);
  });
});

describe('merging a guest cart', () => {
  const arbLines = fc.uniqueArray(
    fc.record({
      sku: fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `TU-S-${i}`)),
      qty: fc.integer({ min: 1, max: MAX_PIECES }),
    }),
    { selector: (l) => l.sku, maxLength: 12 },
  );

  it('never loses a SKU, sums within the limit, and happens once', () => {
    fc.assert(
      fc.property(arbLines, arbLines, (mine, theirs) => {
        const target = emptyCart('customer-cart', {
          owner: { kind: 'customer', customer_id: 'u' },
          lines: mine.map((l) => line(l.sku, l.qty)),
        });
        const guest = emptyCart('guest-cart', { lines: theirs.map((l) => line(l.sku, l.qty)) });
        const { cart, report } = mergeInto(target, guest, NOW);
        const skus = new Set([...mine, ...theirs].map((l) => l.sku));
        expect(new Set(cart.lines.map((l) => l.sku))).toEqual(skus);
        for (const sku of skus) {
          const want =
            (mine.find((l) => l.sku === sku)?.qty ?? 0) + (theirs.find((l) => l.sku === sku)?.qty ?? 0);
          expect(cart.lines.find((l) => l.sku === sku)!.qty).toBe(Math.min(want, MAX_PIECES));
          expect(report.capped.includes(sku)).toBe(want > MAX_PIECES);
        }
        const again = mergeInto(cart, guest, NOW);
        expect(again.cart).toBe(cart);
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  it('drops only what does not fit in 200 lines, and says so', () => {
    const target = emptyCart('t', {
      lines: Array.from({ length: MAX_LINES - 1 }, (_, i) => line(`TU-T-${i}`, 1)),
    });
    const guest = emptyCart('g', { lines: [line('TU-A-1', 1), line('TU-B-1', 1)], coupons: ['X-1'] });
    const { cart, report } = mergeInto(target, guest, NOW);
    expect(cart.lines).toHaveLength(MAX_LINES);
    expect(report.dropped).toEqual(['TU-B-1']);
    expect(cart.coupons).toEqual(['X-1']);
    expect(cart.merged_from).toEqual(['g']);
  });
});

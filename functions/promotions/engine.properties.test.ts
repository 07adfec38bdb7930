/**
 * Property tests of the pricing engine over random carts and promotion sets (seeded: the same
 * cases on every run, so they never flake).
 */
import fc from 'fast-check';
import { priceCart } from './engine';
import type { Action, Cart, CartLine, Promotion, Target } from './model';
import { DEFAULT_VAT_TABLE } from './vat';

const SKUS = ['s1', 's2', 's3', 's4', 's5', 's6'];
const CATEGORIES = ['food', 'dairy', 'fresh', 'drinks'];
const TAX = ['VAT5', 'VAT10_REDUCIBLE', 'VAT10_EXCLUDED', 'EXEMPT'];

const line = (key: string): fc.Arbitrary<CartLine> =>
  fc
    .record({
      sku: fc.constantFrom(...SKUS),
      unitPrice: fc.integer({ min: 0, max: 500_000 }),
      qty: fc.integer({ min: 1, max: 12 }),
      weighted: fc.boolean(),
      nominalGrams: fc.integer({ min: 50, max: 2_000 }),
      picked: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: undefined }),
      categoryPath: fc.subarray(CATEGORIES, { minLength: 1 }),
      brand: fc.constantFrom('a', 'b', undefined),
      taxCategory: fc.constantFrom(...TAX),
    })
    .map(({ weighted, nominalGrams, picked, ...l }) =>
      weighted
        ? ({
            key,
            soldBy: 'weight',
            nominalGrams,
            ...(picked ? { pickedGrams: picked } : {}),
            ...l,
          } as CartLine)
        : ({ key, soldBy: 'piece', ...l } as CartLine),
    );

const target: fc.Arbitrary<Target> = fc.oneof(
  fc.record({ kind: fc.constant('skus' as const), skus: fc.subarray(SKUS, { minLength: 1 }) }),
  fc.record({
    kind: fc.constant('categories' as const),
    categories: fc.subarray(CATEGORIES, { minLength: 1 }),
  }),
  fc.record({ kind: fc.constant('brands' as const), brands: fc.subarray(['a', 'b'], { minLength: 1 }) }),
  fc.constant({ kind: 'order' as const }),
);

const percent = fc.integer({ min: 0, max: 100 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('percentage' as const), percent }),
  fc.record({
    kind: fc.constant('amountOff' as const),
    amount: fc.integer({ min: 0, max: 300_000 }),
    allocation: fc.constantFrom('each' as const, 'across' as const),
  }),
  fc.record({ kind: fc.constant('fixedPrice' as const), unitPrice: fc.integer({ min: 0, max: 500_000 }) }),
  fc.record({
    kind: fc.constant('buyXGetY' as const),
    buy: fc.integer({ min: 1, max: 3 }),
    get: fc.integer({ min: 1, max: 2 }),
    percent,
    getTarget: fc.option(target, { nil: undefined }),
    maxApplications: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('tiered' as const),
    measure: fc.constantFrom('quantity' as const, 'grams' as const),
    tiers: fc.array(
      fc.record({ min: fc.integer({ min: 1, max: 3_000 }), percent: fc.option(percent, { nil: undefined }) }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('nearExpiry' as const),
    withinDays: fc.integer({ min: 0, max: 5 }),
    schedule: fc.array(fc.record({ daysLeft: fc.integer({ min: 0, max: 5 }), percent }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
);

const promotion = (id: string): fc.Arbitrary<Promotion> =>
  fc
    .record({
      delivery: fc.boolean(),
      target,
      action,
      deliveryPercent: percent,
      priority: fc.integer({ min: 0, max: 3 }),
      exclusive: fc.boolean(),
      stackGroup: fc.constantFrom('g1', 'g2', undefined),
      minOrderValue: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
    })
    .map(({ delivery, deliveryPercent, minOrderValue, ...p }) => ({
      id,
      label: { en: id, vi: id },
      status: 'active' as const,
      ...p,
      ...(delivery
        ? {
            target: { kind: 'delivery' as const },
            action: { kind: 'delivery' as const, percent: deliveryPercent },
          }
        : {}),
      ...(minOrderValue === undefined ? {} : { conditions: { minOrderValue } }),
    }));

const scenario = fc
  .record({
    lineCount: fc.integer({ min: 1, max: 8 }),
    promotionCount: fc.integer({ min: 0, max: 6 }),
    deliveryFee: fc.integer({ min: 0, max: 50_000 }),
    day: fc.integer({ min: 0, max: 10 }),
    lots: fc.array(
      fc.record({
        sku: fc.constantFrom(...SKUS),
        location: fc.constantFrom('kho-1', 'kho-2'),
        qty: fc.integer({ min: 1, max: 10 }),
        expiresOn: fc.constantFrom('2026-12-30', '2026-12-31', '2027-01-01', '2027-01-03'),
      }),
      { maxLength: 4 },
    ),
  })
  .chain(({ lineCount, promotionCount, deliveryFee, day, lots }) =>
    fc.record({
      cart: fc
        .tuple(...Array.from({ length: lineCount }, (_, i) => line(`l${i}`)))
        .map((lines): Cart => ({ lines, deliveryFee, location: 'kho-1', lots })),
      promotions: fc.tuple(...Array.from({ length: promotionCount }, (_, i) => promotion(`p${i}`))),
      at: fc.constant(new Date(Date.parse('2026-12-28T12:00:00+07:00') + day * 86_400_000)),
      shuffle: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
    }),
  );

const RUNS = { seed: 20261206, numRuns: 300 };

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, k: keys[i % keys.length]! * 31 + i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.item);
}

describe('priceCart properties', () => {
  it('totals are the sum of lines; no line below 0; no discount above its line; all integers', () => {
    fc.assert(
      fc.property(scenario, ({ cart, promotions, at }) => {
        const q = priceCart(cart, promotions, DEFAULT_VAT_TABLE, at);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        for (const l of q.lines) {
          expect(l.total).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBeLessThanOrEqual(l.listAmount);
          expect(l.total).toBe(l.listAmount - l.discount);
          expect(sum(l.adjustments.map((a) => a.amount))).toBe(l.discount);
          for (const a of l.adjustments) expect(a.amount).toBeGreaterThan(0);
          for (const v of [l.listAmount, l.discount, l.total, l.vat])
            expect(Number.isSafeInteger(v)).toBe(true);
        }
        expect(q.delivery.discount).toBeLessThanOrEqual(q.delivery.fee);
        expect(q.delivery.total).toBeGreaterThanOrEqual(0);
        expect(q.totals.subtotal).toBe(sum(q.lines.map((l) => l.listAmount)));
        expect(q.totals.discount).toBe(sum(q.lines.map((l) => l.discount)));
        expect(q.totals.total).toBe(sum(q.lines.map((l) => l.total)) + q.delivery.total);
        expect(sum(q.applied.map((a) => a.amount))).toBe(q.totals.discount + q.totals.deliveryDiscount);
        for (const v of Object.values(q.totals)) expect(Number.isSafeInteger(v)).toBe(true);
        expect(q.applied.length + q.notApplied.length).toBe(promotions.length);
      }),
      RUNS,
    );
  });

  it('VAT parts sum to the VAT total and to the total', () => {
    fc.assert(
      fc.property(scenario, ({ cart, promotions, at }) => {
        const q = priceCart(cart, promotions, DEFAULT_VAT_TABLE, at);
        expect(q.vat.reduce((s, p) => s + p.vat, 0)).toBe(q.totals.vat);
        expect(q.vat.reduce((s, p) => s + p.gross, 0)).toBe(q.totals.total);
        for (const p of q.vat) {
          expect(p.net + p.vat).toBe(p.gross);
          expect(Number.isSafeInteger(p.vat)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('the result does not depend on the order of lines or promotions, nor on pricing twice', () => {
    fc.assert(
      fc.property(scenario, ({ cart, promotions, at, shuffle }) => {
        const first = priceCart(cart, promotions, DEFAULT_VAT_TABLE, at);
        expect(priceCart(cart, promotions, DEFAULT_VAT_TABLE, at)).toEqual(first);
        const reordered = {
          ...cart,
          lines: shuffled(cart.lines, shuffle),
          lots: shuffled(cart.lots ?? [], shuffle),
        };
        expect(priceCart(reordered, shuffled(promotions, shuffle), DEFAULT_VAT_TABLE, at)).toEqual(first);
      }),
      RUNS,
    );
  });
});

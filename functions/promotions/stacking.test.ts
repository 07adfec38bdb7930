import { priceCart } from './engine';
import type { Cart, Promotion } from './model';
import { piece, promo } from './testing';
import { DEFAULT_VAT_TABLE } from './vat';

const AT = new Date('2026-06-15T10:00:00+07:00');
const cart: Cart = { lines: [piece('a', 100_000, 1), piece('b', 50_000, 2)], deliveryFee: 20_000 };
const pct = (id: string, percent: number, extra: Partial<Promotion> = {}) =>
  promo(id, { kind: 'percentage', percent }, extra);
const freeDelivery = (id: string, extra: Partial<Promotion> = {}) =>
  promo(id, { kind: 'delivery', percent: 100 }, { target: { kind: 'delivery' }, ...extra });

describe('stacking', () => {
  it.each<[string, Promotion[], string[], Record<string, string>]>([
    ['stackable promotions combine', [pct('p1', 10), freeDelivery('d1')], ['d1', 'p1'], {}],
    [
      'same group: the best for the customer wins',
      [pct('p1', 10, { stackGroup: 'g' }), pct('p2', 20, { stackGroup: 'g' })],
      ['p2'],
      { p1: 'group_lost' },
    ],
    [
      'same group, same value: higher priority wins',
      [pct('p1', 10, { stackGroup: 'g' }), pct('p2', 10, { stackGroup: 'g', priority: 5 })],
      ['p2'],
      { p1: 'group_lost' },
    ],
    [
      'same group, same value and priority: smaller id wins',
      [pct('p2', 10, { stackGroup: 'g' }), pct('p1', 10, { stackGroup: 'g' })],
      ['p1'],
      { p2: 'group_lost' },
    ],
    [
      'exclusive worth more than the stack: alone',
      [pct('x', 30, { exclusive: true }), pct('p1', 10), freeDelivery('d1')],
      ['x'],
      { p1: 'exclusive_blocked', d1: 'exclusive_blocked' },
    ],
    [
      'stack worth more than the exclusive: exclusive left out',
      [pct('x', 15, { exclusive: true }), pct('p1', 10), freeDelivery('d1')],
      ['d1', 'p1'],
      { x: 'exclusive_lost' },
    ],
    [
      'two exclusives never combine',
      [pct('x1', 20, { exclusive: true }), pct('x2', 30, { exclusive: true })],
      ['x2'],
      { x1: 'exclusive_blocked' },
    ],
    [
      'applied in priority order, each on what is left',
      [pct('late', 50), pct('first', 50, { priority: 9 })],
      ['first', 'late'],
      {},
    ],
  ])('%s', (_name, promotions, applied, rejected) => {
    const q = priceCart(cart, promotions, DEFAULT_VAT_TABLE, AT);
    expect(q.applied.map((a) => a.promotionId)).toEqual(applied);
    expect(Object.fromEntries(q.notApplied.map((n) => [n.promotionId, n.reason.code]))).toEqual(rejected);
    for (const n of q.notApplied) expect(n.reason.en && n.reason.vi).toBeTruthy();
  });

  it('each promotion in a stack sees what the previous left', () => {
    const q = priceCart(cart, [pct('late', 50), pct('first', 50, { priority: 9 })], DEFAULT_VAT_TABLE, AT);
    expect(q.applied).toEqual([
      expect.objectContaining({ promotionId: 'first', amount: 100_000 }),
      expect.objectContaining({ promotionId: 'late', amount: 50_000 }),
    ]);
    expect(q.totals.total).toBe(50_000 + 20_000);
  });
});

describe('conditions and reasons', () => {
  const base: Cart = { lines: [piece('a', 100_000, 2)], customer: { id: 'u1' } };
  const off = (extra: Partial<Promotion>) => [pct('p', 10, extra)];
  it.each<[string, Cart, Promotion[], string | undefined]>([
    ['active and eligible', base, off({}), undefined],
    ['draft', base, off({ status: 'draft' }), 'not_active'],
    ['paused', base, off({ status: 'paused' }), 'not_active'],
    ['coupon not entered', base, off({ code: 'TET2026' }), 'coupon_missing'],
    ['coupon entered', { ...base, couponCodes: ['TET2026'] }, off({ code: 'TET2026' }), undefined],
    ['not started (Vietnam time)', base, off({ startsAt: '2026-06-15T10:00:01+07:00' }), 'not_started'],
    ['started on the second', base, off({ startsAt: '2026-06-15T10:00:00+07:00' }), undefined],
    ['ended', base, off({ endsAt: '2026-06-15T10:00:00+07:00' }), 'ended'],
    [
      'per-customer limit reached',
      { ...base, usage: { byCustomer: { p: 1 } } },
      off({ perCustomerLimit: 1 }),
      'customer_limit',
    ],
    [
      'per-customer limit needs an account',
      { ...base, customer: {} },
      off({ perCustomerLimit: 1 }),
      'sign_in_required',
    ],
    [
      'global limit reached',
      { ...base, usage: { global: { p: 50 } } },
      off({ globalLimit: 50 }),
      'global_limit',
    ],
    [
      'global limit not reached',
      { ...base, usage: { global: { p: 49 } } },
      off({ globalLimit: 50 }),
      undefined,
    ],
    ['first order only', base, off({ conditions: { firstOrder: true } }), 'first_order'],
    [
      'first order',
      { ...base, customer: { id: 'u1', firstOrder: true } },
      off({ conditions: { firstOrder: true } }),
      undefined,
    ],
    ['staff only', base, off({ conditions: { staff: true } }), 'staff'],
    [
      'dietary preference',
      { ...base, customer: { id: 'u1', dietary: ['vegan'] } },
      off({ conditions: { dietary: ['vegan', 'vegetarian'] } }),
      undefined,
    ],
    ['dietary preference missing', base, off({ conditions: { dietary: ['vegan'] } }), 'dietary'],
    ['minimum order value', base, off({ conditions: { minOrderValue: 200_001 } }), 'min_order_value'],
    ['minimum order value met', base, off({ conditions: { minOrderValue: 200_000 } }), undefined],
    ['minimum quantity', base, off({ conditions: { minQuantity: 3 } }), 'min_quantity'],
    ['no targeted line', base, off({ target: { kind: 'skus', skus: ['zzz'] } }), 'no_target'],
    ['delivery promotion without a fee', base, [freeDelivery('p')], 'no_target'],
    [
      'nothing to take off',
      base,
      [promo('p', { kind: 'buyXGetY', buy: 2, get: 1, percent: 100 })],
      'no_discount',
    ],
  ])('%s', (_name, c, promotions, code) => {
    const q = priceCart(c, promotions, DEFAULT_VAT_TABLE, new Date('2026-06-15T10:00:00+07:00'));
    expect(q.notApplied[0]?.reason.code).toBe(code);
    expect(q.applied.length).toBe(code === undefined ? 1 : 0);
  });
});

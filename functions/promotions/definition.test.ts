import { isLive, transitionOf, announcement } from './announcements';
import { cached } from './cache';
import {
  definitionProblems,
  priceRises,
  toEnginePromotion,
  unknownSkus,
  type Definition,
} from './definition';
import { generateCode } from './promotions';
import { cartLines } from './quote';
import type { ProductRow } from './projection-store';
import { expectedVersion, quoteCustomer } from './routes';
import { vatTableProblems, DEFAULT_VAT_TABLE } from './vat';
import type { Principal } from '../shared/auth/principal';

const def = (extra: Partial<Definition> = {}): Definition => ({
  id: 'p-1',
  name: { en: 'Deal', vi: 'Ưu đãi' },
  label: { en: '20% off', vi: 'Giảm 20%' },
  status: 'active',
  target: { kind: 'skus', skus: ['TU-A-1'] },
  discount: { kind: 'percentage', percent: 20 },
  ...extra,
});

describe('definition rules', () => {
  it.each<[string, Partial<Definition>, string[]]>([
    ['a sound definition', {}, []],
    [
      'an end before the start',
      { starts_at: '2027-01-02T00:00:00+07:00', ends_at: '2027-01-01T00:00:00+07:00' },
      ['/ends_at'],
    ],
    [
      'an end equal to the start',
      { starts_at: '2027-01-01T00:00:00+07:00', ends_at: '2027-01-01T00:00:00+07:00' },
      ['/ends_at'],
    ],
    ['a delivery discount on products', { discount: { kind: 'delivery', percent: 50 } }, ['/discount/kind']],
    ['a product discount on delivery', { target: { kind: 'delivery' } }, ['/discount/kind']],
    [
      'a delivery discount with both forms',
      { target: { kind: 'delivery' }, discount: { kind: 'delivery', percent: 50, amount_vnd: 10_000 } },
      ['/discount'],
    ],
    [
      'a delivery discount with neither',
      { target: { kind: 'delivery' }, discount: { kind: 'delivery' } },
      ['/discount'],
    ],
    [
      'a tier with both forms',
      {
        discount: { kind: 'tiered', measure: 'quantity', tiers: [{ min: 2, percent: 5, unit_price_vnd: 1 }] },
      },
      ['/discount/tiers/0'],
    ],
    [
      'tiers not increasing',
      {
        discount: {
          kind: 'tiered',
          measure: 'quantity',
          tiers: [
            { min: 2, percent: 5 },
            { min: 2, percent: 9 },
          ],
        },
      },
      ['/discount/tiers'],
    ],
    [
      'an expiry schedule past the window',
      { discount: { kind: 'near_expiry', within_days: 2, schedule: [{ days_left: 3, percent: 20 }] } },
      ['/discount/schedule/0/days_left'],
    ],
    [
      'an expiry schedule not increasing',
      {
        discount: {
          kind: 'near_expiry',
          within_days: 3,
          schedule: [
            { days_left: 3, percent: 20 },
            { days_left: 1, percent: 40 },
          ],
        },
      },
      ['/discount/schedule'],
    ],
    [
      'a near-expiry markdown on the whole order',
      {
        target: { kind: 'order' },
        discount: { kind: 'near_expiry', within_days: 3, schedule: [{ days_left: 3, percent: 20 }] },
      },
      ['/target'],
    ],
    [
      'a fixed price on the whole order',
      { target: { kind: 'order' }, discount: { kind: 'fixed_price', unit_price_vnd: 1 } },
      ['/target'],
    ],
    [
      'rewards from the delivery fee',
      { discount: { kind: 'buy_x_get_y', buy: 2, get: 1, percent: 100, get_target: { kind: 'delivery' } } },
      ['/discount/get_target'],
    ],
  ])('%s', (_name, patch, fields) => {
    expect(definitionProblems(def(patch)).map((e) => e.field)).toEqual(fields);
  });

  it('refuses a fixed or tier price above a targeted SKU list price (per kg for weighted ones)', () => {
    const prices = new Map([['TU-A-1', 10_000]]);
    expect(priceRises(def({ discount: { kind: 'fixed_price', unit_price_vnd: 10_000 } }), prices)).toEqual(
      [],
    );
    expect(
      priceRises(def({ discount: { kind: 'fixed_price', unit_price_vnd: 10_001 } }), prices),
    ).toHaveLength(1);
    expect(
      priceRises(
        def({
          discount: {
            kind: 'tiered',
            measure: 'quantity',
            tiers: [
              { min: 2, unit_price_vnd: 9_000 },
              { min: 5, unit_price_vnd: 12_000 },
            ],
          },
        }),
        prices,
      ).map((e) => e.field),
    ).toEqual(['/discount/tiers/1/unit_price_vnd']);
  });

  it('names SKUs the catalog does not know, in the target and in the rewards', () => {
    const d = def({
      discount: {
        kind: 'buy_x_get_y',
        buy: 1,
        get: 1,
        percent: 100,
        get_target: { kind: 'skus', skus: ['TU-B-2'] },
      },
    });
    expect(unknownSkus(d, new Set(['TU-A-1'])).map((e) => e.message)).toEqual(['No product TU-B-2']);
  });

  it('maps the API shape onto the engine, with the code only when one was entered', () => {
    const p = toEnginePromotion(
      def({
        discount: { kind: 'amount_off', amount_vnd: 5_000, allocation: 'across' },
        per_customer_limit: 1,
        exclusive: true,
        stack_group: 'g',
        priority: 3,
        conditions: { min_order_value_vnd: 100_000, first_order: true },
      }),
      'CODE-1',
    );
    expect(p).toEqual({
      id: 'p-1',
      label: { en: '20% off', vi: 'Giảm 20%' },
      status: 'active',
      code: 'CODE-1',
      target: { kind: 'skus', skus: ['TU-A-1'] },
      action: { kind: 'amountOff', amount: 5_000, allocation: 'across' },
      conditions: { minOrderValue: 100_000, firstOrder: true },
      perCustomerLimit: 1,
      priority: 3,
      exclusive: true,
      stackGroup: 'g',
    });
    expect(toEnginePromotion(def()).code).toBeUndefined();
  });
});

describe('announcements', () => {
  const now = new Date('2027-01-15T00:00:00Z');
  it.each<[string, Partial<Definition>, boolean, boolean, string | undefined]>([
    ['active, not announced', {}, false, false, 'activated'],
    ['active, announced, changed', {}, true, true, 'changed'],
    ['active, announced, unchanged', {}, true, false, undefined],
    ['paused, announced', { status: 'paused' }, true, true, 'ended'],
    ['draft, never announced', { status: 'draft' }, false, true, undefined],
    ['not started yet', { starts_at: '2027-02-01T00:00:00+07:00' }, false, false, undefined],
    ['past its end, announced', { ends_at: '2027-01-14T00:00:00+07:00' }, true, false, 'ended'],
    ['ends exactly now', { ends_at: now.toISOString() }, true, false, 'ended'],
  ])('%s', (_name, patch, announced, changed, expected) => {
    expect(transitionOf(def(patch), announced, now, changed)).toBe(expected);
  });

  it('says why a promotion ended', () => {
    const reason = (d: Definition, deleted = false) =>
      (announcement('ended', d, 5, now, deleted).data as { reason: string }).reason;
    expect(reason(def({ status: 'paused' }))).toBe('paused');
    expect(reason(def({ status: 'ended' }))).toBe('ended');
    expect(reason(def({ ends_at: '2027-01-01T00:00:00Z' }))).toBe('expired');
    expect(reason(def(), true)).toBe('deleted');
    expect(isLive(def({ status: 'active', starts_at: now.toISOString() }), now)).toBe(true);
  });
});

describe('quote lines', () => {
  const row = (sku: string, extra: Partial<ProductRow> = {}): ProductRow => ({
    sku,
    sold_by: 'piece',
    price_vnd: 10_000,
    price_per_kg_vnd: null,
    nominal_weight_g: null,
    category_path: ['food'],
    brand: 'B',
    tax_category: 'VAT5',
    is_perishable: false,
    active: true,
    ...extra,
  });
  const products = new Map([
    ['TU-A-1', row('TU-A-1')],
    ['TU-W-1', row('TU-W-1', { sold_by: 'weight', price_per_kg_vnd: 200_000, nominal_weight_g: 250 })],
    ['TU-X-1', row('TU-X-1', { active: false })],
  ]);

  it('keys lines by SKU and occurrence, so the order they were added in changes nothing', () => {
    const a = cartLines(
      [
        { sku: 'TU-A-1', qty: 1 },
        { sku: 'TU-W-1', grams: 400 },
        { sku: 'TU-A-1', qty: 2 },
      ],
      products,
    );
    expect(a.keys).toEqual(['TU-A-1#000', 'TU-W-1#000', 'TU-A-1#001']);
    expect(a.lines[1]).toMatchObject({ soldBy: 'weight', qty: 1, nominalGrams: 400, unitPrice: 200_000 });
  });

  it.each([
    ['an unknown SKU', { sku: 'TU-Q-1', qty: 1 }, '/lines/0/sku', 'unknown-sku'],
    ['an inactive SKU', { sku: 'TU-X-1', qty: 1 }, '/lines/0/sku', 'inactive'],
    ['grams on a piece', { sku: 'TU-A-1', qty: 1, grams: 5 }, '/lines/0/grams', 'sold-by-piece'],
    ['no pieces', { sku: 'TU-A-1' }, '/lines/0/qty', 'required'],
    ['both qty and grams by weight', { sku: 'TU-W-1', qty: 1, grams: 300 }, '/lines/0/qty', 'one-of'],
  ])('refuses %s', (_name, line, field, code) => {
    expect(() => cartLines([line], products)).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field, code })] }),
    );
  });
});

describe('the edge', () => {
  const principal = (p: Partial<Principal>): Principal =>
    ({ sub: 'u-1', kind: 'user', scopes: new Set(), claims: {}, ...p }) as Principal;

  it('lets a customer claim only their own id and not the staff segment; trusted callers state it', () => {
    const body = { id: 'someone-else', staff: true, first_order: true, dietary: ['vegan' as const] };
    expect(quoteCustomer(body, undefined)).toEqual({ firstOrder: true, staff: false, dietary: ['vegan'] });
    expect(quoteCustomer(body, principal({ role: 'customer' }))).toEqual({
      id: 'u-1',
      firstOrder: true,
      staff: false,
      dietary: ['vegan'],
    });
    expect(quoteCustomer({}, principal({ role: 'staff' }))).toMatchObject({ id: 'u-1', staff: true });
    const checkout = principal({
      kind: 'service',
      sub: 'client:checkout',
      scopes: new Set(['promotions:redeem']),
    });
    expect(quoteCustomer(body, checkout)).toEqual({
      id: 'someone-else',
      firstOrder: true,
      staff: true,
      dietary: ['vegan'],
    });
  });

  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"v3"', 3],
    ['W/"v12"', 12],
  ])('reads If-Match %s', (header, version) => expect(expectedVersion(header)).toBe(version));

  it.each(['"3"', 'v3', '"v0"', '"v3", "v4"'])('refuses If-Match %s with a 412', (header) => {
    expect(() => expectedVersion(header)).toThrow(expect.objectContaining({ status: 412 }));
  });

  it('generates unguessable codes without look-alike characters', () => {
    const codes = new Set(Array.from({ length: 2_000 }, () => generateCode('tet')));
    expect(codes.size).toBe(2_000);
    for (const c of codes) expect(c).toMatch(/^TET-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });
});

describe('VAT table rules', () => {
  it('accepts the default table and refuses overlaps, reversed ranges and a taxed exemption', () => {
    expect(vatTableProblems(DEFAULT_VAT_TABLE)).toEqual([]);
    expect(
      vatTableProblems([
        { category: 'VAT5', rateBp: 500 },
        { category: 'VAT5', rateBp: 700, from: '2027-01-01' },
        { category: 'X', rateBp: 800, from: '2027-02-01', until: '2027-01-01' },
        { category: 'EXEMPT', rateBp: 100, exempt: true },
      ]).map((e) => [e.field, e.code]),
    ).toEqual([
      ['/rates/1', 'overlap'],
      ['/rates/2/until', 'range'],
      ['/rates/3/rate_bp', 'exempt'],
    ]);
  });
});

describe('cached', () => {
  it('loads once per TTL, shares a load in flight, and drops the value on invalidate', async () => {
    let t = 0;
    let loads = 0;
    const c = cached(
      async () => ++loads,
      1_000,
      () => t,
    );
    expect(await Promise.all([c.get(), c.get(), c.get()])).toEqual([1, 1, 1]);
    t = 999;
    expect(await c.get()).toBe(1);
    t = 1_000;
    expect(await c.get()).toBe(2);
    c.invalidate();
    expect(await c.get()).toBe(3);
  });
});

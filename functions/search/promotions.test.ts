import type { PromotionAnnouncement, PromotionTargetRef } from '../../events';
import { badgesOf, toHitView, toSearchDocument } from './domain';
import {
  appliesOver,
  isLiveAt,
  marksProducts,
  promotionsFor,
  samePromotions,
  targetCovers,
  toDocPromotion,
  type PromotionChange,
  type StoredPromotionState,
} from './promotions';
import { product } from './testing';

const milk = { sku: 'TU-000001', brand: 'Vinamilk', category_ids: ['sua', 'sua-tuoi'] };

function promo(overrides: Partial<PromotionAnnouncement> = {}): PromotionAnnouncement {
  return {
    id: 'p1',
    name_en: 'Milk week',
    name_vi: 'Tuần sữa',
    label_en: '10% off',
    label_vi: 'Giảm 10%',
    kind: 'percentage',
    coupon: false,
    target: { kind: 'skus', skus: ['TU-000001'] },
    starts_at: '2027-01-01T00:00:00+07:00',
    ends_at: '2027-01-08T00:00:00+07:00',
    version: 1,
    at: '2027-01-01T00:00:00+07:00',
    ...overrides,
  };
}

describe('targetCovers', () => {
  const cases: [string, PromotionTargetRef, boolean][] = [
    ['its SKU', { kind: 'skus', skus: ['TU-000009', 'TU-000001'] }, true],
    ['another SKU', { kind: 'skus', skus: ['TU-000002'] }, false],
    ['its leaf category', { kind: 'categories', categories: ['sua-tuoi'] }, true],
    ['an ancestor category (descendants included)', { kind: 'categories', categories: ['sua'] }, true],
    ['an unrelated category', { kind: 'categories', categories: ['thit', 'rau-la'] }, false],
    ['its brand', { kind: 'brands', brands: ['Vinamilk'] }, true],
    ['its brand in another case and spacing', { kind: 'brands', brands: [' VINAMILK '] }, true],
    ['another brand', { kind: 'brands', brands: ['TH true MILK'] }, false],
    ['the order', { kind: 'order' }, false],
    ['delivery', { kind: 'delivery' }, false],
  ];
  it.each(cases)('a product matches %s: %s', (_name, target, expected) => {
    expect(targetCovers(target, milk)).toBe(expected);
  });

  it('never matches a product without a brand by brand', () => {
    expect(targetCovers({ kind: 'brands', brands: ['x'] }, { ...milk, brand: '' })).toBe(false);
  });

  it('compares brands in NFC (a decomposed accent is the same brand)', () => {
    const decomposed = 'Tươi Farm'.normalize('NFD');
    expect(targetCovers({ kind: 'brands', brands: [decomposed] }, { ...milk, brand: 'Tươi Farm' })).toBe(
      true,
    );
  });
});

describe('marksProducts', () => {
  const cases: [string, Partial<PromotionAnnouncement>, boolean][] = [
    ['automatic on SKUs', {}, true],
    ['automatic on categories', { target: { kind: 'categories', categories: ['sua'] } }, true],
    ['automatic on brands', { target: { kind: 'brands', brands: ['Vinamilk'] } }, true],
    ['automatic on the order', { target: { kind: 'order' } }, false],
    ['automatic on delivery', { target: { kind: 'delivery' }, kind: 'delivery' }, false],
    ['a coupon on SKUs', { coupon: true }, false],
  ];
  it.each(cases)('%s: %s', (_name, overrides, expected) => {
    expect(marksProducts(promo(overrides))).toBe(expected);
  });
});

describe('promotionsFor', () => {
  it('keeps the covering automatic promotions, by id, with times in UTC', () => {
    const live = [
      promo({
        id: 'z-brand',
        target: { kind: 'brands', brands: ['vinamilk'] },
        starts_at: null,
        ends_at: null,
      }),
      promo({ id: 'a-category', target: { kind: 'categories', categories: ['sua'] } }),
      promo({ id: 'm-coupon', coupon: true }),
      promo({ id: 'n-order', target: { kind: 'order' } }),
      promo({ id: 'o-other', target: { kind: 'skus', skus: ['TU-000002'] } }),
    ];
    expect(promotionsFor(milk, live)).toEqual([
      {
        id: 'a-category',
        label_en: '10% off',
        label_vi: 'Giảm 10%',
        kind: 'percentage',
        starts_at: '2026-12-31T17:00:00.000Z',
        ends_at: '2027-01-07T17:00:00.000Z',
      },
      {
        id: 'z-brand',
        label_en: '10% off',
        label_vi: 'Giảm 10%',
        kind: 'percentage',
        starts_at: null,
        ends_at: null,
      },
    ]);
  });

  it('gives nothing when no promotion covers the product', () => {
    expect(promotionsFor(milk, [promo({ target: { kind: 'skus', skus: ['TU-000002'] } })])).toEqual([]);
  });
});

describe('appliesOver', () => {
  const announce = (version: number): PromotionChange => ({
    kind: 'announce',
    announcement: promo({ version }),
  });
  const end = (version: number): PromotionChange => ({ kind: 'end', id: 'p1', version });
  const live = (version: number): StoredPromotionState => ({ version, ended: false });
  const tomb = (version: number): StoredPromotionState => ({ version, ended: true });
  const cases: [string, StoredPromotionState | undefined, PromotionChange, boolean][] = [
    ['a first announcement', undefined, announce(1), true],
    ['a first end (leaves a tombstone)', undefined, end(3), true],
    ['a newer announcement', live(2), announce(3), true],
    ['the same announcement again', live(2), announce(2), false],
    ['an older announcement', live(3), announce(2), false],
    ['an end at the same version', live(3), end(3), true],
    ['an end at a newer version', live(3), end(4), true],
    ['an end older than the announcement', live(3), end(2), false],
    ['a late announcement below the tombstone', tomb(4), announce(3), false],
    ['a late announcement at the tombstone', tomb(4), announce(4), false],
    ['a re-activation above the tombstone', tomb(4), announce(5), true],
    ['the same end again', tomb(4), end(4), false],
    ['a newer end over a tombstone', tomb(4), end(5), true],
    ['an older end over a tombstone', tomb(4), end(3), false],
  ];
  it.each(cases)('%s', (_name, stored, change, expected) => {
    expect(appliesOver(stored, change)).toBe(expected);
  });
});

describe('isLiveAt', () => {
  const at = (iso: string) => Date.parse(iso);
  const p = toDocPromotion(promo());
  const cases: [string, { starts_at: string | null; ends_at: string | null }, number, boolean][] = [
    ['before the start', p, at('2026-12-31T16:59:59.999Z'), false],
    ['at the start', p, at('2026-12-31T17:00:00Z'), true],
    ['within', p, at('2027-01-03T00:00:00Z'), true],
    ['at the end (exclusive)', p, at('2027-01-07T17:00:00Z'), false],
    ['after the end', p, at('2027-02-01T00:00:00Z'), false],
    ['open start', { starts_at: null, ends_at: p.ends_at }, at('2000-01-01T00:00:00Z'), true],
    ['open end', { starts_at: p.starts_at, ends_at: null }, at('2099-01-01T00:00:00Z'), true],
    ['no bounds', { starts_at: null, ends_at: null }, 0, true],
  ];
  it.each(cases)('%s: %s', (_name, schedule, now, expected) => {
    expect(isLiveAt(schedule, now)).toBe(expected);
  });
});

describe('samePromotions', () => {
  const a = toDocPromotion(promo());
  it.each([
    ['equal lists', [a], [{ ...a }], true],
    ['a changed label', [a], [{ ...a, label_vi: 'Giảm 15%' }], false],
    ['a changed end', [a], [{ ...a, ends_at: null }], false],
    ['one more', [a], [a, { ...a, id: 'p2' }], false],
    ['both empty', [], [], true],
  ] as const)('%s: %s', (_name, x, y, expected) => {
    expect(samePromotions(x, y)).toBe(expected);
  });
});

describe('result cards', () => {
  const doc = {
    ...toSearchDocument(product({ sku: 'TU-000001' })),
    promotions: [
      toDocPromotion(promo({ id: 'now', starts_at: null, ends_at: '2027-01-08T00:00:00Z' })),
      toDocPromotion(promo({ id: 'later', starts_at: '2027-06-01T00:00:00Z', label_vi: 'Sắp giảm' })),
    ],
  };
  const jan = Date.parse('2027-01-05T00:00:00Z');

  it('show the live promotions with labels in both languages and the promoted badge', () => {
    const card = toHitView({ doc, score: 1 }, 'vi', jan);
    expect(card.on_promotion).toBe(true);
    expect(card.badges).toContain('promoted');
    expect(card.promotions).toEqual([
      {
        id: 'now',
        label: 'Giảm 10%',
        label_en: '10% off',
        label_vi: 'Giảm 10%',
        kind: 'percentage',
        starts_at: null,
        ends_at: '2027-01-08T00:00:00.000Z',
      },
    ]);
    expect(toHitView({ doc, score: 1 }, 'en', jan).promotions[0]?.label).toBe('10% off');
  });

  it('show nothing once every promotion has ended, and no longer read the promoted tag', () => {
    const feb = Date.parse('2027-02-01T00:00:00Z');
    const card = toHitView({ doc: { ...doc, tags: ['promoted'] }, score: 1 }, 'vi', feb);
    expect(card.on_promotion).toBe(false);
    expect(card.promotions).toEqual([]);
    expect(badgesOf({ ...doc, tags: ['promoted'] }, feb)).not.toContain('promoted');
  });
});

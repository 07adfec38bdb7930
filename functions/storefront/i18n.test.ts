import fc from 'fast-check';
import { DIETARY } from '../../events/catalog/product.v1';
import { DIETARY_NAMES, MESSAGES, pick, t, type MessageKey } from './i18n';

const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

const keys = Object.keys(MESSAGES) as MessageKey[];

describe('MESSAGES', () => {
  it('has a good number of keys', () => {
    expect(keys.length).toBeGreaterThan(100);
  });

  it.each(keys)('%s has non-empty en and vi texts with the same {placeholders}', (key) => {
    const m = MESSAGES[key];
    expect(typeof m.en).toBe('string');
    expect(typeof m.vi).toBe('string');
    expect(m.en.trim()).not.toBe('');
    expect(m.vi.trim()).not.toBe('');
    expect(placeholders(m.vi)).toEqual(placeholders(m.en));
  });

  it('has no unbalanced braces (a typo would leave a placeholder unfilled)', () => {
    for (const key of keys)
      for (const text of [MESSAGES[key].en, MESSAGES[key].vi]) {
        const stripped = text.replace(/\{\w+\}/g, '');
        expect({ key, braces: /[{}]/.test(stripped) }).toEqual({ key, braces: false });
      }
  });
});

describe('t', () => {
  it.each<[Parameters<typeof t>[0], MessageKey, Record<string, string | number>, string]>([
    ['en', 'nav_home', {}, 'Home'],
    ['vi', 'nav_home', {}, 'Trang chủ'],
    ['en', 'min_order', { amount: '100.000 ₫' }, 'Orders from 100.000 ₫'],
    ['vi', 'min_order', { amount: '100.000 ₫' }, 'Đơn từ 100.000 ₫'],
    ['en', 'search_results', { count: 3, q: 'sữa' }, '3 products for “sữa”'],
    ['vi', 'search_results', { count: 0, q: 'gạo' }, '0 sản phẩm cho “gạo”'],
    ['en', 'window_left', { n: 0 }, '0 places left'],
    ['en', 'coupon_not_applied', { code: 'TET', reason: 'expired' }, 'Coupon TET not applied: expired'],
  ])('%s %s %j → %s', (lang, key, vars, expected) => {
    expect(t(lang, key, vars)).toBe(expected);
  });

  it('leaves placeholders it has no value for', () => {
    expect(t('en', 'coupon_not_applied', { code: 'TET' })).toBe('Coupon TET not applied: {reason}');
    expect(t('vi', 'min_order')).toBe('Đơn từ {amount}');
  });

  it('ignores variables the text does not use', () => {
    expect(t('en', 'nav_home', { amount: 5 })).toBe('Home');
  });

  it('inserts values literally, even ones that look like placeholders or replacement patterns', () => {
    expect(t('en', 'coupon_applied', { code: '{code}' })).toBe('Coupon {code} applied');
    expect(t('en', 'coupon_applied', { code: "$& $' $1" })).toBe("Coupon $& $' $1 applied");
  });

  it('fills every placeholder of every text when all values are given (property)', () => {
    const lang = fc.constantFrom<'en' | 'vi'>('en', 'vi');
    const key = fc.constantFrom(...keys);
    fc.assert(
      fc.property(lang, key, fc.string({ maxLength: 20 }), (l, k, value) => {
        const vars = Object.fromEntries(placeholders(MESSAGES[k][l]).map((p) => [p, value]));
        const out = t(l, k, vars);
        // The text with every {name} replaced by the value, nothing else changed.
        expect(out).toBe(MESSAGES[k][l].split(/\{\w+\}/).join(value));
      }),
    );
  });
});

describe('pick', () => {
  it.each<[string, 'en' | 'vi', { en?: string; vi?: string } | undefined, string | undefined, string]>([
    ['the reader language', 'vi', { en: 'Milk', vi: 'Sữa' }, undefined, 'Sữa'],
    ['the reader language (en)', 'en', { en: 'Milk', vi: 'Sữa' }, undefined, 'Milk'],
    ['English when Vietnamese is missing', 'vi', { en: 'Milk' }, undefined, 'Milk'],
    ['English when Vietnamese is empty', 'vi', { en: 'Milk', vi: '' }, undefined, 'Milk'],
    ['Vietnamese when English is missing', 'en', { vi: 'Sữa' }, undefined, 'Sữa'],
    ['the fallback when the value is undefined', 'en', undefined, 'SKU-1', 'SKU-1'],
    ['the fallback when both are empty', 'vi', { en: '', vi: '' }, 'SKU-1', 'SKU-1'],
    ['empty text without a fallback', 'vi', undefined, undefined, ''],
  ])('gives %s', (_what, lang, value, fallback, expected) => {
    expect(fallback === undefined ? pick(lang, value) : pick(lang, value, fallback)).toBe(expected);
  });
});

describe('DIETARY_NAMES', () => {
  it.each([...DIETARY])('names %s in both languages', (tag) => {
    const name = DIETARY_NAMES[tag];
    expect(name).toBeDefined();
    expect(name!.en.trim()).not.toBe('');
    expect(name!.vi.trim()).not.toBe('');
  });

  it('names no tag the catalog does not have', () => {
    expect(Object.keys(DIETARY_NAMES).sort()).toEqual([...DIETARY].sort());
  });
});

import fc from 'fast-check';
import { amount, dayLabel, money, nextDays, signedMoney, weight, windowTimes, type Lang } from './format';

const NBSP = '\u00a0';

describe('money', () => {
  it.each<[number, Lang, string]>([
    [125000, 'vi', `125.000${NBSP}₫`],
    [125000, 'en', `125,000${NBSP}₫`],
    [0, 'vi', `0${NBSP}₫`],
    [0, 'en', `0${NBSP}₫`],
    [999, 'vi', `999${NBSP}₫`],
    [1000, 'vi', `1.000${NBSP}₫`],
    [1234567, 'vi', `1.234.567${NBSP}₫`],
    [1234567, 'en', `1,234,567${NBSP}₫`],
    [1234.4, 'en', `1,234${NBSP}₫`],
    [1234.5, 'en', `1,235${NBSP}₫`],
    [99999.6, 'vi', `100.000${NBSP}₫`],
  ])('money(%p, %s) is %j', (vnd, lang, expected) => {
    expect(money(vnd, lang)).toBe(expected);
  });

  it('never contains an ordinary space, and ends with a no-break space and the sign (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.constantFrom<Lang>('en', 'vi'),
        (vnd, lang) => {
          const s = money(vnd, lang);
          expect(s).not.toContain(' ');
          expect(s.endsWith(`${NBSP}₫`)).toBe(true);
          const digits = s.slice(0, -2).replace(lang === 'vi' ? /\./g : /,/g, '');
          expect(Number(digits)).toBe(vnd);
        },
      ),
    );
  });
});

describe('signedMoney', () => {
  it.each<[number, Lang, string]>([
    [1200, 'vi', `+1.200${NBSP}₫`],
    [1200, 'en', `+1,200${NBSP}₫`],
    [-3000, 'vi', `\u22123.000${NBSP}₫`],
    [-3000, 'en', `\u22123,000${NBSP}₫`],
    [0, 'vi', `0${NBSP}₫`],
  ])('signedMoney(%p, %s) is %j', (vnd, lang, expected) => {
    expect(signedMoney(vnd, lang)).toBe(expected);
  });

  it('uses a minus sign (U+2212), never a hyphen', () => {
    expect(signedMoney(-1, 'en')).not.toContain('-');
  });
});

describe('weight', () => {
  it.each<[number, Lang, string]>([
    [0, 'vi', `0${NBSP}g`],
    [50, 'en', `50${NBSP}g`],
    [600, 'vi', `600${NBSP}g`],
    [999, 'en', `999${NBSP}g`],
    [1000, 'vi', `1${NBSP}kg`],
    [1000, 'en', `1${NBSP}kg`],
    [1200, 'vi', `1,2${NBSP}kg`],
    [1200, 'en', `1.2${NBSP}kg`],
    [1250, 'vi', `1,25${NBSP}kg`],
    [1250, 'en', `1.25${NBSP}kg`],
    [20000, 'en', `20${NBSP}kg`],
    [1_500_000, 'vi', `1.500${NBSP}kg`],
    [1_500_000, 'en', `1,500${NBSP}kg`],
  ])('weight(%p, %s) is %j', (grams, lang, expected) => {
    expect(weight(grams, lang)).toBe(expected);
  });
});

describe('amount', () => {
  it.each<[{ qty?: number; grams?: number }, Lang, string]>([
    [{ qty: 3 }, 'en', '× 3'],
    [{}, 'vi', '× 1'],
    [{ grams: 600 }, 'vi', `600${NBSP}g`],
    [{ grams: 1500, qty: 2 }, 'en', `1.5${NBSP}kg`],
  ])('amount(%j, %s) is %j', (line, lang, expected) => {
    expect(amount(line, lang)).toBe(expected);
  });
});

describe('windowTimes', () => {
  it('writes a window in Vietnam time', () => {
    expect(windowTimes('2026-12-08T11:00:00Z', '2026-12-08T13:00:00Z')).toBe('18:00–20:00');
  });
});

describe('dayLabel', () => {
  it.each<[string, Lang, string]>([
    ['2026-12-08', 'vi', 'T3 08/12'],
    ['2026-12-08', 'en', 'Tue 8 Dec'],
    ['2026-12-06', 'vi', 'CN 06/12'],
    ['2026-12-06', 'en', 'Sun 6 Dec'],
    ['2027-01-01', 'vi', 'T6 01/01'],
    ['2027-01-01', 'en', 'Fri 1 Jan'],
    ['2028-02-29', 'en', 'Tue 29 Feb'],
    ['2026-03-07', 'vi', 'T7 07/03'],
  ])('dayLabel(%s, %s) is %j', (date, lang, expected) => {
    expect(dayLabel(date, lang)).toBe(expected);
  });
});

describe('nextDays', () => {
  it.each<[string, number, string[]]>([
    ['2026-12-08T03:00:00Z', 3, ['2026-12-08', '2026-12-09', '2026-12-10']],
    // 18:30 UTC is 01:30 the next day in Vietnam (UTC+7).
    ['2026-12-07T18:30:00Z', 2, ['2026-12-08', '2026-12-09']],
    // 16:59 UTC is still 23:59 the same day in Vietnam; 17:00 UTC is midnight.
    ['2026-12-07T16:59:00Z', 1, ['2026-12-07']],
    ['2026-12-07T17:00:00Z', 1, ['2026-12-08']],
    ['2026-11-29T05:00:00Z', 4, ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']],
    ['2026-12-30T20:00:00Z', 3, ['2026-12-31', '2027-01-01', '2027-01-02']],
    ['2028-02-27T12:00:00Z', 3, ['2028-02-27', '2028-02-28', '2028-02-29']],
    ['2026-12-08T03:00:00Z', 0, []],
  ])('from %s, %p days', (now, count, expected) => {
    expect(nextDays(new Date(now), count)).toEqual(expected);
  });

  it('gives consecutive days starting today in Vietnam (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2090-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 40 }),
        (now, count) => {
          const days = nextDays(now, count);
          expect(days).toHaveLength(count);
          expect(days[0]).toBe(new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10));
          for (let i = 1; i < days.length; i++)
            expect(Date.parse(`${days[i]}T00:00:00Z`) - Date.parse(`${days[i - 1]}T00:00:00Z`)).toBe(
              86_400_000,
            );
        },
      ),
    );
  });
});

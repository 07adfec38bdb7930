import { DEFAULT_VAT_TABLE, extractVat, vatBreakdown, vatRateFor, VatRateMissing, vietnamDate } from './vat';

describe('vietnamDate', () => {
  it.each([
    ['2026-12-31T16:59:00Z', '2026-12-31'],
    ['2026-12-31T17:00:00Z', '2027-01-01'],
    ['2026-12-31T23:59:00+07:00', '2026-12-31'],
    ['2027-01-01T00:00:00+07:00', '2027-01-01'],
  ])('%s is %s in Vietnam', (iso, date) => expect(vietnamDate(new Date(iso))).toBe(date));
});

describe('vatRateFor (default table)', () => {
  it.each([
    ['VAT10_REDUCIBLE', '2026-12-31', 800],
    ['VAT10_REDUCIBLE', '2027-01-01', 1000],
    ['VAT10_REDUCIBLE', '2025-07-01', 800],
    ['VAT10_EXCLUDED', '2026-06-01', 1000],
    ['VAT5', '2026-06-01', 500],
    ['EXEMPT', '2026-06-01', 0],
  ])('%s on %s is %p bp', (category, date, bp) =>
    expect(vatRateFor(DEFAULT_VAT_TABLE, category, date).rateBp).toBe(bp),
  );

  it('names the category and date a table lacks', () => {
    expect(() => vatRateFor(DEFAULT_VAT_TABLE, 'VAT10_REDUCIBLE', '2025-01-01')).toThrow(VatRateMissing);
  });
});

describe('extractVat (round half up per line)', () => {
  it.each([
    [108_000, 800, 8_000],
    [110_000, 1000, 10_000],
    [105_000, 500, 5_000],
    [10_000, 800, 741], // 740.74…
    [27, 800, 2], // 2.0 exactly
    [13, 800, 1], // 0.96…
    [100_000, 0, 0],
  ])('VAT in %p at %p bp is %p', (gross, bp, vat) => expect(extractVat(gross, bp)).toBe(vat));
});

describe('vatBreakdown', () => {
  it('groups per rate; parts sum to the total', () => {
    const at = (category: string) => vatRateFor(DEFAULT_VAT_TABLE, category, '2026-12-31');
    const items = [
      { gross: 10_000, rate: at('VAT10_REDUCIBLE') },
      { gross: 20_000, rate: at('VAT10_REDUCIBLE') },
      { gross: 21_000, rate: at('VAT5') },
      { gross: 5_000, rate: at('EXEMPT') },
    ].map((i) => ({ ...i, vat: extractVat(i.gross, i.rate.rateBp) }));
    expect(vatBreakdown(items)).toEqual([
      { rate: 'KCT', rateBp: 0, gross: 5_000, net: 5_000, vat: 0 },
      { rate: '5%', rateBp: 500, gross: 21_000, net: 20_000, vat: 1_000 },
      { rate: '8%', rateBp: 800, gross: 30_000, net: 27_778, vat: 2_222 },
    ]);
  });
});

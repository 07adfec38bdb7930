import { formatVnClock, formatVnd, formatVnTime } from './words';

describe('words', () => {
  it.each([
    [125_000, 'vi', '125.000 ₫'],
    [125_000, 'en', '125,000 ₫'],
    [0, 'vi', '0 ₫'],
    [50_000_000, 'vi', '50.000.000 ₫'],
    [999, 'en', '999 ₫'],
  ] as const)('%s đồng in %s is %s', (n, lang, text) => {
    expect(formatVnd(n, lang)).toBe(text);
  });

  it.each([
    ['2026-12-08T11:00:00Z', 'vi', '18:00 08/12/2026'],
    ['2026-12-08T11:00:00Z', 'en', '18:00, 8 Dec 2026'],
    // Past midnight in Vietnam while still the day before in UTC.
    ['2026-12-31T17:30:00Z', 'vi', '00:30 01/01/2027'],
    ['2026-12-08T18:00:00+07:00', 'en', '18:00, 8 Dec 2026'],
  ] as const)('%s in %s is %s (Vietnam time)', (at, lang, text) => {
    expect(formatVnTime(at, lang)).toBe(text);
  });

  it('gives the clock time alone', () => {
    expect(formatVnClock('2026-12-08T13:05:00Z')).toBe('20:05');
  });
});

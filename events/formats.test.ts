import { isDate, isDateTime } from './formats';

describe('isDate', () => {
  it.each([
    ['2027-02-28', true],
    ['2028-02-29', true],
    ['2000-02-29', true],
    ['2027-02-29', false],
    ['2100-02-29', false],
    ['2027-02-30', false],
    ['2027-04-31', false],
    ['2027-13-01', false],
    ['2027-00-10', false],
    ['2027-01-00', false],
    ['0000-01-01', false],
    ['1899-12-31', false],
    ['1900-01-01', true],
    ['9999-12-31', true],
    ['2027-1-01', false],
    ['2027-01-01T00:00:00Z', false],
  ])('%s → %s', (value, ok) => expect(isDate(value)).toBe(ok));
});

describe('isDateTime', () => {
  it.each([
    ['2026-12-06T08:00:00Z', true],
    ['2026-12-06T08:00:00.123456+07:00', true],
    ['2026-12-06t08:00:00z', true],
    ['2026-12-06T23:59:59-23:59', true],
    ['0000-01-01T00:00:00Z', false],
    ['2027-02-30T00:00:00Z', false],
    ['2026-12-06T24:00:00Z', false],
    ['2026-12-06T08:60:00Z', false],
    ['2026-12-06T08:00:60Z', false],
    ['2026-12-06T08:00:00+24:00', false],
    ['2026-12-06T08:00:00+07:60', false],
    ['2026-12-06T08:00:00', false],
    ['2026-12-06 08:00:00Z', false],
    ['+275760-09-13T00:00:00Z', false],
  ])('%s → %s', (value, ok) => expect(isDateTime(value)).toBe(ok));
});

/**
 * The string formats our schemas use, checked strictly: a date must exist on the calendar
 * (`2027-02-30` does not, though `Date.parse` rolls it over to March) and its year must be one
 * PostgreSQL and people can mean (1900–9999), so impossible values are refused at the edge with
 * a 400 instead of failing in the database with a 500.
 */

/** Earliest and latest years accepted in `date` and `date-time` values. */
export const YEARS = { min: 1900, max: 9999 } as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/i;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function calendarDay(y: string, m: string, d: string): boolean {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  return (
    year >= YEARS.min &&
    year <= YEARS.max &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month)
  );
}

/** A full-date of RFC 3339 (`2027-02-28`) that exists on the calendar, in the accepted years. */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  return !!m && calendarDay(m[1]!, m[2]!, m[3]!);
}

/** An RFC 3339 date-time with an offset (`2026-12-06T08:00:00+07:00`), every field in range. */
export function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m || !calendarDay(m[1]!, m[2]!, m[3]!)) return false;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) return false;
  return m[9] === undefined || (Number(m[10]) <= 23 && Number(m[11]) <= 59);
}

/** Every format our TypeBox schemas name, by name. */
export const FORMATS: Record<string, (v: string) => boolean> = {
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(v),
  'date-time': isDateTime,
  date: isDate,
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  uri: (v) => URL.canParse(v),
};

/**
 * Vietnam wall-clock time (UTC+7 all year: no daylight saving) ↔ instants. Slot windows, cut-offs
 * and closures are written in Vietnam time; the clock and the database speak instants.
 */

const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A Vietnam calendar date `YYYY-MM-DD`. */
export type LocalDate = string;
/** A Vietnam wall-clock time `HH:MM` (`24:00` is the end of the day). */
export type LocalTime = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes since midnight of a `HH:MM` (0–1440), or NaN when malformed. */
export function minutesOf(time: LocalTime): number {
  if (!TIME.test(time)) return NaN;
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether `date` is a real calendar date. */
export function isLocalDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === date;
}

/** The instant of `time` on `date` in Vietnam. */
export function instantAt(date: LocalDate, time: LocalTime): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS + minutesOf(time) * 60_000);
}

/** The Vietnam date at instant `at`. */
export function localDateOf(at: Date): LocalDate {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 Monday … 7 Sunday. */
export function weekdayOf(date: LocalDate): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

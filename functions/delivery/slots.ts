/**
 * Delivery slots as data: a zone's template (windows in Vietnam time with capacity and fee, a
 * same-day cut-off, the weekdays it runs, closures such as Tết) generates the slots of each day,
 * and a slot's status follows from its capacity, what is booked or held, the clock and the
 * closures. Pure: no I/O, no clock (`now` is passed in).
 */
import {
  addDays,
  instantAt,
  isLocalDate,
  minutesOf,
  weekdayOf,
  type LocalDate,
  type LocalTime,
} from '../shared/vietnam-time';

/** A text in both of Tươi's languages. */
export interface Bilingual {
  en: string;
  vi: string;
}

/** One window of a template: `start`–`end` Vietnam time, its capacity and fee. */
export interface WindowTemplate {
  start: LocalTime;
  end: LocalTime;
  /** Orders it takes. */
  capacity: number;
  /** Picking units it takes (optional second limit). */
  unitCapacity?: number;
  feeVnd: number;
  /** Shown for peak windows, e.g. "Evening peak" / "Giờ cao điểm tối". */
  label?: Bilingual;
}

/** Days a zone does not deliver (a date, or a range of dates, both inclusive). */
export interface Closure {
  from: LocalDate;
  until: LocalDate;
  reason: Bilingual;
}

/** A zone's slot template. */
export interface SlotTemplate {
  zone: string;
  windows: readonly WindowTemplate[];
  /** Booking closes this many minutes before a window starts. */
  cutoffMinutes: number;
  /** ISO weekdays it runs (1 Monday … 7 Sunday); all when absent. */
  weekdays?: readonly number[];
  /** Slots are generated this many days ahead (today included). */
  daysAhead: number;
  closures: readonly Closure[];
}

/** One bookable window on one day. */
export interface Slot {
  /** `<zone>:<date>:<HHMM>` — stable, so generating again finds the same slots. */
  id: string;
  zone: string;
  date: LocalDate;
  start: LocalTime;
  end: LocalTime;
  startsAt: Date;
  endsAt: Date;
  /** Booking closes at this instant. */
  cutoffAt: Date;
  capacity: number;
  unitCapacity?: number;
  feeVnd: number;
  label?: Bilingual;
}

/** What a customer sees of a slot. */
export type SlotStatus = 'available' | 'few_left' | 'full' | 'closed';

/** A field problem in a template. */
export interface TemplateProblem {
  field: string;
  code: string;
  message: string;
}

/** Problems of a template as staff would write it; empty when it is sound. */
export function templateProblems(t: SlotTemplate): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const spans = t.windows.map((w, i) => {
    const s = minutesOf(w.start);
    const e = minutesOf(w.end);
    if (Number.isNaN(s) || w.start === '24:00')
      out.push({ field: `/windows/${i}/start`, code: 'time', message: 'Use HH:MM from 00:00 to 23:59' });
    if (Number.isNaN(e))
      out.push({ field: `/windows/${i}/end`, code: 'time', message: 'Use HH:MM up to 24:00' });
    else if (!(e > s))
      out.push({ field: `/windows/${i}/end`, code: 'order', message: 'A window ends after it starts' });
    if (!(Number.isInteger(w.capacity) && w.capacity >= 0))
      out.push({ field: `/windows/${i}/capacity`, code: 'range', message: 'Capacity is a whole number ≥ 0' });
    if (!(Number.isInteger(w.feeVnd) && w.feeVnd >= 0))
      out.push({ field: `/windows/${i}/fee_vnd`, code: 'range', message: 'The fee is whole đồng ≥ 0' });
    return { s, e, i };
  });
  const sorted = spans.filter((x) => x.e > x.s).sort((a, b) => a.s - b.s);
  for (let k = 1; k < sorted.length; k++)
    if (sorted[k]!.s < sorted[k - 1]!.e)
      out.push({
        field: `/windows/${sorted[k]!.i}`,
        code: 'overlap',
        message: 'Windows of a day must not overlap',
      });
  t.closures.forEach((c, i) => {
    if (!isLocalDate(c.from) || !isLocalDate(c.until) || c.until < c.from)
      out.push({
        field: `/closures/${i}`,
        code: 'range',
        message: 'A closure runs from a date until a date on or after it',
      });
  });
  for (const [i, d] of (t.weekdays ?? []).entries())
    if (!(Number.isInteger(d) && d >= 1 && d <= 7))
      out.push({ field: `/weekdays/${i}`, code: 'range', message: 'Weekdays are 1 (Monday) to 7 (Sunday)' });
  return out;
}

/** The closure covering `date`, if any. */
export function closureOn(t: SlotTemplate, date: LocalDate): Closure | undefined {
  return t.closures.find((c) => c.from <= date && date <= c.until);
}

/** The slots of `date` (none on a closed day or a day the template does not run). */
export function slotsOn(t: SlotTemplate, date: LocalDate): Slot[] {
  if (closureOn(t, date)) return [];
  if (t.weekdays && !t.weekdays.includes(weekdayOf(date))) return [];
  return [...t.windows]
    .sort((a, b) => minutesOf(a.start) - minutesOf(b.start))
    .map((w) => {
      const startsAt = instantAt(date, w.start);
      return {
        id: `${t.zone}:${date}:${w.start.replace(':', '')}`,
        zone: t.zone,
        date,
        start: w.start,
        end: w.end,
        startsAt,
        endsAt: instantAt(date, w.end),
        cutoffAt: new Date(startsAt.getTime() - t.cutoffMinutes * 60_000),
        capacity: w.capacity,
        ...(w.unitCapacity !== undefined ? { unitCapacity: w.unitCapacity } : {}),
        feeVnd: w.feeVnd,
        ...(w.label ? { label: w.label } : {}),
      };
    });
}

/** The slots from `from` for the template's `daysAhead` days. */
export function generateSlots(t: SlotTemplate, from: LocalDate): Slot[] {
  return Array.from({ length: t.daysAhead }, (_, i) => slotsOn(t, addDays(from, i))).flat();
}

/** A slot's status with `taken` places (booked or held) at `now`; few_left is ≤ 20 % (at least 1) left. */
export function slotStatus(slot: Pick<Slot, 'capacity' | 'cutoffAt'>, taken: number, now: Date): SlotStatus {
  if (now.getTime() >= slot.cutoffAt.getTime()) return 'closed';
  const left = slot.capacity - taken;
  if (left <= 0) return 'full';
  return left <= Math.max(1, Math.floor(slot.capacity * 0.2)) ? 'few_left' : 'available';
}

/** Why a slot cannot be held at `now`, or undefined when it can (capacity is the store's to check). */
export function holdRefusal(slot: Slot, now: Date): 'past' | 'after_cutoff' | undefined {
  if (now.getTime() >= slot.endsAt.getTime()) return 'past';
  if (now.getTime() >= slot.cutoffAt.getTime()) return 'after_cutoff';
  return undefined;
}

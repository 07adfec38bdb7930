/**
 * Calendars and availability: staff write a zone's delivery template or a store's pickup
 * template; writing it regenerates the slots of the days ahead (keeping what is held and booked),
 * a job rolls the horizon forward each day, and a listing shows one day's windows with the places
 * left, the fee and a status decided by the clock.
 */
import type { Pool } from 'pg';
import { memoByKey } from '../shared/memo';
import type { UnitOfWork } from '../shared/unit-of-work';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { closedReason, placesLeft, type SlotRow } from './holds';
import type { SlotStore } from './slot-store';
import {
  closureOn,
  slotsOn,
  slotStatus,
  templateProblems,
  type Bilingual,
  type SlotStatus,
  type SlotTemplate,
  type TemplateProblem,
} from './slots';
import type { CalendarRow, ZoneStore } from './zone-store';

/** One window as a customer sees it. */
export interface WindowView {
  id: string;
  start: string;
  end: string;
  starts_at: string;
  ends_at: string;
  cutoff_at: string;
  capacity: number;
  remaining: number;
  fee_vnd: number;
  label: Bilingual | null;
  status: SlotStatus;
}

/** A day of a calendar. */
export interface DayView {
  calendar: string;
  kind: 'delivery' | 'pickup';
  location: string;
  date: string;
  /** Set when the whole day is closed (a holiday), with the reason in both languages. */
  closed: Bilingual | null;
  windows: WindowView[];
}

/** The days a template covers from `today`. */
export const horizon = (t: SlotTemplate, today: string) =>
  Array.from({ length: t.daysAhead }, (_, i) => addDays(today, i));

/** Vietnam wall-clock HH:MM of an instant (UTC+7 all year, no DST); a window's end at midnight is 24:00. */
const hhmm = (d: Date, end = false) => {
  const t = new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
  return end && t === '00:00' ? '24:00' : t;
};

/** A stored slot as the customer sees it at `now`. */
export function windowView(s: SlotRow, now: Date): WindowView {
  const status: SlotStatus =
    closedReason(s, now) !== undefined
      ? 'closed'
      : slotStatus({ capacity: s.capacity, cutoffAt: s.cutoff_at }, s.held + s.booked, now);
  return {
    id: s.id,
    start: hhmm(s.starts_at),
    end: hhmm(s.ends_at, true),
    starts_at: s.starts_at.toISOString(),
    ends_at: s.ends_at.toISOString(),
    cutoff_at: s.cutoff_at.toISOString(),
    capacity: s.capacity,
    remaining: placesLeft(s),
    fee_vnd: s.fee_vnd,
    label: s.label,
    status,
  };
}

/** The calendar use cases. */
export function calendarUseCases(deps: {
  db: Pool;
  work: UnitOfWork;
  zones: ZoneStore;
  slots: SlotStore;
  /** How long an instance reuses a calendar it read (its own writes drop it at once). */
  cacheMs?: number;
}) {
  const { db, work, zones, slots } = deps;
  /** Calendars, read at most once per `cacheMs` per instance: listings read one on every request. */
  const calendars = memoByKey(deps.cacheMs ?? 5_000, (id: string) => zones.calendar(db, id));

  /** Writes the slots of `days` from the calendar's template (in the caller's transaction). */
  const generate = (tx: Parameters<SlotStore['sync']>[0], cal: CalendarRow, days: readonly string[]) =>
    slots.sync(
      tx,
      cal.id,
      days,
      days.flatMap((d) => slotsOn(cal.template, d)),
    );

  return {
    /** Validates and stores a template, then regenerates the slots of its horizon. */
    async put(
      cal: Pick<CalendarRow, 'id' | 'kind' | 'location' | 'template'>,
      now: Date,
      expectedVersion?: number,
    ): Promise<
      | { ok: true; version: number }
      | { ok: false; problems: TemplateProblem[] }
      | { ok: false; stale: number }
    > {
      const problems = templateProblems(cal.template);
      if (problems.length) return { ok: false, problems };
      return work(async ({ tx, afterCommit }) => {
        const current = await zones.calendar(tx, cal.id, true);
        if (expectedVersion !== undefined && current && current.version !== expectedVersion)
          return { ok: false as const, stale: current.version };
        const version = await zones.putCalendar(tx, cal);
        afterCommit(() => calendars.drop(cal.id));
        await generate(tx, { ...cal, version, updated_at: now }, horizon(cal.template, localDateOf(now)));
        return { ok: true as const, version };
      });
    },

    /** One day of a calendar; slots missing for a day in the horizon are generated first. */
    async day(calendarId: string, date: string, now: Date): Promise<DayView | undefined> {
      const cal = await calendars.get(calendarId);
      if (!cal) return undefined;
      let rows = await slots.ofDay(db, cal.id, date);
      const inHorizon = horizon(cal.template, localDateOf(now)).includes(date);
      if (rows.length === 0 && inHorizon && slotsOn(cal.template, date).length > 0) {
        await work(({ tx }) => generate(tx, cal, [date]));
        rows = await slots.ofDay(db, cal.id, date);
      }
      const closure = closureOn(cal.template, date);
      return {
        calendar: cal.id,
        kind: cal.kind,
        location: cal.location,
        date,
        closed: closure ? closure.reason : null,
        windows: inHorizon ? rows.filter((r) => !r.withdrawn).map((r) => windowView(r, now)) : [],
      };
    },

    /** Makes sure every calendar has its slots written for the days of its horizon; returns days written. */
    async rollForward(now: Date): Promise<number> {
      const today = localDateOf(now);
      let written = 0;
      for (const cal of await zones.calendars(db)) {
        const days = horizon(cal.template, today);
        const have = await slots.daysWritten(db, cal.id, days);
        const missing = days.filter((d) => !have.has(d) && slotsOn(cal.template, d).length > 0);
        if (missing.length === 0) continue;
        await work(({ tx }) => generate(tx, cal, missing));
        written += missing.length;
      }
      return written;
    },
  };
}

export type CalendarUseCases = ReturnType<typeof calendarUseCases>;

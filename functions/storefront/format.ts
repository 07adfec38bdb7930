/**
 * How the shop writes money, weights, dates and windows for a reader of `lang`: prices as
 * `125.000 ₫` with a no-break space, so the sign never wraps onto a line of its own.
 */
import { formatVnClock, formatVnTime, formatVnd, type Lang } from '../shared/words';
import { addDays, localDateOf } from '../shared/vietnam-time';

export type { Lang };

/** Whole đồng: `125.000 ₫` (vi), `125,000 ₫` (en), the space a no-break one. */
export function money(vnd: number, lang: Lang): string {
  return formatVnd(vnd, lang).replace(' ', '\u00a0');
}

/** A signed difference: `+1.200 ₫`, `−3.000 ₫`, or the amount alone when it is nothing. */
export function signedMoney(vnd: number, lang: Lang): string {
  if (vnd === 0) return money(0, lang);
  return `${vnd > 0 ? '+' : '−'}${money(Math.abs(vnd), lang)}`;
}

/** Grams as people say them: `600 g`, `1,2 kg` (vi) / `1.2 kg` (en). */
export function weight(grams: number, lang: Lang): string {
  if (grams < 1000) return `${grams}\u00a0g`;
  const kg = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 2 });
  return `${kg.format(grams / 1000)}\u00a0kg`;
}

/** An amount of a product: pieces (`3`) or its weight. */
export function amount(line: { qty?: number; grams?: number }, lang: Lang): string {
  return line.grams !== undefined ? weight(line.grams, lang) : `× ${line.qty ?? 1}`;
}

/** An instant in Vietnam time (`18:00 08/12/2026`). */
export function when(at: string, lang: Lang): string {
  return formatVnTime(at, lang);
}

/** A delivery window: `18:00–20:00`. */
export function windowTimes(startsAt: string, endsAt: string): string {
  return `${formatVnClock(startsAt)}–${formatVnClock(endsAt)}`;
}

const WEEKDAYS: Record<Lang, string[]> = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  vi: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'],
};

/** A calendar day as a picker shows it: `T3 08/12` (vi), `Tue 8 Dec` (en). */
export function dayLabel(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAYS[lang][new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  if (lang === 'vi') return `${weekday} ${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}`;
  const month = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
  return `${weekday} ${d} ${month}`;
}

/** Today and the next `count - 1` days in Vietnam, as `YYYY-MM-DD`. */
export function nextDays(now: Date, count: number): string[] {
  const today = localDateOf(now);
  return Array.from({ length: count }, (_, i) => addDays(today, i));
}

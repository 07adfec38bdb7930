/**
 * Money and time as customers read them, in English and Vietnamese: đồng with the language's
 * thousands separator (`125.000 ₫`, `125,000 ₫`) and instants in Vietnam time.
 */

export type Lang = 'en' | 'vi';

const MONEY: Record<Lang, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }),
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }),
};

/** Whole đồng as `lang` writes them: `125.000 ₫` (vi), `125,000 ₫` (en). */
export function formatVnd(amount: number, lang: Lang): string {
  return `${MONEY[lang].format(Math.round(amount))} ₫`;
}

const ZONE = 'Asia/Ho_Chi_Minh';
// Built once: a DateTimeFormat costs far more to make than to use.
const VN_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const parts = (at: Date) => {
  const f = VN_PARTS.formatToParts(at);
  const get = (t: string) => f.find((p) => p.type === t)!.value;
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), min: get('minute') };
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant in Vietnam time: `18:00 08/12/2026` (vi), `18:00, 8 Dec 2026` (en). */
export function formatVnTime(at: Date | string, lang: Lang): string {
  const p = parts(typeof at === 'string' ? new Date(at) : at);
  if (lang === 'vi') return `${p.h}:${p.min} ${p.d}/${p.m}/${p.y}`;
  return `${p.h}:${p.min}, ${Number(p.d)} ${MONTHS[Number(p.m) - 1]} ${p.y}`;
}

/** The clock time alone in Vietnam time: `18:00`. */
export function formatVnClock(at: Date | string): string {
  const p = parts(typeof at === 'string' ? new Date(at) : at);
  return `${p.h}:${p.min}`;
}

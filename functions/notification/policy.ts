/**
 * Who gets a message on which channel, and when: the customer's preferences per category
 * (account and order messages always go on at least one channel; marketing only with opt-in) and
 * quiet hours (21:00–08:00 Vietnam time by default) that hold back what is not urgent until
 * morning. Pure: the function reads the preferences and the clock and hands them in.
 */
import type { Category } from './templates';

export const CHANNELS = ['email', 'sms', 'inapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A customer's choices. Quiet hours are minutes after midnight, Vietnam time. */
export interface Preferences {
  channels: Record<Category, Channel[]>;
  quiet: { from: number; to: number } | null;
}

/** Until a customer says otherwise: email and in-app for everything but marketing, which is off. */
export const DEFAULT_PREFERENCES: Preferences = {
  channels: { account: ['email', 'sms', 'inapp'], order: ['email', 'inapp'], marketing: [] },
  quiet: { from: 21 * 60, to: 8 * 60 },
};

/** Where the customer can be reached. */
export interface Reach {
  email?: string;
  phone?: string;
}

/** What to send: the channels, and when (now, or at the end of quiet hours). */
export interface Plan {
  channels: Channel[];
  sendAt: Date;
  held: boolean;
}

const VN_OFFSET_MS = 7 * 3_600_000;
const minuteOfDay = (at: Date) => Math.floor(((at.getTime() + VN_OFFSET_MS) % 86_400_000) / 60_000);

/** Whether `at` falls in quiet hours (a window may run past midnight). */
export function inQuietHours(at: Date, quiet: Preferences['quiet']): boolean {
  if (!quiet || quiet.from === quiet.to) return false;
  const m = minuteOfDay(at);
  return quiet.from < quiet.to ? m >= quiet.from && m < quiet.to : m >= quiet.from || m < quiet.to;
}

/** The first instant at or after `at` outside quiet hours. */
export function afterQuietHours(at: Date, quiet: Preferences['quiet']): Date {
  if (!inQuietHours(at, quiet)) return at;
  const m = minuteOfDay(at);
  const wait = (quiet!.to - m + 1_440) % 1_440;
  const next = new Date(at.getTime() + wait * 60_000);
  next.setUTCSeconds(0, 0);
  return next;
}

/**
 * The plan for one message. An account message asked for on one channel (a code by SMS, a link by
 * email) goes there whatever the preferences say; other account and order messages go on the
 * chosen channels the customer can be reached on, and on in-app when none is left; marketing goes
 * only where the customer opted in. Urgent messages ignore quiet hours.
 */
export function plan(
  m: { category: Category; urgent: boolean; channel?: 'email' | 'phone' },
  prefs: Preferences,
  reach: Reach,
  now: Date,
): Plan {
  let channels: Channel[];
  if (m.category === 'account' && m.channel) channels = [m.channel === 'phone' ? 'sms' : 'email'];
  else {
    const reachable = (c: Channel) => c === 'inapp' || (c === 'email' ? !!reach.email : !!reach.phone);
    channels = prefs.channels[m.category].filter(reachable);
    if (m.category !== 'marketing' && channels.length === 0) channels = ['inapp'];
  }
  const sendAt = m.urgent ? now : afterQuietHours(now, prefs.quiet);
  return { channels, sendAt, held: sendAt.getTime() !== now.getTime() };
}

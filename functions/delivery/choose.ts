/**
 * Which carrier takes a trip: every carrier the zone allows and we have configured is asked for a
 * quote (a carrier answers none for a trip out of its reach: the own fleet beyond its radius from
 * the store, Grab or AhaMove beyond their range); those that serve the trip within their limits (weight, cash on delivery) and can arrive
 * before the booked window ends are tried cheapest first, the zone's preference breaking ties;
 * booking falls back down the list when one fails. Pure.
 */
import type { CarrierName, CarrierQuote } from './carrier';

/** What a carrier takes on one trip. */
export interface CarrierLimits {
  maxWeightGrams: number;
  maxCodVnd: number;
}

/**
 * Limits per carrier. GHN's `cod_value` ≤ 5,000,000 ₫ is documented (PROVIDERS.md §4); the others
 * publish none we could confirm, so they take our own caps for a motorbike trip (30 kg, 10 M₫),
 * configurable per deployment.
 */
export const DEFAULT_LIMITS: Record<CarrierName, CarrierLimits> = {
  own_fleet: { maxWeightGrams: 30_000, maxCodVnd: 10_000_000 },
  grab: { maxWeightGrams: 30_000, maxCodVnd: 10_000_000 },
  ahamove: { maxWeightGrams: 30_000, maxCodVnd: 10_000_000 },
  ghn: { maxWeightGrams: 30_000, maxCodVnd: 5_000_000 },
  viettelpost: { maxWeightGrams: 30_000, maxCodVnd: 10_000_000 },
  gosend: { maxWeightGrams: 20_000, maxCodVnd: 0 },
};

/** One carrier's answer to the quote round. */
export type QuoteAnswer =
  | { carrier: CarrierName; quote: CarrierQuote }
  | { carrier: CarrierName; quote: undefined }
  | { carrier: CarrierName; error: string };

/** The trip as the rules see it. */
export interface Trip {
  weightGrams: number;
  codVnd: number;
  /** The booked window's end: a carrier whose ETA lands after it is not offered. */
  windowEnd?: Date;
}

/** Carriers to try in order, and why the others were left out. */
export interface Choice {
  order: CarrierQuote[];
  skipped: { carrier: CarrierName; reason: string }[];
}

/** Orders the carriers for a trip. `preference` is the zone's list (earlier = preferred). */
export function chooseCarriers(
  answers: readonly QuoteAnswer[],
  preference: readonly CarrierName[],
  trip: Trip,
  now: Date,
  limits: Record<CarrierName, CarrierLimits> = DEFAULT_LIMITS,
): Choice {
  const skipped: Choice['skipped'] = [];
  const eligible: CarrierQuote[] = [];
  for (const a of answers) {
    if ('error' in a) {
      skipped.push({ carrier: a.carrier, reason: `no quote: ${a.error}` });
      continue;
    }
    if (!a.quote) {
      skipped.push({ carrier: a.carrier, reason: 'does not serve this trip' });
      continue;
    }
    if (a.quote.currency && a.quote.currency !== 'VND') {
      skipped.push({ carrier: a.carrier, reason: `priced in ${a.quote.currency}; Tươi charges in đồng` });
      continue;
    }
    const limit = limits[a.carrier];
    if (trip.weightGrams > limit.maxWeightGrams) {
      skipped.push({ carrier: a.carrier, reason: `over ${limit.maxWeightGrams} g` });
      continue;
    }
    if (trip.codVnd > limit.maxCodVnd) {
      skipped.push({ carrier: a.carrier, reason: `cash on delivery over ${limit.maxCodVnd} ₫` });
      continue;
    }
    const eta = a.quote.etaMinutes;
    if (trip.windowEnd && eta !== undefined && now.getTime() + eta * 60_000 > trip.windowEnd.getTime()) {
      skipped.push({ carrier: a.carrier, reason: 'cannot arrive before the window ends' });
      continue;
    }
    eligible.push(a.quote);
  }
  const rank = (c: CarrierName) => {
    const i = preference.indexOf(c);
    return i < 0 ? preference.length : i;
  };
  eligible.sort((a, b) => a.feeVnd - b.feeVnd || rank(a.carrier) - rank(b.carrier));
  return { order: eligible, skipped };
}

/**
 * Integer đồng arithmetic for pricing: VND has no minor unit, so every amount is a whole number,
 * rounded once per line, and an order-level amount is spread over lines by largest remainder so
 * the parts always sum to the whole (Vendure's `prorate`, PEERS.md §2.4 and lesson 6).
 */

/** An amount in whole Vietnamese đồng (a safe integer). */
export type Vnd = number;

/** Rounds a non-negative or negative amount to whole đồng, halves away from zero. */
export function roundVnd(x: number): Vnd {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** `amount × percent / 100` in whole đồng (halves up): the per-line rounding of a percentage. */
export function percentOf(amount: Vnd, percent: number): Vnd {
  return roundVnd((amount * percent) / 100);
}

/**
 * The instant an ISO time names, in ms (memoised: promotions' schedules are parsed on every quote).
 * NaN for a malformed time, which compares false with every instant.
 */
export function instantOf(iso: string): number {
  let t = instants.get(iso);
  if (t === undefined) {
    if (instants.size > 10_000) instants.clear();
    instants.set(iso, (t = Date.parse(iso)));
  }
  return t;
}
const instants = new Map<string, number>();

/** True when `x` is a whole number of đồng. */
export function isVnd(x: number): boolean {
  return Number.isSafeInteger(x);
}

/** One recipient of a split: a stable key (the tie-break) and its weight (its amount, ≥ 0). */
export interface SplitWeight {
  key: string;
  weight: number;
}

/**
 * Spreads `total` đồng over `weights` in proportion, largest remainder first: every part is the
 * floor of its exact share, and the đồng left over go one each to the largest fractional parts,
 * ties to the smaller key, so the result does not depend on the order of `weights`. The parts sum
 * to `total` exactly, are never negative, and (when `total` ≤ the sum of weights) none exceeds its
 * weight. A total over no weight cannot be split: every part is 0 and the caller must cap first.
 */
export function splitLargestRemainder(total: Vnd, weights: readonly SplitWeight[]): Map<string, Vnd> {
  if (!isVnd(total) || total < 0) throw new RangeError(`split total must be a whole đồng ≥ 0: ${total}`);
  const parts = new Map<string, Vnd>();
  let sum = 0n;
  for (const w of weights) {
    if (!isVnd(w.weight) || w.weight < 0) throw new RangeError(`split weight must be ≥ 0: ${w.key}`);
    sum += BigInt(w.weight);
  }
  if (sum === 0n) {
    for (const w of weights) parts.set(w.key, 0);
    return parts;
  }
  if (Number(sum) * total <= Number.MAX_SAFE_INTEGER) return splitSmall(total, Number(sum), weights, parts);
  const t = BigInt(total);
  const shares = weights.map((w) => {
    const exact = t * BigInt(w.weight);
    return { key: w.key, floor: exact / sum, rest: exact % sum };
  });
  let left = t - shares.reduce((acc, s) => acc + s.floor, 0n);
  shares.sort((a, b) => (a.rest === b.rest ? byKey(a.key, b.key) : a.rest > b.rest ? -1 : 1));
  for (const s of shares) {
    const extra = left > 0n ? 1n : 0n;
    left -= extra;
    parts.set(s.key, Number(s.floor + extra));
  }
  return parts;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same split in plain numbers, exact while `total × sum` stays a safe integer. */
function splitSmall(
  total: Vnd,
  sum: number,
  weights: readonly SplitWeight[],
  parts: Map<string, Vnd>,
): Map<string, Vnd> {
  const shares = weights.map((w) => {
    const exact = total * w.weight;
    const floor = Math.floor(exact / sum);
    return { key: w.key, floor, rest: exact - floor * sum };
  });
  let left = total - shares.reduce((acc, s) => acc + s.floor, 0);
  if (left === 0) {
    for (const s of shares) parts.set(s.key, s.floor);
    return parts;
  }
  shares.sort((a, b) => b.rest - a.rest || byKey(a.key, b.key));
  for (const s of shares) {
    const extra = left > 0 ? 1 : 0;
    left -= extra;
    parts.set(s.key, s.floor + extra);
  }
  return parts;
}

/**
 * After confirmation, as pure data: picking each line (pieces, or the weighed grams), a short line
 * and its substitute (proposed once its stock is held and its price known, then approved,
 * rejected or expired), the final bill from what was picked, and refunds against it. The use
 * cases (fulfilment.ts) persist this state on the order under its row lock and send the commands
 * it asks for; nothing here does I/O.
 *
 * Money rules, so the final amount always fits the payment's hold (captured, never re-authorised):
 * - a line picked short is charged for what was picked, at its frozen price per unit;
 * - a line sold by weight is charged for the picked grams, at most 115 % of its estimate
 *   (`WEIGHED_MARGIN`, what the hold added);
 * - an approved substitute costs its own price, never more than the line it replaces;
 * - a removed line (no substitute, rejected, expired, unavailable) is not charged;
 * - the delivery fee and its discounts stay as frozen.
 */
import type { Reason } from './saga';

/** Items sold by weight are held at this much above their estimate, so the weighed total fits. */
export const WEIGHED_MARGIN = 0.15;

/** Picked weight beyond this many times the estimate is a typing error, not a pick. */
export const MAX_WEIGHED_FACTOR = 3;

/** The weighed margin of an amount in whole đồng, in integer arithmetic (15 % of 20 is 3, not 2.99…). */
export function weighedMargin(vnd: number, round: 'up' | 'down'): number {
  const hundredths = vnd * Math.round(WEIGHED_MARGIN * 100);
  return round === 'up' ? Math.ceil(hundredths / 100) : Math.floor(hundredths / 100);
}

export type SoldBy = 'piece' | 'weight';
export type Preference = { mode: 'best_match' } | { mode: 'specific'; skus: string[] } | { mode: 'none' };

/** Where a proposed substitute stands. */
export type SubState = 'pending' | 'proposed' | 'approved' | 'rejected' | 'expired' | 'unavailable';

/** A substitute for a short line. `amount` is pieces, or grams when sold by weight. */
export interface Substitute {
  sku: string;
  name: { en: string; vi: string };
  sold_by: SoldBy;
  amount: number;
  reservation_id: string;
  quote_id: string;
  state: SubState;
  /** Stock held for it (inventory answered), and its price (promotions answered). */
  held?: boolean;
  price_vnd?: number;
  deadline_at?: string;
  decided_at?: string;
}

/** One line as the picker sees it. `ordered` and `picked` are pieces, or grams when sold by weight. */
export interface PickLine {
  sku: string;
  name: { en: string; vi: string };
  sold_by: SoldBy;
  ordered: number;
  preference: Preference;
  /** What the frozen quote charged for the whole line. */
  estimate_vnd: number;
  state: 'open' | 'picked' | 'short';
  picked: number;
  sub?: Substitute;
}

/** A refund after packing: per line or an amount, through payment. */
export interface Refund {
  id: string;
  amount_vnd: number;
  reason: Reason;
  skus: string[];
  state: 'sent' | 'done' | 'refused';
  refusal?: Reason;
}

/** What the customer is charged in the end, per line with the difference from the estimate. */
export interface BillLine {
  sku: string;
  name: { en: string; vi: string };
  sold_by: SoldBy;
  ordered: number;
  picked: number;
  estimate_vnd: number;
  charged_vnd: number;
  difference_vnd: number;
  substitute?: { sku: string; name: { en: string; vi: string }; amount: number; charged_vnd: number };
}

export interface Bill {
  lines: BillLine[];
  /** Delivery fee after its discounts, as frozen. */
  delivery_vnd: number;
  estimate_vnd: number;
  total_vnd: number;
  difference_vnd: number;
}

/** A refusal of a staff or customer action, with the field it concerns (409 or 400 at the edge). */
export class PickingError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly kind: 'conflict' | 'invalid' | 'not_found' = 'conflict',
  ) {
    super(message);
  }
}

interface QuoteLine {
  sku: string;
  total_vnd: number;
}
interface FrozenTotals {
  lines: QuoteLine[];
  totals: { total_vnd: number };
}

/** The lines to pick, from the order's lines and its frozen quote. */
export function linesToPick(
  lines: readonly {
    sku: string;
    name: { en: string; vi: string };
    sold_by: SoldBy;
    qty?: number;
    grams?: number;
    substitution: Preference;
  }[],
  quote: FrozenTotals,
): PickLine[] {
  return lines.map((l) => ({
    sku: l.sku,
    name: l.name,
    sold_by: l.sold_by,
    ordered: l.grams ?? l.qty ?? 0,
    preference: l.substitution,
    estimate_vnd: quote.lines.find((q) => q.sku === l.sku)?.total_vnd ?? 0,
    state: 'open',
    picked: 0,
  }));
}

function lineOf(lines: readonly PickLine[], sku: string): PickLine {
  const line = lines.find((l) => l.sku === sku);
  if (!line) throw new PickingError(`The order has no line ${sku}`, 'no_such_line', 'not_found');
  return line;
}

const replace = (lines: readonly PickLine[], next: PickLine) =>
  lines.map((l) => (l.sku === next.sku ? next : l));

/** Records what was picked for a line (a correction before packing is allowed, unless substituted). */
export function pick(lines: readonly PickLine[], sku: string, amount: number): PickLine[] {
  const line = lineOf(lines, sku);
  if (line.sub && line.sub.state !== 'unavailable')
    throw new PickingError(`Line ${sku} has a substitute ${line.sub.state}`, 'substituted');
  if (!Number.isInteger(amount) || amount < 1)
    throw new PickingError(
      'Pick at least one piece or gram; report the line short instead',
      'amount',
      'invalid',
    );
  if (line.sold_by === 'piece' && amount > line.ordered)
    throw new PickingError(
      `Line ${sku} ordered ${line.ordered}; ${amount} cannot be picked`,
      'more_than_ordered',
      'invalid',
    );
  if (line.sold_by === 'weight' && amount > line.ordered * MAX_WEIGHED_FACTOR)
    throw new PickingError(
      `${amount} g is more than ${MAX_WEIGHED_FACTOR} times the ${line.ordered} g ordered: weigh again`,
      'overweight',
      'invalid',
    );
  const { sub: _drop, ...rest } = line;
  return replace(lines, { ...rest, state: 'picked', picked: amount });
}

/**
 * A line that cannot be picked. With the customer's preference `none`, or no substitute named, it
 * is removed; otherwise the substitute is pending until its stock is held and its price known.
 */
export function short(
  lines: readonly PickLine[],
  sku: string,
  substitute: Omit<Substitute, 'state' | 'reservation_id' | 'quote_id'> | undefined,
  ids: { reservation_id: string; quote_id: string },
): PickLine[] {
  const line = lineOf(lines, sku);
  if (line.sub && line.sub.state !== 'unavailable')
    throw new PickingError(`Line ${sku} already has a substitute ${line.sub.state}`, 'substituted');
  const base: PickLine = { ...line, state: 'short', picked: 0 };
  delete base.sub;
  if (!substitute) return replace(lines, base);
  if (line.preference.mode === 'none')
    throw new PickingError(`The customer asked for no substitute for ${sku}`, 'no_substitutes', 'invalid');
  if (line.preference.mode === 'specific' && !line.preference.skus.includes(substitute.sku))
    throw new PickingError(
      `The customer accepts only ${line.preference.skus.join(', ')} instead of ${sku}`,
      'not_accepted',
      'invalid',
    );
  if (substitute.sku === sku)
    throw new PickingError('A substitute is another product', 'same_product', 'invalid');
  const live = (x: PickLine) => x.sub && ['pending', 'proposed', 'approved'].includes(x.sub.state);
  if (lines.some((l) => live(l) && l.sub!.sku === substitute.sku && l.sku !== sku))
    throw new PickingError(
      `${substitute.sku} already substitutes another line`,
      'substitute_taken',
      'invalid',
    );
  if (!Number.isInteger(substitute.amount) || substitute.amount < 1)
    throw new PickingError('A substitute has an amount', 'amount', 'invalid');
  return replace(lines, { ...base, sub: { ...substitute, ...ids, state: 'pending' } });
}

/** A pending substitute heard from inventory or promotions: proposed once both answered done. */
export function subAnswered(
  lines: readonly PickLine[],
  match: (s: Substitute) => boolean,
  answer: { held?: boolean; price_vnd?: number; refused?: boolean },
  deadline: Date,
): { lines: PickLine[]; proposed?: PickLine; unavailable?: PickLine } {
  const line = lines.find((l) => l.sub && match(l.sub));
  if (!line?.sub || line.sub.state !== 'pending') return { lines: [...lines] };
  if (answer.refused) {
    const next: PickLine = { ...line, sub: { ...line.sub, state: 'unavailable' } };
    return { lines: replace(lines, next), unavailable: next };
  }
  const sub: Substitute = {
    ...line.sub,
    ...(answer.held ? { held: true } : {}),
    ...(answer.price_vnd !== undefined ? { price_vnd: answer.price_vnd } : {}),
  };
  if (sub.held && sub.price_vnd !== undefined) {
    const next: PickLine = {
      ...line,
      sub: {
        ...sub,
        state: 'proposed',
        price_vnd: Math.min(sub.price_vnd, line.estimate_vnd),
        deadline_at: deadline.toISOString(),
      },
    };
    return { lines: replace(lines, next), proposed: next };
  }
  return { lines: replace(lines, { ...line, sub }) };
}

/** The customer's answer to a proposal before its deadline. */
export function decide(
  lines: readonly PickLine[],
  sku: string,
  decision: 'approved' | 'rejected',
  now: Date,
): { lines: PickLine[]; line: PickLine; replayed: boolean } {
  const line = lineOf(lines, sku);
  const sub = line.sub;
  if (!sub || sub.state === 'pending' || sub.state === 'unavailable')
    throw new PickingError(`No substitute is proposed for ${sku}`, 'no_proposal', 'not_found');
  if (sub.state === decision) return { lines: [...lines], line, replayed: true };
  if (sub.state !== 'proposed')
    throw new PickingError(`The substitute for ${sku} was already ${sub.state}`, 'already_decided');
  if (Date.parse(sub.deadline_at!) <= now.getTime())
    throw new PickingError(`The time to answer for ${sku} has passed`, 'deadline_passed');
  const next: PickLine = { ...line, sub: { ...sub, state: decision, decided_at: now.toISOString() } };
  return { lines: replace(lines, next), line: next, replayed: false };
}

/** Proposals whose deadline passed: expired (removed, not charged). */
export function expireDue(lines: readonly PickLine[], now: Date): { lines: PickLine[]; expired: PickLine[] } {
  const expired: PickLine[] = [];
  const next = lines.map((l) => {
    if (l.sub?.state !== 'proposed' || Date.parse(l.sub.deadline_at!) > now.getTime()) return l;
    const e: PickLine = { ...l, sub: { ...l.sub, state: 'expired', decided_at: now.toISOString() } };
    expired.push(e);
    return e;
  });
  return { lines: next, expired };
}

/** The earliest proposal deadline still open. */
export function nextDeadline(lines: readonly PickLine[]): Date | undefined {
  const times = lines.filter((l) => l.sub?.state === 'proposed').map((l) => Date.parse(l.sub!.deadline_at!));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/** Why the order cannot be packed yet, or undefined when it can. */
export function notPackable(lines: readonly PickLine[]): string | undefined {
  const open = lines.filter((l) => l.state === 'open').map((l) => l.sku);
  if (open.length) return `Lines not picked yet: ${open.join(', ')}`;
  const waiting = lines
    .filter((l) => l.sub?.state === 'pending' || l.sub?.state === 'proposed')
    .map((l) => l.sku);
  if (waiting.length) return `Waiting for the customer's answer on substitutes for: ${waiting.join(', ')}`;
  if (received(lines).length === 0) return 'Nothing was picked: cancel the order instead';
  return undefined;
}

/** What one line is charged (see the money rules above). */
export function chargedOf(l: PickLine): number {
  let charged = 0;
  if (l.state === 'picked' && l.ordered > 0) {
    const share = Math.round((l.estimate_vnd * l.picked) / l.ordered);
    // Rounded down per line: the hold rounds the margin of all weighed lines up once
    // (amountToHold), so the lines' caps together never pass it.
    charged =
      l.sold_by === 'weight'
        ? Math.min(share, l.estimate_vnd + weighedMargin(l.estimate_vnd, 'down'))
        : share;
  }
  if (l.sub?.state === 'approved') charged += Math.min(l.sub.price_vnd ?? 0, l.estimate_vnd);
  return charged;
}

/** The final bill from the picked lines; `frozenTotal` is the frozen quote's total. */
export function bill(lines: readonly PickLine[], frozenTotal: number): Bill {
  const estimate = lines.reduce((t, l) => t + l.estimate_vnd, 0);
  const delivery = Math.max(0, frozenTotal - estimate);
  const out: BillLine[] = lines.map((l) => {
    const charged = chargedOf(l);
    return {
      sku: l.sku,
      name: l.name,
      sold_by: l.sold_by,
      ordered: l.ordered,
      picked: l.state === 'picked' ? l.picked : 0,
      estimate_vnd: l.estimate_vnd,
      charged_vnd: charged,
      difference_vnd: charged - l.estimate_vnd,
      ...(l.sub?.state === 'approved'
        ? {
            substitute: {
              sku: l.sub.sku,
              name: l.sub.name,
              amount: l.sub.amount,
              charged_vnd: Math.min(l.sub.price_vnd ?? 0, l.estimate_vnd),
            },
          }
        : {}),
    };
  });
  const total = out.reduce((t, l) => t + l.charged_vnd, 0) + delivery;
  return {
    lines: out,
    delivery_vnd: delivery,
    estimate_vnd: frozenTotal,
    total_vnd: total,
    difference_vnd: total - frozenTotal,
  };
}

/** What the customer received, as stock to put back or sales to count: pieces or grams per SKU. */
export function received(lines: readonly PickLine[]): { sku: string; amount: number; sold_by: SoldBy }[] {
  const out: { sku: string; amount: number; sold_by: SoldBy }[] = [];
  for (const l of lines) {
    if (l.state === 'picked' && l.picked > 0) out.push({ sku: l.sku, amount: l.picked, sold_by: l.sold_by });
    if (l.sub?.state === 'approved')
      out.push({ sku: l.sub.sku, amount: l.sub.amount, sold_by: l.sub.sold_by });
  }
  return out;
}

/**
 * The amount a refund of `skus` (whole lines as billed) or of `amount` comes to, capped at what is
 * left: the final total less refunds done or in flight.
 */
export function refundAmount(
  b: Bill,
  refunds: readonly Refund[],
  ask: { skus?: string[]; amount_vnd?: number },
): number {
  const left =
    b.total_vnd - refunds.filter((r) => r.state !== 'refused').reduce((t, r) => t + r.amount_vnd, 0);
  if (left <= 0) throw new PickingError('Everything charged has been refunded', 'nothing_left');
  let want = ask.amount_vnd ?? 0;
  if (ask.skus?.length) {
    for (const sku of ask.skus) {
      const line = b.lines.find((l) => l.sku === sku);
      if (!line) throw new PickingError(`The order has no line ${sku}`, 'no_such_line', 'invalid');
      if (line.charged_vnd === 0)
        throw new PickingError(`Line ${sku} was not charged`, 'not_charged', 'invalid');
      want += line.charged_vnd;
    }
    const already = refunds
      .filter((r) => r.state !== 'refused')
      .flatMap((r) => r.skus)
      .filter((s) => ask.skus!.includes(s));
    if (already.length)
      throw new PickingError(`Already refunded: ${[...new Set(already)].join(', ')}`, 'already_refunded');
  }
  if (want <= 0) throw new PickingError('Name the lines or the amount to refund', 'amount', 'invalid');
  if (want > left)
    throw new PickingError(`Only ${left} ₫ is left to refund; ${want} ₫ cannot be`, 'over_total');
  return want;
}

/**
 * What each kind of promotion takes off a cart, given what is left of every line after the
 * promotions applied before it. Pure: returns the discounts per line key and on the delivery fee,
 * each a whole đồng, never more than what is left of its line.
 */
import { targeted, type LineIndex, type WorkLine } from './lines';
import { percentOf, roundVnd, splitLargestRemainder, type Vnd } from './money';
import type { Action, Cart, ExpiringLot, Promotion, Target } from './model';

/** One promotion's discounts: per line key, and on the delivery fee. */
export interface Discount {
  lines: Map<string, Vnd>;
  delivery: Vnd;
}

/** The total of a discount. */
export function discountTotal(d: Discount): Vnd {
  let sum = d.delivery;
  for (const v of d.lines.values()) sum += v;
  return sum;
}

/** What the pricing context gives every kind: the cart, its Vietnam date, the fee left. */
export interface KindContext {
  cart: Cart;
  /** Vietnam calendar date of the pricing time. */
  date: string;
  deliveryLeft: Vnd;
  /** The quote's line index (positions shared by every copy of its lines). */
  index: LineIndex;
  /** What a quote computes once for all its promotions. */
  memo: { lots?: readonly DatedLot[] };
}

/** A lot and the days left until it expires on the pricing date. */
export interface DatedLot {
  lot: ExpiringLot;
  daysLeft: number;
}

/** The lots of `cart` at its location that have not expired on `date`, earliest first. */
export function datedLots(cart: Cart, date: string): DatedLot[] {
  return (cart.lots ?? [])
    .filter((l) => l.location === cart.location && l.qty > 0)
    .map((l) => ({ lot: l, daysLeft: daysBetween(date, l.expiresOn) }))
    .filter((l) => l.daysLeft >= 0)
    .sort((a, b) => a.daysLeft - b.daysLeft || a.lot.qty - b.lot.qty);
}

const empty = (): Discount => ({ lines: new Map(), delivery: 0 });

function capped(lines: readonly WorkLine[], amountOf: (w: WorkLine) => Vnd): Discount {
  const d = empty();
  for (const w of lines) {
    const amount = Math.min(w.remaining, Math.max(0, amountOf(w)));
    if (amount > 0) d.lines.set(w.line.key, amount);
  }
  return d;
}

function spread(total: Vnd, lines: readonly WorkLine[]): Discount {
  const left = lines.reduce((s, w) => s + w.remaining, 0);
  const parts = splitLargestRemainder(
    Math.min(total, left),
    lines.map((w) => ({ key: w.line.key, weight: w.remaining })),
  );
  const d = empty();
  for (const [key, amount] of parts) if (amount > 0) d.lines.set(key, amount);
  return d;
}

/** The amount of `w` at another price (per unit, or per kg for weighted lines). */
function amountAt(w: WorkLine, price: Vnd): Vnd {
  return w.line.soldBy === 'piece' ? price * w.units : roundVnd((price * w.grams) / 1000);
}

/** The pieces of one piece line, for buy-X-get-Y. */
interface Units {
  key: string;
  price: Vnd;
  count: number;
}

function unitsOf(target: Target, lines: readonly WorkLine[], index: LineIndex): Units[] {
  const units: Units[] = [];
  for (const w of targeted(target, lines, index))
    if (w.line.soldBy === 'piece') units.push({ key: w.line.key, price: w.line.unitPrice, count: w.units });
  // cheapest first; ties by line key, so the rewarded units never depend on line order
  return units.sort((a, b) => a.price - b.price || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The `n` cheapest units of `pool` (sorted cheapest first), as a count per line key. */
function cheapest(pool: readonly Units[], n: number): Map<string, number> {
  const taken = new Map<string, number>();
  for (const u of pool) {
    if (n <= 0) break;
    const take = Math.min(n, u.count);
    taken.set(u.key, take);
    n -= take;
  }
  return taken;
}

const countOf = (pool: readonly Units[]) => pool.reduce((s, u) => s + u.count, 0);

/**
 * The units buy-X-get-Y rewards, as a count per line key: the cheapest qualifying ones, once per
 * full application (buy + get units), repeated up to `maxApplications`.
 */
export function buyGetRewards(
  action: Extract<Action, { kind: 'buyXGetY' }>,
  target: Target,
  lines: readonly WorkLine[],
  index: LineIndex,
): Map<string, number> {
  const max = action.maxApplications ?? Number.POSITIVE_INFINITY;
  const buyPool = unitsOf(target, lines, index);
  const bought = countOf(buyPool);
  if (action.getTarget === undefined) {
    const applications = Math.min(Math.floor(bought / (action.buy + action.get)), max);
    return cheapest(buyPool, applications * action.get);
  }
  const getPool = unitsOf(action.getTarget, lines, index);
  const buyCount = new Map(buyPool.map((u) => [u.key, u.count]));
  let applications = Math.min(
    Math.floor(bought / action.buy),
    Math.floor(countOf(getPool) / action.get),
    max,
  );
  for (; applications > 0; applications--) {
    // a unit that is both bought and rewarded counts once: as the reward
    const rewards = cheapest(getPool, applications * action.get);
    let alsoBought = 0;
    for (const [key, n] of rewards) alsoBought += Math.min(n, buyCount.get(key) ?? 0);
    if (bought - alsoBought >= applications * action.buy) return rewards;
  }
  return new Map();
}

/** Days from one `YYYY-MM-DD` date to another. */
function daysBetween(from: string, to: string): number {
  const day = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86_400_000;
  return day(to) - day(from);
}

function nearExpiry(
  action: Extract<Action, { kind: 'nearExpiry' }>,
  lines: readonly WorkLine[],
  ctx: KindContext,
): Discount {
  const schedule = [...action.schedule].sort((a, b) => a.daysLeft - b.daysLeft);
  const left = new Map<ExpiringLot, number>();
  const lots = (ctx.memo.lots ??= datedLots(ctx.cart, ctx.date)).filter(
    (l) => l.daysLeft <= action.withinDays,
  );
  for (const l of lots) left.set(l.lot, l.lot.qty);
  return capped(lines, (w) => {
    if (w.line.soldBy !== 'piece') return 0;
    let want = w.units;
    let amount = 0;
    for (const l of lots) {
      if (want === 0) break;
      if (l.lot.sku !== w.line.sku) continue;
      const take = Math.min(want, left.get(l.lot) ?? 0);
      if (take === 0) continue;
      left.set(l.lot, (left.get(l.lot) ?? 0) - take);
      want -= take;
      const percent = schedule.find((s) => s.daysLeft >= l.daysLeft)?.percent ?? 0;
      amount += percentOf(w.line.unitPrice * take, percent);
    }
    return amount;
  });
}

function tiered(action: Extract<Action, { kind: 'tiered' }>, lines: readonly WorkLine[]): Discount {
  const measured = action.measure === 'grams' ? lines.filter((w) => w.line.soldBy === 'weight') : lines;
  const total = measured.reduce((s, w) => s + (action.measure === 'grams' ? w.grams : w.units), 0);
  const tier = [...action.tiers].sort((a, b) => b.min - a.min).find((t) => total >= t.min);
  if (!tier) return empty();
  return capped(measured, (w) => {
    if (tier.unitPrice !== undefined) return w.listAmount - amountAt(w, tier.unitPrice);
    return percentOf(w.remaining, tier.percent ?? 0);
  });
}

/** The discount `promotion` gives on `lines` (what is left of them) in `ctx`. */
export function discountOf(promotion: Promotion, lines: readonly WorkLine[], ctx: KindContext): Discount {
  const action = promotion.action;
  if (action.kind === 'delivery' || promotion.target.kind === 'delivery') {
    if (action.kind !== 'delivery') return empty();
    const fee = ctx.deliveryLeft;
    const off = action.percent !== undefined ? percentOf(fee, action.percent) : (action.amount ?? 0);
    return { lines: new Map(), delivery: Math.min(fee, Math.max(0, off)) };
  }
  const hit = targeted(promotion.target, lines, ctx.index);
  const order = promotion.target.kind === 'order';
  switch (action.kind) {
    case 'percentage':
      return order
        ? spread(
            percentOf(
              hit.reduce((s, w) => s + w.remaining, 0),
              action.percent,
            ),
            hit,
          )
        : capped(hit, (w) => percentOf(w.remaining, action.percent));
    case 'amountOff':
      return action.allocation === 'across' || order
        ? spread(action.amount, hit)
        : capped(hit, (w) => action.amount * (w.line.soldBy === 'piece' ? w.units : 1));
    case 'fixedPrice':
      return capped(hit, (w) => w.listAmount - amountAt(w, action.unitPrice));
    case 'buyXGetY': {
      const units = buyGetRewards(action, promotion.target, lines, ctx.index);
      const rewarded = lines.filter((w) => units.has(w.line.key));
      return capped(rewarded, (w) =>
        percentOf(w.line.unitPrice * (units.get(w.line.key) ?? 0), action.percent),
      );
    }
    case 'tiered':
      return tiered(action, hit);
    case 'nearExpiry':
      return nearExpiry(action, hit, ctx);
  }
}

/**
 * What each kind of promotion takes off a cart, given what is left of every line after the
 * promotions applied before it. Pure: returns the discounts per line key and on the delivery fee,
 * each a whole đồng, never more than what is left of its line.
 */
import type { WorkLine } from './lines';
import { inTarget, targeted } from './lines';
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

/** One piece of a piece line, for buy-X-get-Y. */
interface Unit {
  key: string;
  price: Vnd;
}

function unitsOf(target: Target, lines: readonly WorkLine[]): Unit[] {
  const units: Unit[] = [];
  for (const w of lines)
    if (w.line.soldBy === 'piece' && inTarget(target, w.line))
      for (let i = 0; i < w.units; i++) units.push({ key: w.line.key, price: w.line.unitPrice });
  // cheapest first; ties by line key, so the rewarded units never depend on line order
  return units.sort((a, b) => a.price - b.price || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The units buy-X-get-Y rewards: the cheapest qualifying ones, for as many applications as allowed. */
export function buyGetRewards(
  action: Extract<Action, { kind: 'buyXGetY' }>,
  target: Target,
  lines: readonly WorkLine[],
): Unit[] {
  const max = action.maxApplications ?? Number.POSITIVE_INFINITY;
  const buyPool = unitsOf(target, lines);
  if (action.getTarget === undefined) {
    const applications = Math.min(Math.floor(buyPool.length / (action.buy + action.get)), max);
    return buyPool.slice(0, applications * action.get);
  }
  const getPool = unitsOf(action.getTarget, lines);
  const buyKeys = new Set(buyPool.map((u) => u.key));
  let applications = Math.min(
    Math.floor(buyPool.length / action.buy),
    Math.floor(getPool.length / action.get),
    max,
  );
  for (; applications > 0; applications--) {
    const rewards = getPool.slice(0, applications * action.get);
    const alsoBought = rewards.filter((u) => buyKeys.has(u.key)).length;
    if (buyPool.length - alsoBought >= applications * action.buy) return rewards;
  }
  return [];
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function nearExpiry(
  action: Extract<Action, { kind: 'nearExpiry' }>,
  lines: readonly WorkLine[],
  ctx: KindContext,
): Discount {
  const schedule = [...action.schedule].sort((a, b) => a.daysLeft - b.daysLeft);
  const left = new Map<ExpiringLot, number>();
  const lots = (ctx.cart.lots ?? [])
    .filter((l) => l.location === ctx.cart.location && l.qty > 0)
    .map((l) => ({ lot: l, daysLeft: daysBetween(ctx.date, l.expiresOn) }))
    .filter((l) => l.daysLeft >= 0 && l.daysLeft <= action.withinDays)
    .sort((a, b) => a.daysLeft - b.daysLeft || a.lot.qty - b.lot.qty);
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
  const hit = targeted(promotion.target, lines);
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
      const units = new Map<string, number>();
      for (const u of buyGetRewards(action, promotion.target, lines))
        units.set(u.key, (units.get(u.key) ?? 0) + 1);
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

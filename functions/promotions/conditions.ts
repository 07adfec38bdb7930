/**
 * Whether a promotion may apply to a cart at all: status, coupon, schedule, usage limits, customer
 * segment, minimum order value and quantity. Discount size is decided elsewhere (kinds.ts).
 */
import { targetPositions, type LineIndex, type WorkLine } from './lines';
import type { Cart, Promotion } from './model';
import { instantOf } from './money';

import type { ReasonCode } from './reasons';

const schedules = new WeakMap<Promotion, { starts: number; ends: number }>();

/**
 * A promotion's schedule in ms, parsed once per promotion object (promotions are immutable data,
 * read again for every quote). A malformed time (NaN) keeps the promotion out.
 */
function scheduleOf(promotion: Promotion): { starts: number; ends: number } {
  let schedule = schedules.get(promotion);
  if (!schedule) {
    schedule = {
      starts: promotion.startsAt === undefined ? -Infinity : instantOf(promotion.startsAt),
      ends: promotion.endsAt === undefined ? Infinity : instantOf(promotion.endsAt),
    };
    schedules.set(promotion, schedule);
  }
  return schedule;
}

/** Why `promotion` cannot apply to `cart` at `at`, or undefined when it may. */
export function conditionsFailed(
  promotion: Promotion,
  cart: Cart,
  lines: readonly WorkLine[],
  index: LineIndex,
  at: Date,
): ReasonCode | undefined {
  if (promotion.status !== 'active') return 'not_active';
  if (promotion.code !== undefined && !(cart.couponCodes ?? []).includes(promotion.code))
    return 'coupon_missing';
  const t = at.getTime();
  const { starts, ends } = scheduleOf(promotion);
  if (!(t >= starts)) return 'not_started';
  if (!(t < ends)) return 'ended';
  if (promotion.perCustomerLimit !== undefined) {
    if (cart.customer?.id === undefined) return 'sign_in_required';
    if ((cart.usage?.byCustomer?.[promotion.id] ?? 0) >= promotion.perCustomerLimit) return 'customer_limit';
  }
  if (
    promotion.globalLimit !== undefined &&
    (cart.usage?.global?.[promotion.id] ?? 0) >= promotion.globalLimit
  )
    return 'global_limit';
  const c = promotion.conditions ?? {};
  const customer = cart.customer ?? {};
  if (c.firstOrder && !customer.firstOrder) return 'first_order';
  if (c.staff && !customer.staff) return 'staff';
  if (c.dietary && !c.dietary.some((d) => (customer.dietary ?? []).includes(d))) return 'dietary';
  if (c.minOrderValue !== undefined && index.listTotal < c.minOrderValue) return 'min_order_value';
  if (promotion.target.kind === 'delivery') return (cart.deliveryFee ?? 0) > 0 ? undefined : 'no_target';
  const hit = targetPositions(promotion.target, index);
  if (hit.length === 0) return 'no_target';
  if (c.minQuantity !== undefined && hit.reduce((s, i) => s + lines[i]!.units, 0) < c.minQuantity)
    return 'min_quantity';
  return undefined;
}

/**
 * Whether a promotion may apply to a cart at all: status, coupon, schedule, usage limits, customer
 * segment, minimum order value and quantity. Discount size is decided elsewhere (kinds.ts).
 */
import type { WorkLine } from './lines';
import { targeted } from './lines';
import type { Cart, Promotion } from './model';
import type { ReasonCode } from './reasons';

/** Why `promotion` cannot apply to `cart` at `at`, or undefined when it may. */
export function conditionsFailed(
  promotion: Promotion,
  cart: Cart,
  lines: readonly WorkLine[],
  at: Date,
): ReasonCode | undefined {
  if (promotion.status !== 'active') return 'not_active';
  if (promotion.code !== undefined && !(cart.couponCodes ?? []).includes(promotion.code))
    return 'coupon_missing';
  const t = at.getTime();
  if (promotion.startsAt !== undefined && t < Date.parse(promotion.startsAt)) return 'not_started';
  if (promotion.endsAt !== undefined && t >= Date.parse(promotion.endsAt)) return 'ended';
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
  if (c.minOrderValue !== undefined && lines.reduce((s, w) => s + w.listAmount, 0) < c.minOrderValue)
    return 'min_order_value';
  if (promotion.target.kind === 'delivery') return (cart.deliveryFee ?? 0) > 0 ? undefined : 'no_target';
  const hit = targeted(promotion.target, lines);
  if (hit.length === 0) return 'no_target';
  if (c.minQuantity !== undefined && hit.reduce((s, w) => s + w.units, 0) < c.minQuantity)
    return 'min_quantity';
  return undefined;
}

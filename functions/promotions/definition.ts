/**
 * A promotion definition as the API writes it (snake_case, validated by schemas.ts) ↔ the engine's
 * Promotion, and the rules that span fields: a schedule that ends after it starts, a discount kind
 * that fits its target, tiers and expiry schedules that make sense. Pure: no I/O.
 */
import type { FieldError } from '../shared/errors';
import type { Action, Promotion, Target as EngineTarget } from './model';
import type { Discount, PromotionBody, Target } from './schemas';

/** A stored definition: the body plus its id. */
export type Definition = PromotionBody & { id: string };

const err = (field: string, code: string, message: string): FieldError => ({ field, code, message });

function targetOf(t: Target): EngineTarget {
  return t;
}

function actionOf(d: Discount): Action {
  switch (d.kind) {
    case 'percentage':
      return { kind: 'percentage', percent: d.percent };
    case 'amount_off':
      return { kind: 'amountOff', amount: d.amount_vnd, allocation: d.allocation };
    case 'fixed_price':
      return { kind: 'fixedPrice', unitPrice: d.unit_price_vnd };
    case 'buy_x_get_y':
      return {
        kind: 'buyXGetY',
        buy: d.buy,
        get: d.get,
        percent: d.percent,
        ...(d.get_target ? { getTarget: targetOf(d.get_target) } : {}),
        ...(d.max_applications ? { maxApplications: d.max_applications } : {}),
      };
    case 'tiered':
      return {
        kind: 'tiered',
        measure: d.measure,
        tiers: d.tiers.map((t) => ({
          min: t.min,
          ...(t.unit_price_vnd !== undefined ? { unitPrice: t.unit_price_vnd } : {}),
          ...(t.percent !== undefined ? { percent: t.percent } : {}),
        })),
      };
    case 'delivery':
      return {
        kind: 'delivery',
        ...(d.percent !== undefined ? { percent: d.percent } : {}),
        ...(d.amount_vnd !== undefined ? { amount: d.amount_vnd } : {}),
      };
    case 'near_expiry':
      return {
        kind: 'nearExpiry',
        withinDays: d.within_days,
        schedule: d.schedule.map((s) => ({ daysLeft: s.days_left, percent: s.percent })),
      };
  }
}

/**
 * The engine's promotion for a stored definition. `code` is the coupon code the customer entered
 * (coupon promotions are priced only for a code that resolved to them).
 */
export function toEnginePromotion(def: Definition, code?: string): Promotion {
  const c = def.conditions ?? {};
  return {
    id: def.id,
    label: def.label,
    status: def.status,
    ...(code !== undefined ? { code } : {}),
    ...(def.starts_at ? { startsAt: def.starts_at } : {}),
    ...(def.ends_at ? { endsAt: def.ends_at } : {}),
    target: targetOf(def.target),
    action: actionOf(def.discount),
    conditions: {
      ...(c.min_order_value_vnd !== undefined ? { minOrderValue: c.min_order_value_vnd } : {}),
      ...(c.min_quantity !== undefined ? { minQuantity: c.min_quantity } : {}),
      ...(c.first_order ? { firstOrder: true } : {}),
      ...(c.staff ? { staff: true } : {}),
      ...(c.dietary ? { dietary: c.dietary } : {}),
    },
    ...(def.per_customer_limit ? { perCustomerLimit: def.per_customer_limit } : {}),
    ...(def.global_limit ? { globalLimit: def.global_limit } : {}),
    priority: def.priority ?? 0,
    ...(def.exclusive ? { exclusive: true } : {}),
    ...(def.stack_group ? { stackGroup: def.stack_group } : {}),
  };
}

function increasing(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v > values[i - 1]!);
}

/** The rules no single field shows; an empty list when the definition is sound. */
export function definitionProblems(def: PromotionBody): FieldError[] {
  const out: FieldError[] = [];
  const d = def.discount;
  if (def.starts_at && def.ends_at && Date.parse(def.ends_at) <= Date.parse(def.starts_at))
    out.push(err('/ends_at', 'schedule', 'The promotion must end after it starts'));
  const deliveryTarget = def.target.kind === 'delivery';
  if (deliveryTarget !== (d.kind === 'delivery'))
    out.push(
      err(
        '/discount/kind',
        'target',
        'A delivery discount targets the delivery fee, and only a delivery discount does',
      ),
    );
  switch (d.kind) {
    case 'delivery':
      if ((d.percent === undefined) === (d.amount_vnd === undefined))
        out.push(err('/discount', 'one-of', 'Give either percent or amount_vnd'));
      break;
    case 'tiered': {
      d.tiers.forEach((t, i) => {
        if ((t.unit_price_vnd === undefined) === (t.percent === undefined))
          out.push(err(`/discount/tiers/${i}`, 'one-of', 'Give either unit_price_vnd or percent'));
      });
      if (!increasing(d.tiers.map((t) => t.min)))
        out.push(err('/discount/tiers', 'order', 'Tier thresholds must increase'));
      break;
    }
    case 'near_expiry': {
      if (!increasing(d.schedule.map((s) => s.days_left)))
        out.push(err('/discount/schedule', 'order', 'days_left must increase'));
      d.schedule.forEach((s, i) => {
        if (s.days_left > d.within_days)
          out.push(err(`/discount/schedule/${i}/days_left`, 'range', 'days_left cannot exceed within_days'));
      });
      if (def.target.kind === 'order')
        out.push(err('/target', 'target', 'A near-expiry markdown targets products, categories or brands'));
      break;
    }
    case 'buy_x_get_y':
      if (d.get_target && (d.get_target.kind === 'order' || d.get_target.kind === 'delivery'))
        out.push(
          err('/discount/get_target', 'target', 'Rewarded units must be products, categories or brands'),
        );
      break;
    case 'fixed_price':
      if (def.target.kind === 'order')
        out.push(err('/target', 'target', 'A fixed price targets products, categories or brands'));
      break;
  }
  return out;
}

/** Fixed prices (and tier unit prices) above a targeted SKU's list price: a price rise, refused. */
export function priceRises(def: PromotionBody, listPrices: ReadonlyMap<string, number>): FieldError[] {
  if (def.target.kind !== 'skus') return [];
  const prices: { field: string; price: number }[] = [];
  const d = def.discount;
  if (d.kind === 'fixed_price') prices.push({ field: '/discount/unit_price_vnd', price: d.unit_price_vnd });
  if (d.kind === 'tiered')
    d.tiers.forEach((t, i) => {
      if (t.unit_price_vnd !== undefined)
        prices.push({ field: `/discount/tiers/${i}/unit_price_vnd`, price: t.unit_price_vnd });
    });
  const out: FieldError[] = [];
  for (const { field, price } of prices)
    for (const sku of def.target.skus) {
      const list = listPrices.get(sku);
      if (list !== undefined && price > list)
        out.push(
          err(field, 'above-list-price', `${price} đồng is above ${sku}'s list price of ${list} đồng`),
        );
    }
  return out;
}

/** Skus of a `skus` target unknown to the projection. */
export function unknownSkus(def: PromotionBody, known: ReadonlySet<string>): FieldError[] {
  const skus = [
    ...(def.target.kind === 'skus' ? def.target.skus : []),
    ...(def.discount.kind === 'buy_x_get_y' && def.discount.get_target?.kind === 'skus'
      ? def.discount.get_target.skus
      : []),
  ];
  return [...new Set(skus)]
    .filter((s) => !known.has(s))
    .map((s) => err('/target/skus', 'unknown-sku', `No product ${s}`));
}

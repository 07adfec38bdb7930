/**
 * The quote use case: resolve the request's lines against the product projection (unknown or
 * inactive SKUs are a 400 per line), resolve its coupon codes, read usage and near-expiry lots,
 * price with the pure engine, and shape the answer. Reads only: a quote writes nothing.
 */
import type { Queryable } from '../shared/db';
import { ValidationError, type FieldError } from '../shared/errors';
import { toEnginePromotion, type Definition } from './definition';
import { priceCart } from './engine';
import type { Cart, CartLine, Customer, Promotion, Quote, Reason } from './model';
import type { ProductRow, ProjectionStore } from './projection-store';
import type { PromotionStore } from './promotion-store';
import { reason } from './reasons';
import type { QuoteBody } from './schemas';
import { VatRateMissing, vietnamDate, type VatTable } from './vat';

/** What a quote reads besides the database. */
export interface QuoteSources {
  db: Queryable;
  projection: ProjectionStore;
  promotions: PromotionStore;
  /** Active promotion definitions (cached). */
  active(): Promise<Definition[]>;
  /** The automatic ones among them as the engine reads them (cached with them: built once per load). */
  automatic(): Promise<readonly Promotion[]>;
  /** The VAT table (cached). */
  vat(): Promise<VatTable>;
}

/** A coupon code's fate in a quote. */
export interface CouponResult {
  code: string;
  status: 'applied' | 'rejected';
  promotion_id?: string;
  reason?: Reason;
}

/** Reasons that say a promotion has nothing to do with the cart. */
const UNRELATED = new Set(['no_target', 'not_active', 'not_started', 'ended']);

const lineKey = (sku: string, nth: number) => `${sku}#${String(nth).padStart(3, '0')}`;

/** Cart lines for the request's lines, or every line's problem. */
export function cartLines(
  lines: QuoteBody['lines'],
  products: ReadonlyMap<string, ProductRow>,
): { lines: CartLine[]; keys: string[] } {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  const out: CartLine[] = [];
  const keys: string[] = [];
  lines.forEach((l, i) => {
    const at = `/lines/${i}`;
    const p = products.get(l.sku);
    if (!p || !p.active) {
      errors.push({
        field: `${at}/sku`,
        code: p ? 'inactive' : 'unknown-sku',
        message: `${l.sku} is not on sale`,
      });
      return;
    }
    const nth = seen.get(l.sku) ?? 0;
    seen.set(l.sku, nth + 1);
    const key = lineKey(l.sku, nth);
    const common = {
      key,
      sku: l.sku,
      categoryPath: p.category_path,
      brand: p.brand,
      taxCategory: p.tax_category,
    };
    if (p.sold_by === 'piece') {
      if (l.grams !== undefined || l.picked_grams !== undefined)
        errors.push({
          field: `${at}/grams`,
          code: 'sold-by-piece',
          message: `${l.sku} is sold by the piece`,
        });
      else if (l.qty === undefined)
        errors.push({ field: `${at}/qty`, code: 'required', message: 'Give the number of pieces' });
      else {
        out.push({ ...common, soldBy: 'piece', qty: l.qty, unitPrice: p.price_vnd });
        keys.push(key);
      }
      return;
    }
    const perKg = p.price_per_kg_vnd;
    const nominal = l.grams ?? p.nominal_weight_g;
    if ((l.qty === undefined) === (l.grams === undefined))
      errors.push({
        field: `${at}/qty`,
        code: 'one-of',
        message: `${l.sku} is sold by weight: give qty or grams`,
      });
    else if (perKg === null || nominal === null)
      errors.push({ field: `${at}/sku`, code: 'no-weight-price', message: `${l.sku} has no price per kg` });
    else {
      out.push({
        ...common,
        soldBy: 'weight',
        qty: l.qty ?? 1,
        nominalGrams: nominal,
        ...(l.picked_grams !== undefined ? { pickedGrams: l.picked_grams } : {}),
        unitPrice: perKg,
      });
      keys.push(key);
    }
  });
  if (errors.length > 0) throw new ValidationError('Some lines cannot be priced', errors);
  return { lines: out, keys };
}

/** Prices a quote request for `customer` (already reduced to what the caller may claim). */
export async function quote(
  src: QuoteSources,
  body: QuoteBody,
  customer: Customer,
  now: Date,
): Promise<ReturnType<typeof quoteResponse>> {
  const at = body.at ? new Date(body.at) : now;
  const skus = [...new Set(body.lines.map((l) => l.sku))];
  const codes = [...new Set((body.coupon_codes ?? []).map((c) => c.toUpperCase()))];
  const [products, automatic, vat, resolved] = await Promise.all([
    src.projection.products(src.db, skus),
    src.automatic(),
    src.vat(),
    codes.length ? src.promotions.resolveCodes(src.db, codes) : new Map<string, never>(),
  ]);
  const { lines, keys } = cartLines(body.lines, products);

  const coupons: CouponResult[] = [];
  const promotions: Promotion[] = [...automatic];
  const byPromotion = new Set<string>();
  for (const code of codes) {
    const c = resolved.get(code);
    if (!c) coupons.push({ code, status: 'rejected', reason: reason('unknown_code') });
    else if (c.max_uses !== null && c.uses >= c.max_uses)
      coupons.push({ code, status: 'rejected', promotion_id: c.promotion_id, reason: reason('coupon_used') });
    else if (byPromotion.has(c.promotion_id))
      coupons.push({
        code,
        status: 'rejected',
        promotion_id: c.promotion_id,
        reason: reason('coupon_duplicate'),
      });
    else if (!c.definition.requires_coupon)
      coupons.push({
        code,
        status: 'rejected',
        promotion_id: c.promotion_id,
        reason: reason('coupon_not_needed'),
      });
    else {
      byPromotion.add(c.promotion_id);
      promotions.push(toEnginePromotion(c.definition, code));
      coupons.push({ code, status: 'applied', promotion_id: c.promotion_id });
    }
  }

  const limited = promotions.filter((p) => p.globalLimit !== undefined || p.perCustomerLimit !== undefined);
  const [usage, lots] = await Promise.all([
    limited.length
      ? src.promotions.usage(
          src.db,
          limited.map((p) => p.id),
          customer.id,
        )
      : undefined,
    body.location && promotions.some((p) => p.action.kind === 'nearExpiry')
      ? src.projection.expiringLots(src.db, body.location, skus, vietnamDate(at))
      : [],
  ]);
  const cart: Cart = {
    lines,
    customer,
    couponCodes: codes,
    deliveryFee: body.delivery_fee_vnd ?? 0,
    ...(body.location ? { location: body.location } : {}),
    lots,
    ...(usage ? { usage } : {}),
  };
  let priced: Quote;
  try {
    priced = priceCart(cart, promotions, vat, at);
  } catch (err) {
    if (!(err instanceof VatRateMissing)) throw err;
    throw new ValidationError(`No VAT rate for ${err.category} on ${err.date}: staff must add one`, [
      { field: '/at', code: 'no-vat-rate', message: err.message },
    ]);
  }
  // A coupon whose promotion did not apply says why.
  for (const c of coupons) {
    if (c.status !== 'applied') continue;
    const why = priced.notApplied.find((n) => n.promotionId === c.promotion_id);
    if (why) Object.assign(c, { status: 'rejected', reason: why.reason });
  }
  return quoteResponse(priced, keys, coupons, at);
}

/** The quote as the API answers it (snake_case, lines in the request's order). */
export function quoteResponse(q: Quote, keys: readonly string[], coupons: CouponResult[], at: Date) {
  const byKey = new Map(q.lines.map((l) => [l.key, l]));
  const adj = (a: Quote['lines'][number]['adjustments']) =>
    a.map((x) => ({ promotion_id: x.promotionId, amount_vnd: x.amount, label: x.label }));
  return {
    priced_at: at.toISOString(),
    lines: keys.map((k) => {
      const l = byKey.get(k)!;
      return {
        sku: l.sku,
        sold_by: l.soldBy,
        qty: l.qty,
        ...(l.grams !== undefined ? { grams: l.grams, estimated: l.estimated ?? false } : {}),
        unit_price_vnd: l.unitPrice,
        list_amount_vnd: l.listAmount,
        adjustments: adj(l.adjustments),
        discount_vnd: l.discount,
        total_vnd: l.total,
        vat_rate: l.vatRate,
        vat_vnd: l.vat,
      };
    }),
    delivery: {
      fee_vnd: q.delivery.fee,
      adjustments: adj(q.delivery.adjustments),
      discount_vnd: q.delivery.discount,
      total_vnd: q.delivery.total,
      vat_rate: q.delivery.vatRate,
      vat_vnd: q.delivery.vat,
    },
    vat: q.vat.map((p) => ({
      rate: p.rate,
      rate_bp: p.rateBp,
      gross_vnd: p.gross,
      net_vnd: p.net,
      vat_vnd: p.vat,
    })),
    totals: {
      subtotal_vnd: q.totals.subtotal,
      discount_vnd: q.totals.discount,
      delivery_fee_vnd: q.totals.deliveryFee,
      delivery_discount_vnd: q.totals.deliveryDiscount,
      vat_vnd: q.totals.vat,
      total_vnd: q.totals.total,
    },
    applied: q.applied.map((a) => ({ promotion_id: a.promotionId, label: a.label, amount_vnd: a.amount })),
    // What this cart could have had: promotions that are not live, or that target nothing in it,
    // are left out (they were not considered for it, and a future one is not announced early).
    not_applied: q.notApplied
      .filter((n) => !UNRELATED.has(n.reason.code))
      .map((n) => ({ promotion_id: n.promotionId, reason: n.reason })),
    coupons,
  };
}

/**
 * The pricing engine: one pure function prices a cart (for a quote, at checkout, for a
 * substitution or a refund, and again from picked weights) with its promotions and VAT. No I/O,
 * no clock: the pricing time `at` is passed in. Lines are priced in key order, so the same cart
 * with its lines in any order prices the same.
 */
import { conditionsFailed } from './conditions';
import { discountOf, discountTotal, type KindContext } from './kinds';
import { indexLines, toWorkLines, type WorkLine } from './lines';
import type { Vnd } from './money';
import type { Cart, Promotion, Quote } from './model';
import { reason, type ReasonCode } from './reasons';
import { selectPromotions, type Candidate } from './stacking';
import {
  extractVat,
  vatBreakdown,
  vatRateFor,
  rateLabel,
  vietnamDate,
  type VatRate,
  type VatTable,
} from './vat';

interface Applied {
  lines: WorkLine[];
  deliveryLeft: Vnd;
  deliveryAdjustments: { promotion: Promotion; amount: Vnd }[];
  amounts: Map<Promotion, Vnd>;
}

/** Applies `promotions` in order to fresh copies of `base`: each sees what the previous ones left. */
function applyInOrder(
  base: readonly WorkLine[],
  promotions: readonly Promotion[],
  shared: Omit<KindContext, 'deliveryLeft'>,
): Applied {
  const { cart, date, index, memo } = shared;
  const lines = base.map((w) => ({ ...w, adjustments: [...w.adjustments] }));
  const byKey = new Map(lines.map((w) => [w.line.key, w]));
  const out: Applied = {
    lines,
    deliveryLeft: cart.deliveryFee ?? 0,
    deliveryAdjustments: [],
    amounts: new Map(),
  };
  for (const promotion of promotions) {
    const ctx: KindContext = { cart, date, index, memo, deliveryLeft: out.deliveryLeft };
    const d = discountOf(promotion, lines, ctx);
    for (const [key, amount] of d.lines) {
      const w = byKey.get(key)!;
      w.remaining -= amount;
      w.adjustments.push({ promotionId: promotion.id, amount, label: promotion.label });
    }
    if (d.delivery > 0) {
      out.deliveryLeft -= d.delivery;
      out.deliveryAdjustments.push({ promotion, amount: d.delivery });
    }
    out.amounts.set(promotion, discountTotal(d));
  }
  return out;
}

/**
 * Prices `cart` at instant `at` with `promotions` (any status: only active ones apply) and the VAT
 * rates of `vatTable`. Prices are VAT-inclusive whole đồng; VAT is extracted per line.
 */
export function priceCart(cart: Cart, promotions: readonly Promotion[], vatTable: VatTable, at: Date): Quote {
  const date = vietnamDate(at);
  const base = toWorkLines(cart.lines);
  const index = indexLines(base);
  const memo = {};
  const shared = { cart, date, index, memo };
  const notApplied: { promotion: Promotion; code: ReasonCode }[] = [];
  const candidates: Candidate[] = [];
  for (const promotion of promotions) {
    const failed = conditionsFailed(promotion, cart, base, index, at);
    if (failed) {
      notApplied.push({ promotion, code: failed });
      continue;
    }
    const alone = discountTotal(
      discountOf(promotion, base, { cart, date, index, memo, deliveryLeft: cart.deliveryFee ?? 0 }),
    );
    if (alone > 0) candidates.push({ promotion, alone });
    else notApplied.push({ promotion, code: 'no_discount' });
  }
  // The stack is priced once to weigh it against an exclusive; when it wins, that pricing is reused.
  let stackApplied: { chosen: Promotion[]; applied: Applied } | undefined;
  const worth = (chosen: Promotion[]) => {
    stackApplied = { chosen, applied: applyInOrder(base, chosen, shared) };
    let sum = 0;
    for (const v of stackApplied.applied.amounts.values()) sum += v;
    return sum;
  };
  const selection = selectPromotions(candidates, worth);
  notApplied.push(...selection.rejected);
  const applied =
    stackApplied && stackApplied.chosen === selection.chosen
      ? stackApplied.applied
      : applyInOrder(base, selection.chosen, shared);
  const appliedList: Quote['applied'] = [];
  for (const promotion of selection.chosen) {
    const amount = applied.amounts.get(promotion) ?? 0;
    if (amount > 0) appliedList.push({ promotionId: promotion.id, label: promotion.label, amount });
    else notApplied.push({ promotion, code: 'no_discount' });
  }

  const rates = new Map<string, VatRate>();
  const rateOf = (category: string) => {
    let rate = rates.get(category);
    if (!rate) rates.set(category, (rate = vatRateFor(vatTable, category, date)));
    return rate;
  };
  const lines: Quote['lines'] = applied.lines.map((w) => {
    const rate = rateOf(w.line.taxCategory);
    const weighted = w.line.soldBy === 'weight';
    return {
      key: w.line.key,
      sku: w.line.sku,
      soldBy: w.line.soldBy,
      qty: w.units,
      ...(weighted
        ? { grams: w.grams, estimated: w.line.soldBy === 'weight' && w.line.pickedGrams === undefined }
        : {}),
      unitPrice: w.line.unitPrice,
      listAmount: w.listAmount,
      adjustments: w.adjustments,
      discount: w.listAmount - w.remaining,
      total: w.remaining,
      vatRate: rateLabel(rate),
      vat: extractVat(w.remaining, rate.rateBp),
    };
  });
  const fee = cart.deliveryFee ?? 0;
  const deliveryRate = vatRateFor(vatTable, cart.deliveryTaxCategory ?? 'VAT10_REDUCIBLE', date);
  const delivery: Quote['delivery'] = {
    fee,
    adjustments: applied.deliveryAdjustments.map((a) => ({
      promotionId: a.promotion.id,
      amount: a.amount,
      label: a.promotion.label,
    })),
    discount: fee - applied.deliveryLeft,
    total: applied.deliveryLeft,
    vatRate: rateLabel(deliveryRate),
    vat: extractVat(applied.deliveryLeft, deliveryRate.rateBp),
  };
  const taxed = applied.lines.map((w, i) => ({
    gross: w.remaining,
    rate: rateOf(w.line.taxCategory),
    vat: lines[i]!.vat,
  }));
  if (fee > 0) taxed.push({ gross: delivery.total, rate: deliveryRate, vat: delivery.vat });
  const vat = vatBreakdown(taxed);
  const sum = (f: (l: Quote['lines'][number]) => Vnd) => lines.reduce((s, l) => s + f(l), 0);
  const subtotal = sum((l) => l.listAmount);
  const discount = sum((l) => l.discount);
  return {
    lines,
    delivery,
    vat,
    totals: {
      subtotal,
      discount,
      deliveryFee: fee,
      deliveryDiscount: delivery.discount,
      vat: vat.reduce((s, p) => s + p.vat, 0),
      total: subtotal - discount + delivery.total,
    },
    applied: appliedList,
    notApplied: notApplied
      .sort((a, b) => (a.promotion.id < b.promotion.id ? -1 : a.promotion.id > b.promotion.id ? 1 : 0))
      .map((n) => ({ promotionId: n.promotion.id, reason: reason(n.code) })),
  };
}

/**
 * Order facts that need no I/O: the payment rails, the amount to hold, the saga's phase as the
 * customer sees it, the bilingual reasons built from the owners' answers, and the API view.
 */
import type { DataOf, FrozenQuote } from '../../events';
import type { Static } from '@sinclair/typebox';
import type { stockReplied } from '../../events';
import { STATUS_LABELS, type OrderStatus } from './lifecycle';
import type { OrderLine, OrderRow } from './order-store';
import { WEIGHED_MARGIN, weighedMargin, type PickLine } from './picking';
import type { Phase, Reason } from './saga';

import type { Rail } from './rails';

export { RAILS, type Rail } from './rails';

export { WEIGHED_MARGIN };

/**
 * What the payment holds: the frozen total plus the margin on lines sold by weight, rounded up to
 * whole đồng. Cash on delivery holds nothing: the rider collects the final amount.
 */
export function amountToHold(quote: Static<typeof FrozenQuote>, rail: Rail): number {
  const total = quote.totals.total_vnd;
  if (rail === 'cod') return total;
  const weighed = quote.lines.filter((l) => l.sold_by === 'weight').reduce((t, l) => t + l.total_vnd, 0);
  return total + weighedMargin(weighed, 'up');
}

/** The lifecycle status a saga phase shows (after confirmation the lifecycle moves on its own). */
export function statusOfPhase(phase: Phase): OrderStatus {
  switch (phase) {
    case 'reserving':
    case 'paying':
      return 'placed';
    case 'awaiting_payment':
    case 'confirming':
      return 'awaiting_payment';
    case 'confirmed':
      return 'confirmed';
    case 'cancelled':
      return 'cancelled';
  }
}

/** The saga phases a `Prefer: wait` may stop at: the customer has something to do, or it is over. */
export function restsAt(phase: Phase): boolean {
  return phase === 'awaiting_payment' || phase === 'confirmed' || phase === 'cancelled';
}

const nameOf = (lines: readonly OrderLine[], sku: string) =>
  lines.find((l) => l.sku === sku)?.name ?? { en: sku, vi: sku };

/** Inventory's refusal told with the products' names (it knows only SKUs). */
export function stockReason(
  reply: DataOf<typeof stockReplied>,
  lines: readonly OrderLine[],
): Reason | undefined {
  if (reply.reason?.code !== 'out_of_stock' || !reply.shortfall?.length) return reply.reason;
  const names = reply.shortfall.map((s) => nameOf(lines, s.sku));
  return {
    code: 'out_of_stock',
    message: {
      en: `Out of stock: ${names.map((n) => n.en).join(', ')}`.slice(0, 500),
      vi: `Hết hàng: ${names.map((n) => n.vi).join(', ')}`.slice(0, 500),
    },
  };
}

/** A payment that failed or expired, as a cancellation reason. */
export function paymentReason(kind: 'failed' | 'expired', code?: string): Reason {
  return kind === 'expired'
    ? {
        code: 'payment_expired',
        message: { en: 'The payment expired before it was completed', vi: 'Giao dịch thanh toán đã hết hạn' },
      }
    : {
        code: 'payment_failed',
        message: {
          en: `The payment did not go through${code ? ` (${code})` : ''}`,
          vi: `Thanh toán không thành công${code ? ` (${code})` : ''}`,
        },
      };
}

export const CUSTOMER_CANCELLED: Reason = {
  code: 'customer_cancelled',
  message: { en: 'You cancelled the order', vi: 'Bạn đã huỷ đơn hàng' },
};

/** The order as the API answers it. */
export function orderView(o: OrderRow, lang: 'en' | 'vi' = o.lang) {
  const status = o.status as OrderStatus;
  return {
    id: o.id,
    status,
    status_label: STATUS_LABELS[status][lang],
    status_labels: STATUS_LABELS[status],
    customer_id: o.customer_id,
    cart_id: o.cart_id,
    lang: o.lang,
    location: o.location,
    fulfilment: o.fulfilment,
    lines: o.lines.map((l) => ({ ...l, name_text: l.name[lang] })),
    coupons: o.coupons,
    payment: {
      id: o.payment_id,
      rail: o.rail,
      next_action: o.next_action,
      ...(o.redirect_url ? { redirect_url: o.redirect_url } : {}),
      amount_vnd: o.authorised_vnd,
      // The client secret (Stripe) is read from GET /payments/{id}; it is never stored here.
    },
    quote: o.quote,
    total_vnd: o.total_vnd,
    refund_vnd: o.refund_vnd,
    ...(o.reason ? { reason: { ...o.reason, text: o.reason.message[lang] } } : {}),
    // Whether the checkout is still working (commands out) or every step has answered.
    settled: o.settled,
    created_at: o.created_at.toISOString(),
    updated_at: o.updated_at.toISOString(),
    ...(o.confirmed_at ? { confirmed_at: o.confirmed_at.toISOString() } : {}),
    ...(o.cancelled_at ? { cancelled_at: o.cancelled_at.toISOString() } : {}),
    ...(o.picking ? { picking: o.picking.map((l) => pickingView(l, lang)) } : {}),
    // The final amount per line against the estimate, once packed.
    ...(o.bill ? { bill: o.bill } : {}),
    ...(o.final_vnd !== null ? { final_vnd: o.final_vnd } : {}),
    captured_vnd: o.captured_vnd,
    refunds: o.refunds.map((r) => ({ ...r, reason: { ...r.reason, text: r.reason.message[lang] } })),
    ...(o.tracking ? { tracking: o.tracking } : {}),
    // Commands after confirmation an owner refused (a capture the provider declined): staff look.
    attention: o.asks
      .filter((a) => a.state === 'refused' && a.key !== 'payment:void')
      .map((a) => ({ command: a.key, ...(a.reason ? { reason: a.reason } : {}) })),
    ...(o.packed_at ? { packed_at: o.packed_at.toISOString() } : {}),
    ...(o.completed_at ? { completed_at: o.completed_at.toISOString() } : {}),
  };
}

/** A line as the picker and the customer see it, with a substitute proposed or decided. */
function pickingView(l: PickLine, lang: 'en' | 'vi') {
  return {
    sku: l.sku,
    name: l.name[lang],
    sold_by: l.sold_by,
    ordered: l.ordered,
    picked: l.picked,
    state: l.state,
    estimate_vnd: l.estimate_vnd,
    ...(l.sub
      ? {
          substitute: {
            sku: l.sub.sku,
            name: l.sub.name[lang],
            amount: l.sub.amount,
            state: l.sub.state,
            ...(l.sub.price_vnd !== undefined ? { price_vnd: l.sub.price_vnd } : {}),
            ...(l.sub.deadline_at ? { deadline_at: l.sub.deadline_at } : {}),
          },
        }
      : {}),
  };
}

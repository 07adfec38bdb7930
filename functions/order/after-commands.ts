/**
 * The commands and events of an order after confirmation, built from the order: a command kept on
 * the order until its owner answers (`ask`), everything given back when it is cancelled, and what
 * delivery is told when it is packed. Pure apart from pushing onto the `asks` list it is given.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import {
  orderPacked,
  paymentRequested,
  pricingRequested,
  slotRequested,
  stockRequested,
  type EventContract,
  type TuoiCloudEvent,
} from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import type { Ask, OrderRow } from './order-store';
import { linesToPick, type Bill, type SoldBy } from './picking';
import type { Reason } from './saga';

/** Why staff refund, in both languages. */
export const REFUND_REASONS = {
  damaged: { en: 'An item arrived damaged', vi: 'Sản phẩm bị hư hỏng khi giao' },
  missing: { en: 'An item was missing from the delivery', vi: 'Thiếu sản phẩm trong đơn giao' },
  quality: { en: 'An item was not fresh or of poor quality', vi: 'Sản phẩm không tươi hoặc kém chất lượng' },
  late: { en: 'The delivery was late', vi: 'Giao hàng trễ' },
  goodwill: { en: 'A goodwill refund', vi: 'Hoàn tiền hỗ trợ khách hàng' },
} as const satisfies Record<string, { en: string; vi: string }>;
export type RefundReason = keyof typeof REFUND_REASONS;

export const AFTER_CONFIRM_REASONS = {
  customer: {
    code: 'customer_cancelled',
    message: { en: 'You cancelled the order', vi: 'Bạn đã huỷ đơn hàng' },
  },
  store: {
    code: 'store_cancelled',
    message: {
      en: 'The store could not prepare your order; anything charged is being returned',
      vi: 'Cửa hàng không thể chuẩn bị đơn hàng của bạn; khoản đã thanh toán (nếu có) đang được hoàn lại',
    },
  },
  returned: {
    code: 'delivery_returned',
    message: {
      en: 'The delivery could not be completed and came back to the store; anything charged is being returned',
      vi: 'Không giao được hàng và hàng đã được trả về cửa hàng; khoản đã thanh toán (nếu có) đang được hoàn lại',
    },
  },
} satisfies Record<string, Reason>;

/**
 * Money the order holds now: what the final capture kept (VNPay's difference went back with it),
 * or before it what was charged at checkout, less refunds.
 */
export const takenOf = (o: OrderRow) =>
  (o.captured_vnd > 0 ? o.captured_vnd : o.saga.capturedVnd) - o.refund_vnd;

/** A piece's weight for the carrier when the catalog's is not on the order (a guess, on the safe side). */
const PIECE_GRAMS = 500;

/** The fields every order event carries. */
export const base = (o: OrderRow, now: Date) => ({
  order_id: o.id,
  customer_id: o.customer_id,
  lang: o.lang,
  at: now.toISOString(),
});

/** A command to send now and keep until answered. */
export function ask<S extends TSchema>(
  asks: Ask[],
  key: string,
  contract: EventContract<S>,
  data: Static<S>,
  now: Date,
): TuoiCloudEvent {
  const i = asks.findIndex((a) => a.key === key);
  const prior = i >= 0 ? asks[i]! : undefined;
  const next: Ask = {
    key,
    type: contract.type,
    data: data as Record<string, unknown>,
    state: 'sent',
    sent_at: now.toISOString(),
    attempts: (prior?.attempts ?? 0) + 1,
  };
  if (i >= 0) asks[i] = next;
  else asks.push(next);
  return buildEvent(contract, data);
}

/** Releases a substitute's reservation (rejected, expired, unpriceable, or the order cancelled). */
export const releaseStock = (asks: Ask[], o: OrderRow, reservationId: string, now: Date) =>
  ask(
    asks,
    `stock:release:${reservationId}`,
    stockRequested,
    { order_id: o.id, action: 'release', reservation_id: reservationId },
    now,
  );

const stockOf = (sold_by: SoldBy, amount: number) => ({ qty: amount, sold_by });

/** Refunds what a cancelled order's payment took (one refund id per order: sent again, it is the same). */
export const refundCancelled = (asks: Ask[], o: OrderRow, amount: number, now: Date) =>
  ask(
    asks,
    `payment:refund:${o.payment_id}.cancel`,
    paymentRequested,
    {
      order_id: o.id,
      action: 'refund',
      payment_id: o.payment_id,
      refund_id: `${o.payment_id}.cancel`,
      amount_vnd: amount,
      reason: 'order cancelled',
    },
    now,
  );

/** Everything the order holds or took, given back (cancel after confirmation, a returned delivery). */
export function giveBack(o: OrderRow, asks: Ask[], now: Date, opts: { slot: boolean }): TuoiCloudEvent[] {
  const out: TuoiCloudEvent[] = [];
  const lines = o.picking ?? linesToPick(o.lines, o.quote as never);
  // What left the shelf for the order: before picking, all of it (committed at confirmation).
  const main =
    o.picking && o.packed_at
      ? lines.filter((l) => l.state === 'picked' && l.picked > 0).map((l) => ({ sku: l.sku, qty: l.picked }))
      : lines.map((l) => ({ sku: l.sku, qty: l.ordered }));
  if (main.length)
    out.push(
      ask(
        asks,
        `stock:restock:${o.id}.x1`,
        stockRequested,
        {
          order_id: o.id,
          action: 'restock',
          reservation_id: o.id,
          restock_id: `${o.id}.x1`,
          lines: main,
        },
        now,
      ),
    );
  for (const l of lines) {
    const s = l.sub;
    if (!s || s.state === 'unavailable') continue;
    if (s.state === 'approved')
      out.push(
        ask(
          asks,
          `stock:restock:${s.reservation_id}.x1`,
          stockRequested,
          {
            order_id: o.id,
            action: 'restock',
            reservation_id: s.reservation_id,
            restock_id: `${s.reservation_id}.x1`,
            lines: [{ sku: s.sku, qty: stockOf(s.sold_by, s.amount).qty }],
          },
          now,
        ),
      );
    else if (s.state === 'pending' || s.state === 'proposed')
      out.push(releaseStock(asks, o, s.reservation_id, now));
  }
  if (opts.slot)
    out.push(
      ask(
        asks,
        'slot:release',
        slotRequested,
        { order_id: o.id, action: 'release', hold_id: o.fulfilment.hold_id },
        now,
      ),
    );
  if (o.redemption_ids.length)
    out.push(
      ask(
        asks,
        'pricing:release',
        pricingRequested,
        {
          order_id: o.id,
          action: 'release',
          redemption_ids: o.redemption_ids,
          committed: true,
        },
        now,
      ),
    );
  const taken = takenOf(o);
  if (taken > 0) out.push(refundCancelled(asks, o, taken, now));
  else
    out.push(
      ask(
        asks,
        'payment:void',
        paymentRequested,
        { order_id: o.id, action: 'void', payment_id: o.payment_id },
        now,
      ),
    );
  return out;
}

/** What delivery is told when the order is packed: the parcel, the address, the cash to collect. */
export function packedEvent(o: OrderRow, b: Bill, at: Date): TuoiCloudEvent {
  const items = b.lines.flatMap((l) => [
    ...(l.picked > 0
      ? [{ name: l.name[o.lang].slice(0, 300), qty: l.sold_by === 'weight' ? 1 : l.picked }]
      : []),
    ...(l.substitute
      ? [
          {
            name: l.substitute.name[o.lang].slice(0, 300),
            qty: l.sold_by === 'weight' ? 1 : l.substitute.amount,
          },
        ]
      : []),
  ]);
  const weight = o.picking!.reduce((g, l) => {
    const own = l.state === 'picked' ? (l.sold_by === 'weight' ? l.picked : l.picked * PIECE_GRAMS) : 0;
    const sub =
      l.sub?.state === 'approved'
        ? l.sub.sold_by === 'weight'
          ? l.sub.amount
          : l.sub.amount * PIECE_GRAMS
        : 0;
    return g + own + sub;
  }, 0);
  const a = o.fulfilment.address as Record<string, unknown> | undefined;
  return buildEvent(orderPacked, {
    ...base(o, at),
    fulfilment: o.fulfilment.kind,
    location: o.location,
    slot: o.fulfilment.slot,
    hold_id: o.fulfilment.hold_id,
    ...(o.fulfilment.kind === 'delivery' && a
      ? {
          destination: {
            name: String(a.recipient ?? a.name),
            phone: String(a.phone),
            street: String(a.street),
            ward: String(a.ward),
            province: String(a.province),
            ...(a.geo ? { geo: a.geo as { lat: number; lng: number } } : {}),
          },
        }
      : {}),
    parcel: { weight_grams: Math.max(1, weight), value_vnd: b.total_vnd, items },
    cod_vnd: o.rail === 'cod' ? b.total_vnd : 0,
    total_vnd: b.total_vnd,
  });
}

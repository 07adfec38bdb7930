/**
 * An order's lifecycle as data: the statuses, the moves allowed from each, and their labels in
 * English and Vietnamese. Every status change goes through `move`, so an illegal one is a 409
 * wherever it is attempted.
 */

export const STATUSES = [
  'placed',
  'awaiting_payment',
  'confirmed',
  'picking',
  'packed',
  'out_for_delivery',
  'ready_for_pickup',
  'delivered',
  'collected',
  'completed',
  'cancelled',
  'refunded',
  'partially_refunded',
] as const;
export type OrderStatus = (typeof STATUSES)[number];

/** The moves allowed from each status. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['awaiting_payment', 'confirmed', 'cancelled'],
  awaiting_payment: ['confirmed', 'cancelled'],
  confirmed: ['picking', 'cancelled'],
  picking: ['packed', 'cancelled'],
  packed: ['out_for_delivery', 'ready_for_pickup', 'cancelled'],
  out_for_delivery: ['delivered', 'cancelled'],
  ready_for_pickup: ['collected', 'cancelled'],
  delivered: ['completed', 'refunded', 'partially_refunded'],
  collected: ['completed', 'refunded', 'partially_refunded'],
  completed: ['refunded', 'partially_refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  cancelled: [],
  refunded: [],
};

/** Labels customers and staff see. */
export const STATUS_LABELS: Readonly<Record<OrderStatus, { en: string; vi: string }>> = {
  placed: { en: 'Placed', vi: 'Đã đặt' },
  awaiting_payment: { en: 'Awaiting payment', vi: 'Chờ thanh toán' },
  confirmed: { en: 'Confirmed', vi: 'Đã xác nhận' },
  picking: { en: 'Being picked', vi: 'Đang soạn hàng' },
  packed: { en: 'Packed', vi: 'Đã đóng gói' },
  out_for_delivery: { en: 'Out for delivery', vi: 'Đang giao hàng' },
  ready_for_pickup: { en: 'Ready for pickup', vi: 'Sẵn sàng để nhận' },
  delivered: { en: 'Delivered', vi: 'Đã giao' },
  collected: { en: 'Collected', vi: 'Đã nhận tại cửa hàng' },
  completed: { en: 'Completed', vi: 'Hoàn tất' },
  cancelled: { en: 'Cancelled', vi: 'Đã huỷ' },
  refunded: { en: 'Refunded', vi: 'Đã hoàn tiền' },
  partially_refunded: { en: 'Partly refunded', vi: 'Đã hoàn tiền một phần' },
};

/** Whether `from` → `to` is allowed. */
export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Thrown for a move the table does not allow (the edge answers 409). */
export class IllegalMoveError extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`An order that is ${from} cannot become ${to}`);
  }
}

/** `to`, when the move from `from` is allowed; throws IllegalMoveError otherwise. */
export function move(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (from === to && from !== 'partially_refunded') return to;
  if (!canMove(from, to)) throw new IllegalMoveError(from, to);
  return to;
}

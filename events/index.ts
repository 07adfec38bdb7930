/** Every CloudEvent type of Tươi, by type name. Add a contract here when you add an event. */
import type { EventContract } from './contract';
import { productCreated, productDeleted, productUpdated } from './catalog/product.v1';
import { stockChanged, stockExpiring, stockLow } from './inventory/stock.v1';
import { reservationExpired } from './inventory/reservation.v1';
import { pulseEmitted } from './platform/pulse.v1';
import { cartAbandoned } from './cart/cart.v1';
import {
  codCollected,
  deliveryBooked,
  deliveryStatusChanged,
  pickupCollected,
  pickupReady,
  slotBooked,
} from './delivery/delivery.v1';
import {
  paymentAuthorised,
  paymentCaptured,
  paymentExpired,
  paymentFailed,
  paymentRefunded,
  paymentVoided,
} from './payment/payment.v1';
import {
  couponRedeemed,
  promotionActivated,
  promotionChanged,
  promotionEnded,
} from './promotions/promotion.v1';
import {
  paymentRequested,
  pricingReplied,
  pricingRequested,
  paymentReplied,
  slotReplied,
  slotRequested,
  stockReplied,
  stockRequested,
} from './order/saga.v1';
import {
  orderCancelled,
  orderCompleted,
  orderConfirmed,
  orderPacked,
  orderPlaced,
  orderRefunded,
  orderSubstitutionDecided,
  orderSubstitutionProposed,
} from './order/order.v1';
import {
  userAccountExists,
  userPasswordResetRequested,
  userRegistered,
  userVerificationRequested,
  userVerified,
} from './user/user.v1';

export * from './contract';
export * from './catalog/product.v1';
export * from './inventory/stock.v1';
export * from './inventory/reservation.v1';
export * from './user/user.v1';
export * from './promotions/promotion.v1';
export * from './cart/cart.v1';
export * from './delivery/delivery.v1';
export * from './payment/payment.v1';
export * from './order/saga.v1';
export * from './order/order.v1';
export { pulseEmitted };

/** All contracts; the registry, router, manifests and contract tests read this list. */
export const contracts: readonly EventContract[] = [
  pulseEmitted,
  productCreated,
  productUpdated,
  productDeleted,
  stockChanged,
  stockExpiring,
  stockLow,
  reservationExpired,
  promotionActivated,
  promotionChanged,
  promotionEnded,
  couponRedeemed,
  cartAbandoned,
  slotBooked,
  deliveryBooked,
  deliveryStatusChanged,
  codCollected,
  pickupReady,
  pickupCollected,
  paymentAuthorised,
  paymentCaptured,
  paymentFailed,
  paymentVoided,
  paymentRefunded,
  paymentExpired,
  orderPlaced,
  orderConfirmed,
  orderCancelled,
  orderSubstitutionProposed,
  orderSubstitutionDecided,
  orderPacked,
  orderCompleted,
  orderRefunded,
  stockRequested,
  stockReplied,
  slotRequested,
  slotReplied,
  pricingRequested,
  pricingReplied,
  paymentRequested,
  paymentReplied,
  userRegistered,
  userVerificationRequested,
  userVerified,
  userPasswordResetRequested,
  userAccountExists,
];

const byType = new Map(contracts.map((c) => [c.type, c]));

/** The contract of a CloudEvent type, or undefined for a type we do not know. */
export function contractFor(type: string): EventContract | undefined {
  return byType.get(type);
}

/** Every function that produces events (one Kafka topic each), sorted. */
export function producers(): string[] {
  return [...new Set(contracts.map((c) => c.producer))].sort();
}

/**
 * Handlers of the events the cart consumes, each in the consumer's transaction with its dedup row:
 * catalog products become what lines may hold (version-guarded), and every product or promotion
 * event moves the pricing mark so no cached quote outlives a price or a promotion; a confirmed
 * order checks its cart out and marks its customer as having ordered.
 */
import {
  orderConfirmed,
  productCreated,
  productDeleted,
  productUpdated,
  promotionActivated,
  promotionChanged,
  promotionEnded,
  type DataOf,
} from '../../events';
import type { EventHandler } from '../shared/eventing/consumer';
import type { ProductStore } from './products';

/** What the cart does when an order is confirmed from one of its carts. */
export interface CheckOut {
  checkOut(cartId: string, now: string): Promise<void>;
}

/** The handlers by event type. */
export function cartHandlers(products: ProductStore, carts: CheckOut): Record<string, EventHandler> {
  const upsert: EventHandler = async (event, tx) => {
    await products.upsert(tx, event.data as DataOf<typeof productCreated>);
    await products.bumpMark(tx);
  };
  const promotion: EventHandler = async (_event, tx) => products.bumpMark(tx);
  return {
    [productCreated.type]: upsert,
    [productUpdated.type]: upsert,
    [productDeleted.type]: async (event, tx) => {
      const data = event.data as DataOf<typeof productDeleted>;
      await products.retire(tx, data.sku, data.version);
      await products.bumpMark(tx);
    },
    [promotionActivated.type]: promotion,
    [promotionChanged.type]: promotion,
    [promotionEnded.type]: promotion,
    // The cart lives in Redis or its own table: checked out in its own compare-and-set, which a
    // redelivery repeats harmlessly.
    // Its customer has ordered now: first-order promotions no longer apply to their carts.
    [orderConfirmed.type]: async (event, tx) => {
      const data = event.data as DataOf<typeof orderConfirmed>;
      await products.recordOrdered(tx, data.customer_id, data.at);
      await carts.checkOut(data.cart_id, data.at);
    },
  };
}

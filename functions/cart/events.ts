/**
 * Handlers of the events the cart consumes, each in the consumer's transaction with its dedup row:
 * catalog products become what lines may hold (version-guarded), and every product or promotion
 * event moves the pricing mark so no cached quote outlives a price or a promotion.
 */
import {
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

/** The handlers by event type. */
export function cartHandlers(products: ProductStore): Record<string, EventHandler> {
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
  };
}

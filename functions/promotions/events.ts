/**
 * Handlers of the events promotions consumes, each in the consumer's transaction with its dedup
 * row: catalog products become the prices and categories quotes read (version-guarded), and
 * inventory's stock.expiring notices become the lots near-expiry markdowns are limited to, and the
 * checkout saga's pricing commands go to `saga` (saga.ts), which replies in the same transaction.
 */
import {
  pricingRequested,
  productCreated,
  productDeleted,
  productUpdated,
  stockExpiring,
  type DataOf,
} from '../../events';
import type { EventHandler } from '../shared/eventing/consumer';
import type { ProjectionStore } from './projection-store';

/** The handlers by event type. */
export function promotionHandlers(
  projection: ProjectionStore,
  saga: EventHandler,
): Record<string, EventHandler> {
  const upsert: EventHandler = async (event, tx) => {
    await projection.upsertProducts(tx, [event.data as DataOf<typeof productCreated>]);
  };
  return {
    [productCreated.type]: upsert,
    [productUpdated.type]: upsert,
    [productDeleted.type]: async (event, tx) => {
      const data = event.data as DataOf<typeof productDeleted>;
      await projection.retireProduct(tx, data.sku, data.version);
    },
    [stockExpiring.type]: async (event, tx) => {
      await projection.noteExpiring(tx, event.data as DataOf<typeof stockExpiring>);
    },
    [pricingRequested.type]: saga,
  };
}

/**
 * Handlers of the events inventory consumes: catalog products become the SKUs inventory counts
 * (in the consumer's transaction, with its dedup row), and its own stock.changed events feed the
 * real-time view when there is one; the checkout saga's stock commands reserve, commit or release
 * an order's stock, or put a committed order's units back on the shelf, and are answered (saga.ts).
 */
import {
  productCreated,
  productDeleted,
  productUpdated,
  stockChanged,
  stockRequested,
  type DataOf,
} from '../../events';
import type { EventHandler } from '../shared/eventing/consumer';
import type { SkuProjection, StockProjection } from './ports';
import { stockSagaHandler, type StockSagaDeps } from './saga';

/** The handlers by event type; without a projection, stock.changed is acknowledged and ignored. */
export function inventoryHandlers(
  skus: SkuProjection,
  saga: StockSagaDeps,
  projection?: StockProjection,
): Record<string, EventHandler> {
  const upsert: EventHandler = async (event, tx) => {
    await skus.upsertSkus(tx, [event.data as DataOf<typeof productCreated>]);
  };
  return {
    [productCreated.type]: upsert,
    [productUpdated.type]: upsert,
    [productDeleted.type]: async (event, tx) => {
      const data = event.data as DataOf<typeof productDeleted>;
      await skus.retireSku(tx, data.sku, data.version);
    },
    [stockChanged.type]: async (event) => {
      await projection?.apply(event.data as DataOf<typeof stockChanged>);
    },
    [stockRequested.type]: stockSagaHandler(saga),
  };
}

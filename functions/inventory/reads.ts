/** The reads the routes serve, straight from the pool (no transaction: each is one statement). */
import type { Queryable } from '../shared/db';
import type { LotStore } from './lot-store';
import type { StockReads } from './ports';
import type { StockStore } from './stock-store';

/** Stock reads over one schema's stores. */
export function stockReads(db: Queryable, stores: { lots: LotStore; stock: StockStore }): StockReads {
  const { lots, stock } = stores;
  return {
    locations: () => lots.locations(db),
    sku: (sku) => lots.sku(db, sku),
    knownSkus: (skus) => lots.knownSkus(db, skus),
    levels: (keys) => stock.levels(db, keys),
    levelsOfSku: (sku) => stock.levelsOfSku(db, sku),
    lots: (sku, location) => lots.lots(db, sku, location),
  };
}

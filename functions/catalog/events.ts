/**
 * The catalog's CloudEvent consumer. Its own product events delete the product's cache entry (so
 * every instance converges, also after a crash between commit and delete); inventory's stock events
 * update the stock projections and the product's `in_stock` / `expires_soon` flags without
 * touching its version; promotion announcements keep the projection behind the promoted list;
 * completed orders record their lines as the sales behind "popular" (counted into `units_sold_7d`
 * by the daily refresh). Every handler is idempotent: sequence-, time- and version-guarded upserts,
 * sales keyed by (order, SKU), flags recomputed from the projections, deletes that may repeat. A promotion or product event drops this instance's
 * memoised promoted list once committed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool } from 'pg';
import {
  orderCompleted,
  productCreated,
  productDeleted,
  productUpdated,
  promotionActivated,
  promotionChanged,
  promotionEnded,
  stockChanged,
  stockExpiring,
  type DataOf,
  type TuoiCloudEvent,
} from '../../events';
import type { Tx } from '../shared/db';
import { createEventConsumer, type EventHandler } from '../shared/eventing/consumer';
import type { SenderCheck } from '../shared/eventing/sender-auth';
import type { HttpResponse, IncomingHttp } from '../shared/http';
import type { ProductCache } from './cache';
import { shopDay } from './daily';
import type { PromotedList } from './promoted';
import type { ProjectionStore } from './store-projections';
import type { PromotionStore } from './store-promotions';
import { invalidateAfterCommit } from './writes';

/** What the consumer needs. */
export interface EventDeps {
  pool: Pool;
  schema: string;
  projections: ProjectionStore;
  promotions: PromotionStore;
  cache: ProductCache;
  /** The memoised promoted list, dropped after a promotion or product event. */
  promoted: Pick<PromotedList, 'invalidate'>;
  /** Who may deliver (see sender-auth.ts). */
  senders: SenderCheck;
}

/** Event types after which the promoted list may read differently (its promotions, its cards). */
const CHANGES_PROMOTED: ReadonlySet<string> = new Set([
  promotionActivated.type,
  promotionChanged.type,
  promotionEnded.type,
  productCreated.type,
  productUpdated.type,
  productDeleted.type,
]);

/** SKUs to delete from the cache once the current event's transaction has committed. */
const afterCommit = new AsyncLocalStorage<Set<string>>();

/**
 * Deletes the entry now (a failure throws: the event is retried) and again after the commit, so a
 * reader that loaded the old row between the two cannot keep it cached.
 */
async function invalidate(cache: ProductCache, sku: string): Promise<void> {
  await cache.del(sku);
  afterCommit.getStore()?.add(sku);
}

/** Handlers by subscribed CloudEvent type. */
export function catalogHandlers(deps: EventDeps): Record<string, EventHandler> {
  const ownProduct = async (event: TuoiCloudEvent) => {
    await invalidate(deps.cache, (event.data as { sku: string }).sku);
  };
  const announced = async (event: TuoiCloudEvent, tx: Tx) => {
    await deps.promotions.applyAnnouncement(tx, event.data as DataOf<typeof promotionActivated>);
  };
  return {
    [productCreated.type]: ownProduct,
    [productUpdated.type]: ownProduct,
    [productDeleted.type]: ownProduct,
    [stockChanged.type]: async (event: TuoiCloudEvent, tx: Tx) => {
      const data = event.data as DataOf<typeof stockChanged>;
      await deps.projections.lockSku(tx, data.sku);
      if (await deps.projections.applyStockLevel(tx, data)) await invalidate(deps.cache, data.sku);
    },
    [stockExpiring.type]: async (event: TuoiCloudEvent, tx: Tx) => {
      const data = event.data as DataOf<typeof stockExpiring>;
      await deps.projections.lockSku(tx, data.sku);
      if (await deps.projections.applyExpiringLot(tx, data)) await invalidate(deps.cache, data.sku);
    },
    [promotionActivated.type]: announced,
    [promotionChanged.type]: announced,
    [promotionEnded.type]: async (event: TuoiCloudEvent, tx: Tx) => {
      await deps.promotions.applyEnd(tx, event.data as DataOf<typeof promotionEnded>);
    },
    // Units sold = the pieces received; a line sold by weight carries qty 1 (its grams are not
    // pieces), so it counts as one sale. Dated on the shop day the order completed.
    [orderCompleted.type]: async (event: TuoiCloudEvent, tx: Tx) => {
      const data = event.data as DataOf<typeof orderCompleted>;
      await deps.projections.recordOrderSales(
        tx,
        data.order_id,
        shopDay(new Date(data.at)),
        data.lines.map((l) => ({ sku: l.sku, units: l.qty })),
      );
    },
  };
}

/** The `POST /cloudevents` endpoint: the shared consumer, then the post-commit cache deletes. */
export function catalogConsumer(deps: EventDeps) {
  const consume = createEventConsumer({
    pool: deps.pool,
    schema: deps.schema,
    senders: deps.senders,
    handlers: catalogHandlers(deps),
    afterCommit: (event) => {
      if (CHANGES_PROMOTED.has(event.type)) deps.promoted.invalidate();
    },
  });
  return async (incoming: IncomingHttp): Promise<HttpResponse> => {
    const skus = new Set<string>();
    const response = await afterCommit.run(skus, () => consume(incoming));
    await invalidateAfterCommit(deps.cache, [...skus]);
    return response;
  };
}

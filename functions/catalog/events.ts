/**
 * The catalog's CloudEvent consumer. Its own product events delete the product's cache entry (so
 * every instance converges, also after a crash between commit and delete); inventory's stock events
 * update the stock projections and the product's `in_stock` / `expires_soon` flags without
 * touching its version. Every handler is idempotent: sequence- and time-guarded upserts, flags
 * recomputed from the projections, deletes that may repeat.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool } from 'pg';
import {
  productCreated,
  productDeleted,
  productUpdated,
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
import type { ProjectionStore } from './store-projections';
import { invalidateAfterCommit } from './writes';

/** What the consumer needs. */
export interface EventDeps {
  pool: Pool;
  schema: string;
  projections: ProjectionStore;
  cache: ProductCache;
  /** Who may deliver (see sender-auth.ts). */
  senders: SenderCheck;
}

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
  };
}

/** The `POST /cloudevents` endpoint: the shared consumer, then the post-commit cache deletes. */
export function catalogConsumer(deps: EventDeps) {
  const consume = createEventConsumer({
    pool: deps.pool,
    schema: deps.schema,
    senders: deps.senders,
    handlers: catalogHandlers(deps),
  });
  return async (incoming: IncomingHttp): Promise<HttpResponse> => {
    const skus = new Set<string>();
    const response = await afterCommit.run(skus, () => consume(incoming));
    await invalidateAfterCommit(deps.cache, [...skus]);
    return response;
  };
}

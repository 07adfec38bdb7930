/** The only wiring of the catalog function: typed config → pool, cache, stores → routes and consumer. */
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { baseConfigSpec, int, optionalUrl, parseConfig, str } from '../shared/config';
import { createPool, pingDatabase, withTransaction } from '../shared/db';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { memoryCache, redisCache, type ProductCache } from './cache';
import { dailyRefresher } from './daily';
import { catalogConsumer } from './events';
import { importRoute } from './import';
import { promotedList } from './promoted';
import { readRoutes } from './routes-read';
import { writeRoutes } from './routes-write';
import { catalogStore } from './store';
import { listingStore } from './store-listing';
import { projectionStore } from './store-projections';
import { promotionStore } from './store-promotions';

/** Schema owned by the catalog function (see the registry). */
export const SCHEMA = 'catalog';

/** Configuration of the catalog function. */
export const catalogConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  /** Shared product cache; without it each instance keeps an in-process LRU. */
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  /** Key prefix of the Redis cache (tests use their own). */
  CATALOG_CACHE_PREFIX: str('catalog:product:v1:'),
  /** Access tokens of the user function: staff write with catalog:write, indexers export with catalog:export. */
  ...authConfigSpec,
  /** Capacity of the in-process cache (entries), when there is no Redis. */
  CATALOG_CACHE_ENTRIES: int({ fallback: 20_000, min: 100, max: 1_000_000 }),
  /** Who may deliver CloudEvents (the Triggers' OIDC identities). */
  ...senderAuthConfigSpec,
};

/** Builds the catalog function from the environment; throws ConfigError naming bad variables. */
export function createCatalog(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(catalogConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const cache: ProductCache = config.REDIS_URL
    ? redisCache({ url: config.REDIS_URL, keyPrefix: config.CATALOG_CACHE_PREFIX })
    : memoryCache({ maxEntries: config.CATALOG_CACHE_ENTRIES });
  const store = catalogStore(SCHEMA);
  const listing = listingStore(SCHEMA);
  const projections = projectionStore(SCHEMA, store);
  const promotions = promotionStore(SCHEMA);
  const promoted = promotedList({
    load: (limit) =>
      withTransaction(pool, async (tx) => ({
        nextChangeMs: await promotions.nextScheduleChangeMs(tx),
        rows: await listing.promoted(tx, limit),
      })),
  });
  const check = verifierFromConfig(config);
  const now = () => new Date();
  const work = unitOfWork(pool, SCHEMA);
  const daily = dailyRefresher({ work, projections, cache, now });
  const writeDeps = { work, store, cache, now };
  return {
    routes: [
      // Literal paths first: the pipeline takes the first route that matches path and method.
      importRoute(writeDeps, check),
      ...readRoutes({ pool, store, listing, cache, daily, promoted }, check),
      ...writeRoutes(writeDeps, check),
    ],
    events: catalogConsumer({
      pool,
      schema: SCHEMA,
      projections,
      promotions,
      cache,
      promoted,
      senders: senderCheckFromConfig(config),
    }),
    ready: () => pingDatabase(pool),
    close: async () => {
      await daily.idle();
      await cache.close();
      await pool.end();
    },
  };
}

/** The only wiring of the cart function: typed config → store, projection, peers, use cases, jobs → handlers. */
import type { Pool } from 'pg';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { createRedis } from '../shared/clients/redis';
import {
  baseConfigSpec,
  ConfigError,
  int,
  oneOf,
  optional,
  optionalUrl,
  parseConfig,
  str,
} from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createEventConsumer } from '../shared/eventing/consumer';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { abandonedUseCases } from './abandoned';
import { cartUseCases } from './carts';
import { httpPricer, httpProfiles, httpStock } from './clients';
import { cartHandlers } from './events';
import { startJobs } from './jobs';
import { pgCartStore } from './pg-store';
import type { CartStore } from './ports';
import { productStore } from './products';
import { redisCartStore } from './redis-store';
import { cartRoutes } from './routes';
import { QuoteCache } from './view';

/** Schema owned by the cart function (see the registry). */
export const SCHEMA = 'carts';

/** Configuration of the cart function. */
export const cartConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  ...authConfigSpec,
  /** Where carts live: `redis` in a cluster, `postgres` embedded; default: redis when REDIS_URL is set. */
  CART_STORE: {
    read: (raw: string | undefined) => (raw ? oneOf(['redis', 'postgres'] as const).read(raw) : undefined),
  },
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  /** Key prefix of the Redis store (tests use their own). */
  CART_REDIS_PREFIX: str('tuoi:cart:v1:'),
  /** The promotions and inventory functions (in a cluster: their Knative service URLs). */
  CART_PROMOTIONS_URL: optional(),
  CART_INVENTORY_URL: optional(),
  /** The user function, for the customer's default substitution preference (optional). */
  CART_USER_URL: optional(),
  /** Used for both peers when their own URL is not set (make dev: the gateway). */
  GATEWAY_URL: optional(),
  /** Per-call timeout to a peer (ms). */
  CART_PEER_TIMEOUT_MS: int({ fallback: 2_000, min: 100, max: 30_000 }),
  /** The delivery fee a delivered cart is quoted with until the delivery function prices it. */
  CART_DELIVERY_FEE_VND: int({ fallback: 20_000, min: 0, max: 1_000_000 }),
  /** A guest cart untouched this long is deleted (30 days). */
  CART_GUEST_TTL_DAYS: int({ fallback: 30, min: 1, max: 365 }),
  /** A customer's cart with lines untouched this long is reported abandoned (once). */
  CART_ABANDONED_HOURS: int({ fallback: 24, min: 1, max: 24 * 30 }),
  /** How often the abandoned scan runs (ms). */
  CART_SCAN_MS: int({ fallback: 60_000, min: 100, max: 3_600_000 }),
  /** Quotes kept per instance. */
  CART_QUOTE_CACHE: int({ fallback: 10_000, min: 0, max: 1_000_000 }),
  ...senderAuthConfigSpec,
};

/** The storage adapter the configuration asks for. */
function storeFrom(config: ReturnType<typeof parseConfig<typeof cartConfigSpec>>, pool: Pool): CartStore {
  const kind = config.CART_STORE ?? (config.REDIS_URL ? 'redis' : 'postgres');
  if (kind === 'postgres') return pgCartStore(pool, SCHEMA);
  if (!config.REDIS_URL) throw new ConfigError(['CART_STORE=redis needs REDIS_URL']);
  const redis = createRedis({ url: config.REDIS_URL });
  const store = redisCartStore(redis, {
    prefix: config.CART_REDIS_PREFIX,
    guestTtlMs: config.CART_GUEST_TTL_DAYS * 86_400_000,
  });
  return {
    ...store,
    close: async () => {
      await store.close();
      await redis.quit();
    },
  };
}

/** Builds the cart function from the environment; throws ConfigError naming bad variables. */
export function createCart(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(cartConfigSpec, env);
  const promotionsUrl = config.CART_PROMOTIONS_URL ?? config.GATEWAY_URL;
  const inventoryUrl = config.CART_INVENTORY_URL ?? config.GATEWAY_URL;
  if (!promotionsUrl || !inventoryUrl)
    throw new ConfigError([
      'CART_PROMOTIONS_URL and CART_INVENTORY_URL are required (or GATEWAY_URL for both)',
    ]);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const store = storeFrom(config, pool);
  const products = productStore(SCHEMA);
  const pricer = httpPricer(promotionsUrl, { timeoutMs: config.CART_PEER_TIMEOUT_MS });
  const stock = httpStock(inventoryUrl, { timeoutMs: config.CART_PEER_TIMEOUT_MS, locationsTtlMs: 60_000 });
  const userUrl = config.CART_USER_URL ?? config.GATEWAY_URL;
  const profiles = userUrl
    ? httpProfiles(userUrl, { timeoutMs: config.CART_PEER_TIMEOUT_MS, ttlMs: 60_000 })
    : undefined;
  const carts = cartUseCases({ store });
  const readProducts = (skus: readonly string[]) => products.get(pool, skus);
  const abandoned = abandonedUseCases({
    store,
    work: unitOfWork(pool, SCHEMA),
    idleMs: config.CART_ABANDONED_HOURS * 3_600_000,
  });
  const stopJobs = startJobs(
    {
      abandoned: () => abandoned.scan(),
      purge: () => store.purgeGuests(new Date(Date.now() - config.CART_GUEST_TTL_DAYS * 86_400_000)),
    },
    { scanMs: config.CART_SCAN_MS },
  );
  return {
    routes: cartRoutes(
      {
        carts,
        stock,
        products: readProducts,
        view: {
          products: readProducts,
          mark: () => products.mark(pool),
          pricer,
          stock,
          ...(profiles ? { profiles } : {}),
          ordered: (customerId: string) => products.hasOrdered(pool, customerId),
          deliveryFeeVnd: config.CART_DELIVERY_FEE_VND,
          cache: new QuoteCache(config.CART_QUOTE_CACHE),
        },
      },
      verifierFromConfig(config),
    ),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: cartHandlers(products, carts),
    }),
    ready: async () => {
      await pingDatabase(pool);
      await store.ready();
    },
    close: async () => {
      stopJobs();
      pricer.close();
      profiles?.close();
      stock.close();
      await store.close();
      await pool.end();
    },
  };
}

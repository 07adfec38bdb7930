/**
 * The product read cache: a tiny port (get/set/del by SKU) with two adapters, Redis (shared by all
 * instances) and an in-process LRU with TTL (embedded default, one instance). Entries are the data a
 * product view is built from, stock flags included; writes and events delete them (see events.ts),
 * and the TTL bounds how long a missed invalidation can last. A Knative Trigger delivers each event
 * to one pod of the service, so only the shared Redis cache converges across instances at once:
 * run more than one instance with REDIS_URL set.
 */
import type { Redis } from 'ioredis';
import type { ProductSnapshot } from '../../events';
import { createRedis } from '../shared/clients/redis';
import { createLogger } from '../shared/log';

/** What a product view is built from. */
export interface CachedProduct {
  product: ProductSnapshot;
  in_stock: boolean;
  expires_soon: boolean;
}

/** The cache port. `get`/`set` never throw (a broken cache is a miss); `del` throws so callers can retry. */
export interface ProductCache {
  get(sku: string): Promise<CachedProduct | undefined>;
  set(sku: string, value: CachedProduct): Promise<void>;
  del(sku: string): Promise<void>;
  close(): Promise<void>;
}

/** How long an entry lives without an invalidation. */
export const CACHE_TTL_MS = 10 * 60_000;

const log = createLogger('catalog-cache');

/**
 * An in-process LRU with a TTL: a Map kept in recency order (re-inserted on every hit), the oldest
 * entry dropped beyond `maxEntries`. `now` is injectable for tests.
 */
export function memoryCache(
  opts: { maxEntries?: number; ttlMs?: number; now?: () => number } = {},
): ProductCache & { size(): number } {
  const max = opts.maxEntries ?? 20_000;
  const ttl = opts.ttlMs ?? CACHE_TTL_MS;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { value: string; expires: number }>();
  return {
    async get(sku) {
      const hit = entries.get(sku);
      if (!hit) return undefined;
      entries.delete(sku);
      if (hit.expires <= now()) return undefined;
      entries.set(sku, hit);
      // Stored as JSON so a caller mutating what it got cannot change the cache.
      return JSON.parse(hit.value) as CachedProduct;
    },
    async set(sku, value) {
      entries.delete(sku);
      entries.set(sku, { value: JSON.stringify(value), expires: now() + ttl });
      while (entries.size > max) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    async del(sku) {
      entries.delete(sku);
    },
    async close() {
      entries.clear();
    },
    size: () => entries.size,
  };
}

/**
 * Redis adapter: one string key per SKU under `keyPrefix`, `SET … PX ttl`. Commands time out fast
 * (250 ms), so an unreachable Redis turns reads into misses instead of slow requests.
 */
export function redisCache(opts: { url: string; keyPrefix: string; ttlMs?: number }): ProductCache {
  const ttl = opts.ttlMs ?? CACHE_TTL_MS;
  const redis: Redis = createRedis({
    url: opts.url,
    options: {
      keyPrefix: opts.keyPrefix,
      commandTimeout: 250,
      maxRetriesPerRequest: 1,
      disconnectTimeout: 200,
    },
  });
  redis.on('error', (err: Error) => log.warn('redis unavailable', { err }));
  return {
    async get(sku) {
      try {
        const raw = await redis.get(sku);
        return raw === null ? undefined : (JSON.parse(raw) as CachedProduct);
      } catch (err) {
        log.warn('cache read failed; serving from the database', { err, sku });
        return undefined;
      }
    },
    async set(sku, value) {
      try {
        await redis.set(sku, JSON.stringify(value), 'PX', ttl);
      } catch (err) {
        log.warn('cache write failed', { err, sku });
      }
    },
    async del(sku) {
      await redis.del(sku);
    },
    async close() {
      // QUIT waits for a connection that may never come; an unconnected client is just dropped.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

import type { ProductSnapshot } from '../../events';
import { memoryCache, type CachedProduct } from './cache';

const entry = (sku: string): CachedProduct => ({
  product: { sku, name_en: sku } as ProductSnapshot,
  in_stock: true,
  expires_soon: false,
});

describe('in-process LRU cache', () => {
  it('gets what was set, until deleted', async () => {
    const cache = memoryCache();
    await cache.set('A', entry('A'));
    expect(await cache.get('A')).toEqual(entry('A'));
    await cache.del('A');
    expect(await cache.get('A')).toBeUndefined();
    await cache.del('A'); // deleting twice is fine (events redeliver)
  });

  it('expires entries after the TTL', async () => {
    let now = 0;
    const cache = memoryCache({ ttlMs: 1000, now: () => now });
    await cache.set('A', entry('A'));
    now = 999;
    expect(await cache.get('A')).toBeDefined();
    now = 1000;
    expect(await cache.get('A')).toBeUndefined();
    expect(cache.size()).toBe(0);
  });

  it('evicts the least recently used entry beyond its capacity', async () => {
    const cache = memoryCache({ maxEntries: 2 });
    await cache.set('A', entry('A'));
    await cache.set('B', entry('B'));
    await cache.get('A'); // A is now the most recent
    await cache.set('C', entry('C'));
    expect(await cache.get('B')).toBeUndefined();
    expect(await cache.get('A')).toBeDefined();
    expect(await cache.get('C')).toBeDefined();
    expect(cache.size()).toBe(2);
  });

  it('hands out copies: a caller mutating a value cannot change the cache', async () => {
    const cache = memoryCache();
    await cache.set('A', entry('A'));
    const got = (await cache.get('A'))!;
    got.in_stock = false;
    got.product.name_en = 'changed';
    expect(await cache.get('A')).toEqual(entry('A'));
  });
});

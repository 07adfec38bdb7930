/**
 * The product read cache, in-process and on the real Redis: reads are served from it (proved by
 * changing the row behind the function's back), and entries go when the API writes, when the
 * function's own product events arrive (other instances converge), and when stock flags change.
 */
import { randomUUID } from 'node:crypto';
import { productUpdated, stockChanged, type ProductSnapshot } from '../../events';
import { createRedis } from '../shared/clients/redis';
import { serviceEnv, uniqueSuffix } from '../shared/clients/testing/service-env';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { CACHE_TTL_MS, redisCache } from './cache';
import { addTestCategories, outboxEvents, productBody, startCatalog, type RunningCatalog } from './testing';

const REDIS_URL = serviceEnv('REDIS_URL');
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await addTestCategories(db.pool);
});
afterAll(async () => {
  await db.drop();
});

const nameOf = async (c: RunningCatalog, sku: string) => {
  const res = await c.call('GET', `/products/${sku}`);
  const body = (await res.json()) as { name_en: string; in_stock: boolean };
  return { name: body.name_en, in_stock: body.in_stock, cache: res.headers.get('x-cache') };
};
const behindTheBack = (sku: string, name: string) =>
  db.pool.query(`UPDATE catalog.products SET name_en = $2 WHERE sku = $1`, [sku, name]);

const sharedPrefix = `it:catalog:${uniqueSuffix()}:`;
afterAll(async () => {
  const redis = createRedis({ url: REDIS_URL });
  const keys = await redis.keys(`${sharedPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe.each([
  ['in-process', () => ({})],
  ['redis', () => ({ REDIS_URL, CATALOG_CACHE_PREFIX: sharedPrefix })],
])('%s cache', (kind, envOf) => {
  let a: RunningCatalog;
  let b: RunningCatalog;
  const sku = (n: number) => `TU-${kind === 'redis' ? 7 : 6}0000${n}`;
  beforeAll(async () => {
    const env = envOf();
    // Two instances of the function, as Knative runs them under load (sharing Redis when configured).
    a = await startCatalog(db.url, env);
    b = await startCatalog(db.url, env);
    for (const n of [1, 2, 3])
      expect((await a.call('POST', '/products', { json: productBody(sku(n)), staff: true })).status).toBe(
        201,
      );
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('serves a read from the cache until an API write invalidates it', async () => {
    expect(await nameOf(a, sku(1))).toMatchObject({ name: `Fresh milk ${sku(1)}`, cache: 'miss' });
    await behindTheBack(sku(1), 'Changed behind the back');
    expect(await nameOf(a, sku(1))).toMatchObject({ name: `Fresh milk ${sku(1)}`, cache: 'hit' });
    const res = await a.call('PATCH', `/products/${sku(1)}`, {
      json: { brand: 'TH true MILK' },
      staff: true,
    });
    expect(res.status).toBe(200);
    expect(await nameOf(a, sku(1))).toMatchObject({ name: 'Changed behind the back', cache: 'miss' });
  });

  it('a write on another instance reaches this one: directly through Redis, or by the product event', async () => {
    expect(await nameOf(a, sku(2))).toMatchObject({ cache: 'miss' });
    await behindTheBack(sku(2), 'Renamed elsewhere');
    expect(await nameOf(a, sku(2))).toMatchObject({ name: `Fresh milk ${sku(2)}`, cache: 'hit' });
    const before = (await outboxEvents(db.pool)).length;
    expect(
      (await b.call('PATCH', `/products/${sku(2)}`, { json: { price_vnd: 41_000 }, staff: true })).status,
    ).toBe(200);
    if (kind === 'redis')
      expect(await nameOf(a, sku(2))).toMatchObject({ name: 'Renamed elsewhere', cache: 'miss' });
    else expect(await nameOf(a, sku(2))).toMatchObject({ name: `Fresh milk ${sku(2)}`, cache: 'hit' });
    // The event reaches one instance of the service (here: a), which drops its entry.
    const [event] = (await outboxEvents(db.pool)).slice(before);
    const { outboxId: _id, ...ce } = event!;
    expect((await a.deliver(ce)).status).toBe(204);
    expect(await nameOf(a, sku(2))).toMatchObject({ name: 'Renamed elsewhere', cache: 'miss' });
  });

  it('a product event delivered to /cloudevents invalidates (a crash between commit and delete converges)', async () => {
    await nameOf(a, sku(3));
    await behindTheBack(sku(3), 'Committed, delete lost');
    expect(await nameOf(a, sku(3))).toMatchObject({ cache: 'hit' });
    const { rows } = await db.pool.query<{ event: { data: ProductSnapshot } }>(
      `SELECT event FROM catalog.outbox WHERE partition_key = $1 ORDER BY id DESC LIMIT 1`,
      [sku(3)],
    );
    const event = { ...buildEvent(productUpdated, rows[0]!.event.data), id: randomUUID() };
    expect((await a.deliver(event)).status).toBe(204);
    expect(await nameOf(a, sku(3))).toMatchObject({ name: 'Committed, delete lost', cache: 'miss' });
  });

  it('a stock event that flips in_stock invalidates', async () => {
    expect(await nameOf(a, sku(3))).toMatchObject({ in_stock: true, cache: 'hit' });
    const event = buildEvent(stockChanged, {
      sku: sku(3),
      location: 'kho-q1',
      on_hand: 0,
      held: 0,
      available: 0,
      sequence: 1,
      at: new Date().toISOString(),
    });
    expect((await a.deliver(event)).status).toBe(204);
    expect(await nameOf(a, sku(3))).toMatchObject({ in_stock: false, cache: 'miss' });
  });
});

describe('redis adapter', () => {
  const prefix = `it:catalog:${uniqueSuffix()}:`;
  let redis: ReturnType<typeof createRedis>;
  beforeAll(() => {
    redis = createRedis({ url: REDIS_URL });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('stores one key per SKU under its prefix with the 10-minute TTL', async () => {
    const cache = redisCache({ url: REDIS_URL, keyPrefix: prefix });
    try {
      const value = { product: { sku: 'TU-1' } as ProductSnapshot, in_stock: true, expires_soon: false };
      await cache.set('TU-1', value);
      expect(await cache.get('TU-1')).toEqual(value);
      const ttl = await redis.pttl(`${prefix}TU-1`);
      expect(ttl).toBeGreaterThan(CACHE_TTL_MS - 5_000);
      expect(ttl).toBeLessThanOrEqual(CACHE_TTL_MS);
      await cache.del('TU-1');
      expect(await cache.get('TU-1')).toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it('an unreachable Redis makes reads misses, not failures: the function keeps answering', async () => {
    const down = await startCatalog(db.url, { REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const sku = 'TU-800001';
      const created = await down.call('POST', '/products', { json: productBody(sku), staff: true });
      expect(created.status).toBe(201); // committed; the failed cache delete is only logged
      expect((await down.call('GET', '/products?limit=1')).status).toBe(200);
      const started = Date.now();
      expect(await nameOf(down, sku)).toMatchObject({ cache: 'miss' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await down.close();
    }
  });
});

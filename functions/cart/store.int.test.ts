/**
 * Both cart stores against their real servers: the shared contract (store.contract.ts), then what
 * only one of them does — PostgreSQL purges idle guest carts, Redis lets them expire.
 */
import type { Redis } from 'ioredis';
import { registry } from '../registry';
import { createRedis } from '../shared/clients/redis';
import { serviceEnv, uniqueSuffix } from '../shared/clients/testing/service-env';
import { createPool } from '../shared/db';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { pgCartStore } from './pg-store';
import { redisCartStore } from './redis-store';
import { aCart, aLine, customer, describeCartStore, update } from './store.contract';

const SCHEMA = registry.find((fn) => fn.name === 'cart')!.schema!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL cart store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db?.drop());

  describeCartStore('PostgreSQL', async () => {
    const pool = createPool(db.url, { max: 10 });
    const store = pgCartStore(pool, SCHEMA);
    return {
      store,
      disconnect: async () => {
        await store.close();
        await pool.end();
      },
    };
  });

  it('purges guest carts last written before the cutoff, whatever their status, and nothing else', async () => {
    const store = pgCartStore(db.pool, SCHEMA);
    const day = 24 * 3600_000;
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const idleGuest = aCart({
      lines: [aLine('RAU-MUONG')],
      created_at: ago(3 * day),
      updated_at: ago(2 * day),
    });
    const mergedGuest = aCart({ status: 'merged', created_at: ago(3 * day), updated_at: ago(2 * day) });
    const idleCustomer = aCart({ owner: customer(), created_at: ago(3 * day), updated_at: ago(2 * day) });
    const recentGuest = aCart({ created_at: ago(3 * day), updated_at: ago(day / 2) });
    for (const cart of [idleGuest, mergedGuest, idleCustomer, recentGuest]) await store.insert(cart);

    expect(await store.purgeGuests(new Date(Date.now() - day))).toBe(2);
    expect(await store.get(idleGuest.id)).toBeUndefined();
    expect(await store.get(mergedGuest.id)).toBeUndefined();
    expect(await store.get(idleCustomer.id)).toEqual(idleCustomer);
    expect(await store.get(recentGuest.id)).toEqual(recentGuest);
    expect(await store.purgeGuests(new Date(Date.now() - day))).toBe(0);
  });
});

describe('Redis cart store', () => {
  const url = serviceEnv('REDIS_URL');
  // Test runs share the server: every key of this run is under its own prefix, deleted at the end.
  const prefix = `test:carts:${uniqueSuffix()}:`;
  const GUEST_TTL_MS = 60_000;
  let admin: Redis;
  beforeAll(() => {
    admin = createRedis({ url });
  });
  afterAll(async () => {
    if (!admin) return;
    for await (const keys of admin.scanStream({ match: `${prefix}*`, count: 500 }))
      if ((keys as string[]).length > 0) await admin.del(...(keys as string[]));
    await admin.quit();
  });

  describeCartStore('Redis', async () => {
    const client = createRedis({ url });
    const store = redisCartStore(client, { prefix, guestTtlMs: GUEST_TTL_MS });
    return {
      store,
      disconnect: async () => {
        await store.close();
        await client.quit();
      },
    };
  });

  it('expires a guest cart GUEST_TTL after its last write (each write restarts the clock), never a customer cart', async () => {
    const store = redisCartStore(admin, { prefix, guestTtlMs: GUEST_TTL_MS });
    const guestCart = aCart();
    await store.insert(guestCart);
    const key = `${prefix}cart:${guestCart.id}`;
    expect(await admin.pttl(key)).toBeGreaterThan(GUEST_TTL_MS - 5_000);
    expect(await admin.pttl(key)).toBeLessThanOrEqual(GUEST_TTL_MS);

    await admin.pexpire(key, 1_000);
    await update(store, guestCart.id, (c) => ({ ...c, lines: [aLine('BANH-MI')] }));
    expect(await admin.pttl(key)).toBeGreaterThan(GUEST_TTL_MS - 5_000);

    const customerCart = aCart({ owner: customer() });
    await store.insert(customerCart);
    expect(await admin.pttl(`${prefix}cart:${customerCart.id}`)).toBe(-1);
    await update(store, customerCart.id, (c) => ({ ...c, coupons: ['WELCOME'] }));
    expect(await admin.pttl(`${prefix}cart:${customerCart.id}`)).toBe(-1);
  });

  it('forgets a guest cart once its time is up', async () => {
    const store = redisCartStore(admin, { prefix, guestTtlMs: 100 });
    const cart = aCart({ lines: [aLine('BANH-CUON')] });
    await store.insert(cart);
    await sleep(300);
    expect(await store.get(cart.id)).toBeUndefined();
    expect(await store.purgeGuests(new Date())).toBe(0);
  });

  it('skips idle entries whose cart is gone (deleted, evicted) and drops them', async () => {
    const store = redisCartStore(admin, { prefix, guestTtlMs: GUEST_TTL_MS });
    const idleCart = () =>
      aCart({ owner: customer(), lines: [aLine('BANH-CUON')], lines_touched_at: '1995-05-05T05:00:00.000Z' });
    const gone = idleCart();
    const staying = idleCart();
    await store.insert(gone);
    await store.insert(staying);
    await admin.del(`${prefix}cart:${gone.id}`);

    expect(await admin.zscore(`${prefix}idle`, gone.id)).not.toBeNull();
    const idle = await store.idleSince(new Date('1995-05-06T00:00:00.000Z'), 100);
    expect(idle.map((c) => c.id)).toContain(staying.id);
    expect(idle.map((c) => c.id)).not.toContain(gone.id);
    expect(await admin.zscore(`${prefix}idle`, gone.id)).toBeNull();
  });
});

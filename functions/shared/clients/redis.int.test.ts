import type { Redis } from 'ioredis';
import { createRedis, pingRedis } from './redis';
import { serviceEnv, uniqueSuffix } from './testing/service-env';

const prefix = `it:redis:${uniqueSuffix()}:`;
let redis: Redis;

beforeAll(() => {
  redis = createRedis({ url: serviceEnv('REDIS_URL') });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('redis client against the real server', () => {
  it('answers PING', async () => {
    await expect(pingRedis(redis)).resolves.toBe(true);
  });

  it('reports an unreachable server as down instead of throwing', async () => {
    // No reconnects and a short disconnect timer, so nothing keeps jest alive afterwards.
    const dead = createRedis({
      url: 'redis://127.0.0.1:1',
      options: { retryStrategy: () => null, disconnectTimeout: 50 },
    });
    dead.on('error', () => undefined);
    try {
      await expect(pingRedis(dead, 500)).resolves.toBe(false);
    } finally {
      dead.disconnect();
    }
  });

  it('SET with expiry: value readable, TTL set, gone after expiry', async () => {
    const key = `${prefix}cart`;
    await expect(redis.set(key, 'sữa tươi x2', 'PX', 400)).resolves.toBe('OK');
    await expect(redis.get(key)).resolves.toBe('sữa tươi x2');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(redis.get(key)).resolves.toBeNull();
    await expect(redis.exists(key)).resolves.toBe(0);
  });

  it('INCR is atomic under 200 concurrent increments', async () => {
    const key = `${prefix}counter`;
    const replies = await Promise.all(Array.from({ length: 200 }, () => redis.incr(key)));
    expect(await redis.get(key)).toBe('200');
    // Every increment saw a distinct value: no two callers got the same number.
    expect(new Set(replies).size).toBe(200);
    expect(Math.min(...replies)).toBe(1);
    expect(Math.max(...replies)).toBe(200);
  });

  it('runs a Lua script atomically (reserve stock only if enough is left)', async () => {
    const key = `${prefix}stock`;
    const reserve = `
      local left = tonumber(redis.call('GET', KEYS[1]) or '0')
      local want = tonumber(ARGV[1])
      if left < want then return -1 end
      return redis.call('DECRBY', KEYS[1], want)`;
    await redis.set(key, 5);
    // 10 concurrent reservations of 1 against a stock of 5: exactly 5 succeed.
    const results = (await Promise.all(
      Array.from({ length: 10 }, () => redis.eval(reserve, 1, key, 1)),
    )) as number[];
    expect(results.filter((r) => r >= 0)).toHaveLength(5);
    expect(results.filter((r) => r === -1)).toHaveLength(5);
    await expect(redis.get(key)).resolves.toBe('0');
  });

  it('MULTI/EXEC applies queued commands together', async () => {
    const hash = `${prefix}order`;
    const list = `${prefix}events`;
    const results = await redis
      .multi()
      .hset(hash, { status: 'paid', total: '150000' })
      .hincrby(hash, 'version', 1)
      .rpush(list, 'order.paid')
      .exec();
    expect(results).not.toBeNull();
    expect(results?.every(([err]) => err === null)).toBe(true);
    await expect(redis.hgetall(hash)).resolves.toEqual({ status: 'paid', total: '150000', version: '1' });
    await expect(redis.lrange(list, 0, -1)).resolves.toEqual(['order.paid']);
  });
});

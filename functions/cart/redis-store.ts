/**
 * The cart store in Redis (the cluster's store). Keys, under `prefix`:
 * - `cart:<id>`: a hash {doc, version}; a guest cart expires `guestTtlMs` after its last write
 *   (PEXPIRE on every write), a customer's never does;
 * - `customer:<customerId>`: the id of the customer's one active cart (no expiry);
 * - `idle`: a sorted set of the carts `idleSince` may report (active customer carts with lines,
 *   not reported since they were last touched), scored by `lines_touched_at` in ms.
 * Every write is one Lua script (check the version, write, set the expiry, keep `idle` in step),
 * so it is atomic. One Redis server is assumed: the keys of one script are not hash-tagged to a
 * common slot, so this would not run on Redis Cluster as it is.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { pingRedis } from '../shared/clients/redis';
import type { Cart } from './model';
import type { CartStore } from './ports';

/** Settings of {@link redisCartStore}. */
export interface RedisCartStoreOptions {
  /** Prepended to every key, e.g. `carts:`. */
  prefix: string;
  /** A guest cart is dropped this long after its last write. */
  guestTtlMs: number;
}

/**
 * The carts in Redis through `redis`, which the caller created and quits: `close()` leaves it
 * open, since the same client may serve others (rate limits, caches).
 */
export function redisCartStore(redis: Redis, opts: RedisCartStoreOptions): CartStore {
  const cartKey = (id: string) => `${opts.prefix}cart:${id}`;
  const customerKey = (customerId: string) => `${opts.prefix}customer:${customerId}`;
  const idleKey = `${opts.prefix}idle`;
  const guestTtlMs = Math.max(1, Math.ceil(opts.guestTtlMs));

  /** Writes `cart` when the stored version is `expected` (undefined: no cart stored yet). */
  const write = async (cart: Cart, expected: number | undefined): Promise<boolean> =>
    (await WRITE(
      redis,
      [cartKey(cart.id), idleKey],
      [
        expected === undefined ? '' : String(expected),
        JSON.stringify(cart),
        String(cart.version),
        cart.owner.kind === 'guest' ? String(guestTtlMs) : '0',
        idleScore(cart) ?? '',
        cart.id,
      ],
    )) === 1;

  return {
    async insert(cart) {
      if (!(await write(cart, undefined))) throw new Error(`Cart ${cart.id} already exists`);
    },

    async get(id) {
      const [doc, version] = await redis.hmget(cartKey(id), 'doc', 'version');
      return parse(doc, version);
    },

    async compareAndSet(cart, expected) {
      if (cart.version !== expected + 1)
        throw new Error(
          `Cart ${cart.id}: a write at version ${expected} must carry ${expected + 1}, not ${cart.version}`,
        );
      return write(cart, expected);
    },

    async claimCustomerCart(customerId, cartId) {
      return String(await CLAIM(redis, [customerKey(customerId)], [cartId]));
    },

    async releaseCustomerCart(customerId, cartId) {
      await RELEASE(redis, [customerKey(customerId)], [cartId]);
    },

    async idleSince(before, limit) {
      const found: Cart[] = [];
      // Entries of carts that are gone (deleted by hand, evicted) are removed as they are met;
      // entries read at the same time as a write may be of a cart that no longer qualifies: skipped.
      for (let offset = 0; found.length < limit;) {
        const want = limit - found.length;
        const ids = await redis.zrangebyscore(idleKey, '-inf', `(${before.getTime()}`, 'LIMIT', offset, want);
        if (ids.length === 0) break;
        const pipeline = redis.pipeline();
        for (const id of ids) pipeline.hmget(cartKey(id), 'doc', 'version');
        const replies = (await pipeline.exec()) ?? [];
        const vanished: string[] = [];
        for (const [i, id] of ids.entries()) {
          const [err, fields] = replies[i] ?? [new Error(`No reply for cart ${id}`)];
          if (err) throw err;
          const [doc, version] = fields as (string | null)[];
          const cart = parse(doc, version);
          if (!cart) vanished.push(id);
          else if (isIdle(cart, before)) found.push(cart);
        }
        if (vanished.length > 0) await redis.zrem(idleKey, ...vanished);
        offset += ids.length - vanished.length;
        if (ids.length < want) break;
      }
      return found;
    },

    async purgeGuests() {
      // Guest carts carry their own expiry (PEXPIRE on every write): Redis has purged them already.
      return 0;
    },

    async ready() {
      if (!(await pingRedis(redis))) throw new Error('Redis did not answer PING');
    },

    async close() {
      // The client was passed in: its creator quits it.
    },
  };
}

/** The `idle` score of a cart idleSince may report (lines_touched_at in ms), else undefined. */
function idleScore(cart: Cart): string | undefined {
  if (cart.status !== 'active' || cart.owner.kind !== 'customer' || cart.lines_touched_at === undefined)
    return undefined;
  const touched = Date.parse(cart.lines_touched_at);
  if (cart.abandoned_at !== undefined && Date.parse(cart.abandoned_at) >= touched) return undefined;
  return String(touched);
}

function isIdle(cart: Cart, before: Date): boolean {
  const score = idleScore(cart);
  return score !== undefined && Number(score) < before.getTime();
}

function parse(doc: string | null | undefined, version: string | null | undefined): Cart | undefined {
  if (doc === null || doc === undefined || version === null || version === undefined) return undefined;
  return { ...(JSON.parse(doc) as Cart), version: Number(version) };
}

/** A Lua script run by EVALSHA, loaded with EVAL the first time a server does not know it. */
function script(lua: string) {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (redis: Redis, keys: string[], args: string[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}

/**
 * KEYS: cart, idle. ARGV: expected version ('' = must not exist), doc, new version, expiry in ms
 * ('0' = none), idle score ('' = not idle), id. 1 when written, 0 when the version did not match.
 */
const WRITE = script(`
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'version', ARGV[3])
if ARGV[4] == '0' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
if ARGV[5] == '' then redis.call('ZREM', KEYS[2], ARGV[6]) else redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6]) end
return 1`);

/** KEYS: customer. ARGV: cart id. The id holding the claim (ARGV[1] when it was free). */
const CLAIM = script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then return ARGV[1] end
return redis.call('GET', KEYS[1])`);

/** KEYS: customer. ARGV: cart id. Deletes the claim only when that cart holds it. */
const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/**
 * Fixed-window rate limits: a counter per (rule, key) that lives for the window. Redis holds the
 * counters when there is one, so every instance counts together; embedded mode counts in process.
 * A fixed window admits up to twice the limit across a window edge, which is fine for abuse
 * protection and costs one round trip.
 */
import type { Redis } from 'ioredis';
import { BlockList, isIP } from 'node:net';
import { TooManyRequestsError } from './errors';

export { TooManyRequestsError };

/** One limit: at most `limit` hits per `windowMs` for one key. */
export interface RateRule {
  name: string;
  limit: number;
  windowMs: number;
}

/** The outcome of a hit. */
export interface RateDecision {
  allowed: boolean;
  /** Hits counted in this window, this one included. */
  count: number;
  /** Seconds until the window ends. */
  retryAfter: number;
}

/** Counts hits. */
export interface RateLimiter {
  hit(rule: RateRule, key: string): Promise<RateDecision>;
  close(): Promise<void>;
}

const decide = (rule: RateRule, count: number, ttlMs: number): RateDecision => ({
  allowed: count <= rule.limit,
  count,
  retryAfter: Math.max(1, Math.ceil(ttlMs / 1000)),
});

/** Counters in this process (embedded mode, tests). */
export function memoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  let hits = 0;
  return {
    async hit(rule, key) {
      const t = now();
      if (++hits % 10_000 === 0) for (const [k, w] of windows) if (w.endsAt <= t) windows.delete(k);
      const id = `${rule.name}\u0000${key}`;
      let w = windows.get(id);
      if (!w || w.endsAt <= t) windows.set(id, (w = { count: 0, endsAt: t + rule.windowMs }));
      w.count++;
      return decide(rule, w.count, w.endsAt - t);
    },
    close: async () => undefined,
  };
}

const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/** Counters in Redis, shared by every instance (keys `<prefix><rule>:<key>`). */
export function redisRateLimiter(redis: Redis, prefix = 'rl:'): RateLimiter {
  return {
    async hit(rule, key) {
      const [count, ttl] = (await redis.eval(HIT, 1, `${prefix}${rule.name}:${key}`, rule.windowMs)) as [
        number,
        number,
      ];
      return decide(rule, count, ttl);
    },
    close: async () => {
      await redis.quit();
    },
  };
}

/** Counts a hit for every key and throws TooManyRequestsError when any of them is over its limit. */
export async function enforce(limiter: RateLimiter, hits: { rule: RateRule; key: string }[]): Promise<void> {
  const decisions = await Promise.all(hits.map((h) => limiter.hit(h.rule, h.key)));
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length)
    throw new TooManyRequestsError(
      'Too many attempts; try again later',
      Math.max(...refused.map((d) => d.retryAfter)),
    );
}

/**
 * Which proxies in front are trusted to append to X-Forwarded-For: a number of hops (each
 * appends one entry), or the networks they live in (any number of hops, as in a cluster where
 * the ingress, the activator and queue-proxy may or may not be in the path).
 */
export type TrustedProxies = number | BlockList;

const unmapped = (address: string): string => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** Parses `10.0.0.0/8,fd00::/8` into a BlockList; throws on a malformed entry. */
export function trustedNetworks(cidrs: string): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const [network = '', bits] = cidr.split('/');
    const family = isIP(network);
    const prefix = Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
      throw new Error(`"${cidr}" is not a CIDR block`);
    list.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/**
 * The client's address. With hops: the peer itself (0), or the entry the outermost of `n`
 * appending proxies wrote. With networks: walking from the peer leftwards through
 * X-Forwarded-For, the first address outside the trusted networks. Entries left of that are
 * the client's own claims and can be forged.
 */
export function clientIp(
  req: { headers: Record<string, string | undefined>; remoteAddress: string },
  trusted: TrustedProxies,
): string {
  if (trusted === 0) return req.remoteAddress;
  const chain = (req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (typeof trusted === 'number') {
    if (chain.length === 0) return req.remoteAddress;
    return chain[Math.max(0, chain.length - trusted)] as string;
  }
  const path = [...chain, req.remoteAddress].map(unmapped);
  for (let i = path.length - 1; i >= 0; i--) {
    const address = path[i] as string;
    const family = isIP(address);
    if (!family || !trusted.check(address, family === 4 ? 'ipv4' : 'ipv6')) return address;
  }
  return path[0] as string;
}

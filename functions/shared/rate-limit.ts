/**
 * Fixed-window rate limits: a counter per (rule, key) that lives for the window. Redis holds the
 * counters when there is one, so every instance counts together; embedded mode counts in process.
 * A fixed window admits up to twice the limit across a window edge, which is fine for abuse
 * protection and costs one round trip.
 */
import type { Redis } from 'ioredis';
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
 * The client's address: the peer itself, or behind `trustedHops` proxies that each append to
 * X-Forwarded-For, the entry the outermost trusted proxy wrote (entries left of it are the
 * client's own claims and can be forged).
 */
export function clientIp(
  req: { headers: Record<string, string | undefined>; remoteAddress: string },
  trustedHops: number,
): string {
  if (trustedHops <= 0) return req.remoteAddress;
  const chain = (req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return req.remoteAddress;
  return chain[Math.max(0, chain.length - trustedHops)] as string;
}

/**
 * Where the sign-in guard remembers failures, and the compare-and-swap loop that applies its pure
 * decisions atomically. The port is the minimum a CAS needs (read, swap); Redis does the swap in
 * one Lua script so instances count together, the in-process store for embedded mode and tests.
 * Identifiers are stored as SHA-256 digests, never in clear.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { admit, FRESH, refund, type GuardClient, type GuardPolicy, type GuardState } from './sign-in-guard';

/** A string per key with compare-and-swap. */
export interface GuardStore {
  /** The stored text, or undefined when there is none. */
  read(key: string): Promise<string | undefined>;
  /** Writes `next` only if the key still holds `expected` (undefined: absent); false otherwise. */
  swap(key: string, expected: string | undefined, next: string, ttlMs: number): Promise<boolean>;
}

/** In this process (embedded mode, tests). */
export function memoryGuardStore(now: () => number = Date.now): GuardStore {
  const entries = new Map<string, { value: string; until: number }>();
  let writes = 0;
  const get = (key: string) => {
    const e = entries.get(key);
    return e && e.until > now() ? e.value : undefined;
  };
  return {
    read: async (key) => get(key),
    async swap(key, expected, next, ttlMs) {
      if (get(key) !== expected) return false;
      if (++writes % 10_000 === 0) for (const [k, e] of entries) if (e.until <= now()) entries.delete(k);
      entries.set(key, { value: next, until: now() + ttlMs });
      return true;
    },
  };
}

const SWAP = `local cur = redis.call('GET', KEYS[1])
if cur == false then cur = '' end
if cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** In Redis, shared by every instance; the swap is one Lua script, so it is atomic. */
export function redisGuardStore(redis: Redis): GuardStore {
  return {
    read: async (key) => (await redis.get(key)) ?? undefined,
    swap: async (key, expected, next, ttlMs) =>
      (await redis.eval(SWAP, 1, key, expected ?? '', next, Math.max(1, Math.ceil(ttlMs)))) === 1,
  };
}

/** The outcome of asking to check a password. */
export type Admission =
  { admitted: true } | { admitted: false; reason: 'client' | 'account' | 'busy'; retryAfterSeconds: number };

/** The guard with its memory: admit before a password check, settle after a right one. */
export interface SignInGuard {
  admit(identifier: string, client: GuardClient): Promise<Admission>;
  /** The password was right: refund the admitted check and clear the client's count. */
  succeeded(identifier: string, clientKey: string): Promise<void>;
}

/** Concurrent writers on one identifier retry this often before the attempt is turned away. */
const MAX_ROUNDS = 16;

/** The guard over a store: reads, decides with the pure policy, swaps; rereads when raced. */
export function signInGuard(
  store: GuardStore,
  policy: GuardPolicy,
  opts: { prefix?: string; now?: () => number } = {},
): SignInGuard {
  const now = opts.now ?? Date.now;
  const prefix = opts.prefix ?? 'users:signin:';
  const keyOf = (identifier: string) => prefix + createHash('sha256').update(identifier).digest('hex');
  const ttl = Math.max(policy.memoryMs, policy.clientWindowMs);
  const parse = (raw: string | undefined): GuardState => (raw ? (JSON.parse(raw) as GuardState) : FRESH);

  return {
    async admit(identifier, client) {
      const key = keyOf(identifier);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const raw = await store.read(key);
        const verdict = admit(parse(raw), client, now(), policy);
        if (verdict.kind === 'wait')
          return {
            admitted: false,
            reason: verdict.reason,
            retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
          };
        if (await store.swap(key, raw, JSON.stringify(verdict.next), ttl)) return { admitted: true };
      }
      return { admitted: false, reason: 'busy', retryAfterSeconds: 1 };
    },

    async succeeded(identifier, clientKey) {
      const key = keyOf(identifier);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const raw = await store.read(key);
        if (raw === undefined) return;
        if (await store.swap(key, raw, JSON.stringify(refund(parse(raw), clientKey, now(), policy)), ttl))
          return;
      }
      // Raced that often: the refund is lost, which only errs towards counting one failure too many.
    },
  };
}

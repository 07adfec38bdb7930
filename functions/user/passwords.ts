/**
 * Passwords: the policy (length, not among the most common) and argon2id hashing. Each hash
 * carries its own parameters (PHC string), so raising the cost later only needs a rehash at the
 * next successful sign-in.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import * as argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/** Fewest characters of a password. */
export const MIN_PASSWORD_LENGTH = 10;
/** Most characters (argon2 takes any length; this bounds the work a request can ask for). */
export const MAX_PASSWORD_LENGTH = 256;

// The 10,000 most common passwords of the zxcvbn list (ranked by frequency in public leaks).
const COMMON = new Set(
  (dictionary['passwords-common'] as string[]).slice(0, 10_000).map((p) => p.toLowerCase()),
);

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): { code: string; message: string } | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    return { code: 'too-short', message: `Use at least ${MIN_PASSWORD_LENGTH} characters` };
  if (length > MAX_PASSWORD_LENGTH)
    return { code: 'too-long', message: `Use at most ${MAX_PASSWORD_LENGTH} characters` };
  if (COMMON.has(password.toLowerCase()))
    return { code: 'too-common', message: 'This password is among the 10,000 most common; choose another' };
  return undefined;
}

/** argon2id cost: memory in KiB, passes, lanes. */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * The default: OWASP's first argon2id configuration (19 MiB, 2 passes, 1 lane). ~30 ms per hash on
 * one core here; a stolen hash costs an attacker 19 MiB per guess, which caps GPU parallelism.
 */
export const DEFAULT_COST: Argon2Cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes and checks passwords at one cost. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether the password matches, and whether the hash should be redone at the current cost. */
  verify(hash: string, password: string): Promise<{ ok: boolean; rehash: boolean }>;
  /** Does the work of a verification against no account, so unknown accounts take as long. */
  verifyNothing(password: string): Promise<void>;
}

/**
 * Runs at most `max` jobs at once, the rest in arrival order. argon2 runs on libuv's threadpool (4
 * threads), which PostgreSQL's SCRAM sign-in (WebCrypto) and DNS share: with every thread hashing,
 * a burst of logins starved new database connections past their timeout. Hashing on fewer threads
 * than the pool has keeps one free and costs nothing, as there are no more cores anyway.
 */
function gate(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** Concurrent hashes by default: the cores, at most 3 of libuv's 4 threads. */
export const DEFAULT_HASH_CONCURRENCY = Math.max(1, Math.min(availableParallelism(), 3));

/** A hasher at `cost`, running at most `concurrency` hashes at once. */
export function passwordHasher(
  cost: Argon2Cost = DEFAULT_COST,
  concurrency = DEFAULT_HASH_CONCURRENCY,
): PasswordHasher {
  const options = { type: argon2.argon2id, ...cost };
  const run = gate(concurrency);
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => run(() => argon2.hash(password, options)),
    async verify(hash, password) {
      let ok = false;
      try {
        ok = await run(() => argon2.verify(hash, password));
      } catch {
        ok = false; // not a hash we can read
      }
      return { ok, rehash: ok && argon2.needsRehash(hash, options) };
    },
    async verifyNothing(password) {
      decoy ??= argon2.hash(randomBytes(24).toString('base64'), options);
      const target = await decoy;
      await run(() => argon2.verify(target, password)).catch(() => false);
    },
  };
}

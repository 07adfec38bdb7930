/**
 * The only wiring of the user function: typed config → pool, unit of work, stores, key ring,
 * limiter → route groups, each handed the ports it names.
 */
import type { BlockList } from 'node:net';
import { authConfigSpec, createVerifier } from '../shared/auth/verifier';
import { createRedis } from '../shared/clients/redis';
import { baseConfigSpec, int, optional, parseConfig, secret, type VarReader } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { memoryRateLimiter, redisRateLimiter, trustedNetworks, type RateRule } from '../shared/rate-limit';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { addressStore } from './address-store';
import { clientStore } from './clients';
import { deviceTokens } from './device-tokens';
import { keyRing } from './keys';
import { DEFAULT_HASH_CONCURRENCY, passwordHasher } from './passwords';
import type { AccountStore, AddressStore, ClientReader, SecretStore, SessionStore } from './ports';
import { adminRoutes } from './routes-admin';
import { introspectRoutes } from './routes-introspect';
import { passwordRoutes } from './routes-password';
import { profileRoutes } from './routes-profile';
import { registrationRoutes } from './routes-register';
import { serviceTokenRoutes } from './routes-service-tokens';
import { signInRoutes } from './routes-sign-in';
import { secretStore, sessionStore } from './sessions';
import type { GuardPolicy } from './sign-in-guard';
import { memoryGuardStore, redisGuardStore, signInGuard } from './sign-in-store';
import { accountStore } from './store';
import { minter } from './tokens';

/** Schema owned by the user function (see the registry). */
export const SCHEMA = 'users';

/** An optional list of CIDR blocks. */
const cidrs = (): VarReader<BlockList | undefined> => ({
  read: (raw) => (raw ? trustedNetworks(raw) : undefined),
});

/** A rate rule from "limit/seconds", e.g. "10/900". */
const rate = (name: string, fallback: string): VarReader<RateRule> => ({
  read(raw) {
    const match = /^(\d{1,9})\/(\d{1,6})$/.exec(raw || fallback);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1)
      throw new Error(`must be "<limit>/<seconds>", e.g. ${fallback}; got "${raw}"`);
    return { name, limit: Number(match[1]), windowMs: Number(match[2]) * 1000 };
  },
});

/** Configuration of the user function. */
export const userConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  ...authConfigSpec,
  /** Encrypts signing keys at rest (at least 32 characters; keep it in a Secret). */
  USERS_KEY_SECRET: secret(32),
  /** During a USERS_KEY_SECRET rotation: the old secret, which still opens keys sealed with it. */
  USERS_KEY_SECRET_PREVIOUS: optional(),
  USERS_ACCESS_TTL_SECONDS: int({ fallback: 900, min: 60, max: 3_600 }),
  USERS_REFRESH_TTL_SECONDS: int({ fallback: 86_400, min: 300, max: 30 * 86_400 }),
  USERS_SESSION_TTL_SECONDS: int({ fallback: 30 * 86_400, min: 3_600, max: 365 * 86_400 }),
  /**
   * A spent refresh token presented again within this many seconds of its use gets another token
   * of its session (concurrent refreshes of one browser); later, it revokes the session. 0: never.
   */
  USERS_REFRESH_REUSE_GRACE_SECONDS: int({ fallback: 10, min: 0, max: 60 }),
  /** argon2id cost of new hashes (older hashes are redone at the next sign-in). */
  USERS_ARGON2_MEMORY_KIB: int({ fallback: 19_456, min: 1_024, max: 1_048_576 }),
  USERS_ARGON2_PASSES: int({ fallback: 2, min: 1, max: 10 }),
  USERS_ARGON2_LANES: int({ fallback: 1, min: 1, max: 8 }),
  /** Hashes at once per instance (keep below UV_THREADPOOL_SIZE, default 4). */
  USERS_ARGON2_CONCURRENCY: int({ fallback: DEFAULT_HASH_CONCURRENCY, min: 1, max: 64 }),
  /** Shared rate-limit counters; without it each instance counts alone. */
  REDIS_URL: optional(),
  /** Proxies in front that append to X-Forwarded-For (the ingress); 0 trusts no header. */
  USERS_TRUSTED_PROXY_HOPS: int({ fallback: 0, min: 0, max: 5 }),
  /** Networks of trusted proxies (CIDRs, comma-separated); when set, it replaces the hop count. */
  USERS_TRUSTED_PROXY_CIDRS: cidrs(),
  /** Password changes per account (the current password is checked). */
  USERS_LIMIT_LOGIN_ACCOUNT: rate('login-account', '10/900'),
  /** Sign-in failures one client (address, or device token) may make per account per window. */
  USERS_SIGNIN_CLIENT_FAILURES: rate('signin-client', '5/900'),
  /** Sign-in failures per account, from all clients, before further checks are spaced out. */
  USERS_SIGNIN_FREE_FAILURES: int({ fallback: 10, min: 1, max: 1_000 }),
  /** First wait after the free failures; it doubles per failure up to the maximum. */
  USERS_SIGNIN_FIRST_DELAY_SECONDS: int({ fallback: 1, min: 1, max: 3_600 }),
  USERS_SIGNIN_MAX_DELAY_SECONDS: int({ fallback: 900, min: 1, max: 86_400 }),
  /** An account's sign-in failures are forgotten this long after the last one. */
  USERS_SIGNIN_MEMORY_SECONDS: int({ fallback: 86_400, min: 60, max: 30 * 86_400 }),
  /** Lifetime of the device token a successful sign-in hands out. */
  USERS_DEVICE_TOKEN_DAYS: int({ fallback: 90, min: 1, max: 400 }),
  USERS_LIMIT_LOGIN_IP: rate('login-ip', '300/900'),
  USERS_LIMIT_REFRESH_ACCOUNT: rate('refresh-account', '60/900'),
  USERS_LIMIT_REFRESH_IP: rate('refresh-ip', '1200/900'),
  USERS_LIMIT_RESET_ACCOUNT: rate('reset-account', '5/3600'),
  USERS_LIMIT_RESET_IP: rate('reset-ip', '100/3600'),
  USERS_LIMIT_REGISTER_ACCOUNT: rate('register-account', '5/3600'),
  USERS_LIMIT_REGISTER_IP: rate('register-ip', '100/3600'),
  USERS_LIMIT_RESEND_ACCOUNT: rate('resend-account', '5/3600'),
};

/** Builds the user function from the environment; throws ConfigError naming bad variables. */
export function createUser(env: NodeJS.ProcessEnv): FunctionInstance {
  const c = parseConfig(userConfigSpec, env);
  const pool = createPool(c.DATABASE_URL, { max: c.DB_POOL_SIZE });
  const ring = keyRing(pool, {
    schema: SCHEMA,
    secret: c.USERS_KEY_SECRET,
    previousSecret: c.USERS_KEY_SECRET_PREVIOUS,
    accessTtlSeconds: c.USERS_ACCESS_TTL_SECONDS,
  });
  const redis = c.REDIS_URL ? createRedis({ url: c.REDIS_URL }) : undefined;
  const limiter = redis ? redisRateLimiter(redis, 'users:rl:') : memoryRateLimiter();
  const guardPolicy: GuardPolicy = {
    clientFailures: c.USERS_SIGNIN_CLIENT_FAILURES.limit,
    clientWindowMs: c.USERS_SIGNIN_CLIENT_FAILURES.windowMs,
    freeFailures: c.USERS_SIGNIN_FREE_FAILURES,
    firstDelayMs: c.USERS_SIGNIN_FIRST_DELAY_SECONDS * 1000,
    maxDelayMs: c.USERS_SIGNIN_MAX_DELAY_SECONDS * 1000,
    memoryMs: c.USERS_SIGNIN_MEMORY_SECONDS * 1000,
  };
  const accounts: AccountStore = accountStore(SCHEMA);
  const addresses: AddressStore = addressStore(SCHEMA);
  const sessions: SessionStore = sessionStore(SCHEMA, {
    refreshTtlSeconds: c.USERS_REFRESH_TTL_SECONDS,
    sessionTtlSeconds: c.USERS_SESSION_TTL_SECONDS,
    reuseGraceSeconds: c.USERS_REFRESH_REUSE_GRACE_SECONDS,
  });
  const secrets: SecretStore = secretStore(SCHEMA);
  const clients: ClientReader = clientStore(SCHEMA);
  const hasher = passwordHasher(
    {
      memoryCost: c.USERS_ARGON2_MEMORY_KIB,
      timeCost: c.USERS_ARGON2_PASSES,
      parallelism: c.USERS_ARGON2_LANES,
    },
    c.USERS_ARGON2_CONCURRENCY,
  );
  const mint = minter(ring, {
    issuer: c.AUTH_ISSUER,
    audience: c.AUTH_AUDIENCE,
    ttlSeconds: c.USERS_ACCESS_TTL_SECONDS,
  });
  const throttle = {
    limiter,
    limits: {
      login_account: c.USERS_LIMIT_LOGIN_ACCOUNT,
      login_ip: c.USERS_LIMIT_LOGIN_IP,
      refresh_account: c.USERS_LIMIT_REFRESH_ACCOUNT,
      refresh_ip: c.USERS_LIMIT_REFRESH_IP,
      reset_account: c.USERS_LIMIT_RESET_ACCOUNT,
      reset_ip: c.USERS_LIMIT_RESET_IP,
      register_account: c.USERS_LIMIT_REGISTER_ACCOUNT,
      register_ip: c.USERS_LIMIT_REGISTER_IP,
      resend_account: c.USERS_LIMIT_RESEND_ACCOUNT,
    },
    trustedProxies: c.USERS_TRUSTED_PROXY_CIDRS ?? c.USERS_TRUSTED_PROXY_HOPS,
  };
  const now = () => new Date();
  const gate = {
    db: pool,
    now,
    // The user function verifies against its own key ring: no JWKS round trip.
    verifier: createVerifier({ keys: ring.resolve, issuer: c.AUTH_ISSUER, audience: c.AUTH_AUDIENCE }),
    sessions,
  };
  // Every write runs in one unit of work with the events it emits.
  const work = unitOfWork(pool, SCHEMA);
  const guard = signInGuard(redis ? redisGuardStore(redis) : memoryGuardStore(), guardPolicy);
  const devices = deviceTokens(
    [c.USERS_KEY_SECRET, ...(c.USERS_KEY_SECRET_PREVIOUS ? [c.USERS_KEY_SECRET_PREVIOUS] : [])],
    c.USERS_DEVICE_TOKEN_DAYS * 86_400,
  );
  return {
    routes: [
      ...registrationRoutes({ ...gate, ...throttle, work, accounts, secrets, hasher }),
      ...signInRoutes({ ...gate, ...throttle, work, accounts, hasher, mint, signInGuard: guard, devices }),
      ...passwordRoutes({ ...gate, ...throttle, work, accounts, secrets, hasher }),
      ...serviceTokenRoutes({ ...throttle, db: pool, clients, hasher, signInGuard: guard, mint, ring }),
      ...introspectRoutes(gate),
      ...profileRoutes({ ...gate, work, accounts, addresses }),
      ...adminRoutes({ ...gate, work, accounts, addresses }),
    ],
    ready: async () => {
      await pingDatabase(pool);
      await ring.current(); // creates the first signing key on a fresh database
    },
    close: async () => {
      await limiter.close(); // quits the Redis client the guard shares
      await pool.end();
    },
  };
}

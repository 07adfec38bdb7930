/**
 * The interfaces the user function's handlers need. Route groups name the few they use in their
 * own `*Deps` type; `deps.ts` builds the adapters (PostgreSQL stores, argon2, the key ring,
 * Redis or in-memory counters) and is the only file that knows which ones.
 */
import type { Verifier } from '../shared/auth/verifier';
import type { Role } from '../shared/auth/principal';
import type { Queryable, Tx } from '../shared/db';
import type { RateLimiter, RateRule, TrustedProxies } from '../shared/rate-limit';
import type { UnitOfWork } from '../shared/unit-of-work';
import type { Client } from './clients';
import type { Channel } from './identifiers';
import type { IssuedRefresh, Purpose, RotateOutcome, SpendOutcome } from './sessions';
import type { AddAddressOutcome, Address, AddressInput } from './address-store';
import type { Account, CreateOutcome, NewAccount, PatchOutcome, ProfilePatch } from './store';

export type { DeviceTokens } from './device-tokens';
export type { PasswordHasher } from './passwords';
export type { SignInGuard } from './sign-in-store';
export type { Minter } from './tokens';

/** The clock every decision reads (tests pass a fixed one). */
export interface Clock {
  now(): Date;
}

/** Reads outside a transaction (the pool); writes go through `work`. */
export interface Reads {
  db: Queryable;
}

/** Runs a write use case in one transaction, its events written through the outbox in it. */
export interface Writes {
  work: UnitOfWork;
}

/** Accounts and profiles. */
export interface AccountStore {
  create(db: Queryable, a: NewAccount): Promise<CreateOutcome>;
  byIdentifier(db: Queryable, channel: Channel, value: string): Promise<Account | undefined>;
  byId(db: Queryable, id: string, lock?: boolean): Promise<Account | undefined>;
  setPassword(db: Queryable, id: string, passwordHash: string): Promise<void>;
  markVerified(db: Queryable, id: string, channel: Channel, target: string, at: Date): Promise<boolean>;
  patchProfile(db: Queryable, id: string, patch: ProfilePatch, ifVersion?: number): Promise<PatchOutcome>;
  administer(
    db: Queryable,
    id: string,
    patch: { role?: Role; status?: 'active' | 'suspended' },
  ): Promise<Account | undefined>;
  list(
    db: Queryable,
    q: { search?: string; role?: Role; status?: string; limit: number; after?: { at: Date; id: string } },
  ): Promise<Account[]>;
  clearDefault(db: Queryable, userId: string, addressId: string): Promise<Account | undefined>;
}

/** One account's addresses (another account's are simply not found). */
export interface AddressStore {
  list(db: Queryable, userId: string): Promise<Address[]>;
  one(db: Queryable, userId: string, id: string): Promise<Address | undefined>;
  add(db: Queryable, userId: string, a: AddressInput): Promise<AddAddressOutcome>;
  update(db: Queryable, userId: string, id: string, a: AddressInput): Promise<Address | undefined>;
  remove(db: Queryable, userId: string, id: string): Promise<boolean>;
}

/** Sessions (refresh-token families). */
export interface SessionStore {
  start(tx: Queryable, userId: string, now: Date, userAgent?: string): Promise<IssuedRefresh>;
  rotate(tx: Tx, token: string, now: Date): Promise<RotateOutcome>;
  find(db: Queryable, token: string): Promise<{ sessionId: string; userId: string } | undefined>;
  live(db: Queryable, sessionId: string, userId: string, now: Date): Promise<boolean>;
  revoke(db: Queryable, sessionId: string, reason: string, now: Date): Promise<void>;
  revokeAll(db: Queryable, userId: string, reason: string, now: Date, except?: string): Promise<number>;
}

/** Single-use secrets (verification and reset links and codes) and the reset-request log. */
export interface SecretStore {
  issue(
    tx: Queryable,
    opts: { userId: string; purpose: Purpose; channel: Channel; target: string; now: Date },
  ): Promise<{ token: string; expiresAt: Date }>;
  spendLink(tx: Tx, purpose: Purpose, token: string, now: Date): Promise<SpendOutcome>;
  spendCode(tx: Tx, userId: string, purpose: Purpose, code: string, now: Date): Promise<SpendOutcome>;
  recordResetRequest(tx: Queryable, r: { identifier: string; userId?: string; ip: string }): Promise<void>;
}

/** Service clients of the client-credentials grant, as the token route reads them. */
export interface ClientReader {
  byId(db: Queryable, id: string): Promise<Client | undefined>;
}

/** The public signing keys (the JWKS). */
export interface PublicKeys {
  jwks(): Promise<{ keys: unknown[] }>;
}

/** The rate rules by use. */
export interface Limits {
  login_account: RateRule;
  login_ip: RateRule;
  refresh_account: RateRule;
  refresh_ip: RateRule;
  reset_account: RateRule;
  reset_ip: RateRule;
  register_account: RateRule;
  register_ip: RateRule;
  resend_account: RateRule;
}

/** Request counting: the limiter, its rules, and which proxies' forwarded addresses to believe. */
export interface Throttle {
  limiter: RateLimiter;
  limits: Limits;
  trustedProxies: TrustedProxies;
}

/** What `sensitive` routes check a user's token against: the session must still be live. */
export interface SessionGate extends Reads, Clock {
  verifier: Verifier;
  sessions: Pick<SessionStore, 'live'>;
}

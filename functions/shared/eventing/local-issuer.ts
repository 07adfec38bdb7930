/**
 * The local stand-in for the cluster's service-account issuer: the local router (and dead-letter
 * replay) present the same kind of token Knative's Kafka dispatcher does — `Authorization: Bearer`
 * with the subscriber's audience and the Trigger's service-account subject — signed with a local
 * ES256 key whose public JWKS the functions are given (EVENTS_OIDC_JWKS), so dev and tests run the
 * exact check the cluster does. Tokens are cached per (audience, subject) and reused until close to
 * expiry, as Knative caches them.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { triggers, type FunctionSpec, type TriggerSpec } from '../../registry';
import { publicJwk, signJwt, type PublicJwk } from '../auth/jwt';
import { functionAudience, triggerSubject } from './identity';

/** `iss` of local delivery tokens. */
export const LOCAL_EVENT_ISSUER = 'https://events.tuoi.local';

/** Signs delivery tokens and publishes its public keys. */
export interface EventIssuer {
  issuer: string;
  /** The public key set functions verify against. */
  jwks: { keys: PublicJwk[] };
  /** A token for `audience` as `subject`, reused from the cache until close to expiry. */
  token(audience: string, subject: string): string;
}

/** Options of an issuer. */
export interface EventIssuerOptions {
  /** ES256 or EdDSA private key; generated when absent. */
  privateKey?: KeyObject;
  issuer?: string;
  /** Lifetime of a token, seconds (default 600). */
  ttlS?: number;
  /** Seconds since the epoch (tests). */
  now?: () => number;
}

/** Creates an issuer with a given or fresh P-256 key. */
export function createEventIssuer(opts: EventIssuerOptions = {}): EventIssuer {
  const key = opts.privateKey ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const kid = `local-${randomUUID().slice(0, 8)}`;
  const issuer = opts.issuer ?? LOCAL_EVENT_ISSUER;
  const ttl = opts.ttlS ?? 600;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const cache = new Map<string, { token: string; exp: number }>();
  return {
    issuer,
    jwks: { keys: [publicJwk(key, kid)] },
    token(audience, subject) {
      const at = now();
      const cacheKey = `${audience}\u0000${subject}`;
      const hit = cache.get(cacheKey);
      // Like Knative's cache (55 of 60 minutes): never hand out a token in its last sixth.
      if (hit && hit.exp - at > ttl / 6) return hit.token;
      const exp = at + ttl;
      const token = signJwt({ iss: issuer, aud: [audience], sub: subject, iat: at, nbf: at, exp }, key, kid);
      cache.set(cacheKey, { token, exp });
      return token;
    },
  };
}

/**
 * The dev issuer, whose key lives in the dev data dir (`event-issuer.pem`, mode 600) so tools run
 * beside `make dev` (dead-letter replay) sign with the key the functions were given.
 */
export function devEventIssuer(dataDir: string): EventIssuer {
  const file = join(dataDir, 'event-issuer.pem');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return createEventIssuer({ privateKey: createPrivateKey(readFileSync(file)) });
}

/** The token a Trigger's delivery carries: its subscriber's audience, its service account's subject. */
export function deliveryToken(
  issuer: EventIssuer,
  trigger: Pick<TriggerSpec, 'name' | 'subscriber'>,
): string {
  return issuer.token(functionAudience(trigger.subscriber), triggerSubject(trigger.name));
}

/** The subjects allowed to deliver to a function: its Triggers' service accounts. */
export function allowedSubjects(fn: string, functions?: readonly FunctionSpec[]): string[] {
  return triggers(functions)
    .filter((t) => t.subscriber === fn)
    .map((t) => triggerSubject(t.name));
}

/** The EVENTS_OIDC_* variables that make function `fn` trust `issuer`'s deliveries. */
export function senderEnv(issuer: EventIssuer, fn: string): Record<string, string> {
  const subjects = allowedSubjects(fn);
  return {
    EVENTS_OIDC_ISSUER: issuer.issuer,
    EVENTS_OIDC_AUDIENCE: functionAudience(fn),
    // A function with no Trigger still needs a list: no subject can match this one.
    EVENTS_OIDC_SUBJECTS: subjects.length > 0 ? subjects.join(',') : 'system:serviceaccount:none:none',
    EVENTS_OIDC_JWKS: JSON.stringify(issuer.jwks),
  };
}

/**
 * Asymmetric JWTs (EdDSA with Ed25519, ES256 with P-256, RS256 with RSA ≥ 2048 bits) on
 * node:crypto: signing for the user function and the local event issuer, verification for every
 * function. RS256 exists because Kubernetes service-account tokens (what Knative Eventing's
 * `authentication-oidc` deliveries carry) are RS256 by default; access tokens stay EdDSA/ES256,
 * and a verifier accepts only the algorithms it is given. Verification trusts nothing in the token before the
 * signature checks out against a key we hold: the algorithm must be one we allow AND match the
 * key's type (no `none`, no HS256 "signed" with a public key), `kid` picks the key, and `exp`,
 * `nbf`, `iss` and `aud` are enforced with a small clock skew.
 */
import {
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** Algorithms Tươi signs and accepts. */
export type JwtAlgorithm = 'EdDSA' | 'ES256' | 'RS256';

/** What access-token verifiers accept unless told otherwise (the user function signs only these). */
export const ACCESS_TOKEN_ALGORITHMS: readonly JwtAlgorithm[] = ['EdDSA', 'ES256'];

/** Smallest RSA modulus accepted, in bits. */
const MIN_RSA_BITS = 2048;

/** A public key of a JWKS, as published at `/.well-known/jwks.json`. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg?: JwtAlgorithm;
  use?: 'sig';
}

/** Claims every Tươi access token carries. */
export interface AccessClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  exp: number;
  iat?: number;
  nbf?: number;
  [claim: string]: unknown;
}

/** Why a token was refused (for logs and metrics; clients get one generic 401). */
export type JwtFailure =
  | 'malformed'
  | 'algorithm'
  | 'unknown-key'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'issuer'
  | 'audience'
  | 'claims';

/** A refused token. */
export class JwtError extends Error {
  constructor(
    readonly reason: JwtFailure,
    message: string,
  ) {
    super(message);
    this.name = 'JwtError';
  }
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function algorithmOf(key: KeyObject): JwtAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS)
    return 'RS256';
  return undefined;
}

function signatureOf(alg: JwtAlgorithm, data: Buffer, key: KeyObject): Buffer {
  if (alg === 'EdDSA') return sign(null, data, key);
  if (alg === 'RS256') return sign('sha256', data, key);
  return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
}

function signatureValid(alg: JwtAlgorithm, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  if (alg === 'EdDSA') return verify(null, data, key, signature);
  if (alg === 'RS256') return verify('sha256', data, key, signature);
  return signature.length === 64 && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** Signs claims with a private key (PKCS#8 PEM or KeyObject); the algorithm follows the key. */
export function signJwt(claims: AccessClaims, privateKey: KeyObject | string, kid: string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const alg = algorithmOf(key);
  if (!alg) throw new Error('Only Ed25519, P-256 and RSA (2048 bits or more) keys sign tokens');
  const head = b64url(JSON.stringify({ alg, typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const signature = signatureOf(alg, Buffer.from(`${head}.${body}`), key);
  return `${head}.${body}.${b64url(signature)}`;
}

/** The public JWK of a key pair, with its kid and algorithm (what the JWKS publishes). */
export function publicJwk(key: KeyObject | string, kid: string): PublicJwk {
  const pub =
    typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  const alg = algorithmOf(pub);
  if (!alg) throw new Error('Only Ed25519, P-256 and RSA (2048 bits or more) keys sign tokens');
  return { ...(pub.export({ format: 'jwk' }) as JsonWebKey), kid, alg, use: 'sig' };
}

/** Finds the public key of a kid (a JWKS cache refreshes itself on an unknown kid). */
export type KeyResolver = (kid: string) => Promise<KeyObject | undefined>;

/** What a verifier checks besides the signature. */
export interface VerifyOptions {
  keys: KeyResolver;
  issuer: string;
  audience: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  /** Tolerated clock difference, seconds (default 30). */
  clockSkew?: number;
  /** Algorithms accepted (default ACCESS_TOKEN_ALGORITHMS); each must also match its key's type. */
  algorithms?: readonly JwtAlgorithm[];
}

function part<T>(segment: string | undefined, what: string): T {
  try {
    const value = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as T;
  } catch {
    // reported below
  }
  throw new JwtError('malformed', `The token's ${what} is not a JSON object`);
}

/** Verifies a compact JWS and returns its claims, or throws a JwtError naming the reason. */
export async function verifyJwt(token: string, opts: VerifyOptions): Promise<AccessClaims> {
  if (token.length > 8192) throw new JwtError('malformed', 'The token is too long');
  const segments = token.split('.');
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]*$/.test(s)))
    throw new JwtError('malformed', 'A token has three base64url parts');
  const header = part<{ alg?: unknown; kid?: unknown; crit?: unknown }>(segments[0], 'header');
  const accepted = opts.algorithms ?? ACCESS_TOKEN_ALGORITHMS;
  if (typeof header.alg !== 'string' || !(accepted as readonly string[]).includes(header.alg))
    throw new JwtError('algorithm', `Algorithm ${String(header.alg)} is not accepted`);
  const alg = header.alg as JwtAlgorithm;
  if (header.crit !== undefined)
    throw new JwtError('malformed', 'Critical header extensions are not supported');
  if (typeof header.kid !== 'string' || header.kid === '')
    throw new JwtError('unknown-key', 'The token names no key');
  const key = await opts.keys(header.kid);
  if (!key) throw new JwtError('unknown-key', `No key ${header.kid}`);
  if (algorithmOf(key) !== alg)
    throw new JwtError('algorithm', `Key ${header.kid} does not sign with ${alg}`);
  const data = Buffer.from(`${segments[0]}.${segments[1]}`);
  if (!signatureValid(alg, data, key, Buffer.from(segments[2]!, 'base64url')))
    throw new JwtError('signature', 'The signature does not match');

  const claims = part<Partial<AccessClaims>>(segments[1], 'payload');
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const skew = opts.clockSkew ?? 30;
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string' || claims.sub === '')
    throw new JwtError('claims', 'exp and sub are required');
  if (now >= claims.exp + skew) throw new JwtError('expired', 'The token has expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || now < claims.nbf - skew))
    throw new JwtError('not-yet-valid', 'The token is not valid yet');
  if (claims.iss !== opts.issuer) throw new JwtError('issuer', 'The token comes from another issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(opts.audience))
    throw new JwtError('audience', 'The token is meant for another audience');
  return claims as AccessClaims;
}

/** Options of a JWKS cache. */
export interface JwksCacheOptions {
  /** Fetches the current key set (e.g. GET /.well-known/jwks.json of the user function). */
  fetchKeys(): Promise<{ keys: PublicJwk[] }>;
  /** Least time between two fetches, so forged kids cannot make us hammer the issuer (default 30 s). */
  minRefreshMs?: number;
  /** Refetch after this long even when every kid is known (default 10 min). */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Public keys by kid, fetched once and then only when a token names a kid we do not know (a key
 * rotation) or when they are old; never per request.
 */
export function jwksCache(opts: JwksCacheOptions): KeyResolver & { refresh(): Promise<void> } {
  const now = opts.now ?? Date.now;
  const minRefresh = opts.minRefreshMs ?? 30_000;
  const maxAge = opts.maxAgeMs ?? 600_000;
  let keys = new Map<string, KeyObject>();
  let fetchedAt = -Infinity;
  let inflight: Promise<void> | undefined;

  const refresh = (): Promise<void> =>
    (inflight ??= opts
      .fetchKeys()
      .then((set) => {
        const next = new Map<string, KeyObject>();
        for (const jwk of set.keys) {
          try {
            const key = createPublicKey({ key: jwk, format: 'jwk' });
            if (algorithmOf(key) && (!jwk.alg || jwk.alg === algorithmOf(key))) next.set(jwk.kid, key);
          } catch {
            // a key we cannot use is skipped, not fatal
          }
        }
        keys = next;
        fetchedAt = now();
      })
      .finally(() => (inflight = undefined)));

  const resolve = async (kid: string) => {
    const age = now() - fetchedAt;
    if (age >= maxAge || (!keys.has(kid) && age >= minRefresh)) await refresh();
    return keys.get(kid);
  };
  return Object.assign(resolve, { refresh });
}

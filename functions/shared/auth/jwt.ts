/**
 * Asymmetric JWTs (EdDSA with Ed25519, ES256 with P-256) on node:crypto: signing for the user
 * function, verification for every function. Verification trusts nothing in the token before the
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
export type JwtAlgorithm = 'EdDSA' | 'ES256';

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
  return undefined;
}

/** Signs claims with a private key (PKCS#8 PEM or KeyObject); the algorithm follows the key. */
export function signJwt(claims: AccessClaims, privateKey: KeyObject | string, kid: string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const alg = algorithmOf(key);
  if (!alg) throw new Error('Only Ed25519 and P-256 keys sign Tươi tokens');
  const head = b64url(JSON.stringify({ alg, typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const data = Buffer.from(`${head}.${body}`);
  const signature =
    alg === 'EdDSA' ? sign(null, data, key) : sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64url(signature)}`;
}

/** The public JWK of a key pair, with its kid and algorithm (what the JWKS publishes). */
export function publicJwk(key: KeyObject | string, kid: string): PublicJwk {
  const pub =
    typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  const alg = algorithmOf(pub);
  if (!alg) throw new Error('Only Ed25519 and P-256 keys sign Tươi tokens');
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
  if (header.alg !== 'EdDSA' && header.alg !== 'ES256')
    throw new JwtError('algorithm', `Algorithm ${String(header.alg)} is not accepted`);
  if (header.crit !== undefined)
    throw new JwtError('malformed', 'Critical header extensions are not supported');
  if (typeof header.kid !== 'string' || header.kid === '')
    throw new JwtError('unknown-key', 'The token names no key');
  const key = await opts.keys(header.kid);
  if (!key) throw new JwtError('unknown-key', `No key ${header.kid}`);
  if (algorithmOf(key) !== header.alg)
    throw new JwtError('algorithm', `Key ${header.kid} does not sign with ${header.alg}`);
  const data = Buffer.from(`${segments[0]}.${segments[1]}`);
  const signature = Buffer.from(segments[2]!, 'base64url');
  const valid =
    header.alg === 'EdDSA'
      ? verify(null, data, key, signature)
      : signature.length === 64 && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!valid) throw new JwtError('signature', 'The signature does not match');

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

/**
 * The shared verifier every function uses: checks access tokens locally against a cached JWKS
 * (never a call to the user function per request), remembers tokens it already verified until they
 * expire, and turns them into a Principal that routes check for scopes and ownership.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { UnauthorizedError, toProblem } from '../errors';
import type { HttpRequest, HttpResponse, Route } from '../http';
import { rememberVerified, type TokenCheck } from './token-memory';
import { ConfigError, optional, str, type VarReader } from '../config';
import { jwksCache, verifyJwt, JwtError, type AccessClaims, type KeyResolver, type PublicJwk } from './jwt';
import { requireScope, ROLES, type Principal, type Scope, type TuoiClaims } from './principal';

// Callers may keep importing the principal vocabulary from here.
export {
  hasScope,
  requireOwnerOr,
  requireScope,
  ROLE_SCOPES,
  ROLES,
  SCOPES,
  type Principal,
  type Role,
  type Scope,
  type TuoiClaims,
} from './principal';

/** A JSON Web Key Set given inline as JSON (tests, air-gapped tools), instead of a URL. */
export const inlineJwks: VarReader<{ keys: PublicJwk[] } | undefined> = {
  read(raw) {
    if (!raw) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error('must be a JSON Web Key Set');
    }
    if (!Array.isArray((parsed as { keys?: unknown }).keys)) throw new Error('must have a "keys" array');
    return parsed as { keys: PublicJwk[] };
  },
};

/** Configuration every verifying function reads. */
export const authConfigSpec = {
  /** `iss` of access tokens (the user function's issuer). */
  AUTH_ISSUER: str('https://auth.tuoi.vn'),
  /** `aud` every Tươi function expects. */
  AUTH_AUDIENCE: str('tuoi-api'),
  /** Where the JWKS lives (the user function's /.well-known/jwks.json). */
  AUTH_JWKS_URL: optional(),
  /** The JWKS inline as JSON, instead of a URL (tests, air-gapped tools). */
  AUTH_JWKS: inlineJwks,
};

/** Parsed auth configuration. */
export interface AuthConfig {
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_JWKS_URL?: string;
  AUTH_JWKS?: { keys: PublicJwk[] };
}

/** Authenticates requests. */
export interface Verifier {
  /** The caller, or UnauthorizedError when the token is missing or not valid. */
  authenticate(headers: Record<string, string | undefined>): Promise<Principal>;
  /** The caller when a token is sent, undefined without one; a bad token is still a 401. */
  optional(headers: Record<string, string | undefined>): Promise<Principal | undefined>;
}

/** The bearer token of an Authorization header, or undefined when there is none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization ?? '');
  return match?.[1];
}

function principalOf(claims: AccessClaims): Principal {
  const c = claims as Partial<TuoiClaims>;
  const scopes = new Set(typeof c.scope === 'string' ? c.scope.split(' ').filter(Boolean) : []);
  if (c.typ === 'service') return { sub: claims.sub, kind: 'service', scopes, claims };
  const role = (ROLES as readonly unknown[]).includes(c.role) ? c.role : undefined;
  if (!role) throw new JwtError('claims', 'A user token names its role');
  return {
    sub: claims.sub,
    kind: 'user',
    role,
    scopes,
    sid: typeof c.sid === 'string' ? c.sid : undefined,
    claims,
  };
}

/** Options of {@link createVerifier}. */
export interface VerifierOptions {
  keys: KeyResolver;
  issuer: string;
  audience: string;
  /** Tokens remembered after a successful check (0 turns the memory off). Default 50,000. */
  cacheEntries?: number;
  /** Seconds since the epoch (tests). */
  now?: () => number;
}

function memoryFor(opts: VerifierOptions, now: () => number): TokenCheck {
  return rememberVerified(
    (token) =>
      verifyJwt(token, { keys: opts.keys, issuer: opts.issuer, audience: opts.audience, now: now() }),
    { keys: opts.keys, capacity: opts.cacheEntries, now },
  );
}

/**
 * A verifier over a key resolver. Verified tokens are remembered until they expire (see
 * token-memory.ts), so a repeat costs a map lookup instead of a signature check.
 */
export function createVerifier(opts: VerifierOptions): Verifier & { forget(): void } {
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  let remembered = memoryFor(opts, now);
  const verify = async (token: string): Promise<Principal> => principalOf(await remembered(token));

  const check = async (token: string): Promise<Principal> => {
    try {
      return await verify(token);
    } catch (err) {
      if (err instanceof JwtError)
        throw new UnauthorizedError('The access token is not valid', { reason: err.reason });
      throw err;
    }
  };

  return {
    async authenticate(headers) {
      const token = bearerToken(headers.authorization);
      if (!token) throw new UnauthorizedError('Sign in first: send Authorization: Bearer <access token>');
      return check(token);
    },
    async optional(headers) {
      if (headers.authorization === undefined) return undefined;
      const token = bearerToken(headers.authorization);
      if (!token) throw new UnauthorizedError('Send the access token as Authorization: Bearer <token>');
      return check(token);
    },
    forget: () => void (remembered = memoryFor(opts, now)),
  };
}

/** A key resolver over a fixed key set (inline JWKS). */
export function staticKeys(set: { keys: PublicJwk[] }): KeyResolver {
  const keys = new Map<string, KeyObject>();
  for (const jwk of set.keys) keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
  return async (kid) => keys.get(kid);
}

/** A key resolver that fetches the JWKS from a URL, refreshing on unknown kids. */
export function remoteKeys(url: string): KeyResolver {
  return jwksCache({
    async fetchKeys() {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`);
      return (await res.json()) as { keys: PublicJwk[] };
    },
  });
}

/** Builds the verifier from configuration (inline JWKS wins over the URL). */
export function verifierFromConfig(config: AuthConfig): Verifier {
  let keys: KeyResolver;
  if (config.AUTH_JWKS) keys = staticKeys(config.AUTH_JWKS);
  else if (config.AUTH_JWKS_URL) keys = remoteKeys(config.AUTH_JWKS_URL);
  else throw new ConfigError(['AUTH_JWKS_URL is required (or AUTH_JWKS) so access tokens can be verified']);
  return createVerifier({ keys, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
}

/** The 401 answer with the challenge RFC 6750 asks for. */
export function unauthorizedResponse(
  err: UnauthorizedError,
  req: HttpRequest<unknown, unknown>,
): HttpResponse {
  const invalid = err.extensions.reason !== undefined;
  return {
    status: 401,
    headers: {
      'content-type': 'application/problem+json',
      'content-language': req.lang,
      'www-authenticate': invalid ? 'Bearer realm="tuoi", error="invalid_token"' : 'Bearer realm="tuoi"',
    },
    body: toProblem(err, req.lang, req.path),
  };
}

/** What a guarded route requires: any signed-in caller, or one holding a scope. */
export interface GuardRule {
  scope?: Scope;
}

/**
 * Wraps a route so the caller is authenticated (and its scope checked) before anything else runs,
 * schema validation included: an anonymous caller gets 401 and one without the scope 403, before
 * any 400 about the body.
 */
export function guarded(verifier: Verifier, rule: GuardRule, r: Route): Route {
  return {
    ...r,
    auth: { ...r.auth, required: true, scope: rule.scope },
    async guard(req) {
      let principal: Principal;
      try {
        principal = await verifier.authenticate(req.headers);
      } catch (err) {
        if (err instanceof UnauthorizedError) return { response: unauthorizedResponse(err, req) };
        throw err;
      }
      if (rule.scope) requireScope(principal, rule.scope);
      return { principal };
    },
  };
}

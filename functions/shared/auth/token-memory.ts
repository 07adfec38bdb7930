/**
 * A memory of tokens that verified. A signature check costs ~150 µs of CPU here, and the same
 * token comes back many times (an access token for its 15 minutes, a broker's delivery token for
 * up to an hour), so a verified token is remembered, keyed by its exact text, until it expires:
 * later checks cost a map lookup. An entry is dropped when its key leaves the key set. Failures
 * are never remembered.
 */
import type { AccessClaims, KeyResolver } from './jwt';

/** Verifies a token's text, returning its claims or throwing. */
export type TokenCheck = (token: string) => Promise<AccessClaims>;

/** Wraps `verify` with the memory; `skew` seconds are tolerated past `exp`, as verification does. */
export function rememberVerified(
  verify: TokenCheck,
  opts: { keys: KeyResolver; capacity?: number; skew?: number; now?: () => number },
): TokenCheck {
  const capacity = opts.capacity ?? 50_000;
  const skew = opts.skew ?? 30;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const memory = new Map<string, { claims: AccessClaims; kid: string }>();
  return async (token) => {
    const hit = memory.get(token);
    if (hit) {
      if (now() < hit.claims.exp + skew && (await opts.keys(hit.kid))) return hit.claims;
      memory.delete(token);
    }
    const claims = await verify(token);
    if (capacity > 0) {
      if (memory.size >= capacity) memory.delete(memory.keys().next().value as string);
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
      memory.set(token, { claims, kid: header.kid });
    }
    return claims;
  };
}

/**
 * Whether a user's session is still live, for sensitive writes in functions that cannot read the
 * users schema (checkout, payments). Access tokens stay valid for their 15 minutes after a logout
 * or a suspension; a route that moves money asks the user function (RFC 7662 introspection) first.
 *
 * A port with one operation, an HTTP adapter with a short cache, and a guard for routes. It fails
 * closed: when the user function cannot answer, the write is refused with 503, never let through.
 */
import { TransientError, UnauthorizedError } from '../errors';
import type { Principal } from './principal';
import { bearerToken } from './verifier';

/** Asks whether the session behind a verified access token is live. */
export interface SessionCheck {
  /** True when live; service clients have no session and are live while their token is valid. */
  isLive(principal: Principal, token: string): Promise<boolean>;
}

/** Options of {@link introspectionSessionCheck}. */
export interface IntrospectionOptions {
  /** The user function's `POST /auth/introspect`. */
  url: string;
  /** A client-credentials token holding `users:introspect` (see `clientTokens`). */
  credentials: () => Promise<string>;
  /** How long an answer is reused, in ms (default 5,000: a revocation takes effect within it). */
  cacheMs?: number;
  /** Answers remembered at most (default 10,000). */
  cacheEntries?: number;
  /** Epoch ms (tests). */
  now?: () => number;
}

/** A SessionCheck over RFC 7662 introspection, remembering answers for `cacheMs`. */
export function introspectionSessionCheck(opts: IntrospectionOptions): SessionCheck {
  const now = opts.now ?? Date.now;
  const cacheMs = opts.cacheMs ?? 5_000;
  const capacity = opts.cacheEntries ?? 10_000;
  const memory = new Map<string, { live: boolean; until: number }>();

  const ask = async (token: string): Promise<boolean> => {
    let res: Response;
    try {
      res = await fetch(opts.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await opts.credentials()}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(3_000),
      });
    } catch (err) {
      throw new TransientError('The session check is unavailable', {}, { cause: err });
    }
    if (!res.ok) {
      await res.arrayBuffer();
      throw new TransientError(`The session check answered ${res.status}`);
    }
    return ((await res.json()) as { active?: unknown }).active === true;
  };

  return {
    async isLive(principal, token) {
      if (principal.kind !== 'user') return true;
      const hit = memory.get(token);
      if (hit && now() < hit.until) return hit.live;
      const live = await ask(token);
      if (cacheMs > 0) {
        memory.delete(token);
        if (memory.size >= capacity) memory.delete(memory.keys().next().value as string);
        memory.set(token, { live, until: now() + cacheMs });
      }
      return live;
    },
  };
}

/** Throws a 401 (`reason: session-ended`) unless the caller's session is live. */
export async function requireLiveSession(
  check: SessionCheck,
  principal: Principal,
  headers: Record<string, string | undefined>,
): Promise<void> {
  const token = bearerToken(headers.authorization);
  if (!token || !(await check.isLive(principal, token)))
    throw new UnauthorizedError('This session has ended (signed out, replaced or suspended); sign in again', {
      reason: 'session-ended',
    });
}

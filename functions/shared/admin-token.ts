/**
 * The interim staff credential: a shared bearer token per function (`Authorization: Bearer <token>`),
 * compared in constant time. It stands in until user tokens with roles exist; routes that need it
 * are wrapped with `staffOnly`, so a missing or wrong token answers 401 with `WWW-Authenticate`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError, toProblem } from './errors';
import type { HttpRequest, HttpResponse, Route } from './http';

/** Shortest token accepted in configuration (shorter ones are guessable). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The bearer token of an Authorization header, or undefined when there is none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** A checker bound to the expected token. */
export interface AdminTokenCheck {
  /** True when the request carries the expected token. */
  isAdmin(headers: Record<string, string | undefined>): boolean;
  /** Throws UnauthorizedError unless the request carries the expected token. */
  require(headers: Record<string, string | undefined>): void;
}

/**
 * Binds the expected token. Both sides are hashed before `timingSafeEqual`, so neither the
 * content nor the length of the expected token leaks through timing.
 */
export function adminTokenCheck(expected: string): AdminTokenCheck {
  if (expected.length < MIN_ADMIN_TOKEN_LENGTH)
    throw new Error(`The admin token must have at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  const want = digest(expected);
  const isAdmin = (headers: Record<string, string | undefined>) => {
    const given = bearerToken(headers.authorization);
    return given !== undefined && timingSafeEqual(digest(given), want);
  };
  return {
    isAdmin,
    require(headers) {
      if (headers.authorization === undefined)
        throw new UnauthorizedError('This needs the staff token: Authorization: Bearer <token>');
      if (!isAdmin(headers)) throw new UnauthorizedError('The staff token is not valid');
    },
  };
}

/** The 401 answer, with the challenge header RFC 9110 asks for. */
export function unauthorizedResponse(
  err: UnauthorizedError,
  req: HttpRequest<unknown, unknown>,
): HttpResponse {
  return {
    status: 401,
    headers: {
      'content-type': 'application/problem+json',
      'www-authenticate': 'Bearer realm="tuoi-staff"',
    },
    body: toProblem(err, req.lang, req.path),
  };
}

/**
 * Wraps a route so the token is checked before anything else (declare no `body`/`query` schema on
 * it: the pipeline would validate those first and answer 400 to an unauthenticated caller).
 */
export function staffOnly(check: AdminTokenCheck, r: Route): Route {
  return {
    ...r,
    async handle(req) {
      try {
        check.require(req.headers);
      } catch (err) {
        if (err instanceof UnauthorizedError) return unauthorizedResponse(err, req);
        throw err;
      }
      return r.handle(req);
    },
  };
}

/**
 * Token introspection (RFC 7662) for functions that cannot read the users schema (checkout,
 * payments): is this access token valid now, and is the session behind it still live? Callers
 * authenticate with a client-credentials token holding `users:introspect`; the answer is
 * `{ "active": false }` for anything not both valid and live, so it never says why.
 */
import { Type } from '@sinclair/typebox';
import type { TuoiClaims } from '../shared/auth/principal';
import { guarded } from '../shared/auth/verifier';
import { UnauthorizedError, ValidationError } from '../shared/errors';
import { parseJsonBody, type HttpRequest, type Route } from '../shared/http';
import { validate } from '../shared/validate';
import type { SessionGate } from './ports';
import { IntrospectionView } from './views';

/** The request: the token, and optionally what kind it is (only access tokens are introspected). */
export const IntrospectBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 4096 }),
    token_type_hint: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** The body as RFC 7662 sends it (a form) or as the rest of the API does (JSON). */
function introspectBody(req: HttpRequest<unknown, unknown>) {
  if (!FORM.test(req.headers['content-type'] ?? ''))
    return validate(IntrospectBody, parseJsonBody(req.headers, req.rawBody));
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(req.rawBody.toString('utf8'))) {
    if (key in form)
      throw new ValidationError(`"${key}" is given twice`, [
        { field: `/${key}`, code: 'duplicate', message: 'Send each parameter once' },
      ]);
    form[key] = value;
  }
  return validate(IntrospectBody, form);
}

const INACTIVE = { status: 200, headers: { 'cache-control': 'no-store' }, body: { active: false } };

/** `POST /auth/introspect`. */
export function introspectRoutes(deps: SessionGate): Route[] {
  return [
    guarded(
      deps.verifier,
      { scope: 'users:introspect' },
      {
        method: 'POST',
        path: '/auth/introspect',
        doc: {
          summary: 'Whether an access token is valid and its session live (RFC 7662 introspection)',
          description:
            'For service clients holding `users:introspect`, authenticated with their own bearer ' +
            'token (not HTTP Basic). The body is a form (`application/x-www-form-urlencoded`, as RFC ' +
            '7662 §2.1 sends it; each parameter once) or JSON with the same fields. Anything but an ' +
            'access token that verifies now and whose session is live (for a user: not signed out, ' +
            'replaced or suspended) is `{ "active": false }`, without saying why.',
          requestBody: {
            contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
            description:
              '`token`: the access token to introspect; `token_type_hint`: optional and ignored ' +
              '(only access tokens are introspected). No other parameter is accepted.',
            schema: IntrospectBody,
            required: true,
          },
          responses: {
            200: {
              description: 'The token is active with its claims, or `{ "active": false }`',
              headers: { 'cache-control': '`no-store`' },
              body: IntrospectionView,
            },
          },
        },
        async handle(req) {
          const { token } = introspectBody(req);
          let principal;
          try {
            principal = await deps.verifier.authenticate({ authorization: `Bearer ${token}` });
          } catch (err) {
            if (err instanceof UnauthorizedError) return INACTIVE;
            throw err;
          }
          if (
            principal.kind === 'user' &&
            !(principal.sid && (await deps.sessions.live(deps.db, principal.sid, principal.sub, deps.now())))
          )
            return INACTIVE;
          const c = principal.claims as TuoiClaims;
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: {
              active: true,
              token_type: 'Bearer',
              sub: c.sub,
              scope: c.scope ?? '',
              iss: c.iss,
              aud: c.aud,
              exp: c.exp,
              ...(c.iat !== undefined ? { iat: c.iat } : {}),
              ...(typeof c.jti === 'string' ? { jti: c.jti } : {}),
              ...(principal.kind === 'service'
                ? { client_id: c.sub.replace(/^client:/, '') }
                : { sid: principal.sid, role: principal.role }),
            },
          };
        },
      },
    ),
  ];
}

/**
 * Service identities: the client-credentials grant (`POST /auth/token`) other functions and ops
 * tools use to call Tươi APIs as themselves, and the JWKS every verifier reads.
 */
import { TooManyRequestsError, UnauthorizedError, ValidationError } from '../shared/errors';
import { route, type Route } from '../shared/http';
import { enforce } from '../shared/rate-limit';
import { callerIp, WAIT } from './auth-edge';
import { grantScopes } from './domain';
import type { ClientReader, Minter, PasswordHasher, PublicKeys, Reads, SignInGuard, Throttle } from './ports';
import { ClientTokenBody } from './schemas';
import { AccessTokenView, JwksView } from './views';

/** What the service-token routes use. */
export interface ServiceTokenDeps extends Reads, Throttle {
  clients: ClientReader;
  hasher: Pick<PasswordHasher, 'verify' | 'verifyNothing'>;
  signInGuard: SignInGuard;
  mint: Pick<Minter, 'forClient'>;
  ring: PublicKeys;
}

/** `POST /auth/token`, `GET /.well-known/jwks.json`. */
export function serviceTokenRoutes(deps: ServiceTokenDeps): Route[] {
  return [
    route({
      method: 'POST',
      path: '/auth/token',
      body: ClientTokenBody,
      doc: {
        summary: 'Get an access token for a service client (OAuth 2.0 client credentials)',
        description:
          'The client-credentials grant of RFC 6749 §4.4, with its parameters in a JSON body: ' +
          '`application/x-www-form-urlencoded` and HTTP Basic client authentication are not ' +
          'accepted (a form is a 415). `grant_type` must be `client_credentials`; `scope` is ' +
          'space-separated and defaults to every scope the client holds, and asking for one it ' +
          'does not hold is a 400 on `/scope` (code `invalid_scope`). A wrong id or secret, or a ' +
          'disabled client, is a 401 with `error: invalid_client`; repeated failures from one ' +
          'address wait (429 with `retry-after`). Errors are problem+json, not the RFC 6749 §5.2 ' +
          'error body.',
        responses: {
          200: {
            description: 'A 15-minute access token; no refresh token (ask again)',
            headers: { 'cache-control': '`no-store`' },
            body: AccessTokenView,
          },
        },
        problems: [401],
      },
      async handle(req) {
        const body = req.body;
        const ip = callerIp(deps, req);
        await enforce(deps.limiter, [{ rule: deps.limits.login_ip, key: ip }]);
        // Failures per (client id, address) only: a secret is 256 random bits, so no per-client
        // bound is needed against guessing, and one would let a stranger lock checkout out.
        const guardKey = `client:${body.client_id}`;
        const from = { key: `ip:${ip}`, trusted: true };
        const admission = await deps.signInGuard.admit(guardKey, from);
        if (!admission.admitted)
          throw new TooManyRequestsError(WAIT[admission.reason], admission.retryAfterSeconds);
        const client = await deps.clients.byId(deps.db, body.client_id);
        if (!client) await deps.hasher.verifyNothing(body.client_secret);
        const ok = client && (await deps.hasher.verify(client.secret_hash, body.client_secret)).ok;
        if (ok) await deps.signInGuard.succeeded(guardKey, from.key);
        if (!client || !ok || client.status !== 'active')
          throw new UnauthorizedError('The client id or secret is not right', { error: 'invalid_client' });
        const grant = grantScopes(client.scopes, body.scope);
        if (grant.kind === 'refused')
          throw new ValidationError(`The client may not have ${grant.refused.join(', ')}`, [
            { field: '/scope', code: 'invalid_scope', message: `Not granted: ${grant.refused.join(' ')}` },
          ]);
        return {
          status: 200,
          headers: { 'cache-control': 'no-store' },
          body: await deps.mint.forClient(client.id, grant.scopes),
        };
      },
    }),

    route({
      method: 'GET',
      path: '/.well-known/jwks.json',
      doc: {
        summary: 'The public keys access tokens are signed with (JWKS)',
        description:
          'Every key a valid token may name in its `kid`: the current one, one published before it ' +
          'signs, and superseded ones until their last tokens expire. Verifiers refetch on an ' +
          'unknown `kid`.',
        responses: {
          200: {
            description: 'A JSON Web Key Set (RFC 7517)',
            headers: { 'cache-control': '`public, max-age=30`' },
            body: JwksView,
          },
        },
      },
      async handle() {
        return {
          status: 200,
          // Short: verifiers also refetch on an unknown kid, and a new key is published before it signs.
          headers: { 'cache-control': 'public, max-age=30' },
          body: await deps.ring.jwks(),
        };
      },
    }),
  ];
}

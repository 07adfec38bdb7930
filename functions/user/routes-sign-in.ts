/**
 * Sessions: sign in with a password, refresh (rotating the refresh token), sign out.
 *
 * No account enumeration: an unknown identifier is counted and delayed by the sign-in guard like a
 * known one, and costs the same argon2 verification (against a decoy).
 */
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../shared/errors';
import { route, type Route } from '../shared/http';
import { createLogger } from '../shared/log';
import { enforce } from '../shared/rate-limit';
import { callerIp, identifierOrThrow, WAIT, WRONG_CREDENTIALS } from './auth-edge';
import { tokenPair } from './credentials';
import type {
  AccountStore,
  Clock,
  DeviceTokens,
  Minter,
  PasswordHasher,
  Reads,
  SessionStore,
  SignInGuard,
  Throttle,
  Writes,
} from './ports';
import { LoginBody, RefreshBody } from './schemas';
import { SignInView, TokenPairView } from './views';

const log = createLogger('user');

/** What the session routes use. */
export interface SignInDeps extends Reads, Writes, Clock, Throttle {
  accounts: Pick<AccountStore, 'byIdentifier' | 'byId' | 'setPassword'>;
  sessions: Pick<SessionStore, 'start' | 'rotate' | 'find' | 'revoke'>;
  hasher: PasswordHasher;
  mint: Minter;
  signInGuard: SignInGuard;
  devices: DeviceTokens;
}

/** `POST /auth/login`, `POST /auth/refresh`, `POST /auth/logout`. */
export function signInRoutes(deps: SignInDeps): Route[] {
  const { limits, limiter, accounts, sessions, hasher, work, db } = deps;
  return [
    route({
      method: 'POST',
      path: '/auth/login',
      body: LoginBody,
      doc: {
        summary: 'Sign in with an email or phone number and a password',
        description:
          'A JSON body (not a form). The same 401 for an unknown identifier and a wrong password. ' +
          'Failures are counted per identifier: after a few from one client, or many from anywhere, ' +
          'further attempts wait (429 with `retry-after`); sending the `device_token` an earlier ' +
          'sign-in answered marks this device as known. A suspended account is a 403 once the ' +
          'password is right. The answer is `cache-control: no-store`.',
        responses: {
          200: {
            description: 'Signed in: a 15-minute access token, a refresh token and a device token',
            headers: { 'cache-control': '`no-store`' },
            body: SignInView,
          },
        },
        problems: [401, 403],
      },
      async handle(req) {
        const id = identifierOrThrow(req.body.identifier);
        const ip = callerIp(deps, req);
        await enforce(limiter, [{ rule: limits.login_ip, key: ip }]);
        // The guard knows identifiers only, never whether an account exists: unknown ones are
        // counted and delayed exactly like known ones.
        const device =
          req.body.device_token && deps.devices.verify(req.body.device_token, id.value, deps.now());
        const client = device ? { key: `d:${device}`, trusted: true } : { key: `ip:${ip}`, trusted: false };
        const admission = await deps.signInGuard.admit(id.value, client);
        if (!admission.admitted)
          throw new TooManyRequestsError(WAIT[admission.reason], admission.retryAfterSeconds);
        const account = await accounts.byIdentifier(db, id.channel, id.value);
        if (!account) {
          await hasher.verifyNothing(req.body.password);
          throw new UnauthorizedError(WRONG_CREDENTIALS);
        }
        const { ok, rehash } = await hasher.verify(account.password_hash, req.body.password);
        if (!ok) throw new UnauthorizedError(WRONG_CREDENTIALS);
        await deps.signInGuard.succeeded(id.value, client.key);
        if (account.status !== 'active')
          throw new ForbiddenError('This account is suspended; contact support', { reason: 'suspended' });
        const newHash = rehash ? await hasher.hash(req.body.password) : undefined;
        const refresh = await work(async ({ tx }) => {
          if (newHash) await accounts.setPassword(tx, account.id, newHash);
          return sessions.start(tx, account.id, deps.now(), req.headers['user-agent']);
        });
        const body = {
          ...(await tokenPair(deps, account, refresh)),
          device_token: deps.devices.issue(id.value, deps.now(), device || undefined),
        };
        return { status: 200, headers: { 'cache-control': 'no-store' }, body };
      },
    }),

    route({
      method: 'POST',
      path: '/auth/refresh',
      body: RefreshBody,
      doc: {
        summary: 'Trade a refresh token for a new access token and refresh token',
        description:
          'A JSON body (not a form). Refresh tokens rotate: each is good once, and presenting one ' +
          'again revokes its whole session (401 with `reason: reused`), unless within a few seconds ' +
          'of its use (`USERS_REFRESH_REUSE_GRACE_SECONDS`, 10 by default), when concurrent ' +
          'refreshes of one client each get a new pair. An unknown, expired or revoked token, or ' +
          'one of a suspended account, is a 401.',
        responses: {
          200: {
            description: 'A new token pair; the refresh token sent is spent',
            headers: { 'cache-control': '`no-store`' },
            body: TokenPairView,
          },
        },
        problems: [401],
      },
      async handle(req) {
        const token = req.body.refresh_token;
        const owner = (await sessions.find(db, token))?.userId;
        await enforce(limiter, [
          { rule: limits.refresh_ip, key: callerIp(deps, req) },
          ...(owner ? [{ rule: limits.refresh_account, key: owner }] : []),
        ]);
        // A reused token's session is revoked in this transaction: the outcome commits either way.
        const { result, account } = await work(async ({ tx }) => {
          const result = await sessions.rotate(tx, token, deps.now());
          if (result.kind !== 'rotated') return { result };
          return { result, account: await accounts.byId(tx, result.userId) };
        });
        if (result.kind === 'reused') {
          log.warn('refresh token reused; its session is revoked', {
            userId: result.userId,
            sessionId: result.sessionId,
          });
          throw new UnauthorizedError('This refresh token was already used; sign in again', {
            reason: 'reused',
          });
        }
        if (result.kind !== 'rotated' || !account)
          throw new UnauthorizedError('The refresh token is not valid; sign in again');
        const body = await tokenPair(deps, account, result.issued);
        return { status: 200, headers: { 'cache-control': 'no-store' }, body };
      },
    }),

    route({
      method: 'POST',
      path: '/auth/logout',
      body: RefreshBody,
      doc: {
        summary: 'Sign out: end the session of a refresh token',
        description:
          'Revokes the session the refresh token belongs to (its access tokens stay valid until they ' +
          'expire, but sensitive routes refuse them at once). Answers 204 for any well-formed token, ' +
          'known or not.',
        responses: { 204: { description: 'The session, if any, has ended', empty: true } },
      },
      async handle(req) {
        await work(async ({ tx }) => {
          const found = await sessions.find(tx, req.body.refresh_token);
          if (found) await sessions.revoke(tx, found.sessionId, 'logout', deps.now());
        });
        return { status: 204 };
      },
    }),
  ];
}

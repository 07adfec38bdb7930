/**
 * Passwords: forgot (send a reset link or code), reset with it, and change while signed in.
 *
 * No account enumeration: forgot answers the same 202 for an unknown identifier, and writes the
 * same request-log row in the same transaction as for a known one.
 */
import type { Static } from '@sinclair/typebox';
import { userPasswordResetRequested } from '../../events';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { buildEvent } from '../shared/eventing/outbox';
import { route, type Route } from '../shared/http';
import { enforce } from '../shared/rate-limit';
import { accepted, callerIp, checkPassword, identifierOrThrow, invalidSecret, proofOf } from './auth-edge';
import { issueSecret, spendSecret } from './credentials';
import type {
  AccountStore,
  Clock,
  PasswordHasher,
  Reads,
  SecretStore,
  SessionGate,
  SessionStore,
  Throttle,
  Writes,
} from './ports';
import { ChangePasswordBody, ForgotBody, ResetBody } from './schemas';
import { sensitive } from './sensitive';
import { AcceptedView } from './views';

/** What the password routes use. */
export interface PasswordDeps extends Reads, Writes, Clock, Throttle, SessionGate {
  accounts: Pick<AccountStore, 'byIdentifier' | 'byId' | 'setPassword' | 'markVerified'>;
  secrets: Pick<SecretStore, 'issue' | 'spendLink' | 'spendCode' | 'recordResetRequest'>;
  sessions: Pick<SessionStore, 'live' | 'revokeAll'>;
  hasher: Pick<PasswordHasher, 'hash' | 'verify'>;
}

/** `POST /auth/password/forgot`, `POST /auth/password/reset`, `POST /auth/password`. */
export function passwordRoutes(deps: PasswordDeps): Route[] {
  const { limits, limiter, accounts, sessions, work } = deps;
  return [
    route({
      method: 'POST',
      path: '/auth/password/forgot',
      body: ForgotBody,
      doc: {
        summary: 'Ask for a password reset link (email) or code (phone)',
        description:
          'The same 202 whether or not an active account uses the identifier; only an active one ' +
          'is sent a secret. Rate-limited per caller address and per identifier.',
        responses: {
          202: { description: 'Accepted; a link or code went out if an account uses it', body: AcceptedView },
        },
      },
      async handle(req) {
        const id = identifierOrThrow(req.body.identifier);
        const ip = callerIp(deps, req);
        await enforce(limiter, [
          { rule: limits.reset_ip, key: ip },
          { rule: limits.reset_account, key: id.value },
        ]);
        await work(async ({ tx, emit }) => {
          const account = await accounts.byIdentifier(tx, id.channel, id.value);
          const active = account?.status === 'active' ? account : undefined;
          // Both paths write: the request log row for everyone, the secret and event for accounts.
          await deps.secrets.recordResetRequest(tx, { identifier: id.value, userId: active?.id, ip });
          if (!active) return;
          const target = {
            userId: active.id,
            purpose: 'reset',
            channel: id.channel,
            target: id.value,
          } as const;
          emit(
            buildEvent(userPasswordResetRequested, {
              user_id: active.id,
              channel: id.channel,
              to: id.value,
              lang: active.lang,
              reset: await issueSecret(deps, tx, target),
            }),
          );
        });
        return accepted(req, 'forgot');
      },
    }),

    route({
      method: 'POST',
      path: '/auth/password/reset',
      body: ResetBody,
      doc: {
        summary: 'Set a new password with a reset link token or a texted code',
        description:
          'Send the link `token` of an email, or the `phone` and its `code`, with the new `password` ' +
          '(the policy is checked first: a 400 on `/password`). An unknown, used or expired secret ' +
          'is a 400 on `/token` or `/code`. Every session of the account ends; the channel the ' +
          'secret reached counts as verified.',
        responses: { 204: { description: 'The password is changed; sign in again', empty: true } },
      },
      async handle(req) {
        const body = req.body as { token?: string; phone?: string; code?: string; password: string };
        checkPassword(body.password, '/password');
        const proof = proofOf(body);
        if ('phone' in proof) await enforce(limiter, [{ rule: limits.reset_account, key: proof.phone }]);
        const passwordHash = await deps.hasher.hash(body.password);
        // A wrong code is an outcome, not an error: its attempt counter is committed.
        const spent = await work(async ({ tx }) => {
          const spent = await spendSecret(deps, tx, 'reset', proof);
          if (spent.kind !== 'spent') return spent;
          await accounts.setPassword(tx, spent.userId, passwordHash);
          // The secret reached its owner through this channel: that proves the channel too.
          await accounts.markVerified(tx, spent.userId, spent.channel, spent.target, deps.now());
          await sessions.revokeAll(tx, spent.userId, 'password-reset', deps.now());
          return spent;
        });
        if (spent.kind !== 'spent') throw invalidSecret(proof);
        return { status: 204 };
      },
    }),

    sensitive(
      deps,
      {},
      route({
        method: 'POST',
        path: '/auth/password',
        body: ChangePasswordBody,
        doc: {
          summary: 'Change the password, knowing the current one',
          description:
            'For signed-in users (a service client is a 403). A wrong `current_password` is a 400 on ' +
            "that field, a new one breaking the policy a 400 on `/new_password`. The user's other " +
            'sessions end; this one stays. Rate-limited per account.',
          responses: { 204: { description: 'The password is changed', empty: true } },
          problems: [404],
        },
        async handle(req) {
          const body = req.body as Static<typeof ChangePasswordBody>;
          const me = req.auth!;
          if (me.kind !== 'user') throw new ForbiddenError('Service clients have no password');
          await enforce(limiter, [{ rule: limits.login_account, key: me.sub }]);
          const account = await accounts.byId(deps.db, me.sub);
          if (!account) throw new NotFoundError('The account no longer exists');
          const { ok } = await deps.hasher.verify(account.password_hash, body.current_password);
          if (!ok)
            throw new ValidationError('The current password is not right', [
              { field: '/current_password', code: 'wrong', message: 'Type your current password' },
            ]);
          checkPassword(body.new_password, '/new_password');
          const hash = await deps.hasher.hash(body.new_password);
          await work(async ({ tx }) => {
            await accounts.setPassword(tx, me.sub, hash);
            // Other devices sign in again; this session stays.
            await sessions.revokeAll(tx, me.sub, 'password-change', deps.now(), me.sid);
          });
          return { status: 204 };
        },
      }),
    ),
  ];
}

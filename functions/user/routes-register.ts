/**
 * Sign-up: register, verify an email or phone with the secret sent to it, and ask for a new one.
 *
 * No account enumeration: registering a taken identifier answers the same 202 after the same work
 * (an argon2 hash, a transaction); the owner of the identifier is told instead (user.account-exists).
 */
import { Type, type Static } from '@sinclair/typebox';
import { userAccountExists, userRegistered, userVerificationRequested, userVerified } from '../../events';
import { NotFoundError, ValidationError } from '../shared/errors';
import { buildEvent } from '../shared/eventing/outbox';
import { route, type Route } from '../shared/http';
import { enforce } from '../shared/rate-limit';
import { accepted, callerIp, checkPassword, invalidSecret, phoneOrThrow, proofOf } from './auth-edge';
import { issueSecret, spendSecret } from './credentials';
import { planResend } from './domain';
import { normalizeEmail, type Channel } from './identifiers';
import type {
  AccountStore,
  Clock,
  PasswordHasher,
  SecretStore,
  SessionGate,
  Throttle,
  Writes,
} from './ports';
import { RegisterBody, ResendBody, VerifyBody } from './schemas';
import { sensitive } from './sensitive';
import { AcceptedView } from './views';

/** What the sign-up routes use. */
export interface RegistrationDeps extends Writes, Clock, Throttle, SessionGate {
  accounts: Pick<AccountStore, 'create' | 'byIdentifier' | 'byId' | 'markVerified'>;
  secrets: Pick<SecretStore, 'issue' | 'spendLink' | 'spendCode'>;
  hasher: Pick<PasswordHasher, 'hash'>;
}

/** The identifier a registration names: exactly one of email and phone, normalized; else a 400. */
function registrationIdentifier(body: Static<typeof RegisterBody>): { channel: Channel; value: string } {
  if ((body.email === undefined) === (body.phone === undefined))
    throw new ValidationError('Register with an email address or a phone number', [
      { field: '/email', code: 'one-of', message: 'Send exactly one of email and phone' },
    ]);
  if (body.email === undefined) return { channel: 'phone', value: phoneOrThrow(body.phone as string) };
  const email = normalizeEmail(body.email);
  if (!email)
    throw new ValidationError('The email address is not valid', [
      { field: '/email', code: 'email', message: 'This is not an email address' },
    ]);
  return { channel: 'email', value: email };
}

/** `POST /auth/register`, `POST /auth/verify`, `POST /auth/verify/resend`. */
export function registrationRoutes(deps: RegistrationDeps): Route[] {
  const { limits, limiter, accounts, work } = deps;
  return [
    route({
      method: 'POST',
      path: '/auth/register',
      body: RegisterBody,
      doc: {
        summary: 'Register an account with an email address or a phone number',
        description:
          'Send exactly one of `email` and `phone` (a Vietnamese mobile number). The answer is the ' +
          'same 202 whether or not the identifier is taken: a new account gets a verification link ' +
          '(email) or code (phone), the owner of a taken one is told instead. Rate-limited per ' +
          'caller address and per identifier.',
        responses: {
          202: {
            description: 'Accepted; a message went to the email or phone if it could register',
            body: AcceptedView,
          },
        },
      },
      async handle(req) {
        const body = req.body;
        const { channel, value } = registrationIdentifier(body);
        checkPassword(body.password, '/password');
        await enforce(limiter, [
          { rule: limits.register_ip, key: callerIp(deps, req) },
          { rule: limits.register_account, key: value },
        ]);
        const lang = body.lang ?? req.lang;
        // Hash either way: a taken identifier must not answer faster.
        const passwordHash = await deps.hasher.hash(body.password);
        await work(async ({ tx, emit }) => {
          const created = await accounts.create(tx, {
            [channel]: value,
            passwordHash,
            name: body.name,
            lang,
          });
          if (created.kind === 'created') {
            const userId = created.account.id;
            const verification = await issueSecret(deps, tx, {
              userId,
              purpose: 'verify',
              channel,
              target: value,
            });
            emit(
              buildEvent(userRegistered, {
                user_id: userId,
                channel,
                to: value,
                lang,
                ...(body.name ? { name: body.name } : {}),
                verification,
              }),
            );
            return;
          }
          const existing = await accounts.byIdentifier(tx, channel, value);
          if (existing)
            emit(
              buildEvent(userAccountExists, {
                user_id: existing.id,
                channel,
                to: value,
                lang: existing.lang,
              }),
            );
        });
        return accepted(req, 'register');
      },
    }),

    route({
      method: 'POST',
      path: '/auth/verify',
      body: VerifyBody,
      doc: {
        summary: 'Verify an email address or phone number with the secret sent to it',
        description:
          'Send the link token (`token`) of an email, or the `phone` and the `code` texted to it. An ' +
          'unknown, used or expired secret is a 400 naming `/token` or `/code`; each wrong code ' +
          'counts against it.',
        responses: {
          200: {
            description: 'The channel the secret proved is now verified',
            body: Type.Object({ verified: Type.Union([Type.Literal('email'), Type.Literal('phone')]) }),
          },
        },
      },
      async handle(req) {
        const proof = proofOf(req.body as { token?: string; phone?: string; code?: string });
        // A wrong code is an outcome, not an error: its attempt counter is committed.
        const verified = await work(async ({ tx, emit }) => {
          const spent = await spendSecret(deps, tx, 'verify', proof);
          if (spent.kind !== 'spent') return undefined;
          const at = deps.now();
          if (!(await accounts.markVerified(tx, spent.userId, spent.channel, spent.target, at)))
            return undefined;
          emit(
            buildEvent(userVerified, {
              user_id: spent.userId,
              channel: spent.channel,
              verified_at: at.toISOString(),
            }),
          );
          return spent.channel;
        });
        if (!verified) throw invalidSecret(proof);
        return { status: 200, body: { verified } };
      },
    }),

    sensitive(
      deps,
      {},
      route({
        method: 'POST',
        path: '/auth/verify/resend',
        body: ResendBody,
        doc: {
          summary: "Send a new verification link or code to the caller's email or phone",
          description:
            'For a signed-in user whose `channel` is set and not verified yet (else a 400 on ' +
            '`/channel`); earlier links or codes stop working. Rate-limited per account. A service ' +
            "client's token has no account here: 404.",
          responses: { 202: { description: 'A new link or code is on its way', body: AcceptedView } },
          problems: [404],
        },
        async handle(req) {
          const { channel } = req.body as Static<typeof ResendBody>;
          const userId = req.auth!.sub;
          await enforce(limiter, [{ rule: limits.resend_account, key: userId }]);
          const plan = await work(async ({ tx, emit }) => {
            const account = await accounts.byId(tx, userId);
            if (!account) return { kind: 'gone' } as const;
            const decided = planResend(account, channel);
            if (decided.kind !== 'send') return decided;
            const target = decided.target;
            emit(
              buildEvent(userVerificationRequested, {
                user_id: account.id,
                channel,
                to: target,
                lang: account.lang,
                verification: await issueSecret(deps, tx, { userId, purpose: 'verify', channel, target }),
              }),
            );
            return decided;
          });
          switch (plan.kind) {
            case 'gone':
              throw new NotFoundError('The account no longer exists');
            case 'no-channel':
              throw new ValidationError(`The account has no ${channel}`, [
                { field: '/channel', code: 'missing', message: `No ${channel} to verify` },
              ]);
            case 'verified':
              throw new ValidationError(`The ${channel} is verified already`, [
                { field: '/channel', code: 'verified', message: 'Nothing to verify' },
              ]);
            case 'send':
              return accepted(req, 'resend');
          }
        },
      }),
    ),
  ];
}

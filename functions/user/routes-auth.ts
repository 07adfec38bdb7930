/**
 * Sign-up, sign-in and everything around credentials: register, login, refresh, logout,
 * verification, password reset and change, the client-credentials grant and the JWKS.
 *
 * No account enumeration: register, login and forgot answer the same for an unknown identifier as
 * for a known one, and do the same work (an argon2 verification against a decoy, a transaction).
 */
import type { Static } from '@sinclair/typebox';
import {
  userAccountExists,
  userPasswordResetRequested,
  userRegistered,
  userVerificationRequested,
  userVerified,
  type TuoiCloudEvent,
} from '../../events';
import { withTransaction, type Tx } from '../shared/db';
import {
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
  type Bilingual,
} from '../shared/errors';
import { buildEvent, emit } from '../shared/eventing/outbox';
import { route, type HttpRequest, type HttpResponse, type Route } from '../shared/http';
import { createLogger } from '../shared/log';
import { clientIp, enforce } from '../shared/rate-limit';
import { createHash } from 'node:crypto';
import type { UserDeps } from './deps';
import { normalizeEmail, normalizePhone, parseIdentifier, type Channel } from './identifiers';
import { passwordProblem } from './passwords';
import {
  ChangePasswordBody,
  ClientTokenBody,
  ForgotBody,
  LoginBody,
  RefreshBody,
  RegisterBody,
  ResendBody,
  ResetBody,
  VerifyBody,
} from './schemas';
import type { Purpose } from './sessions';
import { sensitive } from './sensitive';
import type { Account } from './store';

const log = createLogger('user');
const digest = (v: string) => createHash('sha256').update(v).digest();

const ACCEPTED: Record<string, Bilingual> = {
  register: {
    en: 'If this email or phone can be registered, we have sent a message to it. Follow it to finish.',
    vi: 'Nếu email hoặc số điện thoại này có thể đăng ký, chúng tôi đã gửi tin nhắn đến đó. Hãy làm theo hướng dẫn để hoàn tất.',
  },
  forgot: {
    en: 'If an account uses this email or phone, we have sent it a link or code to reset the password.',
    vi: 'Nếu có tài khoản dùng email hoặc số điện thoại này, chúng tôi đã gửi liên kết hoặc mã để đặt lại mật khẩu.',
  },
  resend: {
    en: 'We have sent a new verification link or code.',
    vi: 'Chúng tôi đã gửi liên kết hoặc mã xác minh mới.',
  },
};

const WRONG_CREDENTIALS = 'The email, phone number or password is not right';

/** Why a sign-in waits (the detail of the 429; its title is bilingual like every problem). */
const WAIT: Record<'client' | 'account' | 'busy', string> = {
  client: 'Too many wrong passwords for this account from here; wait, or reset the password',
  account:
    'This account had many wrong passwords lately, so sign-in attempts are spaced out; wait, sign in on a device you used before, or reset the password',
  busy: 'Too many sign-in attempts for this account at once; try again in a moment',
};

/** Throws a 400 naming the field when a password breaks the policy. */
function checkPassword(password: string, field: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError('The password is not acceptable', [{ field, ...problem }]);
}

function phoneOrThrow(raw: string, field = '/phone'): string {
  const phone = normalizePhone(raw);
  if (!phone)
    throw new ValidationError('The phone number is not valid', [
      {
        field,
        code: 'phone',
        message: 'Use a Vietnamese mobile number, e.g. 0912 345 678 or +84 912 345 678',
      },
    ]);
  return phone;
}

function identifierOrThrow(raw: string): { channel: Channel; value: string } {
  const id = parseIdentifier(raw);
  if (!id)
    throw new ValidationError('The identifier is not an email address or a Vietnamese mobile number', [
      { field: '/identifier', code: 'identifier', message: 'Use an email address or a +84 mobile number' },
    ]);
  return id;
}

const invalidSecret = (body: { token?: string }) =>
  new ValidationError('The link or code is not valid, was used already or has expired', [
    { field: body.token !== undefined ? '/token' : '/code', code: 'invalid', message: 'Ask for a new one' },
  ]);

const accepted = (req: HttpRequest<unknown, unknown>, key: keyof typeof ACCEPTED): HttpResponse => ({
  status: 202,
  body: { status: 'accepted', message: ACCEPTED[key]![req.lang] },
});

/** The auth routes. */
export function authRoutes(deps: UserDeps): Route[] {
  const ip = (req: HttpRequest<unknown, unknown>) => clientIp(req, deps.trustedProxies);
  const { limits } = deps;

  /** Writes events in the transaction; the dev mailbox sees them once committed. */
  const transact = async <T>(fn: (tx: Tx, events: TuoiCloudEvent[]) => Promise<T>): Promise<T> => {
    const events: TuoiCloudEvent[] = [];
    const out = await withTransaction(deps.pool, async (tx) => {
      const result = await fn(tx, events);
      await emit(tx, deps.schema, events);
      return result;
    });
    deps.mailbox?.deliver(events);
    return out;
  };

  /** Issues a single-use secret for the notification function to deliver. */
  const secretFor = async (tx: Tx, userId: string, purpose: Purpose, channel: Channel, target: string) => {
    const secret = await deps.secrets.issue(tx, { userId, purpose, channel, target, now: deps.now() });
    return { token: secret.token, expires_at: secret.expiresAt.toISOString() };
  };

  /** Spends a link token, or a phone number's code; who it was for, when it was good. */
  const spend = async (
    tx: Tx,
    purpose: Purpose,
    body: { token?: string; phone?: string; code?: string },
  ): Promise<{ userId: string; target: string; channel: Channel } | undefined> => {
    if (body.token !== undefined) {
      const spent = await deps.secrets.spendLink(tx, purpose, body.token, deps.now());
      return spent && { ...spent, channel: 'email' };
    }
    const account = await deps.accounts.byIdentifier(tx, 'phone', phoneOrThrow(body.phone as string));
    const spent = account && (await deps.secrets.spendCode(tx, account.id, purpose, body.code!, deps.now()));
    return spent && { userId: account.id, target: spent.target, channel: 'phone' };
  };

  const signIn = async (tx: Tx, account: Account, userAgent?: string) => {
    const refresh = await deps.sessions.start(tx, account.id, deps.now(), userAgent);
    return tokenPair(account, refresh.sessionId, refresh.token, refresh.expiresAt);
  };

  const tokenPair = async (
    account: Account,
    sessionId: string,
    refreshToken: string,
    refreshExpires: Date,
  ) => ({
    ...(await deps.mint.forUser(account, sessionId)),
    refresh_token: refreshToken,
    refresh_expires_in: Math.round((refreshExpires.getTime() - deps.now().getTime()) / 1000),
    user_id: account.id,
  });

  return [
    route({
      method: 'POST',
      path: '/auth/register',
      body: RegisterBody,
      async handle(req) {
        const body = req.body;
        if ((body.email === undefined) === (body.phone === undefined))
          throw new ValidationError('Register with an email address or a phone number', [
            { field: '/email', code: 'one-of', message: 'Send exactly one of email and phone' },
          ]);
        let channel: Channel;
        let value: string;
        if (body.email !== undefined) {
          const email = normalizeEmail(body.email);
          if (!email)
            throw new ValidationError('The email address is not valid', [
              { field: '/email', code: 'email', message: 'This is not an email address' },
            ]);
          [channel, value] = ['email', email];
        } else [channel, value] = ['phone', phoneOrThrow(body.phone as string)];
        checkPassword(body.password, '/password');
        await enforce(deps.limiter, [
          { rule: limits.register_ip, key: ip(req) },
          { rule: limits.register_account, key: value },
        ]);
        const lang = body.lang ?? req.lang;
        // Hash either way: a taken identifier must not answer faster.
        const passwordHash = await deps.hasher.hash(body.password);
        await transact(async (tx, events) => {
          const created = await deps.accounts.create(tx, {
            [channel]: value,
            passwordHash,
            name: body.name,
            lang,
          });
          if (created) {
            const verification = await secretFor(tx, created.id, 'verify', channel, value);
            events.push(
              buildEvent(userRegistered, {
                user_id: created.id,
                channel,
                to: value,
                lang,
                ...(body.name ? { name: body.name } : {}),
                verification,
              }),
            );
            return;
          }
          const existing = await deps.accounts.byIdentifier(tx, channel, value);
          if (existing)
            events.push(
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
      path: '/auth/login',
      body: LoginBody,
      async handle(req) {
        const id = identifierOrThrow(req.body.identifier);
        await enforce(deps.limiter, [{ rule: limits.login_ip, key: ip(req) }]);
        // The guard knows identifiers only, never whether an account exists: unknown ones are
        // counted and delayed exactly like known ones.
        const device =
          req.body.device_token && deps.devices.verify(req.body.device_token, id.value, deps.now());
        const client = device
          ? { key: `d:${device}`, trusted: true }
          : { key: `ip:${ip(req)}`, trusted: false };
        const admission = await deps.signInGuard.admit(id.value, client);
        if (!admission.admitted)
          throw new TooManyRequestsError(WAIT[admission.reason], admission.retryAfterSeconds);
        const account = await deps.accounts.byIdentifier(deps.pool, id.channel, id.value);
        if (!account) {
          await deps.hasher.verifyNothing(req.body.password);
          throw new UnauthorizedError(WRONG_CREDENTIALS);
        }
        const { ok, rehash } = await deps.hasher.verify(account.password_hash, req.body.password);
        if (!ok) throw new UnauthorizedError(WRONG_CREDENTIALS);
        await deps.signInGuard.succeeded(id.value, client.key);
        if (account.status !== 'active')
          throw new ForbiddenError('This account is suspended; contact support', { reason: 'suspended' });
        if (rehash)
          await deps.accounts.setPassword(deps.pool, account.id, await deps.hasher.hash(req.body.password));
        const tokens = await withTransaction(deps.pool, (tx) =>
          signIn(tx, account, req.headers['user-agent']),
        );
        const body = {
          ...tokens,
          device_token: deps.devices.issue(id.value, deps.now(), device || undefined),
        };
        return { status: 200, headers: { 'cache-control': 'no-store' }, body };
      },
    }),

    route({
      method: 'POST',
      path: '/auth/refresh',
      body: RefreshBody,
      async handle(req) {
        const token = req.body.refresh_token;
        const owner = (await deps.sessions.find(deps.pool, token))?.userId;
        await enforce(deps.limiter, [
          { rule: limits.refresh_ip, key: ip(req) },
          ...(owner ? [{ rule: limits.refresh_account, key: owner }] : []),
        ]);
        const outcome = await withTransaction(deps.pool, async (tx) => {
          const result = await deps.sessions.rotate(tx, token, deps.now());
          if (result.kind !== 'rotated') return { result };
          return { result, account: await deps.accounts.byId(tx, result.userId) };
        });
        const { result, account } = outcome;
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
        const body = await tokenPair(
          account,
          result.issued.sessionId,
          result.issued.token,
          result.issued.expiresAt,
        );
        return { status: 200, headers: { 'cache-control': 'no-store' }, body };
      },
    }),

    route({
      method: 'POST',
      path: '/auth/logout',
      body: RefreshBody,
      async handle(req) {
        const found = await deps.sessions.find(deps.pool, req.body.refresh_token);
        if (found) await deps.sessions.revoke(deps.pool, found.sessionId, 'logout', deps.now());
        return { status: 204 };
      },
    }),

    route({
      method: 'POST',
      path: '/auth/verify',
      body: VerifyBody,
      async handle(req) {
        const body = req.body as { token?: string; phone?: string; code?: string };
        const verified = await transact(async (tx, events) => {
          const spent = await spend(tx, 'verify', body);
          if (!spent) return undefined;
          const at = deps.now();
          if (!(await deps.accounts.markVerified(tx, spent.userId, spent.channel, spent.target, at)))
            return undefined;
          events.push(
            buildEvent(userVerified, {
              user_id: spent.userId,
              channel: spent.channel,
              verified_at: at.toISOString(),
            }),
          );
          return spent.channel;
        });
        // Outside the transaction: a wrong code's attempt counter is committed.
        if (!verified) throw invalidSecret(body);
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
        async handle(req) {
          const { channel } = req.body as Static<typeof ResendBody>;
          await enforce(deps.limiter, [{ rule: limits.resend_account, key: req.auth!.sub }]);
          await transact(async (tx, events) => {
            const account = await deps.accounts.byId(tx, req.auth!.sub);
            if (!account) throw new NotFoundError('The account no longer exists');
            const target = account[channel];
            if (!target)
              throw new ValidationError(`The account has no ${channel}`, [
                { field: '/channel', code: 'missing', message: `No ${channel} to verify` },
              ]);
            if (account[`${channel}_verified_at`])
              throw new ValidationError(`The ${channel} is verified already`, [
                { field: '/channel', code: 'verified', message: 'Nothing to verify' },
              ]);
            events.push(
              buildEvent(userVerificationRequested, {
                user_id: account.id,
                channel,
                to: target,
                lang: account.lang,
                verification: await secretFor(tx, account.id, 'verify', channel, target),
              }),
            );
          });
          return accepted(req, 'resend');
        },
      }),
    ),

    route({
      method: 'POST',
      path: '/auth/password/forgot',
      body: ForgotBody,
      async handle(req) {
        const id = identifierOrThrow(req.body.identifier);
        await enforce(deps.limiter, [
          { rule: limits.reset_ip, key: ip(req) },
          { rule: limits.reset_account, key: id.value },
        ]);
        await transact(async (tx, events) => {
          const account = await deps.accounts.byIdentifier(tx, id.channel, id.value);
          const active = account?.status === 'active' ? account : undefined;
          // Both paths write: the request log row for everyone, the secret and event for accounts.
          await tx.query(
            `INSERT INTO ${deps.schemaIdent}.reset_requests (identifier_digest, user_id, ip) VALUES ($1, $2, $3)`,
            [digest(id.value), active?.id ?? null, ip(req)],
          );
          if (!active) return;
          events.push(
            buildEvent(userPasswordResetRequested, {
              user_id: active.id,
              channel: id.channel,
              to: id.value,
              lang: active.lang,
              reset: await secretFor(tx, active.id, 'reset', id.channel, id.value),
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
      async handle(req) {
        const body = req.body as { token?: string; phone?: string; code?: string; password: string };
        checkPassword(body.password, '/password');
        const phone = body.token === undefined ? phoneOrThrow(body.phone as string) : undefined;
        if (phone) await enforce(deps.limiter, [{ rule: limits.reset_account, key: phone }]);
        const passwordHash = await deps.hasher.hash(body.password);
        const done = await transact(async (tx) => {
          const spent = await spend(tx, 'reset', body);
          if (!spent) return false;
          await deps.accounts.setPassword(tx, spent.userId, passwordHash);
          // The secret reached its owner through this channel: that proves the channel too.
          await deps.accounts.markVerified(tx, spent.userId, spent.channel, spent.target, deps.now());
          await deps.sessions.revokeAll(tx, spent.userId, 'password-reset', deps.now());
          return true;
        });
        if (!done) throw invalidSecret(body);
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
        async handle(req) {
          const body = req.body as Static<typeof ChangePasswordBody>;
          const me = req.auth!;
          if (me.kind !== 'user') throw new ForbiddenError('Service clients have no password');
          await enforce(deps.limiter, [{ rule: limits.login_account, key: me.sub }]);
          const account = await deps.accounts.byId(deps.pool, me.sub);
          if (!account) throw new NotFoundError('The account no longer exists');
          const { ok } = await deps.hasher.verify(account.password_hash, body.current_password);
          if (!ok)
            throw new ValidationError('The current password is not right', [
              { field: '/current_password', code: 'wrong', message: 'Type your current password' },
            ]);
          checkPassword(body.new_password, '/new_password');
          const hash = await deps.hasher.hash(body.new_password);
          await withTransaction(deps.pool, async (tx) => {
            await deps.accounts.setPassword(tx, me.sub, hash);
            // Other devices sign in again; this session stays.
            await deps.sessions.revokeAll(tx, me.sub, 'password-change', deps.now(), me.sid);
          });
          return { status: 204 };
        },
      }),
    ),

    route({
      method: 'POST',
      path: '/auth/token',
      body: ClientTokenBody,
      async handle(req) {
        const body = req.body;
        await enforce(deps.limiter, [{ rule: limits.login_ip, key: ip(req) }]);
        // Failures per (client id, address) only: a secret is 256 random bits, so no per-client
        // bound is needed against guessing, and one would let a stranger lock checkout out.
        const guardKey = `client:${body.client_id}`;
        const from = { key: `ip:${ip(req)}`, trusted: true };
        const admission = await deps.signInGuard.admit(guardKey, from);
        if (!admission.admitted)
          throw new TooManyRequestsError(WAIT[admission.reason], admission.retryAfterSeconds);
        const client = await deps.clients.byId(deps.pool, body.client_id);
        if (!client) await deps.hasher.verifyNothing(body.client_secret);
        const ok = client && (await deps.hasher.verify(client.secret_hash, body.client_secret)).ok;
        if (ok) await deps.signInGuard.succeeded(guardKey, from.key);
        if (!client || !ok || client.status !== 'active')
          throw new UnauthorizedError('The client id or secret is not right', { error: 'invalid_client' });
        const asked = body.scope?.split(' ').filter(Boolean) ?? client.scopes;
        const refused = asked.filter((s) => !client.scopes.includes(s));
        if (refused.length)
          throw new ValidationError(`The client may not have ${refused.join(', ')}`, [
            { field: '/scope', code: 'invalid_scope', message: `Not granted: ${refused.join(' ')}` },
          ]);
        return {
          status: 200,
          headers: { 'cache-control': 'no-store' },
          body: await deps.mint.forClient(client.id, asked),
        };
      },
    }),

    route({
      method: 'GET',
      path: '/.well-known/jwks.json',
      async handle() {
        return {
          status: 200,
          // Short: verifiers also refetch on an unknown kid, and a new key is published before it signs.
          headers: { 'cache-control': 'public, max-age=30' },
          body: await deps.ring.jwks(),
        };
      },
    }),

    route({
      method: 'GET',
      path: '/auth/dev/mailbox',
      async handle(req) {
        if (!deps.mailbox)
          throw new NotFoundError('The dev mailbox is off (USERS_DEV_MAILBOX=on turns it on)');
        const to = String((req.query as Record<string, string>).to ?? '');
        const who = parseIdentifier(to);
        if (!who)
          throw new ValidationError('Name the recipient', [
            { field: '/to', code: 'identifier', message: 'An email address or a +84 mobile number' },
          ]);
        return { status: 200, body: { to: who.value, messages: deps.mailbox.list(who.value) } };
      },
    }),
  ];
}

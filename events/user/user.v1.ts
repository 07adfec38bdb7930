import { Type, type TSchema } from '@sinclair/typebox';
import { defineEvent } from '../contract';

/** A user id (UUID). */
export const USER_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const userId = Type.String({ pattern: USER_ID_PATTERN });
const channel = Type.Union([Type.Literal('email'), Type.Literal('phone')]);
const lang = Type.Union([Type.Literal('en'), Type.Literal('vi')]);
/** Where a message goes: an email address or a +84 mobile number (E.164). */
const to = Type.String({ minLength: 3, maxLength: 254 });

/**
 * A single-use secret for the notification function to deliver: a link token by email or a
 * 6-digit code by SMS. It is only good until `expires_at` and only once; consumers must not log it.
 */
const secret = Type.Object(
  {
    token: Type.String({ pattern: '^([A-Za-z0-9_-]{43}|[0-9]{6})$' }),
    expires_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

const message = <P extends Record<string, TSchema>>(extra: P) =>
  Type.Object({ user_id: userId, channel, to, lang, ...extra }, { additionalProperties: false });

/** A new account; carries the verification secret for its email or phone. */
export const userRegistered = defineEvent({
  type: 'io.tuoi.user.registered.v1',
  producer: 'user',
  description:
    'A customer registered; the notification function sends the welcome and the verification link or code.',
  data: message({ name: Type.Optional(Type.String({ maxLength: 100 })), verification: secret }),
  key: (data) => data.user_id,
});

/** A customer asked for a new verification link or code. */
export const userVerificationRequested = defineEvent({
  type: 'io.tuoi.user.verification-requested.v1',
  producer: 'user',
  description: 'A customer asked for a new verification link or code.',
  data: message({ verification: secret }),
  key: (data) => data.user_id,
});

/** An email address or phone number was verified. */
export const userVerified = defineEvent({
  type: 'io.tuoi.user.verified.v1',
  producer: 'user',
  description: 'An email address or phone number of an account was verified.',
  data: Type.Object(
    { user_id: userId, channel, verified_at: Type.String({ format: 'date-time' }) },
    { additionalProperties: false },
  ),
  key: (data) => data.user_id,
});

/** A password reset was asked for an existing account; carries the reset secret. */
export const userPasswordResetRequested = defineEvent({
  type: 'io.tuoi.user.password-reset-requested.v1',
  producer: 'user',
  description: 'A password reset was requested for an account; carries the single-use reset link or code.',
  data: message({ reset: secret }),
  key: (data) => data.user_id,
});

/**
 * Someone tried to register with an email or phone that already has an account. Registration
 * answers the same either way (no account enumeration); the owner is told instead.
 */
export const userAccountExists = defineEvent({
  type: 'io.tuoi.user.account-exists.v1',
  producer: 'user',
  description:
    'A registration used an email or phone that already has an account; the owner is told to sign in or reset.',
  data: message({}),
  key: (data) => data.user_id,
});

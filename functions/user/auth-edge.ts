/**
 * What the auth route groups share at the HTTP edge: input checks that answer 400 naming the
 * field, the bilingual 202 of requests that must not reveal whether an account exists, the
 * messages of 401 and 429 answers, and the caller's address for rate limits.
 */
import { ValidationError, type Bilingual } from '../shared/errors';
import type { HttpRequest, HttpResponse } from '../shared/http';
import { clientIp } from '../shared/rate-limit';
import { normalizePhone, parseIdentifier, type Channel } from './identifiers';
import { passwordProblem } from './passwords';
import type { Throttle } from './ports';

const ACCEPTED: Record<'register' | 'forgot' | 'resend', Bilingual> = {
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

/** The 401 detail of a failed sign-in, the same for an unknown identifier and a wrong password. */
export const WRONG_CREDENTIALS = 'The email, phone number or password is not right';

/** Why a sign-in waits (the detail of the 429; its title is bilingual like every problem). */
export const WAIT: Record<'client' | 'account' | 'busy', string> = {
  client: 'Too many wrong passwords for this account from here; wait, or reset the password',
  account:
    'This account had many wrong passwords lately, so sign-in attempts are spaced out; wait, sign in on a device you used before, or reset the password',
  busy: 'Too many sign-in attempts for this account at once; try again in a moment',
};

/** Throws a 400 naming the field when a password breaks the policy. */
export function checkPassword(password: string, field: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError('The password is not acceptable', [{ field, ...problem }]);
}

/** The phone number in +84 form, or a 400 naming the field. */
export function phoneOrThrow(raw: string, field = '/phone'): string {
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

/** The sign-in identifier as an email or a phone number, or a 400 on /identifier. */
export function identifierOrThrow(raw: string): { channel: Channel; value: string } {
  const id = parseIdentifier(raw);
  if (!id)
    throw new ValidationError('The identifier is not an email address or a Vietnamese mobile number', [
      { field: '/identifier', code: 'identifier', message: 'Use an email address or a +84 mobile number' },
    ]);
  return id;
}

/** A link token, or a phone number's code, as a verify or reset body sends it. */
export type SecretProof = { token: string } | { phone: string; code: string };

/** The proof a verify or reset body carries (its phone normalized, or a 400 on /phone). */
export function proofOf(body: { token?: string; phone?: string; code?: string }): SecretProof {
  return body.token !== undefined
    ? { token: body.token }
    : { phone: phoneOrThrow(body.phone as string), code: body.code! };
}

/** The 400 of a link or code that is unknown, used or expired (on the field the body used). */
export const invalidSecret = (proof: SecretProof): ValidationError =>
  new ValidationError('The link or code is not valid, was used already or has expired', [
    { field: 'token' in proof ? '/token' : '/code', code: 'invalid', message: 'Ask for a new one' },
  ]);

/** The 202 that says the same whether or not an account exists. */
export const accepted = (req: HttpRequest<unknown, unknown>, key: keyof typeof ACCEPTED): HttpResponse => ({
  status: 202,
  body: { status: 'accepted', message: ACCEPTED[key][req.lang] },
});

/** The caller's address as the trusted proxies report it. */
export const callerIp = (throttle: Pick<Throttle, 'trustedProxies'>, req: HttpRequest<unknown, unknown>) =>
  clientIp(req, throttle.trustedProxies);

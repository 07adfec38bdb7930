/**
 * Sign-in identifiers, normalised so one person has one spelling: email addresses in lower case,
 * Vietnamese mobile numbers in E.164 (+84 and the 9-digit national number).
 */

/** What a sign-in identifier is. */
export type Channel = 'email' | 'phone';

const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** The normalised address, or undefined when it is not an email address we accept. */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) return undefined;
  const [local = ''] = email.split('@');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  return email;
}

/**
 * A Vietnamese mobile number in E.164, or undefined. Accepts `0912 345 678`, `+84 912-345-678`,
 * `84912345678`; mobile numbers start with 3, 5, 7, 8 or 9 after the country code.
 */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.trim().replace(/[\s.()-]/g, '');
  const match = /^(?:\+84|84|0)([35789]\d{8})$/.exec(compact);
  return match ? `+84${match[1]}` : undefined;
}

/** A sign-in identifier: an email address or a phone number, told apart by the `@`. */
export function parseIdentifier(raw: string): { channel: Channel; value: string } | undefined {
  if (raw.includes('@')) {
    const value = normalizeEmail(raw);
    return value ? { channel: 'email', value } : undefined;
  }
  const value = normalizePhone(raw);
  return value ? { channel: 'phone', value } : undefined;
}

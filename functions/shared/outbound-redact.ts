/**
 * What the outbound client may log about a request: headers, URLs and bodies with secrets removed
 * and card and phone numbers masked to their last four digits. Pure, so every rule has a test.
 */

/** Header, query and body member names whose values are never logged. */
const SECRET_NAME =
  /authorization|cookie|signature|token|secret|password|passwd|api[-_]?key|pass[-_]?key|cvc|cvv|pin\b|otp/i;

/** Runs of 8 or more digits, optionally `+`-prefixed and split by spaces, dots or dashes: cards, phones. */
const DIGIT_RUN = /\+?\d(?:[ .-]?\d){7,}/g;

/** Keeps the last four digits of each long digit run (card and phone numbers, account numbers). */
export function maskNumbers(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    return '*'.repeat(digits.length - 4) + digits.slice(-4);
  });
}

/** True when a header, query parameter or body member named `name` holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Headers as they may be logged: secret ones replaced by `[redacted]`, numbers masked. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k.toLowerCase(),
      isSecretName(k) ? '[redacted]' : maskNumbers(v),
    ]),
  );
}

/** A URL as it may be logged: no credentials, secret query values redacted, numbers masked. */
export function redactUrl(url: string | URL): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  for (const [k] of [...u.searchParams]) if (isSecretName(k)) u.searchParams.set(k, 'redacted');
  // Masking after serialising also catches numbers in the path and in encoded query values.
  return maskNumbers(decodeURIComponent(u.toString()));
}

/** A JSON-like value as it may be logged: secret members redacted, numbers masked, depth bounded. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return maskNumbers(value);
  if (typeof value === 'number') {
    const masked = maskNumbers(String(value));
    return masked === String(value) ? value : masked;
  }
  if (Array.isArray(value)) return value.map((v) => redactBody(v, depth + 1));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        isSecretName(k) ? '[redacted]' : redactBody(v, depth + 1),
      ]),
    );
  return value;
}

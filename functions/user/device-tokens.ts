/**
 * Device tokens (OWASP's "device cookie" for a JSON API): a successful sign-in hands the client a
 * signed token naming a random device id, bound to the identifier it signed in with. Presented at
 * the next sign-in, it makes that client "trusted" for the sign-in guard: it skips the per-account
 * delay strangers cause and is counted under its own device id instead of its address.
 *
 * Why not trust by address: mobile carriers in Vietnam put many subscribers behind one carrier-grade
 * NAT address, so an address-keyed exemption would extend to strangers on the same carrier, and
 * their failures would count against the owner's address.
 *
 * Stateless: `dv1.<device id>.<expiry s>.<HMAC-SHA256 over those and the identifier>`, keyed by a
 * key derived from USERS_KEY_SECRET (the previous secret still verifies during a rotation).
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Issues and checks device tokens. */
export interface DeviceTokens {
  /** A token for `identifier`; keeps `deviceId` when given (a trusted device renews its token). */
  issue(identifier: string, now: Date, deviceId?: string): string;
  /** The device id when the token is ours, unexpired and bound to `identifier`; else undefined. */
  verify(token: string, identifier: string, now: Date): string | undefined;
}

const SHAPE = /^dv1\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

const keyOf = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'tuoi-users', 'device-token v1', 32));

/** Device tokens signed with the first secret and checked against all of them. */
export function deviceTokens(secrets: readonly string[], ttlSeconds: number): DeviceTokens {
  const keys = secrets.map(keyOf);
  const mac = (key: Buffer, body: string, identifier: string) =>
    createHmac('sha256', key).update(`${body}\u0000${identifier}`).digest();
  return {
    issue(identifier, now, deviceId = randomBytes(16).toString('base64url')) {
      const body = `dv1.${deviceId}.${Math.floor(now.getTime() / 1000) + ttlSeconds}`;
      return `${body}.${mac(keys[0]!, body, identifier).toString('base64url')}`;
    },
    verify(token, identifier, now) {
      const match = SHAPE.exec(token);
      if (!match || Number(match[2]) * 1000 <= now.getTime()) return undefined;
      const body = token.slice(0, token.lastIndexOf('.'));
      const given = Buffer.from(match[3]!, 'base64url');
      return keys.some((key) => timingSafeEqual(given, mac(key, body, identifier))) ? match[1] : undefined;
    },
  };
}

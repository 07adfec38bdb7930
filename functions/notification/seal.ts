/**
 * Secrets in events (a verification or reset token) must reach the message sent and nothing else:
 * not the log, the notification log, Firestore or a dead letter. `split` takes them out of an
 * event's data before it is stored, leaving `[sealed]` in their place; `seal` encrypts them with
 * AES-256-GCM under the function's key (the row stores only ciphertext), and `join` puts them back
 * in memory at send time. The sender drops the sealed bytes once the message is settled.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The data fields that hold a secret: `<object>.token` of these objects. */
export const SECRET_FIELDS = ['verification', 'reset'] as const;

export const SEALED = '[sealed]';

type Data = Record<string, unknown>;

/** The data without its secrets, and the secrets by field (empty when there are none). */
export function split(data: Data): { plain: Data; secrets: Record<string, string> } {
  const plain: Data = { ...data };
  const secrets: Record<string, string> = {};
  for (const field of SECRET_FIELDS) {
    const o = data[field] as { token?: unknown } | undefined;
    if (o && typeof o === 'object' && typeof o.token === 'string') {
      secrets[field] = o.token;
      plain[field] = { ...o, token: SEALED };
    }
  }
  return { plain, secrets };
}

/** The data with its secrets back in place. */
export function join(plain: Data, secrets: Record<string, string>): Data {
  const data: Data = { ...plain };
  for (const [field, token] of Object.entries(secrets)) data[field] = { ...(plain[field] as object), token };
  return data;
}

/** A sealer keyed by `secret` (any length: the key is its SHA-256). */
export function sealer(secret: string) {
  const key = createHash('sha256').update(secret, 'utf8').digest();
  return {
    seal(secrets: Record<string, string>): Buffer | null {
      if (Object.keys(secrets).length === 0) return null;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed: Buffer | null): Record<string, string> {
      if (!sealed) return {};
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const text = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as Record<string, string>;
    },
  };
}

export type Sealer = ReturnType<typeof sealer>;

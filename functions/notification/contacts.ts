/**
 * The contact book: a customer's addresses and language, read from the user function
 * (`GET /users/{id}`, scope users:read, with the notification function's client-credentials token)
 * when a message is planned — never copied here, so a changed address or language is used from
 * the next message on. Only verified addresses are used: an unverified one may be someone else's.
 * Answers are kept for a minute (a burst of an order's events asks once).
 */
import type { Lang } from '../shared/words';
import type { Contact, ContactBook } from './planner';

interface Account {
  email: string | null;
  phone: string | null;
  email_verified: boolean;
  phone_verified: boolean;
  lang: Lang;
  status: string;
}

export function userContacts(opts: {
  userUrl: string;
  token: () => Promise<string>;
  ttlMs?: number;
  timeoutMs?: number;
  now?: () => number;
}): ContactBook {
  const ttl = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; contact: Contact | null }>();
  return async (userId) => {
    const hit = cache.get(userId);
    if (hit && now() - hit.at < ttl) return hit.contact;
    const res = await fetch(`${opts.userUrl}/users/${encodeURIComponent(userId)}`, {
      headers: { authorization: `Bearer ${await opts.token()}`, accept: 'application/json' },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
    });
    let contact: Contact | null;
    if (res.status === 404 || res.status === 400) contact = null;
    else if (!res.ok) throw new Error(`the user function answered ${res.status} for a contact`);
    else {
      const a = (await res.json()) as Account;
      contact =
        a.status === 'active'
          ? {
              lang: a.lang === 'en' ? 'en' : 'vi',
              ...(a.email && a.email_verified ? { email: a.email } : {}),
              ...(a.phone && a.phone_verified ? { phone: a.phone } : {}),
            }
          : null;
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(userId, { at: now(), contact });
    return contact;
  };
}

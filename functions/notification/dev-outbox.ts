/**
 * The dev outbox: in `make dev` nothing leaves the machine. Every rendered message — email, SMS and
 * in-app — is kept in memory (the newest 500) and shown at `GET /notifications/dev/outbox?to=`, so a
 * tester can read a verification code or follow a link. It is on only with NOTIFY_DEV_OUTBOX=on,
 * which a cluster never sets; it writes nothing to the log (a message may hold a secret).
 */
import type { EmailSender, SmsSender } from './channels';
import type { FeedWriter } from './sender';

export interface OutboxEntry {
  id: string;
  channel: 'email' | 'sms' | 'inapp';
  to: string;
  lang?: string;
  title?: string;
  text: string;
  at: string;
}

export function devOutbox(capacity = 500, now = () => new Date()) {
  const entries: OutboxEntry[] = [];
  const keep = (e: Omit<OutboxEntry, 'at'>) => {
    entries.push({ ...e, at: now().toISOString() });
    if (entries.length > capacity) entries.shift();
  };
  const email: EmailSender = {
    provider: 'dev-outbox',
    async send(m) {
      keep({
        id: m.notificationId,
        channel: 'email',
        to: m.to,
        lang: m.lang,
        title: m.subject,
        text: m.text,
      });
      return { providerId: `dev-${m.notificationId}` };
    },
  };
  const sms: SmsSender = {
    provider: 'dev-outbox',
    async send(m) {
      keep({ id: m.notificationId, channel: 'sms', to: m.to, text: m.body });
      return { providerId: `dev-${m.notificationId}` };
    },
  };
  const feed: FeedWriter = {
    async write(userId, item) {
      keep({
        id: item.id,
        channel: 'inapp',
        to: userId,
        lang: item.lang,
        title: item.title,
        text: item.text,
      });
    },
  };
  return {
    email,
    sms,
    feed,
    /** The messages to an address or a user's feed, newest first. */
    list: (to: string) => entries.filter((e) => e.to === to).reverse(),
  };
}

export type DevOutbox = ReturnType<typeof devOutbox>;

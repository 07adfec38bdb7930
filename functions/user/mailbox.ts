/**
 * The dev mailbox: in embedded mode nothing sends email or SMS, so the user function keeps the
 * last messages it asked the notification function to send and shows them at
 * `GET /auth/dev/mailbox?to=`. Off unless USERS_DEV_MAILBOX=on; never on in production.
 */
import type { TuoiCloudEvent } from '../../events';
import { createLogger } from '../shared/log';

/** One message as the notification function would send it. */
export interface DevMessage {
  type: string;
  to: string;
  channel: string;
  lang: string;
  secret?: string;
  expires_at?: string;
  at: string;
}

const log = createLogger('dev-mailbox');

/** The mailbox: the newest 200 messages. */
export function devMailbox(capacity = 200) {
  const messages: DevMessage[] = [];
  return {
    deliver(events: TuoiCloudEvent[]) {
      for (const event of events) {
        const data = event.data as {
          to?: string;
          channel?: string;
          lang?: string;
          verification?: { token: string; expires_at: string };
          reset?: { token: string; expires_at: string };
        };
        if (!data.to) continue;
        const secret = data.verification ?? data.reset;
        const message = {
          type: event.type,
          to: data.to,
          channel: data.channel ?? 'email',
          lang: data.lang ?? 'vi',
          secret: secret?.token,
          expires_at: secret?.expires_at,
          at: event.time ?? new Date().toISOString(),
        };
        messages.push(message);
        if (messages.length > capacity) messages.shift();
        log.info('dev mailbox', { ...message });
      }
    },
    list(to: string): DevMessage[] {
      return messages.filter((m) => m.to === to).reverse();
    },
  };
}

export type DevMailbox = ReturnType<typeof devMailbox>;

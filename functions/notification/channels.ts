/**
 * The ports the sender hands a rendered message to: one per channel kind. Adapters (SendGrid,
 * Twilio, the dev outbox) implement them; the sender never sees an SDK. Each message carries our
 * notification id, which the adapter sends along (SendGrid custom_args, Twilio's status callback
 * URL) so a delivery receipt finds its log row even when the provider's own id is not known.
 *
 * An adapter either resolves (the provider accepted the message), throws `Rejected` (the provider
 * refused this message: retrying cannot help, it is failed at once), or throws anything else
 * (unreachable, timed out, 429, 5xx: the sender retries with backoff, then dead-letters).
 */
import type { Lang } from '../shared/words';

/** One email: subject, plain text and HTML. */
export interface EmailMessage {
  notificationId: string;
  to: string;
  lang: Lang;
  subject: string;
  text: string;
  html: string;
}

/** One SMS, already within its segment budget. */
export interface SmsMessage {
  notificationId: string;
  /** E.164, e.g. +84901234567. */
  to: string;
  body: string;
}

/** What a provider answered when it took a message. */
export interface Accepted {
  /** The provider's id for the message (SendGrid's X-Message-Id, Twilio's SM… sid), when it gave one. */
  providerId?: string;
}

export interface EmailSender {
  readonly provider: string;
  send(message: EmailMessage): Promise<Accepted>;
}

export interface SmsSender {
  readonly provider: string;
  send(message: SmsMessage): Promise<Accepted>;
}

/** The provider refused this message (a 4xx other than 408/429): sending it again cannot help. */
export class Rejected extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${provider} refused the message (${status}): ${detail}`);
    this.name = 'Rejected';
  }
}

/**
 * Delivery receipts from the providers, verified and read into the notification log's statuses
 * (queued, sent, delivered, bounced, failed). Verification uses the providers' own libraries:
 * SendGrid's signed event webhook (ECDSA P-256 over the timestamp and the raw body,
 * `@sendgrid/eventwebhook`) and Twilio's `X-Twilio-Signature` (HMAC-SHA1 over the URL and the
 * sorted form fields, `twilio.validateRequest`). A receipt that fails verification is refused
 * before anything is read; one older than the replay window too (SendGrid documents none: 300 s
 * is ours). Each receipt carries its provider's id for deduplication.
 */
import { EventWebhook } from '@sendgrid/eventwebhook';
import twilio from 'twilio';

/** A notification's delivery status, in the order it moves. */
export const LOG_STATUSES = ['queued', 'sent', 'delivered', 'bounced', 'failed'] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

/** One receipt: which message (the provider's id), what happened, and the receipt's own id. */
export interface Receipt {
  provider: 'sendgrid' | 'twilio';
  /** SendGrid's `sg_message_id` (up to its first dot: the id Mail Send answered), Twilio's `MessageSid`. */
  messageId: string;
  /** Our notification id, carried by the message (SendGrid custom_args, Twilio's callback URL `?n=`). */
  notificationId?: string;
  /** Deduplicates repeats: SendGrid's `sg_event_id`, Twilio's SID and status. */
  receiptId: string;
  status: LogStatus;
  at: Date;
  detail?: string;
}

/** A receipt refused: its signature, its age or its shape. */
export class ReceiptError extends Error {
  constructor(
    message: string,
    readonly code: 'signature' | 'stale' | 'format',
  ) {
    super(message);
  }
}

export const REPLAY_WINDOW_S = 300;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const SENDGRID: Record<string, LogStatus | undefined> = {
  processed: 'sent',
  deferred: 'sent',
  delivered: 'delivered',
  bounce: 'bounced',
  dropped: 'failed',
};

/** A PEM public key from SendGrid's base64 DER (what its settings page and API give). */
const pem = (key: string) =>
  key.includes('BEGIN PUBLIC KEY')
    ? key
    : `-----BEGIN PUBLIC KEY-----\n${key
        .replace(/\s+/g, '')
        .match(/.{1,64}/g)!
        .join('\n')}\n-----END PUBLIC KEY-----`;

/**
 * SendGrid's event webhook: verifies the signature over timestamp + raw body, then reads the
 * events it knows (opens, clicks and the like are not delivery statuses and are skipped).
 */
export function sendgridReceipts(
  req: { body: Buffer; signature?: string; timestamp?: string },
  publicKey: string,
  now = new Date(),
): Receipt[] {
  if (!req.signature || !req.timestamp || !/^\d{1,12}$/.test(req.timestamp))
    throw new ReceiptError('SendGrid signature or timestamp header missing', 'signature');
  const hook = new EventWebhook();
  let ok = false;
  try {
    ok = hook.verifySignature(
      hook.convertPublicKeyToECDSA(pem(publicKey)),
      req.body.toString('utf8'),
      req.signature,
      req.timestamp,
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new ReceiptError('SendGrid signature does not match', 'signature');
  if (Math.abs(now.getTime() / 1000 - Number(req.timestamp)) > REPLAY_WINDOW_S)
    throw new ReceiptError('SendGrid receipt is older than the replay window', 'stale');
  let events: unknown;
  try {
    events = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new ReceiptError('SendGrid body is not JSON', 'format');
  }
  if (!Array.isArray(events)) throw new ReceiptError('SendGrid body is not an array of events', 'format');
  const out: Receipt[] = [];
  for (const e of events as Record<string, unknown>[]) {
    const status = SENDGRID[String(e?.event)];
    if (!status || typeof e.sg_message_id !== 'string' || typeof e.sg_event_id !== 'string') continue;
    out.push({
      provider: 'sendgrid',
      messageId: e.sg_message_id.split('.')[0]!,
      ...(typeof e.tuoi_notification_id === 'string' && UUID.test(e.tuoi_notification_id)
        ? { notificationId: e.tuoi_notification_id }
        : {}),
      receiptId: e.sg_event_id,
      status,
      at: new Date(Number(e.timestamp) * 1000),
      ...(typeof e.reason === 'string' ? { detail: e.reason.slice(0, 500) } : {}),
    });
  }
  return out;
}

const TWILIO: Record<string, LogStatus | undefined> = {
  queued: 'queued',
  accepted: 'queued',
  scheduled: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Twilio's status callback (a form POST): verifies `X-Twilio-Signature` against the URL Twilio
 * called (exactly, query included) and the form fields, then reads the status.
 */
export function twilioReceipt(
  req: { url: string; form: Record<string, string>; signature?: string },
  authToken: string,
  now = new Date(),
): Receipt {
  if (!req.signature || !twilio.validateRequest(authToken, req.signature, req.url, req.form))
    throw new ReceiptError('Twilio signature does not match', 'signature');
  const sid = req.form.MessageSid ?? req.form.SmsSid;
  const status = TWILIO[req.form.MessageStatus ?? req.form.SmsStatus ?? ''];
  if (!sid || !/^(SM|MM)[0-9a-f]{32}$/.test(sid) || !status)
    throw new ReceiptError('Twilio callback has no message SID or a status we do not know', 'format');
  const n = new URL(req.url).searchParams.get('n');
  return {
    provider: 'twilio',
    messageId: sid,
    ...(n && UUID.test(n) ? { notificationId: n } : {}),
    receiptId: `${sid}:${req.form.MessageStatus ?? req.form.SmsStatus}`,
    status,
    at: now,
    ...(req.form.ErrorCode ? { detail: `Twilio error ${req.form.ErrorCode}` } : {}),
  };
}

import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { ReceiptError, sendgridReceipts, twilioReceipt } from './receipts';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
/** The key as SendGrid's settings give it: base64 DER, no PEM lines. */
const sendgridKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

const now = new Date('2026-12-08T03:00:00Z');
const ts = String(now.getTime() / 1000);
const events = [
  { event: 'processed', sg_message_id: 'abc123.filter0001.1', sg_event_id: 'ev-1', timestamp: 1796698800 },
  { event: 'delivered', sg_message_id: 'abc123.filter0001.1', sg_event_id: 'ev-2', timestamp: 1796698801 },
  { event: 'open', sg_message_id: 'abc123.filter0001.1', sg_event_id: 'ev-3', timestamp: 1796698900 },
  {
    event: 'bounce',
    sg_message_id: 'def456.x',
    sg_event_id: 'ev-4',
    timestamp: 1796698802,
    reason: '550 no such user',
  },
];
/** Signed as SendGrid signs: ECDSA P-256 / SHA-256 over timestamp + raw body, DER in base64. */
const signed = (body: string, timestamp = ts, key = privateKey) => ({
  body: Buffer.from(body),
  timestamp,
  signature: sign('sha256', Buffer.from(timestamp + body), key).toString('base64'),
});

describe('SendGrid event webhook', () => {
  it('verifies the signature and reads delivery statuses, skipping opens and clicks', () => {
    const receipts = sendgridReceipts(signed(JSON.stringify(events)), sendgridKey, now);
    expect(receipts.map((r) => [r.messageId, r.receiptId, r.status, r.detail])).toEqual([
      ['abc123', 'ev-1', 'sent', undefined],
      ['abc123', 'ev-2', 'delivered', undefined],
      ['def456', 'ev-4', 'bounced', '550 no such user'],
    ]);
  });

  it.each([
    ['a tampered body', () => ({ ...signed(JSON.stringify(events)), body: Buffer.from('[]') }), 'signature'],
    ['another key', () => signed(JSON.stringify(events), ts, other), 'signature'],
    ['no signature', () => ({ body: Buffer.from('[]'), timestamp: ts }), 'signature'],
    ['a replayed receipt', () => signed(JSON.stringify(events), String(now.getTime() / 1000 - 301)), 'stale'],
    ['a signed body that is not an array', () => signed('{"event":"delivered"}'), 'format'],
  ])('refuses %s', (_what, req, code) => {
    let err: unknown;
    try {
      sendgridReceipts(req(), sendgridKey, now);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReceiptError);
    expect((err as ReceiptError).code).toBe(code);
  });
});

describe('Twilio status callback', () => {
  const token = 'twilio-auth-token-0123456789abcdef';
  const url = 'https://tuoi.vn/notification/webhooks/twilio?n=42';
  const form = {
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    MessageStatus: 'delivered',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
  };
  /** As Twilio documents it: HMAC-SHA1 over the URL and each field's name and value, sorted by name. */
  const signature = (f: Record<string, string>, u = url, key = token) =>
    createHmac('sha1', key)
      .update(
        u +
          Object.keys(f)
            .sort()
            .map((k) => k + f[k])
            .join(''),
      )
      .digest('base64');

  it.each([
    ['delivered', 'delivered'],
    ['sent', 'sent'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
    ['queued', 'queued'],
  ])('reads %s as %s', (status, logged) => {
    const f = { ...form, MessageStatus: status, ...(status === 'failed' ? { ErrorCode: '30006' } : {}) };
    const r = twilioReceipt({ url, form: f, signature: signature(f) }, token, now);
    expect(r).toMatchObject({
      messageId: form.MessageSid,
      status: logged,
      receiptId: `${form.MessageSid}:${status}`,
    });
    if (status === 'failed') expect(r.detail).toBe('Twilio error 30006');
  });

  it.each([
    ['a changed field', { ...form, MessageStatus: 'failed' }, signature(form)],
    ['another URL', form, signature(form, 'https://tuoi.vn/notification/webhooks/twilio')],
    ['another token', form, signature(form, url, 'not-the-token')],
  ])('refuses %s', (_what, f, sig) => {
    expect(() => twilioReceipt({ url, form: f, signature: sig }, token, now)).toThrow(
      'Twilio signature does not match',
    );
  });

  it('refuses a verified callback without a message SID', () => {
    const f = { MessageStatus: 'delivered' };
    expect(() => twilioReceipt({ url, form: f, signature: signature(f) }, token, now)).toThrow(
      /no message SID/,
    );
  });
});

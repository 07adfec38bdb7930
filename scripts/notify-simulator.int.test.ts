/**
 * The notification receipts simulator (infra/simulators/notify, SIM_NOTIFY_PORT) against the
 * platform's own verifiers: a SendGrid event batch and Twilio status callbacks, sent by the
 * simulator to a receiver in this test, must pass `sendgridReceipts` / `twilioReceipt` with the
 * simulator's public key and the dev auth token, keep `tuoi_notification_id` and the `?n=` query
 * untouched, and be refused (ReceiptError 'signature') when the simulator tampers with them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReceiptError, sendgridReceipts, twilioReceipt } from '../functions/notification/receipts';

const port = process.env.SIM_NOTIFY_PORT;
if (!port) throw new Error('SIM_NOTIFY_PORT is not set: run `set -a && . infra/services.env && set +a`');
const SIM = `http://127.0.0.1:${port}`;
const TWILIO_TOKEN = process.env.SIM_NOTIFY_TWILIO_AUTH_TOKEN || 'dev-twilio-auth-token-0000000000';

async function sim<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(SIM + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: `${base}${req.url}`, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const last = () => received[received.length - 1]!;
const header = (r: Received, name: string) => r.headers[name] as string | undefined;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof ReceiptError ? e.code : e;
  }
  return 'accepted';
};

describe('SendGrid signed event webhook', () => {
  let publicKey: string;
  beforeAll(async () => {
    publicKey = (await sim<{ public_key: string }>('/_sim/sendgrid/public-key')).public_key;
  });
  const receipts = (r: Received) =>
    sendgridReceipts(
      {
        body: r.body,
        signature: header(r, 'x-twilio-email-event-webhook-signature'),
        timestamp: header(r, 'x-twilio-email-event-webhook-timestamp'),
      },
      publicKey,
    );

  it('sends a batch the platform verifies, custom args passed through', async () => {
    const answer = await sim<{ status: number; body: string; sent: string }>('/_sim/sendgrid/events', {
      url: `${base}/notification/webhooks/sendgrid`,
      events: [
        {
          event: 'processed',
          email: 'an@example.com',
          sg_message_id: 'msgA.filter0001.1',
          tuoi_notification_id: 'n-1',
        },
        {
          event: 'delivered',
          email: 'an@example.com',
          sg_message_id: 'msgA.filter0001.1',
          tuoi_notification_id: 'n-1',
        },
        {
          event: 'bounce',
          email: 'bo@example.com',
          sg_message_id: 'msgB.x',
          reason: '550 no such user',
          tuoi_notification_id: 'n-2',
        },
      ],
    });
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    const r = last();
    expect(r.url).toBe(`${base}/notification/webhooks/sendgrid`);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.toString('utf8')).toBe(answer.sent);
    const events = JSON.parse(answer.sent) as Record<string, unknown>[];
    expect(events.map((e) => e.tuoi_notification_id)).toEqual(['n-1', 'n-1', 'n-2']);
    expect(new Set(events.map((e) => e.sg_event_id)).size).toBe(3);
    expect(events.every((e) => Number.isInteger(e.timestamp))).toBe(true);
    expect(receipts(r).map((x) => [x.messageId, x.status, x.detail])).toEqual([
      ['msgA', 'sent', undefined],
      ['msgA', 'delivered', undefined],
      ['msgB', 'bounced', '550 no such user'],
    ]);
  });

  it('a body changed after signing is refused', async () => {
    await sim('/_sim/sendgrid/events', {
      url: `${base}/notification/webhooks/sendgrid`,
      events: [{ event: 'delivered', email: 'an@example.com', tuoi_notification_id: 'n-3' }],
      tamper: true,
    });
    expect(refusal(() => receipts(last()))).toBe('signature');
  });

  it('an old timestamp is signed as given and refused as stale', async () => {
    await sim('/_sim/sendgrid/events', {
      url: `${base}/notification/webhooks/sendgrid`,
      events: [{ event: 'delivered', email: 'an@example.com' }],
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(refusal(() => receipts(last()))).toBe('stale');
  });
});

describe('Twilio status callback', () => {
  const sid = 'SM0123456789abcdef0123456789abcdef';
  const callback = () => `${base}/notification/webhooks/twilio?n=42`;
  const form = (r: Received) => Object.fromEntries(new URLSearchParams(r.body.toString('utf8')));
  const receipt = (r: Received) =>
    twilioReceipt({ url: r.url, form: form(r), signature: header(r, 'x-twilio-signature') }, TWILIO_TOKEN);

  it('sends a callback the platform verifies, the ?n= query untouched', async () => {
    const answer = await sim<{ status: number; body: string }>('/_sim/twilio/status', {
      url: callback(),
      MessageSid: sid,
      MessageStatus: 'delivered',
      To: '+84912345678',
    });
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    const r = last();
    expect(r.url).toBe(callback());
    expect(new URL(r.url).searchParams.get('n')).toBe('42');
    expect(r.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(form(r)).toMatchObject({
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
      To: '+84912345678',
      ApiVersion: '2010-04-01',
    });
    expect(form(r).ErrorCode).toBeUndefined();
    expect(receipt(r)).toMatchObject({ messageId: sid, status: 'delivered', receiptId: `${sid}:delivered` });
  });

  it('an undelivered message carries its error code', async () => {
    await sim('/_sim/twilio/status', {
      url: callback(),
      MessageSid: sid,
      MessageStatus: 'undelivered',
      ErrorCode: '30005',
    });
    expect(receipt(last())).toMatchObject({ status: 'failed', detail: 'Twilio error 30005' });
  });

  it('a callback changed after signing is refused', async () => {
    await sim('/_sim/twilio/status', {
      url: callback(),
      MessageSid: sid,
      MessageStatus: 'failed',
      tamper: true,
    });
    expect(form(last()).MessageStatus).toBe('delivered');
    expect(refusal(() => receipt(last()))).toBe('signature');
  });
});

it('keeps what it sent, without secrets', async () => {
  const sent = await sim<Record<string, unknown>[]>('/_sim/sent');
  expect(sent.length).toBeGreaterThanOrEqual(6);
  expect(JSON.stringify(sent)).not.toContain(TWILIO_TOKEN);
  expect(JSON.stringify(sent)).not.toContain('PRIVATE KEY');
});

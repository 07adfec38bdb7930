// Notification delivery-receipt simulator (local tests and `make dev` only): plays SendGrid and
// Twilio calling the notification function's webhooks, signed exactly as they sign.
//
// SendGrid Signed Event Webhook (twilio.com/docs/sendgrid/for-developers/tracking-events/
// getting-started-event-webhook-security-features): a POST of a JSON array of events, with
// `X-Twilio-Email-Event-Webhook-Signature` = base64 DER ECDSA (P-256, SHA-256) over
// timestamp + raw body and `X-Twilio-Email-Event-Webhook-Timestamp` = unix seconds.
// Twilio status callback (twilio.com/docs/usage/webhooks/webhooks-security,
// /docs/messaging/guides/outbound-message-status-in-status-callbacks): a form POST to the
// StatusCallback URL with `X-Twilio-Signature` = base64 HMAC-SHA1 (key = Auth Token) over the URL
// as called + the params' names and values sorted by name, computed with twilio-node's own
// `getExpectedTwilioSignature`. Facts and unconfirmed choices: README.md. Test levers under
// /_sim/. State (the list of what was sent) is in memory.
import { createServer } from 'node:http';
import { createPrivateKey, createPublicKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { URLSearchParams } from 'node:url';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';

const PORT = Number(process.env.PORT ?? 58414);
const SENT_KEPT = 200;

// The SendGrid key pair. dev-key.pem is a throwaway test key committed on purpose, so dev config
// can carry its public key as a constant; SIM_NOTIFY_SENDGRID_PRIVATE_KEY (PKCS8 PEM) pins another.
const keySource = process.env.SIM_NOTIFY_SENDGRID_PRIVATE_KEY
  ? 'SIM_NOTIFY_SENDGRID_PRIVATE_KEY'
  : 'dev-key.pem';
const privateKey = createPrivateKey(
  process.env.SIM_NOTIFY_SENDGRID_PRIVATE_KEY?.replace(/\\n/g, '\n') ??
    readFileSync(new URL('./dev-key.pem', import.meta.url)),
);
if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
  throw new Error(`${keySource} must be an ECDSA P-256 private key`);
const publicKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');

const TWILIO = {
  authToken: process.env.SIM_NOTIFY_TWILIO_AUTH_TOKEN || 'dev-twilio-auth-token-0000000000',
  accountSid: process.env.SIM_NOTIFY_TWILIO_ACCOUNT_SID || 'AC' + '0'.repeat(32),
  from: '+15005550006',
  to: '+84900000000',
};
// Twilio's error codes for an undelivered / failed message when the caller names none:
// 30003 "Unreachable destination handset", 30008 "Unknown error" (our choice of defaults).
const DEFAULT_ERROR = { undelivered: '30003', failed: '30008' };

let sent = [];
const remember = (entry) => {
  sent.push(entry);
  if (sent.length > SENT_KEPT) sent = sent.slice(-SENT_KEPT);
};

/** POSTs to the webhook and answers what it said (status and text), or why it could not. */
async function deliver(url, headers, body) {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { error: String(err?.cause?.message ?? err?.message ?? err) };
  }
}

const checkUrl = (url) => {
  if (typeof url !== 'string') return 'url is required';
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : 'url must be http(s)';
  } catch {
    return 'url is not a URL';
  }
};

// ------------------------------------------------------------------ SendGrid

const messageId = () =>
  `${randomBytes(16).toString('base64url')}.recvd-sim-${randomBytes(3).toString('hex')}-1-0`;

async function sendgridEvents(req) {
  const bad = checkUrl(req.url);
  if (bad) return [400, { error: bad }];
  if (!Array.isArray(req.events) || req.events.some((e) => !e || typeof e !== 'object' || Array.isArray(e)))
    return [400, { error: 'events must be an array of objects' }];
  if (req.timestamp !== undefined && !Number.isInteger(req.timestamp))
    return [400, { error: 'timestamp must be whole unix seconds' }];
  const timestamp = String(req.timestamp ?? Math.floor(Date.now() / 1000));
  // Every field the caller gives passes through untouched (custom_args such as
  // tuoi_notification_id are top-level fields of each event, as SendGrid sends them).
  const events = req.events.map((e) => ({
    ...e,
    email: e.email ?? 'customer@example.com',
    timestamp: e.timestamp ?? Number(timestamp),
    event: e.event ?? 'delivered',
    sg_event_id: e.sg_event_id ?? randomUUID(),
    sg_message_id: e.sg_message_id ?? messageId(),
  }));
  const signedBody = JSON.stringify(events);
  const signature = sign('sha256', Buffer.from(timestamp + signedBody, 'utf8'), privateKey).toString(
    'base64',
  );
  // tamper: the body changes after signing (the first event gains a field), so the signature no
  // longer matches while the body stays a valid array of events.
  const body = req.tamper
    ? JSON.stringify([{ ...events[0], sim_tampered: true }, ...events.slice(1)])
    : signedBody;
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'SendGrid Event API',
    'x-twilio-email-event-webhook-signature': signature,
    'x-twilio-email-event-webhook-timestamp': timestamp,
  };
  const answer = await deliver(req.url, headers, body);
  remember({
    at: new Date().toISOString(),
    provider: 'sendgrid',
    url: req.url,
    tamper: !!req.tamper,
    timestamp,
    body,
    answer,
  });
  if (answer.error) return [502, { error: `webhook unreachable: ${answer.error}`, sent: body }];
  return [200, { ...answer, sent: body }];
}

// ------------------------------------------------------------------ Twilio

async function twilioStatus(req) {
  const bad = checkUrl(req.url);
  if (bad) return [400, { error: bad }];
  const status = req.MessageStatus ?? 'delivered';
  const sid = req.MessageSid ?? 'SM' + randomBytes(16).toString('hex');
  const form = {
    AccountSid: req.AccountSid ?? TWILIO.accountSid,
    ApiVersion: '2010-04-01',
    From: req.From ?? TWILIO.from,
    MessageSid: sid,
    MessageStatus: status,
    SmsSid: sid,
    SmsStatus: status,
    To: req.To ?? TWILIO.to,
  };
  const errorCode = req.ErrorCode ?? DEFAULT_ERROR[status];
  if (errorCode !== undefined && errorCode !== null) form.ErrorCode = String(errorCode);
  for (const [k, v] of Object.entries(form))
    if (typeof v !== 'string') return [400, { error: `${k} must be a string` }];
  // Signed over the URL exactly as given (Twilio signs the StatusCallback URL it was handed,
  // query included) and the params sorted by name, by twilio-node's own helper.
  const signature = getExpectedTwilioSignature(TWILIO.authToken, req.url, form);
  // tamper: the status changes after signing (a forged "delivered", or "failed" if it was one).
  const posted = req.tamper
    ? {
        ...form,
        MessageStatus: status === 'delivered' ? 'failed' : 'delivered',
        SmsStatus: status === 'delivered' ? 'failed' : 'delivered',
      }
    : form;
  const headers = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'user-agent': 'TwilioProxy/1.1',
    'x-twilio-signature': signature,
  };
  const answer = await deliver(req.url, headers, new URLSearchParams(posted).toString());
  remember({
    at: new Date().toISOString(),
    provider: 'twilio',
    url: req.url,
    tamper: !!req.tamper,
    form: posted,
    answer,
  });
  if (answer.error) return [502, { error: `webhook unreachable: ${answer.error}`, sent: posted }];
  return [200, { ...answer, sent: posted }];
}

// ------------------------------------------------------------------ HTTP

const routes = {
  'GET /_sim/health': async () => [200, { ok: true }],
  'GET /_sim/sendgrid/public-key': async () => [200, { public_key: publicKeyDer }],
  'GET /_sim/sent': async () => [200, sent],
  'POST /_sim/reset': async () => {
    sent = [];
    return [200, { ok: true }];
  },
  'POST /_sim/sendgrid/events': sendgridEvents,
  'POST /_sim/twilio/status': twilioStatus,
};

const server = createServer((req, res) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (raw += c));
  req.on('end', async () => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const route = routes[`${req.method} ${new URL(req.url, 'http://sim').pathname}`];
    if (!route) return reply(404, { error: 'not found' });
    let body = {};
    if (req.method === 'POST' && raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(400, { error: 'body is not JSON' });
      }
      if (!body || typeof body !== 'object' || Array.isArray(body))
        return reply(400, { error: 'body must be an object' });
    }
    try {
      reply(...(await route(body)));
    } catch (err) {
      reply(500, { error: String(err?.message ?? err) });
    }
  });
});

server.listen(PORT, '127.0.0.1', () => {
  // Nothing secret here: the public key is public; the private key and the token are not logged.
  console.log(
    `notify simulator on 127.0.0.1:${PORT} (SendGrid key from ${keySource}, public ${publicKeyDer})`,
  );
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));

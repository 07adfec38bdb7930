/**
 * Contract tests of the SendGrid and Twilio adapters: the official SDKs, through our outbound
 * client, against Prism serving each vendor's own OpenAPI document (infra/svc/prism.sh; URLs from
 * infra/services.env). Prism validates every request against the document, so a request the
 * vendor's spec rejects fails here. Outages (a closed port, a 503) are our own stand-ins: a
 * vendor's spec says nothing about how its servers fail.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rejected, type EmailMessage, type SmsMessage } from '../channels';
import { ProviderUnavailableError } from '../../shared/outbound';
import { parseConfig } from '../../shared/config';
import {
  createSendgridSender,
  sendgridConfigSpec,
  sendgridFromConfig,
  type SendgridOptions,
} from './sendgrid';
import { createTwilioSender, twilioConfigSpec, twilioFromConfig, type TwilioOptions } from './twilio';

const SENDGRID_API_URL = process.env.SENDGRID_API_URL ?? 'http://127.0.0.1:58421';
const TWILIO_API_URL = process.env.TWILIO_API_URL ?? 'http://127.0.0.1:58422';
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const fast = { timeoutMs: 3000 };

const email: EmailMessage = {
  notificationId: 'ntf-0001',
  to: 'lan@example.com',
  lang: 'vi',
  subject: 'Đơn hàng của bạn đã được xác nhận',
  text: 'Xin chào Lan',
  html: '<p>Xin chào Lan</p>',
};
const sms: SmsMessage = {
  notificationId: 'ntf-0002',
  to: '+84901234567',
  body: 'Tuoi: don hang da xac nhan',
};
const callback = (id: string) => `https://hooks.tuoi.vn/notify/twilio/${id}`;

/** Adapters aimed at `url` (Prism or a stand-in). */
const sendgridAt = (baseUrl: string, extra: Partial<SendgridOptions> = {}) =>
  createSendgridSender({ apiKey: 'SG.k', baseUrl, from: { email: 'a@tuoi.vn' }, outbound: fast, ...extra });
const twilioAt = (apiUrl: string, extra: Partial<TwilioOptions> = {}) =>
  createTwilioSender({
    accountSid: ACCOUNT_SID,
    authToken: 't',
    apiUrl,
    from: 'Tuoi',
    statusCallbackUrl: callback,
    outbound: fast,
    ...extra,
  });

/** What a stand-in server saw and answers with. */
interface StandIn {
  url: string;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

async function standIn(answer: (res: ServerResponse) => void): Promise<StandIn> {
  const requests: StandIn['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      answer(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<string> {
  const s = await standIn(() => undefined);
  await s.close();
  return s.url;
}

const reject503 = (res: ServerResponse) => res.writeHead(503, { 'content-type': 'text/plain' }).end('down');

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (err: unknown) => err,
  );
}

describe('SendGrid adapter against Prism (tsg_mail_v3.json)', () => {
  const sender = createSendgridSender({
    apiKey: 'SG.contract-test',
    baseUrl: SENDGRID_API_URL,
    from: { email: 'no-reply@tuoi.vn', name: 'Tươi' },
    outbound: fast,
  });

  it('sends a message the spec accepts (202)', async () => {
    // The spec documents no X-Message-Id header, so Prism sends none: no providerId.
    await expect(sender.send(email)).resolves.toEqual({});
  });

  it('sends from config, in sandbox mode', async () => {
    const config = parseConfig(sendgridConfigSpec, {
      SENDGRID_API_KEY: 'SG.contract-test',
      SENDGRID_API_URL,
      SENDGRID_SANDBOX: 'on',
    });
    const fromConfig = sendgridFromConfig(config, { outbound: fast });
    expect(fromConfig?.provider).toBe('sendgrid');
    await expect(fromConfig!.send(email)).resolves.toEqual({});
  });

  it('is Rejected when the spec refuses the request (recipient not an email: 400)', async () => {
    const err = await failure(sender.send({ ...email, to: 'not-an-email' }));
    expect(err).toBeInstanceOf(Rejected);
    expect((err as Rejected).status).toBe(400);
  });

  it('is Rejected when the sender is not an email (400)', async () => {
    const bad = sendgridAt(SENDGRID_API_URL, { from: { email: 'tuoi' } });
    const err = await failure(bad.send(email));
    expect(err).toBeInstanceOf(Rejected);
    expect((err as Rejected).status).toBe(400);
  });

  it('is Rejected for an empty subject (minLength 1)', async () => {
    const err = await failure(sender.send({ ...email, subject: '' }));
    expect(err).toBeInstanceOf(Rejected);
  });

  it('sends the body the contract test cannot see: text before HTML, our id, the API key', async () => {
    const s = await standIn((res) => res.writeHead(202, { 'x-message-id': 'sg-msg-1' }).end());
    try {
      const probe = sendgridAt(s.url);
      await expect(probe.send(email)).resolves.toEqual({ providerId: 'sg-msg-1' });
      const [req] = s.requests;
      expect(req).toMatchObject({ method: 'POST', url: '/v3/mail/send' });
      expect(req!.headers.authorization).toBe('Bearer SG.k');
      const body = JSON.parse(req!.body);
      expect(body.content.map((c: { type: string }) => c.type)).toEqual(['text/plain', 'text/html']);
      expect(body.personalizations[0].custom_args).toEqual({ tuoi_notification_id: 'ntf-0001' });
      expect(body.mail_settings).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('throws a transient error when SendGrid answers 5xx (a stand-in: the adapter sends no Prism Prefer header)', async () => {
    const s = await standIn(reject503);
    try {
      const down = sendgridAt(s.url);
      const err = await failure(down.send(email));
      expect(err).toBeInstanceOf(ProviderUnavailableError);
      expect(err).not.toBeInstanceOf(Rejected);
      expect(s.requests).toHaveLength(1); // Mail Send has no idempotency key: never retried here
    } finally {
      await s.close();
    }
  });

  it('throws a transient error when SendGrid cannot be reached', async () => {
    const down = sendgridAt(await closedPort());
    const err = await failure(down.send(email));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect((err as ProviderUnavailableError).reason).toBe('network');
  });
});

describe('Twilio adapter against Prism (twilio_api_v2010.json)', () => {
  const sender = createTwilioSender({
    accountSid: ACCOUNT_SID,
    authToken: 'contract-test-token',
    apiUrl: TWILIO_API_URL,
    from: '+15005550006',
    statusCallbackUrl: callback,
    outbound: fast,
  });

  it('sends a message the spec accepts (201 with an SM sid)', async () => {
    const accepted = await sender.send(sms);
    expect(accepted.providerId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('sends from config with a messaging service', async () => {
    const config = parseConfig(twilioConfigSpec, {
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: 'contract-test-token',
      TWILIO_API_URL,
      TWILIO_MESSAGING_SERVICE_SID: 'MG0123456789abcdef0123456789abcdef',
    });
    const fromConfig = twilioFromConfig(config, callback, { outbound: fast });
    await expect(fromConfig!.send(sms)).resolves.toMatchObject({ providerId: expect.stringMatching(/^SM/) });
  });

  it('is Rejected when the spec refuses the request (StatusCallback not a URI: 422)', async () => {
    const bad = twilioAt(TWILIO_API_URL, { statusCallbackUrl: (id) => `not a url ${id}` });
    const err = await failure(bad.send(sms));
    expect(err).toBeInstanceOf(Rejected);
    expect((err as Rejected).status).toBe(422);
  });

  it('sends what the contract test cannot see: form fields, StatusCallback, Basic auth', async () => {
    const s = await standIn((res) =>
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid: 'SMstandin', status: 'queued' })),
    );
    try {
      const probe = twilioAt(s.url, { authToken: 'tok' });
      await expect(probe.send(sms)).resolves.toEqual({ providerId: 'SMstandin' });
      const [req] = s.requests;
      expect(req).toMatchObject({ method: 'POST', url: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json` });
      expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req!.headers.authorization).toBe(
        `Basic ${Buffer.from(`${ACCOUNT_SID}:tok`).toString('base64')}`,
      );
      expect(Object.fromEntries(new URLSearchParams(req!.body))).toEqual({
        To: '+84901234567',
        From: 'Tuoi',
        Body: sms.body,
        StatusCallback: 'https://hooks.tuoi.vn/notify/twilio/ntf-0002',
      });
    } finally {
      await s.close();
    }
  });

  it('is Rejected for a Twilio 400 error body (RestException), the number masked', async () => {
    const refusal = {
      code: 21211,
      message: "The 'To' number +84901234567 is not a valid phone number.",
      status: 400,
    };
    const s = await standIn((res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(refusal)),
    );
    try {
      const probe = twilioAt(s.url);
      const err = await failure(probe.send(sms));
      expect(err).toBeInstanceOf(Rejected);
      expect(err).toMatchObject({ status: 400, detail: expect.stringContaining('21211') });
      expect((err as Rejected).detail).toContain('*******4567'); // numbers masked, as in logs
      expect((err as Rejected).detail).not.toContain('+84901234567');
    } finally {
      await s.close();
    }
  });

  it('throws a transient error when Twilio answers 503 (the spec documents no 5xx: stand-in)', async () => {
    const s = await standIn(reject503);
    try {
      const down = twilioAt(s.url);
      const err = await failure(down.send(sms));
      expect(err).toBeInstanceOf(ProviderUnavailableError);
      expect((err as ProviderUnavailableError).lastStatus).toBe(503);
    } finally {
      await s.close();
    }
  });

  it('throws a transient error when Twilio answers 429', async () => {
    const s = await standIn((res) => res.writeHead(429, { 'retry-after': '1' }).end('{}'));
    try {
      const busy = twilioAt(s.url);
      const err = await failure(busy.send(sms));
      expect(err).not.toBeInstanceOf(Rejected);
      expect(err).toBeInstanceOf(ProviderUnavailableError);
    } finally {
      await s.close();
    }
  });

  it('throws a transient error when Twilio cannot be reached', async () => {
    const down = twilioAt(await closedPort());
    const err = await failure(down.send(sms));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect((err as ProviderUnavailableError).reason).toBe('network');
  });
});

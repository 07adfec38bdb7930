/**
 * The adapters' pure parts: reading their config (off when unset, every problem named at once)
 * and the SendGrid sender address and request body. The wire itself is contract-tested against
 * the vendors' specs in providers.int.test.ts.
 */
import { ConfigError, parseConfig } from '../../shared/config';
import { parseFromAddress, sendgridConfigSpec, sendgridFromConfig, toMailData } from './sendgrid';
import { twilioConfigProblems, twilioConfigSpec, twilioFromConfig } from './twilio';

const sid = 'AC0123456789abcdef0123456789abcdef';
const callback = (id: string) => `https://hooks.tuoi.vn/notify/twilio/${id}`;

describe('parseFromAddress', () => {
  it.each([
    ['Tươi <no-reply@tuoi.vn>', { email: 'no-reply@tuoi.vn', name: 'Tươi' }],
    ['"Tươi, Sài Gòn" <cskh@tuoi.vn>', { email: 'cskh@tuoi.vn', name: 'Tươi, Sài Gòn' }],
    ['  no-reply@tuoi.vn ', { email: 'no-reply@tuoi.vn' }],
    ['<no-reply@tuoi.vn>', { email: 'no-reply@tuoi.vn' }],
  ])('reads %j', (raw, expected) => {
    expect(parseFromAddress(raw)).toEqual(expected);
  });

  it.each(['Tươi', 'Tươi <no-reply>', 'a b@tuoi.vn', '', 'Tươi <a@tuoi.vn'])('refuses %j', (raw) => {
    expect(() => parseFromAddress(raw)).toThrow(/not an email address/);
  });
});

describe('sendgridFromConfig', () => {
  it('is off without an API key, and defaults the URL, the sender and sandbox', () => {
    const config = parseConfig(sendgridConfigSpec, {});
    expect(config).toMatchObject({
      SENDGRID_API_URL: 'https://api.sendgrid.com',
      NOTIFY_EMAIL_FROM: 'Tươi <no-reply@tuoi.vn>',
      SENDGRID_SANDBOX: 'off',
    });
    expect(sendgridFromConfig(config)).toBeUndefined();
  });

  it('is on with an API key', () => {
    const config = parseConfig(sendgridConfigSpec, { SENDGRID_API_KEY: 'SG.key' });
    expect(sendgridFromConfig(config)?.provider).toBe('sendgrid');
  });

  it('names a bad sender address', () => {
    const config = parseConfig(sendgridConfigSpec, { SENDGRID_API_KEY: 'SG.key', NOTIFY_EMAIL_FROM: 'Tươi' });
    expect(() => sendgridFromConfig(config)).toThrow(ConfigError);
    expect(() => sendgridFromConfig(config)).toThrow(/NOTIFY_EMAIL_FROM/);
  });

  it('refuses a sandbox switch other than on|off', () => {
    expect(() => parseConfig(sendgridConfigSpec, { SENDGRID_SANDBOX: 'yes' })).toThrow(/SENDGRID_SANDBOX/);
  });
});

describe('toMailData', () => {
  const message = {
    notificationId: 'ntf-1',
    to: 'lan@example.com',
    lang: 'vi' as const,
    subject: 'Xin chào',
    text: 't',
    html: '<p>h</p>',
  };

  it('puts plain text before HTML and our id in the personalization', () => {
    expect(toMailData(message, { from: { email: 'a@tuoi.vn' } })).toEqual({
      personalizations: [
        { to: [{ email: 'lan@example.com' }], customArgs: { tuoi_notification_id: 'ntf-1' } },
      ],
      from: { email: 'a@tuoi.vn' },
      subject: 'Xin chào',
      content: [
        { type: 'text/plain', value: 't' },
        { type: 'text/html', value: '<p>h</p>' },
      ],
    });
  });

  it('turns sandbox mode on only when asked', () => {
    expect(toMailData(message, { from: { email: 'a@tuoi.vn' }, sandbox: true }).mailSettings).toEqual({
      sandboxMode: { enable: true },
    });
  });
});

describe('twilioFromConfig', () => {
  const base = { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'token' };

  it('is off without an account SID and token, and defaults the URL', () => {
    const config = parseConfig(twilioConfigSpec, {});
    expect(config.TWILIO_API_URL).toBe('https://api.twilio.com');
    expect(twilioFromConfig(config, callback)).toBeUndefined();
  });

  it('is on with a sender number, a sender ID or a messaging service', () => {
    for (const extra of [
      { TWILIO_FROM: '+15005550006' },
      { TWILIO_FROM: 'Tuoi' },
      { TWILIO_MESSAGING_SERVICE_SID: 'MG0123456789abcdef0123456789abcdef' },
    ])
      expect(twilioFromConfig(parseConfig(twilioConfigSpec, { ...base, ...extra }), callback)?.provider).toBe(
        'twilio',
      );
  });

  it('names every problem of a half-done config', () => {
    const config = parseConfig(twilioConfigSpec, { TWILIO_ACCOUNT_SID: 'AC123' });
    expect(twilioConfigProblems(config)).toEqual([
      'TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits',
      'TWILIO_AUTH_TOKEN is required when Twilio is configured',
      'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when Twilio is configured',
    ]);
    expect(() => twilioFromConfig(config, callback)).toThrow(ConfigError);
  });

  it.each(['0901234567', 'Tuoi Grocery Store', '+0123', '12345'])('refuses the sender %j', (from) => {
    const problems = twilioConfigProblems(parseConfig(twilioConfigSpec, { ...base, TWILIO_FROM: from }));
    expect(problems).toEqual([expect.stringMatching(/^TWILIO_FROM must be/)]);
  });

  it('refuses a messaging service SID that is not MG…', () => {
    const config = parseConfig(twilioConfigSpec, { ...base, TWILIO_MESSAGING_SERVICE_SID: 'PN123' });
    expect(twilioConfigProblems(config)).toEqual([expect.stringMatching(/^TWILIO_MESSAGING_SERVICE_SID/)]);
  });
});

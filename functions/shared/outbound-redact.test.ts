import { isSecretName, maskNumbers, redactBody, redactHeaders, redactUrl } from './outbound-redact';

describe('maskNumbers', () => {
  it.each([
    ['card 4242424242424242', 'card ************4242'],
    ['card 4242 4242 4242 4242 ok', 'card ************4242 ok'],
    ['call +84 901 234 567', 'call *******4567'],
    ['0901-234-567', '******4567'],
    ['order 1234567 and qty 12', 'order 1234567 and qty 12'],
    ['', ''],
  ])('%j → %j', (text, masked) => expect(maskNumbers(text)).toBe(masked));
});

describe('isSecretName', () => {
  it.each([
    ['Authorization', true],
    ['Stripe-Signature', true],
    ['X-Twilio-Signature', true],
    ['x-api-key', true],
    ['Pass-Key', true], // GoSend
    ['apikey', true], // AhaMove's webhook header
    ['access_token', true],
    ['client_secret', true],
    ['card[cvc]', true],
    ['Idempotency-Key', false],
    ['content-type', false],
    ['amount', false],
  ])('%s → %s', (name, secret) => expect(isSecretName(name)).toBe(secret));
});

describe('redaction', () => {
  it('redacts secret headers and masks numbers in the others', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer sk_live_abc',
        'X-Customer-Phone': '+84901234567',
        Accept: '*/*',
      }),
    ).toEqual({ authorization: '[redacted]', 'x-customer-phone': '*******4567', accept: '*/*' });
  });

  it('strips URL credentials, redacts secret query values and masks numbers', () => {
    expect(redactUrl('https://user:pw@api.example/v1/phones/84901234567?api_key=abc&page=2')).toBe(
      'https://api.example/v1/phones/*******4567?api_key=redacted&page=2',
    );
  });

  it('redacts secret members and masks card and phone numbers anywhere in a body', () => {
    expect(
      redactBody({
        amount: 150000,
        card: { number: '4242424242424242', cvc: '123', exp_month: 12 },
        to: ['+84901234567'],
        client_secret: 'pi_123_secret_456',
        msisdn: 84901234567,
      }),
    ).toEqual({
      amount: 150000,
      card: { number: '************4242', cvc: '[redacted]', exp_month: 12 },
      to: ['*******4567'],
      client_secret: '[redacted]',
      msisdn: '*******4567',
    });
  });
});

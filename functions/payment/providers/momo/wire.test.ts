/**
 * MoMo's wire format (wire.ts): signature strings and known answers, bodies, result codes, query
 * and refund answers, IPN verification. The HMAC vectors use MoMo's public sandbox keys (as
 * published in MoMo's sample code and copied by many integrations) and were computed independently
 * with `openssl dgst -sha256 -hmac`; MoMo's docs publish no example whose key is public.
 */
import { NotificationAuthError, NotificationFormatError, RailRefusedError } from '../../rail';
import {
  checkAmount,
  checkOrderId,
  fromQuery,
  fromRefund,
  momoRequestId,
  momoSign,
  momoStatus,
  parseIpn,
  rawSignature,
  sameSignature,
  toConfirmBody,
  toCreateBody,
  toRefundBody,
} from './wire';

const SANDBOX = {
  partnerCode: 'MOMO',
  accessKey: 'F8BBA842ECF85',
  secretKey: 'K951B6PE1waDMi640xX08PD3vg6EkVlz',
};
const now = new Date('2026-03-02T03:00:00Z');

const IPN = {
  orderType: 'momo_wallet',
  amount: 1000,
  partnerCode: 'MOMO',
  orderId: 'Partner_Transaction_ID_1721720620078',
  extraData: 'eyJza3VzIjoiIn0=',
  transId: 4088878653,
  responseTime: 1721720663942,
  resultCode: 0,
  message: 'Successful.',
  payType: 'qr',
  requestId: 'Request_ID_1721720620078',
  orderInfo: 'Thank you for your purchase at MoMo_test',
};

describe('signatures (known answers)', () => {
  it.each([
    [
      'create',
      { amount: 50000, extraData: '', ipnUrl: 'https://webhook.site/ipn', orderId: 'MOMO1721720620078', orderInfo: 'pay with MoMo', partnerCode: 'MOMO', redirectUrl: 'https://webhook.site/return', requestId: 'MOMO1721720620078', requestType: 'captureWallet' }, // prettier-ignore
      '48b9d06d01af8e3f93908c0ea92521afae015dd02dc5523cb368d33bf7f11806',
    ],
    ['ipn', IPN, 'c7495f9e342872395d4dbc711ff662d2bb5cb08cca4aec66272d74f70ade021a'],
    [
      'query',
      { orderId: 'MOMO1721720620078', partnerCode: 'MOMO', requestId: 'q-1' },
      'e2db7308df34290c9b55cf0a05b2caaca8c37cf35dd355d2101fa8fc1994ffc1',
    ],
    [
      'refund',
      { amount: 20000, description: 'Thiếu hàng', orderId: 'MOMO1721720620078-r1', partnerCode: 'MOMO', requestId: 'r1', transId: 4088878653 }, // prettier-ignore
      'df515ba8a0159b0a7657794972993b4fd224e22c4d566d6401954173798d46c3',
    ],
    [
      'confirm',
      { amount: 45000, description: '', orderId: 'MOMO1721720620078', partnerCode: 'MOMO', requestId: 'c1', requestType: 'capture' }, // prettier-ignore
      '2534dab04d468c02630e32cd3b5b8ea0da7d859587cffa6b9392935b8a494dca',
    ],
  ] as const)('%s', (kind, fields, expected) => {
    expect(momoSign(kind, fields, SANDBOX)).toBe(expected);
  });

  it('orders fields alphabetically with our accessKey and leaves out the rest', () => {
    expect(
      rawSignature('query', { requestId: 'r', orderId: 'o', partnerCode: 'p', accessKey: 'a', lang: 'vi' }),
    ).toBe('accessKey=a&orderId=o&partnerCode=p&requestId=r');
    expect(rawSignature('confirm', { accessKey: 'a' })).toBe(
      'accessKey=a&amount=&description=&orderId=&partnerCode=&requestId=&requestType=',
    );
  });

  it.each([
    ['C7495F9E342872395D4DBC711FF662D2BB5CB08CCA4AEC66272D74F70ADE021A', true],
    ['c7495f9e342872395d4dbc711ff662d2bb5cb08cca4aec66272d74f70ade021b', false],
    ['c7495f9e', false],
    [undefined, false],
    [42, false],
  ])('sameSignature(%s)', (given, ok) => {
    expect(sameSignature(given, 'c7495f9e342872395d4dbc711ff662d2bb5cb08cca4aec66272d74f70ade021a')).toBe(ok);
  });
});

describe('momoStatus', () => {
  it.each([
    [0, 'captured'],
    [9000, 'authorised'],
    [1000, 'pending'],
    [7000, 'pending'],
    [7002, 'pending'],
    [8000, 'requires_action'],
    [1005, 'expired'],
    [1003, 'expired'],
    [1017, 'voided'],
    [1006, 'failed'],
    [1001, 'failed'],
    [99, 'failed'],
  ])('%i → %s', (code, status) => expect(momoStatus(code)).toBe(status));
});

describe('checks', () => {
  it.each(['pay-123', 'Tuoi_2026.03.02', 'a'])('accepts orderId %s', (id) =>
    expect(checkOrderId(id)).toBe(id),
  );
  it.each(['-pay', 'pay-', 'pay 1', 'đơn-1', '', 'a'.repeat(201), `${'a'.repeat(40)}!`])(
    'refuses orderId %j',
    (id) => expect(() => checkOrderId(id)).toThrow(RailRefusedError),
  );
  it.each([999, 1.5, 50_000_001, -1, NaN])('refuses amount %s', (a) =>
    expect(() => checkAmount(a)).toThrow(RailRefusedError),
  );
  it('keeps a short key as requestId and digests a long one', () => {
    expect(momoRequestId('pay-1:capture:a1')).toBe('pay-1:capture:a1');
    const long = momoRequestId('x'.repeat(80));
    expect(long).toMatch(/^k-[0-9a-f]{40}$/);
    expect(momoRequestId('x'.repeat(80))).toBe(long);
  });
});

describe('bodies', () => {
  it('asks for a wallet hold, signed', () => {
    const body = toCreateBody(
      { paymentId: 'pay-1', attemptId: 'a1', amountVnd: 250_000, description: 'Tươi order 1', returnUrl: 'https://t/r', notifyUrl: 'https://t/n', lang: 'vi', idempotencyKey: 'pay-1:authorise:a1' }, // prettier-ignore
      SANDBOX,
    );
    expect(body).toMatchObject({ requestType: 'captureWallet', autoCapture: false, orderId: 'pay-1', amount: 250_000, ipnUrl: 'https://t/n', redirectUrl: 'https://t/r', requestId: 'pay-1:authorise:a1', lang: 'vi' }); // prettier-ignore
    expect(JSON.parse(Buffer.from(body.extraData, 'base64').toString())).toEqual({ attemptId: 'a1' });
    expect(body.signature).toBe(momoSign('create', body, SANDBOX));
  });

  it('confirms and refunds, signed', () => {
    const c = toConfirmBody({ orderId: 'MOMO1721720620078', requestType: 'capture', amountVnd: 45_000, idempotencyKey: 'c1', description: '' }, SANDBOX); // prettier-ignore
    expect(c).toMatchObject({ requestId: 'c1', requestType: 'capture', amount: 45_000, lang: 'en' });
    expect(c.signature).toBe('2534dab04d468c02630e32cd3b5b8ea0da7d859587cffa6b9392935b8a494dca');
    const r = toRefundBody({ refundId: 'pay-1-r1', transId: '4088878653', amountVnd: 20_000, reason: 'x', idempotencyKey: 'r1' }, SANDBOX); // prettier-ignore
    expect(r).toMatchObject({ orderId: 'pay-1-r1', transId: 4088878653, amount: 20_000 });
    expect(() => toRefundBody({ refundId: 'bad id', transId: '1', amountVnd: 20_000, reason: '', idempotencyKey: 'r' }, SANDBOX)).toThrow(RailRefusedError); // prettier-ignore
  });
});

describe('answers', () => {
  it('reads a query: held, then captured with refunds', () => {
    expect(fromQuery({ resultCode: 9000, amount: 300_000, transId: 77, responseTime: 1 }, now)).toEqual({
      providerRef: '77',
      status: 'authorised',
      authorisedVnd: 300_000,
      capturedVnd: 0,
      refundedVnd: 0,
      at: new Date(1),
    });
    const refundTrans = [
      { amount: 20_000, resultCode: 0 },
      { amount: 5_000, resultCode: 1080 },
    ];
    expect(fromQuery({ resultCode: 0, amount: 280_000, transId: 77, refundTrans }, now)).toMatchObject({
      status: 'captured',
      capturedVnd: 280_000,
      refundedVnd: 20_000,
      at: now,
    });
    expect(fromQuery({ resultCode: 1006, amount: 1, transId: 0, message: 'declined' }, now)).toMatchObject({
      status: 'failed',
      failure: { code: '1006', message: 'declined' },
    });
    expect(() => fromQuery({ message: 'nope' }, now)).toThrow(RailRefusedError);
    expect(() => fromQuery({ resultCode: 42, message: 'orderId not found' }, now)).toThrow(
      /42: orderId not found/,
    );
  });

  it('reads a refund answer', () => {
    expect(fromRefund(200, { resultCode: 0, transId: 9, amount: 20_000 })).toEqual({ refundRef: '9', status: 'succeeded', amountVnd: 20_000 }); // prettier-ignore
    expect(fromRefund(200, { resultCode: 7000, transId: 9, amount: 1 }).status).toBe('pending');
    expect(() => fromRefund(200, { resultCode: 1081, message: 'too much' })).toThrow(/1081: too much/);
  });
});

describe('parseIpn', () => {
  const signed = (b: Record<string, unknown>) =>
    JSON.stringify({ ...b, signature: momoSign('ipn', b, SANDBOX) });

  it('verifies and reads an IPN', () => {
    const n = parseIpn(signed(IPN), SANDBOX, now);
    expect(n).toEqual({
      rail: 'momo',
      eventId: '4088878653:0',
      paymentId: IPN.orderId,
      amountVnd: 1000,
      state: { providerRef: '4088878653', status: 'captured', authorisedVnd: 0, capturedVnd: 1000, refundedVnd: 0, at: new Date(IPN.responseTime) }, // prettier-ignore
    });
  });

  it('refuses tampering, another partner, and a body that is not MoMo’s', () => {
    const good = JSON.parse(signed(IPN)) as Record<string, unknown>;
    expect(() => parseIpn(JSON.stringify({ ...good, amount: 2000 }), SANDBOX, now)).toThrow(
      NotificationAuthError,
    );
    expect(() => parseIpn(JSON.stringify({ ...good, signature: 'x' }), SANDBOX, now)).toThrow(
      NotificationAuthError,
    );
    expect(() => parseIpn(signed({ ...IPN, partnerCode: 'OTHER' }), SANDBOX, now)).toThrow(
      NotificationAuthError,
    );
    expect(() => parseIpn('not json', SANDBOX, now)).toThrow(NotificationFormatError);
    expect(() => parseIpn(signed({ ...IPN, orderId: undefined }), SANDBOX, now)).toThrow(
      NotificationFormatError,
    );
  });
});

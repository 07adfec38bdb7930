/**
 * VNPay's wire format: known-answer vectors for the query signature (VNPay's own sample URL for
 * the encoding, the community SDK `lehuygiang28/vnpay` for the digest), the `|` checksums in the
 * documented field order, GMT+7 stamps, our TxnRef, IPN parsing and the IPN answers.
 */
import { createHmac } from 'node:crypto';
import { NotificationAuthError, NotificationFormatError } from '../../rail';
import {
  QUERYDR_FIELDS,
  REFUND_FIELDS,
  dongOf,
  fromIpn,
  fromQueryDr,
  gmt7Stamp,
  hmacSha512,
  ipnAnswer,
  orderInfo,
  parseGmt7Stamp,
  parseTxnRef,
  pipeHash,
  requestIdFor,
  signData,
  signedUrl,
  txnRefFor,
  vnpEncode,
} from './wire';

/** The payment URL in VNPay's integration guide (sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html). */
const DOC_QUERY =
  'vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1' +
  '&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other' +
  '&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0';

/** The community SDK's return/IPN fixture (test/__helpers__/test-fixtures.ts), secret `test_secret`. */
const SDK_RETURN = {
  vnp_Amount: '1000000',
  vnp_BankCode: 'NCB',
  vnp_BankTranNo: 'VNP14422574',
  vnp_CardType: 'ATM',
  vnp_OrderInfo: 'Thanh toan don hang 2024-05-21T02:17:31.249Z',
  vnp_PayDate: '20240521091806',
  vnp_ResponseCode: '00',
  vnp_TmnCode: 'TEST_TMN_CODE',
  vnp_TransactionNo: '14422574',
  vnp_TransactionStatus: '00',
  vnp_TxnRef: '1716257871703',
};
const SDK_HASH =
  '649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361dbf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895';

const CFG = { tmnCode: 'TUOISIM1', hashSecret: 'tuoi-unit-secret-0123456789' };
const REF = 'pay-42-20261207113000';

function ipn(overrides: Record<string, string> = {}, secret = CFG.hashSecret): Record<string, string> {
  const params = {
    vnp_Amount: '15000000',
    vnp_BankCode: 'NCB',
    vnp_OrderInfo: 'Tuoi don hang 42',
    vnp_PayDate: '20261207113512',
    vnp_ResponseCode: '00',
    vnp_TmnCode: CFG.tmnCode,
    vnp_TransactionNo: '14000001',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: REF,
    ...overrides,
  };
  return { ...params, vnp_SecureHash: hmacSha512(secret, signData(params)) };
}

describe('the query signature', () => {
  it("re-encodes VNPay's sample URL byte for byte", () => {
    const params = Object.fromEntries(new URLSearchParams(DOC_QUERY));
    expect(signData(params)).toBe(DOC_QUERY);
  });

  it("gives the community SDK's digest for its fixture", () => {
    expect(hmacSha512('test_secret', signData(SDK_RETURN))).toBe(SDK_HASH);
    expect(signData({ ...SDK_RETURN, vnp_SecureHash: SDK_HASH, vnp_SecureHashType: 'HmacSHA512' })).toBe(
      signData(SDK_RETURN),
    );
  });

  it.each([
    ['a b', 'a+b'],
    ['Tươi', 'T%C6%B0%C6%A1i'],
    [':/?&=#', '%3A%2F%3F%26%3D%23'],
    ["!'()*~", '%21%27%28%29%2A%7E'],
    ['-_.', '-_.'],
  ])('encodes %j as %j', (raw, encoded) => expect(vnpEncode(raw)).toBe(encoded));

  it('signs the URL with the secret over the sorted query', () => {
    const url = new URL(signedUrl('https://pay.example/vpcpay.html', { vnp_B: '2', vnp_A: 'x y' }, 's'));
    expect(url.search).toMatch(/^\?vnp_A=x\+y&vnp_B=2&vnp_SecureHash=[0-9a-f]{128}$/);
    expect(url.searchParams.get('vnp_SecureHash')).toBe(hmacSha512('s', 'vnp_A=x+y&vnp_B=2'));
  });
});

describe('the merchant API checksums', () => {
  const body = Object.fromEntries(REFUND_FIELDS.map((f, i) => [f, `v${i}`]));
  it.each([
    ['querydr', QUERYDR_FIELDS, 'v0|v1|v2|v3|v5|v8|v10|v11|v12'],
    ['refund', REFUND_FIELDS, 'v0|v1|v2|v3|v4|v5|v6|v7|v8|v9|v10|v11|v12'],
  ])('%s joins its fields in the documented order', (_name, fields, joined) => {
    const expected = createHmac('sha512', 'k').update(joined).digest('hex');
    expect(
      pipeHash(
        'k',
        fields.map((f) => body[f]),
      ),
    ).toBe(expected);
  });
  it('joins an absent field as empty', () =>
    expect(pipeHash('k', ['a', undefined, 'c'])).toBe(hmacSha512('k', 'a||c')));
});

describe('GMT+7 stamps and our TxnRef', () => {
  it('formats and parses yyyyMMddHHmmss in GMT+7', () => {
    expect(gmt7Stamp(new Date('2026-12-07T04:30:05Z'))).toBe('20261207113005');
    expect(parseGmt7Stamp('20261207113005')?.toISOString()).toBe('2026-12-07T04:30:05.000Z');
    expect(parseGmt7Stamp('20260230113005')).toBeUndefined();
    expect(parseGmt7Stamp('2026')).toBeUndefined();
  });
  it('carries the payment id and the create stamp', () => {
    expect(txnRefFor('0b9e-4c', '20261207113005')).toBe('0b9e-4c-20261207113005');
    expect(parseTxnRef('0b9e-4c-20261207113005')).toEqual({
      paymentId: '0b9e-4c',
      createStamp: '20261207113005',
    });
    expect(parseTxnRef('0b9e-4c')).toBeUndefined();
    expect(() => txnRefFor('a b', '20261207113005')).toThrow(/letters, digits or dashes/);
  });
  it('keeps OrderInfo to characters every sample encodes alike', () => {
    expect(orderInfo('Đơn hàng Tươi #123 (rau củ)!')).toBe('Don hang Tuoi #123 rau cu');
    expect(orderInfo('***')).toBe('Tuoi');
  });
  it('uses a 32-character key as the request id, and hashes any other', () => {
    expect(requestIdFor('a'.repeat(32))).toBe('a'.repeat(32));
    expect(requestIdFor('pay:42:refund')).toMatch(/^[0-9a-f]{32}$/);
  });
  it.each([
    ['15000000', 150000],
    [15000000, 150000],
    ['1500050', undefined],
    ['-100', undefined],
    ['abc', undefined],
  ])('reads vnp_Amount %j as %j đồng', (raw, dong) => expect(dongOf(raw)).toBe(dong));
});

describe('IPN', () => {
  const now = new Date('2026-12-07T05:00:00Z');
  it('reads a paid IPN as captured, keyed by ref, transaction and code', () => {
    const n = fromIpn(ipn(), CFG, now);
    expect(n).toMatchObject({
      rail: 'vnpay',
      eventId: `${REF}:14000001:00`,
      paymentId: 'pay-42',
      amountVnd: 150000,
    });
    expect(n.state).toMatchObject({ status: 'captured', capturedVnd: 150000, providerRef: REF });
    expect(n.state.at.toISOString()).toBe('2026-12-07T04:35:12.000Z');
  });
  it.each([
    ['24', '02', 'failed'],
    ['11', '02', 'expired'],
    ['51', '02', 'failed'],
    ['07', '00', 'pending'],
  ])('reads code %s / status %s as %s', (code, txStatus, status) => {
    const n = fromIpn(
      ipn({ vnp_ResponseCode: code, vnp_TransactionStatus: txStatus, vnp_TransactionNo: '0' }),
      CFG,
      now,
    );
    expect(n.state).toMatchObject({ status, capturedVnd: 0, failure: { code } });
  });
  it('refuses a tampered amount, a wrong secret, another terminal, or no hash', () => {
    expect(() => fromIpn({ ...ipn(), vnp_Amount: '99900000' }, CFG, now)).toThrow(NotificationAuthError);
    expect(() => fromIpn(ipn({}, 'another-secret-000000'), CFG, now)).toThrow(NotificationAuthError);
    expect(() => fromIpn(ipn({ vnp_TmnCode: 'OTHER001' }), CFG, now)).toThrow(NotificationAuthError);
    const { vnp_SecureHash: _, ...unsigned } = ipn();
    expect(() => fromIpn(unsigned, CFG, now)).toThrow(NotificationAuthError);
  });
  it('refuses what is signed but not ours to read', () => {
    expect(() => fromIpn(ipn({ vnp_TxnRef: '12345' }), CFG, now)).toThrow(NotificationFormatError);
    expect(() => fromIpn(ipn({ vnp_Amount: '1500050' }), CFG, now)).toThrow(NotificationFormatError);
  });
  it('ignores parameters of our own on the IPN URL', () =>
    expect(fromIpn({ ...ipn(), tenant: 'hcm' }, CFG, now).amountVnd).toBe(150000));
  it.each([
    ['applied', '00'],
    ['duplicate', '02'],
    ['unknown_payment', '01'],
    ['amount_mismatch', '04'],
    ['bad_signature', '97'],
    ['error', '99'],
  ] as const)('answers %s with RspCode %s', (verdict, code) => expect(ipnAnswer(verdict).RspCode).toBe(code));
});

describe('querydr', () => {
  const now = new Date('2026-12-07T05:00:00Z');
  it.each([
    ['00', '01', 'captured', 150000, 0],
    ['00', '02', 'captured', 150000, 150000],
    ['00', '03', 'captured', 150000, 0],
    ['01', '01', 'pending', 0, 0],
    ['02', '01', 'failed', 0, 0],
  ])('reads status %s type %s as %s', (txStatus, txType, status, captured, refunded) => {
    const state = fromQueryDr(
      { vnp_Amount: '15000000', vnp_TransactionStatus: txStatus, vnp_TransactionType: txType },
      REF,
      now,
    );
    expect(state).toMatchObject({ status, capturedVnd: captured, refundedVnd: refunded, providerRef: REF });
  });
});

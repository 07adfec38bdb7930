/**
 * VNPay from config: off when nothing is set, an error naming what is missing or wrong when
 * partly set, a rail without holds otherwise; authorise refuses what VNPay would refuse.
 */
import { ConfigError, parseConfig } from '../../../shared/config';
import { RailRefusedError } from '../../rail';
import { createVnpayRail, vnpayConfigSpec, vnpayFromConfig } from './adapter';

const FULL = {
  VNPAY_PAY_URL: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
  VNPAY_API_URL: 'https://sandbox.vnpayment.vn/merchant_webapi/api/transaction',
  VNPAY_TMN_CODE: 'TUOISIM1',
  VNPAY_HASH_SECRET: 'a-hash-secret-of-32-characters!!',
};

describe('vnpayFromConfig', () => {
  it('is off when no VNPAY_* variable is set', () => {
    expect(vnpayFromConfig(parseConfig(vnpayConfigSpec, {}))).toBeUndefined();
  });

  it('names every missing variable when partly configured', () => {
    const partial = parseConfig(vnpayConfigSpec, { VNPAY_TMN_CODE: 'TUOISIM1' });
    expect(() => vnpayFromConfig(partial)).toThrow(ConfigError);
    expect(() => vnpayFromConfig(partial)).toThrow(/VNPAY_PAY_URL.*\n.*VNPAY_API_URL.*\n.*VNPAY_HASH_SECRET/);
  });

  it('refuses a short hash secret and a malformed terminal code', () => {
    const bad = parseConfig(vnpayConfigSpec, {
      ...FULL,
      VNPAY_HASH_SECRET: 'short',
      VNPAY_TMN_CODE: 'TUOI SIM',
    });
    expect(() => vnpayFromConfig(bad)).toThrow(/at least 16 characters[\s\S]*letters and digits/);
  });

  it('builds a rail that cannot hold', () => {
    const rail = vnpayFromConfig(parseConfig(vnpayConfigSpec, FULL))!;
    expect(rail).toMatchObject({ name: 'vnpay', holds: false, maxAmountVnd: 999_999_999 });
    rail.close();
  });
});

describe('authorise', () => {
  const rail = createVnpayRail({
    payUrl: FULL.VNPAY_PAY_URL,
    apiUrl: FULL.VNPAY_API_URL,
    tmnCode: FULL.VNPAY_TMN_CODE,
    hashSecret: FULL.VNPAY_HASH_SECRET,
    now: () => new Date('2026-12-07T04:30:05Z'),
  });
  afterAll(() => rail.close());
  const req = {
    paymentId: 'pay-1',
    attemptId: 'a1',
    amountVnd: 150_000,
    description: 'Đơn hàng Tươi 1',
    returnUrl: 'https://tuoi.vn/pay/return',
    notifyUrl: 'https://api.tuoi.vn/payment/notifications/vnpay',
    lang: 'vi' as const,
    customerIp: '203.0.113.9',
    idempotencyKey: 'k1',
  };

  it('signs a redirect with the amount ×100, GMT+7 dates and our ref', async () => {
    const result = await rail.authorise(req);
    expect(result).toMatchObject({
      kind: 'redirect',
      providerRef: 'pay-1-20261207113005',
      status: 'pending',
    });
    const url = new URL((result as { url: string }).url);
    expect(url.origin + url.pathname).toBe(FULL.VNPAY_PAY_URL);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      vnp_Amount: '15000000',
      vnp_CreateDate: '20261207113005',
      vnp_ExpireDate: '20261207114505',
      vnp_Locale: 'vn',
      vnp_OrderInfo: 'Don hang Tuoi 1',
      vnp_TxnRef: 'pay-1-20261207113005',
      vnp_IpAddr: '203.0.113.9',
      vnp_Version: '2.1.0',
    });
  });

  it.each([4_999, 1_000_000_000, 1.5])('refuses %s đồng', async (amountVnd) => {
    await expect(rail.authorise({ ...req, amountVnd })).rejects.toThrow(RailRefusedError);
  });

  it.each(['ord-01abc.p1', 'pay_1', 'a:b'])(
    'refuses payment id %s, which its transaction reference cannot carry (a refusal, not a crash)',
    async (paymentId) => {
      await expect(rail.authorise({ ...req, paymentId })).rejects.toMatchObject({ code: 'payment_id' });
    },
  );

  it('needs the providerRef it returned to read a payment', async () => {
    await expect(rail.status({ paymentId: 'pay-1' })).rejects.toMatchObject({ code: 'missing_ref' });
  });
});

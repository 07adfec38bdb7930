/**
 * The VNPay rail: the `Rail` port over VNPay's payment gateway (a signed redirect URL, a signed
 * IPN) and its merchant API (`querydr`, `refund`), called through the shared outbound client.
 * VNPay cannot hold money: a payment is charged in full when the customer pays, so `capture` of
 * less than was charged refunds the difference ("charged the estimate, the difference refunded")
 * and `void` refunds everything once paid. README.md explains the choices and lists the facts.
 */
import { ConfigError, optional, optionalUrl, type ConfigOf } from '../../../shared/config';
import { createLogger, type Logger } from '../../../shared/log';
import { createOutboundClient, type OutboundOverrides } from '../../../shared/outbound';
import { NotificationFormatError, RailRefusedError, type Rail } from '../../rail';
import { createMerchantApi, type VnpayRef } from './merchant-api';
import {
  MAX_AMOUNT_VND,
  MIN_AMOUNT_VND,
  VNP_VERSION,
  fromIpn,
  gmt7Stamp,
  ipnAnswer,
  orderInfo,
  parseTxnRef,
  signedUrl,
  txnRefFor,
} from './wire';

export interface VnpayRailOptions {
  /** The gateway page, e.g. `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html`. */
  payUrl: string;
  /** The merchant API, e.g. `https://sandbox.vnpayment.vn/merchant_webapi/api/transaction`. */
  apiUrl: string;
  tmnCode: string;
  hashSecret: string;
  /** Our server's address, sent as `vnp_IpAddr` on API calls (and for a customer without one). */
  serverIp?: string;
  /** How long a payment page stays open when the request names no `expiresAt` (default 15 min). */
  pageLifeMs?: number;
  outbound?: OutboundOverrides;
  logger?: Logger;
  /** The clock (tests pin it). */
  now?: () => Date;
}

/** The variables that configure VNPay; all unset leaves VNPay off. */
export const vnpayConfigSpec = {
  VNPAY_PAY_URL: optionalUrl(['https:', 'http:']),
  VNPAY_API_URL: optionalUrl(['https:', 'http:']),
  VNPAY_TMN_CODE: optional(),
  VNPAY_HASH_SECRET: optional(),
};

/** The VNPay rail from config, or undefined when no VNPAY_* variable is set; some but not all is an error. */
export function vnpayFromConfig(
  config: ConfigOf<typeof vnpayConfigSpec>,
  opts: { logger?: Logger; serverIp?: string } = {},
): Rail | undefined {
  const names = Object.keys(vnpayConfigSpec) as (keyof typeof vnpayConfigSpec)[];
  const missing = names.filter((k) => !config[k]);
  if (missing.length === names.length) return undefined;
  const problems = missing.map((k) => `${k} is required when VNPay is configured`);
  const secret = config.VNPAY_HASH_SECRET;
  if (secret && secret.length < 16)
    problems.push(`VNPAY_HASH_SECRET must have at least 16 characters, got ${secret.length}`);
  if (config.VNPAY_TMN_CODE && !/^[A-Za-z0-9]{1,16}$/.test(config.VNPAY_TMN_CODE))
    problems.push('VNPAY_TMN_CODE must be letters and digits (VNPay issues 8)');
  if (problems.length > 0) throw new ConfigError(problems);
  return createVnpayRail({
    payUrl: config.VNPAY_PAY_URL!,
    apiUrl: config.VNPAY_API_URL!,
    tmnCode: config.VNPAY_TMN_CODE!,
    hashSecret: secret!,
    ...opts,
  });
}

const DEFAULT_PAGE_LIFE_MS = 15 * 60_000;

/** Creates the VNPay rail. */
export function createVnpayRail(opts: VnpayRailOptions): Rail {
  const log = opts.logger ?? createLogger('payment.vnpay');
  const now = opts.now ?? (() => new Date());
  const serverIp = opts.serverIp ?? '127.0.0.1';
  const { tmnCode, hashSecret } = opts;
  const client = createOutboundClient({
    provider: 'vnpay',
    baseUrl: opts.apiUrl,
    logger: log,
    ...opts.outbound,
  });
  const merchant = createMerchantApi({ client, apiUrl: opts.apiUrl, tmnCode, hashSecret, serverIp, now });

  /** Our ref at VNPay: the providerRef authorise returned (it carries the create stamp VNPay asks for). */
  const refOf = (p: { paymentId: string; providerRef?: string }): VnpayRef => {
    const parsed = p.providerRef ? parseTxnRef(p.providerRef) : undefined;
    if (!parsed || parsed.paymentId !== p.paymentId)
      throw new RailRefusedError(
        'vnpay',
        'missing_ref',
        `payment ${p.paymentId} needs the providerRef authorise returned`,
      );
    return { ref: p.providerRef!, createStamp: parsed.createStamp };
  };

  /** The payment, read back, for the operations that refund what was charged. */
  const charged = async (p: { paymentId: string; providerRef?: string }, op: string) => {
    const ref = refOf(p);
    const { state, transactionNo } = await merchant.query(ref);
    if (state.status !== 'captured' && op !== 'void')
      throw new RailRefusedError(
        'vnpay',
        'not_paid',
        `payment ${p.paymentId} is ${state.status}: nothing was charged`,
      );
    return { ...ref, state, transactionNo, paidVnd: state.capturedVnd };
  };

  const whole = (n: number, what: string) => {
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new RailRefusedError('vnpay', 'amount', `${what} must be whole đồng > 0`);
  };

  return {
    name: 'vnpay',
    holds: false,
    maxAmountVnd: MAX_AMOUNT_VND,

    async authorise(req) {
      if (
        !Number.isSafeInteger(req.amountVnd) ||
        req.amountVnd < MIN_AMOUNT_VND ||
        req.amountVnd > MAX_AMOUNT_VND
      )
        throw new RailRefusedError(
          'vnpay',
          'amount',
          `VNPay takes ${MIN_AMOUNT_VND}-${MAX_AMOUNT_VND} ₫, not ${req.amountVnd}`,
        );
      if (!/^[A-Za-z0-9-]{1,80}$/.test(req.paymentId))
        throw new RailRefusedError(
          'vnpay',
          'payment_id',
          `VNPay's transaction reference takes letters, digits and dashes only, not "${req.paymentId}"`,
        );
      if (/[!'()*~]/.test(req.returnUrl))
        throw new RailRefusedError(
          'vnpay',
          'return_url',
          "returnUrl must not contain !'()*~ (signed ambiguously)",
        );
      const at = now();
      const createStamp = gmt7Stamp(at);
      const expires =
        req.expiresAt && req.expiresAt.getTime() > at.getTime() + 60_000
          ? req.expiresAt
          : new Date(at.getTime() + (opts.pageLifeMs ?? DEFAULT_PAGE_LIFE_MS));
      const ref = txnRefFor(req.paymentId, createStamp);
      const params = {
        vnp_Version: VNP_VERSION,
        vnp_Command: 'pay',
        vnp_TmnCode: tmnCode,
        vnp_Amount: String(req.amountVnd * 100),
        vnp_CurrCode: 'VND',
        vnp_TxnRef: ref,
        vnp_OrderInfo: orderInfo(req.description),
        vnp_OrderType: 'other',
        vnp_Locale: req.lang === 'en' ? 'en' : 'vn',
        vnp_ReturnUrl: req.returnUrl,
        vnp_IpAddr: req.customerIp ?? serverIp,
        vnp_CreateDate: createStamp,
        vnp_ExpireDate: gmt7Stamp(expires),
      };
      return {
        kind: 'redirect',
        url: signedUrl(opts.payUrl, params, hashSecret),
        providerRef: ref,
        status: 'pending',
      };
    },

    async capture(p) {
      whole(p.amountVnd, 'the capture amount');
      const paid = await charged(p, 'capture');
      if (p.amountVnd > paid.paidVnd)
        throw new RailRefusedError(
          'vnpay',
          'over_charged',
          `only ${paid.paidVnd} ₫ was charged; ${p.amountVnd} ₫ cannot be kept`,
        );
      if (p.amountVnd === paid.paidVnd) return paid.state;
      // Charged the estimate, the difference refunded.
      const back = paid.paidVnd - p.amountVnd;
      const refund = await merchant.refund(
        { ...paid, amountVnd: back, reason: `Tuoi: ${back} d returned after picking` },
        p.idempotencyKey,
      );
      log.info('vnpay capture refunded the difference', {
        ref: paid.ref,
        charged: paid.paidVnd,
        kept: p.amountVnd,
        refund: refund.status,
      });
      return { ...paid.state, refundedVnd: Math.max(paid.state.refundedVnd, back), at: now() };
    },

    async void(p) {
      const paid = await charged(p, 'void');
      if (paid.state.status !== 'captured') {
        // Not paid: nothing to cancel at VNPay; the page lapses at its vnp_ExpireDate.
        const ended = paid.state.status === 'failed' || paid.state.status === 'expired';
        return { ...paid.state, status: ended ? paid.state.status : 'voided', at: now() };
      }
      const refund = await merchant.refund(
        { ...paid, amountVnd: paid.paidVnd, reason: 'Tuoi: order cancelled' },
        p.idempotencyKey,
      );
      return { ...paid.state, status: 'voided', refundedVnd: refund.amountVnd, at: now() };
    },

    async refund(p) {
      whole(p.amountVnd, 'the refund amount');
      const paid = await charged(p, 'refund');
      if (p.amountVnd > paid.paidVnd)
        throw new RailRefusedError('vnpay', 'over_captured', `only ${paid.paidVnd} ₫ was charged`);
      return merchant.refund({ ...paid, amountVnd: p.amountVnd, reason: p.reason }, p.idempotencyKey);
    },

    async status(p) {
      return (await merchant.query(refOf(p))).state;
    },

    parseNotification(req) {
      if (req.method.toUpperCase() !== 'GET')
        throw new NotificationFormatError('vnpay', `the IPN arrives as GET, not ${req.method}`);
      return fromIpn(req.query, { tmnCode, hashSecret }, now());
    },

    acknowledge(verdict) {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: ipnAnswer(verdict) };
    },

    close: () => client.close(),
  };
}

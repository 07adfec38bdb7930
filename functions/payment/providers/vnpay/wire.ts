/**
 * VNPay's wire format as pure functions: the `vnp_*` query signature (HMAC-SHA512 over the
 * sorted, form-encoded parameters), the `|`-joined checksums of the merchant API (querydr,
 * refund), GMT+7 time stamps, our `vnp_TxnRef`, and VNPay's codes in Tươi's words. No I/O
 * (adapter.ts does the calls); the facts each function follows, with their sources, are in
 * README.md.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  NotificationAuthError,
  NotificationFormatError,
  type NotificationVerdict,
  type RailNotification,
  type RailState,
} from '../../rail';

/** The API version Tươi speaks (the only one signed with HMAC-SHA512). */
export const VNP_VERSION = '2.1.0';
/** VNPay takes 5,000 ₫ up to (not including) 1,000,000,000 ₫ per payment (community, README). */
export const MIN_AMOUNT_VND = 5_000;
export const MAX_AMOUNT_VND = 999_999_999;

const GMT7_MS = 7 * 3_600_000;

/** `yyyyMMddHHmmss` in GMT+7, VNPay's time format. */
export function gmt7Stamp(at: Date): string {
  return new Date(at.getTime() + GMT7_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The instant a GMT+7 `yyyyMMddHHmmss` stamp names, or undefined when it is not one. */
export function parseGmt7Stamp(stamp: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - GMT7_MS;
  return Number.isFinite(ms) && gmt7Stamp(new Date(ms)) === stamp ? new Date(ms) : undefined;
}

/**
 * One value as VNPay's 2.1.0 samples encode it before hashing: percent-encoded UTF-8 with a
 * space as `+` (form encoding). The samples disagree on `!'()*~`, so those are always encoded
 * here and never put in a value we sign (see `orderInfo`).
 */
export function vnpEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signed string: every parameter but the hash, sorted by name, `name=encoded` joined by `&`. */
export function signData(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType')
    .sort()
    .map((k) => `${vnpEncode(k)}=${vnpEncode(params[k]!)}`)
    .join('&');
}

/** Hex HMAC-SHA512 of `data` keyed with the hash secret. */
export function hmacSha512(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('hex');
}

/** Whether `given` is the hex digest `expected`, compared in constant time (case-insensitive). */
export function sameHash(given: string | undefined, expected: string): boolean {
  const a = Buffer.from((given ?? '').toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The payment URL: the signed query on the gateway's page. */
export function signedUrl(payUrl: string, params: Readonly<Record<string, string>>, secret: string): string {
  const data = signData(params);
  return `${payUrl}?${data}&vnp_SecureHash=${hmacSha512(secret, data)}`;
}

/** The merchant API checksum: the fields in VNPay's order, joined by `|` (absent = empty). */
export function pipeHash(secret: string, fields: readonly (string | number | undefined)[]): string {
  return hmacSha512(secret, fields.map((f) => (f === undefined ? '' : String(f))).join('|'));
}

/** querydr request fields, in checksum order. */
export const QUERYDR_FIELDS = [
  'vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef',
  'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo',
] as const; // prettier-ignore
/** refund request fields, in checksum order. */
export const REFUND_FIELDS = [
  'vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TransactionType', 'vnp_TxnRef',
  'vnp_Amount', 'vnp_TransactionNo', 'vnp_TransactionDate', 'vnp_CreateBy', 'vnp_CreateDate',
  'vnp_IpAddr', 'vnp_OrderInfo',
] as const; // prettier-ignore
/** Response fields of both commands, in checksum order (querydr adds the promotion pair). */
export const RESPONSE_FIELDS = [
  'vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode', 'vnp_TxnRef',
  'vnp_Amount', 'vnp_BankCode', 'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType',
  'vnp_TransactionStatus', 'vnp_OrderInfo',
] as const; // prettier-ignore
export const QUERYDR_RESPONSE_FIELDS = [
  ...RESPONSE_FIELDS,
  'vnp_PromotionCode',
  'vnp_PromotionAmount',
] as const;

/** A merchant API body with its `vnp_SecureHash` over `fields`. */
export function signBody(
  secret: string,
  fields: readonly string[],
  body: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...body,
    vnp_SecureHash: pipeHash(
      secret,
      fields.map((f) => body[f]),
    ),
  };
}

/** Whether a merchant API answer carries the checksum its fields give. */
export function answerVerified(
  secret: string,
  fields: readonly string[],
  body: Record<string, unknown>,
): boolean {
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const given = typeof body.vnp_SecureHash === 'string' ? body.vnp_SecureHash : undefined;
  return sameHash(
    given,
    pipeHash(
      secret,
      fields.map((f) => text(body[f])),
    ),
  );
}

/** Our `vnp_TxnRef`: the payment id and the attempt's create stamp, so each attempt is unique. */
export function txnRefFor(paymentId: string, createStamp: string): string {
  if (!/^[A-Za-z0-9-]{1,80}$/.test(paymentId))
    throw new Error(`vnpay: payment id "${paymentId}" must be 1-80 letters, digits or dashes`);
  return `${paymentId}-${createStamp}`;
}

/** The payment id and create stamp (`vnp_TransactionDate` of the API) in one of our refs. */
export function parseTxnRef(ref: string): { paymentId: string; createStamp: string } | undefined {
  const m = /^([A-Za-z0-9-]{1,80})-(\d{14})$/.exec(ref);
  return m && parseGmt7Stamp(m[2]) ? { paymentId: m[1]!, createStamp: m[2]! } : undefined;
}

/** `vnp_OrderInfo`: Vietnamese without diacritics, only characters every sample encodes alike. */
export function orderInfo(text: string): string {
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .,:#/_-]/g, ' ')
    .replace(/ +/g, ' ')
    .trim()
    .slice(0, 255);
  return plain || 'Tuoi';
}

/** The request id of a merchant API call (≤ 32 letters or digits): the key itself when it fits. */
export function requestIdFor(key: string): string {
  return /^[A-Za-z0-9]{1,32}$/.test(key) ? key : hmacSha512('vnp_RequestId', key).slice(0, 32);
}

/** Đồng from a `vnp_Amount` (×100), or undefined when it is not a whole number of đồng. */
export function dongOf(raw: unknown): number | undefined {
  const n = typeof raw === 'number' ? raw : /^\d{1,15}$/.test(String(raw ?? '')) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && n % 100 === 0 ? n / 100 : undefined;
}

/** Payment response codes the gateway documents (IPN, return URL), for failure messages. */
const PAYMENT_CODES: Readonly<Record<string, string>> = {
  '07': 'charged, held as suspicious: confirm or reject in the merchant portal',
  '09': 'card or account not registered for internet banking',
  '10': 'card or account verification failed more than 3 times',
  '11': 'the payment page expired',
  '12': 'card or account locked',
  '13': 'wrong OTP',
  '24': 'the customer cancelled',
  '51': 'insufficient balance',
  '65': 'daily limit exceeded',
  '75': 'the bank is under maintenance',
  '79': 'wrong payment password too many times',
  '99': 'other error',
};

/** A payment outcome (IPN `vnp_ResponseCode` + `vnp_TransactionStatus`) in Tươi's words. */
export function paymentOutcome(
  responseCode: string,
  transactionStatus: string,
): Pick<RailState, 'status' | 'failure'> {
  if (responseCode === '00' && transactionStatus === '00') return { status: 'captured' };
  const failure = { code: responseCode, message: PAYMENT_CODES[responseCode] ?? 'the payment failed' };
  if (responseCode === '07') return { status: 'pending', failure };
  return { status: responseCode === '11' ? 'expired' : 'failed', failure };
}

/** Verifies and reads one IPN (GET query); throws NotificationAuthError or NotificationFormatError. */
export function fromIpn(
  query: Readonly<Record<string, string | undefined>>,
  cfg: { tmnCode: string; hashSecret: string },
  now: Date,
): RailNotification {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (k.startsWith('vnp_') && v !== undefined) params[k] = v;
  if (!params.vnp_SecureHash) throw new NotificationAuthError('vnpay', 'vnp_SecureHash is missing');
  if (!sameHash(params.vnp_SecureHash, hmacSha512(cfg.hashSecret, signData(params))))
    throw new NotificationAuthError('vnpay', 'vnp_SecureHash does not match');
  if (params.vnp_TmnCode !== cfg.tmnCode)
    throw new NotificationAuthError('vnpay', `vnp_TmnCode ${params.vnp_TmnCode} is not ours`);
  const ref = params.vnp_TxnRef ?? '';
  const parsed = parseTxnRef(ref);
  const amountVnd = dongOf(params.vnp_Amount);
  const { vnp_ResponseCode: code, vnp_TransactionStatus: txStatus, vnp_TransactionNo: no } = params;
  if (!parsed) throw new NotificationFormatError('vnpay', `vnp_TxnRef "${ref}" is not one of ours`);
  if (amountVnd === undefined)
    throw new NotificationFormatError('vnpay', 'vnp_Amount is not whole đồng ×100');
  if (!code || !txStatus)
    throw new NotificationFormatError('vnpay', 'vnp_ResponseCode/TransactionStatus missing');
  const outcome = paymentOutcome(code, txStatus);
  return {
    rail: 'vnpay',
    eventId: `${ref}:${no ?? '0'}:${code}`,
    paymentId: parsed.paymentId,
    amountVnd,
    state: {
      providerRef: ref,
      ...outcome,
      authorisedVnd: 0,
      capturedVnd: outcome.status === 'captured' ? amountVnd : 0,
      refundedVnd: 0,
      at: parseGmt7Stamp(params.vnp_PayDate) ?? now,
    },
  };
}

/** The JSON VNPay expects back from the IPN URL, per verdict (always HTTP 200). */
export function ipnAnswer(verdict: NotificationVerdict): { RspCode: string; Message: string } {
  switch (verdict) {
    case 'applied':
      return { RspCode: '00', Message: 'Confirm Success' };
    case 'duplicate':
      return { RspCode: '02', Message: 'Order already confirmed' };
    case 'unknown_payment':
      return { RspCode: '01', Message: 'Order not found' };
    case 'amount_mismatch':
      return { RspCode: '04', Message: 'Invalid amount' };
    case 'bad_signature':
      return { RspCode: '97', Message: 'Invalid signature' };
    default:
      return { RspCode: '99', Message: 'Unknown error' };
  }
}

/** Merchant API answer codes (querydr, refund) in words, for refusals. */
export const API_CODES: Readonly<Record<string, string>> = {
  '02': 'invalid terminal code (vnp_TmnCode)',
  '03': 'malformed request',
  '91': 'transaction not found',
  '94': 'a request for this transaction is already being processed',
  '95': 'the transaction did not succeed at VNPay, so it cannot be refunded',
  '97': 'invalid checksum',
  '99': 'other error',
};

/** A querydr answer (`vnp_ResponseCode` 00) as Tươi's state of the payment `ref`. */
export function fromQueryDr(body: Record<string, unknown>, ref: string, now: Date): RailState {
  const amountVnd = dongOf(body.vnp_Amount) ?? 0;
  const txStatus = String(body.vnp_TransactionStatus ?? '');
  const txType = String(body.vnp_TransactionType ?? '01');
  const at = parseGmt7Stamp(String(body.vnp_PayDate ?? '')) ?? now;
  const base = { providerRef: ref, authorisedVnd: 0, at };
  // 00 paid; 05/06 a refund in progress, 09 a refund refused: the payment itself stands.
  if (['00', '05', '06', '09'].includes(txStatus))
    return {
      ...base,
      status: 'captured',
      capturedVnd: amountVnd,
      // VNPay reports the kind of the last refund, not the total: 02 (full) says all of it.
      refundedVnd: txType === '02' && txStatus === '00' ? amountVnd : 0,
    };
  const failure = { code: `status_${txStatus}`, message: `VNPay transaction status ${txStatus}` };
  if (txStatus === '01' || txStatus === '07')
    return { ...base, status: 'pending', capturedVnd: 0, refundedVnd: 0, failure };
  return { ...base, status: 'failed', capturedVnd: 0, refundedVnd: 0, failure };
}

// VNPay's signatures and time stamps for the simulator (see the adapter README, "Signing"):
// the sorted, form-encoded `vnp_*` query under HMAC-SHA512, and the `|`-joined checksums of the
// merchant API in their documented field orders. Pure functions of the hash secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

const GMT7_MS = 7 * 3_600_000;

export const QUERYDR_FIELDS = ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef',
  'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo']; // prettier-ignore
export const REFUND_FIELDS = ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TransactionType',
  'vnp_TxnRef', 'vnp_Amount', 'vnp_TransactionNo', 'vnp_TransactionDate', 'vnp_CreateBy', 'vnp_CreateDate',
  'vnp_IpAddr', 'vnp_OrderInfo']; // prettier-ignore
export const RESPONSE_FIELDS = ['vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode',
  'vnp_TxnRef', 'vnp_Amount', 'vnp_BankCode', 'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType',
  'vnp_TransactionStatus', 'vnp_OrderInfo']; // prettier-ignore
export const QUERYDR_RESPONSE_FIELDS = [...RESPONSE_FIELDS, 'vnp_PromotionCode', 'vnp_PromotionAmount'];

const encode = (v) =>
  encodeURIComponent(v)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Hex HMAC-SHA512 of `data` under `secret`. */
export const hmac = (secret, data) => createHmac('sha512', secret).update(data, 'utf8').digest('hex');

/** The signed string of a query: sorted, form-encoded, without the hash. */
export const signData = (params) =>
  Object.keys(params)
    .filter((k) => k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType')
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k])}`)
    .join('&');

/** The `|` checksum of `fields` of `body` (absent = empty). */
export const pipeHash = (secret, fields, body) =>
  hmac(secret, fields.map((f) => (body[f] === undefined ? '' : String(body[f]))).join('|'));

/** Constant-time comparison of a given hex digest with the expected one. */
export const same = (given, expected) => {
  const a = Buffer.from(String(given ?? '').toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** A query string with its `vnp_SecureHash`. */
export const signedQuery = (secret, params) => {
  const data = signData(params);
  return `${data}&vnp_SecureHash=${hmac(secret, data)}`;
};

/** `yyyyMMddHHmmss` in GMT+7. */
export const stamp = (at = new Date()) =>
  new Date(at.getTime() + GMT7_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Epoch ms of a GMT+7 stamp, NaN when it is not one. */
export const parseStamp = (s) => {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s ?? '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - GMT7_MS : NaN;
};

/**
 * MoMo's All-in-One gateway (API v2) wire format as pure functions: the HMAC-SHA256 signature
 * strings (fields in alphabetical order, key = secretKey), request bodies for create / query /
 * confirm / refund, MoMo's answers and IPN bodies as the rail's types, and the result-code table.
 * No I/O (adapter.ts does the calls); which facts are confirmed is in README.md.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  NotificationAuthError,
  NotificationFormatError,
  RailRefusedError,
  type AuthoriseRequest,
  type RailNotification,
  type RailState,
  type RailStatus,
  type RefundResult,
} from '../../rail';

/** What MoMo issues a merchant. */
export interface MomoCredentials {
  partnerCode: string;
  accessKey: string;
  secretKey: string;
}

/** The fields each signature covers, alphabetical (accessKey is ours, never in the body). */
export const SIGNED_FIELDS = {
  create: [
    'accessKey',
    'amount',
    'extraData',
    'ipnUrl',
    'orderId',
    'orderInfo',
    'partnerCode',
    'redirectUrl',
    'requestId',
    'requestType',
  ],
  ipn: [
    'accessKey',
    'amount',
    'extraData',
    'message',
    'orderId',
    'orderInfo',
    'orderType',
    'partnerCode',
    'payType',
    'requestId',
    'responseTime',
    'resultCode',
    'transId',
  ],
  query: ['accessKey', 'orderId', 'partnerCode', 'requestId'],
  refund: ['accessKey', 'amount', 'description', 'orderId', 'partnerCode', 'requestId', 'transId'],
  confirm: ['accessKey', 'amount', 'description', 'orderId', 'partnerCode', 'requestId', 'requestType'],
} as const;
export type SignedKind = keyof typeof SIGNED_FIELDS;

/** The string MoMo signs: `accessKey=…&amount=…&…` over `kind`'s fields (missing ones empty). */
export function rawSignature(kind: SignedKind, fields: Readonly<Record<string, unknown>>): string {
  return SIGNED_FIELDS[kind]
    .map((k) => `${k}=${fields[k] === undefined || fields[k] === null ? '' : String(fields[k])}`)
    .join('&');
}

/** The hex HMAC-SHA256 of `kind`'s raw signature with our accessKey, keyed by the secretKey. */
export function momoSign(
  kind: SignedKind,
  fields: Readonly<Record<string, unknown>>,
  creds: MomoCredentials,
): string {
  const raw = rawSignature(kind, { ...fields, accessKey: creds.accessKey });
  return createHmac('sha256', creds.secretKey).update(raw, 'utf8').digest('hex');
}

/** Constant-time compare of two hex signatures (case-insensitive); false when none was given. */
export function sameSignature(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'));
}

/** MoMo's orderId pattern (`^[0-9a-zA-Z]([-_.]*[0-9a-zA-Z]+)*$`), written without nested ambiguity. */
export const ORDER_ID = /^[0-9a-zA-Z]+(?:[-_.]+[0-9a-zA-Z]+)*$/;
/** captureWallet limits in đồng. */
export const MIN_VND = 1_000;
export const MAX_VND = 50_000_000;

/** A requestId (≤ 50 characters) for an idempotency key: the key itself, or a digest of it. */
export function momoRequestId(idempotencyKey: string): string {
  if (/^[0-9A-Za-z_.:-]{1,50}$/.test(idempotencyKey)) return idempotencyKey;
  return `k-${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40)}`;
}

/** Throws RailRefusedError unless `id` is a valid MoMo orderId. */
export function checkOrderId(id: string, what = 'orderId'): string {
  if (id.length > 200 || !ORDER_ID.test(id))
    throw new RailRefusedError(
      'momo',
      'invalid_order_id',
      `${what} "${id}" does not match MoMo's orderId pattern`,
    );
  return id;
}

/** Throws RailRefusedError unless `amount` is whole đồng within [min, MAX_VND]. */
export function checkAmount(amount: number, min = MIN_VND): number {
  if (!Number.isInteger(amount) || amount < min || amount > MAX_VND)
    throw new RailRefusedError(
      'momo',
      'invalid_amount',
      `${amount} ₫ is not whole đồng in [${min}, ${MAX_VND}]`,
    );
  return amount;
}

/** MoMo's transaction result codes in Tươi's vocabulary (anything unlisted is a failure). */
export function momoStatus(resultCode: number): RailStatus {
  switch (resultCode) {
    case 0:
      return 'captured';
    case 9000:
      return 'authorised';
    case 1000:
    case 7000:
    case 7002:
      return 'pending';
    case 8000:
      return 'requires_action';
    case 1005: // QR / URL expired
    case 1003: // cancelled by merchant or timeout (unconfirmed: read as a lapse)
      return 'expired';
    case 1017: // cancelled by partner: our confirm(cancel)
      return 'voided';
    default:
      return 'failed';
  }
}

const FAILING = new Set<RailStatus>(['failed', 'expired', 'voided']);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const instant = (ms: unknown, now: Date) => (num(ms) !== undefined ? new Date(num(ms)!) : now);
const ref = (transId: unknown) => (num(transId) || str(transId) ? String(transId) : undefined);

/** The create body for a wallet hold (`captureWallet`, `autoCapture: false`). */
export function toCreateBody(req: AuthoriseRequest, creds: MomoCredentials) {
  const fields = {
    partnerCode: creds.partnerCode,
    requestId: momoRequestId(req.idempotencyKey),
    amount: checkAmount(req.amountVnd),
    orderId: checkOrderId(req.paymentId, 'paymentId'),
    orderInfo: req.description.slice(0, 255),
    redirectUrl: req.returnUrl,
    ipnUrl: req.notifyUrl,
    requestType: 'captureWallet',
    extraData: Buffer.from(JSON.stringify({ attemptId: req.attemptId }), 'utf8').toString('base64'),
  };
  return { ...fields, autoCapture: false, lang: req.lang, signature: momoSign('create', fields, creds) };
}

/** The query body; a query's requestId is fresh per call (it moves nothing). */
export function toQueryBody(orderId: string, requestId: string, creds: MomoCredentials) {
  const fields = { partnerCode: creds.partnerCode, requestId, orderId };
  return { ...fields, lang: 'en', signature: momoSign('query', fields, creds) };
}

/** The confirm body: `capture` `amount` of the hold, or `cancel` it. */
export function toConfirmBody(
  p: {
    orderId: string;
    requestType: 'capture' | 'cancel';
    amountVnd: number;
    idempotencyKey: string;
    description: string;
  },
  creds: MomoCredentials,
) {
  const fields = {
    partnerCode: creds.partnerCode,
    requestId: momoRequestId(p.idempotencyKey),
    orderId: p.orderId,
    requestType: p.requestType,
    amount: p.amountVnd,
    description: p.description,
  };
  return { ...fields, lang: 'en', signature: momoSign('confirm', fields, creds) };
}

/** The refund body: a NEW orderId (our refund id) and the original transId. */
export function toRefundBody(
  p: { refundId: string; transId: string; amountVnd: number; reason: string; idempotencyKey: string },
  creds: MomoCredentials,
) {
  const fields = {
    partnerCode: creds.partnerCode,
    orderId: checkOrderId(p.refundId, 'refundId'),
    requestId: momoRequestId(p.idempotencyKey),
    amount: checkAmount(p.amountVnd),
    transId: Number(p.transId),
    description: p.reason.slice(0, 255),
  };
  return { ...fields, lang: 'en', signature: momoSign('refund', fields, creds) };
}

/** A refusal from an answer: MoMo's `resultCode`/`message`, else the HTTP status. */
export function momoRefusal(httpStatus: number, body: unknown, text = ''): RailRefusedError {
  const b = obj(body);
  const code = num(b.resultCode) !== undefined ? String(b.resultCode) : `http_${httpStatus}`;
  return new RailRefusedError('momo', code, str(b.message) || text.slice(0, 200) || `HTTP ${httpStatus}`);
}

/** A state from a transaction's result code and amount (held when 9000, taken when 0). */
export function stateOf(
  t: { resultCode: number; amount: number; transId?: unknown; message?: string; refundedVnd?: number },
  at: Date,
): RailState {
  const status = momoStatus(t.resultCode);
  const providerRef = ref(t.transId);
  return {
    ...(providerRef ? { providerRef } : {}),
    status,
    authorisedVnd: status === 'authorised' ? t.amount : 0,
    capturedVnd: status === 'captured' ? t.amount : 0,
    refundedVnd: t.refundedVnd ?? 0,
    ...(FAILING.has(status) ? { failure: { code: String(t.resultCode), message: t.message ?? '' } } : {}),
    at,
  };
}

/** A query answer (resultCode is the transaction's); refunds are summed from successful `refundTrans`. */
export function fromQuery(body: unknown, now: Date): RailState {
  const b = obj(body);
  const resultCode = num(b.resultCode);
  // Codes below 1000 (other than 0) are about the query itself (13 bad signature, 42 no such order).
  if (resultCode === undefined || (resultCode > 0 && resultCode < 1000)) throw momoRefusal(200, b);
  const refunds = Array.isArray(b.refundTrans) ? b.refundTrans.map(obj) : [];
  const refundedVnd = refunds.filter((r) => r.resultCode === 0).reduce((s, r) => s + (num(r.amount) ?? 0), 0);
  const at = instant(b.lastUpdated ?? b.responseTime, now);
  return stateOf(
    { resultCode, amount: num(b.amount) ?? 0, transId: b.transId, message: str(b.message), refundedVnd },
    at,
  );
}

/** A refund answer: 0 succeeded, 7000/7002 pending, anything else refused. */
export function fromRefund(status: number, body: unknown): RefundResult {
  const b = obj(body);
  const code = num(b.resultCode);
  const refundRef = ref(b.transId);
  if ((code === 0 || code === 7000 || code === 7002) && refundRef)
    return { refundRef, status: code === 0 ? 'succeeded' : 'pending', amountVnd: num(b.amount) ?? 0 };
  throw momoRefusal(status, b);
}

/** Verifies and parses one IPN body (JSON, POST). eventId is `transId:resultCode` (MoMo has no event id). */
export function parseIpn(rawBody: string, creds: MomoCredentials, now: Date): RailNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new NotificationFormatError('momo', 'body is not JSON');
  }
  const b = obj(parsed);
  if (!sameSignature(b.signature, momoSign('ipn', b, creds)))
    throw new NotificationAuthError('momo', 'signature does not match');
  if (b.partnerCode !== creds.partnerCode) throw new NotificationAuthError('momo', 'partnerCode is not ours');
  const resultCode = num(b.resultCode);
  const amount = num(b.amount);
  const orderId = str(b.orderId);
  if (resultCode === undefined || amount === undefined || !orderId)
    throw new NotificationFormatError('momo', 'orderId, amount and resultCode are required');
  const at = instant(b.responseTime, now);
  return {
    rail: 'momo',
    // A payment that never reached MoMo's ledger has transId 0: the orderId stands in.
    eventId: `${ref(b.transId) ?? `order-${orderId}`}:${resultCode}`,
    paymentId: orderId,
    amountVnd: amount,
    state: stateOf({ resultCode, amount, transId: b.transId, message: str(b.message) }, at),
  };
}

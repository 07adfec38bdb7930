/**
 * VNPay's merchant API (`POST …/merchant_webapi/api/transaction`): `querydr` reads a payment,
 * `refund` returns part or all of it. Both are JSON bodies signed with a `|`-joined checksum, and
 * both answers are signed the same way; an answer whose checksum is wrong is refused. A refund's
 * `vnp_RequestId` comes from the caller's idempotency key, so a retry is the same request.
 */
import { randomBytes } from 'node:crypto';
import type { OutboundClient } from '../../../shared/outbound';
import { RailRefusedError, type RailState, type RefundResult } from '../../rail';
import {
  API_CODES,
  QUERYDR_FIELDS,
  QUERYDR_RESPONSE_FIELDS,
  REFUND_FIELDS,
  RESPONSE_FIELDS,
  VNP_VERSION,
  answerVerified,
  dongOf,
  fromQueryDr,
  gmt7Stamp,
  orderInfo,
  parseGmt7Stamp,
  requestIdFor,
  signBody,
} from './wire';

/** A ref VNPay still does not know a day after its page was made was never paid. */
const UNKNOWN_EXPIRES_MS = 24 * 3_600_000;

/** One of our payments at VNPay: its `vnp_TxnRef` and the create stamp (`vnp_TransactionDate`). */
export interface VnpayRef {
  ref: string;
  createStamp: string;
}

export interface MerchantApiOptions {
  client: OutboundClient;
  apiUrl: string;
  tmnCode: string;
  hashSecret: string;
  serverIp: string;
  now: () => Date;
}

/** The payment as VNPay reports it, with its `vnp_TransactionNo` once paid. */
export interface Queried {
  state: RailState;
  transactionNo?: string;
}

export interface MerchantApi {
  query(p: VnpayRef): Promise<Queried>;
  refund(
    p: VnpayRef & { transactionNo?: string; paidVnd: number; amountVnd: number; reason: string },
    idempotencyKey: string,
  ): Promise<RefundResult>;
}

/** The merchant API over one outbound client. */
export function createMerchantApi(opts: MerchantApiOptions): MerchantApi {
  const { client, tmnCode, hashSecret, serverIp, now } = opts;
  const path = new URL(opts.apiUrl).pathname;

  const call = async (body: Record<string, string>, fields: readonly string[], retryKey?: string) => {
    const res = await client.request({
      method: 'POST',
      path,
      body,
      // A read may be repeated; a refund may be too, under its vnp_RequestId (VNPay answers 94).
      ...(retryKey ? { idempotencyKey: retryKey } : { safe: true }),
    });
    let answer: Record<string, unknown>;
    try {
      answer = res.json<Record<string, unknown>>() ?? {};
    } catch {
      throw new RailRefusedError(
        'vnpay',
        `http_${res.status}`,
        res.text.slice(0, 200) || `HTTP ${res.status}`,
      );
    }
    const code = String(answer.vnp_ResponseCode ?? `http_${res.status}`);
    // A success must be signed with our secret; an unsigned refusal is still a refusal.
    if ((code === '00' || answer.vnp_SecureHash !== undefined) && !answerVerified(hashSecret, fields, answer))
      throw new RailRefusedError(
        'vnpay',
        'bad_answer_checksum',
        `${body.vnp_Command} answer is not signed with our secret`,
      );
    return { code, answer };
  };

  const refusal = (code: string, answer: Record<string, unknown>) =>
    new RailRefusedError(
      'vnpay',
      `vnpay_${code}`,
      String(answer.vnp_Message || API_CODES[code] || 'refused'),
    );

  return {
    async query({ ref, createStamp }) {
      const body = signBody(hashSecret, QUERYDR_FIELDS, {
        vnp_RequestId: randomBytes(16).toString('hex'),
        vnp_Version: VNP_VERSION,
        vnp_Command: 'querydr',
        vnp_TmnCode: tmnCode,
        vnp_TxnRef: ref,
        vnp_TransactionDate: createStamp,
        vnp_CreateDate: gmt7Stamp(now()),
        vnp_IpAddr: serverIp,
        vnp_OrderInfo: `Query ${ref}`,
      });
      const { code, answer } = await call(body, QUERYDR_RESPONSE_FIELDS);
      if (code === '00') {
        const no = String(answer.vnp_TransactionNo ?? '');
        return { state: fromQueryDr(answer, ref, now()), ...(no && no !== '0' ? { transactionNo: no } : {}) };
      }
      if (code !== '91') throw refusal(code, answer);
      // VNPay has never seen it: the page was not opened (yet), or lapsed long ago.
      const lapsed = now().getTime() - parseGmt7Stamp(createStamp)!.getTime() > UNKNOWN_EXPIRES_MS;
      const state: RailState = {
        providerRef: ref,
        status: lapsed ? 'expired' : 'pending',
        authorisedVnd: 0,
        capturedVnd: 0,
        refundedVnd: 0,
        at: now(),
      };
      return { state };
    },

    async refund(p, idempotencyKey) {
      const requestId = requestIdFor(idempotencyKey);
      const body = signBody(hashSecret, REFUND_FIELDS, {
        vnp_RequestId: requestId,
        vnp_Version: VNP_VERSION,
        vnp_Command: 'refund',
        vnp_TmnCode: tmnCode,
        vnp_TransactionType: p.amountVnd === p.paidVnd ? '02' : '03',
        vnp_TxnRef: p.ref,
        vnp_Amount: String(p.amountVnd * 100),
        vnp_TransactionNo: p.transactionNo ?? '',
        vnp_TransactionDate: p.createStamp,
        vnp_CreateBy: 'tuoi-payment',
        vnp_CreateDate: gmt7Stamp(now()),
        vnp_IpAddr: serverIp,
        vnp_OrderInfo: orderInfo(p.reason || `Refund ${p.ref}`),
      });
      const { code, answer } = await call(body, RESPONSE_FIELDS, idempotencyKey);
      if (code === '94') return { refundRef: requestId, status: 'pending', amountVnd: p.amountVnd };
      if (code !== '00') throw refusal(code, answer);
      const refundRef = String(answer.vnp_TransactionNo || requestId);
      const amountVnd = dongOf(answer.vnp_Amount) ?? p.amountVnd;
      const txStatus = String(answer.vnp_TransactionStatus ?? '00');
      if (txStatus === '09')
        return {
          refundRef,
          status: 'failed',
          amountVnd,
          failure: { code: '09', message: 'VNPay refused the refund' },
        };
      return {
        refundRef,
        status: txStatus === '05' || txStatus === '06' ? 'pending' : 'succeeded',
        amountVnd,
      };
    },
  };
}

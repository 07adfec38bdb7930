// VNPay's merchant API for the simulator: `POST /merchant_webapi/api/transaction` with JSON
// `querydr` or `refund`, each checked against its `|` checksum and answered signed (README).
import {
  QUERYDR_FIELDS,
  QUERYDR_RESPONSE_FIELDS,
  REFUND_FIELDS,
  RESPONSE_FIELDS,
  pipeHash,
  same,
  stamp,
} from './signing.mjs';

const json = (status, body) => ({ status, body });

/** The API over the simulator's live `config()` and `state()`; returns `api(body)`. */
export function merchantApi({ config, state }) {
  function answer(command, fields, body) {
    const out = {
      vnp_ResponseId: Math.random().toString(16).slice(2, 18),
      vnp_Command: command,
      vnp_TmnCode: config().tmn_code,
      ...body,
    };
    out.vnp_SecureHash = pipeHash(config().hash_secret, fields, out);
    return json(200, out);
  }
  const apiError = (command, code, message) =>
    answer(command, command === 'querydr' ? QUERYDR_RESPONSE_FIELDS : RESPONSE_FIELDS, {
      vnp_ResponseCode: code,
      vnp_Message: message,
    });

  function txnView(txn, extra = {}) {
    return {
      vnp_TxnRef: txn.ref,
      vnp_Amount: String(txn.amount),
      vnp_BankCode: txn.bankCode ?? '',
      vnp_PayDate: txn.payDate ?? '',
      vnp_TransactionNo: txn.no,
      vnp_TransactionType:
        txn.refunded === 0 ? '01' : txn.refunded === txn.amount && txn.refunds.length === 1 ? '02' : '03',
      vnp_TransactionStatus: txn.status === 'paid' ? '00' : txn.status === 'pending' ? '01' : '02',
      vnp_OrderInfo: txn.params.vnp_OrderInfo,
      ...extra,
    };
  }

  function querydr(body) {
    const txn = state().txns.get(body.vnp_TxnRef);
    if (!txn || txn.params.vnp_CreateDate !== body.vnp_TransactionDate)
      return apiError('querydr', '91', 'Không tìm thấy giao dịch yêu cầu');
    return answer('querydr', QUERYDR_RESPONSE_FIELDS, {
      vnp_ResponseCode: '00',
      vnp_Message: 'QueryDR Success',
      ...txnView(txn),
      vnp_PromotionCode: '',
      vnp_PromotionAmount: '',
    });
  }

  function refund(body) {
    const fingerprint = REFUND_FIELDS.filter((f) => !['vnp_CreateDate', 'vnp_RequestId'].includes(f))
      .map((f) => body[f])
      .join('|');
    const seen = state().requests.get(body.vnp_RequestId);
    if (seen)
      return seen.fingerprint === fingerprint
        ? seen.answer
        : apiError('refund', '94', 'Yêu cầu trùng lặp (vnp_RequestId)');
    const txn = state().txns.get(body.vnp_TxnRef);
    let result;
    const amount = Number(body.vnp_Amount);
    if (!txn || txn.params.vnp_CreateDate !== body.vnp_TransactionDate)
      result = apiError('refund', '91', 'Không tìm thấy giao dịch yêu cầu hoàn trả');
    else if (txn.status !== 'paid')
      result = apiError(
        'refund',
        '95',
        'Giao dịch này không thành công bên VNPAY. VNPAY từ chối xử lý yêu cầu',
      );
    else if (
      !['02', '03'].includes(body.vnp_TransactionType) ||
      !/^\d+$/.test(body.vnp_Amount ?? '') ||
      amount <= 0 ||
      amount % 100 !== 0
    )
      result = apiError('refund', '03', 'Dữ liệu gửi sang không đúng định dạng');
    else if (
      amount > txn.amount - txn.refunded ||
      (body.vnp_TransactionType === '02' && (txn.refunded > 0 || amount !== txn.amount))
    )
      result = apiError(
        'refund',
        '03',
        `Số tiền hoàn không hợp lệ: còn ${(txn.amount - txn.refunded) / 100} VND`,
      );
    else {
      state().seq += 1;
      const refundNo = String(state().seq);
      txn.refunded += amount;
      txn.refunds.push({
        no: refundNo,
        amount,
        type: body.vnp_TransactionType,
        requestId: body.vnp_RequestId,
        at: new Date().toISOString(),
      });
      result = answer('refund', RESPONSE_FIELDS, {
        vnp_ResponseCode: '00',
        vnp_Message: 'Refund success',
        ...txnView(txn, {
          vnp_Amount: String(amount),
          vnp_TransactionNo: refundNo,
          vnp_TransactionType: body.vnp_TransactionType,
          vnp_TransactionStatus: '00',
          vnp_PayDate: stamp(),
        }),
      });
    }
    state().requests.set(body.vnp_RequestId, { fingerprint, answer: result });
    return result;
  }

  function api(body) {
    const command = body?.vnp_Command;
    if (command !== 'querydr' && command !== 'refund')
      return apiError(String(command ?? ''), '03', 'vnp_Command must be querydr or refund');
    const fields = command === 'querydr' ? QUERYDR_FIELDS : REFUND_FIELDS;
    const missing = fields.filter(
      (f) => body[f] === undefined || (f !== 'vnp_TransactionNo' && body[f] === ''),
    );
    if (missing.length) return apiError(command, '03', `Thiếu: ${missing.join(', ')}`);
    if (!same(body.vnp_SecureHash, pipeHash(config().hash_secret, fields, body)))
      return apiError(command, '97', 'Checksum không hợp lệ');
    if (body.vnp_TmnCode !== config().tmn_code)
      return apiError(command, '02', 'Mã định danh kết nối không hợp lệ');
    return command === 'querydr' ? querydr(body) : refund(body);
  }

  return api;
}

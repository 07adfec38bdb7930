// VNPay payment gateway simulator (local tests and `make dev` only; never in the image).
//
// Speaks VNPay's 2.1.0 protocol as its integration guide describes it
// (sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html, .../truy-van-hoan-tien/querydr&refund.html)
// and as the community SDK `lehuygiang28/vnpay` transcribes the checksum orders:
// - GET /paymentv2/vpcpay.html?vnp_*…&vnp_SecureHash=… — the payment page: the HMAC-SHA512 over the
//   sorted, form-encoded vnp_* parameters is checked (400 page when wrong), then Approve / Decline;
//   either sends the signed IPN (GET to the merchant's configured IPN URL) and redirects the browser
//   to vnp_ReturnUrl with the same signed query.
// - POST /merchant_webapi/api/transaction — JSON `querydr` and `refund`, each with its `|`-joined
//   checksum, answered with a signed JSON body.
// What the sources do not say (the code for an over-refund, replay of a refund request id) is this
// simulator's choice: see README.md. Test levers live under /_sim/. State is in memory.
import { createServer } from 'node:http';
import * as sign from './signing.mjs';
import { merchantApi } from './merchant-api.mjs';
import { URLSearchParams } from 'node:url';

const PORT = Number(process.env.PORT ?? 58412);
const PAY_PATH = '/paymentv2/vpcpay.html';
const API_PATH = '/merchant_webapi/api/transaction';

const PAY_REQUIRED = ['vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_Amount', 'vnp_CurrCode', 'vnp_TxnRef',
  'vnp_OrderInfo', 'vnp_OrderType', 'vnp_Locale', 'vnp_ReturnUrl', 'vnp_IpAddr', 'vnp_CreateDate']; // prettier-ignore

const defaults = () => ({
  tmn_code: process.env.TMN_CODE ?? 'TUOISIM1',
  hash_secret: process.env.HASH_SECRET ?? 'tuoi-sim-vnpay-hash-secret',
  ipn_url: process.env.IPN_URL ?? '',
  bank_code: 'NCB',
});

let config;
let state;
function reset() {
  config = defaults();
  state = {
    txns: new Map(),
    requests: new Map(),
    ipns: [],
    seq: 14_000_000,
    fail: { count: 0, status: 503, only: '' },
    stall: { count: 0, ms: 0, when: 'after', only: '' },
  };
}
reset();

const hmac = (data) => sign.hmac(config.hash_secret, data);
const signedQuery = (params) => sign.signedQuery(config.hash_secret, params);
const { signData, same, stamp, parseStamp } = sign;
const api = merchantApi({ config: () => config, state: () => state });

// ------------------------------------------------------------------ http plumbing

const json = (status, body) => ({ status, body });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res, answer) {
  if (res.destroyed) return;
  if (answer.redirect) return res.writeHead(302, { location: answer.redirect }).end();
  if (answer.html !== undefined)
    return res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' }).end(answer.html);
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
}

const page = (status, title, body) => ({
  status,
  html: `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
});

// ------------------------------------------------------------------ the payment page

/** The transaction a signed payment URL describes, or an error page. */
function openPayment(params) {
  const missing = PAY_REQUIRED.filter((k) => !params[k]);
  if (missing.length)
    return {
      error: page(400, 'Dữ liệu gửi sang không đúng định dạng', `<p>Thiếu: ${missing.join(', ')}</p>`),
    };
  if (!same(params.vnp_SecureHash, hmac(signData(params))))
    return { error: page(400, 'Sai chữ ký', '<p>Invalid signature (vnp_SecureHash).</p>') };
  if (params.vnp_TmnCode !== config.tmn_code)
    return { error: page(400, 'Website này chưa được phê duyệt', '<p>Unknown vnp_TmnCode.</p>') };
  if (params.vnp_Version !== '2.1.0' || params.vnp_Command !== 'pay' || params.vnp_CurrCode !== 'VND')
    return {
      error: page(
        400,
        'Dữ liệu gửi sang không đúng định dạng',
        '<p>vnp_Version 2.1.0, vnp_Command pay, vnp_CurrCode VND.</p>',
      ),
    };
  const amount = Number(params.vnp_Amount);
  if (!/^\d+$/.test(params.vnp_Amount) || amount % 100 !== 0 || amount < 500_000 || amount >= 100_000_000_000)
    return { error: page(400, 'Số tiền không hợp lệ', '<p>Số tiền hợp lệ từ 5,000 đến dưới 1 tỷ đồng.</p>') };
  if (
    Number.isNaN(parseStamp(params.vnp_CreateDate)) ||
    (params.vnp_ExpireDate && Number.isNaN(parseStamp(params.vnp_ExpireDate)))
  )
    return {
      error: page(400, 'Dữ liệu gửi sang không đúng định dạng', '<p>Dates are yyyyMMddHHmmss (GMT+7).</p>'),
    };
  const existing = state.txns.get(params.vnp_TxnRef);
  if (existing && existing.params.vnp_SecureHash !== params.vnp_SecureHash)
    return {
      error: page(400, 'Giao dịch đã tồn tại', '<p>vnp_TxnRef was already used for another payment.</p>'),
    };
  const txn = existing ?? {
    ref: params.vnp_TxnRef,
    params,
    amount,
    status: 'pending',
    refunds: [],
    refunded: 0,
    no: '0',
  };
  state.txns.set(txn.ref, txn);
  return { txn };
}

function paymentPage(txn) {
  if (txn.status !== 'pending')
    return page(200, 'Giao dịch đã được xử lý', `<p>Trạng thái: ${txn.status}</p>`);
  const form = (outcome, label) =>
    `<form method="post" action="/_sim/pay/${encodeURIComponent(txn.ref)}"><input type="hidden" name="outcome" value="${outcome}"><button type="submit" name="${outcome}">${label}</button></form>`;
  return page(
    200,
    'Cổng thanh toán VNPAY (simulator)',
    `<p>Đơn hàng: ${escapeHtml(txn.params.vnp_OrderInfo)}</p><p>Số tiền: ${txn.amount / 100} VND</p>` +
      form('approve', 'Thanh toán') +
      form('decline', 'Hủy thanh toán'),
  );
}

/** The vnp_* query VNPay sends on the IPN and the return URL. */
function resultParams(txn) {
  return {
    vnp_Amount: String(txn.amount),
    vnp_BankCode: txn.bankCode,
    ...(txn.status === 'paid' ? { vnp_BankTranNo: `VNP${txn.no}`, vnp_CardType: 'ATM' } : {}),
    vnp_OrderInfo: txn.params.vnp_OrderInfo,
    vnp_PayDate: txn.payDate,
    vnp_ResponseCode: txn.responseCode,
    vnp_TmnCode: config.tmn_code,
    vnp_TransactionNo: txn.no,
    vnp_TransactionStatus: txn.status === 'paid' ? '00' : '02',
    vnp_TxnRef: txn.ref,
  };
}

/** Settles a pending transaction: approve (00) or decline (`code`, 24 = the customer cancelled). */
function settle(txn, outcome, code) {
  const expired = txn.params.vnp_ExpireDate && parseStamp(txn.params.vnp_ExpireDate) < Date.now();
  txn.payDate = stamp();
  txn.bankCode = outcome === 'approve' ? config.bank_code : 'VNPAY';
  if (outcome === 'approve' && !expired) {
    state.seq += 1;
    Object.assign(txn, { status: 'paid', responseCode: '00', no: String(state.seq) });
  } else
    Object.assign(txn, { status: 'failed', responseCode: expired ? '11' : String(code ?? '24'), no: '0' });
}

/** GETs one signed IPN to the configured URL; resolves to what the merchant answered. */
async function sendIpn(txn, overrides = {}) {
  const query = signedQuery({ ...resultParams(txn), ...overrides });
  const entry = { at: new Date().toISOString(), ref: txn.ref, query, url: config.ipn_url };
  state.ipns.push(entry);
  if (!config.ipn_url) return (entry.result = { skipped: 'no ipn_url configured' });
  try {
    const url = `${config.ipn_url}${config.ipn_url.includes('?') ? '&' : '?'}${query}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    let body = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return (entry.result = { status: res.status, body });
  } catch (err) {
    return (entry.result = { error: err.message });
  }
}

async function decide(txn, outcome, code) {
  if (txn.status !== 'pending') return page(409, 'Giao dịch đã được xử lý', `<p>${txn.status}</p>`);
  settle(txn, outcome, code);
  const ipn = await sendIpn(txn);
  const back = txn.params.vnp_ReturnUrl;
  return { redirect: `${back}${back.includes('?') ? '&' : '?'}${signedQuery(resultParams(txn))}`, ipn };
}

// ------------------------------------------------------------------ test levers (/_sim/...)

async function lever(method, path, body, url) {
  if (method === 'POST' && path === '/_sim/reset') {
    reset();
    return json(200, { ok: true });
  }
  if (method === 'POST' && path === '/_sim/config') {
    for (const [k, v] of Object.entries(body)) if (k in config) config[k] = v;
    return json(200, config);
  }
  if (method === 'GET' && path === '/_sim/config') return json(200, config);
  if (method === 'POST' && path === '/_sim/fail') {
    state.fail = {
      count: Number(body.count ?? 1),
      status: Number(body.status ?? 503),
      only: body.only ?? '',
    };
    return json(200, state.fail);
  }
  if (method === 'POST' && path === '/_sim/stall') {
    state.stall = {
      count: Number(body.count ?? 1),
      ms: Number(body.ms ?? 10_000),
      when: body.when === 'before' ? 'before' : 'after',
      only: body.only ?? '',
    };
    return json(200, state.stall);
  }
  if (method === 'GET' && path === '/_sim/transactions') {
    const ref = url.searchParams.get('ref');
    const all = [...state.txns.values()].filter((t) => !ref || t.ref === ref);
    return json(200, { transactions: all });
  }
  if (method === 'GET' && path === '/_sim/ipns') return json(200, { ipns: state.ipns });
  let m = /^\/_sim\/pay\/(.+)$/.exec(path);
  if (m && method === 'POST') {
    // The payment page's buttons (form-encoded) or a test's JSON: outcome approve|decline, code.
    const txn = state.txns.get(decodeURIComponent(m[1]));
    if (!txn) return page(404, 'Không tìm thấy giao dịch', '');
    const decided = await decide(txn, body.outcome === 'approve' ? 'approve' : 'decline', body.code);
    if (body.follow === false || url.searchParams.get('json') === '1')
      return json(200, { redirect: decided.redirect, ipn: decided.ipn, status: decided.status });
    return decided;
  }
  if (method === 'POST' && path === '/_sim/ipn') {
    // Send the IPN of a settled transaction now, `duplicate` more times; `response_code` (and
    // `transaction_status`) override it, e.g. a stale failure after a success (out of order).
    const txn = state.txns.get(body.ref);
    if (!txn) return json(404, { error: `no transaction ${body.ref}` });
    if (txn.status === 'pending') return json(409, { error: `${body.ref} is still pending` });
    const overrides = {
      ...(body.response_code ? { vnp_ResponseCode: String(body.response_code) } : {}),
      ...(body.transaction_status ? { vnp_TransactionStatus: String(body.transaction_status) } : {}),
    };
    const sent = [];
    for (let i = 0; i <= Number(body.duplicate ?? 0); i++) sent.push(await sendIpn(txn, overrides));
    return json(200, { sent });
  }
  return json(404, { error: `no lever ${method} ${path}` });
}

// ------------------------------------------------------------------ server

/** Whether a fail/stall lever applies to `call` ("querydr", "refund", "pay", or all when `only` is empty); uses one. */
function takes(leverState, call) {
  if (leverState.count <= 0 || (leverState.only && leverState.only !== call)) return false;
  leverState.count -= 1;
  return true;
}

function parseBody(raw, contentType = '') {
  if (!raw) return {};
  if (contentType.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw));
  const body = JSON.parse(raw);
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
}

async function handle(req, res) {
  const url = new URL(req.url, `http://127.0.0.1:${PORT}`);
  const raw = await readBody(req);
  let body;
  try {
    body = parseBody(raw, req.headers['content-type']);
  } catch {
    return write(res, json(400, { vnp_ResponseCode: '03', vnp_Message: 'body is not JSON' }));
  }
  if (url.pathname.startsWith('/_sim/')) return write(res, await lever(req.method, url.pathname, body, url));
  const call =
    url.pathname === PAY_PATH ? 'pay' : url.pathname === API_PATH ? String(body.vnp_Command ?? '') : '';
  if (!call) return write(res, json(404, { error: `no route ${req.method} ${url.pathname}` }));
  if (takes(state.fail, call)) return write(res, json(state.fail.status, { error: 'simulated outage' }));
  const stall = takes(state.stall, call) ? { ...state.stall } : undefined;
  if (stall?.when === 'before') await sleep(stall.ms);
  let answer;
  if (call === 'pay') {
    if (req.method !== 'GET') answer = page(405, 'Method not allowed', '');
    else {
      const opened = openPayment(Object.fromEntries(url.searchParams));
      answer = opened.error ?? paymentPage(opened.txn);
    }
  } else answer = req.method === 'POST' ? api(body) : json(405, { error: 'POST only' });
  if (stall?.when === 'after') await sleep(stall.ms);
  write(res, answer);
}

createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('vnpay simulator:', err);
    if (!res.headersSent) write(res, json(500, { error: String(err?.message ?? err) }));
  });
}).listen(PORT, '127.0.0.1', () => console.log(`vnpay simulator on 127.0.0.1:${PORT}`));

// MoMo All-in-One payment gateway (API v2) simulator (local tests and `make dev` only).
//
// Speaks the protocol as /work/shared/PROVIDERS.md §2 describes it (developers.momo.vn v3 docs:
// wallet one-time, confirm, refund, query, notification, result codes): POST /v2/gateway/api/
// {create,query,confirm,refund} with HMAC-SHA256 signatures over alphabetical fields, requestId
// idempotency, holds (autoCapture=false → 9000 → confirm capture/cancel), partial capture (our
// choice, unconfirmed), partial refunds under new orderIds, signed IPNs to the ipnUrl and a payment
// page at payUrl that redirects to redirectUrl with the signed result. Choices the docs do not make
// are listed in README.md. Test levers live under /_sim/. State is in memory.
import { createServer } from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import { URLSearchParams } from 'node:url';

const PORT = Number(process.env.PORT ?? 58411);
const SIGNED = {
  create: 'accessKey amount extraData ipnUrl orderId orderInfo partnerCode redirectUrl requestId requestType',
  ipn: 'accessKey amount extraData message orderId orderInfo orderType partnerCode payType requestId responseTime resultCode transId',
  query: 'accessKey orderId partnerCode requestId',
  refund: 'accessKey amount description orderId partnerCode requestId transId',
  confirm: 'accessKey amount description orderId partnerCode requestId requestType',
};
const ORDER_ID = /^[0-9a-zA-Z]+(?:[-_.]+[0-9a-zA-Z]+)*$/;
const LIMITS = {
  captureWallet: [1_000, 50_000_000],
  payWithATM: [10_000, 50_000_000],
  payWithCC: [1_000, 50_000_000],
  payWithMethod: [1_000, 50_000_000],
};
const MESSAGES = {
  0: 'Successful.',
  1000: 'Transaction is initiated, waiting for user confirmation.',
  9000: 'Transaction is authorized successfully.',
  1005: 'Transaction failed because the url or QR code expired.',
  1006: 'Transaction failed because the user has declined to confirm the payment.',
  1017: 'Transaction cancelled by partner.',
  1080: 'Refund failed.',
  1081: 'Refund rejected: the amount exceeds what may be refunded.',
  13: 'Merchant authentication failed.',
  20: 'Bad format request.',
  21: 'Invalid transaction amount.',
  40: 'Invalid parameters.',
  41: 'Duplicated orderId.',
  42: 'Invalid orderId or orderId is not found.',
  43: 'Duplicated requestId with different parameters.',
};

const defaults = () => ({
  partner_code: process.env.PARTNER_CODE ?? 'TUOISIM',
  access_key: process.env.ACCESS_KEY ?? 'tuoi-sim-access',
  secret_key: process.env.SECRET_KEY ?? 'tuoi-sim-secret-key-000000000000',
  ipn_url: process.env.IPN_URL ?? '', // overrides each order's ipnUrl when set
  ipn_on_confirm: true, // send an IPN after confirm capture/cancel (unconfirmed at MoMo)
  latency_ms: 0, // every API call answers this much later (benchmarks: the provider's own time)
});
let config, state;
function reset() {
  config = defaults();
  state = {
    orders: new Map(),
    requests: new Map(),
    ledger: [],
    ipns: [],
    fail: { count: 0, status: 503, only: '' },
    stall: { count: 0, ms: 0, when: 'after', only: '' },
  };
}
reset();

const sign = (kind, f) => {
  const raw = SIGNED[kind]
    .split(' ')
    .map((k) => `${k}=${k === 'accessKey' ? config.access_key : (f[k] ?? '')}`)
    .join('&');
  return createHmac('sha256', config.secret_key).update(raw, 'utf8').digest('hex');
};
const json = (status, body) => ({ status, body });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const result = (b, code, extra = {}) =>
  json(200, {
    partnerCode: config.partner_code,
    orderId: b.orderId,
    requestId: b.requestId,
    resultCode: code,
    message: MESSAGES[code] ?? 'Error',
    responseTime: Date.now(),
    ...extra,
  });
/**
 * A new transId: the clock in ms, or one more than the last when ids come faster than that, so
 * ids stay unique across restarts and resets. The payment function dedupes IPNs by
 * `transId:resultCode` and keeps a payment's transId unique, in a database that outlives the
 * simulator (`make dev`), so a counter restarting at 0 would hand out transIds it has already seen.
 * Still a Long as MoMo documents (13 digits, within a JSON number's exact integers).
 */
let lastTransId = 0;
const newTransId = () => (lastTransId = Math.max(lastTransId + 1, Date.now()));
const remaining = (o) =>
  o.captured - o.refunds.filter((r) => r.resultCode === 0).reduce((s, r) => s + r.amount, 0);

// ------------------------------------------------------------------ IPN and redirect

function ipnBody(o, code = o.code) {
  const f = {
    partnerCode: config.partner_code,
    orderId: o.orderId,
    requestId: o.requestId,
    amount: code === 0 && o.captured ? o.captured : o.amount,
    orderInfo: o.orderInfo,
    orderType: 'momo_wallet',
    transId: o.transId ?? 0,
    resultCode: code,
    message: MESSAGES[code] ?? 'Error',
    payType: o.payType ?? 'qr',
    responseTime: Date.now(),
    extraData: o.extraData,
  };
  return { ...f, signature: sign('ipn', f) };
}

async function sendIpn(o, body = ipnBody(o)) {
  const url = config.ipn_url || o.ipnUrl;
  const entry = { at: new Date().toISOString(), url, body };
  state.ipns.push(entry);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return (entry.result = { status: res.status });
  } catch (err) {
    return (entry.result = { error: err.message });
  }
}

/** The customer acts on the payment page: approve (hold, or pay when autoCapture), decline, expire. */
async function complete(o, action) {
  if (o.code !== 1000) return { error: `order is ${o.code}, not waiting for the customer` };
  o.transId = newTransId();
  if (action === 'approve') {
    o.code = o.autoCapture ? 0 : 9000;
    if (o.autoCapture) o.captured = o.amount;
    state.ledger.push({
      type: o.autoCapture ? 'pay' : 'hold',
      orderId: o.orderId,
      amount: o.amount,
      at: Date.now(),
    });
  } else o.code = action === 'expire' ? 1005 : 1006;
  const body = ipnBody(o);
  const ipn = await sendIpn(o, body);
  const { signature, ...rest } = body;
  const redirect = `${o.redirectUrl}${o.redirectUrl.includes('?') ? '&' : '?'}${new URLSearchParams({ ...rest, signature })}`;
  return { ipn, redirect };
}

const page = (o, t) => `<!doctype html><html lang="vi"><meta charset="utf-8"><title>MoMo (simulator)</title>
<body style="font-family:sans-serif;max-width:28em;margin:3em auto"><h1>MoMo — thanh toán</h1>
<p id="order">${escape(o.orderInfo)}</p><p id="amount"><b>${o.amount.toLocaleString('vi-VN')} ₫</b> (${escape(o.orderId)})</p>
${
  o.code === 1000
    ? `<form method="post" action="/v2/gateway/pay/approve?t=${t}"><button id="approve">Xác nhận (Approve)</button></form>
<form method="post" action="/v2/gateway/pay/decline?t=${t}"><button id="decline">Từ chối (Decline)</button></form>`
    : `<p id="done">resultCode ${o.code}</p>`
}</body></html>`;
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// ------------------------------------------------------------------ the MoMo API

/** Replays a final answer for a requestId; refuses a requestId reused with other parameters. */
function idempotent(b, handler) {
  const fingerprint = JSON.stringify({ ...b, signature: undefined });
  const seen = state.requests.get(b.requestId);
  if (seen) return seen.fingerprint === fingerprint ? seen.answer : result(b, 43);
  const answer = handler();
  state.requests.set(b.requestId, { fingerprint, answer });
  return answer;
}

function create(b) {
  const [min, max] = LIMITS[b.requestType] ?? [];
  if (!min) return result(b, 40, { message: `requestType ${b.requestType} is not supported` });
  if (!ORDER_ID.test(String(b.orderId)) || String(b.orderId).length > 200) return result(b, 42);
  if (!Number.isInteger(b.amount) || b.amount < min || b.amount > max) return result(b, 21);
  if (!b.ipnUrl || !b.redirectUrl) return result(b, 20);
  if (state.orders.has(b.orderId)) return result(b, 41);
  const token = randomBytes(12).toString('hex');
  const o = {
    orderId: b.orderId,
    requestId: b.requestId,
    amount: b.amount,
    orderInfo: b.orderInfo ?? '',
    extraData: b.extraData ?? '',
    ipnUrl: b.ipnUrl,
    redirectUrl: b.redirectUrl,
    requestType: b.requestType,
    autoCapture: b.autoCapture !== false,
    code: 1000,
    captured: 0,
    refunds: [],
    token,
    createdAt: Date.now(),
  };
  state.orders.set(o.orderId, o);
  const payUrl = `http://127.0.0.1:${PORT}/v2/gateway/pay?t=${token}`;
  return result(b, 0, {
    amount: b.amount,
    payUrl,
    deeplink: `momo://app?action=payWithApp&t=${token}`,
    qrCodeUrl: `momo://app?action=qr&t=${token}`,
  });
}

function query(b) {
  const o = state.orders.get(b.orderId);
  if (!o) return result(b, 42);
  const refundTrans = o.refunds.map((r) => ({
    orderId: r.orderId,
    amount: r.amount,
    resultCode: r.resultCode,
    transId: r.transId,
    createdTime: r.at,
  }));
  return result(b, o.code, {
    extraData: o.extraData,
    amount: o.code === 0 ? o.captured : o.amount,
    transId: o.transId ?? 0,
    payType: o.payType ?? (o.transId ? 'qr' : ''),
    refundTrans,
    lastUpdated: o.updatedAt ?? o.createdAt,
  });
}

function confirm(b) {
  const o = state.orders.get(b.orderId);
  if (!o) return result(b, 42);
  if (o.code !== 9000) return result(b, 40, { message: `transaction is ${o.code}, not 9000 Authorized` });
  if (b.requestType === 'capture') {
    if (!Number.isInteger(b.amount) || b.amount < 1 || b.amount > o.amount) return result(b, 21);
    Object.assign(o, { code: 0, captured: b.amount, updatedAt: Date.now() });
    state.ledger.push({
      type: 'capture',
      orderId: o.orderId,
      amount: b.amount,
      released: o.amount - b.amount,
      requestId: b.requestId,
      at: Date.now(),
    });
  } else if (b.requestType === 'cancel') {
    if (b.amount !== o.amount) return result(b, 21);
    Object.assign(o, { code: 1017, updatedAt: Date.now() });
    state.ledger.push({
      type: 'cancel',
      orderId: o.orderId,
      amount: o.amount,
      requestId: b.requestId,
      at: Date.now(),
    });
  } else return result(b, 40, { message: 'requestType must be capture or cancel' });
  if (config.ipn_on_confirm) void sendIpn(o);
  return result(b, 0, { amount: b.amount, transId: o.transId, requestType: b.requestType });
}

function refund(b) {
  const o = [...state.orders.values()].find((x) => x.transId === Number(b.transId));
  if (!o) return result(b, 42, { message: `no transaction ${b.transId}` });
  if (!ORDER_ID.test(String(b.orderId))) return result(b, 42);
  if (
    state.orders.has(b.orderId) ||
    [...state.orders.values()].some((x) => x.refunds.some((r) => r.orderId === b.orderId))
  )
    return result(b, 41);
  if (o.code !== 0)
    return result(b, 1080, { message: `transaction is ${o.code}; only a successful one is refunded` });
  if (!Number.isInteger(b.amount) || b.amount < 1_000) return result(b, 21);
  if (b.amount > remaining(o)) return result(b, 1081);
  const r = {
    orderId: b.orderId,
    requestId: b.requestId,
    amount: b.amount,
    transId: newTransId(),
    resultCode: 0,
    at: Date.now(),
  };
  o.refunds.push(r);
  state.ledger.push({
    type: 'refund',
    orderId: o.orderId,
    refundOrderId: r.orderId,
    amount: r.amount,
    at: r.at,
  });
  return result(b, 0, { amount: b.amount, transId: r.transId });
}

function api(path, b) {
  const kind = path.replace('/v2/gateway/api/', '');
  if (!SIGNED[kind] || kind === 'ipn') return json(404, { message: `no route POST ${path}` });
  if (b.partnerCode !== config.partner_code || b.signature !== sign(kind, b)) return result(b, 13);
  if (!b.requestId || String(b.requestId).length > 50) return result(b, 20);
  if (kind === 'query') return query(b);
  return idempotent(b, () => ({ create, confirm, refund })[kind](b));
}

// ------------------------------------------------------------------ test levers (/_sim/...)

const view = (o) => ({ ...o, status: o.code, remainingRefundable: remaining(o) });
const find = (id) => state.orders.get(id);

async function lever(method, path, b, url) {
  if (method === 'POST' && path === '/_sim/reset') return (reset(), json(200, { ok: true }));
  if (path === '/_sim/config') {
    if (method === 'POST') for (const [k, v] of Object.entries(b)) if (k in config) config[k] = v;
    return json(200, config);
  }
  if (method === 'POST' && path === '/_sim/fail')
    return json(
      200,
      (state.fail = { count: Number(b.count ?? 1), status: Number(b.status ?? 503), only: b.only ?? '' }),
    );
  if (method === 'POST' && path === '/_sim/stall')
    return json(
      200,
      (state.stall = {
        count: Number(b.count ?? 1),
        ms: Number(b.ms ?? 10_000),
        when: b.when === 'before' ? 'before' : 'after',
        only: b.only ?? '',
      }),
    );
  if (method === 'GET' && path === '/_sim/orders') {
    const id = url.searchParams.get('orderId');
    return json(200, { orders: [...state.orders.values()].filter((o) => !id || o.orderId === id).map(view) });
  }
  if (method === 'GET' && path === '/_sim/ledger') return json(200, { ledger: state.ledger });
  if (method === 'GET' && path === '/_sim/ipns') return json(200, { ipns: state.ipns });
  const o = find(b.orderId);
  if (method === 'POST' && path === '/_sim/pay') {
    if (!o) return json(404, { error: `no order ${b.orderId}` });
    const done = await complete(o, b.action ?? 'approve');
    return json(done.error ? 409 : 200, { order: view(o), ...done });
  }
  if (method === 'POST' && path === '/_sim/ipn') {
    // Send now; `duplicate` more copies; `resultCode` for a stale or out-of-order one.
    if (!o) return json(404, { error: `no order ${b.orderId}` });
    const body = ipnBody(o, b.resultCode ?? o.code);
    const sent = [];
    for (let i = 0; i <= Number(b.duplicate ?? 0); i++) sent.push(await sendIpn(o, body));
    return json(200, { body, sent });
  }
  return json(404, { error: `no lever ${method} ${path}` });
}

// ------------------------------------------------------------------ server

const takes = (l, call) => l.count > 0 && (!l.only || l.only === call) && (l.count -= 1) >= 0;
const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req
      .on('data', (c) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      .on('error', reject);
  });

function write(res, a) {
  if (res.destroyed) return;
  if (a.redirect) return res.writeHead(302, { location: a.redirect }).end();
  if (a.html)
    return res.writeHead(a.status ?? 200, { 'content-type': 'text/html; charset=utf-8' }).end(a.html);
  res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
}

async function handle(req, res) {
  const url = new URL(req.url, `http://127.0.0.1:${PORT}`);
  const raw = await readBody(req);
  let b = {};
  try {
    b = raw && !req.headers['content-type']?.includes('form') ? JSON.parse(raw) : {};
  } catch {
    return write(res, json(400, { resultCode: 20, message: 'Bad format request.' }));
  }
  if (url.pathname.startsWith('/_sim/'))
    return write(res, await lever(req.method, url.pathname, b ?? {}, url));
  const m = /^\/v2\/gateway\/pay(?:\/(approve|decline))?$/.exec(url.pathname);
  if (m) {
    const o = [...state.orders.values()].find((x) => x.token === url.searchParams.get('t'));
    if (!o) return write(res, { status: 404, html: '<p>Giao dịch không tồn tại</p>' });
    if (!m[1]) return write(res, { html: page(o, o.token) });
    const done = await complete(o, m[1]);
    return write(
      res,
      done.error ? { status: 409, html: `<p>${escape(done.error)}</p>` } : { redirect: done.redirect },
    );
  }
  const call = `${req.method} ${url.pathname}`;
  if (takes(state.fail, call)) return write(res, json(state.fail.status, { message: 'simulated outage' }));
  const stall = takes(state.stall, call) ? { ...state.stall } : undefined;
  if (stall?.when === 'before') await sleep(stall.ms);
  if (config.latency_ms > 0) await sleep(Number(config.latency_ms));
  const answer =
    req.method === 'POST' && url.pathname.startsWith('/v2/gateway/api/')
      ? api(url.pathname, b ?? {})
      : json(404, { message: `no route ${call}` });
  if (stall?.when === 'after') await sleep(stall.ms);
  write(res, answer);
}

createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('momo simulator:', err);
    if (!res.headersSent) write(res, json(500, { message: String(err?.message ?? err) }));
  });
}).listen(PORT, '127.0.0.1', () => console.log(`momo simulator on 127.0.0.1:${PORT}`));

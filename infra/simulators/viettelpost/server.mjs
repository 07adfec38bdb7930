/**
 * ViettelPost simulator: the part of ViettelPost's partner API Tươi calls, in memory, on
 * 127.0.0.1:$PORT. Follows what PROVIDERS.md §4.2 and the issue-17 digest record (community
 * sources and a copy of the partner integration PDF): `POST /v2/user/Login` → `data.token`, header
 * `Token`, answers `{status, error, message, data}` (a refusal is `error: true`, status 204, on
 * HTTP 200), `getPriceAll` → a list of `MA_DV_CHINH`/`GIA_CUOC`/`THOI_GIAN`, `createOrder`,
 * `UpdateOrder` (TYPE 4 = cancel), categories `listProvince`/`listDistrict`/`listWards`, and
 * webhooks `{DATA:{…}, TOKEN}`. It offers no order-read endpoint because none is documented. What
 * is assumed (error wording, auth-failure answer, duplicate rule, fee formula, ids) is listed in
 * README.md beside this file. Test levers live under `/_sim/` (see the README).
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 58404);

const defaults = () => ({
  username: process.env.VTP_USERNAME ?? 'tuoi-sim',
  password: process.env.VTP_PASSWORD ?? 'tuoi-sim-password',
  webhook_url: process.env.WEBHOOK_URL ?? '',
  webhook_token: process.env.WEBHOOK_TOKEN ?? 'sim-viettelpost-webhook-token',
  /** ViettelPost's retry policy is undocumented: no retries unless asked. */
  webhook_retries: 0,
  webhook_retry_ms: 5000,
});

// ---------------------------------------------------------------------------------------------
// Master data (field names from the integration PDF; ids illustrative, not ViettelPost's).
const PROVINCES = [
  { PROVINCE_ID: 2, PROVINCE_CODE: 'HCM', PROVINCE_NAME: 'Thành phố Hồ Chí Minh' },
  { PROVINCE_ID: 1, PROVINCE_CODE: 'HNI', PROVINCE_NAME: 'Thành phố Hà Nội' },
];
const DISTRICTS = [
  { DISTRICT_ID: 43, DISTRICT_VALUE: '760', DISTRICT_NAME: 'QUẬN 1', PROVINCE_ID: 2 },
  { DISTRICT_ID: 44, DISTRICT_VALUE: '770', DISTRICT_NAME: 'QUẬN 3', PROVINCE_ID: 2 },
  { DISTRICT_ID: 1, DISTRICT_VALUE: '001', DISTRICT_NAME: 'QUẬN HOÀN KIẾM', PROVINCE_ID: 1 },
];
const WARDS = [
  { WARDS_ID: 501, WARDS_NAME: 'PHƯỜNG BẾN THÀNH', DISTRICT_ID: 43 },
  { WARDS_ID: 502, WARDS_NAME: 'PHƯỜNG SÀI GÒN', DISTRICT_ID: 43 },
  { WARDS_ID: 503, WARDS_NAME: 'PHƯỜNG CẦU ÔNG LÃNH', DISTRICT_ID: 43 },
  { WARDS_ID: 511, WARDS_NAME: 'PHƯỜNG XUÂN HÒA', DISTRICT_ID: 44 },
  { WARDS_ID: 512, WARDS_NAME: 'PHƯỜNG BÀN CỜ', DISTRICT_ID: 44 },
  { WARDS_ID: 101, WARDS_NAME: 'PHƯỜNG HOÀN KIẾM', DISTRICT_ID: 1 },
  { WARDS_ID: 102, WARDS_NAME: 'PHƯỜNG CỬA NAM', DISTRICT_ID: 1 },
];

/** Services: base fee, fee per 500 g above the first 500 g, promised time; VHT only within a province. */
const SERVICES = [
  { code: 'VHT', name: 'Hỏa tốc', base: 35_000, step: 5_000, time: '12 giờ', sameProvinceOnly: true },
  { code: 'VCN', name: 'Chuyển phát nhanh', base: 22_000, step: 3_000, time: '24 giờ' },
  { code: 'VTK', name: 'Tiết kiệm', base: 16_000, step: 2_000, time: '48 giờ' },
];

/** Status names: Haravan's table where it has the code, else a plugin's table (both community). */
const STATUS_NAMES = {
  '-100': 'Chưa duyệt',
  101: 'ViettelPost yêu cầu hủy đơn hàng',
  102: 'Đơn hàng chờ xử lý',
  103: 'Giao cho bưu cục',
  104: 'Đã duyệt',
  105: 'Bưu tá đã nhận hàng',
  107: 'Đã hủy',
  200: 'Nhận từ bưu tá - Bưu cục gốc',
  201: 'Hủy nhập phiếu gửi',
  202: 'Sửa phiếu gửi',
  300: 'Đóng bảng kê đi',
  400: 'Nhận bảng kê đến',
  500: 'Đang giao hàng',
  501: 'Giao thành công',
  502: 'Chuyển hoàn bưu cục gốc',
  503: 'Hủy theo yêu cầu khách hàng',
  504: 'Hoàn thành công',
  505: 'Chờ duyệt hoàn',
  506: 'Không gặp khách',
  507: 'Khách đến bưu cục nhận',
  508: 'Đang giao hàng',
  509: 'Chuyển tiếp bưu cục khác',
  515: 'Duyệt hoàn',
  550: 'Phát tiếp',
};
const FORWARD = [-100, 104, 105, 200, 300, 400, 500, 501];
const CANCELLED = new Set([107, 201, 503]);

// ---------------------------------------------------------------------------------------------
// State.
let config = defaults();
/** VTP waybill → order; our ORDER_NUMBER → waybills (several if CHECK_UNIQUE was not asked). */
const orders = new Map();
const byReference = new Map();
const tokens = new Set();
let faults = [];
let deliveries = [];
let generation = 0;
/**
 * Waybills are the clock in ms, or one more than the last when orders come faster, so they stay
 * unique across restarts and resets (the delivery function keeps a carrier's reference unique in
 * a database that outlives the simulator under `make dev`); 13 digits.
 */
let lastWaybill = 0;
const newWaybill = () => String((lastWaybill = Math.max(lastWaybill + 1, Date.now())));
/** Successful logins since the last reset (tests check the token is reused). */
let logins = 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isInt = (v) => Number.isInteger(v);

/** Vietnam wall-clock "dd/MM/yyyy HH:mm:ss" of an instant (the webhook's ORDER_STATUSDATE). */
function vietnamTime(at) {
  const v = new Date(at.getTime() + 7 * 3_600_000).toISOString();
  return `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)} ${v.slice(11, 19)}`;
}

// ---------------------------------------------------------------------------------------------
// ViettelPost's answers.
const ok = (data, message = 'OK') => [200, { status: 200, error: false, message, data }];
const refuse = (message) => [200, { status: 204, error: true, message, data: null }];

const provinceOfWard = (wardId) => {
  const w = WARDS.find((x) => x.WARDS_ID === wardId);
  return w && DISTRICTS.find((d) => d.DISTRICT_ID === w.DISTRICT_ID)?.PROVINCE_ID;
};

/** Checks one end's ids; `needWard` for a create. Returns a refusal or undefined. */
function checkIds(b, side, needWard) {
  const province = b[`${side}_PROVINCE`];
  const district = b[`${side}_DISTRICT`];
  const ward = b[`${side}_WARD`];
  if (!PROVINCES.some((p) => p.PROVINCE_ID === province)) return refuse(`${side}_PROVINCE không hợp lệ`);
  const hasDistrict = district !== undefined && district !== null && district !== 0;
  const hasWard = ward !== undefined && ward !== null && ward !== 0;
  if (!hasWard && (needWard || !hasDistrict)) return refuse(`${side}_WARD không được để trống`);
  if (hasDistrict && !DISTRICTS.some((d) => d.DISTRICT_ID === district && d.PROVINCE_ID === province))
    return refuse(`${side}_DISTRICT không thuộc tỉnh/thành ${province}`);
  if (hasWard) {
    const w = WARDS.find((x) => x.WARDS_ID === ward);
    if (!w || provinceOfWard(ward) !== province)
      return refuse(`${side}_WARD không thuộc tỉnh/thành ${province}`);
    if (hasDistrict && w.DISTRICT_ID !== district)
      return refuse(`${side}_WARD không thuộc quận/huyện ${district}`);
  }
  return undefined;
}

function checkProduct(b) {
  if (!isInt(b.PRODUCT_WEIGHT) || b.PRODUCT_WEIGHT <= 0)
    return refuse('PRODUCT_WEIGHT phải là số nguyên dương (gram)');
  if (b.PRODUCT_TYPE !== undefined && !['HH', 'TH'].includes(b.PRODUCT_TYPE))
    return refuse('PRODUCT_TYPE không hợp lệ');
  const cod = b.MONEY_COLLECTION ?? 0;
  if (!isInt(Number(cod)) || Number(cod) < 0) return refuse('MONEY_COLLECTION không hợp lệ');
  return undefined;
}

/** The services and fees of a trip (GIA_CUOC includes 1 % of the COD). */
function offers(b) {
  const same = b.SENDER_PROVINCE === b.RECEIVER_PROVINCE;
  const steps = Math.ceil(Math.max(0, b.PRODUCT_WEIGHT - 500) / 500);
  const codFee = Math.round(Number(b.MONEY_COLLECTION ?? 0) * 0.01);
  return SERVICES.filter((s) => same || !s.sameProvinceOnly).map((s) => ({
    MA_DV_CHINH: s.code,
    TEN_DICHVU: s.name,
    GIA_CUOC: s.base + s.step * steps + (same ? 0 : 8_000) + codFee,
    THOI_GIAN: s.time,
    EXCHANGE_WEIGHT: b.PRODUCT_WEIGHT,
    EXTRA_SERVICE: [],
    codFee,
  }));
}

function getPriceAll(b) {
  const refusal = checkIds(b, 'SENDER', false) ?? checkIds(b, 'RECEIVER', false) ?? checkProduct(b);
  if (refusal) return refusal;
  // A bare list, as adopters read it.
  return [200, offers(b).map(({ codFee: _codFee, ...offer }) => offer)];
}

function checkCreate(b) {
  for (const f of ['RECEIVER_FULLNAME', 'RECEIVER_ADDRESS', 'RECEIVER_PHONE'])
    if (typeof b[f] !== 'string' || b[f].trim() === '') return refuse(`${f} không được để trống`);
  if (!/^0\d{9}$/.test(b.RECEIVER_PHONE)) return refuse('RECEIVER_PHONE không hợp lệ');
  if (![1, 2, 3, 4].includes(b.ORDER_PAYMENT)) return refuse('ORDER_PAYMENT không hợp lệ');
  if (b.ORDER_PAYMENT === 1 && Number(b.MONEY_COLLECTION ?? 0) > 0)
    return refuse('ORDER_PAYMENT = 1 (không thu hộ) nhưng MONEY_COLLECTION > 0');
  if (b.CHECK_UNIQUE === true && b.ORDER_NUMBER && byReference.has(String(b.ORDER_NUMBER)))
    return refuse(`Mã đơn hàng ${b.ORDER_NUMBER} đã tồn tại`);
  return checkIds(b, 'SENDER', true) ?? checkIds(b, 'RECEIVER', true) ?? checkProduct(b);
}

function createOrder(b) {
  const refusal = checkCreate(b);
  if (refusal) return refusal;
  const offer = offers(b).find((o) => o.MA_DV_CHINH === b.ORDER_SERVICE);
  if (!offer) return refuse(`Dịch vụ ${b.ORDER_SERVICE} không hỗ trợ tuyến này`);
  const vat = Math.round((offer.GIA_CUOC * 8) / 108);
  const order = {
    ORDER_NUMBER: newWaybill(),
    ORDER_REFERENCE: String(b.ORDER_NUMBER ?? ''),
    status: -100,
    history: [{ status: -100, at: new Date().toISOString() }],
    MONEY_COLLECTION: Number(b.MONEY_COLLECTION ?? 0),
    MONEY_FEECOD: offer.codFee,
    MONEY_TOTAL: offer.GIA_CUOC,
    MONEY_TOTALFEE: offer.GIA_CUOC - vat,
    service: offer.MA_DV_CHINH,
    request: b,
  };
  orders.set(order.ORDER_NUMBER, order);
  if (order.ORDER_REFERENCE)
    byReference.set(order.ORDER_REFERENCE, [
      ...(byReference.get(order.ORDER_REFERENCE) ?? []),
      order.ORDER_NUMBER,
    ]);
  return ok({
    ORDER_NUMBER: order.ORDER_NUMBER,
    MONEY_COLLECTION: order.MONEY_COLLECTION,
    EXCHANGE_WEIGHT: b.PRODUCT_WEIGHT,
    MONEY_TOTAL: order.MONEY_TOTAL,
    MONEY_TOTAL_FEE: order.MONEY_TOTALFEE,
    MONEY_FEE: order.MONEY_TOTAL - offer.codFee - vat,
    MONEY_COLLECTION_FEE: offer.codFee,
    MONEY_FEE_VAT: vat,
    MONEY_OTHER_FEE: 0,
    KPI_HT: Number.parseInt(offer.THOI_GIAN, 10),
  });
}

function updateOrder(b) {
  const o = orders.get(String(b.ORDER_NUMBER ?? ''));
  if (!o) return refuse(`Không tìm thấy đơn hàng ${b.ORDER_NUMBER}`);
  if (b.TYPE !== 4) return refuse(`TYPE ${b.TYPE} không được hỗ trợ bởi trình mô phỏng`);
  if (CANCELLED.has(o.status)) return refuse('Đơn hàng đã hủy');
  // Cancel is accepted while ORDER_STATUS < 200 (a plugin's reading of the docs).
  if (o.status >= 200) return refuse('Đơn hàng đã được bưu cục tiếp nhận, không thể hủy');
  move(o, 107, new Date(), b.NOTE);
  void sendWebhook(o, { status: 107, at: new Date(), note: b.NOTE });
  return ok(null, 'OK');
}

function move(o, status, at, note) {
  o.status = status;
  o.history.push({ status, at: at.toISOString(), ...(note && { note }) });
}

// ---------------------------------------------------------------------------------------------
// Webhooks.
function webhookBody(o, { status, at, note }) {
  const withCourier = [105, 500, 501, 506, 508].includes(status);
  return {
    DATA: {
      ORDER_NUMBER: o.ORDER_NUMBER,
      ORDER_REFERENCE: o.ORDER_REFERENCE,
      ORDER_STATUSDATE: vietnamTime(at),
      ORDER_STATUS: status,
      STATUS_NAME: STATUS_NAMES[status] ?? `Trạng thái ${status}`,
      LOCALION_CURRENTLY: 'Bưu cục mô phỏng - Quận 1 - Hồ Chí Minh',
      NOTE: note ?? '',
      MONEY_COLLECTION: o.MONEY_COLLECTION,
      MONEY_FEECOD: o.MONEY_FEECOD,
      MONEY_TOTALFEE: o.MONEY_TOTALFEE,
      MONEY_TOTAL: o.MONEY_TOTAL,
      EXPECTED_DELIVERY: 'Khoảng 1 ngày làm việc',
      PRODUCT_WEIGHT: o.request.PRODUCT_WEIGHT,
      ORDER_SERVICE: o.service,
      ...(withCourier && { EMPLOYEE_NAME: 'Bưu tá Mô Phỏng', EMPLOYEE_PHONE: '0987000111' }),
    },
    TOKEN: config.webhook_token,
  };
}

async function attempt(url, body) {
  const entry = { at: new Date().toISOString(), url, body, status: undefined, error: undefined };
  deliveries.push(entry);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    entry.status = res.status;
    await res.arrayBuffer();
  } catch (err) {
    entry.error = err.message;
  }
  return entry;
}

async function sendWebhook(o, event) {
  const url = config.webhook_url;
  if (!url) return { sent: false, reason: 'no webhook_url configured' };
  const body = webhookBody(o, event);
  const first = await attempt(url, body);
  if (first.status !== 200) void retry(url, body, generation);
  return { sent: true, status: first.status, error: first.error };
}

async function retry(url, body, gen) {
  for (let n = 0; n < config.webhook_retries; n++) {
    await sleep(config.webhook_retry_ms);
    if (gen !== generation) return;
    if ((await attempt(url, body)).status === 200) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Test levers.
const find = (id) => orders.get(String(id)) ?? orders.get(byReference.get(String(id))?.[0]);
const view = (o) => ({ ...o });

async function lever(method, path, body) {
  if (method === 'POST' && path === '/_sim/reset') {
    config = defaults();
    orders.clear();
    byReference.clear();
    tokens.clear();
    logins = 0;
    faults = [];
    deliveries = [];
    generation++;
    return [200, { ok: true }];
  }
  if (path === '/_sim/config') {
    if (method === 'POST') config = { ...config, ...body };
    return [200, config];
  }
  if (method === 'GET' && path === '/_sim/orders') return [200, [...orders.values()].map(view)];
  if (method === 'GET' && path === '/_sim/webhooks') return [200, deliveries];
  if (method === 'GET' && path === '/_sim/stats') return [200, { logins, tokens: tokens.size }];
  if (method === 'POST' && path === '/_sim/expire_tokens') {
    tokens.clear();
    return [200, { ok: true }];
  }
  if (method === 'POST' && (path === '/_sim/fail' || path === '/_sim/stall')) {
    faults.push({
      kind: path === '/_sim/fail' ? 'fail' : 'stall',
      remaining: body.count ?? 1,
      status: body.status ?? 500,
      ms: body.ms ?? 10_000,
      path: body.path,
      effect: body.effect ?? true,
    });
    return [200, { ok: true, faults }];
  }
  if (method === 'POST' && path === '/_sim/advance') {
    const o = find(body.id);
    if (!o) return [404, { error: `no order ${body.id}` }];
    const next = body.status ?? FORWARD[FORWARD.indexOf(o.status) + 1];
    if (!isInt(next)) return [400, { error: `no next status from ${o.status}` }];
    const at = new Date();
    move(o, next, at, body.note);
    const webhook = await sendWebhook(o, { status: next, at, note: body.note });
    return [200, { order: view(o), webhook }];
  }
  if (method === 'POST' && path === '/_sim/webhook') {
    const o = find(body.id);
    if (!o) return [404, { error: `no order ${body.id}` }];
    const event = {
      status: body.status ?? o.status,
      at: body.at ? new Date(body.at) : new Date(),
      note: body.note,
    };
    const sent = [];
    for (let n = 0; n < (body.duplicate ?? 1); n++) sent.push(await sendWebhook(o, event));
    return [200, { sent }];
  }
  return [404, { error: `no lever ${method} ${path}` }];
}

// ---------------------------------------------------------------------------------------------
// The API.
function login(b) {
  if (b.USERNAME !== config.username || b.PASSWORD !== config.password)
    return refuse('Tên đăng nhập hoặc mật khẩu không đúng');
  const token = `vtp-sim-${randomBytes(18).toString('base64url')}`;
  tokens.add(token);
  logins++;
  return ok({
    userId: 13840789,
    token,
    partner: 13840789,
    phone: '0900000000',
    expired: Date.now() + 86_400_000,
  });
}

const ROUTES = {
  'POST /v2/user/Login': { auth: false, run: login },
  'GET /v2/categories/listProvince': { auth: false, run: () => ok(PROVINCES) },
  'GET /v2/categories/listDistrict': {
    auth: false,
    run: (b) =>
      ok(DISTRICTS.filter((d) => Number(b.provinceId) === -1 || d.PROVINCE_ID === Number(b.provinceId))),
  },
  'GET /v2/categories/listWards': {
    auth: false,
    run: (b) =>
      ok(WARDS.filter((w) => Number(b.districtId) === -1 || w.DISTRICT_ID === Number(b.districtId))),
  },
  'POST /v2/order/getPriceAll': { auth: true, run: getPriceAll },
  'POST /v2/order/createOrder': { auth: true, run: createOrder },
  'POST /v2/order/UpdateOrder': { auth: true, run: updateOrder },
};

function api(req, path, body) {
  const route = ROUTES[`${req.method} ${path}`];
  if (!route) return [404, { status: 404, error: true, message: 'Not Found', data: null }];
  if (route.auth && !tokens.has(req.headers.token))
    return [401, { status: 401, error: true, message: 'Token không hợp lệ hoặc đã hết hạn', data: null }];
  return route.run(body);
}

function takeFault(path) {
  const f = faults.find((x) => x.remaining > 0 && (!x.path || path.endsWith(x.path)));
  if (f) f.remaining--;
  return f;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, [status, body]) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://sim');
  const raw = await readBody(req);
  let body = Object.fromEntries(url.searchParams);
  if (raw.trim() !== '') {
    try {
      body = { ...body, ...JSON.parse(raw) };
    } catch {
      return send(res, [400, { status: 400, error: true, message: 'JSON không hợp lệ', data: null }]);
    }
  }
  if (url.pathname.startsWith('/_sim/')) return send(res, await lever(req.method, url.pathname, body));
  const fault = takeFault(url.pathname);
  if (fault?.kind === 'fail')
    return send(res, [
      fault.status,
      { status: fault.status, error: true, message: 'Lỗi hệ thống', data: null },
    ]);
  if (fault?.kind === 'stall' && !fault.effect) {
    await sleep(fault.ms);
    return req.socket.destroy();
  }
  const answer = api(req, url.pathname, body);
  if (fault?.kind === 'stall') await sleep(fault.ms);
  send(res, answer);
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    send(res, [500, { status: 500, error: true, message: 'simulator error', data: null }]);
  });
});
server.listen(PORT, '127.0.0.1', () => console.log(`viettelpost simulator on 127.0.0.1:${PORT}`));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

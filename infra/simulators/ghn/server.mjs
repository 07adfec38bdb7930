/**
 * GHN (Giao Hàng Nhanh) simulator: the part of GHN's public API Tươi calls, in memory, on
 * 127.0.0.1:$PORT. Follows api.ghn.vn/home/docs (detail ids 47 webhook, 63/123 create, 67 not-found
 * answer, 73 cancel, 76/95 fee, 118/119 detail-by-client-code): base path `/shiip/public-api`,
 * headers `Token` + `ShopId`, answers `{code, message, data}` (400 + `code_message` on a refusal),
 * webhooks as unsigned JSON POSTs retried 10 times 5 s apart until answered 200. What is assumed
 * rather than documented (auth error body, cancel rules, fee formula, master data) is listed in
 * README.md beside this file. Test levers live under `/_sim/` (see the README).
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 58403);
const API = '/shiip/public-api';

const defaults = () => ({
  token: process.env.GHN_TOKEN ?? 'sim-ghn-token',
  shop_id: Number(process.env.GHN_SHOP_ID ?? 885),
  webhook_url: process.env.WEBHOOK_URL ?? '',
  /** GHN resends a webhook not answered 200 ten times, five seconds apart (docs id=47). */
  webhook_retries: 10,
  webhook_retry_ms: 5000,
});

// ---------------------------------------------------------------------------------------------
// Master data: a few wards, illustrative codes (not GHN's real ones). Post-reform ward names sit
// under the pre-reform district GHN still asks for.
const PROVINCES = [
  { ProvinceID: 202, ProvinceName: 'Hồ Chí Minh', NameExtension: ['Hồ Chí Minh', 'TP Hồ Chí Minh', 'HCM'] },
  { ProvinceID: 201, ProvinceName: 'Hà Nội', NameExtension: ['Hà Nội', 'TP Hà Nội', 'HN'] },
];
const DISTRICTS = [
  { DistrictID: 1442, ProvinceID: 202, DistrictName: 'Quận 1' },
  { DistrictID: 1443, ProvinceID: 202, DistrictName: 'Quận 3' },
  { DistrictID: 1488, ProvinceID: 201, DistrictName: 'Quận Hoàn Kiếm' },
];
const WARDS = [
  { WardCode: '20101', DistrictID: 1442, WardName: 'Phường Bến Thành' },
  { WardCode: '20102', DistrictID: 1442, WardName: 'Phường Sài Gòn' },
  { WardCode: '20103', DistrictID: 1442, WardName: 'Phường Cầu Ông Lãnh' },
  { WardCode: '20301', DistrictID: 1443, WardName: 'Phường Xuân Hòa' },
  { WardCode: '20302', DistrictID: 1443, WardName: 'Phường Bàn Cờ' },
  { WardCode: '1A0101', DistrictID: 1488, WardName: 'Phường Hoàn Kiếm' },
  { WardCode: '1A0102', DistrictID: 1488, WardName: 'Phường Cửa Nam' },
];
/** The shop's registered pickup address, used when a request carries no from_* codes. */
const SHOP_ADDRESS = { district: 1442, ward: '20101' };

/** Status words (community list) and the usual forward path `advance` follows. */
const STATUSES = [
  'ready_to_pick',
  'picking',
  'money_collect_picking',
  'picked',
  'storing',
  'transporting',
  'sorting',
  'delivering',
  'money_collect_delivering',
  'delivered',
  'delivery_fail',
  'waiting_to_return',
  'return',
  'return_transporting',
  'return_sorting',
  'returning',
  'return_fail',
  'returned',
  'cancel',
  'exception',
  'damage',
  'lost',
];
const FORWARD = [
  'ready_to_pick',
  'picking',
  'picked',
  'storing',
  'transporting',
  'sorting',
  'delivering',
  'delivered',
];
/** Statuses an order may be cancelled from (assumed: before pickup). */
const CANCELLABLE = new Set(['ready_to_pick', 'picking', 'money_collect_picking']);
const REQUIRED_NOTES = new Set(['CHOTHUHANG', 'CHOXEMHANGKHONGTHU', 'KHONGCHOXEMHANG']);

// ---------------------------------------------------------------------------------------------
// State.
let config = defaults();
/** order_code → order; client_order_code → order_code. */
const orders = new Map();
const byClientCode = new Map();
/** Pending faults: { kind: 'fail'|'stall', remaining, status, ms, path, effect }. */
let faults = [];
/** Every webhook attempt, oldest first. */
let deliveries = [];
/** Bumped by reset so background webhook retries of an old run stop. */
let generation = 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowIso = () => new Date().toISOString();
const isInt = (v) => Number.isInteger(v);

// ---------------------------------------------------------------------------------------------
// GHN's answers.
const ok = (data) => [200, { code: 200, message: 'Success', data }];
const refuse = (message, codeMessage = 'USER_ERR_COMMON') => [
  400,
  { code: 400, message, data: null, code_message: codeMessage },
];
const NOT_FOUND_MESSAGE =
  'Lỗi gọi API: corev2_tenant_order_detail - code=404, message=Đơn hàng không tồn tại';

function wardOf(districtId, wardCode) {
  return WARDS.find((w) => w.DistrictID === districtId && w.WardCode === wardCode);
}
const provinceOfDistrict = (districtId) => DISTRICTS.find((d) => d.DistrictID === districtId)?.ProvinceID;

/** Checks a to_/from_ pair of codes; returns a refusal or undefined. */
function checkArea(body, side, required) {
  const district = body[`${side}_district_id`];
  const ward = body[`${side}_ward_code`];
  if (district === undefined && ward === undefined && !required) return undefined;
  if (!isInt(district)) return refuse(`${side}_district_id is required and must be an integer`);
  if (typeof ward !== 'string' || ward === '') return refuse(`${side}_ward_code is required`);
  if (!DISTRICTS.some((d) => d.DistrictID === district)) return refuse(`District ${district} không tồn tại`);
  if (!wardOf(district, ward)) return refuse(`Ward ${ward} không thuộc quận/huyện ${district}`);
  return undefined;
}

/** A deterministic fee: 15,000 + 2,500 per 500 g above 500 g (+10,000 across provinces), 0.5 % insurance, 1 % COD. */
function price(body, fromDistrict) {
  const dims = (body.length ?? 0) * (body.width ?? 0) * (body.height ?? 0);
  const chargeable = Math.max(body.weight, Math.ceil(dims / 5));
  const steps = Math.ceil(Math.max(0, chargeable - 500) / 500);
  const across = provinceOfDistrict(fromDistrict) !== provinceOfDistrict(body.to_district_id);
  const main_service = 15_000 + 2_500 * steps + (across ? 10_000 : 0);
  const insurance_fee = Math.round((body.insurance_value ?? 0) * 0.005);
  const cod_fee = Math.round((body.cod_value ?? body.cod_amount ?? 0) * 0.01);
  return {
    total: main_service + insurance_fee + cod_fee,
    service_fee: main_service,
    insurance_fee,
    cod_fee,
    pick_station_fee: 0,
    coupon_value: 0,
    r2s_fee: 0,
    converted_weight: chargeable,
  };
}

/** Checks the parcel and money fields fee and create share. */
function checkParcel(body, codField, codMax) {
  if (!isInt(body.weight) || body.weight <= 0)
    return refuse('weight is required and must be a positive integer (gram)');
  if (body.weight > 50_000) return refuse('weight must be at most 50000 gram');
  if (body.service_type_id === undefined && body.service_id === undefined)
    return refuse('service_type_id or service_id is required');
  if (
    body.service_type_id !== undefined &&
    body.service_type_id !== null &&
    ![2, 5].includes(body.service_type_id)
  )
    return refuse(`service_type_id ${body.service_type_id} không hợp lệ`);
  if ((body.insurance_value ?? 0) > 5_000_000) return refuse('insurance_value must be at most 5000000');
  const cod = body[codField] ?? 0;
  if (!isInt(cod) || cod < 0) return refuse(`${codField} must be a non-negative integer`);
  if (cod > codMax) return refuse(`${codField} must be at most ${codMax}`);
  return undefined;
}

function fee(body) {
  return (
    checkArea(body, 'to', true) ??
    checkArea(body, 'from', false) ??
    checkParcel(body, 'cod_value', 5_000_000) ??
    ok(price(body, body.from_district_id ?? SHOP_ADDRESS.district))
  );
}

function newOrderCode() {
  for (;;) {
    const code = randomBytes(6)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase()
      .slice(0, 7);
    if (code.length === 7 && !orders.has(`G${code}`)) return `G${code}`;
  }
}

function checkCreate(body) {
  for (const field of ['to_name', 'to_phone', 'to_address'])
    if (typeof body[field] !== 'string' || body[field].trim() === '') return refuse(`${field} is required`);
  if (!/^0\d{9}$/.test(body.to_phone)) return refuse('Số điện thoại người nhận không hợp lệ');
  if (![1, 2].includes(body.payment_type_id)) return refuse('payment_type_id must be 1 or 2');
  if (!REQUIRED_NOTES.has(body.required_note)) return refuse('required_note không hợp lệ');
  if (body.client_order_code && byClientCode.has(body.client_order_code))
    return refuse(
      `Mã đơn hàng riêng (client_order_code) ${body.client_order_code} đã tồn tại`,
      'ORDER_EXISTED',
    );
  return (
    checkArea(body, 'to', true) ??
    checkArea(body, 'from', false) ??
    checkParcel(body, 'cod_amount', 50_000_000)
  );
}

function create(body, shopId) {
  const refusal = checkCreate(body);
  if (refusal) return refusal;
  const fromDistrict = body.from_district_id ?? SHOP_ADDRESS.district;
  const p = price(body, fromDistrict);
  const at = nowIso();
  const order = {
    order_code: newOrderCode(),
    client_order_code: body.client_order_code ?? '',
    shop_id: shopId,
    status: 'ready_to_pick',
    log: [{ status: 'ready_to_pick', updated_date: at }],
    order_date: at,
    updated_date: at,
    cod_amount: body.cod_amount ?? 0,
    insurance_value: body.insurance_value ?? 0,
    weight: body.weight,
    converted_weight: p.converted_weight,
    fee: {
      main_service: p.service_fee,
      insurance: p.insurance_fee,
      cod_fee: p.cod_fee,
      station_do: 0,
      station_pu: 0,
      return: 0,
      r2s: 0,
      coupon: 0,
    },
    total_fee: p.total,
    request: body,
  };
  orders.set(order.order_code, order);
  if (order.client_order_code) byClientCode.set(order.client_order_code, order.order_code);
  void sendWebhook(order, { status: order.status, at, type: 'create' });
  return ok({
    order_code: order.order_code,
    sort_code: '000-A-00-00',
    trans_type: 'truck',
    ward_encode: '',
    district_encode: '',
    fee: order.fee,
    total_fee: order.total_fee,
    expected_delivery_time: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  });
}

/** An order as the detail endpoints show it. */
function view(o) {
  const r = o.request;
  return {
    shop_id: o.shop_id,
    client_id: 0,
    order_code: o.order_code,
    client_order_code: o.client_order_code,
    status: o.status,
    from_name: r.from_name ?? '',
    from_phone: r.from_phone ?? '',
    from_address: r.from_address ?? '',
    from_ward_code: r.from_ward_code ?? SHOP_ADDRESS.ward,
    from_district_id: r.from_district_id ?? SHOP_ADDRESS.district,
    to_name: r.to_name,
    to_phone: r.to_phone,
    to_address: r.to_address,
    to_ward_code: r.to_ward_code,
    to_district_id: r.to_district_id,
    weight: o.weight,
    length: r.length ?? 0,
    width: r.width ?? 0,
    height: r.height ?? 0,
    converted_weight: o.converted_weight,
    service_type_id: r.service_type_id ?? 2,
    payment_type_id: r.payment_type_id,
    cod_amount: o.cod_amount,
    cod_collect_date: null,
    cod_transfer_date: null,
    is_cod_transferred: false,
    is_cod_collected: o.status === 'delivered' && o.cod_amount > 0,
    insurance_value: o.insurance_value,
    required_note: r.required_note,
    content: r.content ?? '',
    note: r.note ?? '',
    order_date: o.order_date,
    updated_date: o.updated_date,
    log: o.log,
  };
}

function detail(body) {
  const o = orders.get(body.order_code);
  return o ? ok(view(o)) : refuse(NOT_FOUND_MESSAGE);
}

function detailByClientCode(body) {
  const code = byClientCode.get(body.client_order_code);
  // The docs' sample answers a one-element array.
  return code ? ok([view(orders.get(code))]) : refuse(NOT_FOUND_MESSAGE);
}

function cancel(body) {
  if (!Array.isArray(body.order_codes) || body.order_codes.length === 0)
    return refuse('order_codes is required');
  return ok(
    body.order_codes.map((code) => {
      const o = orders.get(code);
      if (!o) return { order_code: code, result: false, message: 'Đơn hàng không tồn tại' };
      if (o.status === 'cancel') return { order_code: code, result: false, message: 'Đơn hàng đã bị hủy' };
      if (!CANCELLABLE.has(o.status))
        return {
          order_code: code,
          result: false,
          message: `Không thể hủy đơn hàng ở trạng thái ${o.status}`,
        };
      move(o, 'cancel', nowIso());
      void sendWebhook(o, { status: 'cancel', at: o.updated_date, type: 'switch_status' });
      return { order_code: code, result: true, message: 'OK' };
    }),
  );
}

function move(o, status, at, reason) {
  o.status = status;
  o.updated_date = at;
  o.log.push({ status, updated_date: at, ...(reason && { reason }) });
}

// ---------------------------------------------------------------------------------------------
// Webhooks.
function webhookBody(o, { status, at, type, reason }) {
  const r = o.request;
  return {
    CODAmount: o.cod_amount,
    CODTransferDate: null,
    ClientOrderCode: o.client_order_code,
    ConvertedWeight: o.converted_weight,
    Description: type === 'create' ? 'Tạo đơn hàng' : `Chuyển trạng thái: ${status}`,
    Fee: {
      CODFailedFee: 0,
      CODFee: o.fee.cod_fee,
      Coupon: 0,
      DeliverRemoteAreasFee: 0,
      DocumentReturn: 0,
      DoubleCheck: 0,
      Insurance: o.fee.insurance,
      MainService: o.fee.main_service,
      PickRemoteAreasFee: 0,
      R2S: 0,
      Return: 0,
      StationDO: 0,
      StationPU: 0,
      Total: o.total_fee,
    },
    Height: r.height ?? 0,
    IsPartialReturn: false,
    Length: r.length ?? 0,
    OrderCode: o.order_code,
    PartialReturnCode: '',
    PaymentType: r.payment_type_id,
    Reason: reason ?? '',
    ReasonCode: '',
    ShopID: o.shop_id,
    Status: status,
    Time: at,
    TotalFee: o.total_fee,
    Type: type,
    Warehouse: 'Bưu cục mô phỏng - Quận 1 - HCM',
    Weight: o.weight,
    Width: r.width ?? 0,
  };
}

/** One POST to the configured URL; recorded. */
async function attempt(url, body) {
  const entry = { at: nowIso(), url, body, status: undefined, error: undefined };
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

/** Sends a webhook; answers with the first attempt and keeps retrying in the background if it failed. */
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
const find = (id) => orders.get(id) ?? orders.get(byClientCode.get(id));

async function lever(method, path, body) {
  if (method === 'POST' && path === '/_sim/reset') {
    config = defaults();
    orders.clear();
    byClientCode.clear();
    faults = [];
    deliveries = [];
    generation++;
    return [200, { ok: true }];
  }
  if (path === '/_sim/config') {
    if (method === 'POST') config = { ...config, ...body };
    return [200, config];
  }
  if (method === 'GET' && path === '/_sim/orders')
    return [
      200,
      [...orders.values()].map((o) => ({
        ...view(o),
        fee: o.fee,
        total_fee: o.total_fee,
        request: o.request,
      })),
    ];
  if (method === 'GET' && path === '/_sim/webhooks') return [200, deliveries];
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
    if (!STATUSES.includes(next)) return [400, { error: `unknown or no next status from ${o.status}` }];
    move(o, next, nowIso(), body.reason);
    const webhook = await sendWebhook(o, {
      status: next,
      at: o.updated_date,
      type: 'switch_status',
      reason: body.reason,
    });
    return [200, { order: view(o), webhook }];
  }
  if (method === 'POST' && path === '/_sim/webhook') {
    const o = find(body.id);
    if (!o) return [404, { error: `no order ${body.id}` }];
    const event = {
      status: body.status ?? o.status,
      at: body.at ?? nowIso(),
      type: body.type ?? 'switch_status',
      reason: body.reason,
    };
    const sent = [];
    for (let n = 0; n < (body.duplicate ?? 1); n++) sent.push(await sendWebhook(o, event));
    return [200, { sent }];
  }
  return [404, { error: `no lever ${method} ${path}` }];
}

// ---------------------------------------------------------------------------------------------
// The API.
const ROUTES = {
  'master-data/province': { shop: false, run: () => ok(PROVINCES) },
  'master-data/district': {
    shop: false,
    run: (b) =>
      ok(DISTRICTS.filter((d) => b.province_id === undefined || d.ProvinceID === Number(b.province_id))),
  },
  'master-data/ward': {
    shop: false,
    run: (b) =>
      b.district_id === undefined
        ? refuse('district_id is required')
        : ok(WARDS.filter((w) => w.DistrictID === Number(b.district_id))),
  },
  'v2/shipping-order/fee': { shop: true, run: (b) => fee(b) },
  'v2/shipping-order/create': { shop: true, run: (b, shopId) => create(b, shopId) },
  'v2/shipping-order/detail': { shop: false, run: (b) => detail(b) },
  'v2/shipping-order/detail-by-client-code': { shop: false, run: (b) => detailByClientCode(b) },
  'v2/switch-status/cancel': { shop: true, run: (b) => cancel(b) },
};

function api(req, path, body) {
  const route = ROUTES[path.slice(API.length + 1)];
  if (!route) return [404, { code: 404, message: 'Not Found', data: null }];
  if (req.headers.token !== config.token)
    return [401, { code: 401, message: 'Token is not valid!', data: null }];
  const shopId = Number(req.headers.shopid);
  if (route.shop && shopId !== config.shop_id)
    return refuse(req.headers.shopid ? `ShopId ${req.headers.shopid} không hợp lệ` : 'ShopId is required');
  return route.run(body, shopId);
}

/** The first pending fault matching `path`, used up by one. */
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
    } catch (err) {
      return send(res, refuse(`code=400, message=Syntax error: ${err.message}`));
    }
  }
  if (url.pathname.startsWith('/_sim/')) return send(res, await lever(req.method, url.pathname, body));
  if (!url.pathname.startsWith(`${API}/`))
    return send(res, [404, { code: 404, message: 'Not Found', data: null }]);
  const fault = takeFault(url.pathname);
  if (fault?.kind === 'fail')
    return send(res, [fault.status, { code: fault.status, message: 'Internal Server Error', data: null }]);
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
    send(res, [500, { code: 500, message: 'simulator error', data: null }]);
  });
});
server.listen(PORT, '127.0.0.1', () => console.log(`ghn simulator on 127.0.0.1:${PORT}`));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// AhaMove partner API v3 simulator (local tests and `make dev` only; never in the image).
//
// Speaks the protocol of developers.ahamove.com (v3 reference, read in stored copies; see the
// issue-17 facts digest §3): `Authorization: Bearer <partner token>` on POST /v3/orders/estimates,
// POST /v3/orders, GET /v3/orders/{id}, GET /v3/orders?ids=, GET /v3/orders/{id}/shared-link,
// DELETE /v3/orders/{id} and DELETE /v3/orders/tracks; the order status flow IDLE/ASSIGNING →
// ACCEPTED (sub_status BOARDED) → IN PROCESS → COMPLETED with the drop's own path[i].status
// (COMPLETED or FAILED, sub_status IN_RETURN/RETURNED), or CANCELLED; and the callback: the whole
// order JSON POSTed to the partner's URL with the static `apikey` header the partner chose. What the
// pages do not show (error bodies, the estimate answer's shape, duplicate tracking numbers) is this
// simulator's choice: see README.md.
//
// Test levers live under /_sim/ (README.md). State is in memory; PORT comes from infra/services.env.
import { createServer } from 'node:http';

const PORT = Number(process.env.PORT ?? 58402);
const SEQUENCE = ['IDLE', 'ASSIGNING', 'ACCEPTED', 'IN PROCESS', 'COMPLETED'];
/** Real statuses plus the simulator's named steps for a drop's outcome (BOARDED, FAILED, IN_RETURN, RETURNED). */
const STEPS = [
  ...SEQUENCE,
  'CONFIRMING',
  'PAYING',
  'CANCELLED',
  'BOARDED',
  'FAILED',
  'IN_RETURN',
  'RETURNED',
];
const CANCELLABLE = new Set(['IDLE', 'ASSIGNING', 'ACCEPTED', 'CONFIRMING', 'PAYING']);
/** City centres and the radius (km) the simulator serves around each. */
const CITIES = {
  SGN: { lat: 10.7769, lng: 106.7009, km: 60 },
  HAN: { lat: 21.0278, lng: 105.8342, km: 50 },
  DAD: { lat: 16.0544, lng: 108.2022, km: 40 },
};
const SERVICES = new Set(Object.keys(CITIES).flatMap((c) => [`${c}-BIKE`, `${c}-ECO`]));
const SUPPLIER = { supplier_id: '84909000222', supplier_name: 'Lê Văn Cường' };

const defaults = () => ({
  token: process.env.AHAMOVE_TOKEN ?? 'tuoi-sim-token',
  webhook_url: process.env.WEBHOOK_URL ?? '',
  webhook_apikey: process.env.WEBHOOK_APIKEY ?? 'tuoi-sim-apikey',
  /** Longest trip served, km. */
  max_km: 40,
  /** Heaviest parcel a bike takes, kg. */
  max_weight_kg: 30,
  /** Seconds until "Auto cancel, no driver accepted" (reported in the create answer; not enforced). */
  timeout_s: 600,
});

let config;
let state;
function reset() {
  config = defaults();
  state = {
    orders: new Map(),
    fail: { count: 0, status: 503, only: '' },
    stall: { count: 0, ms: 0, when: 'after', only: '' },
    webhooks: [],
    seq: 0,
  };
}
reset();

// ------------------------------------------------------------------ http plumbing

const json = (status, body) => ({ status, body });
const error = (status, title, description) => json(status, { title, description });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowS = () => Date.now() / 1000;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** v3 takes JSON bodies only (the legacy v1 API took forms). */
const parseBody = (raw) => (raw ? JSON.parse(raw) : {});

function write(res, answer) {
  if (res.destroyed) return;
  const text = JSON.stringify(answer.body ?? {});
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
}

// ------------------------------------------------------------------ pricing and coverage

function haversineKm(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** BIKE: 16,000 ₫ up to 2 km, then 5,500 ₫ per started km, rounded up to 1,000 ₫; ECO 90 % of it. */
function priceVnd(serviceId, km) {
  const bike = 16_000 + Math.max(0, Math.ceil(km - 2)) * 5_500;
  const price = serviceId.endsWith('-ECO') ? bike * 0.9 : bike;
  return Math.ceil(price / 1000) * 1000;
}

/** The fee for `serviceId` over `path`, or an error [title, description] when it is not served. */
function estimate(serviceId, body) {
  if (!SERVICES.has(serviceId))
    return { error: ['SERVICE_NOT_FOUND', `Service ${serviceId} does not exist`] };
  const city = CITIES[serviceId.split('-')[0]];
  const [from, ...drops] = body.path;
  if (haversineKm(city, from) > city.km)
    return { error: ['OUT_OF_SERVICE_AREA', `pickup is outside ${serviceId.split('-')[0]}`] };
  let km = 0;
  let at = from;
  for (const stop of drops) {
    km += haversineKm(at, stop);
    at = stop;
  }
  if (km > config.max_km)
    return { error: ['OUT_OF_SERVICE_AREA', `trip of ${km.toFixed(1)} km is too long`] };
  const kg = (body.package_detail ?? []).reduce((sum, p) => sum + (Number(p?.weight) || 0), 0);
  if (kg > config.max_weight_kg)
    return { error: ['OVERWEIGHT', `${kg} kg is over ${config.max_weight_kg} kg`] };
  const price = priceVnd(serviceId, km);
  return {
    data: {
      distance: Math.round(km * 100) / 100,
      duration: Math.round(300 + km * 180),
      currency: 'VND',
      distance_price: price,
      cod_commission_price: 0,
      subtotal_price: price,
      total_price: price,
      total_pay: price,
      surge_rate: 1,
    },
  };
}

// ------------------------------------------------------------------ validation

/** The first problem with a path, or undefined. */
function pathProblem(path, { contacts }) {
  if (!Array.isArray(path) || path.length < 2) return 'path needs a pickup and at least one drop';
  for (const [i, stop] of path.entries()) {
    if (typeof stop?.address !== 'string' || !stop.address) return `path[${i}].address is required`;
    if (!Number.isFinite(stop.lat) || !Number.isFinite(stop.lng))
      return `path[${i}].lat and lng are required`;
    if (contacts && (typeof stop.name !== 'string' || !stop.name)) return `path[${i}].name is required`;
    if (contacts && (typeof stop.mobile !== 'string' || !/^\+?\d{8,15}$/.test(stop.mobile)))
      return `path[${i}].mobile is required`;
    if (stop.cod !== undefined && (!Number.isInteger(stop.cod) || stop.cod < 0))
      return `path[${i}].cod must be a whole amount of đồng`;
  }
  return undefined;
}

function estimateProblem(body) {
  const p = pathProblem(body.path, { contacts: false });
  if (p) return p;
  if (!Array.isArray(body.services) || body.services.length === 0 || body.services.some((s) => !s?._id))
    return 'services[]._id is required';
  return undefined;
}

function createProblem(body) {
  if (typeof body.service_id !== 'string' || !body.service_id) return 'service_id is required';
  const p = pathProblem(body.path, { contacts: true });
  if (p) return p;
  if (!Array.isArray(body.requests)) return 'requests is required (an empty list for none)';
  if (!['CASH', 'BALANCE'].includes(body.payment_method)) return 'payment_method must be CASH or BALANCE';
  if (body.order_time !== undefined && !Number.isFinite(body.order_time))
    return 'order_time must be a number';
  return undefined;
}

// ------------------------------------------------------------------ orders

function newId() {
  state.seq += 1;
  return `${(Date.now() % 1e6).toString(36).toUpperCase()}${String(state.seq).padStart(3, '0')}`.slice(-8);
}

function stop(s) {
  return {
    ...s,
    status: '',
    complete_time: 0,
    fail_time: 0,
    return_time: 0,
    complete_lat: 0,
    complete_lng: 0,
    fail_lat: 0,
    fail_lng: 0,
    fail_comment: '',
    pod_info: '',
    por_info: '',
    cod: s.cod ?? 0,
  };
}

function createOrder(body) {
  const est = estimate(body.service_id, body);
  if (est.error) return error(est.error[0] === 'SERVICE_NOT_FOUND' ? 404 : 400, ...est.error);
  const id = newId();
  const t = nowS();
  const scheduled = (body.order_time ?? 0) > t + 60;
  const order = {
    _id: id,
    status: scheduled ? 'IDLE' : 'ASSIGNING',
    sub_status: '',
    service_id: body.service_id,
    city_id: body.service_id.split('-')[0],
    currency: 'VND',
    payment_method: body.payment_method,
    requests: body.requests,
    create_time: t,
    order_time: scheduled ? body.order_time : t,
    accept_time: 0,
    board_time: 0,
    pickup_time: 0,
    complete_time: 0,
    cancel_time: 0,
    cancel_by_user: false,
    cancel_comment: '',
    cancel_image_url: '',
    distance: est.data.distance,
    duration: est.data.duration,
    total_price: est.data.total_price,
    total_pay: est.data.total_pay,
    remarks: body.remarks ?? '',
    package_detail: body.package_detail ?? [],
    items: body.items ?? [],
    path: body.path.map(stop),
    shared_link: `http://127.0.0.1:${PORT}/_sim/s/${id}`,
    partner: 'tuoi',
  };
  state.orders.set(id, { order, request: body });
  return json(200, {
    order_id: id,
    status: order.status,
    service_id: order.service_id,
    shared_link: order.shared_link,
    timeout: config.timeout_s,
    order,
  });
}

/** Moves `o` to a status or to one of the simulator's named steps for the drop. */
function applyStep(o, step, at = new Date(), opts = {}) {
  const t = at.getTime() / 1000;
  const drop = o.path[o.path.length - 1];
  const withDriver = () => Object.assign(o, o.supplier_id ? {} : SUPPLIER);
  const dropFailed = (sub) => {
    Object.assign(o, { status: 'COMPLETED', sub_status: sub, complete_time: t });
    Object.assign(drop, { status: 'FAILED', fail_time: drop.fail_time || t });
    drop.fail_comment = opts.comment ?? (drop.fail_comment || 'Không liên lạc được người nhận');
    if (sub === 'RETURNED') drop.return_time = t;
  };
  switch (step) {
    case 'ACCEPTED':
      Object.assign(withDriver(), { status: 'ACCEPTED', sub_status: '', accept_time: t });
      break;
    case 'BOARDED':
      Object.assign(withDriver(), { status: 'ACCEPTED', sub_status: 'BOARDED', board_time: t });
      o.accept_time ||= t;
      break;
    case 'IN PROCESS':
      Object.assign(withDriver(), { status: 'IN PROCESS', sub_status: '', pickup_time: t });
      break;
    case 'COMPLETED':
      Object.assign(withDriver(), { status: 'COMPLETED', sub_status: '', complete_time: t });
      Object.assign(drop, { status: 'COMPLETED', complete_time: t });
      break;
    case 'FAILED':
      dropFailed('');
      break;
    case 'IN_RETURN':
    case 'RETURNED':
      dropFailed(step);
      break;
    case 'CANCELLED':
      Object.assign(o, { status: 'CANCELLED', sub_status: '', cancel_time: t });
      o.cancel_by_user = opts.byUser ?? false;
      o.cancel_comment = opts.comment ?? 'Auto cancel, no driver accepted';
      break;
    default: // IDLE, ASSIGNING, CONFIRMING, PAYING
      Object.assign(o, { status: step, sub_status: '' });
      if (step !== 'IDLE') o.order_time = Math.min(o.order_time, t);
  }
}

function cancelOrder(o, comment) {
  if (!CANCELLABLE.has(o.status))
    return error(406, 'INVALID_ORDER_STATUS', `Order ${o._id} is ${o.status}: not in a valid status`);
  if (o.status === 'ACCEPTED' && !comment)
    return error(400, 'BAD_REQUEST', 'comment is required in ACCEPTED');
  applyStep(o, 'CANCELLED', new Date(), { byUser: true, comment: comment ?? '' });
  void sendWebhook(o);
  return json(200, {});
}

function cancelByTracking(body) {
  if (!body.tracking_number) return error(400, 'BAD_REQUEST', 'tracking_number is required');
  const orders = [...state.orders.values()]
    .map((e) => e.order)
    .filter((o) => o.path.some((s) => s.tracking_number === body.tracking_number));
  if (orders.length === 0) return error(404, 'ORDER_NOT_FOUND', `no order for ${body.tracking_number}`);
  const cancellable = orders.filter((o) => CANCELLABLE.has(o.status));
  if (cancellable.length === 0)
    return error(406, 'INVALID_ORDER_STATUS', `no order for ${body.tracking_number} is in a valid status`);
  for (const o of cancellable) cancelOrder(o, body.comment || 'Khách hàng muốn hủy đơn');
  return json(200, {});
}

// ------------------------------------------------------------------ webhooks

/** POSTs the whole order to the configured URL; resolves to what the receiver answered. */
async function sendWebhook(order) {
  const body = JSON.parse(JSON.stringify(order));
  const entry = { at: new Date().toISOString(), body, url: config.webhook_url };
  state.webhooks.push(entry);
  if (!config.webhook_url) return (entry.result = { skipped: 'no webhook_url configured' });
  try {
    const res = await fetch(config.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: config.webhook_apikey },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    return (entry.result = { status: res.status });
  } catch (err) {
    return (entry.result = { error: err.message });
  }
}

// ------------------------------------------------------------------ the AhaMove API

function api(method, path, headers, body, url) {
  if (headers.authorization !== `Bearer ${config.token}`)
    return error(401, 'NOT_AUTHORIZED', 'Invalid token');
  if (method === 'POST' && path === '/v3/orders/estimates') {
    const problem = estimateProblem(body);
    if (problem) return error(400, 'BAD_REQUEST', problem);
    return json(
      200,
      body.services.map((s) => {
        const est = estimate(s._id, body);
        return est.error
          ? { service_id: s._id, error: { title: est.error[0], description: est.error[1] } }
          : { service_id: s._id, data: est.data };
      }),
    );
  }
  if (method === 'POST' && path === '/v3/orders') {
    const problem = createProblem(body);
    return problem ? error(400, 'BAD_REQUEST', problem) : createOrder(body);
  }
  if (method === 'GET' && path === '/v3/orders') {
    const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    const found = ids.map((id) => state.orders.get(id)?.order).filter(Boolean);
    return found.length ? json(200, found) : error(404, 'ORDER_NOT_FOUND', 'Order ID not found');
  }
  if (method === 'DELETE' && path === '/v3/orders/tracks') return cancelByTracking(body);
  const m = /^\/v3\/orders\/([^/]+)(\/shared-link)?$/.exec(path);
  const entry = m && state.orders.get(decodeURIComponent(m[1]));
  if (m && !entry) return error(404, 'ORDER_NOT_FOUND', 'Order ID not found');
  if (m && method === 'GET') return json(200, m[2] ? { shared_link: entry.order.shared_link } : entry.order);
  if (m && method === 'DELETE' && !m[2]) return cancelOrder(entry.order, body.comment);
  return error(404, 'NOT_FOUND', `no route ${method} ${path}`);
}

// ------------------------------------------------------------------ test levers (/_sim/...)

function findOrder(id) {
  const hit =
    state.orders.get(id) ??
    [...state.orders.values()].find((e) => e.order.path.some((s) => s.tracking_number === id));
  return hit?.order;
}

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
    const when = body.when === 'before' ? 'before' : 'after';
    state.stall = {
      count: Number(body.count ?? 1),
      ms: Number(body.ms ?? 10_000),
      when,
      only: body.only ?? '',
    };
    return json(200, state.stall);
  }
  if (method === 'GET' && path === '/_sim/deliveries') {
    const ref = url.searchParams.get('tracking_number');
    const all = [...state.orders.values()].filter(
      (e) => !ref || e.order.path.some((s) => s.tracking_number === ref),
    );
    return json(200, { deliveries: all.map((e) => ({ ...e.order, request: e.request })) });
  }
  if (method === 'GET' && path === '/_sim/webhooks') return json(200, { webhooks: state.webhooks });
  if (method === 'POST' && path === '/_sim/advance') {
    const o = findOrder(body.id);
    if (!o) return error(404, 'ORDER_NOT_FOUND', `no order ${body.id}`);
    const next = body.status ?? SEQUENCE[SEQUENCE.indexOf(o.status) + 1];
    if (!STEPS.includes(next)) return error(400, 'BAD_REQUEST', `no step after ${o.status}`);
    applyStep(o, next, new Date(), { comment: body.comment });
    const webhook = await sendWebhook(o);
    return json(200, { delivery: o, webhook });
  }
  if (method === 'POST' && path === '/_sim/webhook') {
    const o = findOrder(body.id);
    if (!o) return error(404, 'ORDER_NOT_FOUND', `no order ${body.id}`);
    const copy = JSON.parse(JSON.stringify(o));
    if (body.status)
      applyStep(copy, body.status, body.at ? new Date(body.at) : new Date(), { comment: body.comment });
    const sent = [];
    for (let i = 0; i <= Number(body.duplicate ?? 0); i++) sent.push(await sendWebhook(copy));
    return json(200, { payload: copy, sent });
  }
  if (method === 'GET' && path.startsWith('/_sim/s/')) return json(200, { tracking: path.slice(8) });
  return error(404, 'NOT_FOUND', `no lever ${method} ${path}`);
}

// ------------------------------------------------------------------ server

/** Whether a fail/stall lever applies to `call` ("METHOD /path", or every API call when `only` is empty); uses one. */
function takes(leverState, call) {
  if (leverState.count <= 0 || (leverState.only && leverState.only !== call)) return false;
  leverState.count -= 1;
  return true;
}

async function handle(req, res) {
  const url = new URL(req.url, `http://127.0.0.1:${PORT}`);
  const raw = await readBody(req);
  let body;
  try {
    body = parseBody(raw);
  } catch {
    return write(res, error(400, 'BAD_REQUEST', 'body is not valid JSON'));
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) body = {};
  if (url.pathname.startsWith('/_sim/')) return write(res, await lever(req.method, url.pathname, body, url));
  const call = `${req.method} ${url.pathname}`;
  if (takes(state.fail, call)) {
    const title = state.fail.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
    return write(res, error(state.fail.status, title, 'simulated outage'));
  }
  const stall = takes(state.stall, call) ? { ...state.stall } : undefined;
  if (stall?.when === 'before') await sleep(stall.ms);
  const answer = api(req.method, url.pathname, req.headers, body, url);
  if (stall?.when === 'after') await sleep(stall.ms);
  write(res, answer);
}

createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('ahamove simulator:', err);
    if (!res.headersSent) write(res, error(500, 'INTERNAL_SERVER_ERROR', String(err?.message ?? err)));
  });
}).listen(PORT, '127.0.0.1', () => console.log(`ahamove simulator on 127.0.0.1:${PORT}`));

// GoSend (Gojek) integration API simulator (local tests and `make dev` only; never in the image).
// Speaks the "kilat" API (/gokilat/v10: price, booking, status by orderNo or storeOrderId, cancel,
// webhooks) as community integrations show it; sources and this simulator's own choices are in
// README.md. Test levers live under /_sim/. State is in memory; PORT comes from infra/services.env.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 58405);
const API = '/gokilat/v10';
/** Each webhook word: the word a status read answers instead, and the webhook `type` where one is known. */
const STATUS = {
  confirmed: ['Finding Driver', 'CREATED'],
  allocated: ['Driver Allocated', 'DRIVER_FOUND'],
  out_for_pickup: ['Enroute Pickup'],
  picked: ['Item Picked', 'PICKED_UP'],
  out_for_delivery: ['Enroute Drop'],
  delivered: ['Completed', 'COMPLETED'],
  cancelled: ['Cancelled', 'CUSTOMER_CANCELLED'],
  no_driver: ['Driver not found', 'DRIVER_NOT_FOUND'],
  on_hold: ['On Hold'],
  rejected: ['Rejected'],
};
const SEQUENCE = ['confirmed', 'allocated', 'out_for_pickup', 'picked', 'out_for_delivery', 'delivered'];
const CANCELLABLE = new Set(['confirmed', 'allocated', 'out_for_pickup']);
const CLOSED = new Set(['delivered', 'cancelled', 'no_driver', 'rejected']);
const DRIVER = { name: 'Budi Santoso', phone: '6281298765432', plate: 'B 1234 XYZ' };
const defaults = () => ({
  client_id: process.env.CLIENT_ID ?? 'tuoi-sim',
  pass_key: process.env.PASS_KEY ?? 'tuoi-sim-pass-key',
  webhook_url: process.env.WEBHOOK_URL ?? '',
  webhook_auth_header: process.env.WEBHOOK_AUTH_HEADER ?? 'Authorization',
  webhook_auth_token: process.env.WEBHOOK_AUTH_TOKEN ?? 'tuoi-sim-webhook',
  areas: [
    { name: 'jakarta', lat: -6.2, lng: 106.8166, currency: 'IDR' },
    { name: 'singapore', lat: 1.3521, lng: 103.8198, currency: 'SGD' },
  ],
  area_km: 50, // every point this close to an area's centre is served, in that area's currency
  max_km: 40, // longest Instant trip, as a GoSend partner's help page states it
});

let config;
let state;
function reset() {
  config = defaults();
  state = { bookings: new Map(), webhooks: [], fail: { count: 0 }, stall: { count: 0 } };
}
reset();
/**
 * A new booking id: the clock in ms, or one more than the last when bookings come faster, so
 * `orderNo`s stay unique across restarts and resets (the delivery function keeps a carrier's
 * reference unique in a database that outlives the simulator under `make dev`).
 */
let lastId = 0;
const newId = () => (lastId = Math.max(lastId + 1, Date.now()));

const json = (status, body, headers = {}) => ({ status, body, headers });
/** An error: `{errors: [{code, message, field?}]}` with the message also in `Error-Message`. */
const error = (status, code, message, field) =>
  json(status, { errors: [{ code, message, ...(field ? { field } : {}) }] }, { 'error-message': message });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function haversineKm(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** `lat,long` → {lat, lng}, or undefined when it is not two numbers in range. */
function point(text) {
  const parts = String(text ?? '').split(',');
  const [lat, lng] = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  const ok = parts.length === 2 && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
  return ok ? { lat, lng } : undefined;
}

/** Instant, in minor units: IDR 20,000 up to 5 km then 2,500 per started km; SGD 8.00 then 0.60. */
const FARE = { IDR: { base: 20_000, perKm: 2_500, minor: 1 }, SGD: { base: 800, perKm: 60, minor: 100 } };
/** The fare in the currency's units; SameDay costs 80 % of Instant. */
function fare(currency, method, km) {
  const { base, perKm, minor } = FARE[currency];
  const instant = base + Math.max(0, Math.ceil(km - 5)) * perKm;
  return Math.round(method === 'Instant' ? instant : instant * 0.8) / minor;
}

/** The price answer for a trip: every method, serviceable only inside one area and within max_km. */
function price(from, to) {
  const km = haversineKm(from, to);
  const inArea = (a) => haversineKm(a, from) <= config.area_km && haversineKm(a, to) <= config.area_km;
  const area = config.areas.find(inArea);
  const served = Boolean(area) && km <= config.max_km;
  const entry = (method, description) => ({
    shipment_method: method,
    shipment_method_description: description,
    serviceable: served,
    active: true,
    distance: Math.round(km * 100) / 100,
    price: served ? { total_price: fare(area.currency, method, km) } : null,
    ...(served ? {} : { errors: [{ code: 'not_serviceable', message: 'Location is not serviceable' }] }),
  });
  return { Instant: entry('Instant', 'Instant 1-2 hours'), SameDay: entry('SameDay', 'Same day 6-8 hours') };
}

/** The first problem with a booking body, as [field, message], or undefined. */
function bookingProblem(b) {
  if (b.paymentType !== 3) return ['paymentType', 'paymentType must be 3 (corporate)'];
  if (!['Instant', 'SameDay'].includes(b.shipment_method)) return ['shipment_method', 'Instant or SameDay'];
  if (!Array.isArray(b.routes) || b.routes.length !== 1) return ['routes', 'exactly one route is required'];
  const r = b.routes[0] ?? {};
  for (const end of ['origin', 'destination']) {
    for (const f of ['ContactName', 'Address'])
      if (typeof r[end + f] !== 'string' || !r[end + f].trim()) return [end + f, `${end + f} is required`];
    if (!/^\d{8,15}$/.test(String(r[end + 'ContactPhone'] ?? '')))
      return [end + 'ContactPhone', 'phone must be 8 to 15 digits with the country code'];
    if (!point(r[end + 'LatLong'])) return [end + 'LatLong', 'must be "lat,long"'];
  }
  if (typeof r.item !== 'string' || !r.item.trim()) return ['item', 'item is required'];
  return undefined;
}

/** A booking as the status reads answer it. */
function view(b) {
  const { name: driverName = '', phone: driverPhone = '', plate: vehicleNumber = '' } = b.driver ?? {};
  const receiverName = b.status === 'delivered' ? b.route.destinationContactName : '';
  const [status] = STATUS[b.status];
  return { ...b.read, status, driverName, driverPhone, vehicleNumber, receiverName, ...b.times };
}

const STAMP = { confirmed: 'orderCreatedTime', picked: 'orderDispatchTime', delivered: 'orderArrivalTime' };
function setStatus(b, status, at = new Date()) {
  b.status = status;
  if (STAMP[status]) b.times[STAMP[status]] = at.toISOString();
  if (CLOSED.has(status)) b.times.orderClosedTime = at.toISOString();
  if (!b.driver && !['confirmed', 'cancelled', 'no_driver'].includes(status)) b.driver = { ...DRIVER };
}

function createBooking(body) {
  const r = body.routes[0];
  const quote = price(point(r.originLatLong), point(r.destinationLatLong))[body.shipment_method];
  if (!quote.serviceable) return error(422, 'not_serviceable', 'Location is not serviceable');
  const id = newId();
  const orderNo = `GK-11-${id}`; // GoSend order numbers start GK-
  const read = { id, orderNo, storeOrderId: r.storeOrderId ?? '', bookingType: body.shipment_method };
  read.totalPrice = quote.price.total_price;
  read.totalDistanceInKms = quote.distance;
  read.liveTrackingUrl = `http://127.0.0.1:${PORT}/_sim/track/${orderNo}`;
  const b = { read, route: r, request: body, times: {} };
  setStatus(b, 'confirmed');
  state.bookings.set(orderNo, b);
  void sendWebhook(webhookBody(b));
  return json(201, { id, orderNo, bookingType: read.bookingType, storeOrderId: read.storeOrderId });
}

function cancelBooking(body) {
  const b = state.bookings.get(body.orderNo);
  if (!b) return error(404, 'not_found', `no booking ${body.orderNo}`, 'orderNo');
  if (!CANCELLABLE.has(b.status)) return error(409, 'not_cancellable', `the booking is ${b.status}`);
  setStatus(b, 'cancelled');
  b.read.cancelDescription = 'Cancelled by partner';
  void sendWebhook(webhookBody(b));
  return json(200, { statusCode: 200, message: 'Booking cancelled successfully' });
}

/** The latest booking under a storeOrderId (a repeated storeOrderId is allowed and creates another). */
const byStoreOrderId = (id) => [...state.bookings.values()].filter((b) => b.read.storeOrderId === id).at(-1);

function webhookBody(b, status = b.status, at = new Date()) {
  const { driverName, driverPhone, receiverName, totalDistanceInKms, totalPrice, liveTrackingUrl } = view(b);
  return {
    '@type': 'booking_event',
    entity_id: b.read.orderNo,
    type: STATUS[status][1] ?? status.toUpperCase(),
    event_date: at.getTime(),
    event_id: randomUUID(),
    partner_id: config.client_id,
    booking_id: b.read.orderNo,
    status,
    booking_status: status,
    booking_type: b.read.bookingType.toLowerCase(),
    driver_name: driverName,
    driver_phone: driverPhone,
    total_distance_in_kms: totalDistanceInKms,
    price: totalPrice,
    receiver_name: receiverName,
    live_tracking_url: liveTrackingUrl,
    cancellation_reason: CLOSED.has(status) || status === 'on_hold' ? (b.read.cancelDescription ?? '') : '',
  };
}

async function sendWebhook(body) {
  const entry = { at: new Date().toISOString(), body, url: config.webhook_url };
  state.webhooks.push(entry);
  if (!config.webhook_url) return (entry.result = { skipped: 'no webhook_url configured' });
  const auth = { [config.webhook_auth_header]: config.webhook_auth_token };
  try {
    const res = await fetch(config.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    return (entry.result = { status: res.status });
  } catch (err) {
    return (entry.result = { error: err.message });
  }
}

function api(method, path, url, headers, body) {
  if (!path.startsWith(API + '/')) return error(404, 'not_found', `no route ${method} ${path}`);
  if (headers['client-id'] !== config.client_id || headers['pass-key'] !== config.pass_key)
    return error(401, 'unauthorized', 'Client-ID or Pass-Key is missing or wrong');
  const p = path.slice(API.length);
  if (method === 'GET' && p === '/calculate/price') {
    const [from, to] = ['origin', 'destination'].map((k) => point(url.searchParams.get(k)));
    if (!from || !to || url.searchParams.get('paymentType') !== '3')
      return error(400, 'invalid_parameter', 'needs origin, destination ("lat,long") and paymentType=3');
    return json(200, price(from, to));
  }
  if (method === 'POST' && p === '/booking') {
    const problem = bookingProblem(body);
    return problem ? error(400, 'invalid_parameter', problem[1], problem[0]) : createBooking(body);
  }
  if (method === 'PUT' && p === '/booking/cancel') return cancelBooking(body);
  const m = /^\/booking\/(orderno|storeOrderId)\/([^/]+)$/.exec(p);
  if (method === 'GET' && m) {
    const id = decodeURIComponent(m[2]);
    const b = m[1] === 'orderno' ? state.bookings.get(id) : byStoreOrderId(id);
    return b ? json(200, view(b)) : error(404, 'not_found', `no booking ${id}`);
  }
  return error(404, 'not_found', `no route ${method} ${path}`);
}

/** The part of a fail/stall lever that says which calls it takes and how many. */
const counted = (body) => ({ count: Number(body.count ?? 1), only: body.only ?? '' });
const find = (id) => state.bookings.get(id) ?? byStoreOrderId(id);
async function lever(method, path, body, url) {
  if (method === 'POST' && path === '/_sim/reset') return (reset(), json(200, { ok: true }));
  if (path === '/_sim/config') {
    if (method === 'POST') for (const [k, v] of Object.entries(body)) if (k in config) config[k] = v;
    return json(200, config);
  }
  if (method === 'POST' && path === '/_sim/fail')
    return json(200, (state.fail = { ...counted(body), status: Number(body.status ?? 503) }));
  if (method === 'POST' && path === '/_sim/stall') {
    const when = body.when === 'before' ? 'before' : 'after';
    return json(200, (state.stall = { ...counted(body), ms: Number(body.ms ?? 10_000), when }));
  }
  if (method === 'GET' && path === '/_sim/bookings') {
    const ref = url.searchParams.get('storeOrderId');
    const all = [...state.bookings.values()].filter((b) => ref === null || b.read.storeOrderId === ref);
    return json(200, { bookings: all.map((b) => ({ ...view(b), rawStatus: b.status, request: b.request })) });
  }
  if (method === 'GET' && path === '/_sim/webhooks') return json(200, { webhooks: state.webhooks });
  if (method === 'POST' && (path === '/_sim/advance' || path === '/_sim/webhook')) {
    const b = find(body.id);
    if (!b) return error(404, 'not_found', `no booking ${body.id}`);
    const status =
      body.status ?? (path === '/_sim/webhook' ? b.status : SEQUENCE[SEQUENCE.indexOf(b.status) + 1]);
    if (!STATUS[status]) return error(400, 'invalid_parameter', `no status ${status} after ${b.status}`);
    if (body.reason) b.read.cancelDescription = body.reason;
    if (path === '/_sim/advance') {
      setStatus(b, status);
      return json(200, { booking: view(b), webhook: await sendWebhook(webhookBody(b)) });
    }
    const payload = webhookBody(b, status, body.at ? new Date(body.at) : new Date());
    const sent = [];
    for (let i = 0; i <= Number(body.duplicate ?? 0); i++) sent.push(await sendWebhook(payload));
    return json(200, { payload, sent });
  }
  return error(404, 'not_found', `no lever ${method} ${path}`);
}

/** Whether a fail/stall lever applies to `call` ("METHOD /path", or every API call when `only` is empty); uses one. */
const takes = (l, call) => l.count > 0 && (!l.only || l.only === call) && l.count-- > 0;

async function handle(req, res) {
  const url = new URL(req.url, `http://127.0.0.1:${PORT}`);
  let body;
  try {
    body = JSON.parse(Buffer.concat(await req.toArray()).toString('utf8') || '{}');
  } catch {
    return write(res, error(400, 'invalid_json', 'body is not valid JSON'));
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) body = {};
  if (url.pathname.startsWith('/_sim/')) return write(res, await lever(req.method, url.pathname, body, url));
  const call = `${req.method} ${url.pathname}`;
  if (takes(state.fail, call)) return write(res, error(state.fail.status, 'unavailable', 'simulated outage'));
  const stall = takes(state.stall, call) ? { ...state.stall } : undefined;
  if (stall?.when === 'before') await sleep(stall.ms);
  const answer = api(req.method, url.pathname, url, req.headers, body);
  if (stall?.when === 'after') await sleep(stall.ms);
  write(res, answer);
}

function write(res, answer) {
  if (res.destroyed) return;
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}
createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('gosend simulator:', err);
    if (!res.headersSent) write(res, error(500, 'internal', String(err?.message ?? err)));
  });
}).listen(PORT, '127.0.0.1', () => console.log(`gosend simulator on 127.0.0.1:${PORT}`));

// Grab Express partner API simulator (local tests and `make dev` only; never in the image).
//
// Speaks the protocol as /work/shared/PROVIDERS.md §4.4 and the issue-17 facts digest §4 describe
// it (community sources: adopters' adapter code, an adopter's transcription of Grab's docs, Grab's
// partner FAQ): OAuth2 client_credentials at /grabid/v1/oauth2/token, then Bearer calls to
// /v1/deliveries/quotes, /v1/deliveries, /v1/deliveries/{id} (GET, DELETE) and
// /v1/merchant/deliveries/{merchantOrderID} (DELETE: cancel all under that id). Paths may carry
// Grab's base path (/grab-express or /grab-express-sandbox). Status webhooks are POSTed with the
// static `Authorization` and `Authorization-Id` headers Grab is configured with. What the sources
// do not say (error bodies, timeline keys, the webhook timestamp's format, duplicate
// merchantOrderIDs) is this simulator's choice: see README.md.
//
// Test levers live under /_sim/ (README.md). State is in memory; PORT comes from infra/services.env.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { URLSearchParams } from 'node:url';

const PORT = Number(process.env.PORT ?? 58401);
const SCOPE = 'grab_express.partner_deliveries';
/** Grab's base path on its API host; the simulator takes calls with or without it. */
const BASE_PATH = /^\/grab-express(-sandbox)?(?=\/)/;
const SEQUENCE = [
  'ALLOCATING',
  'PENDING_PICKUP',
  'PICKING_UP',
  'PENDING_DROP_OFF',
  'IN_DELIVERY',
  'COMPLETED',
];
const STATUSES = [...SEQUENCE, 'CANCELED', 'FAILED', 'IN_RETURN', 'RETURNED'];
const CANCELLABLE = new Set(['ALLOCATING', 'PENDING_PICKUP', 'PICKING_UP']);
const TERMINAL = new Set(['COMPLETED', 'CANCELED', 'FAILED', 'RETURNED']);
const SERVICE_TYPES = ['INSTANT', 'SAME_DAY', 'BULK'];
/** Which timeline entry a status stamps (key names are this simulator's choice). */
const TIMELINE_KEY = {
  ALLOCATING: 'create',
  PENDING_PICKUP: 'allocate',
  PICKING_UP: 'allocate',
  PENDING_DROP_OFF: 'pickup',
  IN_DELIVERY: 'dropoff',
  COMPLETED: 'completed',
  CANCELED: 'cancel',
  FAILED: 'fail',
  IN_RETURN: 'return',
  RETURNED: 'return',
};
const DRIVER = { name: 'Trần Văn Bình', phone: '84909000111', licensePlate: '59X1-123.45' };

const defaults = () => ({
  client_id: process.env.CLIENT_ID ?? 'tuoi-sim',
  client_secret: process.env.CLIENT_SECRET ?? 'tuoi-sim-secret',
  webhook_url: process.env.WEBHOOK_URL ?? '',
  webhook_authorization: process.env.WEBHOOK_AUTHORIZATION ?? 'tuoi-sim-webhook',
  webhook_authorization_id: process.env.WEBHOOK_AUTHORIZATION_ID ?? 'tuoi-sim-webhook-id',
  token_ttl_s: 604_800,
  /** Longest trip served, km ("Grab has a distance limit of 35 km", an integrator's notes). */
  max_km: 35,
  /** Heaviest parcel served, grams (the same notes). */
  max_weight_g: 20_000,
});

let config;
let state;
function reset() {
  config = defaults();
  state = {
    deliveries: new Map(),
    tokens: new Map(),
    tokensIssued: 0,
    fail: { count: 0, status: 503, only: '' },
    stall: { count: 0, ms: 0, when: 'after', only: '' },
    webhooks: [],
    seq: 0,
  };
}
reset();

// ------------------------------------------------------------------ http plumbing

const json = (status, body) => ({ status, body });
const error = (status, code, message, arg) => json(status, { arg: arg ?? '', code, message });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw, contentType = '') {
  if (!raw) return {};
  if (contentType.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw));
  return JSON.parse(raw);
}

function write(res, answer) {
  if (res.destroyed) return;
  if (answer.body === undefined) {
    res.writeHead(answer.status).end();
    return;
  }
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
}

// ------------------------------------------------------------------ pricing and coverage

function haversineKm(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** INSTANT: 15,000 ₫ up to 2 km, then 5,000 ₫ per started km; SAME_DAY and BULK 80 % of that. */
function fareVnd(serviceType, km) {
  const instant = 15_000 + Math.max(0, Math.ceil(km - 2)) * 5_000;
  return serviceType === 'INSTANT' ? instant : Math.round((instant * 0.8) / 1000) * 1000;
}

const coordinates = (place) => {
  const c = place?.coordinates;
  return c && Number.isFinite(c.latitude) && Number.isFinite(c.longitude) ? c : undefined;
};

/** The quote for a request, or undefined when the trip is out of coverage. */
function priceTrip(body, now = Date.now()) {
  const from = coordinates(body.origin);
  const to = coordinates(body.destination);
  if (!from || !to) return undefined;
  const km = haversineKm(from, to);
  const grams = body.packages.reduce((sum, p) => sum + (p.dimensions?.weight ?? 0) * (p.quantity ?? 1), 0);
  if (km > config.max_km || grams > config.max_weight_g) return undefined;
  const scheduled = Date.parse(body.schedule?.pickupTimeFrom ?? '');
  const pickup = Number.isFinite(scheduled) && scheduled > now ? scheduled : now + 10 * 60_000;
  const dropoff = pickup + Math.round((5 + km * 3) * 60_000);
  return {
    service: { id: SERVICE_TYPES.indexOf(body.serviceType), type: body.serviceType, name: 'GrabExpress' },
    currency: { code: 'VND', symbol: '₫', exponent: 0 },
    amount: fareVnd(body.serviceType, km),
    estimatedTimeline: { pickup: new Date(pickup).toISOString(), dropoff: new Date(dropoff).toISOString() },
    distance: Math.round(km * 1000),
  };
}

// ------------------------------------------------------------------ validation

function place(body, name) {
  const p = body[name];
  if (!p || typeof p.address !== 'string' || !p.address) return `${name}.address is required`;
  const c = p.coordinates;
  if (c !== undefined && (!Number.isFinite(c?.latitude) || !Number.isFinite(c?.longitude)))
    return `${name}.coordinates needs numeric latitude and longitude`;
  return undefined;
}

function person(body, name) {
  const p = body[name];
  if (!p || typeof p.firstName !== 'string' || !p.firstName) return `${name}.firstName is required`;
  if (!p.phone && !p.email) return `${name}.phone or ${name}.email is required`;
  return undefined;
}

/** The first problem with a quote request, as [arg, message], or undefined. */
function quoteProblem(body) {
  if (!SERVICE_TYPES.includes(body.serviceType))
    return ['serviceType', 'serviceType must be INSTANT, SAME_DAY or BULK'];
  if (!Array.isArray(body.packages) || body.packages.length === 0)
    return ['packages', 'packages is required'];
  for (const [i, p] of body.packages.entries()) {
    if (typeof p?.name !== 'string' || !p.name) return [`packages[${i}].name`, 'name is required'];
    if (!Number.isInteger(p.quantity) || p.quantity < 1)
      return [`packages[${i}].quantity`, 'quantity must be >= 1'];
    if (typeof p.description === 'string' && p.description.length > 500)
      return [`packages[${i}].description`, 'description is at most 500 characters'];
    const w = p.dimensions?.weight;
    if (!Number.isInteger(w) || w < 0)
      return [`packages[${i}].dimensions.weight`, 'weight must be whole grams'];
  }
  for (const name of ['origin', 'destination']) {
    const problem = place(body, name);
    if (problem) return [name, problem];
  }
  const cod = body.cashOnDelivery;
  if (cod !== undefined && (!Number.isInteger(cod?.amount) || cod.amount <= 0))
    return [
      'cashOnDelivery.amount',
      'cashOnDelivery.amount must be a positive whole amount; omit it for no COD',
    ];
  if (body.paymentMethod !== undefined && !['CASH', 'CASHLESS'].includes(body.paymentMethod))
    return ['paymentMethod', 'paymentMethod must be CASH or CASHLESS'];
  return undefined;
}

function createProblem(body) {
  if (typeof body.merchantOrderID !== 'string' || !body.merchantOrderID)
    return ['merchantOrderID', 'merchantOrderID is required'];
  const q = quoteProblem(body);
  if (q) return q;
  for (const name of ['sender', 'recipient']) {
    const problem = person(body, name);
    if (problem) return [name, problem];
  }
  if (body.paymentMethod === 'CASHLESS' && body.payer === 'RECIPIENT')
    return ['payer', 'CASHLESS deliveries are paid by the SENDER'];
  if (body.serviceType !== 'INSTANT') {
    const from = Date.parse(body.schedule?.pickupTimeFrom ?? '');
    const to = Date.parse(body.schedule?.pickupTimeTo ?? '');
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
      return [
        'schedule',
        'schedule.pickupTimeFrom < schedule.pickupTimeTo is required for ' + body.serviceType,
      ];
  }
  return undefined;
}

// ------------------------------------------------------------------ deliveries

function newId() {
  state.seq += 1;
  return `IN-${Date.now().toString(36).toUpperCase()}-${String(state.seq).padStart(4, '0')}`;
}

/** A delivery as GET /v1/deliveries/{id} answers it. */
function view(d) {
  return {
    deliveryID: d.deliveryID,
    merchantOrderID: d.merchantOrderID,
    serviceType: d.serviceType,
    vehicleType: d.vehicleType,
    paymentMethod: d.paymentMethod,
    payer: d.payer,
    quote: d.quote,
    sender: d.sender,
    recipient: d.recipient,
    packages: d.packages,
    ...(d.cashOnDelivery ? { cashOnDelivery: d.cashOnDelivery, codType: d.codType } : {}),
    ...(d.schedule ? { schedule: d.schedule } : {}),
    status: d.status,
    trackingURL: d.courier ? `http://127.0.0.1:${PORT}/_sim/track/${d.deliveryID}` : '',
    courier: d.courier
      ? { name: d.courier.name, phone: d.courier.phone, vehicle: { licensePlate: d.courier.licensePlate } }
      : null,
    timeline: d.timeline,
    advanceInfo: d.failedReason ? { failedReason: d.failedReason } : {},
  };
}

function setStatus(d, status, at = new Date()) {
  d.status = status;
  d.timeline[TIMELINE_KEY[status]] = at.toISOString();
  if (!d.courier && status !== 'ALLOCATING' && status !== 'CANCELED') d.courier = { ...DRIVER };
  if (status === 'FAILED') d.failedReason ??= 'Recipient not reachable';
}

function createDelivery(body) {
  const quote = priceTrip(body);
  if (!quote) return error(400, 'OUT_OF_SERVICE_AREA', 'No quote for this trip: out of coverage');
  const d = {
    deliveryID: newId(),
    merchantOrderID: body.merchantOrderID,
    serviceType: body.serviceType,
    vehicleType: body.vehicleType ?? 'BIKE',
    paymentMethod: body.paymentMethod ?? 'CASHLESS',
    payer: body.payer ?? 'SENDER',
    codType: body.codType ?? 'REGULAR',
    cashOnDelivery: body.cashOnDelivery,
    packages: body.packages,
    origin: body.origin,
    destination: body.destination,
    sender: body.sender,
    recipient: body.recipient,
    schedule: body.schedule,
    quote: { ...quote, origin: body.origin, destination: body.destination, packages: body.packages },
    status: 'ALLOCATING',
    courier: undefined,
    timeline: {},
    request: body,
  };
  setStatus(d, 'ALLOCATING');
  state.deliveries.set(d.deliveryID, d);
  return json(200, view(d));
}

function cancelDelivery(d) {
  if (!CANCELLABLE.has(d.status))
    return error(
      409,
      'INVALID_STATE',
      `delivery ${d.deliveryID} is ${d.status} and can no longer be cancelled`,
    );
  setStatus(d, 'CANCELED');
  void sendWebhook(webhookBody(d));
  return json(204);
}

/** DELETE /v1/merchant/deliveries/{id}: cancels every cancellable delivery under that merchantOrderID. */
function cancelByMerchantOrder(merchantOrderID) {
  const all = [...state.deliveries.values()].filter((d) => d.merchantOrderID === merchantOrderID);
  if (all.length === 0) return error(404, 'NOT_FOUND', `no delivery for merchantOrderID ${merchantOrderID}`);
  for (const d of all) if (CANCELLABLE.has(d.status)) cancelDelivery(d);
  const live = all.filter((d) => !TERMINAL.has(d.status));
  if (live.length > 0)
    return error(
      409,
      'INVALID_STATE',
      `${live.map((d) => d.deliveryID).join(', ')} can no longer be cancelled`,
    );
  return json(204);
}

// ------------------------------------------------------------------ webhooks

function webhookBody(d, status = d.status, at = new Date()) {
  return {
    deliveryID: d.deliveryID,
    merchantOrderID: d.merchantOrderID,
    timestamp: Math.floor(at.getTime() / 1000),
    status,
    trackURL: view(d).trackingURL,
    failedReason: status === 'FAILED' ? (d.failedReason ?? 'Recipient not reachable') : '',
    driver: d.courier ? { ...d.courier, photoURL: '', currentLat: 0, currentLng: 0 } : null,
  };
}

/** POSTs one webhook to the configured URL; resolves to what the receiver answered. */
async function sendWebhook(body) {
  const entry = { at: new Date().toISOString(), body, url: config.webhook_url };
  state.webhooks.push(entry);
  if (!config.webhook_url) return (entry.result = { skipped: 'no webhook_url configured' });
  try {
    const res = await fetch(config.webhook_url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: config.webhook_authorization,
        'authorization-id': config.webhook_authorization_id,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    return (entry.result = { status: res.status });
  } catch (err) {
    return (entry.result = { error: err.message });
  }
}

// ------------------------------------------------------------------ the Grab API

function issueToken(body) {
  if (body.grant_type !== 'client_credentials')
    return json(400, {
      error: 'unsupported_grant_type',
      error_description: 'grant_type must be client_credentials',
    });
  if (
    !String(body.scope ?? '')
      .split(' ')
      .includes(SCOPE)
  )
    return json(400, { error: 'invalid_scope', error_description: `scope must include ${SCOPE}` });
  if (body.client_id !== config.client_id || body.client_secret !== config.client_secret)
    return json(401, { error: 'invalid_client', error_description: 'client authentication failed' });
  const token = randomBytes(24).toString('base64url');
  state.tokens.set(token, Date.now() + config.token_ttl_s * 1000);
  state.tokensIssued += 1;
  return json(200, { access_token: token, token_type: 'Bearer', expires_in: config.token_ttl_s });
}

function authorized(headers) {
  const m = /^Bearer (.+)$/.exec(headers.authorization ?? '');
  const expires = m && state.tokens.get(m[1]);
  return Boolean(expires && expires > Date.now());
}

function api(method, path, headers, body) {
  if (method === 'POST' && path === '/grabid/v1/oauth2/token') return issueToken(body);
  const p = path.replace(BASE_PATH, '');
  if (!p.startsWith('/v1/')) return error(404, 'NOT_FOUND', `no route ${method} ${path}`);
  if (!authorized(headers)) return error(401, 'UNAUTHORIZED', 'missing, unknown or expired access token');
  if (method === 'POST' && p === '/v1/deliveries/quotes') {
    const problem = quoteProblem(body);
    if (problem) return error(400, 'INVALID_ARGUMENT', problem[1], problem[0]);
    const quote = priceTrip(body);
    return json(200, {
      quotes: quote ? [quote] : [],
      origin: body.origin,
      destination: body.destination,
      packages: body.packages,
    });
  }
  if (method === 'POST' && p === '/v1/deliveries') {
    const problem = createProblem(body);
    if (problem) return error(400, 'INVALID_ARGUMENT', problem[1], problem[0]);
    return createDelivery(body);
  }
  let m = /^\/v1\/deliveries\/([^/]+)$/.exec(p);
  if (m) {
    const d = state.deliveries.get(decodeURIComponent(m[1]));
    if (!d) return error(404, 'NOT_FOUND', `no delivery ${m[1]}`);
    if (method === 'GET') return json(200, view(d));
    if (method === 'DELETE') return cancelDelivery(d);
  }
  m = /^\/v1\/merchant\/deliveries\/([^/]+)$/.exec(p);
  if (m && method === 'DELETE') return cancelByMerchantOrder(decodeURIComponent(m[1]));
  return error(404, 'NOT_FOUND', `no route ${method} ${path}`);
}

// ------------------------------------------------------------------ test levers (/_sim/...)

function findDelivery(id) {
  return state.deliveries.get(id) ?? [...state.deliveries.values()].find((d) => d.merchantOrderID === id);
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
    state.stall = {
      count: Number(body.count ?? 1),
      ms: Number(body.ms ?? 10_000),
      when: body.when === 'before' ? 'before' : 'after',
      only: body.only ?? '',
    };
    return json(200, state.stall);
  }
  if (method === 'POST' && path === '/_sim/revoke-tokens') {
    state.tokens.clear();
    return json(200, { ok: true });
  }
  if (method === 'GET' && path === '/_sim/deliveries') {
    const ref = url.searchParams.get('merchantOrderID');
    const all = [...state.deliveries.values()].filter((d) => !ref || d.merchantOrderID === ref);
    return json(200, { deliveries: all.map((d) => ({ ...view(d), request: d.request })) });
  }
  if (method === 'GET' && path === '/_sim/webhooks') return json(200, { webhooks: state.webhooks });
  if (method === 'GET' && path === '/_sim/tokens')
    return json(200, { issued: state.tokensIssued, live: state.tokens.size });
  if (method === 'POST' && path === '/_sim/advance') {
    const d = findDelivery(body.id);
    if (!d) return error(404, 'NOT_FOUND', `no delivery ${body.id}`);
    const next = body.status ?? SEQUENCE[SEQUENCE.indexOf(d.status) + 1];
    if (!STATUSES.includes(next)) return error(400, 'INVALID_ARGUMENT', `no status after ${d.status}`);
    if (body.failedReason) d.failedReason = body.failedReason;
    setStatus(d, next);
    const webhook = await sendWebhook(webhookBody(d));
    return json(200, { delivery: view(d), webhook });
  }
  if (method === 'POST' && path === '/_sim/webhook') {
    const d = findDelivery(body.id);
    if (!d) return error(404, 'NOT_FOUND', `no delivery ${body.id}`);
    const at = body.at ? new Date(body.at) : new Date();
    const payload = webhookBody(d, body.status ?? d.status, at);
    const sent = [];
    for (let i = 0; i <= Number(body.duplicate ?? 0); i++) sent.push(await sendWebhook(payload));
    return json(200, { payload, sent });
  }
  if (method === 'GET' && path.startsWith('/_sim/track/')) return json(200, { tracking: path.slice(12) });
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
    body = parseBody(raw, req.headers['content-type']);
  } catch {
    return write(res, error(400, 'INVALID_ARGUMENT', 'body is not valid JSON'));
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) body = {};
  if (url.pathname.startsWith('/_sim/')) return write(res, await lever(req.method, url.pathname, body, url));
  const call = `${req.method} ${url.pathname.replace(BASE_PATH, '')}`;
  if (takes(state.fail, call))
    return write(res, error(state.fail.status, 'SERVICE_UNAVAILABLE', 'simulated outage'));
  const stall = takes(state.stall, call) ? { ...state.stall } : undefined;
  if (stall?.when === 'before') await sleep(stall.ms);
  const answer = api(req.method, url.pathname, req.headers, body);
  if (stall?.when === 'after') await sleep(stall.ms);
  write(res, answer);
}

createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('grab simulator:', err);
    if (!res.headersSent) write(res, error(500, 'INTERNAL', String(err?.message ?? err)));
  });
}).listen(PORT, '127.0.0.1', () => console.log(`grab simulator on 127.0.0.1:${PORT}`));

// Stripe PaymentIntents simulator (local tests and `make dev` only; never in the image).
//
// stripe-mock is stateless (PROVIDERS.md §1.6), so this stands in for the stateful parts Tươi relies
// on: PaymentIntents with manual capture (docs.stripe.com/payments/place-a-hold-on-a-payment-method),
// partial capture, cancel, repeatable partial refunds (POST /v1/refunds), Idempotency-Key replay and
// mismatch (docs.stripe.com/api/idempotent_requests), Stripe's error body `{error:{type,code,message}}`
// and signed webhooks (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`, stripe-node
// src/Webhooks.ts). Requests are form-encoded as stripe-node sends them. Test levers live under
// /_sim/ (README.md). State is in memory; PORT comes from infra/services.env (SIM_STRIPE_PORT).
import { createServer } from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import { URLSearchParams } from 'node:url';
import { stripeJs } from './stripe-js.mjs';
import {
  PORT,
  cancelIntent,
  captureIntent,
  config,
  confirmIntent,
  createIntent,
  createRefund,
  err,
  id,
  invalid,
  json,
  list,
  now,
  onEvent,
  piView,
  reset,
  search,
  sleep,
  state,
} from './payments.mjs';

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Stripe's form encoding (`metadata[payment_id]=…`, `expand[0]=…`) as a nested object. */
function parseForm(raw) {
  const out = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.split('[').map((p) => p.replace(/]$/, ''));
    let node = out;
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) node[part] = value;
      else node = node[part] ??= {};
    }
  }
  return out;
}

function write(res, answer) {
  if (res.destroyed) return;
  // Browsers call the API with a publishable key from the shop's origin (CORS, as api.stripe.com).
  const headers = { 'request-id': id('req'), 'access-control-allow-origin': '*', ...answer.headers };
  if (typeof answer.body === 'string') {
    res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(answer.body);
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(answer.body));
}

function signature(secret, t, body) {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

/** Queues `events` for delivery, in order, after those already queued; resolves when sent. */
function deliver(events, opts = {}) {
  const run = async () => {
    const sent = [];
    for (const event of events) sent.push(await post(event, opts));
    return sent;
  };
  const p = state.delivery.then(run, run);
  state.delivery = p.catch(() => undefined);
  return p;
}

async function post(event, opts) {
  const body = JSON.stringify(event);
  const t = opts.timestamp ?? now();
  const secret = opts.secret ?? config.webhook_secret;
  const header = `t=${t},v1=${signature(secret, t, body)}`;
  const entry = {
    at: new Date().toISOString(),
    event_id: event.id,
    type: event.type,
    url: config.webhook_url,
  };
  state.webhooks.push(entry);
  if (!config.webhook_url) return (entry.result = { skipped: 'no webhook_url configured' });
  try {
    const res = await fetch(config.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
      body,
      signal: AbortSignal.timeout(5000),
    });
    return (entry.result = { status: res.status });
  } catch (e) {
    return (entry.result = { error: e.message });
  }
}

onEvent((event) => void deliver([event]));

// ------------------------------------------------------------------ routing

/** Calls that move or create money: executed once per Idempotency-Key. */
function mutate(method, path, p, request) {
  if (path === '/v1/payment_intents') return createIntent(p, request);
  if (path === '/v1/refunds') return createRefund(p, request);
  const m = /^\/v1\/payment_intents\/([^/]+)\/(capture|cancel|confirm)$/.exec(path);
  const pi = m && state.intents.get(m[1]);
  if (!m) return invalid('resource_missing', `Unrecognized request URL (${method}: ${path}).`);
  if (!pi) return invalid('resource_missing', `No such payment_intent: '${m[1]}'`, 'intent');
  if (m[2] === 'capture') return captureIntent(pi, p, request);
  if (m[2] === 'cancel') return cancelIntent(pi, p, request);
  const pm = p.payment_method ?? '';
  return confirmIntent(
    pi,
    /Declined/i.test(pm) ? 'decline' : /threeDSecure/i.test(pm) ? '3ds' : 'approve',
    request,
  );
}

/** Parameter problems are answered before execution and, as at Stripe, never stored under the key. */
const stored = (answer) => !(answer.status === 400 && /^parameter_/.test(answer.body?.error?.code ?? ''));

function api(method, url, headers, raw) {
  const auth = headers.authorization ?? '';
  const basic = /^Basic (.+)$/.exec(auth);
  const apiKey = basic
    ? Buffer.from(basic[1], 'base64').toString().split(':')[0]
    : auth.replace(/^Bearer /, '');
  // A publishable key (Stripe.js in a browser) may only confirm a PaymentIntent whose client secret it holds.
  if (/^pk_(test|live)_\S+$/.test(apiKey)) {
    const m = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(url.pathname);
    const p = parseForm(raw);
    const pi = m && state.intents.get(m[1]);
    if (method !== 'POST' || !m)
      return err(
        401,
        'invalid_request_error',
        undefined,
        'This API call cannot be made with a publishable API key.',
      );
    if (!pi || p.client_secret !== pi.client_secret)
      return invalid('resource_missing', `No such payment_intent: '${m[1]}'`, 'intent');
    return mutate(method, url.pathname, p, { id: id('req') });
  }
  if (!/^sk_(test|live)_\S+$/.test(apiKey))
    return err(401, 'invalid_request_error', undefined, 'Invalid API Key provided.');
  const path = url.pathname;
  if (method === 'GET') {
    const expand = list(parseForm(url.search.slice(1)).expand);
    if (path === '/v1/payment_intents/search') return search(url.searchParams.get('query'));
    let m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (m) {
      const pi = state.intents.get(m[1]);
      return pi
        ? json(200, piView(pi, expand))
        : invalid('resource_missing', `No such payment_intent: '${m[1]}'`);
    }
    m = /^\/v1\/(refunds|charges)\/([^/]+)$/.exec(path);
    const obj = m && state[m[1]].get(m[2]);
    if (obj) return json(200, obj);
    return invalid('resource_missing', `No such object: ${path}`);
  }
  if (method !== 'POST') return invalid('resource_missing', `Unrecognized request URL (${method}: ${path}).`);
  const p = parseForm(raw);
  const key = headers['idempotency-key'];
  const request = { id: id('req'), key };
  if (!key) return mutate(method, path, p, request);
  const fingerprint = createHash('sha256')
    .update(
      `${method} ${path} ${[...new URLSearchParams(raw)]
        .map((kv) => kv.join('='))
        .sort()
        .join('&')}`,
    )
    .digest('hex');
  const seen = state.idempotency.get(key);
  if (seen) {
    if (seen.fingerprint !== fingerprint)
      return err(
        400,
        'idempotency_error',
        undefined,
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    return { ...seen.answer, headers: { ...seen.answer.headers, 'idempotent-replayed': 'true' } };
  }
  const answer = mutate(method, path, p, request);
  if (stored(answer))
    state.idempotency.set(key, {
      fingerprint,
      answer: { ...answer, headers: { 'original-request': request.id } },
    });
  return answer;
}

// ------------------------------------------------------------------ test levers (/_sim/...)

function payPage(pi) {
  const button = (outcome, label) =>
    `<form method="post" action="/_sim/confirm"><input type="hidden" name="id" value="${pi.id}">` +
    `<input type="hidden" name="outcome" value="${outcome}"><button name="go" value="${outcome}">${label}</button></form>`;
  return (
    `<!doctype html><meta charset="utf-8"><title>Stripe simulator: ${pi.id}</title>` +
    `<h1>${pi.description ?? pi.id}</h1><p id="amount">${pi.amount} ${pi.currency.toUpperCase()}</p>` +
    `<p id="status">${pi.status}</p>` +
    (pi.status === 'requires_payment_method' || pi.status === 'requires_action'
      ? button('approve', 'Approve') +
        button('decline', 'Decline') +
        (pi.status === 'requires_action' ? '' : button('3ds', 'Needs 3-D Secure'))
      : '')
  );
}

async function lever(method, url, p) {
  const path = url.pathname;
  if (method === 'POST' && path === '/_sim/reset') return (reset(), json(200, { ok: true }));
  if (path === '/_sim/config') {
    if (method === 'POST') for (const [k, v] of Object.entries(p)) if (k in config) config[k] = v;
    return json(200, config);
  }
  if (method === 'POST' && (path === '/_sim/fail' || path === '/_sim/stall')) {
    const which = path.slice(6);
    state[which] =
      which === 'fail'
        ? { count: Number(p.count ?? 1), status: Number(p.status ?? 503), only: p.only ?? '' }
        : {
            count: Number(p.count ?? 1),
            ms: Number(p.ms ?? 10_000),
            when: p.when === 'before' ? 'before' : 'after',
            only: p.only ?? '',
          };
    return json(200, state[which]);
  }
  if (method === 'GET' && path === '/_sim/payment_intents')
    return json(200, { data: [...state.intents.values()].map((pi) => piView(pi, ['latest_charge'])) });
  if (method === 'GET' && path === '/_sim/ledger') return json(200, { entries: state.ledger });
  if (method === 'GET' && path === '/_sim/webhooks') return json(200, { webhooks: state.webhooks });
  if (method === 'GET' && path === '/_sim/events') {
    const pi = url.searchParams.get('payment_intent');
    const type = url.searchParams.get('type');
    const match = (e) =>
      (!pi || e.data.object.id === pi || e.data.object.payment_intent === pi) && (!type || e.type === type);
    return json(200, { data: state.events.filter(match) });
  }
  const pi = state.intents.get(p.id ?? path.split('/')[3]);
  if (method === 'GET' && path.startsWith('/_sim/pay/'))
    return pi ? json(200, payPage(pi)) : json(404, '<p>no such PaymentIntent</p>');
  if (method === 'POST' && path === '/_sim/confirm') {
    if (!pi) return invalid('resource_missing', `No such payment_intent: '${p.id}'`);
    const answer = confirmIntent(pi, p.outcome ?? 'approve');
    await state.delivery;
    return p.go ? json(200, payPage(pi)) : { ...answer, status: answer.status === 402 ? 200 : answer.status };
  }
  if (method === 'POST' && path === '/_sim/webhook') {
    // Sends stored events again: `ids` in the order given (out of order on demand), each 1 + duplicate times.
    const ids = list(p.ids ?? p.id);
    const events = ids.map((i) => state.events.find((e) => e.id === i)).filter(Boolean);
    if (events.length !== ids.length) return invalid('resource_missing', 'unknown event id');
    const times = 1 + Number(p.duplicate ?? 0);
    const batch = events.flatMap((e) => Array.from({ length: times }, () => e));
    const sent = await deliver(batch, {
      timestamp: p.timestamp === undefined ? undefined : Number(p.timestamp),
      secret: p.secret,
    });
    return json(200, { sent });
  }
  return invalid('resource_missing', `no lever ${method} ${path}`);
}

// ------------------------------------------------------------------ server

/** `METHOD /path` with object ids as `{id}`, as fail/stall `only` names a call. */
const callName = (method, path) => `${method} ${path.replace(/\/(pi|re|ch)_[0-9a-f]+/g, '/{id}')}`;

function takes(lever, call) {
  if (lever.count <= 0 || (lever.only && lever.only !== call)) return false;
  lever.count -= 1;
  return true;
}

async function handle(req, res) {
  const url = new URL(req.url, `http://127.0.0.1:${PORT}`);
  const raw = await readBody(req);
  if (req.method === 'OPTIONS')
    return res
      .writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type, stripe-version',
        'access-control-max-age': '600',
      })
      .end();
  if (req.method === 'GET' && (url.pathname === '/v3' || url.pathname === '/v3/'))
    return res
      .writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'access-control-allow-origin': '*',
        'cache-control': 'no-cache',
      })
      .end(stripeJs(`http://127.0.0.1:${PORT}`));
  if (url.pathname.startsWith('/_sim/')) {
    const ct = req.headers['content-type'] ?? '';
    let p = {};
    try {
      p = ct.includes('json') ? JSON.parse(raw || '{}') : parseForm(raw);
    } catch {
      return write(res, invalid('parameter_invalid', 'body is not valid JSON'));
    }
    return write(res, await lever(req.method, url, p ?? {}));
  }
  const call = callName(req.method, url.pathname);
  if (takes(state.fail, call))
    return write(res, err(state.fail.status, 'api_error', undefined, 'Simulated outage.'));
  const stall = takes(state.stall, call) ? { ...state.stall } : undefined;
  if (stall?.when === 'before') await sleep(stall.ms);
  const answer = api(req.method, url, req.headers, raw);
  if (stall?.when === 'after') await sleep(stall.ms);
  write(res, answer);
}

createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error('stripe simulator:', e);
    if (!res.headersSent) write(res, err(500, 'api_error', undefined, String(e?.message ?? e)));
  });
}).listen(PORT, '127.0.0.1', () => console.log(`stripe simulator on 127.0.0.1:${PORT}`));

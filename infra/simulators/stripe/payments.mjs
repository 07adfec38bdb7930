// The Stripe simulator's state and PaymentIntent/Charge/Refund model: objects, transitions, the
// events each transition emits. server.mjs does HTTP, Idempotency-Key, webhook delivery and levers.
// Facts followed and choices made are in README.md.
import { randomBytes } from 'node:crypto';

export const PORT = Number(process.env.PORT ?? 58413);
const MAX_AMOUNT = 99_999_999;
const HOLD_DAYS = 7;
const CANCELLABLE = new Set([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
  'processing',
]);

const defaults = () => ({
  webhook_url: process.env.WEBHOOK_URL ?? '',
  webhook_secret: process.env.WEBHOOK_SECRET ?? 'whsec_tuoi_sim',
  /** Smallest VND amount accepted (US$0.50 equivalent, approximately). */
  min_amount_vnd: 13_000,
});

export let config;
export let state;
let sink = () => undefined;
/** Where emitted events go (server.mjs delivers them as webhooks). */
export const onEvent = (fn) => (sink = fn);
export function reset() {
  config = defaults();
  state = {
    intents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    idempotency: new Map(),
    events: [],
    webhooks: [],
    ledger: [],
    fail: { count: 0, status: 503, only: '' },
    stall: { count: 0, ms: 0, when: 'after', only: '' },
    delivery: Promise.resolve(),
  };
}
reset();

export const id = (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`;
export const now = () => Math.floor(Date.now() / 1000);
export const json = (status, body, headers = {}) => ({ status, body, headers });
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : Object.values(v));
export const err = (status, type, code, message, extra = {}) =>
  json(status, { error: { type, ...(code ? { code } : {}), message, ...extra } });
export const invalid = (code, message, param) =>
  err(400, 'invalid_request_error', code, message, param ? { param } : {});
// ------------------------------------------------------------------ objects and events

export function chargeView(ch) {
  return { ...ch };
}

/** A PaymentIntent as the API answers it; `expand` may hold `latest_charge`. */
export function piView(pi, expand = []) {
  const { request, ...fields } = pi;
  void request;
  const charge = pi.latest_charge && state.charges.get(pi.latest_charge);
  return {
    ...fields,
    latest_charge: expand.includes('latest_charge') && charge ? chargeView(charge) : pi.latest_charge,
  };
}

function emit(type, object, request = {}) {
  const event = {
    id: id('evt'),
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: now(),
    type,
    livemode: false,
    pending_webhooks: 1,
    data: { object },
    request: { id: request.id ?? null, idempotency_key: request.key ?? null },
  };
  state.events.push(event);
  sink(event);
  return event;
}

// ------------------------------------------------------------------ PaymentIntent transitions

export function createIntent(p, request) {
  const amount = Number(p.amount);
  if (p.amount === undefined)
    return invalid('parameter_missing', 'Missing required param: amount.', 'amount');
  if (!/^\d+$/.test(p.amount))
    return invalid('parameter_invalid_integer', 'Invalid integer: ' + p.amount, 'amount');
  if (!p.currency) return invalid('parameter_missing', 'Missing required param: currency.', 'currency');
  if (amount > MAX_AMOUNT)
    return invalid('amount_too_large', 'Amount must be no more than 99,999,999 (8 digits).', 'amount');
  if (p.currency === 'vnd' && amount < config.min_amount_vnd)
    return invalid('amount_too_small', `Amount must be at least ${config.min_amount_vnd} vnd.`, 'amount');
  const captureMethod = p.capture_method ?? 'automatic';
  if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod))
    return invalid('parameter_invalid_string', 'Invalid capture_method.', 'capture_method');
  const piId = id('pi');
  const pi = {
    id: piId,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: 0,
    currency: p.currency,
    capture_method: captureMethod,
    client_secret: `${piId}_secret_${randomBytes(12).toString('hex')}`,
    confirmation_method: 'automatic',
    created: now(),
    canceled_at: null,
    cancellation_reason: null,
    description: p.description ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: p.metadata ?? {},
    next_action: null,
    payment_method: null,
    payment_method_types: list(p.payment_method_types).length ? list(p.payment_method_types) : ['card'],
    status: 'requires_payment_method',
  };
  state.intents.set(piId, pi);
  emit('payment_intent.created', piView(pi), request);
  return json(200, piView(pi));
}

/** What Stripe.js confirm does: `approve` (held, or captured for automatic), `decline`, `3ds`. */
export function confirmIntent(pi, outcome, request = {}) {
  if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(pi.status))
    return unexpected(pi, 'confirmed');
  pi.payment_method ??= id('pm');
  if (outcome === 'decline') {
    pi.status = 'requires_payment_method';
    pi.next_action = null;
    pi.last_payment_error = {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
    };
    emit('payment_intent.payment_failed', piView(pi), request);
    return err(402, 'card_error', 'card_declined', 'Your card was declined.', {
      decline_code: 'generic_decline',
      payment_intent: piView(pi),
    });
  }
  if (outcome === '3ds') {
    pi.status = 'requires_action';
    pi.next_action = {
      type: 'redirect_to_url',
      redirect_to_url: { url: `http://127.0.0.1:${PORT}/_sim/pay/${pi.id}`, return_url: null },
    };
    emit('payment_intent.requires_action', piView(pi), request);
    return json(200, piView(pi));
  }
  const ch = {
    id: id('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: 0,
    amount_refunded: 0,
    captured: false,
    refunded: false,
    currency: pi.currency,
    created: now(),
    metadata: { ...pi.metadata },
    payment_intent: pi.id,
    payment_method: pi.payment_method,
    payment_method_details: {
      type: 'card',
      card: { brand: 'visa', last4: '4242', capture_before: now() + HOLD_DAYS * 86_400 },
    },
    status: 'succeeded',
  };
  state.charges.set(ch.id, ch);
  pi.latest_charge = ch.id;
  pi.last_payment_error = null;
  pi.next_action = null;
  if (pi.capture_method === 'manual') {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
    emit('payment_intent.amount_capturable_updated', piView(pi), request);
  } else {
    capture(pi, pi.amount, request);
  }
  return json(200, piView(pi));
}

function capture(pi, amount, request) {
  const ch = state.charges.get(pi.latest_charge);
  pi.status = 'succeeded';
  pi.amount_capturable = 0;
  pi.amount_received = amount;
  ch.captured = true;
  ch.amount_captured = amount;
  state.ledger.push({ op: 'capture', payment_intent: pi.id, amount, idempotency_key: request.key ?? null });
  emit('payment_intent.succeeded', piView(pi), request);
}

const unexpected = (pi, action) =>
  invalid(
    'payment_intent_unexpected_state',
    `This PaymentIntent could not be ${action} because it has a status of ${pi.status}.`,
  );

export function captureIntent(pi, p, request) {
  if (pi.status !== 'requires_capture') return unexpected(pi, 'captured');
  const amount = p.amount_to_capture === undefined ? pi.amount_capturable : Number(p.amount_to_capture);
  if (!Number.isInteger(amount) || amount <= 0)
    return invalid('parameter_invalid_integer', 'Invalid amount_to_capture.', 'amount_to_capture');
  if (amount > pi.amount_capturable)
    return invalid(
      'amount_too_large',
      `amount_to_capture (${amount}) is greater than amount_capturable (${pi.amount_capturable}).`,
      'amount_to_capture',
    );
  capture(pi, amount, request);
  return json(200, piView(pi));
}

export function cancelIntent(pi, p, request) {
  if (!CANCELLABLE.has(pi.status)) return unexpected(pi, 'canceled');
  const held = pi.amount_capturable;
  pi.status = 'canceled';
  pi.amount_capturable = 0;
  pi.canceled_at = now();
  pi.cancellation_reason = p.cancellation_reason ?? null;
  state.ledger.push({
    op: 'cancel',
    payment_intent: pi.id,
    amount: held,
    idempotency_key: request.key ?? null,
  });
  emit('payment_intent.canceled', piView(pi), request);
  return json(200, piView(pi));
}

export function createRefund(p, request) {
  const pi = p.payment_intent
    ? state.intents.get(p.payment_intent)
    : [...state.intents.values()].find((x) => x.latest_charge === p.charge);
  if (!pi) return invalid('resource_missing', `No such payment_intent: '${p.payment_intent ?? p.charge}'`);
  const ch = pi.latest_charge && state.charges.get(pi.latest_charge);
  if (pi.status !== 'succeeded' || !ch)
    return invalid('charge_not_captured', 'This PaymentIntent has no captured charge to refund.');
  const left = ch.amount_captured - ch.amount_refunded;
  if (left <= 0) return invalid('charge_already_refunded', `Charge ${ch.id} has already been refunded.`);
  const amount = p.amount === undefined ? left : Number(p.amount);
  if (!Number.isInteger(amount) || amount <= 0)
    return invalid('parameter_invalid_integer', 'Invalid positive integer', 'amount');
  if (amount > left)
    return invalid(
      'amount_too_large',
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
      'amount',
    );
  const re = {
    id: id('re'),
    object: 'refund',
    amount,
    charge: ch.id,
    currency: ch.currency,
    created: now(),
    metadata: p.metadata ?? {},
    payment_intent: pi.id,
    reason: p.reason ?? null,
    status: 'succeeded',
  };
  state.refunds.set(re.id, re);
  ch.amount_refunded += amount;
  ch.refunded = ch.amount_refunded === ch.amount_captured;
  state.ledger.push({ op: 'refund', payment_intent: pi.id, amount, idempotency_key: request.key ?? null });
  emit('refund.created', { ...re }, request);
  emit('charge.refunded', chargeView(ch), request);
  return json(200, re);
}

/** `metadata['payment_id']:'x'` searches, the only query form the simulator understands. */
export function search(query) {
  const m = /^metadata\['([^']+)'\]:'([^']*)'$/.exec(query ?? '');
  const data = m
    ? [...state.intents.values()]
        .filter((pi) => pi.metadata[m[1]] === m[2])
        .reverse()
        .map((pi) => piView(pi))
    : [];
  return json(200, {
    object: 'search_result',
    data,
    has_more: false,
    next_page: null,
    url: '/v1/payment_intents/search',
  });
}

/**
 * The Stripe rail: the `Rail` port over PaymentIntents with manual capture, through the official
 * `stripe` SDK (request shapes, form encoding, error classes, webhook verification) whose HTTP goes
 * through the shared outbound client (timeouts, retries only for keyed or safe calls, the breaker,
 * redacted logs). The SDK's own retries are off so that the outbound client is the only one retrying,
 * always with the caller's Idempotency-Key. The customer confirms with Stripe.js using the client
 * secret; card data never reaches us. Wire formats are in wire.ts; facts and sources in README.md.
 */
import Stripe from 'stripe';
import { ConfigError, optional, optionalUrl, type ConfigOf } from '../../../shared/config';
import { createLogger, type Logger } from '../../../shared/log';
import {
  createOutboundClient,
  ProviderUnavailableError,
  type OutboundClient,
  type OutboundOverrides,
} from '../../../shared/outbound';
import { RailRefusedError, type Rail, type NotificationVerdict } from '../../rail';
import {
  checkAmount,
  checkIdempotencyKey,
  fromPaymentIntent,
  fromRefund,
  fromStripeEvent,
  STRIPE_MAX_VND,
  stripeRefusal,
  toCreateParams,
  toRefundReason,
  verifyStripeEvent,
} from './wire';

export interface StripeRailOptions {
  /** The API base: `https://api.stripe.com`, or the simulator / stripe-mock. */
  apiBase: string;
  secretKey: string;
  /** The endpoint's `whsec_…` secret; without it every notification is refused. */
  webhookSecret?: string;
  outbound?: OutboundOverrides;
  logger?: Logger;
  /** The clock notifications are checked against (tests pin it). */
  now?: () => Date;
}

/** The variables that configure Stripe; all unset leaves the rail off. */
export const stripeConfigSpec = {
  STRIPE_API_BASE: optionalUrl(['https:', 'http:']),
  STRIPE_SECRET_KEY: optional(),
  STRIPE_WEBHOOK_SECRET: optional(),
};

/** The Stripe rail from config, or undefined when no STRIPE_* variable is set; base and key go together. */
export function stripeFromConfig(
  config: ConfigOf<typeof stripeConfigSpec>,
  opts: { logger?: Logger; outbound?: OutboundOverrides } = {},
): Rail | undefined {
  const required = ['STRIPE_API_BASE', 'STRIPE_SECRET_KEY'] as const;
  const set = Object.values(config).some((v) => v);
  if (!set) return undefined;
  const missing = required.filter((k) => !config[k]);
  if (missing.length > 0)
    throw new ConfigError(missing.map((k) => `${k} is required when Stripe is configured`));
  return createStripeRail({
    apiBase: config.STRIPE_API_BASE!,
    secretKey: config.STRIPE_SECRET_KEY!,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    ...opts,
  });
}

/** A `fetch` for the SDK that sends through `client`; the Idempotency-Key header becomes the request's key. */
function fetchThrough(client: OutboundClient): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const idempotencyKey = headers['idempotency-key'];
    delete headers['idempotency-key'];
    const method = (init?.method ?? 'GET').toUpperCase();
    const res = await client.request({
      method,
      path: url.pathname + url.search,
      headers,
      body: method === 'GET' ? undefined : typeof init?.body === 'string' ? init.body : '',
      idempotencyKey,
    });
    return new Response(res.text, { status: res.status, headers: res.headers });
  };
}

/** SDK errors as the port's: outages as ProviderUnavailableError, verdicts as RailRefusedError. */
function translate(err: unknown): never {
  if (err instanceof Stripe.errors.StripeConnectionError) {
    const detail: unknown = err.detail;
    if (detail instanceof ProviderUnavailableError) throw detail;
    throw new ProviderUnavailableError('stripe', 'network', 1, undefined, { cause: err });
  }
  if (
    err instanceof Stripe.errors.StripeAuthenticationError ||
    err instanceof Stripe.errors.StripePermissionError
  )
    throw new Error(`stripe refused our API key: ${err.message}`, { cause: err });
  if (err instanceof Stripe.errors.StripeError && (err.statusCode ?? 0) >= 400 && (err.statusCode ?? 0) < 500)
    throw stripeRefusal({
      type: err.rawType ?? err.type,
      code: err.code,
      decline_code: err.decline_code,
      message: err.message,
    });
  throw err;
}

/** Creates the Stripe rail. */
export function createStripeRail(opts: StripeRailOptions): Rail {
  const log = opts.logger ?? createLogger('payment.stripe');
  const now = opts.now ?? (() => new Date());
  const client = createOutboundClient({
    provider: 'stripe',
    baseUrl: opts.apiBase,
    logger: log,
    ...opts.outbound,
  });
  const base = new URL(opts.apiBase);
  const stripe = new Stripe(opts.secretKey, {
    host: base.hostname,
    port: base.port || (base.protocol === 'https:' ? 443 : 80),
    protocol: base.protocol === 'https:' ? 'https' : 'http',
    httpClient: Stripe.createFetchHttpClient(fetchThrough(client)),
    maxNetworkRetries: 0,
    telemetry: false,
    timeout: 120_000, // the outbound client times each attempt out first
  });

  const call = <T>(p: Promise<T>): Promise<T> => p.catch(translate);

  /** Our payment's PaymentIntent: the given ref, else a search on metadata.payment_id (newest first). */
  const intentOf = async (paymentId: string, providerRef?: string): Promise<string> => {
    if (providerRef) return providerRef;
    const found = await call(
      stripe.paymentIntents.search({ query: `metadata['payment_id']:'${paymentId.replace(/'/g, "\\'")}'` }),
    );
    const ref = found.data[0]?.id;
    if (!ref)
      throw new RailRefusedError('stripe', 'resource_missing', `no PaymentIntent for payment ${paymentId}`);
    return ref;
  };

  return {
    name: 'stripe',
    holds: true,
    maxAmountVnd: STRIPE_MAX_VND,

    async authorise(req) {
      checkAmount(req.amountVnd);
      const pi = await call(
        stripe.paymentIntents.create(toCreateParams(req), {
          idempotencyKey: checkIdempotencyKey(req.idempotencyKey),
        }),
      );
      const state = fromPaymentIntent(pi, now());
      if (!pi.client_secret)
        throw new RailRefusedError('stripe', 'bad_answer', 'PaymentIntent without client_secret');
      return {
        kind: 'client_secret',
        clientSecret: pi.client_secret,
        providerRef: pi.id,
        status: state.status,
      };
    },

    async capture(p) {
      checkAmount(p.amountVnd, 1);
      const ref = await intentOf(p.paymentId, p.providerRef);
      const pi = await call(
        stripe.paymentIntents.capture(
          ref,
          { amount_to_capture: p.amountVnd },
          { idempotencyKey: checkIdempotencyKey(p.idempotencyKey) },
        ),
      );
      return fromPaymentIntent(pi, now());
    },

    async void(p) {
      const ref = await intentOf(p.paymentId, p.providerRef);
      const pi = await call(
        stripe.paymentIntents.cancel(ref, {}, { idempotencyKey: checkIdempotencyKey(p.idempotencyKey) }),
      );
      return fromPaymentIntent(pi, now());
    },

    async refund(p) {
      checkAmount(p.amountVnd, 1);
      const ref = await intentOf(p.paymentId, p.providerRef);
      const reason = toRefundReason(p.reason);
      const re = await call(
        stripe.refunds.create(
          {
            payment_intent: ref,
            amount: p.amountVnd,
            ...(reason ? { reason } : {}),
            metadata: { payment_id: p.paymentId, refund_id: p.refundId, reason: p.reason.slice(0, 500) },
          },
          { idempotencyKey: checkIdempotencyKey(p.idempotencyKey) },
        ),
      );
      return fromRefund(re);
    },

    async status(p) {
      const ref = await intentOf(p.paymentId, p.providerRef);
      const pi = await call(stripe.paymentIntents.retrieve(ref, { expand: ['latest_charge'] }));
      return fromPaymentIntent(pi, now());
    },

    parseNotification(req) {
      const event = verifyStripeEvent(req.rawBody, req.headers['stripe-signature'], opts.webhookSecret, {
        receivedAt: now(),
      });
      return fromStripeEvent(event, now());
    },

    acknowledge(verdict: NotificationVerdict) {
      // Stripe needs only a 2xx; anything else is redelivered for days. A bad signature gets 400,
      // and our own failure 500, so that Stripe sends the event again.
      if (verdict === 'bad_signature') return { status: 400, body: { received: false } };
      if (verdict === 'error') return { status: 500, body: { received: false } };
      return { status: 200, body: { received: true } };
    },

    close: () => client.close(),
  };
}

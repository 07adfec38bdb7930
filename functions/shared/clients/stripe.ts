import Stripe from 'stripe';

/** Options for {@link createStripe}. */
export interface StripeOptions {
  /** Secret API key (`STRIPE_SECRET_KEY`); any `sk_test_...` value works with stripe-mock. */
  secretKey: string;
  /**
   * API base URL, e.g. `http://127.0.0.1:12111` for stripe-mock (`STRIPE_API_BASE`).
   * Omit for the real API (https://api.stripe.com).
   */
  apiBase?: string;
  /** Automatic retries on network errors and 409/5xx (default 2, with idempotency keys). */
  maxNetworkRetries?: number;
}

/** Creates a Stripe client; protocol, host and port come from `opts.apiBase` when given. */
export function createStripe(opts: StripeOptions): Stripe {
  const config: Stripe.StripeConfig = {
    maxNetworkRetries: opts.maxNetworkRetries ?? 2,
    timeout: 20_000,
    telemetry: false,
  };
  if (opts.apiBase !== undefined && opts.apiBase !== '') {
    Object.assign(config, parseApiBase(opts.apiBase));
  }
  return new Stripe(opts.secretKey, config);
}

function parseApiBase(apiBase: string): Pick<Stripe.StripeConfig, 'protocol' | 'host' | 'port'> {
  const url = new URL(apiBase);
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'http' && protocol !== 'https') {
    throw new Error(`apiBase must be http(s)://host[:port], got "${apiBase}"`);
  }
  if (url.pathname !== '/' || url.search !== '') {
    throw new Error(`apiBase cannot have a path or query (the client adds /v1/...), got "${apiBase}"`);
  }
  return {
    protocol,
    host: url.hostname,
    port: url.port !== '' ? Number(url.port) : protocol === 'https' ? 443 : 80,
  };
}

/** The only wiring of the storefront: typed config → the gateway's API → assets → pages. */
import { int, oneOf, optional, parseConfig, url, type VarReader } from '../shared/config';
import type { FunctionInstance } from '../shared/runtime';
import { gatewayApi } from './api';
import { DEFAULT_ASSETS_DIR, loadAssets } from './assets';
import { storefrontRoutes } from './routes';

/** A comma-separated list of https origins, or `none`. */
function origins(fallback: string): VarReader<string[]> {
  return {
    read(raw) {
      const value = raw || fallback;
      if (value === 'none') return [];
      return value.split(',').map((o) => {
        const trimmed = o.trim();
        let parsed: URL;
        try {
          parsed = new URL(trimmed);
        } catch {
          throw new Error(`"${trimmed}" is not an origin`);
        }
        if (!['https:', 'http:'].includes(parsed.protocol) || parsed.origin !== trimmed)
          throw new Error(`"${trimmed}" is not an origin such as https://img.tuoi.vn`);
        return trimmed;
      });
    },
  };
}

/** Configuration of the storefront. */
export const storefrontConfigSpec = {
  /** The public API: the gateway (in a cluster, its cluster-local address). */
  STOREFRONT_API_URL: url(['http:', 'https:'], 'http://127.0.0.1:8080'),
  /** Per-attempt timeout of an API call. */
  STOREFRONT_API_TIMEOUT_MS: int({ fallback: 8_000, min: 100, max: 60_000 }),
  /** `on`: cookies only over HTTPS (production); `off` for plain-HTTP local dev. */
  STOREFRONT_SECURE_COOKIES: oneOf(['on', 'off'] as const, 'on'),
  /**
   * Origins product photos are served from (the CSP's img-src), comma-separated; `none` shows a
   * placeholder instead (offline dev, where the photo host cannot be reached).
   */
  STOREFRONT_IMAGE_ORIGINS: origins('https://img.tuoi.vn'),
  /**
   * Card payments: Stripe's publishable key. Unset, the shop offers no card payment (the payment
   * function may still take Stripe from other clients).
   */
  STOREFRONT_STRIPE_PUBLISHABLE_KEY: optional(),
  /** Stripe.js (the simulator serves a stand-in at <its origin>/v3/ in make dev and tests). */
  STOREFRONT_STRIPE_JS_URL: url(['https:', 'http:'], 'https://js.stripe.com/v3/'),
  /** The API Stripe.js calls from the browser (the CSP's connect-src). */
  STOREFRONT_STRIPE_API_ORIGIN: origins('https://api.stripe.com'),
  /** Where `make build` wrote the browser assets. */
  STOREFRONT_ASSETS_DIR: { read: (raw: string | undefined) => raw || DEFAULT_ASSETS_DIR },
};

/** Builds the storefront from the environment; throws ConfigError naming bad variables. */
export function createStorefront(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(storefrontConfigSpec, env);
  const api = gatewayApi(config.STOREFRONT_API_URL, { timeoutMs: config.STOREFRONT_API_TIMEOUT_MS });
  const imageOrigins = config.STOREFRONT_IMAGE_ORIGINS;
  return {
    routes: storefrontRoutes({
      api,
      assets: loadAssets(config.STOREFRONT_ASSETS_DIR),
      secureCookies: config.STOREFRONT_SECURE_COOKIES === 'on',
      images: imageOrigins.length > 0,
      imageOrigins,
      ...(config.STOREFRONT_STRIPE_PUBLISHABLE_KEY
        ? {
            card: {
              key: config.STOREFRONT_STRIPE_PUBLISHABLE_KEY,
              jsUrl: config.STOREFRONT_STRIPE_JS_URL,
              apiOrigins: config.STOREFRONT_STRIPE_API_ORIGIN,
            },
          }
        : {}),
      now: () => new Date(),
    }),
    // The shop holds no state of its own: it is ready when it can serve pages.
    ready: async () => {},
    close: async () => api.close(),
  };
}

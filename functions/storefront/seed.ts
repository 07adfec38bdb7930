/**
 * `make dev`: the shop calls the API through the local gateway over plain HTTP, shows placeholders
 * for the photo host it cannot reach offline, and takes cards through the Stripe simulator's
 * stand-in for Stripe.js when that simulator runs. Nothing is seeded.
 */

/** The publishable key the Stripe simulator's Stripe.js accepts (never used outside make dev). */
const DEV_PUBLISHABLE_KEY = 'pk_test_tuoi_sim';

/** The shop's settings for `make dev`. */
export function devEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    ...(env.GATEWAY_URL ? { STOREFRONT_API_URL: env.GATEWAY_URL } : {}),
    STOREFRONT_SECURE_COOKIES: 'off',
    STOREFRONT_IMAGE_ORIGINS: 'none',
    ...(env.SIM_STRIPE_URL
      ? {
          STOREFRONT_STRIPE_PUBLISHABLE_KEY: DEV_PUBLISHABLE_KEY,
          STOREFRONT_STRIPE_JS_URL: `${env.SIM_STRIPE_URL}/v3/`,
          STOREFRONT_STRIPE_API_ORIGIN: env.SIM_STRIPE_URL,
        }
      : {}),
  };
}

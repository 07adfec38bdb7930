/**
 * `make dev`: the payment rails point at the running simulators (their payment pages let a tester
 * approve or decline), with the simulators' dev credentials. Nothing is seeded in the database.
 */

/** Dev credentials the simulators accept by default (never used outside make dev). */
const DEV = {
  momo: { partner: 'TUOISIM', access: 'tuoi-sim-access', secret: 'tuoi-sim-secret-key-000000000000' },
  stripe: { key: 'sk_test_tuoi_sim', webhook: 'whsec_tuoi_sim_dev_0000000000' },
};

/** The rail settings for the simulators that are running (`SIM_<RAIL>_URL`). */
export function devEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.SIM_MOMO_URL)
    Object.assign(out, {
      MOMO_API_URL: env.SIM_MOMO_URL,
      MOMO_PARTNER_CODE: DEV.momo.partner,
      MOMO_ACCESS_KEY: DEV.momo.access,
      MOMO_SECRET_KEY: DEV.momo.secret,
    });
  // The stateful Stripe simulator, not stripe-mock (which never moves a PaymentIntent).
  if (env.SIM_STRIPE_URL)
    Object.assign(out, {
      STRIPE_API_BASE: env.SIM_STRIPE_URL,
      STRIPE_SECRET_KEY: DEV.stripe.key,
      STRIPE_WEBHOOK_SECRET: DEV.stripe.webhook,
    });
  return out;
}

/** `make dev`, once everything runs: Stripe's simulator posts its webhooks to the gateway. */
export async function afterStart(ctx: { gatewayUrl: string; env: NodeJS.ProcessEnv }): Promise<string> {
  if (!ctx.env.SIM_STRIPE_URL) return 'no payment simulators to configure';
  const res = await fetch(`${ctx.env.SIM_STRIPE_URL}/_sim/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      webhook_url: `${ctx.gatewayUrl}/payment/webhooks/stripe`,
      webhook_secret: DEV.stripe.webhook,
    }),
  });
  if (!res.ok) throw new Error(`${ctx.env.SIM_STRIPE_URL}/_sim/config answered ${res.status}`);
  return 'the Stripe simulator sends webhooks to the gateway (MoMo posts IPNs to the URL each payment gives)';
}

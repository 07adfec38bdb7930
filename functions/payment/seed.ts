/**
 * `make dev`: the payment rails point at the running simulators (their payment pages let a tester
 * approve or decline), with the simulators' dev credentials. Nothing is seeded in the database.
 */

/** Dev credentials the simulators accept by default (never used outside make dev). */
const DEV = {
  momo: { partner: 'TUOISIM', access: 'tuoi-sim-access', secret: 'tuoi-sim-secret-key-000000000000' },
  stripe: { key: 'sk_test_tuoi_sim', webhook: 'whsec_tuoi_sim_dev_0000000000' },
  vnpay: { tmn: 'TUOISIM1', secret: 'tuoi-sim-vnpay-hash-secret' },
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
  if (env.SIM_VNPAY_URL)
    Object.assign(out, {
      VNPAY_PAY_URL: `${env.SIM_VNPAY_URL}/paymentv2/vpcpay.html`,
      VNPAY_API_URL: `${env.SIM_VNPAY_URL}/merchant_webapi/api/transaction`,
      VNPAY_TMN_CODE: DEV.vnpay.tmn,
      VNPAY_HASH_SECRET: DEV.vnpay.secret,
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

/** `make dev`, once everything runs: Stripe and VNPay (whose IPN URL is per terminal) notify the gateway. */
export async function afterStart(ctx: { gatewayUrl: string; env: NodeJS.ProcessEnv }): Promise<string> {
  const configs: [string | undefined, Record<string, unknown>][] = [
    [
      ctx.env.SIM_STRIPE_URL,
      { webhook_url: `${ctx.gatewayUrl}/payment/webhooks/stripe`, webhook_secret: DEV.stripe.webhook },
    ],
    [ctx.env.SIM_VNPAY_URL, { ipn_url: `${ctx.gatewayUrl}/payment/webhooks/vnpay` }],
  ];
  const done: string[] = [];
  for (const [base, config] of configs) {
    if (!base) continue;
    const res = await fetch(`${base}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
    });
    if (!res.ok) throw new Error(`${base}/_sim/config answered ${res.status}`);
    done.push(base);
  }
  return done.length
    ? `payment simulators notify the gateway (${done.length}; MoMo posts to the URL each payment gives)`
    : 'no payment simulators to configure';
}

/** The only wiring of the payment function: typed config → pool, store, rails, use cases, jobs → handlers. */
import type { Pool } from 'pg';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { baseConfigSpec, int, parseConfig, url } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createEventConsumer } from '../shared/eventing/consumer';
import { every } from '../shared/periodic';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { paymentHandlers } from './events';
import { paymentStore } from './payment-store';
import { paymentUseCases } from './payments';
import { codRail } from './providers/cod/adapter';
import { momoConfigSpec, momoFromConfig } from './providers/momo/adapter';
import { stripeConfigSpec, stripeFromConfig } from './providers/stripe/adapter';
import { vnpayConfigSpec, vnpayFromConfig } from './providers/vnpay/adapter';
import type { Rail, RailName } from './rail';
import { paymentRoutes } from './routes';

/** Schema owned by the payment function (see the registry). */
export const SCHEMA = 'payment';

/** Configuration of the payment function. */
export const paymentConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  /** Access tokens: checkout with payments:write, staff with payments:read and payments:refund. */
  ...authConfigSpec,
  /**
   * The webhook host's public origin (e.g. https://hooks.tuoi.vn), where providers post payment
   * notifications (MoMo's and VNPay's IPN URLs). The manifests set it per environment (the
   * platform ConfigMap); the default is make dev's gateway.
   */
  WEBHOOK_BASE_URL: url(['https:', 'http:'], 'http://127.0.0.1:8080'),
  /** How often an instance resumes unfinished operations and re-reads waiting payments. */
  PAYMENT_RECONCILE_MS: int({ fallback: 30_000, min: 100, max: 3_600_000 }),
  /** A payment waiting on the customer this long is re-read from its provider. */
  PAYMENT_STALE_SECONDS: int({ fallback: 120, min: 1, max: 86_400 }),
  /** Rails: each is offered when its variables are set (see its README under providers/). */
  ...momoConfigSpec,
  ...vnpayConfigSpec,
  /** Stripe is optional: international cards, for a company Stripe onboards (see its README). */
  ...stripeConfigSpec,
  ...senderAuthConfigSpec,
};

/** The rails a configuration offers: cash on delivery always, the others when configured. */
export function railsFrom(
  config: ReturnType<typeof parseConfig<typeof paymentConfigSpec>>,
): Map<RailName, Rail> {
  const rails = new Map<RailName, Rail>([['cod', codRail()]]);
  // Each rail reads only its own variables (and decides from them whether it is configured).
  const only = <S extends object>(spec: S) =>
    Object.fromEntries(Object.keys(spec).map((k) => [k, config[k as keyof typeof config]])) as never;
  for (const rail of [
    momoFromConfig(only(momoConfigSpec)),
    vnpayFromConfig(only(vnpayConfigSpec)),
    stripeFromConfig(only(stripeConfigSpec)),
  ])
    if (rail) rails.set(rail.name, rail);
  return rails;
}

/** The use cases of one schema over `pool`. */
export function paymentFunction(
  pool: Pool,
  schema: string,
  rails: ReadonlyMap<RailName, Rail>,
  notifyBase: string,
) {
  const store = paymentStore(schema);
  return {
    store,
    payments: paymentUseCases({ work: unitOfWork(pool, schema), db: pool, store, rails, notifyBase }),
  };
}

/** Builds the payment function from the environment; throws ConfigError naming bad variables. */
export function createPayment(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(paymentConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const rails = railsFrom(config);
  const { payments } = paymentFunction(pool, SCHEMA, rails, config.WEBHOOK_BASE_URL.replace(/\/+$/, ''));
  const staleMs = config.PAYMENT_STALE_SECONDS * 1000;
  // Operations a crash or outage left unfinished are sent again with their own keys, and payments
  // waiting on the customer are re-read from their provider (a lost notification still lands).
  const stopJobs = every('payment', config.PAYMENT_RECONCILE_MS, async () => {
    const resumed = await payments.resume(new Date(Date.now() - staleMs));
    return { resumed, moved: await payments.reconcile(new Date(Date.now() - staleMs)) };
  });
  return {
    routes: paymentRoutes({ payments, rails }, verifierFromConfig(config)),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: paymentHandlers(payments, { payments, rails, schema: SCHEMA }),
    }),
    ready: () => pingDatabase(pool),
    close: async () => {
      stopJobs();
      for (const rail of rails.values()) rail.close();
      await pool.end();
    },
  };
}

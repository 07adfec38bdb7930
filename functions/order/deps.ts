/** The only wiring of the order function: typed config → pool, store, use cases, peers, jobs → handlers. */
import type { Pool } from 'pg';
import { clientTokens } from '../shared/auth/client';
import { createFirestore } from '../shared/clients/firestore';
import { introspectionSessionCheck } from '../shared/auth/session-check';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { baseConfigSpec, ConfigError, int, optional, parseConfig, str, url } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createEventConsumer } from '../shared/eventing/consumer';
import { createLogger } from '../shared/log';
import { every } from '../shared/periodic';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { orderHandlers } from './events';
import { RAILS, type Rail } from './model';
import { orderStore } from './order-store';
import { orderUseCases } from './orders';
import { httpPreflight } from './preflight';
import { orderRoutes } from './routes';
import { DEFAULT_TIMINGS, type SagaTimings } from './saga';
import { firestoreOrderTracking, publishTracking } from './tracking';

/** Schema owned by the order function (see the registry). */
export const SCHEMA = 'orders';

/** Configuration of the order function. */
export const orderConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  ...authConfigSpec,
  ...senderAuthConfigSpec,
  /** The cart, user and delivery functions (pre-flight reads; in a cluster their Knative URLs). */
  ORDER_CART_URL: optional(),
  ORDER_USER_URL: optional(),
  ORDER_DELIVERY_URL: optional(),
  ORDER_CATALOG_URL: optional(),
  /** Used for every peer whose own URL is not set (make dev: the gateway). */
  GATEWAY_URL: optional(),
  ORDER_PEER_TIMEOUT_MS: int({ fallback: 3_000, min: 100, max: 30_000 }),
  /** The order's service client at the user function (scope users:introspect: live-session checks). */
  ORDER_CLIENT_ID: str('order'),
  ORDER_CLIENT_SECRET: str(),
  /**
   * The shop's public origin (e.g. https://tuoi.vn): the payment page sends the customer back to
   * its order page, `<origin>/track/<id>`. The manifests set it per environment (the platform
   * ConfigMap); the default is make dev's gateway.
   */
  SHOP_URL: url(['https:', 'http:'], 'http://127.0.0.1:8080'),
  /** Payment methods offered, comma-separated. */
  ORDER_PAYMENT_METHODS: str(RAILS.join(',')),
  /** Saga timings (seconds): a forward step's deadline, the payment window, the first resend. */
  ORDER_STEP_TIMEOUT_S: int({ fallback: DEFAULT_TIMINGS.stepTimeoutS, min: 1, max: 600 }),
  ORDER_PAYMENT_TIMEOUT_S: int({ fallback: DEFAULT_TIMINGS.paymentTimeoutS, min: 10, max: 3_600 }),
  ORDER_RESEND_S: int({ fallback: DEFAULT_TIMINGS.resendS, min: 1, max: 600 }),
  /** How long after giving up on a step a late success may still land (then settled). */
  ORDER_LATE_WINDOW_S: int({ fallback: DEFAULT_TIMINGS.lateWindowS, min: 1, max: 86_400 }),
  /** How long owners hold stock, the window and coupon uses: the payment window and a margin. */
  /** How long a customer has to answer a proposed substitute. */
  ORDER_SUBSTITUTION_WINDOW_S: int({ fallback: 15 * 60, min: 1, max: 24 * 3_600 }),
  ORDER_HOLD_TTL_S: int({ fallback: 25 * 60, min: 60, max: 3_600 }),
  /** How often an instance ticks due sagas. */
  ORDER_TICK_MS: int({ fallback: 1_000, min: 50, max: 60_000 }),
  /** The longest `Prefer: wait` honoured. */
  ORDER_MAX_WAIT_S: int({ fallback: 30, min: 0, max: 120 }),
  /** The tracking view in Firestore; without a project id (embedded mode) it is not kept. */
  FIRESTORE_PROJECT_ID: optional(),
  /** host:port of a Firestore emulator (tests, CI). */
  FIRESTORE_EMULATOR_HOST: optional(),
  ORDER_FIRESTORE_COLLECTION: str('orders'),
  /** How often an instance publishes changed orders to the tracking view. */
  ORDER_TRACKING_MS: int({ fallback: 500, min: 50, max: 60_000 }),
};

const log = createLogger('order');

/** The use cases of one schema over `pool`. */
export function orderFunction(
  pool: Pool,
  schema: string,
  opts: { timings: SagaTimings; holdTtlS: number; returnBase: string; substitutionWindowS?: number },
) {
  const store = orderStore(schema);
  return {
    store,
    orders: orderUseCases({
      work: unitOfWork(pool, schema),
      db: pool,
      store,
      schema,
      timings: opts.timings,
      holdTtlS: opts.holdTtlS,
      returnUrl: (id) => `${opts.returnBase}/track/${encodeURIComponent(id)}`,
      fulfilment: {
        substitutionWindowS: opts.substitutionWindowS ?? 15 * 60,
        resendS: opts.timings.resendS,
        maxResendS: opts.timings.maxResendS,
      },
    }),
  };
}

/** Builds the order function from the environment; throws ConfigError naming bad variables. */
export function createOrder(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(orderConfigSpec, env);
  const peer = (own: string | undefined, name: string) => {
    const u = own ?? config.GATEWAY_URL;
    if (!u) throw new ConfigError([`ORDER_${name}_URL is required (or GATEWAY_URL)`]);
    return u.replace(/\/+$/, '');
  };
  const urls = {
    cart: peer(config.ORDER_CART_URL, 'CART'),
    user: peer(config.ORDER_USER_URL, 'USER'),
    delivery: peer(config.ORDER_DELIVERY_URL, 'DELIVERY'),
    catalog: peer(config.ORDER_CATALOG_URL, 'CATALOG'),
  };
  const rails = config.ORDER_PAYMENT_METHODS.split(',').map((r) => r.trim());
  const unknown = rails.filter((r) => !(RAILS as readonly string[]).includes(r));
  if (unknown.length)
    throw new ConfigError([`ORDER_PAYMENT_METHODS has unknown methods: ${unknown.join(', ')}`]);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const timings: SagaTimings = {
    ...DEFAULT_TIMINGS,
    stepTimeoutS: config.ORDER_STEP_TIMEOUT_S,
    paymentTimeoutS: config.ORDER_PAYMENT_TIMEOUT_S,
    resendS: config.ORDER_RESEND_S,
    lateWindowS: config.ORDER_LATE_WINDOW_S,
  };
  const { orders, store } = orderFunction(pool, SCHEMA, {
    timings,
    holdTtlS: config.ORDER_HOLD_TTL_S,
    substitutionWindowS: config.ORDER_SUBSTITUTION_WINDOW_S,
    returnBase: config.SHOP_URL.replace(/\/+$/, ''),
  });
  const preflight = httpPreflight(urls, config.ORDER_PEER_TIMEOUT_MS);
  const sessions = introspectionSessionCheck({
    url: `${urls.user}/auth/introspect`,
    credentials: clientTokens({
      tokenUrl: `${urls.user}/auth/token`,
      clientId: config.ORDER_CLIENT_ID,
      clientSecret: config.ORDER_CLIENT_SECRET,
      scope: 'users:introspect',
    }),
  });
  // The saga's clock: unanswered commands sent again, steps and payments past their deadlines.
  const stopJobs = every('order', config.ORDER_TICK_MS, async () => ({ ticked: await orders.tick() }));
  // The tracking view: every changed order published to Firestore (at least once, never backwards).
  const tracking = config.FIRESTORE_PROJECT_ID
    ? firestoreOrderTracking(
        createFirestore({
          projectId: config.FIRESTORE_PROJECT_ID,
          emulatorHost: config.FIRESTORE_EMULATOR_HOST,
        }),
        config.ORDER_FIRESTORE_COLLECTION,
      )
    : undefined;
  if (!tracking) log.info('no FIRESTORE_PROJECT_ID: the tracking view is not kept');
  const stopTracking = tracking
    ? every('order-tracking', config.ORDER_TRACKING_MS, async () => ({
        ...(await publishTracking({ db: pool, store, sink: tracking })),
      }))
    : () => {};
  return {
    routes: orderRoutes(
      { orders, preflight, sessions, rails: rails as Rail[], maxWaitS: config.ORDER_MAX_WAIT_S },
      verifierFromConfig(config),
    ),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: orderHandlers(orders),
    }),
    ready: () => pingDatabase(pool),
    close: async () => {
      stopJobs();
      stopTracking();
      preflight.close();
      await tracking?.close();
      await pool.end();
    },
  };
}

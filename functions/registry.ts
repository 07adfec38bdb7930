/**
 * The function registry: every function of Tươi with its trigger kind, public HTTP route
 * prefixes, CloudEvent subscriptions and scaling profile. The dev gateway, the local event router,
 * the Knative manifests and the API docs are generated from this one list. It is plain data and
 * imports no function code, so tools load it cheaply.
 */
import { contractFor } from '../events';

/** How a function is invoked. */
export type TriggerKind = 'http' | 'cloudevent' | 'http+cloudevent';

/**
 * How Knative scales it: `scale-to-zero` (notifications), `scale-out` (inventory, search: low
 * target, burst capacity), `always-on` (checkout path: min-scale ≥ 1), `standard` (KPA defaults).
 */
export type ScalingProfile = 'scale-to-zero' | 'scale-out' | 'always-on' | 'standard';

/**
 * A backing service a function connects to. The manifests hand it the address (from the
 * platform ConfigMap) and, for PostgreSQL, its own credentials (from its Secret). `shop` is no
 * connection: the function builds links to the shop's pages (payment returns, links in messages),
 * and the manifests give it the shop's public origin, SHOP_URL (from the platform ConfigMap).
 * `hooks` is none either: the function tells providers where to call its webhook routes (payment
 * notification URLs, SMS status callbacks), and the manifests give it the webhook host's public
 * origin, WEBHOOK_BASE_URL (from the platform ConfigMap). Only a function with `webhooks` uses it.
 */
export type Backing = 'postgres' | 'redis' | 'elasticsearch' | 'firestore' | 'jwks' | 'shop' | 'hooks';

/** Knative delivery spec for one subscription (defaults in `DEFAULT_DELIVERY`). */
export interface Delivery {
  /** Retries after the first attempt. */
  retry: number;
  backoffPolicy: 'exponential' | 'linear';
  /** Base delay between attempts. */
  backoffDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

/** One CloudEvent type a function consumes; becomes one Knative Trigger. */
export interface Subscription {
  type: string;
  /** Deliver one entity's events one at a time, in order (Kafka broker ordered delivery). */
  ordered?: boolean;
  delivery?: Partial<Delivery>;
}

/** One function = one folder under functions/ = one Knative Service. */
export interface FunctionSpec {
  name: string;
  description: string;
  trigger: TriggerKind;
  /** Public path prefixes routed to this function by the gateway / ingress. */
  routes: string[];
  subscriptions: Subscription[];
  scaling: ScalingProfile;
  /** The PostgreSQL schema it owns (migrations in functions/<name>/migrations). */
  schema?: string;
  /** Largest request body it accepts, when more than the runtime's 1 MiB (its MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /**
   * Backing services it connects to (`jwks`: verifies access tokens against the user function;
   * `shop`: builds links to the shop's pages, the manifests give it SHOP_URL; `hooks`: tells
   * providers its webhook URLs, the manifests give it WEBHOOK_BASE_URL).
   */
  uses: Backing[];
  /** Its own non-secret settings in a cluster, as environment variables. */
  env?: Record<string, string>;
  /** Variables it reads from its own Secret `<name>-secrets` besides DATABASE_URL (keys, provider credentials). */
  secrets?: string[];
  /**
   * Variables it reads from its Secret only when present (a provider account a deployment may not
   * have: each carrier is used once its keys are added).
   */
  optionalSecrets?: string[];
  /**
   * It serves HTML pages to browsers, not the API: the API documents and contract tests leave it
   * out. Its route `/` is the fallback for every path no other function's prefix claims.
   */
  pages?: boolean;
  /** Provider webhook path prefixes (a subset of `routes`), also served on the webhook host. */
  webhooks?: string[];
  /** The host, when its scaling profile's default (see `hostOf`) is not the right one. */
  host?: 'lean' | 'framework';
  /**
   * A cron schedule on which a CronJob calls the function (`scripts/wake.ts`): a function that
   * scales to zero but has work of its own that falls due (retries, held messages) is woken for it.
   */
  wake?: string;
}

/** Knative-like delivery defaults: 5 retries, exponential from 200 ms, 10 s per attempt. */
export const DEFAULT_DELIVERY: Delivery = {
  retry: 5,
  backoffPolicy: 'exponential',
  backoffDelayMs: 200,
  timeoutMs: 10_000,
};

/** Every function. Add yours here (see README: "Adding a function"). */
export const registry: readonly FunctionSpec[] = [
  {
    name: 'pulse',
    description: 'Synthetic end-to-end probe of the event backbone: emits a pulse, records its arrival.',
    trigger: 'http+cloudevent',
    routes: ['/pulse'],
    subscriptions: [{ type: 'io.tuoi.platform.pulse.v1' }],
    scaling: 'scale-to-zero',
    schema: 'pulse',
    uses: ['postgres'],
  },
  {
    name: 'catalog',
    description:
      'Products (en/vi) with VAT categories, categories, popular lists and products on promotion (from promotion events), staff writes and bulk import; emits product events.',
    trigger: 'http+cloudevent',
    routes: ['/products', '/categories'],
    subscriptions: [
      // Its own product events: the instance that receives one drops the cached product, which
      // also covers a crash between commit and invalidation. Other instances converge through the
      // shared Redis cache; in-process caches elsewhere keep the old copy until their 10 min TTL.
      { type: 'io.tuoi.catalog.product.created.v1' },
      { type: 'io.tuoi.catalog.product.updated.v1' },
      { type: 'io.tuoi.catalog.product.deleted.v1' },
      { type: 'io.tuoi.inventory.stock.changed.v1' },
      { type: 'io.tuoi.inventory.stock.expiring.v1' },
      // The promoted list: live promotions, version-guarded with tombstones, so order is not needed.
      { type: 'io.tuoi.promotions.promotion.activated.v1' },
      { type: 'io.tuoi.promotions.promotion.changed.v1' },
      { type: 'io.tuoi.promotions.promotion.ended.v1' },
      // Completed orders' lines are the sales behind popular; recorded once per (order, SKU), so
      // order is not needed.
      { type: 'io.tuoi.order.completed.v1' },
    ],
    scaling: 'scale-out',
    schema: 'catalog',
    maxBodyBytes: 16 * 1024 * 1024, // bulk import: up to 5,000 products as CSV or JSON
    uses: ['postgres', 'redis', 'jwks'],
  },
  {
    name: 'search',
    description:
      'Fuzzy, diacritic-insensitive bilingual product search with filters, facets, promotion badges and typeahead; indexes catalog, stock and promotion events.',
    trigger: 'http+cloudevent',
    routes: ['/search'],
    subscriptions: [
      { type: 'io.tuoi.catalog.product.created.v1', ordered: true },
      { type: 'io.tuoi.catalog.product.updated.v1', ordered: true },
      { type: 'io.tuoi.catalog.product.deleted.v1', ordered: true },
      { type: 'io.tuoi.inventory.stock.changed.v1' },
      { type: 'io.tuoi.inventory.stock.expiring.v1' },
      // Badges and the on_promotion filter; version-guarded with tombstones, so order is not needed.
      { type: 'io.tuoi.promotions.promotion.activated.v1' },
      { type: 'io.tuoi.promotions.promotion.changed.v1' },
      { type: 'io.tuoi.promotions.promotion.ended.v1' },
    ],
    scaling: 'scale-out',
    schema: 'search',
    uses: ['postgres', 'elasticsearch'],
    // Past 16 searches in flight an instance answers 503 + Retry-After at once (docs/observability.md).
    env: { SEARCH_ENGINE: 'elasticsearch', SEARCH_INDEX_REPLICAS: '1', MAX_INFLIGHT: '16' },
  },
  {
    name: 'inventory',
    description:
      'Stock per location in lots with expiry (FEFO), reservations with TTL that never oversell, the movement ledger; emits stock and reservation events.',
    trigger: 'http+cloudevent',
    routes: ['/stock', '/reservations', '/locations'],
    subscriptions: [
      // Catalog products become the SKUs inventory counts (version-guarded, so order is not needed).
      { type: 'io.tuoi.catalog.product.created.v1' },
      { type: 'io.tuoi.catalog.product.updated.v1' },
      { type: 'io.tuoi.catalog.product.deleted.v1' },
      // Its own stock changes, one (sku) at a time, into the Firestore real-time view.
      { type: 'io.tuoi.inventory.stock.changed.v1', ordered: true },
      // The checkout saga: reserve an order's stock, commit it once paid, or release it.
      { type: 'io.tuoi.order.saga.stock-requested.v1' },
    ],
    scaling: 'scale-out',
    schema: 'inventory',
    uses: ['postgres', 'firestore', 'jwks'],
  },
  {
    name: 'promotions',
    description:
      'Prices carts with promotions and VAT (quotes for cart, checkout, substitutions, refunds), staff promotions, coupon codes and VAT rates, coupon redemptions; emits promotion and coupon events.',
    trigger: 'http+cloudevent',
    routes: ['/pricing', '/promotions', '/coupon-redemptions', '/vat-rates'],
    subscriptions: [
      // Catalog products become the prices, categories and tax categories quotes read (version-guarded).
      { type: 'io.tuoi.catalog.product.created.v1' },
      { type: 'io.tuoi.catalog.product.updated.v1' },
      { type: 'io.tuoi.catalog.product.deleted.v1' },
      // Lots near expiry limit near-expiry markdowns (ordered by notice time per lot).
      { type: 'io.tuoi.inventory.stock.expiring.v1' },
      // The checkout saga: freeze an order's price with its coupon uses, commit or release them.
      { type: 'io.tuoi.order.saga.pricing-requested.v1' },
    ],
    // Every cart view and checkout prices through it: no cold start on that path.
    scaling: 'always-on',
    // A quote makes many promises; functions-framework's per-request domain tracks each one, which
    // cost a third of the throughput in scripts/bench/pricing-http.ts.
    host: 'lean',
    schema: 'promotions',
    uses: ['postgres', 'jwks'],
  },
  {
    name: 'cart',
    description:
      'Guest and signed-in carts (Redis in a cluster, PostgreSQL embedded) that never lose a line, merged on sign-in, priced on read with stock per line; emits cart.abandoned.',
    trigger: 'http+cloudevent',
    routes: ['/carts', '/me/cart'],
    subscriptions: [
      // What a line may hold and the price it was added at (version-guarded).
      { type: 'io.tuoi.catalog.product.created.v1' },
      { type: 'io.tuoi.catalog.product.updated.v1' },
      { type: 'io.tuoi.catalog.product.deleted.v1' },
      // A promotion starting, changing or ending makes cached quotes stale.
      { type: 'io.tuoi.promotions.promotion.activated.v1' },
      { type: 'io.tuoi.promotions.promotion.changed.v1' },
      { type: 'io.tuoi.promotions.promotion.ended.v1' },
      // A confirmed order checks its cart out.
      { type: 'io.tuoi.order.confirmed.v1' },
    ],
    // Every add to cart and every cart view: no cold start on the buying path.
    scaling: 'always-on',
    host: 'lean',
    schema: 'carts',
    uses: ['postgres', 'redis', 'jwks'],
    // The peers it asks on every read, through the cluster-local Knative routes.
    env: {
      CART_PROMOTIONS_URL: 'http://promotions.tuoi.svc.cluster.local',
      CART_INVENTORY_URL: 'http://inventory.tuoi.svc.cluster.local',
      CART_USER_URL: 'http://user.tuoi.svc.cluster.local',
    },
  },
  {
    name: 'delivery',
    description:
      'Delivery zones, delivery and pickup calendars with capacity, same-day cut-off, fees and closures; slot holds that never overbook; deliveries booked with Grab, AhaMove, GHN, ViettelPost or the own fleet by rules with fallback, carrier webhooks, pickups with codes; emits slot, delivery, COD and pickup events.',
    trigger: 'http+cloudevent',
    routes: ['/zones', '/calendars', '/slots', '/slot-holds', '/deliveries', '/delivery'],
    webhooks: ['/delivery'],
    subscriptions: [
      // Its own delivery and pickup events, into the Firestore tracking view (each reads the
      // delivery's current row, version-guarded, so order is not needed).
      { type: 'io.tuoi.delivery.booked.v1' },
      { type: 'io.tuoi.delivery.status.changed.v1' },
      { type: 'io.tuoi.delivery.pickup.ready.v1' },
      { type: 'io.tuoi.delivery.pickup.collected.v1' },
      // The checkout saga: hold an order's window (or adopt the customer's hold), book or release it.
      { type: 'io.tuoi.order.saga.slot-requested.v1' },
      // A packed order: book its carrier (or prepare its pickup), idempotent by `<order_id>.d1`.
      { type: 'io.tuoi.order.packed.v1' },
    ],
    // Checkout holds a window on every order and the slot picker lists them: no cold start there.
    scaling: 'always-on',
    host: 'lean',
    schema: 'delivery',
    // No `hooks`: its webhook URLs are registered once with each carrier (hooks.<env>/delivery/…),
    // not named in its requests, so it reads no WEBHOOK_BASE_URL.
    uses: ['postgres', 'firestore', 'jwks'],
    // The address book, for availability at one of the customer's addresses.
    env: { DELIVERY_USER_URL: 'http://user.tuoi.svc.cluster.local' },
    // Carrier accounts: a carrier is booked once its keys are in delivery-secrets.
    optionalSecrets: [
      ...[
        'GRAB_API_URL',
        'GRAB_CLIENT_ID',
        'GRAB_CLIENT_SECRET',
        'GRAB_WEBHOOK_AUTHORIZATION',
        'GRAB_WEBHOOK_AUTHORIZATION_ID',
      ],
      ...['AHAMOVE_API_URL', 'AHAMOVE_API_KEY', 'AHAMOVE_WEBHOOK_APIKEY'],
      ...['GHN_API_URL', 'GHN_TOKEN', 'GHN_SHOP_ID', 'GHN_WEBHOOK_TOKEN', 'GHN_AREA_CODES'],
      ...['VIETTELPOST_API_URL', 'VIETTELPOST_USERNAME', 'VIETTELPOST_PASSWORD', 'VIETTELPOST_WEBHOOK_TOKEN'],
      ...['VIETTELPOST_AREA_CODES', 'VIETTELPOST_GROUPADDRESS_ID', 'VIETTELPOST_SERVICE'],
      ...['GOSEND_API_URL', 'GOSEND_CLIENT_ID', 'GOSEND_PASS_KEY', 'GOSEND_MARKET'],
      ...['GOSEND_WEBHOOK_AUTH_TOKEN', 'GOSEND_WEBHOOK_AUTH_HEADER'],
    ],
  },
  {
    name: 'payment',
    description:
      'Payments of orders on MoMo, VNPay, Stripe and cash on delivery: hold, capture less, void, refund, never twice (operations recorded with their idempotency keys before they are sent); verified provider notifications; COD settled from carrier collections; emits payment events.',
    trigger: 'http+cloudevent',
    // A payment list per order is GET /payments?order_id= (the order function will own /orders).
    routes: ['/payments', '/payment'],
    webhooks: ['/payment'],
    subscriptions: [
      // The rider collected the cash: the order's COD payment is settled (deduplicated by delivery).
      { type: 'io.tuoi.delivery.cod.collected.v1' },
      // The checkout saga: create an order's payment, capture its final amount, void or refund it.
      { type: 'io.tuoi.order.saga.payment-requested.v1' },
    ],
    // Checkout pays on every order: no cold start there.
    scaling: 'always-on',
    host: 'lean',
    schema: 'payment',
    // Hooks: each MoMo and VNPay payment names its notification (IPN) URL on the webhook host.
    uses: ['postgres', 'jwks', 'hooks'],
    // Provider accounts: a rail is offered once its keys are in payment-secrets.
    optionalSecrets: [
      ...['MOMO_API_URL', 'MOMO_PARTNER_CODE', 'MOMO_ACCESS_KEY', 'MOMO_SECRET_KEY'],
      ...['VNPAY_PAY_URL', 'VNPAY_API_URL', 'VNPAY_TMN_CODE', 'VNPAY_HASH_SECRET'],
      ...['STRIPE_API_BASE', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
    ],
  },
  {
    name: 'order',
    description:
      'Checkout and orders: the checkout saga (price, stock, window and coupons together, then payment; compensated in reverse on any refusal, timeout or cancel), picking with substitutions, the final capture, delivery and pickup, refunds, the order lifecycle, reads; emits order events and saga commands.',
    trigger: 'http+cloudevent',
    routes: ['/checkout', '/orders', '/me/orders'],
    subscriptions: [
      // The saga's replies: each applied once under the order's row lock, in any order.
      { type: 'io.tuoi.inventory.saga.replied.v1' },
      { type: 'io.tuoi.delivery.saga.replied.v1' },
      { type: 'io.tuoi.promotions.saga.replied.v1' },
      { type: 'io.tuoi.payment.saga.replied.v1' },
      // The order's trip: booked, on the way, delivered or returned; a pickup ready and collected.
      { type: 'io.tuoi.delivery.booked.v1' },
      { type: 'io.tuoi.delivery.status.changed.v1' },
      { type: 'io.tuoi.delivery.pickup.ready.v1' },
      { type: 'io.tuoi.delivery.pickup.collected.v1' },
      // The customer paid, or did not: the saga confirms or cancels.
      { type: 'io.tuoi.payment.authorised.v1' },
      { type: 'io.tuoi.payment.captured.v1' },
      { type: 'io.tuoi.payment.failed.v1' },
      { type: 'io.tuoi.payment.expired.v1' },
    ],
    // Checkout is the buying path: no cold start there.
    scaling: 'always-on',
    host: 'lean',
    schema: 'orders',
    // Firestore: the live tracking view, one document per order (tracking.ts). Shop: payment pages
    // send the customer back to its order page there.
    uses: ['postgres', 'firestore', 'jwks', 'shop'],
    // Its service client at the user function (users:introspect: checkout needs a live session).
    secrets: ['ORDER_CLIENT_SECRET'],
    // Pre-flight reads at POST /checkout (before the saga starts), with the customer's own token.
    env: {
      ORDER_CART_URL: 'http://cart.tuoi.svc.cluster.local',
      ORDER_USER_URL: 'http://user.tuoi.svc.cluster.local',
      ORDER_DELIVERY_URL: 'http://delivery.tuoi.svc.cluster.local',
    },
  },
  {
    name: 'notification',
    description:
      'Bilingual email (SendGrid), SMS (Twilio) and in-app messages (Firestore feed) about accounts, orders, deliveries, pickups, payments and abandoned carts: at most once per (event, channel, recipient), retried with backoff then dead-lettered, quiet hours and per-customer preferences, verified delivery receipts.',
    trigger: 'http+cloudevent',
    routes: ['/me/notification-preferences', '/notifications', '/notification'],
    webhooks: ['/notification'],
    subscriptions: [
      // Account messages: the secret (a link token or a code) is sealed until it is sent.
      { type: 'io.tuoi.user.registered.v1' },
      { type: 'io.tuoi.user.verification-requested.v1' },
      { type: 'io.tuoi.user.password-reset-requested.v1' },
      { type: 'io.tuoi.user.account-exists.v1' },
      // Order messages; order.placed also records whose order it is (payment events name only the order).
      { type: 'io.tuoi.order.placed.v1' },
      { type: 'io.tuoi.order.confirmed.v1' },
      { type: 'io.tuoi.order.substitution.proposed.v1' },
      { type: 'io.tuoi.order.cancelled.v1' },
      { type: 'io.tuoi.order.refunded.v1' },
      { type: 'io.tuoi.delivery.slot.booked.v1' },
      { type: 'io.tuoi.delivery.status.changed.v1' },
      { type: 'io.tuoi.delivery.pickup.ready.v1' },
      { type: 'io.tuoi.payment.failed.v1' },
      // Marketing: only to customers who opted in.
      { type: 'io.tuoi.cart.abandoned.v1' },
    ],
    // Messages are bursty and nothing waits on them: no pod while there is nothing to send. Woken
    // every 5 minutes for what falls due on its own (retries, messages held for quiet hours).
    scaling: 'scale-to-zero',
    wake: '*/5 * * * *',
    // functions-framework's per-request domain cost a fifth of its CPU per message and a longer
    // cold start (scripts/bench/notification.ts): the lean host serves the same contract.
    host: 'lean',
    schema: 'notifications',
    // Shop: the links in messages (the basket, the order, account pages). Hooks: each SMS names
    // its Twilio status callback on the webhook host (Twilio signs the URL it called).
    uses: ['postgres', 'firestore', 'jwks', 'shop', 'hooks'],
    env: { NOTIFY_USER_URL: 'http://user.tuoi.svc.cluster.local' },
    // Its client at the user function (users:read) and the key that seals secrets while they wait.
    secrets: ['NOTIFY_CLIENT_SECRET', 'NOTIFY_SEAL_KEY'],
    // Provider accounts: a channel is used once its keys are in notification-secrets.
    optionalSecrets: [
      ...['SENDGRID_API_KEY', 'SENDGRID_WEBHOOK_PUBLIC_KEY', 'NOTIFY_EMAIL_FROM'],
      ...['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_MESSAGING_SERVICE_SID'],
    ],
  },
  {
    name: 'user',
    description:
      'Accounts (email or +84 phone), argon2id passwords, access JWTs with a JWKS and key rotation, rotating refresh tokens, profiles and addresses, staff administration; emits user events.',
    trigger: 'http',
    routes: ['/auth', '/me', '/users', '/.well-known'],
    subscriptions: [],
    // Sign-in is on every buyer's path and an argon2 verification is too slow to wait for a cold start.
    scaling: 'always-on',
    schema: 'users',
    uses: ['postgres', 'redis'],
    secrets: ['USERS_KEY_SECRET'],
    // In a cluster a varying number of proxies append to X-Forwarded-For before it (ingress,
    // activator, queue-proxy, gateway), all on private addresses: trust those networks, not a count.
    // A pod sees the node's cores, not its CPU request: bound the 19 MiB argon2 hashes it runs at once.
    env: {
      USERS_TRUSTED_PROXY_CIDRS: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,::1/128,fc00::/7',
      USERS_ARGON2_CONCURRENCY: '2',
    },
  },
  {
    name: 'storefront',
    description:
      'The shop: server-rendered English/Vietnamese pages (home, search, product, basket, one-page checkout with a slot calendar, live order tracking, account) built only on the public API through the gateway; serves every path no other function claims.',
    trigger: 'http',
    routes: ['/'],
    subscriptions: [],
    // First load matters on mobile networks: no cold start in front of a shopper.
    scaling: 'always-on',
    host: 'lean',
    uses: [],
    pages: true,
    env: { STOREFRONT_API_URL: 'http://gateway.tuoi.svc.cluster.local' },
  },
];

/**
 * Which host serves a function: functions that scale out run on the lean node:http host (same
 * contract, several times the requests per core in scripts/bench/http-host.ts), the rest on
 * @google-cloud/functions-framework, unless the registry names one. `make dev` and the Knative
 * Services both follow this.
 */
export function hostOf(fn: FunctionSpec): 'lean' | 'framework' {
  return fn.host ?? (fn.scaling === 'scale-out' ? 'lean' : 'framework');
}

/** A Trigger: one (function, subscribed type) pair with its resolved delivery spec. */
export interface TriggerSpec {
  name: string;
  subscriber: string;
  type: string;
  ordered: boolean;
  delivery: Delivery;
}

/** All triggers of the registry, named `<function>--<type without io.tuoi. and dots>`. */
export function triggers(functions: readonly FunctionSpec[] = registry): TriggerSpec[] {
  return functions.flatMap((fn) =>
    fn.subscriptions.map((sub) => ({
      name: `${fn.name}--${sub.type.replace(/^io\.tuoi\./, '').replace(/\./g, '-')}`,
      subscriber: fn.name,
      type: sub.type,
      ordered: sub.ordered ?? false,
      delivery: { ...DEFAULT_DELIVERY, ...sub.delivery },
    })),
  );
}

/**
 * The function that serves a request path (longest matching prefix), if any. The prefix `/` (the
 * shop's) matches every path, so it serves what no other prefix claims.
 */
export function functionForPath(
  path: string,
  functions: readonly FunctionSpec[] = registry,
): FunctionSpec | undefined {
  let best: { fn: FunctionSpec; len: number } | undefined;
  for (const fn of functions)
    for (const prefix of fn.routes)
      if (
        (prefix === '/' || path === prefix || path.startsWith(prefix + '/')) &&
        (!best || prefix.length > best.len)
      )
        best = { fn, len: prefix.length };
  return best?.fn;
}

/** Checks the registry's own consistency; returns the problems found (empty when sound). */
export function registryProblems(functions: readonly FunctionSpec[] = registry): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const prefixes = new Map<string, string>();
  for (const fn of functions) {
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(fn.name)) problems.push(`${fn.name}: name must be a DNS label`);
    if (names.has(fn.name)) problems.push(`${fn.name}: listed twice`);
    names.add(fn.name);
    const http = fn.trigger !== 'cloudevent';
    const events = fn.trigger !== 'http';
    if (http !== fn.routes.length > 0)
      problems.push(`${fn.name}: trigger ${fn.trigger} but ${fn.routes.length} routes`);
    if (events !== fn.subscriptions.length > 0)
      problems.push(`${fn.name}: trigger ${fn.trigger} but ${fn.subscriptions.length} subscriptions`);
    for (const prefix of fn.routes) {
      if (!/^\/[a-z0-9/.-]+$/.test(prefix) && !(prefix === '/' && fn.pages))
        problems.push(`${fn.name}: bad route prefix ${prefix}`);
      const owner = prefixes.get(prefix);
      if (owner) problems.push(`${fn.name}: route ${prefix} already belongs to ${owner}`);
      prefixes.set(prefix, fn.name);
    }
    for (const sub of fn.subscriptions)
      if (!contractFor(sub.type))
        problems.push(`${fn.name}: subscribes to ${sub.type}, which has no contract`);
    if (fn.schema && !/^[a-z_][a-z0-9_]*$/.test(fn.schema)) problems.push(`${fn.name}: bad schema name`);
    for (const hook of fn.webhooks ?? [])
      if (!fn.routes.includes(hook)) problems.push(`${fn.name}: webhook ${hook} is not one of its routes`);
    if (fn.uses.includes('hooks') && (fn.webhooks ?? []).length === 0)
      problems.push(`${fn.name}: uses hooks but declares no webhooks`);
    const body = fn.maxBodyBytes;
    if (body !== undefined && !(Number.isInteger(body) && body >= 1024 && body <= 32 * 1024 * 1024))
      problems.push(`${fn.name}: maxBodyBytes must be an integer from 1 KiB to 32 MiB`);
    if (fn.wake !== undefined && fn.scaling !== 'scale-to-zero')
      problems.push(`${fn.name}: only a function that scales to zero needs waking`);
    if (fn.wake !== undefined && !/^(\S+ ){4}\S+$/.test(fn.wake))
      problems.push(`${fn.name}: wake must be a five-field cron schedule`);
  }
  return problems;
}

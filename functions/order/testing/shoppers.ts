/**
 * Shoppers and staff on the running platform, for the checkout tests and benchmark: calls through
 * the gateway, a product stocked at a store, a delivery window with room, customers who have
 * signed up, saved an address and filled a cart. Everything goes through the public API.
 */
import { randomUUID } from 'node:crypto';
import { addDays, localDateOf } from '../../shared/vietnam-time';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An answer: its status, its JSON body (empty object for none) and its headers. */
export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** Calls the gateway at `base` as `token` (none: anonymous). */
export type Call = (
  method: string,
  path: string,
  opts?: { json?: unknown; token?: string; headers?: Record<string, string> },
) => Promise<Answer>;

/** A caller of the gateway at `base`, as `token` unless a call names another. */
export function caller(base: string, token = ''): Call {
  return async (method, path, opts = {}) => {
    const as = opts.token ?? token;
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(as ? { authorization: `Bearer ${as}` } : {}),
        ...opts.headers,
      },
      body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
  };
}

/** Runs `fn` over `items`, `width` at a time, keeping their order. */
export async function inPool<T, R>(
  items: readonly T[],
  width: number,
  fn: (t: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Staff create `product` and receive `quantity` of it at `location` once inventory has heard of
 * the product (its event travels through the router); throws when that takes over 20 s.
 */
export async function stocked(
  call: Call,
  staff: string,
  product: Json,
  quantity: number,
  location = 'ch-quan-1',
): Promise<{ sku: string; available: number }> {
  const sku = product.sku as string;
  const created = await call('POST', '/products', { json: product, token: staff });
  if (created.status !== 201) throw new Error(`product ${sku}: ${created.status}`);
  const lot = {
    lot_id: `lot-${sku}`,
    sku,
    location,
    quantity,
    expires_on: addDays(localDateOf(new Date()), 6),
  };
  for (const stop = Date.now() + 20_000; Date.now() < stop; await sleep(200))
    if ((await call('POST', '/stock/receive', { json: lot, token: staff })).status === 201)
      return { sku, available: quantity };
  throw new Error(`stock of ${sku} was not received`);
}

/** Replaces zone `zone`'s windows with one evening window of `capacity` places; its slot tomorrow. */
export async function eveningWindow(
  call: Call,
  staff: string,
  zone: string,
  capacity: number,
): Promise<string> {
  const cal = await call('GET', `/calendars/${zone}`);
  const put = await call('PUT', `/calendars/${zone}`, {
    json: {
      windows: [{ start: '18:00', end: '20:00', capacity, fee_vnd: 15_000 }],
      cutoff_minutes: 60,
      days_ahead: 3,
      closures: [],
    },
    token: staff,
    headers: { 'if-match': cal.headers.get('etag')! },
  });
  if (put.status !== 200) throw new Error(`calendar ${zone}: ${put.status}`);
  return `${zone}:${addDays(localDateOf(new Date()), 1)}:1800`;
}

/** A customer's address in Bến Thành (served by the dev zone hcm-quan-1); its id. */
export async function benThanhAddress(call: Call, token: string, n = 1): Promise<string> {
  const address = await call('POST', '/me/addresses', {
    json: {
      recipient: `Khách ${n}`,
      phone: '0901234567',
      street: `${n} Lê Lợi`,
      ward: 'Phường Bến Thành',
      province: 'ho-chi-minh',
    },
    token,
  });
  if (address.status !== 201) throw new Error(`address: ${address.status}`);
  return address.body.id as string;
}

/** A shopper ready to check out. */
export interface Buyer {
  token: string;
  cartId: string;
  addressId: string;
}

/** A new customer who signed up, saved an address in Bến Thành and put `qty` of `sku` in their cart. */
export async function newBuyer(call: Call, n: number, sku: string, qty: number): Promise<Buyer> {
  const email = `buyer-${n}-${randomUUID().slice(0, 8)}@example.vn`;
  const password = 'mật-khẩu-rất-dài-2026';
  const registered = await call('POST', '/auth/register', { json: { email, password } });
  if (registered.status !== 202) throw new Error(`register: ${registered.status}`);
  const token = (await call('POST', '/auth/login', { json: { identifier: email, password } })).body
    .access_token as string;
  const addressId = await benThanhAddress(call, token, n);
  const cart = (await call('GET', '/me/cart', { token })).body;
  const line = await call('POST', `/carts/${cart.id}/lines`, { json: { sku, qty }, token });
  if (line.status !== 200) throw new Error(`cart line: ${line.status}`);
  return { token, cartId: cart.id as string, addressId };
}

/** `buyer` checks out their cart for delivery in `slot`, paying with `method`. */
export function checkout(call: Call, buyer: Buyer, slot: string, method: string, key = randomUUID()) {
  return call('POST', '/checkout', {
    json: {
      cart_id: buyer.cartId,
      fulfilment: { kind: 'delivery', slot },
      address_id: buyer.addressId,
      payment_method: method,
    },
    token: buyer.token,
    headers: { 'idempotency-key': key },
  });
}

/** The MoMo simulator (infra/simulators) and the payment function's settings to use it. */
export const MOMO_SIM = `http://127.0.0.1:${process.env.SIM_MOMO_PORT ?? '58411'}`;
export const MOMO_ENV = {
  MOMO_API_URL: MOMO_SIM,
  MOMO_PARTNER_CODE: 'TUOISIM',
  MOMO_ACCESS_KEY: 'tuoi-sim-access',
  MOMO_SECRET_KEY: 'tuoi-sim-secret-key-000000000000',
};

/** Pulls one of the MoMo simulator's levers (`/_sim/...`), or reads it without a body. */
export async function momoSim(path: string, json?: unknown): Promise<Json> {
  const res = await fetch(`${MOMO_SIM}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return (await res.json()) as Json;
}

/** The VNPay simulator and the payment function's settings to use it. */
export const VNPAY_SIM = `http://127.0.0.1:${process.env.SIM_VNPAY_PORT ?? '58412'}`;
export const VNPAY_ENV = {
  VNPAY_PAY_URL: `${VNPAY_SIM}/paymentv2/vpcpay.html`,
  VNPAY_API_URL: `${VNPAY_SIM}/merchant_webapi/api/transaction`,
  VNPAY_TMN_CODE: 'TUOISIM1',
  VNPAY_HASH_SECRET: 'tuoi-sim-vnpay-hash-secret',
};

/** The Stripe simulator and the payment function's settings to use it. */
export const STRIPE_SIM = `http://127.0.0.1:${process.env.SIM_STRIPE_PORT ?? '58413'}`;
export const STRIPE_ENV = {
  STRIPE_API_BASE: STRIPE_SIM,
  STRIPE_SECRET_KEY: 'sk_test_tuoi',
  STRIPE_WEBHOOK_SECRET: 'whsec_tuoi_order_0123456789',
};

/** Pulls a simulator's levers: a JSON POST to `base` + path. */
export const simPost =
  (base: string) =>
  (path: string, json: unknown): Promise<Response> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });

/** Resets the MoMo, VNPay and Stripe simulators and points their notifications at the gateway `gw`. */
export async function paymentSimulatorsTo(gw: string): Promise<void> {
  const stripe = simPost(STRIPE_SIM);
  const vnpay = simPost(VNPAY_SIM);
  await momoSim('/_sim/reset', {});
  await momoSim('/_sim/config', { ipn_url: `${gw}/payment/webhooks/momo` });
  await stripe('/_sim/reset', {});
  await stripe('/_sim/config', {
    webhook_url: `${gw}/payment/webhooks/stripe`,
    webhook_secret: STRIPE_ENV.STRIPE_WEBHOOK_SECRET,
  });
  await vnpay('/_sim/reset', {});
  await vnpay('/_sim/config', { ipn_url: `${gw}/payment/webhooks/vnpay` });
}

/** Stops the payment simulators notifying a gateway that is going away. */
export async function paymentSimulatorsOff(): Promise<void> {
  await momoSim('/_sim/config', { ipn_url: '' }).catch(() => undefined);
  await simPost(VNPAY_SIM)('/_sim/config', { ipn_url: '' }).catch(() => undefined);
  await simPost(STRIPE_SIM)('/_sim/config', { webhook_url: '' }).catch(() => undefined);
}

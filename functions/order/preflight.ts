/**
 * What `POST /checkout` reads before the saga starts, with the customer's own token, through the
 * shared outbound client (timeouts, a retry for these safe reads, a breaker per peer): the cart
 * (cart function), the delivery address (user), the chosen window's day (delivery: its serving
 * store, fee and whether it is still open, and — for an address — whether the address lies in the
 * window's zone), and the customer's own hold of it when they made one. These are reads: nothing
 * is held until the saga's commands are sent, so a checkout refused here leaves nothing behind.
 */
import { ForbiddenError, NotFoundError, TransientError, ValidationError } from '../shared/errors';
import { createOutboundClient, type OutboundClient } from '../shared/outbound';

/** A cart line as the cart function answers it. */
export interface CartLineView {
  sku: string;
  name_en: string | null;
  name_vi: string | null;
  sold_by: 'piece' | 'weight' | null;
  qty?: number;
  grams?: number;
  note?: string;
  substitution: { mode: 'best_match' } | { mode: 'specific'; skus: string[] } | { mode: 'none' };
  flags: { not_on_sale: boolean };
}

/** The cart as the cart function answers it. */
export interface CartView {
  id: string;
  status: string;
  owner: { kind: 'customer'; customer_id: string } | { kind: 'guest' };
  lines: CartLineView[];
  coupons: string[];
}

/** One window of a day. */
export interface WindowView {
  id: string;
  starts_at: string;
  ends_at: string;
  fee_vnd: number;
  remaining: number;
  status: 'available' | 'few_left' | 'full' | 'closed';
}

/** A calendar's day as delivery answers it. */
export interface DayView {
  calendar: string;
  kind: 'delivery' | 'pickup';
  location: string;
  date: string;
  closed: { en: string; vi: string } | null;
  windows: WindowView[];
}

/** A hold as delivery answers it. */
export interface HoldView {
  id: string;
  slot: string;
  state: string;
  expires_at: string;
}

/** What the order needs of a catalog product. */
export interface ProductView {
  sku: string;
  name_en: string;
  name_vi: string | null;
  sold_by: 'piece' | 'weight';
  status?: string;
}

/** A peer's answer, or that it had nothing (404) or refused the question (4xx, with its problem). */
export type Answer<T> =
  { ok: true; value: T } | { ok: false; status: number; problem: Record<string, unknown> };

/** The reads. */
export interface Preflight {
  cart(authorization: string, id: string): Promise<Answer<CartView>>;
  address(authorization: string, id: string): Promise<Answer<Record<string, unknown>>>;
  day(
    authorization: string,
    q: { address_id: string; date: string } | { pickup: string; date: string },
  ): Promise<Answer<DayView>>;
  hold(authorization: string, id: string): Promise<Answer<HoldView>>;
  /** A product's names and how it is sold (a substitute the picker names). */
  product(authorization: string, sku: string): Promise<Answer<ProductView>>;
  close(): void;
}

async function read<T>(client: OutboundClient, path: string, authorization: string): Promise<Answer<T>> {
  const res = await client.request({ method: 'GET', path, headers: { authorization } });
  if (res.status === 200) {
    try {
      return { ok: true, value: res.json<T>() };
    } catch {
      throw new TransientError(`${path}: the answer is not JSON`);
    }
  }
  if (res.status >= 400 && res.status < 500) {
    let problem: Record<string, unknown> = {};
    try {
      problem = res.json<Record<string, unknown>>();
    } catch {
      problem = { detail: res.text.slice(0, 200) };
    }
    return { ok: false, status: res.status, problem };
  }
  // 5xx and timeouts are thrown by the client (503); any other answer is the peer's fault too.
  throw new TransientError(`${path}: unexpected ${res.status}`);
}

/** The pre-flight reads over HTTP. */
export function httpPreflight(
  urls: { cart: string; user: string; delivery: string; catalog: string },
  timeoutMs: number,
): Preflight {
  const client = (provider: string, baseUrl: string) =>
    createOutboundClient({ provider, baseUrl, timeoutMs, retries: 1 });
  const cart = client('cart', urls.cart);
  const user = client('user', urls.user);
  const delivery = client('delivery', urls.delivery);
  const catalog = client('catalog', urls.catalog);
  const q = encodeURIComponent;
  return {
    // Lines only: the saga prices and reserves; the checkout must not wait on promotions or inventory.
    cart: (auth, id) => read(cart, `/carts/${q(id)}?view=lines`, auth),
    address: (auth, id) => read(user, `/me/addresses/${q(id)}`, auth),
    day: (auth, query) =>
      read(
        delivery,
        'address_id' in query
          ? `/slots?address_id=${q(query.address_id)}&date=${q(query.date)}`
          : `/slots?pickup=${q(query.pickup)}&date=${q(query.date)}`,
        auth,
      ),
    hold: (auth, id) => read(delivery, `/slot-holds/${q(id)}`, auth),
    product: (auth, sku) => read(catalog, `/products/${q(sku)}`, auth),
    close() {
      catalog.close();
      cart.close();
      user.close();
      delivery.close();
    },
  };
}

/** A peer's refusal as our own answer (its status and detail; ours is the request that failed). */
export function peerRefusal(what: string, field: string, a: Extract<Answer<unknown>, { ok: false }>): never {
  const detail = typeof a.problem.detail === 'string' ? a.problem.detail : `${what} was refused`;
  const code = typeof a.problem.code === 'string' ? a.problem.code : 'refused';
  if (a.status === 404) throw new NotFoundError(`No such ${what}`, { field });
  if (a.status === 401 || a.status === 403) throw new ForbiddenError(`The ${what} is not yours`);
  throw new ValidationError(detail, [{ field, code, message: detail }]);
}

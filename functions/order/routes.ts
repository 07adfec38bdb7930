/**
 * HTTP routes of the order function. A signed-in customer checks out (`POST /checkout` with an
 * Idempotency-Key; 202 and the order at once, or after `Prefer: wait=N` once it rests), reads
 * their orders and cancels one before it is confirmed; staff (orders:read) list and read any
 * order and its saga log.
 */
import { Type, type Static } from '@sinclair/typebox';
import { hasScope, type Principal } from '../shared/auth/principal';
import { requireLiveSession, type SessionCheck } from '../shared/auth/session-check';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { route, type HttpRequest, type Route } from '../shared/http';
import { hashRequest } from '../shared/idempotency';
import { CUSTOMER_CANCELLED, orderView, type Rail } from './model';
import type { OrderLine, OrderRow } from './order-store';
import type { CheckoutRequest, OrderUseCases } from './orders';
import { peerRefusal, type CartView, type Preflight } from './preflight';
import { fulfilmentRoutes } from './fulfilment-routes';
import { CheckoutBody, IdParam, LangQuery, MyOrdersQuery, StaffOrdersQuery } from './schemas';
import { OrderPage, OrderView, SagaView } from './views';

/** What the routes need. */
export interface OrderRouteDeps {
  orders: OrderUseCases;
  preflight: Preflight;
  sessions: SessionCheck;
  /** Payment methods this deployment offers. */
  rails: readonly Rail[];
  /** The longest `Prefer: wait` honoured, in seconds. */
  maxWaitS: number;
}

const KEY = /^[\x21-\x7e]{8,200}$/;

const encodeCursor = (o: OrderRow) =>
  Buffer.from(JSON.stringify([o.created_at.toISOString(), o.id])).toString('base64url');
function decodeCursor(cursor: string | undefined): { at: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string') return { at, id };
  } catch {
    // falls through
  }
  throw new ValidationError('The cursor is not one this API gave', [
    { field: '/query/cursor', code: 'cursor', message: 'Use the next cursor of the previous page' },
  ]);
}

/** `Prefer: wait=N` (RFC 7240), capped; undefined when absent. */
export function preferWait(header: string | undefined, maxS: number): number | undefined {
  if (!header) return undefined;
  const m = /(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?/i.exec(header);
  return m ? Math.min(Number(m[1]), maxS) : undefined;
}

/** A pre-flight read's answer, or its failure thrown where that answer is needed. */
function outcome<T>(read: PromiseSettledResult<T>): T {
  if (read.status === 'rejected') throw read.reason;
  return read.value;
}

/** The order lines from the cart: every line on sale, with its names and substitution choice. */
function linesOf(cart: CartView): OrderLine[] {
  const off = cart.lines.filter((l) => l.flags.not_on_sale).map((l) => l.sku);
  if (off.length)
    throw new ConflictError(`Some items are no longer sold: ${off.join(', ')}; remove them first`, {
      code: 'not_on_sale',
      skus: off,
    });
  return cart.lines.map((l) => ({
    sku: l.sku,
    name: { en: l.name_en ?? l.sku, vi: l.name_vi ?? l.name_en ?? l.sku },
    sold_by: l.sold_by ?? (l.grams !== undefined ? 'weight' : 'piece'),
    ...(l.qty !== undefined ? { qty: l.qty } : {}),
    ...(l.grams !== undefined ? { grams: l.grams } : {}),
    substitution: l.substitution,
    ...(l.note !== undefined ? { note: l.note } : {}),
  }));
}

/** The HTTP routes. */
export function orderRoutes(deps: OrderRouteDeps, check: Verifier): Route[] {
  const { orders, preflight } = deps;
  const mayRead = (p: Principal, o: OrderRow) => o.customer_id === p.sub || hasScope(p, 'orders:read');
  const own = async (req: HttpRequest<unknown, unknown>) => {
    const order = await orders.get(req.params.id!);
    if (!order || !mayRead(req.auth!, order)) throw new NotFoundError('No such order');
    return order;
  };
  const langOf = (req: HttpRequest<unknown, unknown>) =>
    ((req.query as { lang?: 'en' | 'vi' } | undefined)?.lang ?? req.lang) as 'en' | 'vi';

  /** Reads what the checkout needs and turns it into the saga's request, or refuses with why. */
  async function prepare(
    req: HttpRequest<unknown, unknown>,
    b: Static<typeof CheckoutBody>,
    key: string,
  ): Promise<CheckoutRequest> {
    const auth = req.headers.authorization!;
    const customerId = req.auth!.sub;
    const [calendar, date] = b.fulfilment.slot.split(':') as [string, string];
    const pickup = b.fulfilment.kind === 'pickup';
    if (pickup !== calendar.startsWith('pickup-'))
      throw new ValidationError('That window is not a ' + (pickup ? 'pickup' : 'delivery') + ' window', [
        {
          field: '/fulfilment/slot',
          code: 'kind',
          message: `${b.fulfilment.slot} does not match ${b.fulfilment.kind}`,
        },
      ]);
    if (!pickup && !b.address_id)
      throw new ValidationError('Delivery needs one of your addresses', [
        { field: '/address_id', code: 'required', message: 'address_id is required for delivery' },
      ]);
    if (pickup && b.address_id)
      throw new ValidationError('A pickup has no delivery address', [
        { field: '/address_id', code: 'unexpected', message: 'Leave address_id out for pickup' },
      ]);
    // The reads run together, but each is looked at in this order, a failed read where its answer
    // is needed: a cart or address that is not the caller's is refused as such even when a later
    // read failed meanwhile (delivery resolves the address too, and may fail on one it cannot read).
    const [cartRead, dayRead, addressRead, holdRead] = await Promise.allSettled([
      preflight.cart(auth, b.cart_id),
      preflight.day(
        auth,
        pickup ? { pickup: calendar.slice('pickup-'.length), date } : { address_id: b.address_id!, date },
      ),
      pickup ? undefined : preflight.address(auth, b.address_id!),
      b.fulfilment.hold_id ? preflight.hold(auth, b.fulfilment.hold_id) : undefined,
    ]);
    const cart = outcome(cartRead);
    if (!cart.ok) peerRefusal('cart', '/cart_id', cart);
    const c = cart.value;
    if (c.owner.kind !== 'customer' || c.owner.customer_id !== customerId)
      throw new NotFoundError('No such cart', { field: '/cart_id' });
    if (c.status !== 'active')
      throw new ConflictError(`This cart is ${c.status.replace('_', ' ')}`, { code: 'cart_not_active' });
    if (c.lines.length === 0)
      throw new ValidationError('The cart is empty', [
        { field: '/cart_id', code: 'empty', message: 'Add items first' },
      ]);
    const address = outcome(addressRead);
    if (address && !address.ok) peerRefusal('address', '/address_id', address);
    const day = outcome(dayRead);
    if (!day.ok)
      peerRefusal(pickup ? 'store' : 'delivery zone', pickup ? '/fulfilment/slot' : '/address_id', day);
    if (day.value.calendar !== calendar)
      throw new ValidationError('That window is not in the zone that serves this address', [
        {
          field: '/fulfilment/slot',
          code: 'zone',
          message: `${day.value.calendar} serves this address, not ${calendar}`,
        },
      ]);
    const window = day.value.windows.find((w) => w.id === b.fulfilment.slot);
    if (!window)
      throw new ValidationError('No such window on that day', [
        { field: '/fulfilment/slot', code: 'unknown', message: `${b.fulfilment.slot} is not offered` },
      ]);
    const hold = outcome(holdRead);
    if (hold) {
      if (!hold.ok) peerRefusal('hold', '/fulfilment/hold_id', hold);
      if (
        hold.value.slot !== b.fulfilment.slot ||
        hold.value.state !== 'held' ||
        Date.parse(hold.value.expires_at) <= Date.now()
      )
        throw new ConflictError(
          'Your hold of that window has lapsed or is for another window; choose again',
          {
            code: 'hold_expired',
          },
        );
    } else if (window.status === 'full' || window.status === 'closed')
      throw new ConflictError(
        window.status === 'full'
          ? 'That window is full; choose another'
          : 'That window is closed for booking',
        { code: `slot_${window.status}` },
      );
    const lines = linesOf(c);
    return {
      customerId,
      idempotencyKey: key,
      requestHash: hashRequest(b),
      lang: b.lang ?? req.lang,
      cartId: c.id,
      location: day.value.location,
      fulfilment: {
        kind: b.fulfilment.kind,
        slot: b.fulfilment.slot,
        ...(b.fulfilment.hold_id ? { hold_id: b.fulfilment.hold_id } : {}),
        window: {
          starts_at: window.starts_at,
          ends_at: window.ends_at,
          fee_vnd: pickup ? 0 : window.fee_vnd,
        },
        ...(address?.ok ? { address: address.value } : {}),
      },
      lines,
      coupons: c.coupons,
      rail: b.payment_method,
    };
  }

  return [
    guarded(
      check,
      {},
      route({
        method: 'POST',
        path: '/checkout',
        body: CheckoutBody,
        doc: {
          summary: 'Check out a cart: place an order',
          description:
            "A signed-in customer with a live session, and an `Idempotency-Key` header (8–200 visible characters, new per checkout): the same key and request again answers the same order, the same key with another request is a 409. Answers 202 with the order at once, or with `Prefer: wait=N` once its saga rests (the customer must pay, or it is confirmed or cancelled) or N seconds passed. The cart, address, window and hold are checked first: a cart or hold not the caller's is a 404 or 403, a cart not active, a full or closed window or a lapsed hold a 409.",
          responses: {
            202: {
              description: 'The order, placed (its saga runs on)',
              body: OrderView,
              headers: {
                location: 'The order: `/orders/{id}`',
                'preference-applied': 'The wait honoured, `wait=N`, when `Prefer: wait` was sent',
              },
            },
          },
          problems: [403, 404, 409, 503],
          headers: {
            'Idempotency-Key': {
              description: 'New per checkout, 8–200 visible ASCII characters; the same key replays the order',
              required: true,
              schema: Type.String({ pattern: '^[\\x21-\\x7e]{8,200}$' }),
            },
            Prefer: {
              description:
                '`wait=N`: answer once the saga rests or N seconds passed (N is capped by the server)',
              schema: Type.String({ pattern: '^wait=\\d{1,2}$' }),
            },
          },
        },
        async handle(req) {
          const p = req.auth!;
          if (p.kind !== 'user') throw new ForbiddenError('Only a signed-in customer checks out');
          await requireLiveSession(deps.sessions, p, req.headers);
          const key = req.headers['idempotency-key'];
          if (!key || !KEY.test(key))
            throw new ValidationError('An Idempotency-Key header (8–200 visible characters) is required', [
              { field: '/headers/idempotency-key', code: 'required', message: 'Send a new key per checkout' },
            ]);
          const b = req.body as Static<typeof CheckoutBody>;
          if (!deps.rails.includes(b.payment_method))
            throw new ValidationError(`${b.payment_method} is not offered`, [
              { field: '/payment_method', code: 'enum', message: `Offered: ${deps.rails.join(', ')}` },
            ]);
          const replay = await orders.replayOf(p.sub, key, hashRequest(b));
          const { order } = replay ?? (await orders.checkout(await prepare(req, b, key)));
          const wait = preferWait(req.headers.prefer, deps.maxWaitS);
          const shown = wait ? ((await orders.waitForRest(order.id, wait * 1000)) ?? order) : order;
          return {
            status: 202,
            headers: {
              location: `/orders/${order.id}`,
              ...(wait !== undefined ? { 'preference-applied': `wait=${wait}` } : {}),
            },
            body: orderView(shown, req.lang),
          };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'GET',
        path: '/me/orders',
        query: MyOrdersQuery,
        doc: {
          summary: 'Your orders, newest first',
          description:
            "Pages of `limit` (20 by default); pass the answer's `next` as `cursor` for the next page.",
          responses: { 200: { description: 'A page of your orders', body: OrderPage } },
        },
        async handle(req) {
          const q = req.query as Static<typeof MyOrdersQuery>;
          const limit = Number(q.limit ?? 20);
          const rows = await orders.page({ customerId: req.auth!.sub }, limit + 1, decodeCursor(q.cursor));
          const page = rows.slice(0, limit);
          return {
            status: 200,
            headers: { 'cache-control': 'private, no-store' },
            body: {
              items: page.map((o) => orderView(o, langOf(req))),
              next: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
            },
          };
        },
      }),
    ),
    guarded(
      check,
      { scope: 'orders:read' },
      route({
        method: 'GET',
        path: '/orders',
        query: StaffOrdersQuery,
        doc: {
          summary: 'Orders, newest first, by status, store or window',
          description:
            "Pages of `limit` (50 by default); pass the answer's `next` as `cursor` for the next page.",
          responses: { 200: { description: 'A page of orders', body: OrderPage } },
        },
        async handle(req) {
          const q = req.query as Static<typeof StaffOrdersQuery>;
          const limit = Number(q.limit ?? 50);
          const rows = await orders.page(
            {
              ...(q.status ? { status: q.status } : {}),
              ...(q.location ? { location: q.location } : {}),
              ...(q.slot ? { slot: q.slot } : {}),
            },
            limit + 1,
            decodeCursor(q.cursor),
          );
          const page = rows.slice(0, limit);
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: {
              items: page.map((o) => orderView(o, langOf(req))),
              next: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
            },
          };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'GET',
        path: '/orders/:id',
        params: IdParam,
        query: LangQuery,
        doc: {
          summary: 'An order',
          description: "The order's customer, or a caller with orders:read; anyone else gets 404.",
          responses: { 200: { description: 'The order', body: OrderView } },
          problems: [404],
        },
        async handle(req) {
          return {
            status: 200,
            headers: { 'cache-control': 'private, no-store' },
            body: orderView(await own(req), langOf(req)),
          };
        },
      }),
    ),
    guarded(
      check,
      { scope: 'orders:read' },
      route({
        method: 'GET',
        path: '/orders/:id/saga',
        params: IdParam,
        doc: {
          summary: "An order's checkout saga: its state and every step it took",
          responses: { 200: { description: 'The saga', body: SagaView } },
          problems: [404],
        },
        async handle(req) {
          const order = await own(req);
          const log = await orders.log(order.id);
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: { order_id: order.id, state: order.saga, log },
          };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'POST',
        path: '/orders/:id/cancel',
        params: IdParam,
        doc: {
          summary: 'Cancel an order',
          description:
            "The order's customer, before picking starts; or staff with orders:fulfil, a confirmed order until it is packed. Others who may read it get 403, anyone else 404. An order past that point is a 409.",
          responses: { 200: { description: 'The cancelled order', body: OrderView } },
          problems: [403, 404, 409],
        },
        async handle(req) {
          const order = await own(req);
          if (order.customer_id !== req.auth!.sub && !hasScope(req.auth!, 'orders:fulfil'))
            throw new ForbiddenError('Only the customer or staff cancel an order');
          // Staff cancel a confirmed order until it is packed; the customer only before picking.
          const byStore = order.customer_id !== req.auth!.sub && order.saga.phase === 'confirmed';
          const cancelled = byStore
            ? await orders.after.cancel(order.id, 'store')
            : await orders.cancel(order.id, CUSTOMER_CANCELLED);
          if (!cancelled) throw new NotFoundError('No such order');
          return { status: 200, body: orderView(cancelled, req.lang) };
        },
      }),
    ),
    ...fulfilmentRoutes(deps, check, own),
  ];
}

/**
 * HTTP routes of the cart function. A guest cart opens with its token (`X-Cart-Token`), a
 * customer's with their access token; staff (`carts:read`) may read any cart but change none. A
 * cart another caller may not open is a 404, so ids cannot be probed. Every answer, writes
 * included, is the priced view (view.ts) with an ETag `"c<version>"`; writes take an optional
 * If-Match.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LOCATION_PATTERN, SKU_PATTERN } from '../../events';
import { hasScope, type Principal } from '../shared/auth/principal';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { ifMatchVersion, route, type HttpRequest, type HttpResponse, type Route } from '../shared/http';
import { tokenOpens, type CartUseCases } from './carts';
import type { StockReader } from './clients';
import {
  addCoupon,
  addToLine,
  removeCoupon,
  removeLine,
  setFulfilment,
  setLine,
  type LineInput,
  type Outcome,
} from './domain';
import type { Cart, Fulfilment } from './model';
import type { ProductInfo } from './ports';
import { CartView, cartView, type ViewSources } from './view';

/** What the routes need. */
export interface CartDeps {
  carts: CartUseCases;
  view: ViewSources;
  stock: StockReader;
  products(skus: readonly string[]): Promise<Map<string, ProductInfo>>;
}

const CART_ID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const IdParam = Type.Object({ id: Type.String({ pattern: CART_ID }) });
const LineParam = Type.Object({
  id: Type.String({ pattern: CART_ID }),
  sku: Type.String({ pattern: SKU_PATTERN }),
});
const CouponParam = Type.Object({
  id: Type.String({ pattern: CART_ID }),
  code: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9-]{1,30}[A-Za-z0-9]$' }),
});
const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('vi')])) },
  { additionalProperties: false },
);
/** A cart read may ask for its lines only (`view=lines`: no quote, no stock), as checkout does. */
const ReadQuery = Type.Object(
  {
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('vi')])),
    view: Type.Optional(Type.Literal('lines')),
  },
  { additionalProperties: false },
);
const Note = Type.String({ maxLength: 200, pattern: '^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$' });
const Substitution = Type.Union([
  Type.Object({ mode: Type.Literal('best_match') }, { additionalProperties: false }),
  Type.Object({ mode: Type.Literal('none') }, { additionalProperties: false }),
  Type.Object(
    {
      mode: Type.Literal('specific'),
      skus: Type.Array(Type.String({ pattern: SKU_PATTERN }), {
        minItems: 1,
        maxItems: 3,
        uniqueItems: true,
      }),
    },
    { additionalProperties: false },
  ),
]);
const lineFields = {
  qty: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000 })),
  grams: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  note: Type.Optional(Type.Union([Note, Type.Null()])),
  substitution: Type.Optional(Type.Union([Substitution, Type.Null()])),
};
export const AddLineBody = Type.Object(
  { sku: Type.String({ pattern: SKU_PATTERN }), ...lineFields },
  { additionalProperties: false },
);
export const SetLineBody = Type.Object(lineFields, { additionalProperties: false, minProperties: 1 });
export const FulfilmentBody = Type.Union([
  Type.Object(
    { kind: Type.Literal('pickup'), location: Type.String({ pattern: LOCATION_PATTERN }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('delivery'),
      zone: Type.String({ pattern: LOCATION_PATTERN }),
      address_id: Type.Optional(Type.String({ format: 'uuid' })),
    },
    { additionalProperties: false },
  ),
]);

const TAGGED = { etag: 'The cart\'s version, `"c<n>"`, for If-Match' };
/** Who may open a cart (`mayOpen`), for the documents. */
const OPENS = {
  required: false,
  note:
    "a guest cart opens with its X-Cart-Token header, a customer's with that customer's token; " +
    'a caller with carts:read may read any cart; anyone else gets a 404',
};
const WRITES = {
  required: false,
  note: "the cart's owner only: its X-Cart-Token (guest) or its customer's token; anyone else gets a 404",
};
const WRITE_RULES =
  'If-Match (optional) takes the ETag `"c<n>"`; a stale one is a 412. A cart that was merged or checked ' +
  'out takes no more changes (409, with `merged_into` when merged). A forged or expired token is a 401.';
/** The guest token header that opens a guest cart. */
const CART_TOKEN = {
  'X-Cart-Token': {
    description: 'The token of a guest cart (from POST /carts): opens that cart without signing in',
  },
};
const AFTER_WRITE = { 200: { description: 'The cart after the change', headers: TAGGED, body: CartView } };

/** The version an If-Match header asks for (`"c3"`), undefined without one or for `*`. */
export const expectedVersion = (header: string | undefined): number | undefined =>
  ifMatchVersion(header, 'c');

/** Whether `caller` (with the guest `token`) may open `cart`; writes also need to be its owner. */
export function mayOpen(
  cart: Cart,
  caller: Principal | undefined,
  token: string | undefined,
  write: boolean,
): boolean {
  if (cart.owner.kind === 'guest' ? tokenOpens(cart, token) : caller?.sub === cart.owner.customer_id)
    return true;
  return !write && hasScope(caller, 'carts:read');
}

function failed(outcome: Exclude<Outcome, { ok: true }>): never {
  switch (outcome.kind) {
    case 'invalid':
      throw new ValidationError('The change is not valid; nothing changed', outcome.errors);
    case 'not-found':
      throw new NotFoundError(outcome.message);
    case 'closed':
      throw new ConflictError(outcome.message, outcome.mergedInto ? { merged_into: outcome.mergedInto } : {});
  }
}

/** Every route of the function. */
export function cartRoutes(deps: CartDeps, check: Verifier): Route[] {
  const respond = async (
    req: HttpRequest<unknown, unknown>,
    cart: Cart,
    status = 200,
    extra: Record<string, unknown> = {},
    known?: ReadonlyMap<string, ProductInfo>,
    linesOnly = false,
  ): Promise<HttpResponse> => ({
    status,
    headers: { etag: `"c${cart.version}"`, 'cache-control': 'private, no-store' },
    body: {
      ...(await cartView(deps.view, cart, {
        lang: req.lang,
        authorization: req.auth ? req.headers.authorization : undefined,
        subject: req.auth?.sub,
        ...(known ? { known } : {}),
        linesOnly,
      })),
      ...extra,
    },
  });

  /** The cart the caller may open, else 404 (never "exists but not yours"). */
  const opened = async (req: HttpRequest<unknown, unknown>, write: boolean): Promise<Cart> => {
    req.auth ??= await check.optional(req.headers);
    const id = (req.params as { id: string }).id;
    const cart = await deps.carts.get(id);
    if (!cart || !mayOpen(cart, req.auth, req.headers['x-cart-token'], write))
      throw new NotFoundError(`No cart ${id}`);
    return cart;
  };

  /** Opens the cart for writing and applies `rule` in the compare-and-set loop. */
  const change = async (
    req: HttpRequest<unknown, unknown>,
    rule: (cart: Cart, products: Map<string, ProductInfo>) => Outcome,
    skus: string[] = [],
  ) => {
    const cart = await opened(req, true);
    // One read serves the rule (the SKUs it names) and the view (every line of the cart read).
    const products = await deps.products([...new Set([...skus, ...cart.lines.map((l) => l.sku)])]);
    const outcome = await deps.carts.mutate(
      cart.id,
      (c) => rule(c, products),
      expectedVersion(req.headers['if-match']),
      cart,
    );
    if (!outcome.ok) failed(outcome);
    return respond(req, outcome.cart, 200, {}, products);
  };

  const lineInput = (b: Static<typeof SetLineBody>): LineInput => ({
    ...(b.qty !== undefined ? { qty: b.qty } : {}),
    ...(b.grams !== undefined ? { grams: b.grams } : {}),
    ...(b.note !== undefined ? { note: b.note } : {}),
    ...(b.substitution !== undefined ? { substitution: b.substitution } : {}),
  });
  const substitutes = (b: Static<typeof SetLineBody>) =>
    b.substitution?.mode === 'specific' ? b.substitution.skus : [];
  const now = () => new Date().toISOString();

  return [
    route({
      method: 'POST',
      path: '/carts',
      query: LangQuery,
      auth: {
        required: false,
        note: "with a customer's token: that customer's cart; without one: a new guest cart",
      },
      doc: {
        summary: "Open a cart: a new guest cart, or the signed-in customer's own",
        description:
          'A guest gets a new cart and its token (in the body and in X-Cart-Token): send it back as ' +
          'X-Cart-Token to open the cart. A customer gets their current cart (created if they have none). ' +
          'A forged or expired token is a 401.',
        responses: {
          201: {
            description: 'A new guest cart with its token',
            headers: {
              ...TAGGED,
              'x-cart-token': 'The guest token that opens the cart',
              location: 'The cart: `/carts/{id}`',
            },
            body: Type.Composite([CartView, Type.Object({ token: Type.String() })]),
          },
          200: { description: "The signed-in customer's cart", headers: TAGGED, body: CartView },
        },
        problems: [401],
      },
      async handle(req) {
        const caller = await check.optional(req.headers);
        if (caller?.kind === 'user') {
          req.auth = caller;
          return respond(req, await deps.carts.customerCart(caller.sub));
        }
        const { cart, token } = await deps.carts.createGuest();
        const answer = await respond(req, cart, 201, { token });
        answer.headers = { ...answer.headers, 'x-cart-token': token, location: `/carts/${cart.id}` };
        return answer;
      },
    }),
    guarded(
      check,
      {},
      route({
        method: 'GET',
        path: '/me/cart',
        query: ReadQuery,
        doc: {
          headers: {
            'X-Cart-Token': { description: "A guest cart's token: that cart is merged into the customer's" },
          },
          summary: "The signed-in customer's cart, a guest cart merged into it",
          description:
            "With the X-Cart-Token of a guest cart, its lines and coupons join the customer's cart once " +
            '(`merge` says which lines were capped or dropped); the guest cart then takes no more changes.',
          responses: {
            200: {
              description: "The customer's cart",
              headers: TAGGED,
              body: Type.Composite([
                CartView,
                Type.Object({
                  merge: Type.Optional(
                    Type.Object({ capped: Type.Array(Type.String()), dropped: Type.Array(Type.String()) }),
                  ),
                }),
              ]),
            },
          },
          problems: [409],
        },
        async handle(req) {
          const { cart, report } = await deps.carts.mergeGuest(req.auth!.sub, req.headers['x-cart-token']);
          const linesOnly = (req.query as { view?: string }).view === 'lines';
          return respond(req, cart, 200, report ? { merge: report } : {}, undefined, linesOnly);
        },
      }),
    ),
    route({
      method: 'GET',
      path: '/carts/:id',
      params: IdParam,
      query: ReadQuery,
      auth: OPENS,
      doc: {
        headers: CART_TOKEN,
        summary: 'A cart, priced, with stock at its location',
        description:
          '`view=lines` leaves out the quote and the stock (quote null). When promotions or inventory cannot ' +
          'answer, the cart still does, with `quote_error` or `stock_error`. A forged or expired token is a 401.',
        responses: { 200: { description: 'The cart', headers: TAGGED, body: CartView } },
        problems: [401, 404],
      },
      async handle(req) {
        const linesOnly = (req.query as { view?: string }).view === 'lines';
        return respond(req, await opened(req, false), 200, {}, undefined, linesOnly);
      },
    }),
    route({
      method: 'POST',
      path: '/carts/:id/lines',
      params: IdParam,
      body: AddLineBody,
      auth: WRITES,
      doc: {
        headers: CART_TOKEN,
        summary: 'Add a product to a cart (or more of it to its line)',
        description: 'qty for items sold by the piece, grams for items sold by weight. ' + WRITE_RULES,
        responses: AFTER_WRITE,
        problems: [401, 404, 409, 412],
        ifMatch: true,
      },
      async handle(req) {
        const b = req.body;
        return change(req, (c, p) => addToLine(c, b.sku, lineInput(b), p, now()), [b.sku, ...substitutes(b)]);
      },
    }),
    route({
      method: 'PUT',
      path: '/carts/:id/lines/:sku',
      params: LineParam,
      body: SetLineBody,
      auth: WRITES,
      doc: {
        headers: CART_TOKEN,
        summary: 'Change the amount, note or substitution of a cart line',
        description: 'A line not in the cart is a 404; null removes a note or substitution. ' + WRITE_RULES,
        responses: AFTER_WRITE,
        problems: [401, 404, 409, 412],
        ifMatch: true,
      },
      async handle(req) {
        const sku = req.params.sku!;
        return change(req, (c, p) => setLine(c, sku, lineInput(req.body), p, now()), [
          sku,
          ...substitutes(req.body),
        ]);
      },
    }),
    route({
      method: 'DELETE',
      path: '/carts/:id/lines/:sku',
      params: LineParam,
      auth: WRITES,
      doc: {
        headers: CART_TOKEN,
        summary: 'Remove a line from a cart',
        description: WRITE_RULES,
        responses: AFTER_WRITE,
        problems: [401, 404, 409, 412],
        ifMatch: true,
      },
      async handle(req) {
        return change(req, (c) => removeLine(c, req.params.sku!, now()));
      },
    }),
    route({
      method: 'POST',
      path: '/carts/:id/coupons/:code',
      params: CouponParam,
      auth: WRITES,
      doc: {
        headers: CART_TOKEN,
        summary: 'Enter a coupon code in a cart',
        description:
          "The code is kept upper-case; whether it applies shows in the quote's `coupons`. " + WRITE_RULES,
        responses: AFTER_WRITE,
        problems: [401, 404, 409, 412],
        ifMatch: true,
      },
      async handle(req) {
        return change(req, (c) => addCoupon(c, req.params.code!, now()));
      },
    }),
    route({
      method: 'DELETE',
      path: '/carts/:id/coupons/:code',
      params: CouponParam,
      auth: WRITES,
      doc: {
        headers: CART_TOKEN,
        summary: 'Remove a coupon code from a cart',
        description: WRITE_RULES,
        responses: AFTER_WRITE,
        problems: [401, 404, 409, 412],
        ifMatch: true,
      },
      async handle(req) {
        return change(req, (c) => removeCoupon(c, req.params.code!, now()));
      },
    }),
    route({
      method: 'PUT',
      path: '/carts/:id/fulfilment',
      params: IdParam,
      body: FulfilmentBody,
      auth: WRITES,
      doc: {
        headers: CART_TOKEN,
        summary: 'Choose delivery to a zone or pickup at a store',
        description:
          'An unknown store, or a zone no location serves, is a 400; the location that serves it is set. ' +
          WRITE_RULES,
        responses: AFTER_WRITE,
        problems: [401, 404, 409, 412],
        ifMatch: true,
      },
      async handle(req) {
        const fulfilment = await resolveFulfilment(deps.stock, req.body);
        return change(req, (c) => setFulfilment(c, fulfilment, now()));
      },
    }),
  ];
}

/** A fulfilment request with the location that serves it; an unknown store or zone is a 400. */
async function resolveFulfilment(
  stock: StockReader,
  body: Static<typeof FulfilmentBody>,
): Promise<Fulfilment> {
  const locations = await stock.locations();
  if (body.kind === 'pickup') {
    const store = locations.find((l) => l.id === body.location && l.kind === 'store');
    if (!store)
      throw new ValidationError('No such store', [
        { field: '/location', code: 'unknown', message: `No store ${body.location}` },
      ]);
    return { kind: 'pickup', location: store.id };
  }
  const serving = locations
    .filter((l) => l.zone === body.zone)
    .sort((a, b) => (a.kind === b.kind ? (a.id < b.id ? -1 : 1) : a.kind === 'store' ? -1 : 1))[0];
  if (!serving)
    throw new ValidationError('We do not deliver to that zone yet', [
      { field: '/zone', code: 'not-served', message: `No location serves ${body.zone}` },
    ]);
  return {
    kind: 'delivery',
    zone: body.zone,
    location: serving.id,
    ...(body.address_id ? { address_id: body.address_id } : {}),
  };
}

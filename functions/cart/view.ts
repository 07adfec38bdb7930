/**
 * A cart as every read answers it: its lines with names, flags (not on sale, out of stock, short,
 * price changed since added) and stock at the chosen location, and the promotions quote
 * (adjustments, VAT, totals, coupon results). The quote is cached by the cart's version, the
 * pricing mark (moved by every product or promotion event), the Vietnam date (VAT changes at
 * midnight) and who asks, so an unchanged cart is not priced again. When a peer is down the cart
 * still answers, with `quote: null` or `stock: null` and the reason.
 */
import { Type } from '@sinclair/typebox';
import type { Pricer, ProfileReader, QuoteAnswer, QuoteRequest, StockLevel, StockReader } from './clients';
import type { Cart, CartLine } from './model';
import type { ProductInfo } from './ports';
import { createLogger } from '../shared/log';
import { localDateOf } from '../shared/vietnam-time';

const log = createLogger('cart');

/** What a view needs besides the cart. */
export interface ViewSources {
  products(skus: readonly string[]): Promise<Map<string, ProductInfo>>;
  mark(): Promise<number>;
  pricer: Pricer;
  stock: StockReader;
  /** The customer's default substitution preference; without it (or for guests) best match. */
  profiles?: ProfileReader;
  /** Whether a customer has a confirmed order (first-order promotions apply until then). */
  ordered?(customerId: string): Promise<boolean>;
  /** The delivery fee a delivered cart is quoted with (until the delivery function prices it). */
  deliveryFeeVnd: number;
  cache: QuoteCache;
}

/** Quotes by key, bounded (least recently used out first). */
export class QuoteCache {
  private readonly entries = new Map<string, QuoteAnswer>();
  constructor(private readonly capacity: number) {}
  get(key: string): QuoteAnswer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: QuoteAnswer): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** The quote request for the lines that are on sale. */
export function quoteRequest(
  cart: Cart,
  onSale: (l: CartLine) => boolean,
  deliveryFeeVnd: number,
  firstOrder = false,
): QuoteRequest {
  return {
    ...(firstOrder ? { customer: { first_order: true } } : {}),
    lines: cart.lines
      .filter(onSale)
      .map((l) => (l.grams !== undefined ? { sku: l.sku, grams: l.grams } : { sku: l.sku, qty: l.qty! })),
    ...(cart.fulfilment ? { location: cart.fulfilment.location } : {}),
    ...(cart.coupons.length ? { coupon_codes: cart.coupons } : {}),
    ...(cart.fulfilment?.kind === 'delivery' ? { delivery_fee_vnd: deliveryFeeVnd } : {}),
  };
}

/** The products of `skus`: those in `known`, and the rest read in one query. */
async function readProducts(
  src: ViewSources,
  skus: readonly string[],
  known: ReadonlyMap<string, ProductInfo> | undefined,
): Promise<Map<string, ProductInfo>> {
  const missing = known ? skus.filter((s) => !known.has(s)) : skus;
  const read = missing.length ? await src.products(missing) : new Map<string, ProductInfo>();
  if (known) for (const [sku, p] of known) read.set(sku, p);
  return read;
}

/** Builds the view of `cart` for a caller (their bearer token, if any, prices as them). */
export async function cartView(
  src: ViewSources,
  cart: Cart,
  ctx: {
    lang: 'en' | 'vi';
    authorization?: string;
    subject?: string;
    now?: Date;
    /** Products the caller already read; only the others are read here. */
    known?: ReadonlyMap<string, ProductInfo>;
    /** Lines only: no quote and no stock (checkout prices and reserves through its saga). */
    linesOnly?: boolean;
  },
) {
  const now = ctx.now ?? new Date();
  const skus = cart.lines.map((l) => l.sku);
  const location = cart.fulfilment?.location;
  const customer = cart.owner.kind === 'customer' && ctx.subject === cart.owner.customer_id;
  // Stock needs only the SKUs: it runs beside the product read and the quote, not before them.
  const stockRead =
    location && skus.length && !ctx.linesOnly
      ? src.stock
          .levels(skus.map((sku) => ({ sku, location })))
          .then((levels) => new Map(levels.map((l) => [l.sku, l] as [string, StockLevel])))
          .catch((err: unknown) => {
            log.warn('stock unavailable for a cart view', { err });
            return null;
          })
      : Promise.resolve(undefined);
  const [products, mark, substitutionDefault, ordered] = await Promise.all([
    readProducts(src, skus, ctx.known),
    src.mark(),
    customer && ctx.authorization && src.profiles && skus.length
      ? src.profiles.substitutionDefault(ctx.subject!, ctx.authorization)
      : Promise.resolve('best_match' as const),
    // A guest may be anyone: only a signed-in customer's own cart is priced as a first order.
    customer && ctx.authorization && src.ordered && skus.length && !ctx.linesOnly
      ? src.ordered(ctx.subject!)
      : Promise.resolve(true),
  ]);
  const onSale = (l: CartLine) => products.get(l.sku)?.status === 'active';
  let quote: QuoteAnswer | null = null;
  let quoteError: string | undefined;
  const request = quoteRequest(cart, onSale, src.deliveryFeeVnd, !ordered);
  if (request.lines.length && !ctx.linesOnly) {
    const key = `${cart.id}:${cart.version}:${mark}:${localDateOf(now)}:${ctx.subject ?? '-'}`;
    quote = src.cache.get(key) ?? null;
    if (!quote)
      try {
        quote = await src.pricer.quote(request, ctx.authorization);
        src.cache.set(key, quote);
      } catch (err) {
        log.warn('quote unavailable for a cart view', { err });
        quoteError =
          ctx.lang === 'vi'
            ? 'Chưa tính được giá lúc này; vui lòng thử lại sau giây lát'
            : 'Prices could not be computed just now; try again in a moment';
      }
  }
  const stock = await stockRead;
  return {
    id: cart.id,
    version: cart.version,
    status: cart.status,
    owner:
      cart.owner.kind === 'customer'
        ? { kind: 'customer', customer_id: cart.owner.customer_id }
        : { kind: 'guest' },
    lines: cart.lines.map((l) => {
      const p = products.get(l.sku);
      const price = p ? (p.sold_by === 'weight' ? (p.price_per_kg_vnd ?? p.price_vnd) : p.price_vnd) : null;
      const level = stock?.get(l.sku);
      const wanted = l.grams ?? l.qty ?? 0;
      return {
        sku: l.sku,
        name: p ? (ctx.lang === 'vi' ? p.name_vi : p.name_en) : null,
        name_en: p?.name_en ?? null,
        name_vi: p?.name_vi ?? null,
        image_url: p?.image_url ?? null,
        sold_by: p?.sold_by ?? null,
        ...(l.qty !== undefined ? { qty: l.qty } : {}),
        ...(l.grams !== undefined ? { grams: l.grams } : {}),
        ...(l.note !== undefined ? { note: l.note } : {}),
        substitution: l.substitution ?? { mode: substitutionDefault },
        substitution_is_default: l.substitution === undefined,
        price_at_add_vnd: l.price_at_add_vnd,
        unit_price_vnd: price,
        available: level?.available ?? null,
        flags: {
          not_on_sale: !onSale(l),
          price_changed: price !== null && price !== l.price_at_add_vnd,
          out_of_stock: level !== undefined && level.available <= 0,
          short: level !== undefined && level.available > 0 && level.available < wanted,
        },
        added_at: l.added_at,
      };
    }),
    coupons: cart.coupons,
    fulfilment: cart.fulfilment ?? null,
    quote,
    ...(quoteError ? { quote_error: quoteError } : {}),
    ...(stock === null
      ? {
          stock_error:
            ctx.lang === 'vi' ? 'Chưa kiểm tra được tồn kho lúc này' : 'Stock could not be checked just now',
        }
      : {}),
    updated_at: cart.updated_at,
  };
}

const Instant = Type.String({ format: 'date-time' });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** What `cartView` answers, as the API documents it. */
export const CartView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  version: Type.Integer({ minimum: 1 }),
  status: Type.Union([
    Type.Literal('active'),
    Type.Literal('merging'),
    Type.Literal('merged'),
    Type.Literal('checked_out'),
  ]),
  owner: Type.Union([
    Type.Object({ kind: Type.Literal('customer'), customer_id: Type.String() }),
    Type.Object({ kind: Type.Literal('guest') }),
  ]),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: OrNull(Type.String()),
      name_en: OrNull(Type.String()),
      name_vi: OrNull(Type.String()),
      image_url: OrNull(Type.String()),
      sold_by: OrNull(Type.Union([Type.Literal('piece'), Type.Literal('weight')])),
      qty: Type.Optional(Type.Integer({ minimum: 1 })),
      grams: Type.Optional(Type.Integer({ minimum: 1 })),
      note: Type.Optional(Type.String()),
      substitution: Type.Union([
        Type.Object({ mode: Type.Literal('best_match') }),
        Type.Object({ mode: Type.Literal('none') }),
        Type.Object({ mode: Type.Literal('specific'), skus: Type.Array(Type.String()) }),
      ]),
      substitution_is_default: Type.Boolean(),
      price_at_add_vnd: Type.Integer(),
      unit_price_vnd: OrNull(Type.Integer()),
      available: OrNull(Type.Integer()),
      flags: Type.Object({
        not_on_sale: Type.Boolean(),
        price_changed: Type.Boolean(),
        out_of_stock: Type.Boolean(),
        short: Type.Boolean(),
      }),
      added_at: Instant,
    }),
  ),
  coupons: Type.Array(Type.String()),
  fulfilment: Type.Union([
    Type.Object({
      kind: Type.Literal('delivery'),
      zone: Type.String(),
      location: Type.String(),
      address_id: Type.Optional(Type.String({ format: 'uuid' })),
    }),
    Type.Object({ kind: Type.Literal('pickup'), location: Type.String() }),
    Type.Null(),
  ]),
  quote: Type.Union([Type.Object({}), Type.Null()], {
    description:
      'The promotions quote of the lines on sale (POST /pricing/quote of promotions); null without ' +
      'such lines, for `view=lines`, or when pricing failed (then `quote_error` says so)',
  }),
  quote_error: Type.Optional(Type.String()),
  stock_error: Type.Optional(Type.String()),
  updated_at: Instant,
});

/**
 * The shop's pages and the form posts behind them. Every page is rendered on the server from the
 * public API (through the gateway, as the shopper); every change is a form POST answered with a
 * 303 (post/redirect/get), so the shop works without its script. API refusals become messages
 * on the page; an API that cannot be reached becomes a 503 page with Retry-After.
 */
import { randomUUID } from 'node:crypto';
import { h, type ComponentType } from 'preact';
import { isTransient, NotFoundError } from '../shared/errors';
import type { HttpRequest, HttpResponse, Route } from '../shared/http';
import { problemText, qs, type ApiAnswer } from './api';
import { nextDays, type Lang } from './format';
import { pick, t } from './i18n';
import {
  AccountPage,
  ForgotPage,
  RegisterPage,
  ResetPage,
  SignInPage,
  VerifyPage,
  type NotificationPrefs,
  type SecretPageProps,
  type OrderSummary,
  type Profile,
} from './pages/account';
import { BasketPage, type Cart } from './pages/basket';
import {
  CheckoutPage,
  SignInFirst,
  type Address,
  type CheckoutData,
  type PaymentMethod,
  type SlotWindow,
} from './pages/checkout';
import { HomePage, type ActivePromotion, type HomeData, type StoreOption } from './pages/home';
import { MessagePage, nameOf, type CardProduct } from './pages/layout';
import { ProductPage, type ProductDetail, type StockAt } from './pages/product';
import { SearchPage, type SearchAnswer, type SearchFilters } from './pages/search';
import { FINAL_STATUSES, OrderLive, OrderPage, type OrderView } from './pages/track';
import { COOKIE } from './session';
import { Shop, safeBack, type ShopDeps } from './shop';

type Handler = (shop: Shop) => Promise<HttpResponse>;

const SKU = /^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$/;
const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SLOT = /^[a-z0-9][a-z0-9-]{0,70}[a-z0-9]:[0-9]{4}-[0-9]{2}-[0-9]{2}:[0-9]{4}$/;
const COUPON = /^[A-Z0-9][A-Z0-9_-]{1,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEY = /^[A-Za-z0-9-]{8,200}$/;
/** The ways the shop takes payment; card (Stripe) only when it has a publishable key for Stripe.js. */
export function paymentMethods(deps: Pick<ShopDeps, 'card'>): PaymentMethod[] {
  return deps.card ? ['momo', 'vnpay', 'cod', 'stripe'] : ['momo', 'vnpay', 'cod'];
}
/** Days the checkout calendar shows. */
const CALENDAR_DAYS = 5;

/** A problem's text, with its field errors when it lists them. */
function reasonOf(answer: ApiAnswer<unknown>, lang: Lang): string {
  const fields = answer.problem?.errors?.map((e) => e.message).filter(Boolean) ?? [];
  return [problemText(answer.problem, lang), ...fields].filter(Boolean).join(' · ');
}

/** A whole number from a form or query field within bounds, else undefined. */
function intIn(value: string | null | undefined, min: number, max: number): number | undefined {
  if (value === null || value === undefined || !/^\d{1,9}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n >= min && n <= max ? n : undefined;
}

/** The shop's routes. */
export function storefrontRoutes(deps: ShopDeps): Route[] {
  const methods = paymentMethods(deps);
  /** Runs a handler for the shopper; an unreachable API becomes the shop's own 503 page. */
  const serve =
    (fn: Handler) =>
    async (req: HttpRequest<unknown, Record<string, string>>): Promise<HttpResponse> => {
      const shop = new Shop(deps, req);
      try {
        return await fn(shop);
      } catch (err) {
        if (!isTransient(err)) throw err;
        const view = await shop.view().catch(() => undefined);
        if (!view) throw err;
        return shop.page(
          h(MessagePage, { view, title: t(shop.lang, 'error_title'), text: t(shop.lang, 'error_retry') }),
          503,
          { 'retry-after': '5' },
        );
      }
    };
  const get = (path: string, fn: Handler): Route => ({ method: 'GET', path, handle: serve(fn) });
  const post = (path: string, fn: Handler): Route => ({ method: 'POST', path, handle: serve(fn) });

  let locations: { at: number; value: Promise<StoreOption[]> } | undefined;
  /** The stores (cached for five minutes). */
  const stores = (shop: Shop): Promise<StoreOption[]> => {
    if (!locations || deps.now().getTime() - locations.at > 300_000) {
      const value = shop
        .call<{ items: (StoreOption & { kind: string })[] }>({ method: 'GET', path: '/locations' }, false)
        .then((a) => {
          if (!a.ok) throw new Error(`locations answered ${a.status}`);
          return a.body.items.filter((l) => l.kind === 'store');
        });
      value.catch(() => (locations = undefined));
      locations = { at: deps.now().getTime(), value };
    }
    return locations.value;
  };
  const storeName = (s: StoreOption, lang: Lang) => (lang === 'vi' ? s.name_vi : s.name_en);
  const myStore = async (shop: Shop) => {
    const all = await stores(shop);
    return all.find((s) => s.id === shop.session.store) ?? all[0];
  };

  const notFound = async (shop: Shop, text: string) =>
    shop.page(h(MessagePage, { view: await shop.view(), title: t(shop.lang, 'not_found_title'), text }), 404);

  // ---- Home, search, product ------------------------------------------------------------------

  const home: Handler = async (shop) => {
    const lang = shop.lang;
    const list = async <T>(path: string, pickItems: (body: never) => T[]): Promise<T[]> => {
      const a = await shop.call<never>({ method: 'GET', path }, false);
      return a.ok ? pickItems(a.body) : [];
    };
    const [promotions, expiring, promoted, popular, all, store] = await Promise.all([
      list(`/promotions/active?lang=${lang}`, (b: { promotions: ActivePromotion[] }) => b.promotions),
      list(
        `/products?expires_soon=true&in_stock=true&limit=8&lang=${lang}`,
        (b: { items: CardProduct[] }) => b.items,
      ),
      list(`/products/promoted?limit=8&lang=${lang}`, (b: { items: CardProduct[] }) => b.items),
      list(`/products/popular?limit=2&lang=${lang}`, (b: { categories: { items: CardProduct[] }[] }) =>
        b.categories.flatMap((c) => c.items),
      ),
      stores(shop),
      myStore(shop),
    ]);
    const data: HomeData = {
      promotions,
      expiring,
      promoted,
      popular: popular.slice(0, 8),
      stores: all,
      store: store?.id ?? '',
    };
    return shop.page(h(HomePage, { view: await shop.view(), data }));
  };

  const chooseStore: Handler = async (shop) => {
    const form = shop.form();
    const id = form.get('store') ?? '';
    if ((await stores(shop)).some((s) => s.id === id)) {
      shop.cookie(COOKIE.store, id, 365 * 24 * 3600);
      const cart = await shop.currentCart({ lines: true });
      if (cart && cart.fulfilment?.kind !== 'delivery')
        await serveFrom(shop, cart, { kind: 'pickup', location: id });
    }
    return shop.redirect(safeBack(form.get('back') ?? undefined));
  };

  const filtersOf = (shop: Shop): SearchFilters => {
    const s = shop.req.search ?? new URLSearchParams();
    const flag = (name: string) => s.get(name) === 'true' || undefined;
    const sort = s.get('sort');
    const price = (name: string) => intIn(s.get(name), 0, 1_000_000_000);
    return {
      q: (s.get('q') ?? '').trim().slice(0, 200),
      ...(s.get('category') ? { category: s.get('category')! } : {}),
      brand: s.getAll('brand').filter(Boolean).slice(0, 20),
      dietary: s.getAll('dietary').filter(Boolean).slice(0, 8),
      ...(price('price_min') !== undefined ? { price_min: price('price_min') } : {}),
      ...(price('price_max') !== undefined ? { price_max: price('price_max') } : {}),
      ...(flag('is_perishable') ? { is_perishable: true } : {}),
      ...(flag('on_promotion') ? { on_promotion: true } : {}),
      ...(flag('expires_soon') ? { expires_soon: true } : {}),
      ...(flag('in_stock') ? { in_stock: true } : {}),
      ...(sort === 'price_asc' || sort === 'price_desc' ? { sort } : {}),
      ...(s.get('cursor') ? { cursor: s.get('cursor')! } : {}),
    };
  };
  const searchQuery = (f: SearchFilters, lang: Lang) =>
    qs({
      q: f.q,
      category: f.category,
      brand: f.brand.join(','),
      dietary: f.dietary.join(','),
      price_min: f.price_min,
      price_max: f.price_max,
      is_perishable: f.is_perishable,
      on_promotion: f.on_promotion,
      expires_soon: f.expires_soon,
      in_stock: f.in_stock,
      sort: f.sort,
      cursor: f.cursor,
      limit: 24,
      lang,
    });

  const search: Handler = async (shop) => {
    const filters = filtersOf(shop);
    const answer = await shop.call<SearchAnswer>(
      { method: 'GET', path: `/search${searchQuery(filters, shop.lang)}` },
      false,
    );
    const empty: SearchAnswer = { q: filters.q, total: 0, hits: [], facets: {}, next_cursor: null };
    const result = answer.ok ? answer.body : empty;
    const view = await shop.view({
      q: filters.q,
      ...(answer.ok ? {} : { notice: { kind: 'error' as const, text: reasonOf(answer, shop.lang) } }),
    });
    let moreHref: string | undefined;
    if (result.next_cursor) {
      const next = new URLSearchParams(shop.req.search);
      next.set('cursor', result.next_cursor);
      next.delete('lang');
      moreHref = `/find?${next}`;
    }
    return shop.page(
      h(SearchPage, { view, filters, result, ...(moreHref ? { moreHref } : {}) }),
      answer.ok ? 200 : 400,
    );
  };

  const suggest: Handler = async (shop) => {
    const q = (shop.req.query.q ?? '').trim().slice(0, 100);
    if (q.length < 2) return { status: 200, body: { suggestions: [] } };
    const answer = await shop.call<{
      suggestions: { sku: string; name: string; name_en?: string; name_vi?: string }[];
    }>({ method: 'GET', path: `/search/suggest${qs({ q, limit: 8, lang: shop.lang })}` }, false);
    const suggestions = answer.ok
      ? answer.body.suggestions.map((s) => ({ sku: s.sku, name: nameOf(s, shop.lang) }))
      : [];
    return {
      status: 200,
      headers: { 'cache-control': 'private, max-age=60', vary: 'Cookie, Accept-Language' },
      body: { suggestions },
    };
  };

  const product: Handler = async (shop) => {
    const sku = shop.req.params.sku ?? '';
    if (!SKU.test(sku)) return notFound(shop, t(shop.lang, 'product_not_found'));
    const [answer, stock, all, mine] = await Promise.all([
      shop.call<ProductDetail>({ method: 'GET', path: `/products/${sku}?lang=${shop.lang}` }, false),
      shop.call<{ locations: { location: string; available: number }[] }>(
        { method: 'GET', path: `/stock/${sku}` },
        false,
      ),
      stores(shop),
      myStore(shop),
    ]);
    if (!answer.ok || answer.body.status !== 'active')
      return notFound(shop, t(shop.lang, 'product_not_found'));
    const levels = stock.ok ? stock.body.locations : [];
    const at = (s: StoreOption): StockAt => ({
      location: s.id,
      name: storeName(s, shop.lang),
      available: levels.find((l) => l.location === s.id)?.available ?? 0,
    });
    return shop.page(
      h(ProductPage, {
        view: await shop.view(),
        product: answer.body,
        ...(mine ? { mine: at(mine) } : {}),
        others: all.filter((s) => s.id !== mine?.id).map(at),
      }),
    );
  };

  // ---- Basket -----------------------------------------------------------------------------------

  const basket: Handler = async (shop) => {
    let cart = await shop.currentCart();
    const store = shop.session.store;
    if (cart && cart.lines.length > 0 && !cart.fulfilment && store)
      cart = await serveFrom(shop, cart, { kind: 'pickup', location: store });
    const view = await shop.view(
      shop.mergedGuestCart ? { notice: { kind: 'ok', text: t(shop.lang, 'merged') } } : {},
    );
    return shop.page(h(BasketPage, { view, ...(cart ? { cart } : {}) }));
  };

  /** Applies one change to the shopper's cart and comes back with a message. */
  const cartChange = async (
    shop: Shop,
    back: string,
    change: (cart: Cart) => { method: 'POST' | 'PUT' | 'DELETE'; path: string; body?: unknown },
    okText: string,
  ): Promise<HttpResponse> => {
    const cart = await shop.openCart();
    const call = change(cart);
    const answer = await shop.call<Cart>({ ...call, ...shop.cartAccess() });
    if (answer.ok) shop.notice('ok', okText);
    else shop.notice('error', reasonOf(answer, shop.lang));
    return shop.redirect(back);
  };

  /**
   * Points the cart at where it will be served (the shopper's store, then the checkout's choice),
   * so its lines show stock there and its quote the delivery fee; the cart as it is afterwards.
   */
  const serveFrom = async (
    shop: Shop,
    cart: Cart,
    want: { kind: 'pickup'; location: string } | { kind: 'delivery'; zone: string; address_id?: string },
  ): Promise<Cart> => {
    const f = cart.fulfilment;
    const same =
      f?.kind === want.kind && (want.kind === 'pickup' ? f.location === want.location : f.zone === want.zone);
    if (same) return cart;
    const answer = await shop.call<Cart>({
      method: 'PUT',
      path: `/carts/${cart.id}/fulfilment?lang=${shop.lang}`,
      body: want,
      ...shop.cartAccess(),
    });
    if (!answer.ok) return cart;
    shop.cartChanged(answer.body);
    return answer.body;
  };

  const amountOf = (form: URLSearchParams): { qty: number } | { grams: number } | undefined => {
    const grams = intIn(form.get('grams'), 1, 1_000_000);
    const qty = intIn(form.get('qty'), 1, 1000);
    return grams !== undefined ? { grams } : qty !== undefined ? { qty } : undefined;
  };
  const badForm = (shop: Shop, back: string, detail: string) => {
    shop.notice('error', t(shop.lang, 'error_bad_form', { detail }));
    return shop.redirect(back);
  };

  const addToBasket: Handler = async (shop) => {
    const form = shop.form();
    const back = safeBack(form.get('back') ?? undefined);
    const sku = form.get('sku') ?? '';
    const amount = amountOf(form);
    if (!SKU.test(sku) || !amount)
      return badForm(shop, back, `${t(shop.lang, 'qty')}/${t(shop.lang, 'grams')}`);
    return cartChange(
      shop,
      back,
      (cart) => ({ method: 'POST', path: `/carts/${cart.id}/lines`, body: { sku, ...amount } }),
      t(shop.lang, 'added'),
    );
  };

  const changeLine: Handler = async (shop) => {
    const form = shop.form();
    const sku = form.get('sku') ?? '';
    const amount = amountOf(form);
    const mode = form.get('substitution');
    if (!SKU.test(sku) || (!amount && !mode)) return badForm(shop, '/basket', t(shop.lang, 'qty'));
    const body = {
      ...(amount ?? {}),
      ...(mode === 'best_match' || mode === 'none' ? { substitution: { mode } } : {}),
    };
    return cartChange(
      shop,
      '/basket',
      (cart) => ({ method: 'PUT', path: `/carts/${cart.id}/lines/${sku}`, body }),
      t(shop.lang, 'basket_updated'),
    );
  };

  const removeLine: Handler = async (shop) => {
    const sku = shop.form().get('sku') ?? '';
    if (!SKU.test(sku)) return badForm(shop, '/basket', 'sku');
    return cartChange(
      shop,
      '/basket',
      (cart) => ({ method: 'DELETE', path: `/carts/${cart.id}/lines/${sku}` }),
      t(shop.lang, 'basket_updated'),
    );
  };

  const addCoupon: Handler = async (shop) => {
    const code = (shop.form().get('code') ?? '').trim().toUpperCase();
    if (!COUPON.test(code)) return badForm(shop, '/basket', t(shop.lang, 'coupon'));
    return cartChange(
      shop,
      '/basket',
      (cart) => ({ method: 'POST', path: `/carts/${cart.id}/coupons/${encodeURIComponent(code)}` }),
      t(shop.lang, 'basket_updated'),
    );
  };

  const removeCoupon: Handler = async (shop) => {
    const code = (shop.form().get('code') ?? '').trim().toUpperCase();
    if (!COUPON.test(code)) return badForm(shop, '/basket', t(shop.lang, 'coupon'));
    return cartChange(
      shop,
      '/basket',
      (cart) => ({ method: 'DELETE', path: `/carts/${cart.id}/coupons/${encodeURIComponent(code)}` }),
      t(shop.lang, 'basket_updated'),
    );
  };

  // ---- Checkout -----------------------------------------------------------------------------------

  const checkoutPage = async (shop: Shop, choice: URLSearchParams, extra: Partial<CheckoutData> = {}) => {
    if (!shop.signedIn || !(await shop.token()))
      return shop.page(h(SignInFirst, { view: await shop.view() }));
    const cart = await shop.currentCart();
    if (!cart || cart.lines.length === 0) return shop.redirect('/basket');
    const lang = shop.lang;
    const kind = choice.get('kind') === 'pickup' ? 'pickup' : 'delivery';
    const days = nextDays(deps.now(), CALENDAR_DAYS);
    const date = days.includes(choice.get('date') ?? '') ? choice.get('date')! : days[0]!;
    const [addressesAnswer, all] = await Promise.all([
      shop.call<{ items: Address[] }>({ method: 'GET', path: '/me/addresses' }),
      stores(shop),
    ]);
    const addresses = addressesAnswer.ok ? addressesAnswer.body.items : [];
    const wanted = choice.get('address');
    const address =
      addresses.find((a) => a.id === wanted)?.id ??
      addresses.find((a) => a.is_default)?.id ??
      addresses[0]?.id;
    const store = all.find((s) => s.id === choice.get('store'))?.id ?? (await myStore(shop))?.id;
    let windows: SlotWindow[] = [];
    let closed: string | undefined;
    let windowsError: string | undefined;
    const where =
      kind === 'delivery'
        ? address
          ? { address_id: address }
          : undefined
        : store
          ? { pickup: store }
          : undefined;
    let served = cart;
    if (where) {
      const slots = await shop.call<{
        calendar: string;
        windows: SlotWindow[];
        closed: { reason?: { en: string; vi: string } } | string | null;
      }>({
        method: 'GET',
        path: `/slots${qs({ ...where, date, lang })}`,
      });
      if (slots.ok) {
        // The basket is priced and checked for stock where this choice is served from.
        served = await serveFrom(
          shop,
          cart,
          kind === 'delivery'
            ? { kind: 'delivery', zone: slots.body.calendar, ...(address ? { address_id: address } : {}) }
            : { kind: 'pickup', location: store! },
        );
        windows = slots.body.windows;
        const c = slots.body.closed;
        if (c) closed = typeof c === 'string' ? c : pick(lang, c.reason, '—');
      } else windowsError = reasonOf(slots, lang);
    }
    const data: CheckoutData = {
      kind,
      addresses,
      ...(address ? { address } : {}),
      stores: all.map((s) => ({ id: s.id, name: storeName(s, lang) })),
      ...(store ? { store } : {}),
      days,
      date,
      windows,
      ...(closed ? { closed } : {}),
      ...(windowsError ? { windowsError } : {}),
      ...(served.quote ? { quote: served.quote } : {}),
      key: randomUUID(),
      methods,
      ...extra,
    };
    return shop.page(h(CheckoutPage, { view: await shop.view(), data }));
  };

  const checkout: Handler = async (shop) => checkoutPage(shop, shop.req.search ?? new URLSearchParams());

  const placeOrder: Handler = async (shop) => {
    const form = shop.form();
    const lang = shop.lang;
    const kind = form.get('kind') === 'pickup' ? 'pickup' : 'delivery';
    const back = `/basket/checkout${qs({
      kind,
      date: DATE.test(form.get('date') ?? '') ? form.get('date') : undefined,
      address: kind === 'delivery' && UUID.test(form.get('address') ?? '') ? form.get('address') : undefined,
      store:
        kind === 'pickup' && /^[a-z0-9-]{1,64}$/.test(form.get('store') ?? '')
          ? form.get('store')
          : undefined,
    })}`;
    if (!shop.signedIn || !(await shop.token()))
      return shop.redirect(`/account/sign-in?back=${encodeURIComponent(back)}`);
    const slot = form.get('slot') ?? '';
    const payment = form.get('payment') ?? '';
    const key = form.get('key') ?? '';
    const address = form.get('address') ?? '';
    if (!SLOT.test(slot)) return badForm(shop, back, t(lang, 'checkout_choose_window'));
    if (!(methods as string[]).includes(payment))
      return badForm(shop, back, t(lang, 'checkout_choose_payment'));
    if (kind === 'delivery' && !UUID.test(address))
      return badForm(shop, back, t(lang, 'checkout_choose_address'));
    if (!KEY.test(key)) return badForm(shop, back, 'key');
    const cart = await shop.currentCart({ lines: true });
    if (!cart || cart.lines.length === 0) return shop.redirect('/basket');
    const answer = await shop.call<OrderView>({
      method: 'POST',
      path: '/checkout',
      idempotencyKey: key,
      headers: { prefer: 'wait=10' },
      body: {
        cart_id: cart.id,
        fulfilment: { kind, slot },
        ...(kind === 'delivery' ? { address_id: address } : {}),
        payment_method: payment,
        lang,
      },
    });
    if (!answer.ok) {
      const code = answer.problem?.code;
      shop.notice(
        'error',
        code === 'slot_full' || code === 'slot_closed' || code === 'hold_expired'
          ? t(lang, 'checkout_window_gone')
          : reasonOf(answer, lang),
      );
      return shop.redirect(back);
    }
    const order = answer.body;
    if (order.status === 'cancelled') {
      shop.notice('error', pick(lang, order.reason?.message, t(lang, 'checkout_window_gone')));
      return shop.redirect(back);
    }
    shop.notice('ok', t(lang, 'order_placed'));
    return shop.redirect(`/track/${encodeURIComponent(order.id)}`);
  };

  // ---- Orders ---------------------------------------------------------------------------------

  const readOrder = async (shop: Shop): Promise<OrderView | undefined> => {
    const id = shop.req.params.id ?? '';
    if (!ORDER_ID.test(id) || !shop.signedIn) return undefined;
    const answer = await shop.call<OrderView>({
      method: 'GET',
      path: `/orders/${encodeURIComponent(id)}?lang=${shop.lang}`,
    });
    return answer.ok ? answer.body : undefined;
  };

  /** Asks the payment's provider again ("I paid", or back from its page). */
  const confirmPayment = async (shop: Shop, order: OrderView) => {
    if (order.status !== 'awaiting_payment' || !order.payment) return;
    await shop.call({ method: 'POST', path: `/payments/${encodeURIComponent(order.payment.id)}/confirm` });
  };

  /** The card form's settings for an order waiting for a card payment (its client secret). */
  const cardFor = async (shop: Shop, order: OrderView) => {
    const p = order.payment;
    if (
      !deps.card ||
      order.status !== 'awaiting_payment' ||
      p?.rail !== 'stripe' ||
      p.next_action !== 'client_secret'
    )
      return {};
    const payment = await shop.call<{ next_action: { kind: string; client_secret?: string } | null }>({
      method: 'GET',
      path: `/payments/${encodeURIComponent(p.id)}`,
    });
    const secret = payment.ok ? payment.body.next_action?.client_secret : undefined;
    return secret ? { card: { key: deps.card.key, jsUrl: deps.card.jsUrl, secret } } : {};
  };

  /** Query fields a payment page adds when it sends the shopper back. */
  const RETURN_FIELDS = ['resultCode', 'vnp_ResponseCode', 'payment_intent', 'redirect_status'];

  const orderPage: Handler = async (shop) => {
    if (!shop.signedIn) return shop.redirect(`/account/sign-in?back=${encodeURIComponent(shop.req.path)}`);
    let order = await readOrder(shop);
    if (!order) return notFound(shop, t(shop.lang, 'order_not_found'));
    if (RETURN_FIELDS.some((f) => shop.req.search?.has(f))) {
      await confirmPayment(shop, order);
      order = (await readOrder(shop)) ?? order;
    }
    return shop.page(h(OrderPage, { view: await shop.view(), order, ...(await cardFor(shop, order)) }));
  };

  const orderLive: Handler = async (shop) => {
    const order = await readOrder(shop);
    if (!order) throw new NotFoundError('No such order');
    return shop.fragment(h(OrderLive, { order, lang: shop.lang }), {
      'x-order-final': String(FINAL_STATUSES.has(order.status)),
    });
  };

  const paid: Handler = async (shop) => {
    shop.form();
    const order = await readOrder(shop);
    if (!order) return notFound(shop, t(shop.lang, 'order_not_found'));
    await confirmPayment(shop, order);
    return shop.redirect(`/track/${encodeURIComponent(order.id)}`);
  };

  const decide: Handler = async (shop) => {
    const decision = shop.form().get('decision');
    const id = shop.req.params.id ?? '';
    const sku = shop.req.params.sku ?? '';
    const back = `/track/${encodeURIComponent(id)}`;
    if (!ORDER_ID.test(id) || !SKU.test(sku) || (decision !== 'approve' && decision !== 'reject'))
      return badForm(shop, ORDER_ID.test(id) ? back : '/account', 'decision');
    const answer = await shop.call({
      method: 'POST',
      path: `/orders/${encodeURIComponent(id)}/substitutions/${sku}`,
      body: { decision },
    });
    if (answer.ok) shop.notice('ok', t(shop.lang, 'sub_answered'));
    else shop.notice('error', reasonOf(answer, shop.lang));
    return shop.redirect(back);
  };

  // ---- Account ----------------------------------------------------------------------------------

  const account: Handler = async (shop) => {
    if (!shop.signedIn || !(await shop.token())) return shop.redirect('/account/sign-in?back=/account');
    const [me, addresses, prefs, orders] = await Promise.all([
      shop.call<Profile>({ method: 'GET', path: '/me' }),
      shop.call<{ items: Address[] }>({ method: 'GET', path: '/me/addresses' }),
      shop.call<NotificationPrefs>({ method: 'GET', path: '/me/notification-preferences' }),
      shop.call<{ items: OrderSummary[] }>({ method: 'GET', path: `/me/orders?limit=20&lang=${shop.lang}` }),
    ]);
    if (!me.ok) return shop.redirect('/account/sign-in?back=/account');
    return shop.page(
      h(AccountPage, {
        view: await shop.view(),
        profile: me.body,
        addresses: addresses.ok ? addresses.body.items : [],
        ...(prefs.ok ? { prefs: prefs.body } : {}),
        orders: orders.ok ? orders.body.items : [],
      }),
    );
  };

  /** Signs in and merges the guest basket; the answer to a failed sign-in is undefined. */
  const signIn = async (shop: Shop, identifier: string, password: string): Promise<ApiAnswer<unknown>> => {
    const answer = await shop.call<{ access_token: string; refresh_token: string; expires_in: number }>(
      { method: 'POST', path: '/auth/login', body: { identifier, password } },
      false,
    );
    if (answer.ok) {
      shop.keepTokens(answer.body);
      await shop.currentCart({ lines: true });
      shop.notice(
        'ok',
        shop.mergedGuestCart
          ? `${t(shop.lang, 'signed_in')} ${t(shop.lang, 'merged')}`
          : t(shop.lang, 'signed_in'),
      );
    }
    return answer;
  };

  const signInPage: Handler = async (shop) =>
    shop.page(h(SignInPage, { view: await shop.view(), back: safeBack(shop.req.query.back, '/account') }));

  const signInPost: Handler = async (shop) => {
    const form = shop.form();
    const back = safeBack(form.get('back') ?? undefined, '/account');
    const identifier = (form.get('identifier') ?? '').trim().slice(0, 200);
    const password = (form.get('password') ?? '').slice(0, 1000);
    const answer = identifier && password ? await signIn(shop, identifier, password) : undefined;
    if (answer?.ok) return shop.redirect(back);
    const error =
      answer && answer.status !== 401 && answer.status !== 400
        ? reasonOf(answer, shop.lang)
        : t(shop.lang, 'sign_in_failed');
    return shop.page(
      h(SignInPage, { view: await shop.view(), back, identifier, error }),
      answer?.status === 429 ? 429 : 401,
    );
  };

  const registerPage: Handler = async (shop) =>
    shop.page(h(RegisterPage, { view: await shop.view(), back: safeBack(shop.req.query.back, '/account') }));

  const registerPost: Handler = async (shop) => {
    const form = shop.form();
    const back = safeBack(form.get('back') ?? undefined, '/account');
    const identifier = (form.get('identifier') ?? '').trim().slice(0, 200);
    const password = (form.get('password') ?? '').slice(0, 1000);
    const name = (form.get('name') ?? '').trim().slice(0, 100);
    const again = (error: string, status: number) =>
      shop.view().then((view) => shop.page(h(RegisterPage, { view, back, identifier, name, error }), status));
    if (!identifier || !password) return again(t(shop.lang, 'sign_in_identifier'), 400);
    const answer = await shop.call(
      {
        method: 'POST',
        path: '/auth/register',
        body: {
          ...(identifier.includes('@') ? { email: identifier } : { phone: identifier }),
          password,
          ...(name ? { name } : {}),
          lang: shop.lang,
        },
      },
      false,
    );
    if (!answer.ok) return again(reasonOf(answer, shop.lang), answer.status);
    const signedIn = await signIn(shop, identifier, password);
    if (signedIn.ok) return shop.redirect(back);
    return shop.page(
      h(SignInPage, { view: await shop.view(), back, identifier, error: t(shop.lang, 'register_check') }),
      200,
    );
  };

  // ---- Forgotten password and verification: the pages the user function's messages link to ----

  /** A link token as the user function issues it (43 base64url characters), else undefined. */
  const linkToken = (value: string | null | undefined) =>
    value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;

  /**
   * The secret a form proves: the link's token, or a phone and its code; undefined when neither
   * is there in a usable shape (the API would refuse it anyway; the page says why at once).
   */
  const secretOf = (form: URLSearchParams) => {
    const token = linkToken(form.get('token'));
    if (token) return { token };
    const phone = (form.get('phone') ?? '').trim().slice(0, 20);
    const code = (form.get('code') ?? '').trim();
    return phone.length >= 9 && /^\d{6}$/.test(code) ? { phone, code } : undefined;
  };

  /** Whether the API refused the secret itself (unknown, used or expired), not the rest. */
  const secretRefused = (answer: ApiAnswer<unknown>) =>
    answer.status === 400 &&
    (answer.problem?.errors ?? []).some((e) => e.field === '/token' || e.field === '/code');

  const forgotPage: Handler = async (shop) => shop.page(h(ForgotPage, { view: await shop.view() }));

  const forgotPost: Handler = async (shop) => {
    const form = shop.form();
    const identifier = (form.get('identifier') ?? '').trim().slice(0, 200);
    const again = async (error: string, status: number) =>
      shop.page(h(ForgotPage, { view: await shop.view(), identifier, error }), status);
    if (!identifier) return again(t(shop.lang, 'sign_in_identifier'), 400);
    const answer = await shop.call(
      { method: 'POST', path: '/auth/password/forgot', body: { identifier } },
      false,
    );
    if (!answer.ok) return again(reasonOf(answer, shop.lang), answer.status);
    // The same answer whether or not an account uses it: the API says nothing more.
    if (identifier.includes('@'))
      return shop.page(
        h(MessagePage, {
          view: await shop.view(),
          title: t(shop.lang, 'forgot_title'),
          text: t(shop.lang, 'forgot_sent_email', { to: identifier }),
          link: { href: '/account/sign-in', text: t(shop.lang, 'sign_in_title') },
        }),
      );
    shop.notice('ok', t(shop.lang, 'forgot_sent_phone', { to: identifier }));
    return shop.redirect(`/account/reset?phone=${encodeURIComponent(identifier)}`);
  };

  /** A page asking for a secret: the link's token (a malformed one is refused), else a phone and code. */
  const secretPage =
    (Page: ComponentType<SecretPageProps>): Handler =>
    async (shop) => {
      const token = linkToken(shop.req.query.token);
      const view = await shop.view();
      if (shop.req.query.token !== undefined && !token)
        return shop.page(h(Page, { view, error: t(shop.lang, 'secret_failed') }), 400);
      return shop.page(
        h(Page, { view, ...(token ? { token } : { phone: (shop.req.query.phone ?? '').slice(0, 20) }) }),
      );
    };

  /** A posted secret form: its fields, the secret it proves, and its page again with an error. */
  const secretForm = (shop: Shop, Page: ComponentType<SecretPageProps>) => {
    const form = shop.form();
    const secret = secretOf(form);
    const phone = (form.get('phone') ?? '').slice(0, 20);
    const again = async (error: string, status: number) =>
      shop.page(
        h(Page, {
          view: await shop.view(),
          ...(secret && 'token' in secret ? { token: secret.token } : { phone }),
          error,
        }),
        status,
      );
    return { form, secret, again };
  };

  const resetPost: Handler = async (shop) => {
    const { form, secret, again } = secretForm(shop, ResetPage);
    const password = (form.get('password') ?? '').slice(0, 1000);
    if (!secret) return again(t(shop.lang, 'secret_failed'), 400);
    if (!password) return again(t(shop.lang, 'register_password_hint'), 400);
    const answer = await shop.call(
      { method: 'POST', path: '/auth/password/reset', body: { ...secret, password } },
      false,
    );
    if (secretRefused(answer)) return again(t(shop.lang, 'secret_failed'), 400);
    if (!answer.ok) return again(reasonOf(answer, shop.lang), answer.status);
    // Every session of the account has ended, this browser's too if it was signed in.
    shop.forgetTokens();
    shop.notice('ok', t(shop.lang, 'reset_done'));
    return shop.redirect('/account/sign-in');
  };

  const verifyPost: Handler = async (shop) => {
    const { secret, again } = secretForm(shop, VerifyPage);
    if (!secret) return again(t(shop.lang, 'secret_failed'), 400);
    const answer = await shop.call<{ verified: 'email' | 'phone' }>(
      { method: 'POST', path: '/auth/verify', body: secret },
      false,
    );
    if (secretRefused(answer)) return again(t(shop.lang, 'secret_failed'), 400);
    if (!answer.ok) return again(reasonOf(answer, shop.lang), answer.status);
    shop.notice(
      'ok',
      t(shop.lang, answer.body.verified === 'phone' ? 'verify_done_phone' : 'verify_done_email'),
    );
    return shop.redirect(shop.signedIn ? '/account' : '/account/sign-in');
  };

  const resendVerification: Handler = async (shop) => {
    const form = shop.form();
    const channel = form.get('channel');
    if (channel !== 'email' && channel !== 'phone') return badForm(shop, '/account', 'channel');
    const done = await accountChange(
      shop,
      channel === 'phone' ? '/account/verify' : '/account',
      { method: 'POST', path: '/auth/verify/resend', body: { channel } },
      t(shop.lang, channel === 'phone' ? 'verify_sent_phone' : 'verify_sent_email'),
    );
    // A refusal is shown on the account page, where the button was.
    return done.answer && !done.answer.ok ? shop.redirect('/account') : done.response;
  };

  const signOut: Handler = async (shop) => {
    shop.form();
    const refresh = shop.session.refresh;
    if (refresh)
      await shop
        .call({ method: 'POST', path: '/auth/logout', body: { refresh_token: refresh } })
        .catch(() => undefined);
    shop.forgetTokens();
    shop.notice('ok', t(shop.lang, 'signed_out'));
    return shop.redirect('/');
  };

  /** Runs one account change and comes back to `back` with its message. */
  const accountChange = async (
    shop: Shop,
    back: string,
    call: Parameters<Shop['call']>[0],
    okText: string,
  ): Promise<{ answer?: ApiAnswer<{ id?: string }>; response: HttpResponse }> => {
    if (!shop.signedIn)
      return { response: shop.redirect(`/account/sign-in?back=${encodeURIComponent(back)}`) };
    const answer = await shop.call<{ id?: string }>(call);
    if (answer.ok) shop.notice('ok', okText);
    else shop.notice('error', reasonOf(answer, shop.lang));
    return { answer, response: shop.redirect(back) };
  };

  const saveProfile: Handler = async (shop) => {
    const form = shop.form();
    const lang = form.get('lang');
    const sub = form.get('substitution_default');
    const name = (form.get('name') ?? '').trim();
    const body = {
      name: name ? name.slice(0, 100) : null,
      ...(lang === 'en' || lang === 'vi' ? { lang } : {}),
      dietary: form.getAll('dietary').slice(0, 8),
      ...(sub === 'best_match' || sub === 'none' ? { substitution_default: sub } : {}),
    };
    const done = await accountChange(
      shop,
      '/account',
      { method: 'PATCH', path: '/me', body },
      t(shop.lang, 'account_saved'),
    );
    return done.response;
  };

  const addAddress: Handler = async (shop) => {
    const form = shop.form();
    const back = safeBack(form.get('back') ?? undefined, '/account');
    const field = (name: string) => (form.get(name) ?? '').trim();
    const body = {
      ...(field('label') ? { label: field('label').slice(0, 40) } : {}),
      recipient: field('recipient'),
      phone: field('phone'),
      street: field('street'),
      ward: field('ward'),
      province: field('province'),
    };
    const done = await accountChange(
      shop,
      back,
      { method: 'POST', path: '/me/addresses', body },
      t(shop.lang, 'address_saved'),
    );
    const id = done.answer?.ok ? done.answer.body.id : undefined;
    if (id && back.startsWith('/basket/checkout')) {
      const url = new URL(back, 'http://shop.invalid');
      url.searchParams.set('address', id);
      return shop.redirect(url.pathname + url.search);
    }
    return done.response;
  };

  const deleteAddress: Handler = async (shop) => {
    shop.form();
    const id = shop.req.params.id ?? '';
    if (!UUID.test(id)) return badForm(shop, '/account', 'address');
    const done = await accountChange(
      shop,
      '/account',
      { method: 'DELETE', path: `/me/addresses/${id}` },
      t(shop.lang, 'address_deleted'),
    );
    return done.response;
  };

  const saveNotifications: Handler = async (shop) => {
    const form = shop.form();
    const channels = (name: string) => [
      ...new Set(form.getAll(name).filter((c) => c === 'email' || c === 'sms' || c === 'inapp')),
    ];
    const time = (v: string | null) => (v && /^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? v : undefined);
    const from = time(form.get('quiet_from'));
    const to = time(form.get('quiet_to'));
    const quiet = form.get('quiet_off') === '1' || !from || !to ? null : { from, to };
    const body = {
      channels: { account: channels('account'), order: channels('order'), marketing: channels('marketing') },
      quiet,
    };
    const done = await accountChange(
      shop,
      '/account',
      { method: 'PUT', path: '/me/notification-preferences', body },
      t(shop.lang, 'account_saved'),
    );
    return done.response;
  };

  const asset: Handler = async (shop) => {
    const answer = deps.assets.serve(shop.req.params.file ?? '', shop.req.headers['accept-encoding']);
    if (!answer) throw new NotFoundError('No such asset');
    return answer;
  };

  return [
    get('/', home),
    post('/store', chooseStore),
    get('/find', search),
    get('/find/suggest', suggest),
    get('/p/:sku', product),
    get('/basket', basket),
    post('/basket/add', addToBasket),
    post('/basket/line', changeLine),
    post('/basket/remove', removeLine),
    post('/basket/coupon', addCoupon),
    post('/basket/coupon/remove', removeCoupon),
    get('/basket/checkout', checkout),
    post('/basket/checkout', placeOrder),
    get('/track/:id', orderPage),
    get('/track/:id/live', orderLive),
    post('/track/:id/paid', paid),
    post('/track/:id/substitutions/:sku', decide),
    get('/account', account),
    get('/account/sign-in', signInPage),
    post('/account/sign-in', signInPost),
    get('/account/register', registerPage),
    post('/account/register', registerPost),
    post('/account/sign-out', signOut),
    get('/account/forgot', forgotPage),
    post('/account/forgot', forgotPost),
    get('/account/reset', secretPage(ResetPage)),
    post('/account/reset', resetPost),
    get('/account/verify', secretPage(VerifyPage)),
    post('/account/verify', verifyPost),
    post('/account/verify/resend', resendVerification),
    post('/account/profile', saveProfile),
    post('/account/addresses', addAddress),
    post('/account/addresses/:id/delete', deleteAddress),
    post('/account/notifications', saveNotifications),
    get('/assets/:file', asset),
  ];
}

/**
 * One shopper's request as the shop's handlers see it: language, cookies, the API with the
 * shopper's own tokens (refreshed when the access token is about to expire), their cart, and the
 * form a POST carried, checked to come from the shop's own pages.
 */
import type { JSX } from 'preact';
import { ForbiddenError, MalformedRequestError, UnsupportedMediaTypeError } from '../shared/errors';
import type { HttpRequest, HttpResponse } from '../shared/http';
import type { Api, ApiAnswer, ApiCall } from './api';
import type { Assets } from './assets';
import type { Lang } from './format';
import { countOf, type Cart } from './pages/basket';
import type { View } from './pages/layout';
import { html, seeOther } from './render';
import { COOKIE, cartIdOf, readSession, setCookie, shopLanguage, type Notice, type Session } from './session';

/** What the shop is built from. */
export interface ShopDeps {
  api: Api;
  assets: Assets;
  /** Cookies only over HTTPS (off in local dev over plain HTTP). */
  secureCookies: boolean;
  /** Show product photos, and the origins they come from (for the CSP). */
  images: boolean;
  imageOrigins: string[];
  /** Card payments through Stripe.js, when the shop has a publishable key. */
  card?: { key: string; jsUrl: string; apiOrigins: string[] };
  now(): Date;
}

const YEAR_S = 365 * 24 * 3600;
const REFRESH_S = 30 * 24 * 3600;
const CART_S = 30 * 24 * 3600;
/** An access token this close to its expiry is refreshed before use. */
const REFRESH_MARGIN_S = 30;

/** The `exp` of a JWT, read without verifying it (the API verifies; this only decides when to refresh). */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

/** A local path to come back to (a form's `back`): anything else is home. */
export function safeBack(value: string | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/\p{Cc}/u.test(value) || value.length > 500) return fallback;
  return value;
}

/** The shopper's request. */
export class Shop {
  readonly session: Session;
  readonly lang: Lang;
  /** Set-Cookie values this answer sends. */
  readonly cookies: string[] = [];
  private cart?: { value: Cart | undefined; merged: boolean; priced: boolean };

  constructor(
    readonly deps: ShopDeps,
    readonly req: HttpRequest<unknown, Record<string, string>>,
  ) {
    this.session = readSession(req.headers.cookie);
    const explicit = req.query.lang;
    this.lang = shopLanguage(explicit, this.session.lang, req.headers['accept-language']);
    if ((explicit === 'en' || explicit === 'vi') && explicit !== this.session.lang)
      this.cookie(COOKIE.lang, explicit, YEAR_S);
    // A notice is shown once (and one that does not parse is dropped as well).
    if (req.headers.cookie?.includes(`${COOKIE.notice}=`)) this.cookie(COOKIE.notice, '', 0);
  }

  get signedIn(): boolean {
    return this.session.access !== undefined || this.session.refresh !== undefined;
  }

  /** Adds a Set-Cookie (HttpOnly, SameSite=Lax; Secure unless local dev). */
  cookie(name: string, value: string, maxAge: number): void {
    this.cookies.push(setCookie(name, value, { maxAge, secure: this.deps.secureCookies }));
  }

  /** A message for the next page (after the redirect). */
  notice(kind: Notice['kind'], text: string): void {
    this.cookie(COOKIE.notice, JSON.stringify({ kind, text: text.slice(0, 400) }), 60);
  }

  /** Keeps the tokens of a sign-in or a refresh. */
  keepTokens(tokens: { access_token: string; refresh_token: string; expires_in: number }): void {
    this.session.access = tokens.access_token;
    this.session.refresh = tokens.refresh_token;
    this.cookie(COOKIE.access, tokens.access_token, tokens.expires_in);
    this.cookie(COOKIE.refresh, tokens.refresh_token, REFRESH_S);
  }

  /** Forgets the shopper's tokens (signed out, or the session ended elsewhere). */
  forgetTokens(): void {
    delete this.session.access;
    delete this.session.refresh;
    this.cookie(COOKIE.access, '', 0);
    this.cookie(COOKIE.refresh, '', 0);
  }

  /** The access token, refreshed first when it expires within 30 s; undefined when signed out. */
  async token(): Promise<string | undefined> {
    const { access, refresh } = this.session;
    const exp = access ? tokenExpiry(access) : undefined;
    const now = this.deps.now().getTime() / 1000;
    if (access && exp !== undefined && exp - now > REFRESH_MARGIN_S) return access;
    if (!refresh) return access;
    const answer = await this.call<{ access_token: string; refresh_token: string; expires_in: number }>(
      { method: 'POST', path: '/auth/refresh', body: { refresh_token: refresh } },
      false,
    );
    if (answer.ok) {
      this.keepTokens(answer.body);
      return answer.body.access_token;
    }
    this.forgetTokens();
    return undefined;
  }

  /** Calls the API as this shopper (their token when signed in and `auth` is not false). */
  async call<T>(call: Omit<ApiCall, 'lang'> & { lang?: Lang }, auth = true): Promise<ApiAnswer<T>> {
    const token = auth ? await this.token() : undefined;
    const forwarded = [this.req.headers['x-forwarded-for'], this.req.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const answer = await this.deps.api.call<T>(
      { lang: this.lang, ...call, ...(token ? { token } : {}) },
      { traceparent: this.req.traceparent, ...(forwarded ? { forwardedFor: forwarded } : {}) },
    );
    // The session ended elsewhere (signed out on another device, password changed).
    if (answer.status === 401 && token) this.forgetTokens();
    return answer;
  }

  /**
   * The shopper's cart: their own (a guest cart merged into it once), a guest's, or none yet.
   * `lines` asks for its lines only (no quote, no stock: the cart skips pricing), which is all the
   * header's count and a change need; a read with its quote is kept for the rest of the request.
   */
  async currentCart(opts: { lines?: boolean } = {}): Promise<Cart | undefined> {
    if (this.cart && (this.cart.priced || opts.lines)) return this.cart.value;
    const view = opts.lines ? '&view=lines' : '';
    const keep = (value: Cart | undefined, merged = false) => {
      this.cart = { value, merged: merged || (this.cart?.merged ?? false), priced: !opts.lines };
      return value;
    };
    const guest = this.session.cartToken;
    if (this.signedIn && (await this.token())) {
      const answer = await this.call<Cart & { merge?: unknown }>({
        method: 'GET',
        path: `/me/cart?lang=${this.lang}${view}`,
        ...(guest ? { cartToken: guest } : {}),
      });
      if (answer.ok) {
        if (guest) {
          this.cookie(COOKIE.cart, '', 0);
          delete this.session.cartToken;
        }
        return keep(answer.body, Boolean(guest && answer.body.merge));
      }
    }
    if (!guest) return keep(undefined);
    const answer = await this.call<Cart>(
      { method: 'GET', path: `/carts/${cartIdOf(guest)}?lang=${this.lang}${view}`, cartToken: guest },
      false,
    );
    if (!answer.ok || answer.body.status !== 'active') {
      this.cookie(COOKIE.cart, '', 0);
      delete this.session.cartToken;
      return keep(undefined);
    }
    return keep(answer.body);
  }

  /** True when this request merged a guest cart into the shopper's. */
  get mergedGuestCart(): boolean {
    return this.cart?.merged ?? false;
  }

  /** The shopper's cart, opened now when they have none. */
  async openCart(): Promise<Cart> {
    const existing = await this.currentCart({ lines: true });
    if (existing) return existing;
    const signedIn = this.signedIn && (await this.token()) !== undefined;
    const answer = await this.call<Cart & { token?: string }>(
      { method: 'POST', path: '/carts', body: {} },
      signedIn,
    );
    if (!answer.ok) throw new MalformedRequestError(`The cart could not be opened (${answer.status})`);
    const token = answer.headers.get('x-cart-token');
    if (!signedIn && token) {
      this.session.cartToken = token;
      this.cookie(COOKIE.cart, token, CART_S);
    }
    this.cart = { value: answer.body, merged: false, priced: true };
    return answer.body;
  }

  /** The headers a call on the current cart needs (a guest cart's token). */
  cartAccess(): { cartToken?: string } {
    return this.session.cartToken && !this.signedIn ? { cartToken: this.session.cartToken } : {};
  }

  /** Forgets the cached cart (after a change). */
  cartChanged(cart?: Cart): void {
    this.cart = cart ? { value: cart, merged: this.cart?.merged ?? false, priced: true } : undefined;
  }

  /** What the page frame needs. */
  async view(extra: Partial<View> = {}): Promise<View> {
    const cart = await this.currentCart({ lines: true }).catch(() => undefined);
    return {
      lang: this.lang,
      here: this.req.path + (this.query() ? `?${this.query()}` : ''),
      signedIn: this.signedIn,
      basketCount: countOf(cart),
      ...(this.session.notice ? { notice: this.session.notice } : {}),
      assets: this.deps.assets.urls,
      images: this.deps.images,
      ...extra,
    };
  }

  /** This request's query string without `lang` (the switch adds its own). */
  private query(): string {
    const q = new URLSearchParams(this.req.query);
    q.delete('lang');
    return q.toString();
  }

  /** Renders a page. */
  page(node: JSX.Element, status = 200, headers: Record<string, string> = {}): HttpResponse {
    return html(node, {
      status,
      lang: this.lang,
      acceptEncoding: this.req.headers['accept-encoding'],
      cookies: this.cookies,
      imageOrigins: this.deps.imageOrigins,
      ...(this.deps.card ? { card: this.deps.card } : {}),
      headers,
    });
  }

  /** Renders a fragment of a page. */
  fragment(node: JSX.Element, headers: Record<string, string> = {}): HttpResponse {
    return html(node, {
      lang: this.lang,
      acceptEncoding: this.req.headers['accept-encoding'],
      cookies: this.cookies,
      imageOrigins: this.deps.imageOrigins,
      headers,
      fragment: true,
    });
  }

  /** A 303 after a form post, carrying this answer's cookies. */
  redirect(location: string): HttpResponse {
    return seeOther(location, this.cookies);
  }

  /**
   * The form a POST carried, after checking it came from the shop's own pages: a cross-site
   * `Sec-Fetch-Site` or a foreign `Origin` is refused (with SameSite=Lax cookies, a second wall).
   */
  form(): URLSearchParams {
    const h = this.req.headers;
    const site = h['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none')
      throw new ForbiddenError('This form was sent from another site');
    const origin = h.origin;
    if (origin && origin !== 'null') {
      const host = h['x-forwarded-host'] ?? h.host;
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (!host || originHost !== host) throw new ForbiddenError('This form was sent from another site');
    } else if (origin === 'null') throw new ForbiddenError('This form was sent from another site');
    const type = h['content-type'] ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type))
      throw new UnsupportedMediaTypeError(
        `Send the form as application/x-www-form-urlencoded, not ${type || 'nothing'}`,
      );
    const text = this.req.rawBody.toString('utf8');
    if (text.includes('\u0000')) throw new MalformedRequestError('The form holds a NUL character');
    return new URLSearchParams(text);
  }
}

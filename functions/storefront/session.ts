/**
 * What the browser keeps for the shop, all in cookies the page's scripts cannot read (HttpOnly,
 * SameSite=Lax): the shopper's access and refresh tokens, a guest cart's token, a one-shot notice
 * for the next page, the chosen store and the chosen language (a year). The browser never holds a
 * token a script could leak.
 */
import { pickLanguage } from '../shared/http';
import type { Lang } from './format';

/** Cookie names. */
export const COOKIE = {
  access: 'tuoi_at',
  refresh: 'tuoi_rt',
  cart: 'tuoi_cart',
  notice: 'tuoi_notice',
  lang: 'tuoi_lang',
  store: 'tuoi_store',
} as const;

/** A one-shot message shown on the next page (after a redirect). */
export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/** The shopper as the cookies describe them. */
export interface Session {
  access?: string;
  refresh?: string;
  /** A guest cart's token, `<id>.<secret>`. */
  cartToken?: string;
  notice?: Notice;
  lang?: Lang;
  store?: string;
}

const CART_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{16,128}$/;
const TOKEN = /^[A-Za-z0-9._~+/=-]{16,4096}$/;
const STORE = /^[a-z0-9-]{1,64}$/;

/** Parses a Cookie header; malformed pairs are skipped, the first of a repeated name wins. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!name || Object.hasOwn(out, name)) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      // a value that is not percent-encoded text is ignored
    }
  }
  return out;
}

/** The session in a request's cookies; values that are not what the shop wrote are ignored. */
export function readSession(cookieHeader: string | undefined): Session {
  const c = parseCookies(cookieHeader);
  const valid = (name: string, pattern: RegExp) => {
    const v = c[name];
    return v !== undefined && pattern.test(v) ? v : undefined;
  };
  const s: Session = {};
  const access = valid(COOKIE.access, TOKEN);
  const refresh = valid(COOKIE.refresh, TOKEN);
  const cartToken = valid(COOKIE.cart, CART_TOKEN);
  const lang = valid(COOKIE.lang, /^(en|vi)$/);
  const store = valid(COOKIE.store, STORE);
  if (access) s.access = access;
  if (refresh) s.refresh = refresh;
  if (cartToken) s.cartToken = cartToken;
  if (lang) s.lang = lang as Lang;
  if (store) s.store = store;
  const notice = c[COOKIE.notice];
  if (notice) {
    try {
      const n = JSON.parse(notice) as Notice;
      if ((n.kind === 'ok' || n.kind === 'error') && typeof n.text === 'string')
        s.notice = { kind: n.kind, text: n.text.slice(0, 500) };
    } catch {
      // ignored: the shop only writes JSON here
    }
  }
  return s;
}

/** The id part of a guest cart token. */
export function cartIdOf(token: string): string {
  return token.slice(0, token.indexOf('.'));
}

/** A Set-Cookie value; `maxAge` 0 deletes it. */
export function setCookie(
  name: string,
  value: string,
  opts: { maxAge: number; secure: boolean; httpOnly?: boolean },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `Max-Age=${opts.maxAge}`,
    'SameSite=Lax',
    ...(opts.httpOnly === false ? [] : ['HttpOnly']),
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Picks the language: `?lang=`, then the remembered choice, then the browser's; Vietnamese by default. */
export function shopLanguage(
  explicit: string | undefined,
  remembered: Lang | undefined,
  accept?: string,
): Lang {
  if (explicit === 'en' || explicit === 'vi') return explicit;
  return remembered ?? pickLanguage(new URLSearchParams(), accept, 'vi');
}

/**
 * Turns a page into an HTTP answer: server-rendered HTML, compressed for the browser, private to
 * the shopper, under a strict Content-Security-Policy (scripts, styles and connections from the
 * shop's own origin only; no inline script anywhere).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { JSX } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { HttpResponse } from '../shared/http';
import { chooseEncoding } from './assets';
import type { Lang } from './format';

/** Headers every HTML answer carries. */
export function securityHeaders(
  imageOrigins: string[],
  card?: { jsUrl: string; apiOrigins: string[] },
): Record<string, string> {
  const list = (origins: string[]) => origins.map((o) => ` ${o}`).join('');
  // Stripe.js comes from its own origin, calls Stripe's API and draws its fields in frames from there.
  const stripe = card ? [new URL(card.jsUrl).origin] : [];
  return {
    'content-security-policy': [
      "default-src 'self'",
      `script-src 'self'${list(stripe)}`,
      "style-src 'self'",
      `img-src 'self' data:${list(imageOrigins)}`,
      `connect-src 'self'${list([...stripe, ...(card?.apiOrigins ?? [])])}`,
      ...(card ? [`frame-src${list(stripe)}`] : []),
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
  };
}

/** Compresses a text body as the browser accepts (brotli at a fast level, else gzip) past 1 KiB. */
export function compressed(
  body: Buffer,
  acceptEncoding: string | undefined,
): { body: Buffer; headers: Record<string, string> } {
  const encoding = body.length > 1024 ? chooseEncoding(acceptEncoding) : undefined;
  if (encoding === 'br')
    return {
      body: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
      headers: { 'content-encoding': 'br' },
    };
  if (encoding === 'gzip')
    return { body: gzipSync(body, { level: 6 }), headers: { 'content-encoding': 'gzip' } };
  return { body, headers: {} };
}

/** Options of one HTML answer. */
export interface HtmlOptions {
  status?: number;
  lang: Lang;
  acceptEncoding: string | undefined;
  cookies?: string[];
  headers?: Record<string, string>;
  imageOrigins: string[];
  card?: { jsUrl: string; apiOrigins: string[] };
  /** A fragment (the live order section): no doctype. */
  fragment?: boolean;
}

/** The HTML answer for a page (or a fragment of one). */
export function html(node: JSX.Element, opts: HtmlOptions): HttpResponse {
  const text = (opts.fragment ? '' : '<!doctype html>') + renderToString(node);
  const { body, headers } = compressed(Buffer.from(text, 'utf8'), opts.acceptEncoding);
  return {
    status: opts.status ?? 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, no-cache',
      vary: 'Cookie, Accept-Language, Accept-Encoding',
      'content-language': opts.lang,
      ...securityHeaders(opts.imageOrigins, opts.card),
      ...headers,
      ...opts.headers,
    },
    body,
    ...(opts.cookies?.length ? { cookies: opts.cookies } : {}),
  };
}

/** A 303 to `location` (after a form post), with cookies. */
export function seeOther(location: string, cookies: string[] = []): HttpResponse {
  return {
    status: 303,
    headers: { location, 'cache-control': 'no-store' },
    ...(cookies.length ? { cookies } : {}),
  };
}

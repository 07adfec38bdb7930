/**
 * The shop's only way to the platform: the public API through the gateway, like any client, over
 * the shared outbound client (timeouts, retries for reads, a breaker). The caller's own bearer
 * token and guest cart token travel with each call; the shop holds no credential of its own.
 */
import { createOutboundClient, type OutboundClient } from '../shared/outbound';
import type { Lang } from './format';

/** One call of the public API on behalf of a shopper. */
export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with its query string. */
  path: string;
  body?: unknown;
  lang: Lang;
  /** The shopper's access token. */
  token?: string;
  /** A guest cart's token (`<id>.<secret>`). */
  cartToken?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** An RFC 9457 problem as the API answers it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  reason?: { code?: string; en?: string; vi?: string; message?: { en: string; vi: string } };
  /** A validation problem's fields (JSON pointers) and what is wrong with each. */
  errors?: { field?: string; message?: string }[];
  [extension: string]: unknown;
}

/** The API's answer: 2xx with its body, or a 4xx with its problem. */
export interface ApiAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
  ok: boolean;
  problem?: Problem;
}

/** The public API of the platform. */
export interface Api {
  call<T = unknown>(req: ApiCall, meta?: CallMeta): Promise<ApiAnswer<T>>;
  close(): void;
}

/** What the shop passes on from the browser's request: its trace and where it came from. */
export interface CallMeta {
  traceparent?: string;
  /** The shopper's address, appended to X-Forwarded-For so per-client limits see the shopper. */
  forwardedFor?: string;
}

/** The API at `baseUrl` (the gateway). */
export function gatewayApi(baseUrl: string, opts: { timeoutMs: number }): Api {
  const client: OutboundClient = createOutboundClient({
    provider: 'gateway',
    baseUrl,
    timeoutMs: opts.timeoutMs,
    retries: 1,
    // A few failing pages must not stop the whole shop: open only when most calls fail.
    breaker: { errorPercent: 80, volume: 20 },
  });
  return {
    async call<T>(req: ApiCall, meta: CallMeta = {}): Promise<ApiAnswer<T>> {
      const headers: Record<string, string> = { 'accept-language': req.lang, ...req.headers };
      if (req.token) headers.authorization = `Bearer ${req.token}`;
      if (req.cartToken) headers['x-cart-token'] = req.cartToken;
      if (meta.traceparent) headers.traceparent = meta.traceparent;
      if (meta.forwardedFor) headers['x-forwarded-for'] = meta.forwardedFor;
      const res = await client.request({
        method: req.method,
        path: req.path,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
      });
      const parsed = res.text ? safeJson(res.text) : undefined;
      const ok = res.status < 400;
      return {
        status: res.status,
        headers: res.headers,
        body: parsed as T,
        ok,
        ...(ok ? {} : { problem: { status: res.status, ...(parsed as object) } as Problem }),
      };
    },
    close: () => client.close(),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

/** A query string from defined values (`?a=1&b=x`), or '' when none. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** A bilingual sentence for a problem: its reason when it has one, else its title and detail. */
export function problemText(problem: Problem | undefined, lang: Lang): string {
  if (!problem) return '';
  const reason = problem.reason;
  if (reason?.message?.[lang]) return reason.message[lang];
  if (reason?.[lang]) return reason[lang] as string;
  return [problem.title, problem.detail].filter(Boolean).join(': ');
}

/**
 * The host-independent HTTP contract of a function: plain request/response objects and the
 * pipeline that every request goes through (ids, language, body limits, JSON parsing, schema
 * validation, routing, problem+json). Hosts (functions-framework or the lean node:http host) only
 * translate their request into an `IncomingHttp` and write the `HttpResponse` back.
 */
import { randomUUID } from 'node:crypto';
import { context } from '@opentelemetry/api';
import type { Static, TSchema } from '@sinclair/typebox';
import {
  AppError,
  MalformedRequestError,
  MethodNotAllowedError,
  NotFoundError,
  OverloadedError,
  PayloadTooLargeError,
  PreconditionFailedError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
  ValidationError,
  toProblem,
} from './errors';
import type { Principal } from './auth/principal';
import { cleanJson, cleanParams, jsonDepthExceeds, MAX_JSON_DEPTH, type Cleaned } from './input';
import { createLogger, withLogContext } from './log';
import { observeHttp, UNMATCHED_ROUTE } from './metrics';
import { parseTarget } from './target';
import { finish, serverSpan } from './tracing';
import { validate } from './validate';

/** What a host hands to the pipeline. Header names are lower-case. */
export interface IncomingHttp {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The peer's address as the host saw it (a proxy's, behind one). */
  remoteAddress?: string;
}

/** A request as a route handler sees it. */
export interface HttpRequest<B = unknown, Q = Record<string, string>> {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Q;
  /** The whole query string, repeated names kept (`query` keeps the last of each). */
  search?: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: B;
  rawBody: Buffer;
  requestId: string;
  traceparent: string;
  lang: 'en' | 'vi';
  /** The peer's address (see `clientIp` for the client behind proxies). */
  remoteAddress: string;
  /** The authenticated caller, on routes wrapped with `guarded`. */
  auth?: Principal;
}

/** What a route handler returns. A `body` object is sent as JSON; `undefined` sends no body. */
export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Set-Cookie values, one header each (a header map cannot repeat a name). */
  cookies?: string[];
}

/** What a route's guard decides: the caller it admits, or the answer that turns it away. */
export type GuardVerdict = { principal: Principal } | { response: HttpResponse };

/**
 * One route: method, a path pattern with `:params`, optional schemas for path params, query and
 * body, an optional guard (authentication) that runs before any of them is validated, the handler.
 */
export interface Route<B extends TSchema = TSchema, Q extends TSchema = TSchema> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** The path parameters (all strings), e.g. `Type.Object({ id: Type.String({ format: 'uuid' }) })`. */
  params?: TSchema;
  body?: B;
  query?: Q;
  /** Runs first: a 401/403 comes before any 400 about the input. */
  guard?(req: HttpRequest<unknown, Record<string, string>>): Promise<GuardVerdict>;
  handle(req: HttpRequest<Static<B>, Static<Q>>): Promise<HttpResponse>;
  /**
   * Who may call it, for the API documents (the pipeline ignores it): `guarded` and `sensitive` set
   * it; a route that reads an optional token itself declares `{ required: false }`.
   */
  auth?: RouteAuth;
  /** What the API documents say of it (scripts/openapi.ts); the pipeline ignores it. */
  doc?: RouteDoc;
}

/** A route's caller: a bearer token, required or not, and the scope it must carry. */
export interface RouteAuth {
  required: boolean;
  /** One of `SCOPES` (functions/shared/auth/principal.ts). */
  scope?: string;
  /** A rule the handler applies itself, in words (e.g. "the cart's owner, or orders:read"). */
  note?: string;
}

/** A success answer of a route. */
export interface ResponseDoc {
  description: string;
  /** The JSON body's schema; a response without one documents its status and media type only. */
  body?: TSchema;
  /** A body that is not JSON (e.g. `text/csv`); `application/json` when unset and a body is sent. */
  contentType?: string;
  /** No body at all (204, a redirect). */
  empty?: boolean;
  /** Response headers worth knowing (`location`, `etag`), with what they carry. */
  headers?: Record<string, string>;
}

/** How a route appears in the OpenAPI document. */
export interface RouteDoc {
  /** One line: what the route does, for the reference's table of contents. */
  summary: string;
  description?: string;
  /**
   * Its answers by status: every success (a 304 to `If-None-Match` included), and any other answer
   * that is not a problem (a provider's own error body on a webhook).
   */
  responses: Partial<Record<number, ResponseDoc>>;
  /** Query parameters the handler reads and checks itself (no `query` schema validates them). */
  query?: TSchema;
  /** Request headers it reads (`Idempotency-Key`, `Prefer`), besides `Authorization` and `If-Match`. */
  headers?: Record<string, { description: string; required?: boolean; schema?: TSchema }>;
  /**
   * The problem statuses it can answer beyond those its shape implies (400 for invalid input, 401
   * and 403 for a token, 413 and 415 for a body, 429, 5xx): 404, 409, 410, 412, 422, ...
   */
  problems?: number[];
  /**
   * A request body `body` does not describe: a CSV upload, a form post, an optional object. `schema`
   * describes its JSON and form forms; other media types (CSV) are documented as text.
   */
  requestBody?: { contentTypes: string[]; description: string; schema?: TSchema; required?: boolean };
  /** Takes `If-Match` with the resource's ETag (412 when it is stale). */
  ifMatch?: boolean;
}

/** Declares a route with its schemas' static types flowing into the handler. */
export function route<B extends TSchema = TSchema, Q extends TSchema = TSchema>(r: Route<B, Q>): Route {
  return r as unknown as Route;
}

/** Everything the pipeline needs from a function instance. */
export interface HttpApp {
  name: string;
  routes: Route[];
  maxBodyBytes: number;
  /** Answers a CloudEvent delivery (`POST /cloudevents`), when the function consumes events. */
  events?: (req: IncomingHttp, ctx: { requestId: string }) => Promise<HttpResponse>;
  /** Throws when a dependency is unreachable. */
  ready(): Promise<void>;
  /** True once shutdown began: readiness fails so no new traffic is routed here. */
  draining(): boolean;
  /**
   * Admits one routed request (never a probe or a CloudEvent) and returns its release, or
   * undefined when the function is at its limit: the request is refused with a 503 at once.
   */
  admit?(): (() => void) | undefined;
}

/** The path on which functions receive CloudEvents (Knative Trigger subscriber `uri`). */
export const CLOUDEVENTS_PATH = '/cloudevents';

const log = createLogger('http');
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

function headerMap(headers: IncomingHttp['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Picks en or vi from `?lang=` first, then Accept-Language; `fallback` (English) when neither says. */
export function pickLanguage(
  query: URLSearchParams,
  acceptLanguage?: string,
  fallback: 'en' | 'vi' = 'en',
): 'en' | 'vi' {
  const explicit = query.get('lang');
  if (explicit === 'vi' || explicit === 'en') return explicit;
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag, q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('vi')) return 'vi';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

/** The parameters of `path` under a route pattern (`/orders/:id`), or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

/**
 * Parses a JSON body of a request that declared one, enforcing the media type (size is checked
 * before), a nesting bound, and clean text (no NUL, no unpaired surrogate, no prototype keys);
 * returns it with every string normalised to NFC.
 */
export function parseJsonBody(headers: Record<string, string | undefined>, body: Buffer): unknown {
  const type = headers['content-type'];
  if (!type || !JSON_TYPE.test(type))
    throw new UnsupportedMediaTypeError(
      `Send the body as application/json, not ${type ?? 'no content type'}`,
    );
  const text = body.toString('utf8');
  if (jsonDepthExceeds(text))
    throw new MalformedRequestError(`The body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new MalformedRequestError(`The body is not valid JSON: ${(err as Error).message}`);
  }
  return checked(cleanJson(parsed), 'request body');
}

function checked<T>({ value, issues }: Cleaned<T>, what: string): T {
  if (issues.length > 0)
    throw new ValidationError(`The ${what} has ${issues.length} invalid field(s)`, issues);
  return value;
}

function problemResponse(err: unknown, lang: 'en' | 'vi', instance: string): HttpResponse {
  const problem = toProblem(err, lang, instance);
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'content-language': lang,
  };
  if (err instanceof MethodNotAllowedError && typeof err.extensions.allow === 'string')
    headers.allow = err.extensions.allow;
  if (err instanceof TooManyRequestsError || err instanceof OverloadedError)
    headers['retry-after'] = String(err.retryAfter);
  else if (problem.status === 503) headers['retry-after'] = '1';
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="tuoi"';
  return { status: problem.status, headers, body: problem };
}

/** Runs one request through the pipeline. Never throws: every failure becomes a problem response. */
export async function handleHttp(app: HttpApp, incoming: IncomingHttp): Promise<HttpResponse> {
  const headers = headerMap(incoming.headers);
  const requestId =
    headers['x-request-id'] && REQUEST_ID.test(headers['x-request-id'])
      ? headers['x-request-id']
      : randomUUID();
  // Continues the caller's W3C trace (the gateway always sends one) in a server span.
  const span = serverSpan(incoming.method, headers, { 'http.request.method': incoming.method });
  const { traceparent, tracestate } = span;
  const target = parseTarget(incoming.url);
  const search = target.ok ? target.params : new URLSearchParams();
  const pathname = target.ok ? target.pathname : '/';
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const lang = pickLanguage(search, headers['accept-language']);
  const started = process.hrtime.bigint();
  const ctx: Ctx = { headers, search, path, lang, requestId, traceparent, route: UNMATCHED_ROUTE };
  let unhandled = false;
  const response = await withLogContext({ requestId, traceparent, tracestate }, () =>
    context.with(span.ctx, async () => {
      try {
        if (!target.ok)
          throw new MalformedRequestError('The request target is not a path this server can read');
        return await dispatch(app, incoming, ctx);
      } catch (err) {
        if (!(err instanceof AppError)) {
          unhandled = true;
          log.error('request failed', { err, path, method: incoming.method });
        }
        return problemResponse(err, lang, path);
      }
    }),
  );
  observeHttp(ctx.route, incoming.method, response.status, started, unhandled);
  span.span.updateName(`${incoming.method} ${ctx.route}`);
  span.span.setAttributes({ 'http.route': ctx.route, 'http.response.status_code': response.status });
  finish(span.span, unhandled || response.status >= 500 ? `status ${response.status}` : undefined);
  response.headers = { ...response.headers, 'x-request-id': requestId, traceparent };
  if (response.status >= 500 || path !== '/healthz')
    log.debug('request', {
      method: incoming.method,
      path,
      status: response.status,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      requestId,
      traceparent,
    });
  return response;
}

interface Ctx {
  headers: Record<string, string | undefined>;
  search: URLSearchParams;
  path: string;
  lang: 'en' | 'vi';
  requestId: string;
  traceparent: string;
  /** The matched route's pattern (`/orders/:id`) once dispatch knows it: the metrics' route label. */
  route: string;
}

async function dispatch(app: HttpApp, incoming: IncomingHttp, ctx: Ctx): Promise<HttpResponse> {
  const { path } = ctx;
  // HEAD is GET without the body (RFC 9110 §9.3.2): the same route answers, and Node's
  // ServerResponse drops the body of an answer to HEAD while keeping its headers.
  const method = incoming.method === 'HEAD' ? 'GET' : incoming.method;
  if (incoming.body.length > app.maxBodyBytes)
    throw new PayloadTooLargeError(
      `The body is ${incoming.body.length} bytes; the limit is ${app.maxBodyBytes}`,
    );
  if (path === '/healthz' && method === 'GET') {
    ctx.route = path;
    return { status: 200, body: { status: 'ok', function: app.name } };
  }
  if (path === '/readyz' && method === 'GET') {
    ctx.route = path;
    if (app.draining()) return { status: 503, body: { status: 'draining', function: app.name } };
    await app.ready();
    return { status: 200, body: { status: 'ready', function: app.name } };
  }
  if (path === CLOUDEVENTS_PATH && app.events) {
    ctx.route = path;
    if (incoming.method !== 'POST')
      throw new MethodNotAllowedError('CloudEvents are delivered with POST', { allow: 'POST' });
    return app.events(incoming, { requestId: ctx.requestId });
  }
  const candidates = app.routes
    .map((r) => ({ r, params: matchPath(r.path, path) }))
    .filter((c): c is { r: Route; params: Record<string, string> } => c.params !== undefined);
  if (candidates.length === 0) throw new NotFoundError(`No route for ${path}`);
  const hit = candidates.find((c) => c.r.method === method);
  if (!hit) {
    const methods = candidates.flatMap((c) => (c.r.method === 'GET' ? ['GET', 'HEAD'] : [c.r.method]));
    const allow = [...new Set(methods)].join(', ');
    throw new MethodNotAllowedError(`${incoming.method} is not allowed on ${path}`, { allow });
  }
  ctx.route = hit.r.path;
  const release = app.admit ? app.admit() : () => {};
  if (!release) throw new OverloadedError(`${app.name} is at its limit of requests in flight`);
  try {
    return await handleRoute(hit, incoming, ctx);
  } finally {
    release();
  }
}

async function handleRoute(
  hit: { r: Route; params: Record<string, string> },
  incoming: IncomingHttp,
  ctx: Ctx,
): Promise<HttpResponse> {
  const { path } = ctx;
  const params = checked(cleanParams(hit.params), 'path');
  const rawQuery = checked(cleanParams(Object.fromEntries(ctx.search)), 'query string');
  const req: HttpRequest<unknown, Record<string, string>> = {
    method: incoming.method,
    path,
    params,
    query: rawQuery,
    search: ctx.search,
    headers: ctx.headers,
    body: undefined,
    rawBody: incoming.body,
    requestId: ctx.requestId,
    traceparent: ctx.traceparent,
    lang: ctx.lang,
    remoteAddress: incoming.remoteAddress ?? '',
  };
  if (hit.r.guard) {
    const verdict = await hit.r.guard(req);
    if ('response' in verdict) return verdict.response;
    req.auth = verdict.principal;
  }
  if (hit.r.params) validate(hit.r.params, params, 'path');
  const query = hit.r.query ? validate(hit.r.query, rawQuery, 'query string') : rawQuery;
  const body = hit.r.body ? validate(hit.r.body, parseJsonBody(ctx.headers, incoming.body)) : undefined;
  const response = await hit.r.handle({ ...req, query, body });
  return { ...response, headers: { 'content-language': ctx.lang, ...response.headers } };
}

/**
 * The version an `If-Match` header asks for when the API's ETags are `"<prefix><version>"` (e.g.
 * `"v3"`): undefined without the header or for `*`; any other tag is a 412.
 */
export function ifMatchVersion(header: string | undefined, prefix: string): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"([a-z]+)([1-9][0-9]{0,9})"\s*$/.exec(header);
  if (!m || m[1] !== prefix)
    throw new PreconditionFailedError(`If-Match must be an ETag this API issued, e.g. "${prefix}3"`);
  return Number(m[2]);
}

/**
 * The gateway: one port that routes request paths to functions by the registry's public route
 * prefixes. `make dev` runs it in process on loopback; in a cluster it is the one public Knative
 * Service (`node dist/functions/shared/gateway.js`) in front of the cluster-local functions.
 * `/healthz` answers for the gateway, `/readyz` reports every function's readiness (it wakes
 * functions scaled to zero). Only `make dev` turns on `/_fn/<name>/…`, which reaches a function
 * directly (e.g. its /healthz); the cluster entry point has no way to. CloudEvent deliveries are
 * never forwarded: only the broker delivers events. The API's contracts and reference page
 * (`/openapi.json`, `/openapi-webhooks.json`, `/asyncapi.json`, `/docs`) come from api-reference.ts.
 *
 * Requests pass the transport guard (transport.ts) and the body is read, up to the target
 * function's limit, before anything is sent upstream: an over-limit body is a 413 at once and a
 * stalled one a 408, and neither ever reaches a function.
 */
import { request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { functionForPath, registry } from '../registry';
import { isReferencePath, referenceAnswer } from './api-reference';
import { baseConfigSpec } from './config';
import {
  AppError,
  BadGatewayError,
  GatewayTimeoutError,
  MalformedRequestError,
  NotFoundError,
  PayloadTooLargeError,
  toProblem,
} from './errors';
import { CLOUDEVENTS_PATH, pickLanguage } from './http';
import { createLogger } from './log';
import { parseTarget } from './target';
import { finish, initTracing, serverSpan } from './tracing';
import { DEFAULT_TRANSPORT, hardenServer, readBody, refuse, type TransportLimits } from './transport';

/** Where each function listens, by name. */
export type Upstreams = Record<string, string>;

/** Gateway settings. */
export interface GatewayOptions {
  /** Interface to listen on (loopback unless told). */
  host?: string;
  /** Serve `/_fn/<name>/…` straight to a function: a `make dev` convenience, never in a cluster. */
  direct?: boolean;
  /** Header and request timeouts. */
  transport?: TransportLimits;
  /** How long an upstream may take to answer before a 504 (Knative's own default is 300 s). */
  upstreamTimeoutMs?: number;
}

const log = createLogger('gateway');
/** The body limit of a function without its own (the runtime's MAX_BODY_BYTES default). */
const DEFAULT_BODY_LIMIT = baseConfigSpec.MAX_BODY_BYTES.read(undefined);
const BODY_LIMITS = new Map(registry.map((fn) => [fn.name, fn.maxBodyBytes ?? DEFAULT_BODY_LIMIT]));
/** Headers that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

async function readiness(upstreams: Map<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await Promise.all(
    [...upstreams].map(async ([name, base]) => {
      try {
        const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
        out[name] = res.ok ? 'ready' : `not ready (${res.status})`;
      } catch (err) {
        out[name] = `unreachable (${(err as Error).message})`;
      }
    }),
  );
  return out;
}

/** Upstreams of every function with routes, from a template such as `http://{name}.tuoi.svc.cluster.local`. */
export function upstreamsFrom(template: string): Upstreams {
  return Object.fromEntries(
    registry.filter((fn) => fn.routes.length > 0).map((fn) => [fn.name, template.replace('{name}', fn.name)]),
  );
}

/**
 * The headers sent upstream: the client's without hop-by-hop ones, Host set to the upstream (a
 * Knative ingress routes by Host), the original host and scheme kept in X-Forwarded-Host/-Proto,
 * and the peer appended to X-Forwarded-For as every proxy does.
 */
export function upstreamHeaders(
  headers: Record<string, string | string[] | undefined>,
  upstream: URL,
  peer: string | undefined,
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = { ...headers, host: upstream.host };
  for (const name of HOP_BY_HOP) delete out[name];
  if (headers.host && !headers['x-forwarded-host']) out['x-forwarded-host'] = headers.host;
  out['x-forwarded-proto'] ??= 'http';
  const chain = [headers['x-forwarded-for']].flat().filter(Boolean).join(', ');
  if (peer) out['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  return out;
}

/** Where a request path goes: a function and the path to ask it for, or nowhere. */
export function routeOf(
  pathname: string,
  upstreams: Map<string, string>,
  direct: boolean,
): { fn: string; base: string; path: string } | undefined {
  const shortcut = direct ? /^\/_fn\/([a-z0-9-]+)(\/.*)?$/.exec(pathname) : null;
  if (shortcut) {
    const fn = shortcut[1] as string;
    const path = shortcut[2] ?? '/';
    const base = upstreams.get(fn);
    return base && path !== CLOUDEVENTS_PATH ? { fn, base, path } : undefined;
  }
  const fn = functionForPath(pathname, registry);
  const base = fn && upstreams.get(fn.name);
  return fn && base ? { fn: fn.name, base, path: pathname } : undefined;
}

function answer(req: IncomingMessage, res: ServerResponse, err: AppError): void {
  if (res.headersSent) return void res.destroy();
  const lang = pickLanguage(new URLSearchParams(), req.headers['accept-language']);
  const body = JSON.stringify(toProblem(err, lang));
  res.writeHead(err.status, {
    'content-type': 'application/problem+json',
    'content-language': lang,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Proxies one request; every failure becomes a problem answer, nothing throws. */
async function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  upstreams: Map<string, string>,
  opts: Required<Pick<GatewayOptions, 'direct' | 'upstreamTimeoutMs'>>,
): Promise<void> {
  const target = parseTarget(req.url);
  if (!target.ok)
    return refuse(
      req,
      res,
      new MalformedRequestError('The request target is not a path this gateway can read'),
    );
  if (target.pathname === '/healthz')
    return sendJson(res, 200, { status: 'ok', functions: [...upstreams.keys()] });
  if (target.pathname === '/readyz') {
    const r = await readiness(upstreams);
    const ok = Object.values(r).every((s) => s === 'ready');
    return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', functions: r });
  }
  if (isReferencePath(target.pathname)) {
    const answer = referenceAnswer(req.method ?? 'GET', target.pathname, req.headers['if-none-match']);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return;
  }
  const hop = routeOf(target.pathname, upstreams, opts.direct);
  if (!hop) return refuse(req, res, new NotFoundError(`No function serves ${target.pathname}`));
  const limit = BODY_LIMITS.get(hop.fn) ?? DEFAULT_BODY_LIMIT;
  const read = await readBody(req, limit);
  if (!read.ok) {
    if (read.reason === 'too-large')
      refuse(req, res, new PayloadTooLargeError(`The body is larger than the limit of ${limit} bytes`));
    else res.destroy();
    return;
  }
  const upstream = new URL(hop.base);
  const headers = upstreamHeaders(req.headers, upstream, req.socket.remoteAddress);
  // The gateway starts the trace, or continues the client's: every function's span is a child.
  const span = serverSpan(`${req.method} ${hop.fn}`, req.headers, {
    'http.request.method': req.method ?? '',
    'tuoi.function': hop.fn,
  });
  headers.traceparent = span.traceparent;
  if (span.tracestate) headers.tracestate = span.tracestate;
  else delete headers.tracestate;
  res.once('close', () => {
    span.span.setAttribute('http.response.status_code', res.statusCode);
    finish(span.span, res.statusCode >= 500 ? `status ${res.statusCode}` : undefined);
  });
  if (read.body.length > 0 || req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH')
    headers['content-length'] = String(read.body.length);
  await new Promise<void>((resolve) => {
    const proxied = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: hop.path + target.search,
        headers,
        timeout: opts.upstreamTimeoutMs,
      },
      (up) => {
        const out = { ...up.headers };
        for (const name of HOP_BY_HOP) delete out[name];
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
        up.once('error', () => res.destroy());
        up.once('end', resolve);
        res.once('close', () => {
          up.destroy();
          resolve();
        });
      },
    );
    proxied.once('timeout', () =>
      proxied.destroy(new GatewayTimeoutError('The function did not answer in time')),
    );
    proxied.once('error', (err) => {
      if (!(err instanceof AppError)) log.warn('upstream failed', { fn: hop.fn, err: err.message });
      answer(
        req,
        res,
        err instanceof AppError ? err : new BadGatewayError(`The ${hop.fn} function did not answer`),
      );
      resolve();
    });
    proxied.end(read.body);
  });
}

/** Starts the gateway on `port` (0 = any). */
export async function startGateway(
  port: number,
  upstreams: Upstreams,
  opts: GatewayOptions = {},
): Promise<{ server: Server; port: number }> {
  const table = new Map(Object.entries(upstreams));
  const settings = { direct: opts.direct ?? false, upstreamTimeoutMs: opts.upstreamTimeoutMs ?? 300_000 };
  const server = hardenServer(
    createServer((req, res) => {
      res.on('error', () => undefined); // a client that went away is not the gateway's problem
      proxy(req, res, table, settings).catch((err: unknown) => {
        log.error('gateway failed to answer', { err });
        answer(req, res, new BadGatewayError('The gateway could not forward the request'));
      });
    }),
    opts.transport ?? DEFAULT_TRANSPORT,
  );
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, opts.host ?? '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/** Entry point in a cluster: PORT, and GATEWAY_UPSTREAM with `{name}` for the function's name. */
export async function main(env = process.env): Promise<void> {
  const template = env.GATEWAY_UPSTREAM;
  if (!template?.includes('{name}')) {
    log.error(
      'Set GATEWAY_UPSTREAM to a URL template with {name}, e.g. http://{name}.tuoi.svc.cluster.local',
    );
    process.exit(78);
  }
  const upstreams = upstreamsFrom(template);
  const tracing = initTracing('gateway', env);
  const { server, port } = await startGateway(Number(env.PORT ?? 8080), upstreams, { host: '0.0.0.0' });
  log.info('serving', { port, functions: Object.keys(upstreams) });
  process.once('SIGTERM', () => {
    server.close(() => void (tracing?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0)));
    server.closeIdleConnections();
  });
}

if (require.main === module) void main();

/**
 * The gateway: one port that routes request paths to functions by the registry's route
 * prefixes. `make dev` runs it in process on loopback; in a cluster it is the one public Knative
 * Service (`node dist/functions/shared/gateway.js`) in front of the cluster-local functions.
 * `/_fn/<name>/…` reaches a function directly (e.g. its /healthz); `/healthz` answers for the
 * gateway, `/readyz` reports every function's readiness (it wakes functions scaled to zero).
 */
import { createServer, request, type Server } from 'node:http';
import { functionForPath, registry } from '../registry';
import { createLogger } from './log';

/** Where each function listens, by name. */
export type Upstreams = Record<string, string>;

function problem(status: number, title: string, detail: string): { status: number; body: string } {
  return { status, body: JSON.stringify({ type: 'about:blank', title, status, detail }) };
}

async function readiness(upstreams: Upstreams): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await Promise.all(
    Object.entries(upstreams).map(async ([name, base]) => {
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
 * The headers sent upstream: the client's, with Host set to the upstream (a Knative ingress
 * routes by Host), the original host and scheme kept in X-Forwarded-Host/-Proto, and the peer
 * appended to X-Forwarded-For as every proxy does.
 */
export function upstreamHeaders(
  headers: Record<string, string | string[] | undefined>,
  upstream: URL,
  peer: string | undefined,
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = { ...headers, host: upstream.host };
  if (headers.host && !headers['x-forwarded-host']) out['x-forwarded-host'] = headers.host;
  out['x-forwarded-proto'] ??= 'http';
  const chain = [headers['x-forwarded-for']].flat().filter(Boolean).join(', ');
  if (peer) out['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  return out;
}

/** Starts the gateway on `port` (0 = any) and `host` (loopback unless told). */
export async function startGateway(
  port: number,
  upstreams: Upstreams,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/healthz')
      return send(200, JSON.stringify({ status: 'ok', functions: Object.keys(upstreams) }));
    if (url.pathname === '/readyz') {
      void readiness(upstreams).then((r) => {
        const ok = Object.values(r).every((s) => s === 'ready');
        send(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ready' : 'not ready', functions: r }));
      });
      return;
    }
    let target: string | undefined;
    let path = url.pathname + url.search;
    const direct = /^\/_fn\/([a-z0-9-]+)(\/.*)?$/.exec(url.pathname);
    if (direct) {
      target = upstreams[direct[1] as string];
      path = (direct[2] ?? '/') + url.search;
    } else {
      const fn = functionForPath(url.pathname, registry);
      target = fn && upstreams[fn.name];
    }
    if (!target) {
      const p = problem(404, 'Not found', `No function serves ${url.pathname}`);
      return send(p.status, p.body, 'application/problem+json');
    }
    const upstream = new URL(target);
    const proxied = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path,
        headers: upstreamHeaders(req.headers, upstream, req.socket.remoteAddress),
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    proxied.on('error', (err) => {
      const p = problem(502, 'Bad gateway', `The function did not answer: ${err.message}`);
      if (!res.headersSent) send(p.status, p.body, 'application/problem+json');
      else res.destroy();
    });
    req.pipe(proxied);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/** Entry point in a cluster: PORT, and GATEWAY_UPSTREAM with `{name}` for the function's name. */
export async function main(env = process.env): Promise<void> {
  const log = createLogger('gateway');
  const template = env.GATEWAY_UPSTREAM;
  if (!template?.includes('{name}')) {
    log.error(
      'Set GATEWAY_UPSTREAM to a URL template with {name}, e.g. http://{name}.tuoi.svc.cluster.local',
    );
    process.exit(78);
  }
  const upstreams = upstreamsFrom(template);
  const { server, port } = await startGateway(Number(env.PORT ?? 8080), upstreams, '0.0.0.0');
  log.info('serving', { port, functions: Object.keys(upstreams) });
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}

if (require.main === module) void main();

/**
 * The dev gateway: one port that routes request paths to functions by the registry's route
 * prefixes, as the production ingress does. `/_fn/<name>/…` reaches a function directly (e.g.
 * its /healthz); `/healthz` answers for the gateway, `/readyz` reports every function's readiness.
 */
import { createServer, request, type Server } from 'node:http';
import { functionForPath, registry } from '../../functions/registry';

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

/** Starts the gateway on `port` (0 = any). */
export async function startGateway(
  port: number,
  upstreams: Upstreams,
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
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
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
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/**
 * The transport guard on all three servers (gateway, lean host, functions-framework host), spoken
 * to over raw sockets: malformed and absolute-form targets, oversized and stalled headers and
 * bodies. Every refusal is problem+json and every server keeps serving afterwards.
 */
import type { Server } from 'node:http';
import { startGateway } from './gateway';
import { serveFramework } from './framework-host';
import { serveLean, type LeanServer } from './host';
import { echoFunction } from './testing/echo-function';
import { rawRequest, type RawAnswer } from './testing/raw-http';
import { parseTarget } from './target';

const FAST = { HEADERS_TIMEOUT_MS: '400', REQUEST_TIMEOUT_MS: '800', MAX_BODY_BYTES: '65536' };
let lean: LeanServer;
let framework: LeanServer;
let gateway: { server: Server; port: number };

beforeAll(async () => {
  lean = await serveLean(echoFunction, { port: 0, env: FAST });
  framework = await serveFramework(echoFunction, { port: 0, env: FAST });
  gateway = await startGateway(
    0,
    { pulse: `http://127.0.0.1:${lean.port}`, catalog: `http://127.0.0.1:${framework.port}` },
    { direct: true, transport: { headersTimeoutMs: 400, requestTimeoutMs: 800 } },
  );
});
afterAll(async () => {
  await new Promise((r) => gateway.server.close(r));
  gateway.server.closeAllConnections();
  await Promise.all([lean.close(), framework.close()]);
});

const servers = () =>
  [
    ['gateway', () => gateway.port],
    ['lean host', () => lean.port],
    ['functions-framework host', () => framework.port],
  ] as const;

function expectProblem(answer: RawAnswer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(answer.body)).toMatchObject({ status });
}

async function stillServes(port: number, path: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  expect(res.status).toBeLessThan(500);
}

describe('parseTarget', () => {
  it.each([
    ['/a/b?c=d', '/a/b', '?c=d'],
    ['//[x]/products', '//[x]/products', ''],
    ['http://api.tuoi.vn/products?q=1', '/products', '?q=1'],
    ['/a/../cloudevents', '/cloudevents', ''],
    ['/a/%2e%2e/cloudevents', '/cloudevents', ''],
  ])('reads %s as path %s', (raw, pathname, search) => {
    expect(parseTarget(raw)).toMatchObject({ ok: true, pathname, search });
  });

  it.each(['', '*', 'x', 'http://x:99999/', 'http://[x]/', 'ftp://x/', '/a%', '/%E0%A4%A'])(
    'refuses %j',
    (raw) => {
      expect(parseTarget(raw)).toEqual({ ok: false });
    },
  );
});

describe.each(servers())('%s', (name, port) => {
  const path = name === 'gateway' ? '/_fn/pulse/echo' : '/echo';

  it.each([
    ['an absolute-form target with a bad port', 'GET http://x:99999/ HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a path that does not percent-decode', 'GET /echo%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a malformed request line', 'GET /echo HTTP/9.9 extra\r\nHost: x\r\n\r\n', 400],
    ['a header without a colon', 'GET /echo HTTP/1.1\r\nHost: x\r\nbroken\r\n\r\n', 400],
    ['a NUL in a header', 'GET /echo HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n', 400],
    ['20 KiB of headers', `GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ])('answers %s with problem+json and keeps serving', async (_case, request, status) => {
    expectProblem(await rawRequest(port(), [request]), status);
    await stillServes(port(), path);
  });

  it('answers //[x]/… (not a URL with a bad host) without dying', async () => {
    const answer = await rawRequest(port(), ['GET //[x]/products HTTP/1.1\r\nHost: x\r\n\r\n'], 1_000);
    expectProblem(answer, 404);
    await stillServes(port(), path);
  });

  it('refuses a declared 1 GiB body at once with 413, closing the connection', async () => {
    const answer = await rawRequest(
      port(),
      [
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{}`,
      ],
      2_500,
    );
    expectProblem(answer, 413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.ms).toBeLessThan(1_000);
    expect(answer.closed).toBe(true);
    await stillServes(port(), path);
  });

  it('refuses a chunked body as soon as it passes the limit', async () => {
    const chunk = `10000\r\n${'a'.repeat(0x10000)}\r\n`;
    const answer = await rawRequest(
      port(),
      [
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        ...Array<string>(20).fill(chunk),
      ],
      2_500,
    );
    expectProblem(answer, 413);
    expect(answer.closed).toBe(true);
  });

  it('times out stalled headers with 408', async () => {
    const answer = await rawRequest(port(), ['GET /echo HTTP/1.1\r\nHost: x\r\n'], 3_000);
    expectProblem(answer, 408);
    expect(answer.closed).toBe(true);
  });

  it('times out a stalled body with 408', async () => {
    const answer = await rawRequest(
      port(),
      [
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"no`,
      ],
      3_000,
    );
    expectProblem(answer, 408);
    expect(answer.closed).toBe(true);
    await stillServes(port(), path);
  });

  it('serves a body within the limit', async () => {
    const res = await fetch(`http://127.0.0.1:${port()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(60_000) }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 60_011 });
  });
});

describe('gateway routing', () => {
  const base = () => `http://127.0.0.1:${gateway.port}`;

  it.each([
    '/_fn/constructor/healthz',
    '/_fn/__proto__/healthz',
    '/_fn/toString/echo',
    '/_fn/hasOwnProperty',
  ])('answers %s (not a function) with 404 and stays up', async (path) => {
    const answer = await rawRequest(gateway.port, [`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`], 1_000);
    expectProblem(answer, 404);
    await stillServes(gateway.port, '/healthz');
  });

  it('never forwards CloudEvent deliveries, not even on the dev shortcut', async () => {
    const res = await fetch(`${base()}/_fn/pulse/cloudevents`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('has no shortcut unless it is turned on', async () => {
    const plain = await startGateway(0, { pulse: `http://127.0.0.1:${lean.port}` });
    try {
      const res = await fetch(`http://127.0.0.1:${plain.port}/_fn/pulse/healthz`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      plain.server.close();
    }
  });

  it("applies the target function's own body limit: 16 MiB for catalog imports, 1 MiB elsewhere", async () => {
    const two = JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) });
    const pulse = await fetch(`${base()}/pulse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: two,
    });
    expect(pulse.status).toBe(413);
    expect(pulse.headers.get('content-type')).toBe('application/problem+json');
    // catalog (here the framework-hosted echo with a 64 KiB limit) gets the 2 MiB and refuses it itself.
    const catalog = await fetch(`${base()}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: two,
    });
    expect(catalog.status).toBe(413);
    await stillServes(gateway.port, '/_fn/pulse/echo');
  });

  it('answers an upstream that is down with 502 problem+json', async () => {
    const down = await startGateway(0, { pulse: 'http://127.0.0.1:1' });
    try {
      const res = await fetch(`http://127.0.0.1:${down.port}/pulse`);
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ status: 502, type: 'https://tuoi.vn/problems/bad-gateway' });
    } finally {
      down.server.close();
    }
  });
});

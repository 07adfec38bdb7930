/**
 * The outbound client against a real local HTTP server whose answers the test scripts: it stalls,
 * fails (5xx, connection resets) and recovers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { configureLogging } from './log';
import {
  ProviderUnavailableError,
  backoffDelayMs,
  createOutboundClient,
  isIdempotent,
  type OutboundClient,
  type OutboundOptions,
} from './outbound';

/** What the server does with one request: answer a status, stall forever, or reset the connection. */
type Action = number | 'stall' | 'reset';

let server: Server;
let base: string;
const script = new Map<string, Action[]>();
const hits: { path: string; method: string; headers: IncomingHttpHeaders }[] = [];
const clients: OutboundClient[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push({ path, method: req.method ?? '', headers: req.headers });
    req.resume();
    const action = script.get(path)?.shift() ?? 200;
    if (action === 'stall') return;
    if (action === 'reset') return void req.socket.destroy();
    res.writeHead(action, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path, status: action }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterEach(() => clients.splice(0).forEach((c) => c.close()));
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

let paths = 0;
/** A path of its own for one test, answered by `actions` in order (then 200). */
const scripted = (...actions: Action[]) => {
  const path = `/p${++paths}`;
  script.set(path, actions);
  return path;
};
const hitsOf = (path: string) => hits.filter((h) => h.path === path);
const client = (opts: Partial<OutboundOptions> = {}) => {
  const c = createOutboundClient({
    provider: 'test',
    baseUrl: base,
    timeoutMs: 1000,
    random: () => 0.5,
    ...opts,
  });
  clients.push(c);
  return c;
};
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as ProviderUnavailableError,
  );

describe('isIdempotent', () => {
  it.each([
    ['GET', undefined, true],
    ['head', undefined, true],
    ['PUT', undefined, true],
    ['DELETE', undefined, true],
    ['POST', undefined, false],
    ['PATCH', undefined, false],
    ['POST', 'order-1', true],
  ])('%s with key %s → %s', (method, idempotencyKey, expected) => {
    expect(isIdempotent({ method, idempotencyKey })).toBe(expected);
  });

  it('retries a POST marked safe (a read with a body)', () => {
    expect(isIdempotent({ method: 'POST', safe: true })).toBe(true);
  });
});

describe('backoffDelayMs', () => {
  const backoff = { baseMs: 100, maxMs: 1000 };
  it.each([
    [1, 0.999, 99],
    [2, 0.999, 199],
    [3, 0.5, 200],
    [10, 0.999, 999],
    [3, 0, 0],
  ])('retry %d with random %d → %d ms', (n, r, ms) => {
    expect(backoffDelayMs(n, backoff, () => r)).toBe(ms);
  });
});

describe('outbound client', () => {
  it('aborts an attempt that stalls past its timeout', async () => {
    const path = scripted('stall');
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 150, retries: 0 }).request({ method: 'GET', path }));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ reason: 'timeout', attempts: 1, status: 503 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('retries an idempotent request through a 503, a stall and a reset, then succeeds', async () => {
    const path = scripted(503, 'stall', 'reset');
    const res = await client({ timeoutMs: 150, retries: 3 }).request({ method: 'GET', path });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ path, status: 200 });
    expect(hitsOf(path)).toHaveLength(4);
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    const [failing, reset] = [scripted(503), scripted('reset')];
    const c = client({ retries: 3 });
    expect(await failure(c.request({ method: 'POST', path: failing, body: {} }))).toMatchObject({
      reason: 'status',
      lastStatus: 503,
      attempts: 1,
    });
    expect(await failure(c.request({ method: 'POST', path: reset, body: {} }))).toMatchObject({
      reason: 'network',
      attempts: 1,
    });
    expect([hitsOf(failing).length, hitsOf(reset).length]).toEqual([1, 1]);
  });

  it('retries a POST carrying an Idempotency-Key, with the same key each time', async () => {
    const path = scripted(500, 502);
    const res = await client({ retries: 2 }).request({
      method: 'POST',
      path,
      body: { amount: 1 },
      idempotencyKey: 'order-42',
    });
    expect(res.status).toBe(200);
    expect(hitsOf(path).map((h) => h.headers['idempotency-key'])).toEqual([
      'order-42',
      'order-42',
      'order-42',
    ]);
  });

  it('gives up after the retries are spent', async () => {
    const path = scripted(503, 503, 503, 503);
    expect(await failure(client({ retries: 2 }).request({ method: 'GET', path }))).toMatchObject({
      reason: 'status',
      lastStatus: 503,
      attempts: 3,
    });
    expect(hitsOf(path)).toHaveLength(3);
  });

  it('returns other 4xx answers without retrying, and they do not open the breaker', async () => {
    const c = client({ retries: 2, breaker: { volume: 2, errorPercent: 50 } });
    for (const status of [400, 404, 409, 422]) {
      const path = scripted(status);
      expect((await c.request({ method: 'GET', path })).status).toBe(status);
      expect(hitsOf(path)).toHaveLength(1);
    }
    expect(c.breakerState()).toBe('closed');
  });

  it('opens the breaker after failures, fails fast while open, half-opens and recovers', async () => {
    const path = scripted(503, 503, 503, 503);
    const c = client({ retries: 0, breaker: { volume: 3, errorPercent: 50, resetMs: 300 } });
    for (let i = 0; i < 3; i++) await failure(c.request({ method: 'GET', path }));
    expect(c.breakerState()).toBe('open');

    const fast = await failure(c.request({ method: 'GET', path }));
    expect(fast).toMatchObject({ reason: 'circuit-open', attempts: 0 });
    expect(hitsOf(path)).toHaveLength(3); // the provider was not called

    await new Promise((r) => setTimeout(r, 350));
    expect(c.breakerState()).toBe('half-open');
    await failure(c.request({ method: 'GET', path })); // the trial fails: open again
    expect(c.breakerState()).toBe('open');

    await new Promise((r) => setTimeout(r, 350));
    expect((await c.request({ method: 'GET', path })).status).toBe(200); // recovered
    expect(c.breakerState()).toBe('closed');
    expect(hitsOf(path)).toHaveLength(5);
  });

  it('logs requests with secrets, signatures and card and phone numbers removed', async () => {
    const lines: string[] = [];
    configureLogging({ level: 'debug', sink: (l) => lines.push(l) });
    try {
      const path = scripted(503);
      const c = client({ retries: 1, headers: { authorization: 'Bearer sk_live_TOPSECRET' } });
      await c.request({
        method: 'POST',
        path: `${path}?api_key=QUERYSECRET&customer=%2B84901234567`,
        headers: { 'Stripe-Signature': 't=1,v1=SIGSECRET', 'X-Phone': '0901234567' },
        idempotencyKey: 'charge-7',
        body: {
          card: { number: '4242 4242 4242 4242', cvc: '987' },
          phone: '+84901234567',
          client_secret: 'pi_1_secret_BODYSECRET',
        },
      });
    } finally {
      configureLogging({ level: 'silent', sink: (l) => process.stdout.write(l + '\n') });
    }
    const log = lines.join('\n');
    for (const secret of [
      'TOPSECRET',
      'SIGSECRET',
      'QUERYSECRET',
      'BODYSECRET',
      '4242 4242',
      '4242424242',
      '0901234567',
      '84901234567',
    ])
      expect(log).not.toContain(secret);
    expect(log).toContain('************4242');
    expect(log).toContain('"cvc":"[redacted]"');
    expect(log).toContain('"authorization":"[redacted]"');
    expect(log).toContain('"idempotency-key":"charge-7"');
    const responses = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'outbound response');
    expect(responses.map((l) => [l.status, l.attempt])).toEqual([
      [503, 1],
      [200, 2],
    ]);
  });
});

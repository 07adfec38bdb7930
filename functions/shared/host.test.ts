import { request } from 'node:http';
import { route } from './http';
import { serveLean } from './host';
import type { FunctionDefinition } from './runtime';

function slowFunction(closed: string[]): FunctionDefinition {
  return {
    name: 'slow',
    create: () => ({
      routes: [
        route({
          method: 'GET',
          path: '/slow',
          handle: async () => {
            await new Promise((r) => setTimeout(r, 300));
            closed.push('request done');
            return { status: 200, body: { done: true } };
          },
        }),
      ],
      ready: async () => undefined,
      close: async () => void closed.push('pool'),
    }),
  };
}

function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, method: 'POST', headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('lean host', () => {
  it('drains requests in flight before closing pools', async () => {
    const closed: string[] = [];
    const lean = await serveLean(slowFunction(closed), { port: 0, env: { SHUTDOWN_GRACE_MS: '5000' } });
    expect((await fetch(`http://127.0.0.1:${lean.port}/healthz`)).status).toBe(200);
    const inflight = fetch(`http://127.0.0.1:${lean.port}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const closing = lean.close();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(closed).toEqual(['request done', 'pool']); // the pool closed only after the request finished
    await expect(fetch(`http://127.0.0.1:${lean.port}/healthz`)).rejects.toThrow();
  });

  it('answers HEAD as GET, with its headers and no body', async () => {
    const lean = await serveLean(slowFunction([]), { port: 0 });
    try {
      const got = await fetch(`http://127.0.0.1:${lean.port}/slow`);
      const text = await got.text();
      const head = await new Promise<{ status: number; length?: string; type?: string; bytes: number }>(
        (resolve, reject) => {
          const req = request({ port: lean.port, path: '/slow', method: 'HEAD' }, (res) => {
            let bytes = 0;
            res.on('data', (c: Buffer) => (bytes += c.length));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                length: res.headers['content-length'],
                type: res.headers['content-type'],
                bytes,
              }),
            );
          });
          req.on('error', reject);
          req.end();
        },
      );
      expect(head).toEqual({
        status: 200,
        length: String(Buffer.byteLength(text)),
        type: got.headers.get('content-type') ?? undefined,
        bytes: 0,
      });
    } finally {
      await lean.close();
    }
  });

  it('refuses a body larger than the limit with 413 before reading it', async () => {
    const lean = await serveLean(slowFunction([]), { port: 0, env: { MAX_BODY_BYTES: '1024' } });
    try {
      const declared = await post(
        lean.port,
        '/slow',
        { 'content-type': 'application/json', 'content-length': '4096' },
        Buffer.alloc(4096, 32),
      );
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({
        status: 413,
        type: 'https://tuoi.vn/problems/payload-too-large',
      });
      const chunked = await post(
        lean.port,
        '/slow',
        { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        Buffer.alloc(4096, 32),
      );
      expect(chunked.status).toBe(413);
    } finally {
      await lean.close();
    }
  });

  it('stops with a message naming a bad variable', async () => {
    await expect(serveLean(slowFunction([]), { port: 0, env: { MAX_BODY_BYTES: 'lots' } })).rejects.toThrow(
      'MAX_BODY_BYTES must be an integer',
    );
  });
});

describe('overload', () => {
  it('answers past MAX_INFLIGHT at once with a 503 and Retry-After, never probes, and admits again once one ends', async () => {
    const closed: string[] = [];
    const lean = await serveLean(slowFunction(closed), { port: 0, env: { MAX_INFLIGHT: '2' } });
    const url = `http://127.0.0.1:${lean.port}`;
    try {
      const admitted = [fetch(`${url}/slow`), fetch(`${url}/slow`)];
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      const shed = await fetch(`${url}/slow`);
      expect(Date.now() - started).toBeLessThan(250); // not queued behind the 300 ms requests
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      expect(shed.headers.get('content-type')).toBe('application/problem+json');
      expect(await shed.json()).toMatchObject({
        type: 'https://tuoi.vn/problems/overloaded',
        status: 503,
        retry_after: 1,
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200]);
      expect((await fetch(`${url}/slow`)).status).toBe(200);
      // A refused request never reached the handler: two plus the last one ran.
      expect(closed.filter((c) => c === 'request done')).toHaveLength(3);
    } finally {
      await lean.close();
    }
  });

  it('has no limit by default', async () => {
    const lean = await serveLean(slowFunction([]), { port: 0, env: {} });
    try {
      const all = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${lean.port}/slow`)),
      );
      expect(all.every((r) => r.status === 200)).toBe(true);
    } finally {
      await lean.close();
    }
  });
});

/**
 * The gateway serves the API's contracts and a reference page, from this repository's files and
 * with nothing loaded from elsewhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway } from './gateway';
import { repoRoot } from './paths';

let gateway: Awaited<ReturnType<typeof startGateway>>;
let base: string;
beforeAll(async () => {
  gateway = await startGateway(0, {});
  base = `http://127.0.0.1:${gateway.port}`;
});
afterAll(async () => {
  gateway.server.closeAllConnections();
  await new Promise((r) => gateway.server.close(r));
});

describe('the API reference at the gateway', () => {
  it.each(['openapi.json', 'openapi-webhooks.json', 'asyncapi.json'])(
    '/%s is the committed document, cacheable by its ETag',
    async (name) => {
      const res = await fetch(`${base}/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.text()).toBe(readFileSync(join(repoRoot(), 'docs', name), 'utf8'));
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      const again = await fetch(`${base}/${name}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    },
  );

  it('/docs renders with the local Redoc bundle, and its policy allows nothing from elsewhere', async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<redoc spec-url="/openapi.json"');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/docs/redoc.standalone.js']);
    expect(html).not.toMatch(/https?:\/\//);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    const bundle = await fetch(`${base}/docs/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect(await (await fetch(`${base}/docs/webhooks`)).text()).toContain(
      'spec-url="/openapi-webhooks.json"',
    );
  });

  it('answers HEAD without a body and refuses a write with a 405 problem', async () => {
    const head = await fetch(`${base}/openapi.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    const post = await fetch(`${base}/openapi.json`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(post.headers.get('content-type')).toBe('application/problem+json');
    expect(await post.json()).toMatchObject({ status: 405 });
  });
});

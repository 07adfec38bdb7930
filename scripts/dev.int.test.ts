/**
 * `make dev` smoke test: the real dev runner on embedded PostgreSQL in a temporary data folder.
 * Start, /healthz through the gateway, emit an event, see it consumed, register and verify from
 * the dev outbox, stop; start again and find the data kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry } from '../functions/registry';
import { metricValue, scrape } from '../functions/shared/testing/metrics';
import { built, freePortBlock, startNode } from './testing/processes';

const dataDir = mkdtempSync(join(tmpdir(), 'tuoi-dev-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startDev() {
  // One block for everything dev listens on: the gateway, the embedded PostgreSQL, a port per
  // function, then a metrics port per function and one for the runner (router and relay).
  const gateway = await freePortBlock(2 * registry.length + 3);
  const [pg, functions, metrics] = [gateway + 1, gateway + 2, gateway + 2 + registry.length];
  const env = {
    METRICS_PORT: '',
    METRICS_BASE_PORT: String(metrics),
    DEV_DATA_DIR: dataDir,
    GATEWAY_PORT: String(gateway),
    FUNCTION_BASE_PORT: String(functions),
    EMBEDDED_PG_PORT: String(pg),
    DATABASE_URL: '',
    KAFKA_BROKERS: '',
    LOG_LEVEL: 'warn',
  };
  const dev = startNode([built('scripts/dev.js')], env);
  // A first start seeds 50,000 products and builds the search index (about a minute on two idle cores).
  await dev.waitFor('[dev] ready', 200_000);
  return { dev, base: `http://127.0.0.1:${gateway}`, metrics };
}

async function stop(dev: Awaited<ReturnType<typeof startDev>>['dev']) {
  dev.proc.kill('SIGINT');
  expect(await dev.exited()).toBe(0);
  expect(dev.output()).toContain('[dev] stopped');
}

describe('make dev', () => {
  let pulseId = '';

  it('starts everything, routes through the gateway, delivers an event, and stops cleanly', async () => {
    const { dev, base, metrics } = await startDev();
    try {
      expect(dev.output()).toContain('[dev] gateway');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${base}/_fn/pulse/healthz`)).json()).toEqual({
        status: 'ok',
        function: 'pulse',
      });
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
      const products = (await (await fetch(`${base}/products?limit=1&lang=vi`)).json()) as {
        items: unknown[];
      };
      expect(products.items).toHaveLength(1);
      const found = (await (await fetch(`${base}/search?q=nuoc%20mam`)).json()) as {
        total: number;
        hits: { name_vi: string }[];
      };
      expect(found.total).toBeGreaterThan(0);
      expect(found.hits[0]?.name_vi.toLowerCase()).toContain('nước mắm');

      // Sign in as the dev staff member; inventory verifies the token against the JWKS it fetches
      // from the user function through the gateway.
      const login = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: 'staff@tuoi.local', password: 'tuoi-dev-password-2026' }),
      });
      expect(login.status).toBe(200);
      const { access_token } = (await login.json()) as { access_token: string };
      const auth = { authorization: `Bearer ${access_token}` };
      expect(await (await fetch(`${base}/me`, { headers: auth })).json()).toMatchObject({ role: 'staff' });
      const sku = (products.items[0] as { sku: string }).sku;
      expect((await fetch(`${base}/stock/${sku}/lots`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${base}/stock/${sku}/lots`)).status).toBe(401);

      const res = await fetch(`${base}/pulse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"note":"smoke"}',
      });
      expect(res.status).toBe(202);
      pulseId = ((await res.json()) as { id: string }).id;
      let view: { status?: string; deliveries?: number } = {};
      const deadline = Date.now() + 15_000;
      while (view.status !== 'received' && Date.now() < deadline) {
        view = (await (await fetch(`${base}/pulse/${pulseId}`)).json()) as typeof view;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(view).toMatchObject({ status: 'received', deliveries: 1 });

      // Metrics: pulse (registry index 0) on the first metrics port, the router on the last.
      const pulseType = 'io.tuoi.platform.pulse.v1';
      const fromPulse = await scrape(`http://127.0.0.1:${metrics}/metrics`);
      expect(
        metricValue(fromPulse, 'tuoi_http_requests_total', {
          function: 'pulse',
          route: '/pulse',
          code: '202',
        }),
      ).toBe(1);
      expect(
        metricValue(fromPulse, 'tuoi_http_requests_total', { function: 'pulse', route: '/pulse/:id' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        metricValue(fromPulse, 'tuoi_events_consumed_total', { type: pulseType, outcome: 'processed' }),
      ).toBe(1);
      const fromRouter = await scrape(`http://127.0.0.1:${metrics + registry.length}/metrics`);
      expect(
        metricValue(fromRouter, 'tuoi_event_deliveries_total', {
          function: 'event-router',
          type: pulseType,
          outcome: 'delivered',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(metricValue(fromRouter, 'tuoi_outbox_pending', { schema: 'pulse' })).toBeDefined();
      expect(dev.output()).toContain(
        `event router metrics http://127.0.0.1:${metrics + registry.length}/metrics`,
      );

      // Register: the welcome email with its link lands in the notification function's dev outbox
      // (nothing leaves the machine), and its token verifies the address.
      const email = `dev.${Date.now().toString(36)}@example.vn`;
      const register = await fetch(`${base}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'Rau-muong-xao-toi-2026', lang: 'en' }),
      });
      expect(register.status).toBe(202);
      let messages: { channel: string; title?: string; text: string }[] = [];
      const until = Date.now() + 15_000;
      while (messages.length === 0 && Date.now() < until) {
        const outbox = await fetch(`${base}/notifications/dev/outbox?to=${encodeURIComponent(email)}`);
        messages = ((await outbox.json()) as { messages: typeof messages }).messages;
        if (messages.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ channel: 'email', title: 'Welcome to Tươi: verify your account' });
      const token = /[?&]token=([A-Za-z0-9_-]{43})/.exec(messages[0]!.text)?.[1];
      expect(token).toBeDefined();
      const verify = await fetch(`${base}/auth/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      expect(verify.status).toBe(200);
      expect(dev.output()).not.toContain(token);
    } finally {
      await stop(dev);
    }
  }, 240_000);

  it('reuses the data on the next start', async () => {
    const { dev, base } = await startDev();
    try {
      expect(await (await fetch(`${base}/pulse/${pulseId}`)).json()).toMatchObject({
        id: pulseId,
        note: 'smoke',
        status: 'received',
      });
    } finally {
      await stop(dev);
    }
  }, 240_000);
});

/**
 * The links in customers' messages (the notification function's `linksFor`) against the shop that
 * must open them: every link's path is served by the storefront (no other function's prefix claims
 * it) with a GET route. A renamed page breaks this test, not a customer's email.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linksFor, type Links } from '../functions/notification/templates';
import { functionForPath, registry } from '../functions/registry';
import { matchPath, type Route } from '../functions/shared/http';
import { docsEnv, routeTables } from './lib/route-walk';

const SHOP = 'https://tuoi.vn';
const DATA = {
  order_id: 'ORD-20261207-0001',
  user_id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  verification: { token: 'v'.repeat(43), expires_at: '2026-12-08T00:00:00Z' },
  reset: { token: 'r'.repeat(43), expires_at: '2026-12-08T00:00:00Z' },
};
const KINDS: (keyof Links)[] = ['order', 'cart', 'signin', 'verify', 'reset', 'preferences'];

let shopRoutes: Route[];
let assets: string;

beforeAll(async () => {
  // The shop's routes do not depend on its built script and stylesheet: two stand-in files do.
  assets = mkdtempSync(join(tmpdir(), 'shop-links-'));
  const manifest: Record<string, { file: string }> = {};
  for (const [name, file] of [
    ['app.js', 'app.t.js'],
    ['app.css', 'app.t.css'],
  ] as const) {
    manifest[name] = { file };
    for (const suffix of ['', '.br', '.gz']) writeFileSync(join(assets, file + suffix), '');
  }
  writeFileSync(join(assets, 'manifest.json'), JSON.stringify(manifest));
  const storefront = registry.filter((fn) => fn.name === 'storefront');
  const env = (fn: (typeof registry)[number]) => ({ ...docsEnv(fn), STOREFRONT_ASSETS_DIR: assets });
  shopRoutes = (await routeTables(env, storefront))[0]!.routes;
});

afterAll(() => rmSync(assets, { recursive: true, force: true }));

describe('links in messages', () => {
  const links = linksFor(DATA, SHOP);

  it('builds every kind of link from a full event', () => {
    expect(Object.keys(links).sort()).toEqual([...KINDS].sort());
  });

  it.each(KINDS)('%s opens a page of the shop', (kind) => {
    const url = new URL(links[kind]!);
    expect(url.origin).toBe(SHOP);
    expect(functionForPath(url.pathname)?.name).toBe('storefront');
    const served = shopRoutes.filter((r) => r.method === 'GET' && matchPath(r.path, url.pathname));
    expect(served.map((r) => r.path)).toHaveLength(1);
  });

  it('carries the order id and the secrets encoded, and drops a trailing slash of the shop address', () => {
    const odd = linksFor({ ...DATA, order_id: 'A/B?c' }, `${SHOP}/`);
    expect(odd.order).toBe(`${SHOP}/track/A%2FB%3Fc`);
    expect(new URL(links.verify!).searchParams.get('token')).toBe(DATA.verification.token);
    expect(new URL(links.reset!).searchParams.get('token')).toBe(DATA.reset.token);
  });
});

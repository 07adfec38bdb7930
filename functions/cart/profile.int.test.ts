/**
 * The customer's default substitution preference, read from their profile on the user function
 * with their own token; and a cart that still answers, without prices, when promotions is down.
 */
import { randomUUID } from 'node:crypto';
import { productCreated } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { product } from '../promotions/testing-http';
import { startUser, type RunningUser } from '../user/testing';
import { createCart } from './deps';

let db: TestDatabase;
let user: RunningUser;
let cart: LeanServer;
let base: string;

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 6 });
  user = await startUser(db.url);
  cart = await serveLean(
    { name: 'cart', create: createCart },
    {
      port: 0,
      env: {
        DATABASE_URL: db.url,
        AUTH_JWKS_URL: `${user.base}/.well-known/jwks.json`,
        ...eventAuthEnv('cart'),
        CART_STORE: 'postgres',
        // Nothing listens there: promotions and inventory are down.
        CART_PROMOTIONS_URL: 'http://127.0.0.1:9',
        CART_INVENTORY_URL: 'http://127.0.0.1:9',
        CART_PEER_TIMEOUT_MS: '500',
        CART_USER_URL: user.base,
      },
    },
  );
  base = `http://127.0.0.1:${cart.port}`;
  const res = await signedDelivery(base, 'cart', buildEvent(productCreated, product('TU-MILK-1')));
  expect(res.status).toBeLessThan(300);
});

afterAll(async () => {
  await cart?.close();
  await user?.close();
  await db?.drop();
});

async function signUp(): Promise<string> {
  const email = `c.${randomUUID().slice(0, 8)}@example.vn`;
  const password = 'Rau-muong-xao-toi-2026';
  expect((await user.call('POST', '/auth/register', { json: { email, password } })).status).toBe(202);
  const res = await user.call('POST', '/auth/login', { json: { identifier: email, password } });
  return ((await res.json()) as { access_token: string }).access_token;
}

it("lines follow the customer's default substitution unless they say otherwise; prices wait for promotions", async () => {
  const token = await signUp();
  expect((await user.call('PATCH', '/me', { token, json: { substitution_default: 'none' } })).status).toBe(
    200,
  );
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const mine = (await (await fetch(`${base}/me/cart`, { headers })).json()) as { id: string };
  const add = await fetch(`${base}/carts/${mine.id}/lines`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ sku: 'TU-MILK-1', qty: 2 }),
  });
  expect(add.status).toBe(200);
  const view = (await add.json()) as {
    lines: { substitution: { mode: string }; substitution_is_default: boolean }[];
    quote: unknown;
    quote_error?: string;
  };
  expect(view.lines[0]).toMatchObject({ substitution: { mode: 'none' }, substitution_is_default: true });
  expect(view.quote).toBeNull();
  expect(view.quote_error).toMatch(/Prices could not be computed/);

  const chosen = await fetch(`${base}/carts/${mine.id}/lines/TU-MILK-1?lang=vi`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ substitution: { mode: 'best_match' } }),
  });
  const after = (await chosen.json()) as typeof view;
  expect(after.lines[0]).toMatchObject({
    substitution: { mode: 'best_match' },
    substitution_is_default: false,
  });
  expect(after.quote_error).toMatch(/Chưa tính được giá/);
});

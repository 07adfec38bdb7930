/**
 * 500 customers check out at once, each wanting one carton of a milk of which 100 are in stock,
 * on the whole platform (every function in its own process, events by the local router): exactly
 * 100 orders are confirmed, 400 are cancelled as out of stock in English and Vietnamese, nothing
 * is oversold and no cancelled order holds anything once the sagas settle.
 */
import { randomUUID } from 'node:crypto';
import { productBody } from '../catalog/testing';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { startPlatform, type Platform } from '../../scripts/testing/hostile/platform';
import { checkOrders, settledSagas } from './testing/checker';

const BUYERS = 500;
const UNITS = 100;
const SKU = 'TU-900100';

let platform: Platform;
let gw: string;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(
  method: string,
  path: string,
  token: string,
  json?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${gw}${path}`, {
    method,
    headers: {
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, headers: res.headers };
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

beforeAll(async () => {
  platform = await startPlatform({ events: true });
  gw = platform.gateway.url;
  const staff = platform.tokens.staff;
  expect((await call('POST', '/products', staff, productBody(SKU))).status).toBe(201);
  const stop = Date.now() + 20_000;
  let received = 0;
  while (Date.now() < stop && received !== 201) {
    received = (
      await call('POST', '/stock/receive', staff, {
        lot_id: `lot-${SKU}`,
        sku: SKU,
        location: 'ch-quan-1',
        quantity: UNITS,
        expires_on: addDays(localDateOf(new Date()), 6),
      })
    ).status;
    if (received !== 201) await new Promise((r) => setTimeout(r, 200));
  }
  expect(received).toBe(201);
  // One evening window with room for everyone, so the only thing short is the milk.
  const cal = await call('GET', '/calendars/hcm-quan-1', '');
  const put = await call(
    'PUT',
    '/calendars/hcm-quan-1',
    staff,
    {
      windows: [{ start: '18:00', end: '20:00', capacity: 10_000, fee_vnd: 15_000 }],
      cutoff_minutes: 60,
      days_ahead: 3,
      closures: [],
    },
    { 'if-match': cal.headers.get('etag')! },
  );
  expect(put.status).toBe(200);
}, 240_000);

afterAll(async () => {
  await platform?.stop();
});

it(`${BUYERS} concurrent checkouts for ${UNITS} units: exactly ${UNITS} confirmed, the rest out of stock, nothing leaked`, async () => {
  const slot = `hcm-quan-1:${addDays(localDateOf(new Date()), 1)}:1800`;
  // Customers sign up, save an address and put one carton in their cart.
  const buyers = await pool(
    Array.from({ length: BUYERS }, (_, i) => i),
    16,
    async (i) => {
      const email = `buyer-${i}-${randomUUID().slice(0, 8)}@example.vn`;
      const password = 'mật-khẩu-rất-dài-2026';
      expect((await call('POST', '/auth/register', '', { email, password })).status).toBe(202);
      const token = (await call('POST', '/auth/login', '', { identifier: email, password })).body
        .access_token as string;
      const address = await call('POST', '/me/addresses', token, {
        recipient: `Khách ${i}`,
        phone: '0901234567',
        street: `${i} Lê Lợi`,
        ward: 'Phường Bến Thành',
        province: 'ho-chi-minh',
      });
      const cart = (await call('GET', '/me/cart', token)).body;
      expect((await call('POST', `/carts/${cart.id}/lines`, token, { sku: SKU, qty: 1 })).status).toBe(200);
      return { token, cartId: cart.id as string, addressId: address.body.id as string };
    },
  );
  // All at once. A client told 503 (a peer too slow under the burst) retries with the same key.
  const checkout = async (b: (typeof buyers)[number]) => {
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const res = await call(
        'POST',
        '/checkout',
        b.token,
        {
          cart_id: b.cartId,
          fulfilment: { kind: 'delivery', slot },
          address_id: b.addressId,
          payment_method: 'cod',
        },
        { 'idempotency-key': key },
      );
      if (res.status !== 503 || attempt === 4) return res;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  };
  const placed = await Promise.all(buyers.map(checkout));
  expect(placed.filter((p) => p.status !== 202).map((p) => [p.status, p.body.detail])).toEqual([]);
  const moving = await settledSagas(platform.db.pool, 300_000);
  // On failure, say where the sagas and the router's queue stand.
  const stuck = moving
    ? {
        phases: (
          await platform.db.pool.query(
            `SELECT saga->>'phase' AS phase, count(*)::int AS n FROM orders.orders GROUP BY 1`,
          )
        ).rows,
        queue: (
          await platform.db.pool.query(
            `SELECT trigger, status, count(*)::int AS n, max(last_status) AS last FROM router.deliveries
              WHERE status <> 'delivered' GROUP BY 1, 2 ORDER BY 1, 2`,
          )
        ).rows,
      }
    : undefined;
  expect({ moving, stuck }).toEqual({ moving: 0, stuck: undefined });
  const { rows } = await platform.db.pool.query(
    `SELECT status, reason->>'code' AS code, reason->'message'->>'en' AS en, reason->'message'->>'vi' AS vi, count(*)::int AS n
       FROM orders.orders GROUP BY 1, 2, 3, 4 ORDER BY 1`,
  );
  expect(rows).toEqual([
    {
      status: 'cancelled',
      code: 'out_of_stock',
      en: `Out of stock: Fresh milk ${SKU}`,
      vi: `Hết hàng: Sữa tươi ${SKU}`,
      n: BUYERS - UNITS,
    },
    { status: 'confirmed', code: null, en: null, vi: null, n: UNITS },
  ]);
  // Never oversold: the reservations committed take exactly the 100 cartons there were.
  const reserved = await platform.db.pool.query(
    `SELECT status, count(*)::int AS n, sum((lines->0->>'qty')::int)::int AS units
       FROM inventory.reservations WHERE lines->0->>'sku' = $1 GROUP BY 1 ORDER BY 1`,
    [SKU],
  );
  expect(reserved.rows).toEqual([{ status: 'committed', n: UNITS, units: UNITS }]);
  expect(await checkOrders(platform.db.pool)).toEqual([]);
}, 600_000);

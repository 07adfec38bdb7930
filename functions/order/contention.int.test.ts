/**
 * 500 customers check out at once, each wanting one carton of a milk of which 100 are in stock,
 * on the whole platform (every function in its own process, events by the local router): exactly
 * 100 orders are confirmed, 400 are cancelled as out of stock in English and Vietnamese, nothing
 * is oversold and no cancelled order holds anything once the sagas settle.
 */
import { randomUUID } from 'node:crypto';
import { productBody } from '../catalog/testing';
import { startPlatform, type Platform } from '../../scripts/testing/hostile/platform';
import { checkOrders, settledSagas } from './testing/checker';
import {
  caller,
  checkout,
  eveningWindow,
  inPool,
  newBuyer,
  sleep,
  stocked,
  type Buyer,
} from './testing/shoppers';

const BUYERS = 500;
const UNITS = 100;
const SKU = 'TU-900100';

let platform: Platform;
let slot: string;

beforeAll(async () => {
  platform = await startPlatform({ events: true });
  const call = caller(platform.gateway.url);
  await stocked(call, platform.tokens.staff, productBody(SKU), UNITS);
  // One evening window with room for everyone, so the only thing short is the milk.
  slot = await eveningWindow(call, platform.tokens.staff, 'hcm-quan-1', 10_000);
}, 240_000);

afterAll(async () => {
  await platform?.stop();
});

it(`${BUYERS} concurrent checkouts for ${UNITS} units: exactly ${UNITS} confirmed, the rest out of stock, nothing leaked`, async () => {
  const call = caller(platform.gateway.url);
  const buyers = await inPool(
    Array.from({ length: BUYERS }, (_, i) => i),
    16,
    (i) => newBuyer(call, i, SKU, 1),
  );
  // All at once. A client told 503 (a peer too slow under the burst) retries with the same key.
  const once = async (b: Buyer) => {
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const res = await checkout(call, b, slot, 'cod', key);
      if (res.status !== 503 || attempt === 4) return res;
      await sleep(500 * attempt);
    }
  };
  const placed = await Promise.all(buyers.map(once));
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

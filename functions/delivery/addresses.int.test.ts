/**
 * Availability at one of the customer's own addresses: the delivery function reads it from the
 * user function with the customer's token and resolves its zone by polygon, else by ward name
 * (without accents or "Phường"); an address outside every zone, or someone else's, is refused.
 */
import { randomUUID } from 'node:crypto';
import { eventAuthEnv } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { addDays, localDateOf } from '../shared/vietnam-time';
import { TEST_AUTH_ENV } from '../shared/auth/testing';
import { startUser, type RunningUser } from '../user/testing';
import { createDelivery, deliveryUseCases } from './deps';

let db: TestDatabase;
let user: RunningUser;
let delivery: LeanServer;
let base: string;
const date = addDays(localDateOf(new Date()), 1);

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 6 });
  user = await startUser(db.url);
  delivery = await serveLean(
    { name: 'delivery', create: createDelivery },
    {
      port: 0,
      env: {
        DATABASE_URL: db.url,
        ...TEST_AUTH_ENV,
        // Customers' tokens come from the user function; staff's from the test issuer.
        AUTH_JWKS_URL: `${user.base}/.well-known/jwks.json`,
        ...eventAuthEnv('delivery'),
        DELIVERY_USER_URL: user.base,
      },
    },
  );
  base = `http://127.0.0.1:${delivery.port}`;
});

afterAll(async () => {
  await delivery?.close();
  await user?.close();
  await db?.drop();
});

async function signUp(): Promise<string> {
  const email = `d.${randomUUID().slice(0, 8)}@example.vn`;
  const password = 'Bun-bo-Hue-cay-2026';
  expect((await user.call('POST', '/auth/register', { json: { email, password } })).status).toBe(202);
  const res = await user.call('POST', '/auth/login', { json: { identifier: email, password } });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function address(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${user.base}/me/addresses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      recipient: 'Lê Thị Hoa',
      phone: '0901234567',
      street: '5 Nguyễn Huệ',
      province: 'ho-chi-minh',
      ...body,
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const slots = (token: string | undefined, addressId: string) =>
  fetch(`${base}/slots?address_id=${addressId}&date=${date}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

it('resolves an address to its zone by polygon, else by ward, and refuses one outside every zone', async () => {
  // This function trusts the user function's keys, not the test issuer's staff tokens: seed directly.
  const uc = deliveryUseCases(db.pool, 'delivery', { maxHoldsPerCustomer: 3 });
  await uc.stores.zones.putZone(db.pool, {
    id: 'hcm-center',
    location: 'ch-quan-1',
    province: 'ho-chi-minh',
    name: { en: 'Centre', vi: 'Trung tâm' },
    wards: ['Phường Bến Thành'],
    polygons: [
      [
        [106.69, 10.76],
        [106.71, 10.76],
        [106.71, 10.79],
        [106.69, 10.79],
      ],
    ],
    carriers: ['own_fleet'],
  });
  await uc.calendars.put(
    {
      id: 'hcm-center',
      kind: 'delivery',
      location: 'ch-quan-1',
      template: {
        zone: 'hcm-center',
        windows: [{ start: '18:00', end: '20:00', capacity: 5, feeVnd: 20_000 }],
        cutoffMinutes: 60,
        daysAhead: 3,
        closures: [],
      },
    },
    new Date(),
  );
  const token = await signUp();
  const inPolygon = await address(token, { ward: 'Phường Không Có', geo: { lat: 10.775, lng: 106.7 } });
  const byWard = await address(token, { ward: 'phuong ben thanh' });
  const outside = await address(token, { ward: 'Phường Thảo Điền', geo: { lat: 10.8, lng: 106.74 } });

  for (const id of [inPolygon, byWard]) {
    const res = await slots(token, id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      calendar: 'hcm-center',
      windows: [{ id: `hcm-center:${date}:1800`, fee_vnd: 20_000 }],
    });
  }
  const refused = await slots(token, outside);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('outside_zones');
  // Someone else's address is not found; without a token there is no address book.
  expect((await slots(await signUp(), byWard)).status).toBe(404);
  expect((await slots(undefined, byWard)).status).toBe(400);
});

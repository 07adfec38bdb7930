/**
 * Integration-test helpers: the inventory function on the lean host, locations and SKUs put in
 * place directly, and calls with the staff token.
 */
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../events';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { staffToken, TEST_AUTH_ENV } from '../shared/auth/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { createInventory, inventoryStores, inventoryUseCases, SCHEMA } from './deps';
import type { LocationRow } from './lot-store';

/** Two stores and a warehouse in three delivery zones. */
export const TEST_LOCATIONS: LocationRow[] = [
  {
    id: 'q1-ben-thanh',
    kind: 'store',
    name_en: 'Ben Thanh store',
    name_vi: 'Cửa hàng Bến Thành',
    zone: 'hcm-q1',
  },
  {
    id: 'q7-phu-my-hung',
    kind: 'store',
    name_en: 'Phu My Hung store',
    name_vi: 'Cửa hàng Phú Mỹ Hưng',
    zone: 'hcm-q7',
  },
  {
    id: 'kho-thu-duc',
    kind: 'warehouse',
    name_en: 'Thu Duc warehouse',
    name_vi: 'Kho Thủ Đức',
    zone: 'hcm-thu-duc',
  },
];

/**
 * The stores of the test schema, with the two jobs the tests run by hand on a pool of their own
 * (`lots.scanExpiring`, expiring window 3 days, and `reservations.sweep`).
 */
export function testStores() {
  const stores = inventoryStores(SCHEMA);
  const jobs = (pool: Pool) => inventoryUseCases(pool, SCHEMA, { expiringDays: 3 });
  return {
    ...stores,
    lots: {
      ...stores.lots,
      scanExpiring: (pool: Pool, now?: Date) => jobs(pool).operations.scanExpiring(now),
    },
    reservations: {
      sweep: (pool: Pool, opts?: { limit?: number; now?: Date; actor?: string }) =>
        jobs(pool).reservations.sweep(opts),
    },
  };
}

/** Adds the test locations and SKUs (piece SKUs unless listed as weighted or perishable). */
export async function addTestSkus(
  pool: Pool,
  skus: string[],
  opts: { weighted?: string[]; perishable?: string[] } = {},
): Promise<void> {
  const { lots } = testStores();
  await lots.upsertLocations(pool, TEST_LOCATIONS);
  await lots.upsertSkus(
    pool,
    skus.map((sku) => ({
      sku,
      sold_by: opts.weighted?.includes(sku) ? ('weight' as const) : ('piece' as const),
      is_perishable: opts.perishable?.includes(sku) ?? false,
      status: 'active' as const,
      version: 1,
    })),
  );
}

/** A running inventory with helpers for authenticated calls. */
export interface RunningInventory extends LeanServer {
  base: string;
  /** fetch against the instance; `staff: true` (the default) adds the bearer token. */
  call(
    method: string,
    path: string,
    opts?: { json?: unknown; body?: string; staff?: boolean },
  ): Promise<Response>;
  deliver(event: TuoiCloudEvent): Promise<Response>;
}

/** Serves inventory against `databaseUrl` on the lean host; `env` adds or overrides variables. */
export async function startInventory(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningInventory> {
  const lean = await serveLean(
    { name: 'inventory', create: createInventory },
    { port: 0, env: { DATABASE_URL: databaseUrl, ...TEST_AUTH_ENV, ...eventAuthEnv('inventory'), ...env } },
  );
  const base = `http://127.0.0.1:${lean.port}`;
  return {
    ...lean,
    base,
    call(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.staff !== false) headers.authorization = `Bearer ${staffToken()}`;
      let body = opts.body;
      if (opts.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.json);
      }
      return fetch(`${base}${path}`, { method, headers, body });
    },
    deliver: (event) => signedDelivery(base, 'inventory', event),
  };
}

/** Today and `days` from today in the shop's calendar (YYYY-MM-DD). */
export function shopDate(days = 0): string {
  return new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Integration-test helpers: a small category tree, the catalog function
 * on the lean host, product bodies, and counters of what a request wrote.
 */
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../events';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { staffToken, TEST_AUTH_ENV } from '../shared/auth/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { createCatalog, SCHEMA } from './deps';
import { catalogStore } from './store';

/** A small tree: three departments, one with aisles, leaves underneath. */
export const TEST_CATEGORIES = [
  { id: 'rau-cu-qua', parent_id: null, name_en: 'Fruit & Vegetables', name_vi: 'Rau củ quả', position: 1 },
  { id: 'rau-cu', parent_id: 'rau-cu-qua', name_en: 'Vegetables', name_vi: 'Rau củ', position: 1 },
  { id: 'rau-la', parent_id: 'rau-cu', name_en: 'Leafy Greens', name_vi: 'Rau lá', position: 1 },
  { id: 'cu', parent_id: 'rau-cu', name_en: 'Root Vegetables', name_vi: 'Củ', position: 2 },
  { id: 'trai-cay', parent_id: 'rau-cu-qua', name_en: 'Fruit', name_vi: 'Trái cây', position: 2 },
  { id: 'sua-trung', parent_id: null, name_en: 'Dairy & Eggs', name_vi: 'Sữa & trứng', position: 2 },
  { id: 'sua-tuoi', parent_id: 'sua-trung', name_en: 'Fresh Milk', name_vi: 'Sữa tươi', position: 1 },
  { id: 'trung', parent_id: 'sua-trung', name_en: 'Eggs', name_vi: 'Trứng', position: 2 },
  { id: 'thit-ca', parent_id: null, name_en: 'Meat & Fish', name_vi: 'Thịt & cá', position: 3 },
  { id: 'thit-heo', parent_id: 'thit-ca', name_en: 'Pork', name_vi: 'Thịt heo', position: 1 },
];

/** Inserts `TEST_CATEGORIES`. */
export async function addTestCategories(pool: Pool): Promise<void> {
  await catalogStore(SCHEMA).upsertCategories(pool, TEST_CATEGORIES);
}

/** A running catalog with helpers for authenticated calls. */
export interface RunningCatalog extends LeanServer {
  base: string;
  /** fetch against the instance; `staff: true` adds the bearer token, `json` sends a JSON body. */
  call(
    method: string,
    path: string,
    opts?: { json?: unknown; body?: string; headers?: Record<string, string>; staff?: boolean },
  ): Promise<Response>;
  /** Delivers a CloudEvent to /cloudevents in the binary binding, signed as the router signs it. */
  deliver(event: TuoiCloudEvent): Promise<Response>;
}

/** Serves the catalog against `databaseUrl` on the lean host; `env` adds or overrides variables. */
export async function startCatalog(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningCatalog> {
  const lean = await serveLean(
    { name: 'catalog', create: createCatalog },
    {
      port: 0,
      env: {
        DATABASE_URL: databaseUrl,
        ...TEST_AUTH_ENV,
        ...eventAuthEnv('catalog'),
        MAX_BODY_BYTES: String(16 * 1024 * 1024),
        ...env,
      },
    },
  );
  const base = `http://127.0.0.1:${lean.port}`;
  return {
    ...lean,
    base,
    call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.staff) headers.authorization = `Bearer ${staffToken()}`;
      let body = opts.body;
      if (opts.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(opts.json);
      }
      return fetch(`${base}${path}`, { method, headers, body });
    },
    deliver: (event) => signedDelivery(base, 'catalog', event),
  };
}

/** A valid create body (a carton of milk sold by piece); override what the test is about. */
export function productBody(sku: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sku,
    name_en: `Fresh milk ${sku}`,
    name_vi: `Sữa tươi ${sku}`,
    description_en: 'Pasteurised whole milk.',
    description_vi: 'Sữa tươi thanh trùng nguyên kem.',
    category: 'sua-tuoi',
    brand: 'Vinamilk',
    manufacturer: 'Vinamilk JSC',
    unit: 'ml',
    size: 1000,
    sold_by: 'piece',
    price_vnd: 35_000,
    dietary: ['vegetarian'],
    tags: ['milk'],
    is_perishable: true,
    shelf_life_days: 10,
    image_urls: [`https://img.tuoi.vn/${sku.toLowerCase()}.jpg`],
    ...overrides,
  };
}

/** A valid weighted product (pork by the kg; price derived: 180,000/kg × 500 g = 90,000). */
export function weightedBody(sku: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { price_vnd: _ignored, ...base } = productBody(sku);
  return {
    ...base,
    name_en: `Pork belly ${sku}`,
    name_vi: `Ba chỉ heo ${sku}`,
    category: 'thit-heo',
    unit: 'g',
    size: 500,
    sold_by: 'weight',
    price_per_kg_vnd: 180_000,
    nominal_weight_g: 500,
    shelf_life_days: 3,
    ...overrides,
  };
}

/** Rows in the catalog's tables and outbox, to prove a rejected request wrote nothing. */
export async function counts(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM catalog.products) AS products,
            (SELECT coalesce(sum(version), 0) FROM catalog.products) AS versions,
            (SELECT count(*) FROM catalog.outbox) AS outbox,
            (SELECT count(*) FROM catalog.categories) AS categories`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

/** The events in the outbox, oldest first (optionally only those after outbox id `after`). */
export async function outboxEvents(
  pool: Pool,
  after = 0,
): Promise<(TuoiCloudEvent & { outboxId: number })[]> {
  const { rows } = await pool.query<{ id: string; event: TuoiCloudEvent }>(
    `SELECT id, event FROM catalog.outbox WHERE id > $1 ORDER BY id`,
    [after],
  );
  return rows.map((r) => ({ ...r.event, outboxId: Number(r.id) }));
}

/** The highest outbox id so far (0 when empty). */
export async function outboxMark(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ id: string | null }>(`SELECT max(id) AS id FROM catalog.outbox`);
  return Number(rows[0]?.id ?? 0);
}

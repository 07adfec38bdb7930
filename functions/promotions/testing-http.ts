/**
 * Integration-test helpers: the promotions function on the lean host, products delivered as
 * signed catalog events, calls as staff, checkout or a customer, and the outbox.
 */
import type { Pool } from 'pg';
import { productCreated, type ProductSnapshot, type TuoiCloudEvent } from '../../events';
import { TEST_AUTH_ENV } from '../shared/auth/testing';
import { callerFor, type Caller, type CallOptions } from '../shared/testing/caller';
import { buildEvent } from '../shared/eventing/outbox';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { createPromotions } from './deps';

export type { Caller };

/** A running promotions function. */
export interface RunningPromotions extends LeanServer {
  base: string;
  call(method: string, path: string, opts?: CallOptions): Promise<Response>;
  deliver(event: TuoiCloudEvent): Promise<Response>;
}

/** Serves promotions against `databaseUrl`; jobs run rarely unless `env` says otherwise (tests run them by hand). */
export async function startPromotions(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningPromotions> {
  const lean = await serveLean(
    { name: 'promotions', create: createPromotions },
    {
      port: 0,
      env: {
        DATABASE_URL: databaseUrl,
        PROMOTIONS_CACHE_MS: '0',
        PROMOTIONS_SWEEP_MS: '600000',
        PROMOTIONS_SCHEDULE_MS: '600000',
        ...TEST_AUTH_ENV,
        ...eventAuthEnv('promotions'),
        ...env,
      },
    },
  );
  const base = `http://127.0.0.1:${lean.port}`;
  return {
    ...lean,
    base,
    call: callerFor(base, ['promotions:redeem']),
    deliver: (event) => signedDelivery(base, 'promotions', event),
  };
}

/** A catalog product snapshot with sensible defaults. */
export function product(sku: string, extra: Partial<ProductSnapshot> = {}): ProductSnapshot {
  const now = new Date().toISOString();
  return {
    sku,
    name_en: `Product ${sku}`,
    name_vi: `Sản phẩm ${sku}`,
    description_en: '',
    description_vi: '',
    category_path: [
      { id: 'thuc-pham', name_en: 'Food', name_vi: 'Thực phẩm' },
      { id: 'sua', name_en: 'Milk', name_vi: 'Sữa' },
    ],
    brand: 'Vinamilk',
    manufacturer: '',
    unit: 'piece',
    size: 1,
    sold_by: 'piece',
    price_vnd: 10_000,
    price_per_kg_vnd: null,
    nominal_weight_g: null,
    dietary: [],
    tags: [],
    is_perishable: false,
    shelf_life_days: null,
    image_urls: [],
    status: 'active',
    created_at: now,
    updated_at: now,
    version: 1,
    ...extra,
  };
}

/** Delivers products as signed product.created events and checks each was accepted. */
export async function addProducts(fn: RunningPromotions, products: ProductSnapshot[]): Promise<void> {
  for (const p of products) {
    const res = await fn.deliver(buildEvent(productCreated, p));
    if (res.status >= 300) throw new Error(`product ${p.sku}: ${res.status} ${await res.text()}`);
  }
}

/** Events the function wrote to its outbox after outbox id `after`. */
export async function outboxEvents(
  pool: Pool,
  after = 0,
): Promise<(TuoiCloudEvent & { outboxId: number })[]> {
  const { rows } = await pool.query<{ id: string; event: TuoiCloudEvent }>(
    `SELECT id, event FROM promotions.outbox WHERE id > $1 ORDER BY id`,
    [after],
  );
  return rows.map((r) => ({ ...r.event, outboxId: Number(r.id) }));
}

/**
 * Dev seed (`make dev`, first start): the product projection from the generated catalog handed in
 * (scripts/seed) — a bulk load, as the catalog's own seed emits no events — and a few promotions of
 * every kind, written through the staff use cases so their `promotion.activated` announcements go
 * out to catalog and search like any staff write. Deterministic; a second call does nothing.
 */
import type { Pool } from 'pg';
import type { ProductSnapshot } from '../../events';
import { unitOfWork } from '../shared/unit-of-work';
import type { Definition } from './definition';
import { SCHEMA } from './deps';
import { projectionStore } from './projection-store';
import { promotionStore } from './promotion-store';
import { promotionUseCases } from './promotions';

/** What the promotions seed is handed (a subset of scripts/seed's SeedData). */
export interface PromotionsSeed {
  categories: readonly { id: string; parent_id: string | null; name_en: string; name_vi: string }[];
  products: readonly (Omit<ProductSnapshot, 'category_path' | 'created_at' | 'updated_at' | 'version'> & {
    category: string;
  })[];
}

const BATCH = 2_000;

const label = (en: string, vi: string) => ({ en, vi });

/** The demo promotions; coupon codes beside them. */
export const DEV_PROMOTIONS: { def: Definition; codes?: string[] }[] = [
  {
    def: {
      id: 'rau-la-giam-20',
      name: label('Leafy greens week', 'Tuần lễ rau lá'),
      label: label('20% off', 'Giảm 20%'),
      status: 'active',
      target: { kind: 'categories', categories: ['rau-la'] },
      discount: { kind: 'percentage', percent: 20 },
      stack_group: 'category-deals',
    },
  },
  {
    def: {
      id: 'sua-tuoi-mua-2-tang-1',
      name: label('Fresh milk: buy 2 get 1', 'Sữa tươi: mua 2 tặng 1'),
      label: label('Buy 2 get 1', 'Mua 2 tặng 1'),
      status: 'active',
      target: { kind: 'categories', categories: ['sua-tuoi'] },
      discount: { kind: 'buy_x_get_y', buy: 2, get: 1, percent: 100, max_applications: 5 },
    },
  },
  {
    def: {
      id: 'gao-mua-nhieu',
      name: label('Rice: buy more, pay less', 'Gạo: mua nhiều giảm nhiều'),
      label: label('Up to 10% off', 'Giảm đến 10%'),
      status: 'active',
      target: { kind: 'categories', categories: ['gao'] },
      discount: {
        kind: 'tiered',
        measure: 'quantity',
        tiers: [
          { min: 3, percent: 5 },
          { min: 5, percent: 10 },
        ],
      },
      stack_group: 'category-deals',
    },
  },
  {
    def: {
      id: 'can-date-giam-gia',
      name: label('Near expiry markdown', 'Giảm giá hàng cận date'),
      label: label('Best before soon', 'Cận date giảm giá'),
      status: 'active',
      target: { kind: 'categories', categories: ['rau-cu-qua', 'thit-ca-trung', 'sua'] },
      discount: {
        kind: 'near_expiry',
        within_days: 3,
        schedule: [
          { days_left: 1, percent: 40 },
          { days_left: 3, percent: 20 },
        ],
      },
      priority: 10,
    },
  },
  {
    def: {
      id: 'mien-phi-giao-300k',
      name: label('Free delivery from 300,000 ₫', 'Miễn phí giao hàng từ 300.000 ₫'),
      label: label('Free delivery', 'Miễn phí giao hàng'),
      status: 'active',
      target: { kind: 'delivery' },
      discount: { kind: 'delivery', percent: 100 },
      conditions: { min_order_value_vnd: 300_000 },
    },
  },
  {
    def: {
      id: 'chao-ban-moi',
      name: label('Welcome: 50,000 ₫ off your first order', 'Chào bạn mới: giảm 50.000 ₫ đơn đầu tiên'),
      label: label('50,000 ₫ off', 'Giảm 50.000 ₫'),
      status: 'active',
      requires_coupon: true,
      target: { kind: 'order' },
      discount: { kind: 'amount_off', amount_vnd: 50_000, allocation: 'across' },
      conditions: { min_order_value_vnd: 200_000, first_order: true },
      per_customer_limit: 1,
    },
    codes: ['CHAOBANMOI'],
  },
  {
    def: {
      id: 'tet-2027',
      name: label('Tết 2027: 10% off everything', 'Tết 2027: giảm 10% toàn bộ'),
      label: label('10% off', 'Giảm 10%'),
      status: 'active',
      requires_coupon: true,
      target: { kind: 'order' },
      discount: { kind: 'percentage', percent: 10 },
      exclusive: true,
      global_limit: 1_000,
      per_customer_limit: 1,
    },
    codes: ['TET2027'],
  },
];

/** Seeds an empty projection and the demo promotions; returns a one-line summary. */
export async function seed(pool: Pool, data: PromotionsSeed): Promise<string> {
  const { rows } = await pool.query(`SELECT EXISTS (SELECT 1 FROM ${SCHEMA}.products) AS seeded`);
  if (rows[0].seeded) return 'promotions already has products; nothing seeded';
  const byId = new Map(data.categories.map((c) => [c.id, c]));
  const pathOf = (id: string) => {
    const path: ProductSnapshot['category_path'] = [];
    for (let c = byId.get(id); c; c = c.parent_id ? byId.get(c.parent_id) : undefined)
      path.unshift({ id: c.id, name_en: c.name_en, name_vi: c.name_vi });
    return path;
  };
  const projection = projectionStore(SCHEMA);
  const at = new Date().toISOString();
  for (let i = 0; i < data.products.length; i += BATCH)
    await projection.upsertProducts(
      pool,
      data.products.slice(i, i + BATCH).map(({ category, ...p }) => ({
        ...p,
        category_path: pathOf(category),
        created_at: at,
        updated_at: at,
        version: 1,
      })),
    );
  const store = promotionStore(SCHEMA);
  const staff = promotionUseCases({
    work: unitOfWork(pool, SCHEMA),
    store,
    projection,
    changed: () => undefined,
  });
  let codes = 0;
  for (const { def, codes: list } of DEV_PROMOTIONS) {
    await staff.create(def, 'seed');
    for (const code of list ?? []) {
      await staff.createCoupon(def.id, { code });
      codes++;
    }
  }
  return `${data.products.length} products priced, ${DEV_PROMOTIONS.length} promotions, ${codes} coupon codes`;
}

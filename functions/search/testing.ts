/** Integration-test helpers: the search function on the lean host, and events to feed it. */
import { randomUUID } from 'node:crypto';
import {
  productCreated,
  promotionActivated,
  promotionChanged,
  promotionEnded,
  type DataOf,
  type ProductSnapshot,
  type PromotionAnnouncement,
  type TuoiCloudEvent,
} from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { createSearch } from './deps';

/** Serves search against `databaseUrl` (engine and index from `env`); `base` is its URL. */
export async function startSearch(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<LeanServer & { base: string }> {
  const lean = await serveLean(
    { name: 'search', create: createSearch },
    { port: 0, env: { DATABASE_URL: databaseUrl, ...eventAuthEnv('search'), ...env } },
  );
  return { ...lean, base: `http://127.0.0.1:${lean.port}` };
}

/** A valid product snapshot; override what the test is about. */
export function product(overrides: Partial<ProductSnapshot> & { sku: string }): ProductSnapshot {
  const now = new Date().toISOString();
  return {
    name_en: 'Product',
    name_vi: 'Sản phẩm',
    description_en: '',
    description_vi: '',
    category_path: [
      { id: 'sua', name_en: 'Dairy', name_vi: 'Sữa' },
      { id: 'sua-tuoi', name_en: 'Fresh milk', name_vi: 'Sữa tươi' },
    ],
    brand: 'Tươi Farm',
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
    ...overrides,
  };
}

/** Delivers a CloudEvent to search's /cloudevents endpoint in the binary binding, signed as the router signs it. */
export async function deliver(base: string, event: TuoiCloudEvent): Promise<Response> {
  return signedDelivery(base, 'search', event);
}

/** A product.created event for a snapshot (fresh id each time). */
export function createdEvent(p: ProductSnapshot): TuoiCloudEvent {
  return { ...buildEvent(productCreated, p), id: randomUUID() };
}

/** A valid automatic promotion on one SKU, live for a day from an hour ago; override the rest. */
export function announcement(
  overrides: Partial<PromotionAnnouncement> & { id: string; version: number },
): PromotionAnnouncement {
  const now = Date.now();
  return {
    name_en: 'Promotion',
    name_vi: 'Khuyến mãi',
    label_en: '10% off',
    label_vi: 'Giảm 10%',
    kind: 'percentage',
    coupon: false,
    target: { kind: 'skus', skus: ['TU-000001'] },
    starts_at: new Date(now - 3_600_000).toISOString(),
    ends_at: new Date(now + 86_400_000).toISOString(),
    at: new Date(now).toISOString(),
    ...overrides,
  };
}

/** A promotion.activated (or `changed`) event for an announcement (fresh id each time). */
export function announcedEvent(a: PromotionAnnouncement, changed = false): TuoiCloudEvent {
  return buildEvent(changed ? promotionChanged : promotionActivated, a);
}

/** A promotion.ended event (fresh id each time). */
export function endedEvent(
  id: string,
  version: number,
  reason: DataOf<typeof promotionEnded>['reason'] = 'ended',
): TuoiCloudEvent {
  return buildEvent(promotionEnded, { id, version, reason, at: new Date().toISOString() });
}

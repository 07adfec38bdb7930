/**
 * Pure decisions about promotions in search: which announcements the projection applies (version
 * guard, tombstones), which products a promotion marks, the promotions a product's document
 * carries, and which of them are live at a given instant.
 */
import type { PromotionAnnouncement, PromotionTargetRef } from '../../events';
import { normalizeText } from './text';

/** A promotion as a search document carries it (what a result card's badge needs). */
export interface DocPromotion {
  id: string;
  label_en: string;
  label_vi: string;
  kind: PromotionAnnouncement['kind'];
  /** ISO 8601 in UTC; null means no bound. */
  starts_at: string | null;
  ends_at: string | null;
}

/** What the projection holds of a promotion before a change (absent: never seen). */
export interface StoredPromotionState {
  version: number;
  /** A tombstone: an `ended` was applied at `version`. */
  ended: boolean;
}

/** One change to the projection: an announcement (activated or changed) or an end. */
export type PromotionChange =
  { kind: 'announce'; announcement: PromotionAnnouncement } | { kind: 'end'; id: string; version: number };

/**
 * Whether a change applies over what is stored: an announcement only above the stored version
 * (so a late, lower one — also one older than a tombstone — is ignored); an end at or above it,
 * unless the same version is already a tombstone (a duplicate).
 */
export function appliesOver(stored: StoredPromotionState | undefined, change: PromotionChange): boolean {
  if (stored === undefined) return true;
  const version = change.kind === 'announce' ? change.announcement.version : change.version;
  if (change.kind === 'announce') return version > stored.version;
  return version > stored.version || (version === stored.version && !stored.ended);
}

/** Products a promotion may mark (before the target test): automatic ones on products only. */
export function marksProducts(p: Pick<PromotionAnnouncement, 'coupon' | 'target'>): boolean {
  return (
    !p.coupon && (p.target.kind === 'skus' || p.target.kind === 'categories' || p.target.kind === 'brands')
  );
}

/** What matching reads of a product. */
export interface ProductKeys {
  sku: string;
  brand: string;
  /** Category ids root → leaf. */
  category_ids: readonly string[];
}

/** A brand as targets compare it: NFC, whitespace collapsed, case-insensitive. */
export const brandMatchKey = (brand: string): string => normalizeText(brand).toLowerCase();

/** True when a target names the product (a category matches its descendants too). */
export function targetCovers(target: PromotionTargetRef, product: ProductKeys): boolean {
  switch (target.kind) {
    case 'skus':
      return target.skus.includes(product.sku);
    case 'categories':
      return target.categories.some((c) => product.category_ids.includes(c));
    case 'brands': {
      const key = brandMatchKey(product.brand);
      return key !== '' && target.brands.some((b) => brandMatchKey(b) === key);
    }
    case 'order':
    case 'delivery':
      return false;
  }
}

const utc = (at: string | null): string | null => (at === null ? null : new Date(at).toISOString());

/** The card form of an announcement (times in UTC, so equal instants compare equal). */
export function toDocPromotion(a: PromotionAnnouncement): DocPromotion {
  return {
    id: a.id,
    label_en: a.label_en,
    label_vi: a.label_vi,
    kind: a.kind,
    starts_at: utc(a.starts_at),
    ends_at: utc(a.ends_at),
  };
}

/**
 * The promotions a product's document carries: every promotion of `live` (the projection's
 * non-ended ones) that marks products and whose target covers it, by id. Schedules are kept, not
 * applied: a search decides liveness when it runs ({@link isLiveAt}).
 */
export function promotionsFor(product: ProductKeys, live: readonly PromotionAnnouncement[]): DocPromotion[] {
  return live
    .filter((p) => marksProducts(p) && targetCovers(p.target, product))
    .map(toDocPromotion)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** True when `now` (ms) lies within the promotion's schedule: from `starts_at` inclusive to `ends_at` exclusive. */
export function isLiveAt(p: Pick<DocPromotion, 'starts_at' | 'ends_at'>, now: number): boolean {
  return (
    (p.starts_at === null || Date.parse(p.starts_at) <= now) &&
    (p.ends_at === null || now < Date.parse(p.ends_at))
  );
}

/** The promotions of a document that show at `now`. */
export function liveAt(promotions: readonly DocPromotion[], now: number): DocPromotion[] {
  return promotions.filter((p) => isLiveAt(p, now));
}

/** True when two documents' promotion lists are the same (field by field, in order). */
export function samePromotions(a: readonly DocPromotion[], b: readonly DocPromotion[]): boolean {
  const fields = ['id', 'label_en', 'label_vi', 'kind', 'starts_at', 'ends_at'] as const;
  return a.length === b.length && a.every((p, i) => fields.every((f) => p[f] === b[i]![f]));
}

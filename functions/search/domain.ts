/**
 * Pure decisions of the search function: products → search documents, results → the public
 * response (localised names, badges, facets with labels), and opaque cursors bound to their query.
 */
import { createHash } from 'node:crypto';
import type { ProductSnapshot } from '../../events';
import { ValidationError } from '../shared/errors';
import {
  PRICE_EDGES,
  type EngineHit,
  type EngineResult,
  type SearchDocument,
  type SearchQuery,
} from './ports';
import { liveAt } from './promotions';

/** The search document of a product (availability, popularity and promotions are kept by the store). */
export function toSearchDocument(p: ProductSnapshot, popularity = 0): SearchDocument {
  const leaf = p.category_path[p.category_path.length - 1]!;
  return {
    sku: p.sku,
    name_en: p.name_en,
    name_vi: p.name_vi,
    description_en: p.description_en,
    description_vi: p.description_vi,
    brand: p.brand,
    category_id: leaf.id,
    category_ids: p.category_path.map((c) => c.id),
    category_names_en: p.category_path.map((c) => c.name_en),
    category_names_vi: p.category_path.map((c) => c.name_vi),
    price_vnd: p.price_vnd,
    unit: p.unit,
    size: p.size,
    sold_by: p.sold_by,
    dietary: [...p.dietary],
    tags: [...p.tags],
    is_perishable: p.is_perishable,
    image_url: p.image_urls[0] ?? null,
    in_stock: true,
    expires_soon: false,
    promotions: [],
    popularity,
    created_at: p.created_at,
    version: p.version,
  };
}

/** Short labels shown on a result card at `now` (ms): `promoted` while a promotion is live. */
export function badgesOf(doc: SearchDocument, now: number): string[] {
  const badges: string[] = [];
  if (!doc.in_stock) badges.push('out-of-stock');
  if (doc.expires_soon) badges.push('expires-soon');
  for (const d of ['organic', 'vegan', 'vegetarian', 'gluten-free', 'halal'])
    if (doc.dietary.includes(d)) badges.push(d);
  if (doc.sold_by === 'weight') badges.push('sold-by-weight');
  if (liveAt(doc.promotions, now).length > 0) badges.push('promoted');
  return badges;
}

/** One hit in the public response at `now` (ms): its live promotions with labels in both languages. */
export function toHitView(hit: EngineHit, lang: 'en' | 'vi', now: number) {
  const d = hit.doc;
  const promotions = liveAt(d.promotions, now);
  return {
    sku: d.sku,
    name: lang === 'vi' ? d.name_vi : d.name_en,
    name_en: d.name_en,
    name_vi: d.name_vi,
    brand: d.brand,
    category_id: d.category_id,
    price_vnd: d.price_vnd,
    unit: d.unit,
    size: d.size,
    sold_by: d.sold_by,
    image_url: d.image_url,
    in_stock: d.in_stock,
    badges: badgesOf(d, now),
    on_promotion: promotions.length > 0,
    promotions: promotions.map((p) => ({
      id: p.id,
      label: lang === 'vi' ? p.label_vi : p.label_en,
      label_en: p.label_en,
      label_vi: p.label_vi,
      kind: p.kind,
      starts_at: p.starts_at,
      ends_at: p.ends_at,
    })),
    score: Math.round(hit.score * 1000) / 1000,
  };
}

/** Category labels for facets. */
export type CategoryNames = ReadonlyMap<string, { name_en: string; name_vi: string }>;

/** Facets in the public response: labelled categories and price buckets with their bounds. */
export function toFacetsView(facets: EngineResult['facets'], lang: 'en' | 'vi', names: CategoryNames) {
  return {
    category: facets.category.map((b) => {
      const n = names.get(b.value);
      return { id: b.value, name: n ? (lang === 'vi' ? n.name_vi : n.name_en) : b.value, count: b.count };
    }),
    dietary: facets.dietary,
    brand: facets.brand,
    price: PRICE_EDGES.map((from, i) => ({
      from,
      to: PRICE_EDGES[i + 1] ?? null,
      count: facets.price.find((b) => b.value === String(from))?.count ?? 0,
    })),
  };
}

/** Deepest result a cursor may reach (Elasticsearch's default max_result_window). */
export const MAX_WINDOW = 10_000;

/** A fingerprint of everything but the position, so a cursor cannot be replayed on another query. */
export function queryFingerprint(q: Omit<SearchQuery, 'offset'>): string {
  const canonical = JSON.stringify([
    q.text,
    q.lang,
    q.sort,
    q.limit,
    q.filters,
    Object.keys(q.filters).sort(),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

/** The cursor of the page after `offset`. */
export function encodeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

/** Reads a cursor, rejecting a forged, foreign or out-of-range one with a field error. */
export function decodeCursor(cursor: string, fingerprint: string): number {
  const bad = (message: string) =>
    new ValidationError('The cursor is not valid for this query', [
      { field: '/cursor', code: 'cursor', message },
    ]);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw bad('not a cursor this API issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor this API issued');
  }
  const { o, f } = (parsed ?? {}) as { o?: unknown; f?: unknown };
  if (!Number.isInteger(o) || (o as number) < 0 || (o as number) > MAX_WINDOW)
    throw bad('not a cursor this API issued');
  if (f !== fingerprint) throw bad('the cursor belongs to a different query; start again without it');
  return o as number;
}

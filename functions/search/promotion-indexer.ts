/**
 * Applies one promotion event to the projection and to the documents it touches: load the stored
 * version, decide (`appliesOver`), store, then re-derive the promotions of every document that
 * carried the promotion or that its new target may cover. Returns the documents rewritten, for
 * the engine.
 */
import type { Queryable } from '../shared/db';
import type { IndexedDocument } from './ports';
import type { PromotionStore } from './promotion-store';
import {
  appliesOver,
  marksProducts,
  promotionsFor,
  samePromotions,
  type PromotionChange,
} from './promotions';
import type { DocumentStore } from './store';

/** Applies `change` in `tx`; a change at or below the stored version writes nothing. */
export async function indexPromotionChange(
  tx: Queryable,
  stores: { store: DocumentStore; promotions: PromotionStore },
  change: PromotionChange,
): Promise<IndexedDocument[]> {
  const { store, promotions } = stores;
  // Promotion changes run one at a time and never beside a product write (see promotion-store.ts).
  await promotions.lock(tx, 'exclusive');
  const id = change.kind === 'announce' ? change.announcement.id : change.id;
  if (!appliesOver(await promotions.state(tx, id), change)) return [];
  await promotions.save(tx, change);
  const target =
    change.kind === 'announce' && marksProducts(change.announcement) ? change.announcement.target : null;
  const candidates = await store.promotionCandidates(tx, id, target);
  if (candidates.length === 0) return [];
  const live = await promotions.marking(tx);
  const updates = candidates.flatMap((doc) => {
    const next = promotionsFor(doc, live);
    return samePromotions(next, doc.promotions) ? [] : [{ sku: doc.sku, promotions: next }];
  });
  return store.setPromotions(tx, updates);
}

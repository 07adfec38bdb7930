/**
 * The real-time view: live availability per (location, sku) in Firestore for clients to listen to,
 * fed by inventory's own stock.changed events. PostgreSQL stays the system of record; a document
 * only moves forward (a redelivered or late event with a lower sequence is ignored), so
 * at-least-once, out-of-order delivery converges on the latest levels.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { StockProjection } from './ports';

/** One document per (location, sku). */
export interface StockDocument {
  sku: string;
  location: string;
  on_hand: number;
  held: number;
  available: number;
  in_stock: boolean;
  sequence: number;
  updated_at: string;
}

/** The id of a (location, sku) document: `/` cannot occur in either (their patterns forbid it). */
export const stockDocumentId = (location: string, sku: string) => `${location}~${sku}`;

/** Projects into `collection` of a Firestore database, in a transaction per event. */
export function firestoreProjection(db: Firestore, collection: string): StockProjection {
  const docs = db.collection(collection);
  return {
    async apply(level) {
      const ref = docs.doc(stockDocumentId(level.location, level.sku));
      return db.runTransaction(async (t) => {
        const snap = await t.get(ref);
        const current = snap.exists ? (snap.get('sequence') as number) : 0;
        if (current >= level.sequence) return 'stale' as const;
        const doc: StockDocument = {
          sku: level.sku,
          location: level.location,
          on_hand: level.on_hand,
          held: level.held,
          available: level.available,
          in_stock: level.available > 0,
          sequence: level.sequence,
          updated_at: level.at,
        };
        t.set(ref, doc);
        return 'written' as const;
      });
    },
    close: () => db.terminate(),
  };
}

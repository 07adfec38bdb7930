/**
 * The tracking view: one Firestore document per delivery or pickup (status, carrier, ETA, driver,
 * tracking link, window) for the customer's app to listen to, fed by the function's own delivery
 * and pickup events. Each event makes the handler read the delivery's current row and write it if
 * its version is newer than the document's, so redelivered or reordered events converge on the
 * latest state. PostgreSQL stays the system of record; the pickup code never reaches Firestore.
 */
import type { Firestore } from '@google-cloud/firestore';
import {
  deliveryBooked,
  deliveryStatusChanged,
  pickupCollected,
  pickupReady,
  type TuoiCloudEvent,
} from '../../events';
import type { Queryable } from '../shared/db';
import type { EventHandler } from '../shared/eventing/consumer';
import type { DeliveryRow, DeliveryStore } from './delivery-store';
import type { SlotStore } from './slot-store';

/** One delivery as the app sees it. */
export interface TrackingDocument {
  delivery_id: string;
  order_id: string;
  /** Security rules let only this user read the document. */
  customer_id: string;
  kind: 'delivery' | 'pickup';
  status: string;
  location: string;
  carrier: string | null;
  tracking_url: string | null;
  eta_at: string | null;
  driver: { name: string | null; phone: string | null; plate: string | null } | null;
  window: { starts_at: string; ends_at: string } | null;
  version: number;
  updated_at: string;
}

/** Where documents go. */
export interface TrackingSink {
  /** Writes `doc` unless the stored one has the same or a newer version. */
  write(doc: TrackingDocument): Promise<'written' | 'stale'>;
  close(): Promise<void>;
}

/** The document of a delivery row (and its window). */
export function trackingDocument(d: DeliveryRow, window: TrackingDocument['window']): TrackingDocument {
  return {
    delivery_id: d.id,
    order_id: d.order_id,
    customer_id: d.customer_id,
    kind: d.kind,
    status: d.status,
    location: d.location,
    carrier: d.carrier,
    tracking_url: d.tracking_url,
    eta_at: d.eta_at?.toISOString() ?? null,
    driver: d.driver
      ? { name: d.driver.name ?? null, phone: d.driver.phone ?? null, plate: d.driver.plate ?? null }
      : null,
    window,
    version: d.version,
    updated_at: d.updated_at.toISOString(),
  };
}

/** Documents in `collection` of a Firestore database, version-guarded in a transaction. */
export function firestoreTracking(db: Firestore, collection: string): TrackingSink {
  const docs = db.collection(collection);
  return {
    async write(doc) {
      const ref = docs.doc(doc.delivery_id);
      return db.runTransaction(async (t) => {
        const snap = await t.get(ref);
        if (snap.exists && (snap.get('version') as number) >= doc.version) return 'stale' as const;
        t.set(ref, doc);
        return 'written' as const;
      });
    },
    close: () => db.terminate(),
  };
}

/** The handlers that keep the view: every delivery and pickup event writes the current row. */
export function trackingHandlers(
  stores: { deliveries: DeliveryStore; slots: SlotStore },
  sink: TrackingSink | undefined,
): Record<string, EventHandler> {
  const project: EventHandler = async (event: TuoiCloudEvent, tx: Queryable) => {
    if (!sink) return;
    const id = (event.data as { delivery_id: string }).delivery_id;
    const row = await stores.deliveries.get(tx, id);
    if (!row) return;
    const hold = await stores.slots.hold(tx, row.hold_id);
    const slot = hold ? await stores.slots.get(tx, hold.slot) : undefined;
    await sink.write(
      trackingDocument(
        row,
        slot ? { starts_at: slot.starts_at.toISOString(), ends_at: slot.ends_at.toISOString() } : null,
      ),
    );
  };
  return {
    [deliveryBooked.type]: project,
    [deliveryStatusChanged.type]: project,
    [pickupReady.type]: project,
    [pickupCollected.type]: project,
  };
}

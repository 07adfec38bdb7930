/**
 * The order tracking view: one Firestore document per order (status and its labels, substitution
 * proposals, the delivery's ETA, carrier and link, pickup readiness, the final amount) for the
 * customer's app to listen to. PostgreSQL stays the system of record: every change bumps the
 * order's `version`, and the publisher (run by `every()`) writes each order whose `tracked_version`
 * is behind, then marks that version published. So every committed change reaches Firestore at
 * least once (a crash or a Firestore failure between the write and the mark only publishes again),
 * and the write is version-guarded in a Firestore transaction, so a slow older write never
 * replaces a newer document: the view never goes backwards.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { Queryable } from '../shared/db';
import { createLogger } from '../shared/log';
import { STATUS_LABELS, type OrderStatus } from './lifecycle';
import type { OrderRow, OrderStore } from './order-store';
import type { SubState } from './picking';

type Names = { en: string; vi: string };

/** A substitute the store proposed for a short line, as the customer answers it. */
export interface SubstitutionView {
  sku: string;
  name: Names;
  substitute: { sku: string; name: Names };
  price_vnd: number | null;
  deadline_at: string | null;
  state: Exclude<SubState, 'pending'>;
}

/** One order as the app sees it. */
export interface OrderTrackingDoc {
  order_id: string;
  /** Security rules let only this user read the document. */
  customer_id: string;
  lang: 'en' | 'vi';
  status: string;
  status_label: Names;
  kind: 'delivery' | 'pickup';
  window: { starts_at: string; ends_at: string } | null;
  substitutions: SubstitutionView[];
  delivery: {
    delivery_id: string;
    carrier: string | null;
    status: string | null;
    tracking_url: string | null;
    eta_at: string | null;
  } | null;
  ready_for_pickup: boolean;
  ready_at: string | null;
  final_vnd: number | null;
  version: number;
  updated_at: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : d);

/** The document of an order row. Pure: what the app sees follows from the row alone. */
export function trackingDoc(row: OrderRow): OrderTrackingDoc {
  const label = STATUS_LABELS[row.status as OrderStatus] ?? { en: row.status, vi: row.status };
  const substitutions: SubstitutionView[] = [];
  // A pending substitute is not a proposal yet (its stock and price are still being asked for).
  for (const line of row.picking ?? [])
    if (line.sub && line.sub.state !== 'pending')
      substitutions.push({
        sku: line.sku,
        name: line.name,
        substitute: { sku: line.sub.sku, name: line.sub.name },
        price_vnd: line.sub.price_vnd ?? null,
        deadline_at: line.sub.deadline_at ?? null,
        state: line.sub.state,
      });
  const t = row.tracking;
  const w = row.fulfilment.window;
  return {
    order_id: row.id,
    customer_id: row.customer_id,
    lang: row.lang,
    status: row.status,
    status_label: { en: label.en, vi: label.vi },
    kind: row.fulfilment.kind,
    window: w ? { starts_at: w.starts_at, ends_at: w.ends_at } : null,
    substitutions,
    delivery:
      t && row.fulfilment.kind === 'delivery'
        ? {
            delivery_id: t.delivery_id,
            carrier: t.carrier ?? null,
            status: t.status ?? null,
            tracking_url: t.tracking_url ?? null,
            eta_at: t.eta_at ?? null,
          }
        : null,
    ready_for_pickup: row.status === 'ready_for_pickup',
    ready_at: t?.ready_at ?? null,
    final_vnd: row.final_vnd === null || row.final_vnd === undefined ? null : Number(row.final_vnd),
    version: row.version,
    updated_at: iso(row.updated_at),
  };
}

/** Where documents go. */
export interface OrderTrackingSink {
  /** Writes `doc` unless the stored one has the same or a newer version. */
  write(doc: OrderTrackingDoc): Promise<'written' | 'stale'>;
  close(): Promise<void>;
}

/**
 * Documents `<collection>/<order id>` of a Firestore database, version-guarded in a transaction.
 * The client retries an unreachable Firestore for minutes and a write cannot be cancelled, so at
 * most one write per order is in flight: another one for it fails at once (retried next round)
 * rather than piling up while Firestore is down. Closing waits up to `closeGraceMs` for writes in
 * flight (terminating the client under a running transaction makes the client reject a promise
 * nobody holds).
 */
export function firestoreOrderTracking(
  db: Firestore,
  collection: string,
  opts: { closeGraceMs?: number } = {},
): OrderTrackingSink {
  const docs = db.collection(collection);
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    async write(doc) {
      if (inFlight.has(doc.order_id))
        throw new Error(`a tracking write of order ${doc.order_id} is still in flight`);
      const ref = docs.doc(doc.order_id);
      const written = db.runTransaction(async (t) => {
        const snap = await t.get(ref);
        if (snap.exists && (snap.get('version') as number) >= doc.version) return 'stale' as const;
        t.set(ref, doc);
        return 'written' as const;
      });
      const settled = written.then(
        () => undefined,
        () => undefined,
      );
      inFlight.set(doc.order_id, settled);
      void settled.then(() => inFlight.delete(doc.order_id));
      return written;
    },
    async close() {
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(inFlight.values()),
          new Promise((r) => (timer = setTimeout(r, opts.closeGraceMs ?? 5_000))),
        ]);
        clearTimeout(timer);
      }
      await db.terminate();
    },
  };
}

const log = createLogger('order-tracking');

/** What one round did. */
export interface PublishCounts {
  /** Documents written. */
  published: number;
  /** Orders whose document already held this version or a newer one (marked all the same). */
  stale: number;
  /** Writes that failed or timed out; retried next round (their mark is unchanged). */
  failed: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Firestore write timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One round of the publisher: up to `limit` orders whose version is ahead of `tracked_version`,
 * each written to the sink then marked published at the version written (`WHERE tracked_version <
 * version`, so concurrent publishers and late marks never move it back). The rows are read without
 * locks and nothing is held while Firestore answers; two instances may publish the same order,
 * which the version guard makes harmless. A failure leaves the mark, so the order is retried.
 */
export async function publishTracking(deps: {
  db: Queryable;
  store: Pick<OrderStore, 'untracked' | 'markTracked'>;
  sink: OrderTrackingSink;
  limit?: number;
  /** How long one write may take before it counts as failed (it may still land: the guard holds). */
  timeoutMs?: number;
}): Promise<PublishCounts> {
  const rows = await deps.store.untracked(deps.db, deps.limit ?? 100);
  const counts: PublishCounts = { published: 0, stale: 0, failed: 0 };
  const errors: { order_id: string; err: unknown }[] = [];
  await Promise.all(
    rows.map(async (row) => {
      let outcome: 'written' | 'stale';
      try {
        outcome = await withTimeout(deps.sink.write(trackingDoc(row)), deps.timeoutMs ?? 10_000);
      } catch (err) {
        counts.failed++;
        errors.push({ order_id: row.id, err });
        return;
      }
      await deps.store.markTracked(deps.db, row.id, row.version);
      counts[outcome === 'written' ? 'published' : 'stale']++;
    }),
  );
  if (errors.length)
    log.warn('tracking documents not written; will retry', {
      failed: errors.length,
      order_id: errors[0]!.order_id,
      err: errors[0]!.err,
    });
  return counts;
}

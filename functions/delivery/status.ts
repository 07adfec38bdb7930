/**
 * How a delivery's status moves. Carriers send statuses late, twice and out of order (webhooks
 * retried, several workers, a re-read racing a webhook); a status is applied only when it moves the
 * delivery forward. Pure.
 *
 * - Terminal statuses (delivered, returned, cancelled) never change.
 * - A status older than the last one applied (by the carrier's own time) is stale.
 * - Otherwise a status of higher rank moves the delivery; the one step back that is real — a new
 *   delivery attempt after a failed one (GHN `delivery_fail` then `delivering`) — is allowed only
 *   when it is newer than the failure.
 */
import type { DeliveryStatus } from './carrier';

/** Rank in the normal order of a trip; terminal statuses share the top. */
export const RANK: Record<DeliveryStatus, number> = {
  pending: 0,
  assigned: 1,
  picked_up: 2,
  in_transit: 3,
  failed: 4,
  returning: 5,
  returned: 6,
  delivered: 6,
  cancelled: 6,
};

export const TERMINAL: ReadonlySet<DeliveryStatus> = new Set(['delivered', 'returned', 'cancelled']);

/** Where the delivery is: its status and the carrier time it was reached. */
export interface Position {
  status: DeliveryStatus;
  at: Date;
}

/** Why a status was not applied. */
export type Ignored = 'terminal' | 'stale' | 'backwards' | 'same';

/** Whether `next` moves a delivery at `current`: `apply`, or why not. */
export function advance(current: Position, next: Position): { apply: true } | { apply: false; why: Ignored } {
  if (TERMINAL.has(current.status)) return { apply: false, why: 'terminal' };
  if (next.at.getTime() < current.at.getTime()) return { apply: false, why: 'stale' };
  if (next.status === current.status) return { apply: false, why: 'same' };
  if (RANK[next.status] > RANK[current.status]) return { apply: true };
  const retry = current.status === 'failed' && (next.status === 'in_transit' || next.status === 'assigned');
  if (retry && next.at.getTime() > current.at.getTime()) return { apply: true };
  return { apply: false, why: 'backwards' };
}

/** The statuses staff may set on an own-fleet trip (the riders' app is the API). */
export const OWN_FLEET_STATUSES: readonly DeliveryStatus[] = [
  'assigned',
  'picked_up',
  'in_transit',
  'delivered',
  'failed',
  'returning',
  'returned',
  'cancelled',
];

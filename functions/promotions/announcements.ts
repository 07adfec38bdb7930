/**
 * What catalog and search are told about a promotion: it is live (active and within its schedule)
 * or not. `announcementFor` decides the one event a change calls for, comparing what is live now
 * with what was announced last; the scheduler and every staff write use it, so a promotion that
 * starts or ends by the clock is announced exactly like one a person switched.
 */
import {
  promotionActivated,
  promotionChanged,
  promotionEnded,
  type DataOf,
  type TuoiCloudEvent,
} from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import type { Definition } from './definition';

/** True when `def` applies at `now`: active, started, not ended. */
export function isLive(def: Definition, now: Date): boolean {
  const t = now.getTime();
  return (
    def.status === 'active' &&
    (!def.starts_at || Date.parse(def.starts_at) <= t) &&
    (!def.ends_at || t < Date.parse(def.ends_at))
  );
}

/** The kind of event a transition calls for, if any. */
export type Transition = 'activated' | 'changed' | 'ended' | undefined;

/** The transition from `announced` to `def`'s state at `now` (`changed` only when asked). */
export function transitionOf(def: Definition, announced: boolean, now: Date, changed: boolean): Transition {
  const live = isLive(def, now);
  if (live && !announced) return 'activated';
  if (!live && announced) return 'ended';
  if (live && changed) return 'changed';
  return undefined;
}

const KIND: Record<Definition['discount']['kind'], DataOf<typeof promotionActivated>['kind']> = {
  percentage: 'percentage',
  amount_off: 'amount_off',
  fixed_price: 'fixed_price',
  buy_x_get_y: 'buy_x_get_y',
  tiered: 'tiered',
  delivery: 'delivery',
  near_expiry: 'near_expiry',
};

function endReason(def: Definition, now: Date, deleted: boolean): DataOf<typeof promotionEnded>['reason'] {
  if (deleted) return 'deleted';
  if (def.status === 'paused') return 'paused';
  if (def.status === 'active' && def.ends_at && Date.parse(def.ends_at) <= now.getTime()) return 'expired';
  return 'ended';
}

/** The event for `transition` of `def` at `version`. */
export function announcement(
  transition: Exclude<Transition, undefined>,
  def: Definition,
  version: number,
  now: Date,
  deleted = false,
): TuoiCloudEvent {
  const at = now.toISOString();
  if (transition === 'ended')
    return buildEvent(promotionEnded, { id: def.id, reason: endReason(def, now, deleted), version, at });
  const data = {
    id: def.id,
    name_en: def.name.en,
    name_vi: def.name.vi,
    label_en: def.label.en,
    label_vi: def.label.vi,
    kind: KIND[def.discount.kind],
    coupon: def.requires_coupon ?? false,
    target: def.target,
    starts_at: def.starts_at ?? null,
    ends_at: def.ends_at ?? null,
    version,
    at,
  };
  return buildEvent(transition === 'activated' ? promotionActivated : promotionChanged, data);
}

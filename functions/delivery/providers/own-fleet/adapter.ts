/**
 * The store's own riders as a carrier. There is no outside API: a booking is a trip waiting for
 * staff to dispatch a rider, and its statuses come from staff through `POST /deliveries/{id}/status`
 * (the riders' app speaks that API), not from webhooks. Its quote is the store's internal cost
 * per trip, so the rules can weigh it against the outside carriers.
 */
import {
  CarrierRefusedError,
  WebhookFormatError,
  type Booking,
  type Carrier,
  type CarrierQuote,
  type CarrierUpdate,
} from '../../carrier';

/** Great-circle distance in metres between two points (haversine). */
export function metresBetween(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/**
 * The own fleet, costing `tripCostVnd` per trip, riding at most `radiusMetres` from the store (as
 * the crow flies, when both ends have coordinates; the zone's own bounds otherwise).
 */
export function ownFleetCarrier(opts: { tripCostVnd: number; radiusMetres?: number }): Carrier {
  return {
    name: 'own_fleet',
    webhookTrusted: true,
    async quote(req): Promise<CarrierQuote | undefined> {
      const distance =
        req.origin.geo && req.destination.geo
          ? Math.round(metresBetween(req.origin.geo, req.destination.geo))
          : undefined;
      if (distance !== undefined && opts.radiusMetres !== undefined && distance > opts.radiusMetres)
        return undefined;
      return {
        carrier: 'own_fleet',
        service: 'store_rider',
        feeVnd: opts.tripCostVnd,
        ...(distance !== undefined ? { distanceMetres: distance } : {}),
      };
    },
    async book(req): Promise<Booking> {
      // Our own id is the trip's: booking the same delivery twice is the same trip.
      return {
        carrier: 'own_fleet',
        carrierRef: `rider-${req.reference}`,
        status: 'pending',
        rawStatus: 'awaiting_rider',
        feeVnd: opts.tripCostVnd,
      };
    },
    async cancel() {
      // Nothing outside to tell: the trip's status is ours, set by the caller.
    },
    async track(): Promise<CarrierUpdate> {
      throw new CarrierRefusedError(
        'own_fleet',
        'not_supported',
        'own-fleet trips are tracked by the statuses staff set',
      );
    },
    parseWebhook(): CarrierUpdate[] {
      throw new WebhookFormatError('own_fleet', 'the own fleet reports through POST /deliveries/{id}/status');
    },
    close() {},
  };
}

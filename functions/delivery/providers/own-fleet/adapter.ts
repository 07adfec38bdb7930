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

/** The own fleet, costing `tripCostVnd` per trip. */
export function ownFleetCarrier(opts: { tripCostVnd: number }): Carrier {
  return {
    name: 'own_fleet',
    webhookTrusted: true,
    async quote(): Promise<CarrierQuote> {
      return { carrier: 'own_fleet', service: 'store_rider', feeVnd: opts.tripCostVnd };
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

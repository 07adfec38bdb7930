/**
 * Dispatch of a packed order: `io.tuoi.order.packed.v1` creates the order's delivery (booked with
 * a carrier by the rules) or its pickup (left `pending` until staff mark it ready), through the
 * same use case as POST /deliveries, under the id `<order_id>.d1`.
 *
 * Creating commits in its own units of work and books the carrier over HTTP outside any
 * transaction (under a claim on the row); nothing is written in the consumer's transaction but
 * its inbox row, as in the saga's handlers. The request is derived from the event's data alone,
 * so a redelivered or re-sent event hashes the same and replays the delivery. A refusal
 * (`invalid`, `conflict`) cannot change by retrying: the event is rejected as poison (400, never
 * retried; dead-lettered). A carrier that does not take the trip is not a failure: the delivery
 * waits and the rebooking job (`retryUnbooked`) tries again. A database failure throws: 5xx, the
 * broker retries, and the retry replays whatever was done.
 */
import { orderPacked, type DataOf } from '../../events';
import { ValidationError } from '../shared/errors';
import type { EventHandler } from '../shared/eventing/consumer';
import { createLogger } from '../shared/log';
import type { Party } from './carrier';
import type { CreateDelivery, DeliveryUseCases } from './deliveries';

type Packed = DataOf<typeof orderPacked>;

const log = createLogger('delivery');

/** What the dispatch handler runs on. */
export interface DispatchDeps {
  deliveries: Pick<DeliveryUseCases, 'create'>;
}

/** The id of an order's (first) delivery or pickup. */
export const deliveryIdOf = (orderId: string) => `${orderId}.d1`;

/** The event's destination as the carrier port's party. */
function party(d: NonNullable<Packed['destination']>): Party {
  return {
    name: d.name,
    phone: d.phone,
    street: d.street,
    ward: d.ward,
    province: d.province,
    ...(d.geo ? { geo: { lat: d.geo.lat, lng: d.geo.lng } } : {}),
  };
}

/** What a packed order asks of delivery: the same event always gives the same request. */
export function createRequestOf(p: Packed): CreateDelivery {
  return {
    id: deliveryIdOf(p.order_id),
    order_id: p.order_id,
    customer_id: p.customer_id,
    kind: p.fulfilment,
    hold_id: p.hold_id,
    ...(p.destination ? { destination: party(p.destination) } : {}),
    parcel: {
      weightGrams: p.parcel.weight_grams,
      valueVnd: p.parcel.value_vnd,
      items: p.parcel.items.map((i) => ({ name: i.name, qty: i.qty })),
    },
    cod_vnd: p.cod_vnd,
  };
}

/** The handler of packed orders, by event type. */
export function dispatchHandlers(deps: DispatchDeps): Record<string, EventHandler> {
  return {
    [orderPacked.type]: async (event) => {
      const packed = event.data as Packed;
      const request = createRequestOf(packed);
      const out = await deps.deliveries.create(request);
      const fields = { order: packed.order_id, delivery: request.id, kind: request.kind };
      switch (out.kind) {
        case 'ok':
          log.info(out.replayed ? 'packed order already dispatched' : 'packed order dispatched', {
            ...fields,
            status: out.delivery.status,
            carrier: out.delivery.carrier,
          });
          return;
        case 'invalid':
          log.error('packed order cannot be dispatched: the event is rejected', {
            ...fields,
            reason: out.message,
          });
          throw new ValidationError(out.message, [
            { field: `/data${out.field}`, code: out.code, message: out.message },
          ]);
        case 'conflict':
          // Not a 409 (the broker retries those): the same event will always conflict.
          log.error('packed order conflicts with its delivery: the event is rejected', {
            ...fields,
            reason: out.message,
          });
          throw new ValidationError(out.message, [
            { field: '/data/order_id', code: 'conflict', message: out.message },
          ]);
      }
    },
  };
}

import { Type } from '@sinclair/typebox';
import { INT4_MAX, defineEvent } from '../contract';
import { LOCATION_PATTERN } from '../inventory/stock.v1';

/** Ids callers choose for holds, deliveries and orders (UUIDs, saga step ids). */
export const DELIVERY_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$';
/** A slot: `<calendar>:<YYYY-MM-DD>:<HHMM>`, the calendar a zone id or `pickup-<location>`. */
export const SLOT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,70}[a-z0-9]:[0-9]{4}-[0-9]{2}-[0-9]{2}:[0-9]{4}$';

const Id = Type.String({ pattern: DELIVERY_ID_PATTERN });
const Money = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Instant = Type.String({ format: 'date-time' });
const Carrier = Type.Union(
  ['own_fleet', 'grab', 'ahamove', 'ghn', 'viettelpost', 'gosend'].map((c) => Type.Literal(c)),
);
const Status = Type.Union(
  [
    'pending',
    'assigned',
    'picked_up',
    'in_transit',
    'failed',
    'returning',
    'returned',
    'delivered',
    'cancelled',
  ].map((c) => Type.Literal(c)),
);

/** A place in a delivery or pickup window was booked (a hold converted): the order's slot is certain. */
export const slotBooked = defineEvent({
  type: 'io.tuoi.delivery.slot.booked.v1',
  producer: 'delivery',
  description: 'A held place in a delivery or pickup window was booked for an order.',
  data: Type.Object(
    {
      hold_id: Id,
      slot: Type.String({ pattern: SLOT_ID_PATTERN }),
      kind: Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]),
      /** The zone (delivery) or null (pickup). */
      zone: Type.Union([Type.String({ pattern: LOCATION_PATTERN }), Type.Null()]),
      /** The store that serves it. */
      location: Type.String({ pattern: LOCATION_PATTERN }),
      starts_at: Instant,
      ends_at: Instant,
      fee_vnd: Money,
      customer_id: Type.String({ minLength: 1, maxLength: 128 }),
      order_id: Type.Union([Id, Type.Null()]),
      booked_at: Instant,
    },
    { additionalProperties: false },
  ),
  key: (data) => data.hold_id,
});

/** A delivery was handed to a carrier (or the store's riders). */
export const deliveryBooked = defineEvent({
  type: 'io.tuoi.delivery.booked.v1',
  producer: 'delivery',
  description: 'A delivery was booked with a carrier: who carries it and where to track it.',
  data: Type.Object(
    {
      delivery_id: Id,
      order_id: Id,
      customer_id: Type.String({ minLength: 1, maxLength: 128 }),
      carrier: Carrier,
      service: Type.String({ minLength: 1, maxLength: 64 }),
      carrier_ref: Type.String({ minLength: 1, maxLength: 128 }),
      tracking_url: Type.Union([Type.String({ format: 'uri', maxLength: 2048 }), Type.Null()]),
      fee_vnd: Money,
      cod_vnd: Money,
      slot: Type.Union([Type.String({ pattern: SLOT_ID_PATTERN }), Type.Null()]),
      /** Carriers tried before this one, with why each failed. */
      fallbacks: Type.Array(
        Type.Object(
          { carrier: Carrier, reason: Type.String({ maxLength: 500 }) },
          { additionalProperties: false },
        ),
        { maxItems: 10 },
      ),
      booked_at: Instant,
    },
    { additionalProperties: false },
  ),
  key: (data) => data.delivery_id,
});

/** A delivery moved forward (a late or repeated carrier status never produces one). */
export const deliveryStatusChanged = defineEvent({
  type: 'io.tuoi.delivery.status.changed.v1',
  producer: 'delivery',
  description:
    "A delivery's status moved forward (picked up, in transit, delivered, failed, returned, cancelled).",
  data: Type.Object(
    {
      delivery_id: Id,
      order_id: Id,
      customer_id: Type.String({ minLength: 1, maxLength: 128 }),
      carrier: Carrier,
      status: Status,
      previous: Status,
      /** The carrier's own status word. */
      raw_status: Type.String({ maxLength: 64 }),
      reason: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
      tracking_url: Type.Union([Type.String({ format: 'uri', maxLength: 2048 }), Type.Null()]),
      eta_at: Type.Union([Instant, Type.Null()]),
      /** The carrier's time for the change. */
      at: Instant,
      version: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.delivery_id,
});

/** The rider collected cash on delivery: the payment function settles the order's COD payment. */
export const codCollected = defineEvent({
  type: 'io.tuoi.delivery.cod.collected.v1',
  producer: 'delivery',
  description: 'Cash on delivery was collected from the customer (the amount the carrier reports).',
  data: Type.Object(
    {
      delivery_id: Id,
      order_id: Id,
      carrier: Carrier,
      amount_vnd: Money,
      /** What we asked the rider to collect; a difference is for reconciliation. */
      expected_vnd: Money,
      collected_at: Instant,
    },
    { additionalProperties: false },
  ),
  key: (data) => data.delivery_id,
});

/** An order is packed and waits at the store; the customer shows the code to collect it. */
export const pickupReady = defineEvent({
  type: 'io.tuoi.delivery.pickup.ready.v1',
  producer: 'delivery',
  description: 'An order is ready for pickup at a store, with the code the customer shows.',
  data: Type.Object(
    {
      delivery_id: Id,
      order_id: Id,
      customer_id: Type.String({ minLength: 1, maxLength: 128 }),
      location: Type.String({ pattern: LOCATION_PATTERN }),
      window_starts_at: Instant,
      window_ends_at: Instant,
      /** Six digits; the notification function sends it to the customer. */
      pickup_code: Type.String({ pattern: '^[0-9]{6}$' }),
      ready_at: Instant,
    },
    { additionalProperties: false },
  ),
  key: (data) => data.delivery_id,
});

/** A customer collected their order at the store. */
export const pickupCollected = defineEvent({
  type: 'io.tuoi.delivery.pickup.collected.v1',
  producer: 'delivery',
  description: 'A customer collected their order at the store (staff checked the pickup code).',
  data: Type.Object(
    {
      delivery_id: Id,
      order_id: Id,
      customer_id: Type.String({ minLength: 1, maxLength: 128 }),
      location: Type.String({ pattern: LOCATION_PATTERN }),
      collected_at: Instant,
      /** The staff member who handed it over. */
      collected_by: Type.String({ minLength: 1, maxLength: 128 }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.delivery_id,
});

/** Response schemas of the delivery function (TypeBox), as the API documents its answers. */
import { Type, type TSchema } from '@sinclair/typebox';
import { CARRIERS, DELIVERY_STATUSES } from './carrier';

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Bilingual = Type.Object({ en: Type.String(), vi: Type.String() });
const Carrier = Type.Union(CARRIERS.map((c) => Type.Literal(c)));
const Party = Type.Object({
  name: Type.String(),
  phone: Type.String(),
  street: Type.String(),
  ward: Type.String(),
  province: Type.String(),
  geo: Type.Optional(Type.Object({ lat: Type.Number(), lng: Type.Number() })),
});

/** `zoneView`. */
export const ZoneView = Type.Object({
  id: Type.String(),
  location: Type.String(),
  province: Type.String(),
  name: Bilingual,
  wards: Type.Array(Type.String()),
  /** Rings of `[lng, lat]` points. */
  polygons: Nullable(Type.Array(Type.Array(Type.Array(Type.Number())))),
  origin: Nullable(Party),
  carriers: Type.Array(Carrier),
  version: Type.Integer(),
});

/** `templateView`. */
const TemplateView = {
  windows: Type.Array(
    Type.Object({
      start: Type.String(),
      end: Type.String(),
      capacity: Type.Integer(),
      unit_capacity: Type.Optional(Type.Integer()),
      fee_vnd: Type.Integer(),
      label: Type.Optional(Bilingual),
    }),
  ),
  cutoff_minutes: Type.Integer(),
  weekdays: Type.Optional(Type.Array(Type.Integer())),
  days_ahead: Type.Integer(),
  closures: Type.Array(
    Type.Object({
      from: Type.String({ format: 'date' }),
      until: Type.String({ format: 'date' }),
      reason: Bilingual,
    }),
  ),
};

/** A calendar with its template. */
export const CalendarView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]),
  location: Type.String(),
  version: Type.Integer(),
  ...TemplateView,
});

/** `windowView`. */
export const WindowView = Type.Object({
  id: Type.String(),
  start: Type.String(),
  end: Type.String(),
  starts_at: Instant,
  ends_at: Instant,
  cutoff_at: Instant,
  capacity: Type.Integer(),
  remaining: Type.Integer(),
  fee_vnd: Type.Integer(),
  label: Nullable(Bilingual),
  status: Type.Union([
    Type.Literal('available'),
    Type.Literal('few_left'),
    Type.Literal('full'),
    Type.Literal('closed'),
  ]),
});

/** A day of a calendar (`DayView`). */
export const DayView = Type.Object({
  calendar: Type.String(),
  kind: Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]),
  location: Type.String(),
  date: Type.String({ format: 'date' }),
  closed: Nullable(Bilingual),
  windows: Type.Array(WindowView),
});

/** `holdView`. */
export const HoldView = Type.Object({
  id: Type.String(),
  slot: Type.String(),
  state: Type.Union([
    Type.Literal('held'),
    Type.Literal('booked'),
    Type.Literal('released'),
    Type.Literal('expired'),
  ]),
  units: Type.Integer(),
  customer_id: Type.String(),
  order_id: Nullable(Type.String()),
  expires_at: Instant,
  created_at: Instant,
  closed_at: Nullable(Instant),
});

const deliveryFields = {
  id: Type.String(),
  order_id: Type.String(),
  customer_id: Type.String(),
  kind: Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]),
  location: Type.String(),
  zone: Nullable(Type.String()),
  hold_id: Type.String(),
  status: Type.Union(
    [...new Set(['booking', ...DELIVERY_STATUSES, 'ready', 'collected'])].map((s) => Type.Literal(s)),
  ),
  carrier: Nullable(Carrier),
  service: Nullable(Type.String()),
  carrier_ref: Nullable(Type.String()),
  fee_vnd: Nullable(Type.Integer()),
  cod_vnd: Type.Integer(),
  cod_collected_vnd: Nullable(Type.Integer()),
  tracking_url: Nullable(Type.String()),
  eta_at: Nullable(Instant),
  driver: Nullable(
    Type.Object({
      name: Type.Optional(Type.String()),
      phone: Type.Optional(Type.String()),
      plate: Type.Optional(Type.String()),
    }),
  ),
  fallbacks: Type.Array(Type.Object({ carrier: Carrier, reason: Type.String() })),
  version: Type.Integer(),
  created_at: Instant,
  updated_at: Instant,
};

/** `deliveryView`: a delivery or pickup. */
export const DeliveryView = Type.Object(deliveryFields);

/** A delivery with what was heard of it, oldest first. */
export const DeliveryWithHistory = Type.Object({
  ...deliveryFields,
  history: Type.Array(
    Type.Object({
      source: Type.String(),
      raw_status: Type.String(),
      status: Nullable(Type.String()),
      at: Instant,
      outcome: Type.String(),
    }),
  ),
});

/** What a carrier's webhook is answered. */
export const WebhookAnswer = Type.Object({
  received: Type.Integer({ minimum: 0 }),
  applied: Type.Integer({ minimum: 0 }),
});

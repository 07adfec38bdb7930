/** Request schemas of the delivery function (TypeBox), and their translation to the domain's shapes. */
import { Type, type Static } from '@sinclair/typebox';
import { DELIVERY_ID_PATTERN, LOCATION_PATTERN, SLOT_ID_PATTERN } from '../../events';
import { CARRIERS } from './carrier';
import type { SlotTemplate } from './slots';

/** A zone id; ids starting `pickup-` name stores' pickup calendars, so zones may not take them. */
export const ZONE_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$';
export const CALENDAR_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,70}[a-z0-9]$';
export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const TIME = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
const DATE = Type.String({ pattern: DATE_PATTERN });
const Bilingual = Type.Object(
  { en: Type.String({ minLength: 1, maxLength: 200 }), vi: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** Holds last from 1 minute to 1 hour (checkout holds ≈ 15 minutes). */
export const TTL_SECONDS = { min: 60, max: 3_600, fallback: 900 };

const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

const PartyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.String({ pattern: '^\\+84[0-9]{9,10}$' }),
    street: Type.String({ minLength: 1, maxLength: 300 }),
    ward: Type.String({ minLength: 1, maxLength: 100 }),
    province: Type.String({ pattern: '^[a-z][a-z-]{1,40}$' }),
    geo: Type.Optional(Type.Object({ lat: Lat, lng: Lng }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const ZoneBody = Type.Object(
  {
    location: Type.String({ pattern: LOCATION_PATTERN }),
    /** The serving store's address, where carriers pick up (without it only the own fleet serves the zone). */
    origin: Type.Optional(PartyBody),
    province: Type.String({ pattern: '^[a-z][a-z-]{1,40}$' }),
    name: Bilingual,
    wards: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 }),
    polygons: Type.Optional(
      Type.Array(Type.Array(Type.Tuple([Lng, Lat]), { minItems: 3, maxItems: 5_000 }), { maxItems: 50 }),
    ),
    carriers: Type.Array(Type.Union(CARRIERS.map((c) => Type.Literal(c))), {
      minItems: 1,
      maxItems: CARRIERS.length,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);
export type ZoneBody = Static<typeof ZoneBody>;

export const TemplateBody = Type.Object(
  {
    windows: Type.Array(
      Type.Object(
        {
          start: TIME,
          end: TIME,
          capacity: Type.Integer({ minimum: 0, maximum: 100_000 }),
          unit_capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
          fee_vnd: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
          label: Type.Optional(Bilingual),
        },
        { additionalProperties: false },
      ),
      { maxItems: 48 },
    ),
    cutoff_minutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 }),
    weekdays: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
    ),
    days_ahead: Type.Integer({ minimum: 1, maximum: 60 }),
    closures: Type.Array(
      Type.Object({ from: DATE, until: DATE, reason: Bilingual }, { additionalProperties: false }),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type TemplateBody = Static<typeof TemplateBody>;

/** A template as the API writes it → the domain's. */
export const toTemplate = (id: string, b: TemplateBody): SlotTemplate => ({
  zone: id,
  windows: b.windows.map((w) => ({
    start: w.start,
    end: w.end,
    capacity: w.capacity,
    ...(w.unit_capacity !== undefined ? { unitCapacity: w.unit_capacity } : {}),
    feeVnd: w.fee_vnd,
    ...(w.label ? { label: w.label } : {}),
  })),
  cutoffMinutes: b.cutoff_minutes,
  ...(b.weekdays ? { weekdays: b.weekdays } : {}),
  daysAhead: b.days_ahead,
  closures: b.closures,
});

/** The domain's template → as the API shows it. */
export const templateView = (t: SlotTemplate): TemplateBody => ({
  windows: t.windows.map((w) => ({
    start: w.start,
    end: w.end,
    capacity: w.capacity,
    ...(w.unitCapacity !== undefined ? { unit_capacity: w.unitCapacity } : {}),
    fee_vnd: w.feeVnd,
    ...(w.label ? { label: w.label } : {}),
  })),
  cutoff_minutes: t.cutoffMinutes,
  ...(t.weekdays ? { weekdays: [...t.weekdays] } : {}),
  days_ahead: t.daysAhead,
  closures: t.closures.map((c) => ({ ...c })),
});

export const SlotsQuery = Type.Object(
  {
    zone: Type.Optional(Type.String({ pattern: ZONE_ID_PATTERN })),
    /** One of the caller's saved addresses (the user function's ids are UUIDs). */
    address_id: Type.Optional(Type.String({ format: 'uuid' })),
    pickup: Type.Optional(Type.String({ pattern: LOCATION_PATTERN })),
    date: Type.Optional(DATE),
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('vi')])),
  },
  { additionalProperties: false },
);
export type SlotsQuery = Static<typeof SlotsQuery>;

export const HoldBody = Type.Object(
  {
    id: Type.String({ pattern: DELIVERY_ID_PATTERN }),
    slot: Type.String({ pattern: SLOT_ID_PATTERN }),
    ttl_seconds: Type.Optional(Type.Integer({ minimum: TTL_SECONDS.min, maximum: TTL_SECONDS.max })),
    /** Picking units the order takes (for calendars with a unit capacity). */
    units: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    /** Checkout and staff (delivery:reserve) hold for a customer; a customer holds for themselves. */
    customer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    order_id: Type.Optional(Type.String({ pattern: DELIVERY_ID_PATTERN })),
  },
  { additionalProperties: false },
);
export type HoldBody = Static<typeof HoldBody>;

export const BookBody = Type.Object(
  { order_id: Type.Optional(Type.String({ pattern: DELIVERY_ID_PATTERN })) },
  { additionalProperties: false },
);
export type BookBody = Static<typeof BookBody>;

export const CreateDeliveryBody = Type.Object(
  {
    id: Type.String({ pattern: DELIVERY_ID_PATTERN }),
    order_id: Type.String({ pattern: DELIVERY_ID_PATTERN }),
    customer_id: Type.String({ minLength: 1, maxLength: 128 }),
    kind: Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]),
    hold_id: Type.String({ pattern: DELIVERY_ID_PATTERN }),
    destination: Type.Optional(PartyBody),
    parcel: Type.Object(
      {
        weight_grams: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
        value_vnd: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
        items: Type.Array(
          Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              qty: Type.Integer({ minimum: 1, maximum: 100_000 }),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 500 },
        ),
      },
      { additionalProperties: false },
    ),
    cod_vnd: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
  },
  { additionalProperties: false },
);
export type CreateDeliveryBody = Static<typeof CreateDeliveryBody>;

export const StatusBody = Type.Object(
  {
    status: Type.Union(
      [
        'assigned',
        'picked_up',
        'in_transit',
        'delivered',
        'failed',
        'returning',
        'returned',
        'cancelled',
      ].map((s) => Type.Literal(s)),
    ),
    driver: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          phone: Type.Optional(Type.String({ pattern: '^\\+84[0-9]{9,10}$' })),
          plate: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
        },
        { additionalProperties: false },
      ),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    cod_collected_vnd: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  },
  { additionalProperties: false },
);
export type StatusBody = Static<typeof StatusBody>;

export const CollectBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);
export type CollectBody = Static<typeof CollectBody>;

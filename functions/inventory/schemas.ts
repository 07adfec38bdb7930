/**
 * Request bodies of the inventory API, checked by TypeBox (unknown fields rejected) before the
 * rules that need the database (known SKU, known location).
 */
import { Type, type Static } from '@sinclair/typebox';
import { LOCATION_PATTERN, RESERVATION_ID_PATTERN, SKU_PATTERN } from '../../events';

/** Most lines in one reservation or pairs in one batch read. */
export const MAX_LINES = 200;
/** Reservation TTL bounds: long enough for a checkout, short enough that abandoned carts return stock. */
export const TTL_SECONDS = { min: 10, max: 3_600, fallback: 900 } as const;
/** Largest quantity of one line or lot: 10 t in grams, or ten million pieces. */
export const MAX_QTY = 10_000_000;

const Sku = Type.String({ pattern: SKU_PATTERN });
const Location = Type.String({ pattern: LOCATION_PATTERN });
const Id = Type.String({ pattern: RESERVATION_ID_PATTERN });
const Qty = Type.Integer({ minimum: 1, maximum: MAX_QTY });
const Note = Type.String({ maxLength: 500, pattern: '^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$' });

export const ReserveBody = Type.Object(
  {
    id: Id,
    /** Who holds it, e.g. `order:123` or `cart:abc`; defaults to the id. */
    owner: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
    ),
    location: Location,
    lines: Type.Array(Type.Object({ sku: Sku, qty: Qty }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: MAX_LINES,
    }),
    ttl_seconds: Type.Optional(Type.Integer({ minimum: TTL_SECONDS.min, maximum: TTL_SECONDS.max })),
    allow_partial: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ReserveBody = Static<typeof ReserveBody>;

export const ReceiveBody = Type.Object(
  {
    lot_id: Id,
    sku: Sku,
    location: Location,
    quantity: Qty,
    /** Required for perishable SKUs; a lot already past it is refused. */
    expires_on: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    received_at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type ReceiveBody = Static<typeof ReceiveBody>;

export const AdjustBody = Type.Object(
  {
    /** Idempotency key of this adjustment. */
    id: Id,
    lot_id: Id,
    reason: Type.Union([Type.Literal('count'), Type.Literal('damage'), Type.Literal('expiry')]),
    /** count: the quantity counted on the shelf; damage / expiry: the quantity written off (default: all for expiry). */
    quantity: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_QTY })),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type AdjustBody = Static<typeof AdjustBody>;

export const BatchBody = Type.Object(
  {
    items: Type.Array(Type.Object({ sku: Sku, location: Location }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: MAX_LINES,
    }),
  },
  { additionalProperties: false },
);
export type BatchBody = Static<typeof BatchBody>;

export const ThresholdBody = Type.Object(
  { low_threshold: Type.Integer({ minimum: 1, maximum: MAX_QTY }) },
  { additionalProperties: false },
);

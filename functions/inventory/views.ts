/**
 * The answers of the inventory API as its documents describe them: locations, stock levels, lots
 * (`LotView`) and reservations (`reservationView`). Open to new fields: clients must tolerate them.
 */
import { Type } from '@sinclair/typebox';

const Instant = Type.String({ format: 'date-time' });
const Day = Type.Union([Type.String({ format: 'date' }), Type.Null()]);
/** Pieces, or grams for products sold by weight. */
const CountingUnit = Type.Union([Type.Literal('piece'), Type.Literal('g')]);

/** A location (`GET /locations`), its name in the request's language beside both names. */
export const LocationView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('store'), Type.Literal('warehouse')]),
  name: Type.String(),
  name_en: Type.String(),
  name_vi: Type.String(),
  zone: Type.String(),
});

const Counts = {
  on_hand: Type.Integer({ description: 'Physically there, expired lots included' }),
  held: Type.Integer({ description: 'Allocated to held reservations' }),
  available: Type.Integer({ description: 'Free to reserve: on hand minus held, unexpired lots only' }),
};

/** The stock of one SKU at one location (`StockLevel`). */
export const StockLevelView = Type.Object({ sku: Type.String(), location: Type.String(), ...Counts });

/** The stock of one SKU per location and in total (`GET /stock/{sku}`). */
export const SkuStockView = Type.Object({
  sku: Type.String(),
  unit: CountingUnit,
  locations: Type.Array(Type.Object({ location: Type.String(), ...Counts })),
  total: Type.Object(Counts),
});

/** One lot (`LotView`). */
export const LotView = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  location: Type.String(),
  received_qty: Type.Integer(),
  on_hand: Type.Integer(),
  held: Type.Integer(),
  expires_on: Day,
  expired: Type.Boolean(),
  received_at: Instant,
});

/** The lots of a SKU that still hold stock (`GET /stock/{sku}/lots`). */
export const SkuLotsView = Type.Object({
  sku: Type.String(),
  unit: CountingUnit,
  items: Type.Array(LotView),
});

/** A reservation (`reservationView`): each line with what was held and from which lots. */
export const ReservationView = Type.Object({
  id: Type.String(),
  owner: Type.String(),
  location: Type.String(),
  status: Type.Union([
    Type.Literal('held'),
    Type.Literal('committed'),
    Type.Literal('released'),
    Type.Literal('expired'),
  ]),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      qty: Type.Integer(),
      held: Type.Integer(),
      lots: Type.Array(Type.Object({ lot_id: Type.String(), qty: Type.Integer(), expires_on: Day })),
    }),
  ),
  created_at: Instant,
  expires_at: Instant,
  closed_at: Type.Union([Instant, Type.Null()]),
});

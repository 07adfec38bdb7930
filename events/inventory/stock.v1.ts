import { Type } from '@sinclair/typebox';
import { INT4_MAX, defineEvent } from '../contract';
import { SKU_PATTERN } from '../catalog/product.v1';

/** A location id: lower-case letters, digits and inner hyphens, 2–64 characters. */
export const LOCATION_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$';
const LOCATION = Type.String({ pattern: LOCATION_PATTERN });

/**
 * Availability of one SKU at one location changed (coalesced: one event may stand for many
 * movements). Emitted by inventory; catalog and search project `in_stock` from it.
 */
export const stockChanged = defineEvent({
  type: 'io.tuoi.inventory.stock.changed.v1',
  producer: 'inventory',
  description: 'Availability of a SKU at a location changed; quantities after the change.',
  data: Type.Object(
    {
      sku: Type.String({ pattern: SKU_PATTERN }),
      location: LOCATION,
      on_hand: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
      held: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
      available: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
      /** Monotonic per (sku, location): consumers ignore a lower one than they have applied. */
      sequence: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.sku,
});

/**
 * A lot of a perishable SKU expires soon (within inventory's window) and still has stock; a later
 * event for the same lot with quantity 0 withdraws it. Feeds the `expires_soon` filter and
 * near-expiry promotions.
 */
export const stockExpiring = defineEvent({
  type: 'io.tuoi.inventory.stock.expiring.v1',
  producer: 'inventory',
  description: 'A lot expires soon; quantity is what is left of it (0 withdraws the notice).',
  data: Type.Object(
    {
      sku: Type.String({ pattern: SKU_PATTERN }),
      location: LOCATION,
      lot_id: Type.String({ minLength: 1, maxLength: 64 }),
      expires_on: Type.String({ format: 'date' }),
      quantity: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
      at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.sku,
});

/**
 * Availability of a SKU at a location fell below its low-stock threshold (emitted once per
 * crossing; it is emitted again only after availability has recovered to the threshold).
 */
export const stockLow = defineEvent({
  type: 'io.tuoi.inventory.stock.low.v1',
  producer: 'inventory',
  description: 'Availability of a SKU at a location fell below its low-stock threshold.',
  data: Type.Object(
    {
      sku: Type.String({ pattern: SKU_PATTERN }),
      location: LOCATION,
      available: Type.Integer({ minimum: 0, maximum: INT4_MAX }),
      threshold: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
      at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.sku,
});

import { Type } from '@sinclair/typebox';
import { INT4_MAX, defineEvent } from '../contract';
import { SKU_PATTERN } from '../catalog/product.v1';
import { LOCATION_PATTERN } from './stock.v1';

/** A reservation id: chosen by the client (an order id, a cart id, a UUID), 1–64 safe characters. */
export const RESERVATION_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$';

/**
 * A held reservation reached its TTL without a commit and its stock went back on sale (the
 * sweeper). The owner (checkout) cancels what it was holding the stock for.
 */
export const reservationExpired = defineEvent({
  type: 'io.tuoi.inventory.reservation.expired.v1',
  producer: 'inventory',
  description: 'A held reservation expired unconfirmed; its stock is available again.',
  data: Type.Object(
    {
      id: Type.String({ pattern: RESERVATION_ID_PATTERN }),
      owner: Type.String({ minLength: 1, maxLength: 128 }),
      location: Type.String({ pattern: LOCATION_PATTERN }),
      lines: Type.Array(
        Type.Object(
          {
            sku: Type.String({ pattern: SKU_PATTERN }),
            qty: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 200 },
      ),
      expired_at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.id,
});

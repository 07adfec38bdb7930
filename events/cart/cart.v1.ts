import { Type } from '@sinclair/typebox';
import { INT4_MAX, defineEvent } from '../contract';
import { SKU_PATTERN } from '../catalog/product.v1';

/** A cart id: a UUID the cart function chose. */
export const CART_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * A signed-in customer's cart has had lines untouched for the configured idle time (emitted once
 * per state of its lines). Guest carts are not reported: there is nobody to tell.
 */
export const cartAbandoned = defineEvent({
  type: 'io.tuoi.cart.abandoned.v1',
  producer: 'cart',
  description:
    "A customer's cart has had lines untouched for the idle time; the notification function may remind them.",
  data: Type.Object(
    {
      cart_id: Type.String({ pattern: CART_ID_PATTERN }),
      customer_id: Type.String({ minLength: 1, maxLength: 128 }),
      /** Up to the first 10 lines, in the order they were added. */
      lines: Type.Array(
        Type.Object(
          {
            sku: Type.String({ pattern: SKU_PATTERN }),
            qty: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX })),
            grams: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX })),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 10 },
      ),
      line_count: Type.Integer({ minimum: 1, maximum: 200 }),
      last_activity_at: Type.String({ format: 'date-time' }),
      at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  key: (data) => data.cart_id,
});

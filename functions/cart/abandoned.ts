/**
 * cart.abandoned: a customer's cart whose lines have been untouched for the idle time is reported
 * once per state of its lines. The event goes to the outbox first, with an id made of the cart and
 * the time its lines were last touched, and the cart is marked after: a crash between the two
 * reports it again under the same id, which consumers drop as a duplicate; a cart touched
 * meanwhile loses the compare-and-set and is reported only when idle again.
 */
import { cartAbandoned } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import type { UnitOfWork } from '../shared/unit-of-work';
import type { CartStore } from './ports';

/** The scan. */
export function abandonedUseCases(deps: { store: CartStore; work: UnitOfWork; idleMs: number }) {
  return {
    /** Reports up to `limit` idle carts at `now`; how many it marked. */
    async scan(now = new Date(), limit = 100): Promise<number> {
      let marked = 0;
      for (const cart of await deps.store.idleSince(new Date(now.getTime() - deps.idleMs), limit)) {
        if (cart.owner.kind !== 'customer' || !cart.lines_touched_at || cart.lines.length === 0) continue;
        const customerId = cart.owner.customer_id;
        const touched = cart.lines_touched_at;
        await deps.work(async ({ emit }) => {
          emit(
            buildEvent(
              cartAbandoned,
              {
                cart_id: cart.id,
                customer_id: customerId,
                lines: cart.lines.slice(0, 10).map((l) => ({
                  sku: l.sku,
                  ...(l.qty !== undefined ? { qty: l.qty } : {}),
                  ...(l.grams !== undefined ? { grams: l.grams } : {}),
                })),
                line_count: cart.lines.length,
                last_activity_at: touched,
                at: now.toISOString(),
              },
              { id: `cart-abandoned:${cart.id}:${touched}` },
            ),
          );
        });
        const next = { ...cart, version: cart.version + 1, abandoned_at: now.toISOString() };
        if (await deps.store.compareAndSet(next, cart.version)) marked++;
      }
      return marked;
    },
  };
}

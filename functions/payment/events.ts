/**
 * Events the payment function consumes: a carrier's cash collection settles the order's
 * cash-on-delivery payment (in the consumer's transaction is not enough here: the use case opens
 * its own unit of work, deduplicated by the delivery id, so a redelivery changes nothing); the
 * checkout saga's payment commands create, capture, void or refund an order's payment and are
 * answered (saga.ts).
 */
import { codCollected, paymentRequested, type DataOf } from '../../events';
import type { EventHandler } from '../shared/eventing/consumer';
import { localDateOf } from '../shared/vietnam-time';
import type { PaymentUseCases } from './payments';
import { paymentSagaHandler, type PaymentSagaDeps } from './saga';

/** The handlers by event type. */
export function paymentHandlers(
  payments: Pick<PaymentUseCases, 'codCollected'>,
  saga: PaymentSagaDeps,
): Record<string, EventHandler> {
  return {
    [paymentRequested.type]: paymentSagaHandler(saga),
    [codCollected.type]: async (event) => {
      const d = event.data as DataOf<typeof codCollected>;
      await payments.codCollected(
        {
          delivery_id: d.delivery_id,
          order_id: d.order_id,
          carrier: d.carrier,
          amount_vnd: d.amount_vnd,
          expected_vnd: d.expected_vnd,
          collected_at: d.collected_at,
        },
        localDateOf(new Date(d.collected_at)),
      );
    },
  };
}

/**
 * The owner's side of a checkout-saga step: a command handler that runs the owner's answer and
 * writes the reply in the consumer's transaction (with the command's inbox row), under an id
 * derived from the command's. A command re-run after a failed consumer transaction therefore
 * replies under the same id, and the order function drops the copy.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { EventContract, TuoiCloudEvent } from '../../../events';
import type { Tx } from '../db';
import type { EventHandler } from './consumer';
import { buildEvent, emit } from './outbox';

/** The fields of a reply the handler fills itself: the order, the action answered, when. */
type Common = 'order_id' | 'action' | 'at';

/** A handler of saga commands replying with `replied` through `schema`'s outbox. */
export function sagaReplier<S extends TSchema>(
  replied: EventContract<S>,
  schema: string,
  answer: (event: TuoiCloudEvent, tx: Tx, now: Date) => Promise<Omit<Static<S>, Common>>,
): EventHandler {
  return async (event, tx) => {
    const now = new Date();
    const { order_id, action } = event.data as { order_id: string; action: string };
    const data = { order_id, action, ...(await answer(event, tx, now)), at: now.toISOString() } as Static<S>;
    await emit(tx, schema, [buildEvent(replied, data, { id: `${event.id}.reply` })]);
  };
}

/**
 * Intake: each subscribed event becomes one `intake` row per template it sends, in the consumer's
 * own transaction (so an event is taken exactly once with its inbox entry, and a redelivery finds
 * the row already there). Nothing is sent here: the sender plans and sends from the rows. Secrets
 * are sealed before anything is stored. `order.placed` also records whose order it is, for the
 * payment events that name only the order.
 */
import type { TuoiCloudEvent } from '../../events';
import type { Tx } from '../shared/db';
import type { EventHandler } from '../shared/eventing/consumer';
import type { Lang } from '../shared/words';
import { split, type Sealer } from './seal';
import { templatesFor, type Template } from './templates';

/** Every event type a template sends. */
export function sentTypes(templates: ReadonlyMap<string, Template>): string[] {
  return [...new Set([...templates.values()].map((t) => t.event))].sort();
}

const ORDER_PLACED = 'io.tuoi.order.placed.v1';

type Data = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const langOf = (v: unknown): Lang | undefined => (v === 'en' || v === 'vi' ? v : undefined);

/**
 * The customer an event is about and the language it names: from its data, or from the orders
 * projection for an event that names only its order. When order.placed has not arrived yet (it
 * travels on another topic) the row keeps the order id and the planner waits for it.
 */
async function whoFor(
  tx: Tx,
  schema: string,
  data: Data,
): Promise<{ userId?: string; orderId?: string; lang?: Lang } | undefined> {
  const userId = str(data.user_id) ?? str(data.customer_id);
  if (userId) return { userId, lang: langOf(data.lang) };
  const orderId = str(data.order_id);
  if (!orderId) return undefined;
  const { rows } = await tx.query<{ customer_id: string; lang: Lang }>(
    `SELECT customer_id, lang FROM ${schema}.orders WHERE order_id = $1`,
    [orderId],
  );
  return rows[0] ? { userId: rows[0].customer_id, lang: rows[0].lang } : { orderId };
}

/** The handlers: one per type any template sends (plus order.placed for the projection). */
export function intakeHandlers(deps: {
  schema: string;
  templates: ReadonlyMap<string, Template>;
  sealer: Sealer;
  now?: () => Date;
}): Record<string, EventHandler> {
  const { schema, templates, sealer } = deps;
  const now = deps.now ?? (() => new Date());
  const take: EventHandler = async (event: TuoiCloudEvent, tx: Tx) => {
    const data = (event.data ?? {}) as Data;
    if (event.type === ORDER_PLACED && str(data.order_id) && str(data.customer_id) && langOf(data.lang))
      await tx.query(
        `INSERT INTO ${schema}.orders (order_id, customer_id, lang) VALUES ($1, $2, $3)
         ON CONFLICT (order_id) DO NOTHING`,
        [data.order_id, data.customer_id, data.lang],
      );
    const chosen = templatesFor(templates, event.type, data);
    if (chosen.length === 0) return;
    const who = await whoFor(tx, schema, data);
    if (!who) return; // a guest's cart: nobody to tell
    const { plain, secrets } = split(data);
    const sealed = sealer.seal(secrets);
    const to = str(data.to);
    const channel = data.channel === 'email' || data.channel === 'phone' ? data.channel : null;
    for (const t of chosen)
      await tx.query(
        `INSERT INTO ${schema}.intake
           (event_id, template, event_type, user_id, order_id, lang, to_address, to_channel, data, sealed, urgent, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (event_id, template) DO NOTHING`,
        [
          `${event.source}#${event.id}`,
          t.id,
          event.type,
          who.userId ?? null,
          who.orderId ?? null,
          who.lang ?? null,
          to ?? null,
          to ? channel : null,
          JSON.stringify(plain),
          sealed,
          t.urgent,
          now(),
        ],
      );
  };
  return Object.fromEntries(
    [...new Set([ORDER_PLACED, ...sentTypes(templates)])].map((type) => [type, take]),
  );
}

/**
 * Planning: an intake row becomes its messages, one per channel the policy picks, each keyed
 * (event, channel, recipient) so it exists once however often the row is planned (a crash between
 * the inserts and the mark plans it again, and the inserts change nothing). The customer's
 * addresses and language come from the user function (ContactBook); an account message goes to the
 * address its event names. A contact lookup that fails leaves the row for the next turn.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { withTransaction } from '../shared/db';
import { createLogger } from '../shared/log';
import type { Lang } from '../shared/words';
import { DEFAULT_PREFERENCES, plan, type Channel, type Preferences, type Reach } from './policy';
import type { Template } from './templates';

/** Where a customer can be reached, as the user function knows it; null: no such customer. */
export interface Contact {
  email?: string;
  phone?: string;
  lang: Lang;
}
export type ContactBook = (userId: string) => Promise<Contact | null>;

interface IntakeRow {
  event_id: string;
  urgent: boolean;
  template: string;
  user_id: string;
  lang: Lang | null;
  to_address: string | null;
  to_channel: 'email' | 'phone' | null;
}

const log = createLogger('notification-planner');

/** A customer's preferences and their version (the defaults, version 1, when none are stored). */
export async function preferencesOf(
  db: Pick<Pool, 'query'>,
  schema: string,
  userId: string,
): Promise<{ prefs: Preferences; version: number }> {
  const { rows } = await db.query<{
    channels: Preferences['channels'];
    quiet: Preferences['quiet'];
    version: number;
  }>(`SELECT channels, quiet, version FROM ${schema}.preferences WHERE user_id = $1`, [userId]);
  return rows[0]
    ? { prefs: { channels: rows[0].channels, quiet: rows[0].quiet }, version: rows[0].version }
    : { prefs: DEFAULT_PREFERENCES, version: 1 };
}

export function planner(deps: {
  pool: Pool;
  schema: string;
  templates: ReadonlyMap<string, Template>;
  contacts: ContactBook;
  /** Channels with a sender here (a deployment without SMS never plans SMS). */
  channels: ReadonlySet<Channel>;
  /** How long an event naming only its order waits for order.placed before it is given up. */
  orderWaitMs?: number;
  /** How long after a failed contact lookup its row is tried again. */
  retryMs?: number;
  now?: () => Date;
}) {
  const { pool, schema, templates, contacts } = deps;
  const now = deps.now ?? (() => new Date());
  const orderWaitMs = deps.orderWaitMs ?? 3_600_000;
  const retryMs = deps.retryMs ?? 30_000;

  /** The messages of one row: [channel, recipient] pairs, their language and time. */
  async function messagesOf(row: IntakeRow) {
    const t = templates.get(row.template);
    if (!t) return { messages: [], lang: row.lang ?? 'vi', sendAt: now(), held: false };
    let reach: Reach;
    let lang = row.lang;
    if (row.to_address) {
      reach = row.to_channel === 'phone' ? { phone: row.to_address } : { email: row.to_address };
    } else {
      const contact = await contacts(row.user_id);
      if (!contact) return { messages: [], lang: lang ?? 'vi', sendAt: now(), held: false };
      reach = {
        ...(contact.email ? { email: contact.email } : {}),
        ...(contact.phone ? { phone: contact.phone } : {}),
      };
      lang ??= contact.lang;
    }
    const { prefs } = await preferencesOf(pool, schema, row.user_id);
    const p = plan(
      { category: t.category, urgent: t.urgent, ...(row.to_channel ? { channel: row.to_channel } : {}) },
      prefs,
      reach,
      now(),
    );
    const recipient = (c: Channel) =>
      c === 'email' ? reach.email! : c === 'sms' ? reach.phone! : row.user_id;
    const messages = p.channels.filter((c) => deps.channels.has(c)).map((c) => [c, recipient(c)] as const);
    return { messages, lang: lang ?? 'vi', sendAt: p.sendAt, held: p.held };
  }

  /**
   * Plans up to `limit` due rows (urgent first); returns how many messages were created. A row
   * whose order is not known yet waits for order.placed (it is not due), and is given up, with
   * nothing sent, after `orderWaitMs`.
   */
  async function planDue(limit = 50): Promise<number> {
    const at = now();
    const { rows } = await pool.query<IntakeRow & { user_id: string | null }>(
      `SELECT i.event_id, i.template, i.urgent, COALESCE(i.user_id, o.customer_id) AS user_id,
              COALESCE(i.lang, o.lang) AS lang, i.to_address, i.to_channel
         FROM ${schema}.intake i LEFT JOIN ${schema}.orders o ON i.user_id IS NULL AND o.order_id = i.order_id
        WHERE i.planned_at IS NULL AND (i.not_before IS NULL OR i.not_before <= $2)
          AND (i.user_id IS NOT NULL OR o.order_id IS NOT NULL OR i.received_at < $3)
        ORDER BY i.urgent DESC, i.received_at LIMIT $1`,
      [limit, at, new Date(at.getTime() - orderWaitMs)],
    );
    let created = 0;
    for (const row of rows) {
      let planned;
      if (row.user_id === null) {
        log.warn('an order never became known here: its message is not sent', { event_id: row.event_id });
        planned = { messages: [], lang: row.lang ?? 'vi', sendAt: at, held: false };
      } else
        try {
          planned = await messagesOf(row as IntakeRow);
        } catch (err) {
          log.warn('could not plan a notification yet; will retry', { event_id: row.event_id, err });
          await pool.query(
            `UPDATE ${schema}.intake SET not_before = $3 WHERE event_id = $1 AND template = $2`,
            [row.event_id, row.template, new Date(at.getTime() + retryMs)],
          );
          continue;
        }
      created += await withTransaction(pool, async (tx) => {
        const claimed = await tx.query(
          `SELECT 1 FROM ${schema}.intake WHERE event_id = $1 AND template = $2 AND planned_at IS NULL
           FOR UPDATE SKIP LOCKED`,
          [row.event_id, row.template],
        );
        if (claimed.rowCount === 0) return 0;
        let n = 0;
        for (const [channel, to] of planned.messages) {
          const r = await tx.query(
            `INSERT INTO ${schema}.messages
               (id, event_id, template, channel, recipient, user_id, lang, status, send_at, urgent, held, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $11, $9, $10, $10)
             ON CONFLICT (event_id, channel, recipient) DO NOTHING`,
            [
              randomUUID(),
              row.event_id,
              row.template,
              channel,
              to,
              row.user_id,
              planned.lang,
              planned.sendAt,
              planned.held,
              at,
              row.urgent,
            ],
          );
          n += r.rowCount ?? 0;
        }
        // Nothing to send (marketing without opt-in, a customer gone): the secret goes now.
        await tx.query(
          `UPDATE ${schema}.intake SET planned_at = $3, lang = COALESCE(lang, $4),
                  user_id = COALESCE(user_id, $6), sealed = CASE WHEN $5 THEN NULL ELSE sealed END
            WHERE event_id = $1 AND template = $2`,
          [row.event_id, row.template, at, planned.lang, planned.messages.length === 0, row.user_id],
        );
        return n;
      });
    }
    return created;
  }

  return { planDue };
}

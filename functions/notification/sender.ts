/**
 * Sending: due messages are claimed (`pending` → `sending`, committed before any provider is
 * called), rendered with their secrets opened in memory only, handed to their channel, and the
 * answer recorded. A message is handed to a provider at most once per attempt, and an attempt only
 * follows a failure the provider reported (unreachable, timed out, 429, 5xx), with exponential
 * backoff; after `maxAttempts` it is `dead` (the dead letter: kept, listed, never lost silently).
 * A message a provider refused is `failed` at once. A process that dies between the hand-over and
 * the record leaves `sending`: after the lease it is marked `dead` with an unknown outcome and is
 * not sent again (at most once); a late receipt still moves it.
 */
import type { Pool } from 'pg';
import { withTransaction } from '../shared/db';
import { createLogger } from '../shared/log';
import type { Lang } from '../shared/words';
import { Rejected, type Accepted, type EmailSender, type SmsSender } from './channels';
import type { Channel } from './policy';
import { join, type Sealer } from './seal';
import { linksFor, render, type Rendered, type Template } from './templates';

/** An in-app feed (Firestore): one item per message, written with its id (a rewrite is harmless). */
export interface FeedWriter {
  write(userId: string, item: FeedItem): Promise<void>;
}
export interface FeedItem {
  id: string;
  template: string;
  lang: Lang;
  title: string;
  text: string;
  links: Record<string, string>;
  created_at: string;
}

interface Due {
  id: string;
  event_id: string;
  template: string;
  channel: Channel;
  recipient: string;
  user_id: string;
  lang: Lang;
  attempts: number;
  urgent: boolean;
  created_at: Date;
}

const log = createLogger('notification-sender');

/** Backoff before attempt n+1: 30 s, 1 min, 2 min … capped at 30 min. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** (attempts - 1), 30 * 60_000);

export function sender(deps: {
  pool: Pool;
  schema: string;
  templates: ReadonlyMap<string, Template>;
  sealer: Sealer;
  email?: EmailSender;
  sms?: SmsSender;
  feed?: FeedWriter;
  shopUrl: string;
  maxSmsSegments: number;
  maxAttempts?: number;
  /** A message `sending` this long lost its process. */
  leaseMs?: number;
  now?: () => Date;
}) {
  const { pool, schema, templates, sealer } = deps;
  const now = deps.now ?? (() => new Date());
  const maxAttempts = deps.maxAttempts ?? 6;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;

  async function claim(limit: number): Promise<Due[]> {
    return withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<Due>(
        `UPDATE ${schema}.messages m SET status = 'sending', attempts = attempts + 1, updated_at = $2
          WHERE id IN (SELECT id FROM ${schema}.messages WHERE status = 'pending' AND send_at <= $2
                        ORDER BY urgent DESC, send_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, event_id, template, channel, recipient, user_id, lang, attempts, urgent, created_at`,
        [limit, now()],
      );
      // RETURNING keeps no order: urgent messages are handed over first.
      return rows.sort((a, b) => Number(b.urgent) - Number(a.urgent));
    });
  }

  async function renderOf(m: Due): Promise<Rendered> {
    const t = templates.get(m.template);
    if (!t) throw new Rejected('tuoi', 0, `no template ${m.template}`);
    const { rows } = await pool.query<{ data: Record<string, unknown>; sealed: Buffer | null }>(
      `SELECT data, sealed FROM ${schema}.intake WHERE event_id = $1 AND template = $2`,
      [m.event_id, m.template],
    );
    if (!rows[0]) throw new Rejected('tuoi', 0, 'its event is gone');
    const data = join(rows[0].data, sealer.open(rows[0].sealed));
    return render(t, m.lang, data, linksFor(data, deps.shopUrl), { maxSmsSegments: deps.maxSmsSegments });
  }

  async function handOver(
    m: Due,
    r: Rendered,
  ): Promise<{ provider: string; accepted: Accepted; status: string }> {
    if (m.channel === 'email') {
      if (!deps.email) throw new Rejected('tuoi', 0, 'no email provider is configured');
      const accepted = await deps.email.send({
        notificationId: m.id,
        to: m.recipient,
        lang: m.lang,
        subject: r.title,
        text: r.text,
        html: r.html,
      });
      return { provider: deps.email.provider, accepted, status: 'queued' };
    }
    if (m.channel === 'sms') {
      if (!deps.sms) throw new Rejected('tuoi', 0, 'no SMS provider is configured');
      const accepted = await deps.sms.send({ notificationId: m.id, to: m.recipient, body: r.sms.body });
      return { provider: deps.sms.provider, accepted, status: 'queued' };
    }
    if (!deps.feed) throw new Rejected('tuoi', 0, 'no in-app feed is configured');
    // The feed item carries no secret: account messages with one never go in-app (policy.ts).
    await deps.feed.write(m.user_id, {
      id: m.id,
      template: m.template,
      lang: m.lang,
      title: r.title,
      text: r.text,
      links: {},
      created_at: m.created_at.toISOString(),
    });
    return { provider: 'firestore', accepted: {}, status: 'delivered' };
  }

  /** Drops an intake row's sealed secrets once none of its messages can still be sent. */
  const forget = (eventId: string, template: string) =>
    pool.query(
      `UPDATE ${schema}.intake SET sealed = NULL
        WHERE event_id = $1 AND template = $2 AND sealed IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${schema}.messages WHERE event_id = $1 AND template = $2
                           AND status IN ('pending', 'sending'))`,
      [eventId, template],
    );

  async function sendOne(m: Due): Promise<'sent' | 'retry' | 'failed' | 'dead'> {
    let outcome: 'sent' | 'retry' | 'failed' | 'dead';
    try {
      const r = await renderOf(m);
      const { provider, accepted, status } = await handOver(m, r);
      await pool.query(
        `UPDATE ${schema}.messages SET status = $2, provider = $3, provider_id = $4, sms_segments = $5,
                sms_unaccented = $6, last_error = NULL, updated_at = $7 WHERE id = $1 AND status = 'sending'`,
        [
          m.id,
          status,
          provider,
          accepted.providerId ?? null,
          m.channel === 'sms' ? r.sms.segments : null,
          m.channel === 'sms' ? r.sms.unaccented : null,
          now(),
        ],
      );
      outcome = 'sent';
    } catch (err) {
      const refused = err instanceof Rejected;
      const detail = refused ? err.message : err instanceof Error ? err.message : String(err);
      outcome = refused ? 'failed' : m.attempts >= maxAttempts ? 'dead' : 'retry';
      log[outcome === 'retry' ? 'info' : 'warn'](`notification ${outcome}`, {
        id: m.id,
        channel: m.channel,
        template: m.template,
        attempts: m.attempts,
        error: detail.slice(0, 300),
      });
      await pool.query(
        `UPDATE ${schema}.messages SET status = $2, send_at = $3, last_error = $4, updated_at = $5
          WHERE id = $1 AND status = 'sending'`,
        [
          m.id,
          outcome === 'retry' ? 'pending' : outcome,
          new Date(now().getTime() + (outcome === 'retry' ? backoffMs(m.attempts) : 0)),
          detail.slice(0, 500),
          now(),
        ],
      );
    }
    if (outcome !== 'retry') await forget(m.event_id, m.template);
    return outcome;
  }

  /** Sends up to `limit` due messages, `parallel` at a time (urgent first); returns counts by outcome. */
  async function sendDue(limit = 50, parallel = 8) {
    const due = await claim(limit);
    const counts = { sent: 0, retry: 0, failed: 0, dead: 0 };
    let next = 0;
    const worker = async () => {
      while (next < due.length) counts[await sendOne(due[next++]!)]++;
    };
    await Promise.all(Array.from({ length: Math.min(parallel, due.length) }, worker));
    return counts;
  }

  /** Messages whose process died mid-hand-over: dead, outcome unknown, never sent twice. */
  async function settleStuck(): Promise<number> {
    const { rows } = await pool.query<{ event_id: string; template: string }>(
      `UPDATE ${schema}.messages SET status = 'dead', updated_at = $1,
              last_error = 'outcome unknown: the process stopped while handing it to the provider'
        WHERE status = 'sending' AND updated_at < $2 RETURNING event_id, template`,
      [now(), new Date(now().getTime() - leaseMs)],
    );
    for (const r of rows) await forget(r.event_id, r.template);
    return rows.length;
  }

  return { sendDue, settleStuck };
}

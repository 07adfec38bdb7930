/**
 * Receipts onto the notification log: each (provider, receipt id) is applied once, to the message
 * it names (our id when the message carried it, else the provider's id), and only forward —
 * queued → sent → delivered, or bounced / failed — so a late `sent` never undoes `delivered`. A
 * receipt for a message marked dead with an unknown outcome brings it back to what happened.
 */
import type { Pool } from 'pg';
import { withTransaction } from '../shared/db';
import type { Receipt } from './receipts';

const RANK: Record<string, number> = {
  pending: 0,
  sending: 1,
  dead: 1,
  queued: 2,
  sent: 3,
  delivered: 4,
  bounced: 4,
  failed: 4,
};

/** Applies receipts; returns how many moved a message. */
export async function applyReceipts(pool: Pool, schema: string, receipts: Receipt[], now = new Date()) {
  let moved = 0;
  for (const r of receipts)
    moved += await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<{ id: string; status: string }>(
        r.notificationId
          ? `SELECT id, status FROM ${schema}.messages WHERE id = $1 AND (provider IS NULL OR provider = $2) FOR UPDATE`
          : `SELECT id, status FROM ${schema}.messages WHERE provider = $2 AND provider_id = $1 FOR UPDATE`,
        [r.notificationId ?? r.messageId, r.provider],
      );
      const message = rows[0];
      const fresh = await tx.query(
        `INSERT INTO ${schema}.receipts (provider, receipt_id, message_id, status, received_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [r.provider, r.receiptId, message?.id ?? null, r.status, now],
      );
      if (!message || fresh.rowCount === 0 || RANK[r.status]! <= RANK[message.status]!) return 0;
      await tx.query(
        `UPDATE ${schema}.messages SET status = $2, provider_id = COALESCE(provider_id, $3),
                last_error = COALESCE($4, last_error), updated_at = $5 WHERE id = $1`,
        [message.id, r.status, r.messageId, r.detail ?? null, now],
      );
      return 1;
    });
  return moved;
}

/**
 * The platform's consistency checker for tests and benchmarks: it reads every schema the checkout
 * touches (one database in tests) and proves, once every saga has settled, that
 * - every order is confirmed, cancelled, or still live with a saga that has not given up;
 * - a confirmed order's stock is committed, its window booked, its coupon uses committed, its
 *   payment authorised (or pending cash on delivery, or charged);
 * - a cancelled order holds nothing: no held or committed reservation, no held or booked window,
 *   no reserved or committed coupon use, no authorised payment and no charge not refunded;
 * - no payment was captured twice (one capture at most per payment in the ledger);
 * - once captured after packing: captured − refunded at the payment = the order's final amount less
 *   its refunds, and never more than the final amount was captured;
 * - an order cancelled after confirmation (or returned) has its stock put back, its window (if not
 *   yet dispatched) and coupon uses released, and nothing kept of its payment.
 * Reading other functions' schemas is what a test may do and a function never does.
 */
import type { Pool } from 'pg';

/** One broken promise, named for the order it concerns. */
export interface Violation {
  order: string;
  problem: string;
}

/**
 * Waits until every saga has come to rest — confirmed, cancelled with its compensations answered,
 * or awaiting the customer's payment — or `timeoutMs` passes; returns how many are still moving.
 */
export async function settledSagas(pool: Pool, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM orders.orders
        WHERE (NOT settled AND saga->>'phase' <> 'awaiting_payment')
           OR asks @> '[{"state": "sent"}]'::jsonb`,
    );
    if (rows[0].n === 0 || Date.now() >= until) return rows[0].n as number;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every violation of the checkout's promises, for orders matching `where` (all by default). */
export async function checkOrders(pool: Pool, orderIds?: string[]): Promise<Violation[]> {
  const { rows } = await pool.query(
    `SELECT o.id, o.status, o.rail, o.payment_id, o.fulfilment->>'hold_id' AS hold_id, o.redemption_ids,
            o.saga->>'phase' AS phase, o.settled, o.final_vnd::float8 AS final, o.refund_vnd::float8 AS order_refunded,
            o.captured_vnd::float8 AS order_captured, o.packed_at IS NOT NULL AS packed,
            o.asks @> '[{"state": "sent"}]'::jsonb AS asking,
            (SELECT count(*)::int FROM inventory.restocks x WHERE x.reservation_id = o.id) AS restocks,
            r.status AS reservation, h.state AS hold,
            (SELECT array_agg(state ORDER BY id) FROM promotions.redemptions WHERE order_id = o.id) AS uses,
            p.stage AS payment, p.captured_vnd::float8 AS captured, p.refunded_vnd::float8 AS refunded,
            (SELECT count(*)::int FROM payment.ledger l WHERE l.payment_id = o.payment_id AND l.kind = 'captured') AS captures
       FROM orders.orders o
       LEFT JOIN inventory.reservations r ON r.id = o.id
       LEFT JOIN delivery.slot_holds h ON h.id = o.fulfilment->>'hold_id'
       LEFT JOIN payment.payments p ON p.id = o.payment_id
      WHERE $1::text[] IS NULL OR o.id = ANY($1)`,
    [orderIds ?? null],
  );
  const out: Violation[] = [];
  for (const o of rows) {
    const bad = (problem: string) => out.push({ order: o.id, problem });
    const uses: string[] = o.uses ?? [];
    if (o.captures > 1) bad(`payment captured ${o.captures} times`);
    const kept = (o.captured ?? 0) - (o.refunded ?? 0);
    if (o.phase === 'confirmed' && o.status === 'cancelled') {
      // Cancelled after confirmation (or returned): everything given back once the commands are answered.
      if (o.asking) bad('cancelled after confirmation with commands still out');
      if (o.reservation === 'committed' && o.restocks === 0)
        bad('cancelled after confirmation, stock not put back');
      if (o.hold === 'held' || (o.hold === 'booked' && !o.packed)) bad(`cancelled but window ${o.hold}`);
      if (uses.some((u) => u === 'reserved' || u === 'committed'))
        bad(`cancelled but uses ${uses.join(',')}`);
      if (o.payment === 'authorised') bad('cancelled but the payment is still held');
      if (kept > 0) bad(`cancelled but ${kept} ₫ taken is not refunded`);
    } else if (o.phase === 'confirmed') {
      if (o.final !== null && o.order_captured > 0 && kept !== o.final - o.order_refunded)
        bad(`captured − refunded is ${kept} ₫, the order says ${o.final - o.order_refunded} ₫`);
      if (o.final !== null && o.captured > o.final + (o.rail === 'vnpay' ? o.refunded : 0))
        bad(`captured ${o.captured} ₫, more than the final ${o.final} ₫`);
      if (o.reservation !== 'committed') bad(`confirmed but its stock is ${o.reservation ?? 'missing'}`);
      if (o.hold !== 'booked') bad(`confirmed but its window is ${o.hold ?? 'missing'}`);
      if (uses.some((u) => u !== 'committed')) bad(`confirmed but coupon uses are ${uses.join(',')}`);
      const paid =
        o.rail === 'cod'
          ? ['pending', 'captured'].includes(o.payment)
          : ['authorised', 'captured'].includes(o.payment);
      if (!paid) bad(`confirmed but its ${o.rail} payment is ${o.payment ?? 'missing'}`);
    } else if (o.phase === 'cancelled') {
      if (o.status !== 'cancelled') bad(`saga cancelled but status ${o.status}`);
      if (!o.settled) bad('cancelled with compensations still out');
      if (o.reservation === 'held' || (o.reservation === 'committed' && o.restocks === 0))
        bad(`cancelled but stock ${o.reservation}`);
      if (o.hold === 'held' || o.hold === 'booked') bad(`cancelled but window ${o.hold}`);
      if (uses.some((u) => u === 'reserved' || u === 'committed'))
        bad(`cancelled but uses ${uses.join(',')}`);
      if (o.payment === 'authorised') bad('cancelled but the payment is still held');
      if (o.payment === 'captured' && o.refunded < o.captured)
        bad('cancelled but money taken is not refunded');
    } else if (o.settled) bad(`settled in phase ${o.phase}`);
  }
  return out;
}

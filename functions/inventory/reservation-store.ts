/**
 * Reservations in PostgreSQL: loads what a decision needs (stored reservations, active SKUs and
 * locations, the lots to allocate from, locked in id order) and persists what it decided (holds
 * with their allocations, closed reservations, the ledger). Every call runs in the caller's
 * transaction; deciding lives in domain.ts and the transaction in reservations.ts.
 */
import { ident, type Queryable, type Tx } from '../shared/db';
import type {
  Line,
  LocatedLot,
  NewHold,
  ReserveRequest,
  RestockPlan,
  StoredReservation,
  StoredRestock,
} from './domain';
import type { Movement, StockKey, StockStore } from './stock-store';

/** A closing transition of a held reservation. */
export type ClosedStatus = 'committed' | 'released' | 'expired';

/** Units of one lot held for one reservation at its location (a ledger line's subject). */
interface HeldUnits {
  lot_id: string;
  sku: string;
  qty: number;
  reservation_id: string;
  location: string;
  /** The ledger line's actor and correlation id when they are the reservation's own. */
  actor?: string;
  correlation_id?: string | null;
}

/** The reservation store of one schema. */
export function reservationStore(schema: string, stock: StockStore) {
  const s = ident(schema);

  /**
   * Adds (+1) or returns (−1) allocated units to lots' held counts (and, for a commit, takes them
   * off on_hand too), with one ledger line per reservation and lot. Returns the touched pairs.
   */
  async function moveHeld(
    tx: Tx,
    units: HeldUnits[],
    sign: 1 | -1,
    move: { reason: Movement['reason']; actor: string; correlationId?: string | null },
    onHandToo = false,
  ): Promise<StockKey[]> {
    if (units.length === 0) return [];
    await tx.query(
      `UPDATE ${s}.lots l SET held = l.held + $3 * d.qty, on_hand = l.on_hand + $4 * d.qty
       FROM (SELECT lot_id, sum(qty)::int AS qty FROM unnest($1::text[], $2::int[]) AS a(lot_id, qty)
             GROUP BY lot_id) d
       WHERE l.id = d.lot_id`,
      [units.map((a) => a.lot_id), units.map((a) => a.qty), sign, onHandToo ? sign : 0],
    );
    await stock.record(
      tx,
      units.map((a) => ({
        lot_id: a.lot_id,
        sku: a.sku,
        location: a.location,
        held_delta: sign * a.qty,
        on_hand_delta: onHandToo ? sign * a.qty : 0,
        reason: move.reason,
        actor: a.actor ?? move.actor,
        reservation_id: a.reservation_id,
        correlation_id: a.correlation_id ?? move.correlationId ?? null,
      })),
    );
    return units.map((a) => ({ sku: a.sku, location: a.location }));
  }

  const unitsOf = (rows: StoredReservation[]): HeldUnits[] =>
    rows.flatMap((r) =>
      r.allocations.map((a) => ({
        lot_id: a.lot_id,
        sku: a.sku,
        qty: a.qty,
        reservation_id: r.id,
        location: r.location,
      })),
    );

  return {
    /**
     * Takes the transaction-scoped advisory lock of each reservation id, in id order (no deadlock
     * between batches), so a reserve and a release of one id run one after the other; returns the
     * ids among them that were released before any reservation was made under them.
     *
     * Two statements, on purpose: a statement reads the snapshot taken when it began, so marks
     * committed by the release it waited for inside that same statement would be invisible to it
     * (READ COMMITTED). The read that follows the lock sees them.
     */
    async claimIds(tx: Tx, ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const sorted = [...ids].sort();
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('${s}.reservation:' || id, 0))
           FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n`,
        [sorted],
      );
      const { rows } = await tx.query<{ id: string }>(
        `SELECT id FROM ${s}.released_unreserved WHERE id = ANY($1::text[])`,
        [sorted],
      );
      return new Set(rows.map((r) => r.id));
    },

    /** Remembers that `id` was released before it was reserved (idempotent). */
    async markReleasedUnreserved(
      tx: Tx,
      id: string,
      correlationId: string | undefined,
      now: Date,
    ): Promise<void> {
      await tx.query(
        `INSERT INTO ${s}.released_unreserved (id, released_at, correlation_id) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING`,
        [id, now, correlationId ?? null],
      );
    },

    /** Stored reservations by id (locked with `lock`), allocations in FEFO order. */
    async load(db: Queryable, ids: string[], lock = false): Promise<Map<string, StoredReservation>> {
      if (ids.length === 0) return new Map();
      const { rows } = await db.query<StoredReservation>(
        `SELECT r.id, r.owner, r.location, r.status, r.request_hash, r.lines, r.created_at, r.expires_at, r.closed_at,
                coalesce((SELECT json_agg(json_build_object('lot_id', a.lot_id, 'sku', a.sku, 'qty', a.qty,
                                   'expires_on', l.expires_on::text) ORDER BY l.expires_on NULLS LAST, l.received_at, a.lot_id)
                          FROM ${s}.allocations a JOIN ${s}.lots l ON l.id = a.lot_id
                          WHERE a.reservation_id = r.id), '[]') AS allocations
         FROM ${s}.reservations r WHERE r.id = ANY($1::text[]) ORDER BY r.id ${lock ? 'FOR UPDATE OF r' : ''}`,
        [ids],
      );
      return new Map(rows.map((r) => [r.id, r]));
    },

    /** Which of the requests' SKUs are active and which of their locations exist. */
    async known(
      tx: Tx,
      requests: ReserveRequest[],
    ): Promise<{ activeSkus: Set<string>; locations: Set<string> }> {
      const skus = [...new Set(requests.flatMap((r) => r.lines.map((l) => l.sku)))];
      const locations = [...new Set(requests.map((r) => r.location))];
      const [active, places] = await Promise.all([
        tx.query<{ sku: string }>(`SELECT sku FROM ${s}.skus WHERE sku = ANY($1::text[]) AND active`, [skus]),
        tx.query<{ id: string }>(`SELECT id FROM ${s}.locations WHERE id = ANY($1::text[])`, [locations]),
      ]);
      return {
        activeSkus: new Set(active.rows.map((r) => r.sku)),
        locations: new Set(places.rows.map((r) => r.id)),
      };
    },

    /** Locks the unexpired lots with free units of these pairs, in id order (no deadlock between batches). */
    async lockLots(tx: Tx, keys: StockKey[], today: string): Promise<LocatedLot[]> {
      if (keys.length === 0) return [];
      const { rows } = await tx.query<LocatedLot>(
        `SELECT l.id, l.sku, l.location, l.on_hand - l.held AS free, l.expires_on::text AS expires_on, l.received_at
         FROM ${s}.lots l
         JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[])) AS k(sku, location)
           ON l.sku = k.sku AND l.location = k.location
         WHERE l.on_hand > l.held AND (l.expires_on IS NULL OR l.expires_on >= $3::date)
         ORDER BY l.id FOR UPDATE OF l`,
        [keys.map((k) => k.sku), keys.map((k) => k.location), today],
      );
      return rows;
    },

    /** Writes new holds: reservation rows, allocations, held units and their ledger. Returns the touched pairs. */
    async insertHolds(tx: Tx, holds: NewHold[]): Promise<StockKey[]> {
      if (holds.length === 0) return [];
      await tx.query(
        `INSERT INTO ${s}.reservations (id, owner, location, status, request_hash, lines, created_at, expires_at, correlation_id)
         SELECT r.id, r.owner, r.location, 'held', r.request_hash, r.lines, r.created_at, r.expires_at, r.correlation_id
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, owner text, location text, request_hash text, lines jsonb,
           created_at timestamptz, expires_at timestamptz, correlation_id text)`,
        [
          JSON.stringify(
            holds.map(({ reservation: r, correlationId }) => ({
              id: r.id,
              owner: r.owner,
              location: r.location,
              request_hash: r.request_hash,
              lines: r.lines,
              created_at: r.created_at.toISOString(),
              expires_at: r.expires_at.toISOString(),
              correlation_id: correlationId,
            })),
          ),
        ],
      );
      // Each reservation's ledger lines name its own requester and correlation id.
      const units = holds.flatMap((h) =>
        unitsOf([h.reservation]).map((u) => ({ ...u, actor: h.actor, correlation_id: h.correlationId })),
      );
      if (units.length > 0)
        await tx.query(
          `INSERT INTO ${s}.allocations (reservation_id, lot_id, sku, qty)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])`,
          [
            units.map((a) => a.reservation_id),
            units.map((a) => a.lot_id),
            units.map((a) => a.sku),
            units.map((a) => a.qty),
          ],
        );
      return moveHeld(tx, units, 1, { reason: 'reserve', actor: 'system' });
    },

    /**
     * Closes held reservations: their units go back to the lots (a commit also takes them off
     * on hand), with the ledger, and their status is set. Returns the touched pairs.
     */
    async closeRows(
      tx: Tx,
      rows: StoredReservation[],
      to: ClosedStatus,
      now: Date,
      ctx: { actor: string; correlationId?: string },
    ): Promise<StockKey[]> {
      const reason = to === 'committed' ? 'commit' : to === 'released' ? 'release' : 'expire';
      const touched = await moveHeld(
        tx,
        unitsOf(rows),
        -1,
        { reason, actor: ctx.actor, correlationId: ctx.correlationId },
        to === 'committed',
      );
      await tx.query(`UPDATE ${s}.reservations SET status = $2, closed_at = $3 WHERE id = ANY($1::text[])`, [
        rows.map((r) => r.id),
        to,
        now,
      ]);
      return touched;
    },

    /** The restocks recorded for a reservation (the caller holds its row lock), oldest first. */
    async restocks(tx: Tx, reservationId: string): Promise<StoredRestock[]> {
      const { rows } = await tx.query<StoredRestock>(
        `SELECT restock_id, request_hash, restocked, lots FROM ${s}.restocks
         WHERE reservation_id = $1 ORDER BY at, restock_id`,
        [reservationId],
      );
      return rows;
    },

    /**
     * Records a restock of a committed reservation and puts its units back on hand in the lots it
     * names (locked in id order first, like every writer of lots), with one ledger line per lot.
     * Returns the touched pairs.
     */
    async insertRestock(
      tx: Tx,
      row: StoredReservation,
      restock: { id: string; hash: string; lines: Line[]; plan: RestockPlan },
      ctx: { actor: string; correlationId?: string },
    ): Promise<StockKey[]> {
      const { lots } = restock.plan;
      await tx.query(
        `INSERT INTO ${s}.restocks (reservation_id, restock_id, request_hash, lines, restocked, lots, actor, correlation_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          row.id,
          restock.id,
          restock.hash,
          JSON.stringify(restock.lines),
          JSON.stringify(restock.plan.restocked),
          JSON.stringify(lots),
          ctx.actor,
          ctx.correlationId ?? null,
        ],
      );
      if (lots.length === 0) return [];
      await tx.query(`SELECT 1 FROM ${s}.lots WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [
        lots.map((l) => l.lot_id),
      ]);
      await tx.query(
        `UPDATE ${s}.lots l SET on_hand = l.on_hand + d.qty
         FROM unnest($1::text[], $2::int[]) AS d(lot_id, qty) WHERE l.id = d.lot_id`,
        [lots.map((l) => l.lot_id), lots.map((l) => l.qty)],
      );
      await stock.record(
        tx,
        lots.map((l) => ({
          lot_id: l.lot_id,
          sku: l.sku,
          location: row.location,
          on_hand_delta: l.qty,
          held_delta: 0,
          reason: 'restock' as const,
          actor: ctx.actor,
          reservation_id: row.id,
          operation_id: `restock:${restock.id}`,
          correlation_id: ctx.correlationId ?? null,
        })),
      );
      return lots.map((l) => ({ sku: l.sku, location: row.location }));
    },

    /** Locks up to `limit` held reservations past their TTL that no other sweeper holds (SKIP LOCKED). */
    async lockDue(tx: Tx, now: Date, limit: number): Promise<StoredReservation[]> {
      const { rows: due } = await tx.query<{ id: string }>(
        `SELECT id FROM ${s}.reservations WHERE status = 'held' AND expires_at <= $1
         ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      if (due.length === 0) return [];
      return [
        ...(
          await this.load(
            tx,
            due.map((d) => d.id),
          )
        ).values(),
      ];
    },
  };
}

/** The reservation store of one schema. */
export type ReservationStore = ReturnType<typeof reservationStore>;

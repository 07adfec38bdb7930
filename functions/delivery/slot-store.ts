/**
 * Slots, their counters and the holds on them. Every counter moves under the slot row's lock
 * (`lockSlot`), so the capacity rule decided in holds.ts holds under any concurrency; the table
 * CHECKs forbid a negative counter whatever the code does. Persistence only: every call takes the
 * caller's transaction or the pool.
 */
import { ident, type Queryable } from '../shared/db';
import type { Slot } from './slots';
import type { HoldRow, SlotRow } from './holds';

const SLOT_COLUMNS = `id, calendar, to_char(day, 'YYYY-MM-DD') AS day, starts_at, ends_at, cutoff_at,
  capacity, unit_capacity, fee_vnd::float8 AS fee_vnd, label, withdrawn, held, booked, held_units, booked_units`;
const HOLD_COLUMNS = `id, slot, state, units, owner, actor, order_id, request_hash, expires_at, created_at, closed_at`;

/** The store in `schema`. */
export function slotStore(schema: string) {
  const s = ident(schema);
  return {
    /** The slots of a calendar on a day, in time order. */
    async ofDay(db: Queryable, calendar: string, day: string): Promise<SlotRow[]> {
      const { rows } = await db.query<SlotRow>(
        `SELECT ${SLOT_COLUMNS} FROM ${s}.slots WHERE calendar = $1 AND day = $2 ORDER BY starts_at`,
        [calendar, day],
      );
      return rows;
    },

    /** Open slots of a calendar starting after `after`, soonest first (for "next free windows"). */
    async upcoming(db: Queryable, calendar: string, after: Date, limit: number): Promise<SlotRow[]> {
      const { rows } = await db.query<SlotRow>(
        `SELECT ${SLOT_COLUMNS} FROM ${s}.slots
          WHERE calendar = $1 AND cutoff_at > $2 AND NOT withdrawn AND held + booked < capacity
          ORDER BY starts_at LIMIT $3`,
        [calendar, after, limit],
      );
      return rows;
    },

    async get(db: Queryable, id: string): Promise<SlotRow | undefined> {
      const { rows } = await db.query<SlotRow>(`SELECT ${SLOT_COLUMNS} FROM ${s}.slots WHERE id = $1`, [id]);
      return rows[0];
    },

    /** Locks a slot's row for the rest of the transaction. */
    async lockSlot(db: Queryable, id: string): Promise<SlotRow | undefined> {
      const { rows } = await db.query<SlotRow>(
        `SELECT ${SLOT_COLUMNS} FROM ${s}.slots WHERE id = $1 FOR UPDATE`,
        [id],
      );
      return rows[0];
    },

    /**
     * Writes the slots a template generates for some days: new ones are inserted; existing ones
     * take the template's capacity, fee, times and label but keep their counters; slots of those
     * days the template no longer generates (a removed window, a new closure) are withdrawn.
     */
    async sync(
      db: Queryable,
      calendar: string,
      days: readonly string[],
      slots: readonly Slot[],
    ): Promise<void> {
      if (days.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.slots (id, calendar, day, starts_at, ends_at, cutoff_at, capacity, unit_capacity, fee_vnd, label)
         SELECT x.id, $1, x.day::date, x.starts_at, x.ends_at, x.cutoff_at, x.capacity, x.unit_capacity, x.fee_vnd, x.label
           FROM jsonb_to_recordset($2::jsonb) AS x(id text, day text, starts_at timestamptz, ends_at timestamptz,
                cutoff_at timestamptz, capacity int, unit_capacity int, fee_vnd bigint, label jsonb)
         ON CONFLICT (id) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           cutoff_at = excluded.cutoff_at, capacity = excluded.capacity, unit_capacity = excluded.unit_capacity,
           fee_vnd = excluded.fee_vnd, label = excluded.label, withdrawn = false`,
        [
          calendar,
          JSON.stringify(
            slots.map((x) => ({
              id: x.id,
              day: x.date,
              starts_at: x.startsAt,
              ends_at: x.endsAt,
              cutoff_at: x.cutoffAt,
              capacity: x.capacity,
              unit_capacity: x.unitCapacity ?? null,
              fee_vnd: x.feeVnd,
              label: x.label ?? null,
            })),
          ),
        ],
      );
      await db.query(
        `UPDATE ${s}.slots SET withdrawn = true
          WHERE calendar = $1 AND day = ANY($2::date[]) AND NOT (id = ANY($3::text[])) AND NOT withdrawn`,
        [calendar, days, slots.map((x) => x.id)],
      );
    },

    /** Which days of a calendar already have slots written. */
    async daysWritten(db: Queryable, calendar: string, days: readonly string[]): Promise<Set<string>> {
      const { rows } = await db.query<{ day: string }>(
        `SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM ${s}.slots WHERE calendar = $1 AND day = ANY($2::date[])`,
        [calendar, days],
      );
      return new Set(rows.map((r) => r.day));
    },

    async holds(db: Queryable, ids: readonly string[]): Promise<Map<string, HoldRow>> {
      const { rows } = await db.query<HoldRow>(
        `SELECT ${HOLD_COLUMNS} FROM ${s}.slot_holds WHERE id = ANY($1::text[])`,
        [ids],
      );
      return new Map(rows.map((r) => [r.id, r]));
    },

    async hold(db: Queryable, id: string, lock = false): Promise<HoldRow | undefined> {
      const { rows } = await db.query<HoldRow>(
        `SELECT ${HOLD_COLUMNS} FROM ${s}.slot_holds WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    /** Live holds per owner (held and not past their TTL), for the per-customer cap. */
    async activeByOwner(db: Queryable, owners: readonly string[], now: Date): Promise<Map<string, number>> {
      const { rows } = await db.query<{ owner: string; n: number }>(
        `SELECT owner, count(*)::int AS n FROM ${s}.slot_holds
          WHERE owner = ANY($1::text[]) AND state = 'held' AND expires_at > $2 GROUP BY owner`,
        [owners, now],
      );
      return new Map(rows.map((r) => [r.owner, r.n]));
    },

    /** Inserts new holds and sets the slot's held counters (the slot row is locked). */
    async insertHolds(
      db: Queryable,
      slot: string,
      holds: readonly HoldRow[],
      held: number,
      heldUnits: number,
    ) {
      if (holds.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.slot_holds (id, slot, state, units, owner, actor, order_id, request_hash, expires_at, created_at)
         SELECT x.id, x.slot, 'held', x.units, x.owner, x.actor, x.order_id, x.request_hash, x.expires_at, x.created_at
           FROM jsonb_to_recordset($1::jsonb) AS x(id text, slot text, units int, owner text, actor text,
                order_id text, request_hash text, expires_at timestamptz, created_at timestamptz)`,
        [JSON.stringify(holds)],
      );
      await db.query(`UPDATE ${s}.slots SET held = $2, held_units = $3 WHERE id = $1`, [
        slot,
        held,
        heldUnits,
      ]);
    },

    /**
     * Gives a live hold to an order: links it, extends its expiry to `until` (never shortens it)
     * and sets its picking units, in one statement under the hold's row lock (the caller's). The
     * place stays the same one; only a change of units moves the slot's unit counter (the caller
     * then holds the slot's lock too).
     */
    async adopt(db: Queryable, hold: HoldRow, orderId: string, until: Date, units: number): Promise<HoldRow> {
      const { rows } = await db.query<HoldRow>(
        `UPDATE ${s}.slot_holds SET order_id = $2, expires_at = GREATEST(expires_at, $3), units = $4
          WHERE id = $1 RETURNING ${HOLD_COLUMNS}`,
        [hold.id, orderId, until, units],
      );
      if (units !== hold.units)
        await db.query(`UPDATE ${s}.slots SET held_units = held_units + $2 WHERE id = $1`, [
          hold.slot,
          units - hold.units,
        ]);
      return rows[0]!;
    },

    /**
     * Moves one hold from `from` to `to` and its place between the slot's counters (the caller
     * holds the hold's row lock; the counter update takes the slot's).
     */
    async move(
      db: Queryable,
      hold: HoldRow,
      to: 'booked' | 'released' | 'expired',
      now: Date,
      orderId?: string,
    ): Promise<HoldRow> {
      const { rows } = await db.query<HoldRow>(
        `UPDATE ${s}.slot_holds SET state = $2, closed_at = CASE WHEN $2 = 'booked' THEN closed_at ELSE $3 END,
                order_id = COALESCE($4, order_id)
          WHERE id = $1 RETURNING ${HOLD_COLUMNS}`,
        [hold.id, to, now, orderId ?? null],
      );
      const from = hold.state;
      const d = (state: HoldRow['state']) => (state === from ? -1 : state === to ? 1 : 0);
      await db.query(
        `UPDATE ${s}.slots SET held = held + $2, held_units = held_units + $2 * $4,
                booked = booked + $3, booked_units = booked_units + $3 * $4 WHERE id = $1`,
        [hold.slot, d('held'), d('booked'), hold.units],
      );
      return rows[0]!;
    },

    /**
     * Expires up to `limit` held holds past their TTL (optionally of one slot), skipping rows
     * another sweeper has locked, and gives their places back; returns the expired holds.
     */
    async expire(db: Queryable, now: Date, limit: number, slot?: string): Promise<HoldRow[]> {
      const { rows } = await db.query<HoldRow>(
        `WITH due AS (
           SELECT id FROM ${s}.slot_holds
            WHERE state = 'held' AND expires_at <= $1 ${slot ? 'AND slot = $3' : ''}
            ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE ${s}.slot_holds h SET state = 'expired', closed_at = $1
           FROM due WHERE h.id = due.id RETURNING ${HOLD_COLUMNS.split(', ')
             .map((c) => `h.${c}`)
             .join(', ')}`,
        slot ? [now, limit, slot] : [now, limit],
      );
      if (rows.length === 0) return rows;
      // Lock the slots in id order first, so two sweepers never wait on each other in a cycle.
      await db.query(`SELECT id FROM ${s}.slots WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [
        [...new Set(rows.map((r) => r.slot))],
      ]);
      await db.query(
        `UPDATE ${s}.slots t SET held = t.held - x.n, held_units = t.held_units - x.u
           FROM (SELECT slot, count(*)::int AS n, sum(units)::int AS u
                   FROM jsonb_to_recordset($1::jsonb) AS r(slot text, units int) GROUP BY slot) x
          WHERE t.id = x.slot`,
        [JSON.stringify(rows.map((r) => ({ slot: r.slot, units: r.units })))],
      );
      return rows;
    },
  };
}

export type SlotStore = ReturnType<typeof slotStore>;

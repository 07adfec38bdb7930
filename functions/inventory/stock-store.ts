/**
 * Stock in PostgreSQL: quantities per (sku, location) summed from lots, the ledger, and the
 * stock.changed / stock.low events that follow every change (one per touched pair and
 * transaction: coalesced). All writes run inside the caller's transaction; the events are returned
 * for the caller's unit of work to emit.
 */
import { stockChanged, stockLow, type TuoiCloudEvent } from '../../events';
import { ident, type Queryable, type Tx } from '../shared/db';
import { buildEvent } from '../shared/eventing/outbox';

/** Quantities of one SKU at one location. */
export interface StockLevel {
  sku: string;
  location: string;
  /** Physically there, expired lots included. */
  on_hand: number;
  /** Allocated to held reservations. */
  held: number;
  /** Free to reserve: on hand − held over lots that have not expired. */
  available: number;
}

/** A (sku, location) pair. */
export interface StockKey {
  sku: string;
  location: string;
}

/** One ledger entry. */
export interface Movement {
  lot_id: string;
  sku: string;
  location: string;
  on_hand_delta: number;
  held_delta: number;
  reason: 'receive' | 'count' | 'damage' | 'expiry' | 'reserve' | 'commit' | 'release' | 'expire' | 'restock';
  actor: string;
  reservation_id?: string | null;
  operation_id?: string | null;
  correlation_id?: string | null;
  note?: string | null;
}

/** The stock store of one schema. */
export function stockStore(schema: string) {
  const s = ident(schema);
  const pairs = (keys: StockKey[]) => [keys.map((k) => k.sku), keys.map((k) => k.location)];

  return {
    /** Levels of the given pairs (zeros for pairs without lots), in the order asked. */
    async levels(db: Queryable, keys: StockKey[]): Promise<StockLevel[]> {
      if (keys.length === 0) return [];
      const { rows } = await db.query<StockLevel>(
        `SELECT k.sku, k.location,
                coalesce(sum(l.on_hand), 0)::int AS on_hand,
                coalesce(sum(l.held), 0)::int AS held,
                coalesce(sum(l.on_hand - l.held) FILTER (WHERE l.expires_on IS NULL OR l.expires_on >= ${s}.today()), 0)::int AS available
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(sku, location, n)
         LEFT JOIN ${s}.lots l ON l.sku = k.sku AND l.location = k.location AND l.on_hand > 0
         GROUP BY k.sku, k.location, k.n ORDER BY k.n`,
        pairs(keys),
      );
      return rows;
    },

    /** Levels of one SKU at every location that has or had it. */
    async levelsOfSku(db: Queryable, sku: string): Promise<StockLevel[]> {
      const { rows } = await db.query<{ location: string }>(
        `SELECT DISTINCT location FROM ${s}.lots WHERE sku = $1 ORDER BY location`,
        [sku],
      );
      return this.levels(
        db,
        rows.map((r) => ({ sku, location: r.location })),
      );
    },

    /** Appends ledger entries. */
    async record(tx: Tx, moves: Movement[]): Promise<void> {
      if (moves.length === 0) return;
      await tx.query(
        `INSERT INTO ${s}.movements (lot_id, sku, location, on_hand_delta, held_delta, reason, actor,
                                     reservation_id, operation_id, correlation_id, note)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS m(lot_id text, sku text, location text,
           on_hand_delta int, held_delta int, reason text, actor text, reservation_id text,
           operation_id text, correlation_id text, note text)`,
        [JSON.stringify(moves)],
      );
    },

    /**
     * After a change to these pairs: bumps each pair's sequence and returns the events to emit, one
     * stock.changed per pair with its new levels, and stock.low when availability has just fallen
     * below the SKU's threshold.
     */
    async changed(tx: Tx, keys: StockKey[], at: Date): Promise<TuoiCloudEvent[]> {
      const unique = [...new Map(keys.map((k) => [`${k.sku}\u0000${k.location}`, k])).values()].sort(
        (a, b) => (a.sku === b.sku ? (a.location < b.location ? -1 : 1) : a.sku < b.sku ? -1 : 1),
      );
      if (unique.length === 0) return [];
      const levels = await this.levels(tx, unique);
      const keyArrays = [unique.map((k) => k.sku), unique.map((k) => k.location)];
      // Lots first, then these rows, always in (sku, location) order: no deadlock between writers.
      const { rows: before } = await tx.query<{ sku: string; location: string; low: boolean }>(
        `SELECT st.sku, st.location, st.low FROM ${s}.stock_state st
         JOIN unnest($1::text[], $2::text[]) AS k(sku, location) USING (sku, location)
         ORDER BY st.sku, st.location FOR UPDATE OF st`,
        keyArrays,
      );
      const { rows } = await tx.query<{ sku: string; location: string; sequence: string; threshold: number }>(
        `INSERT INTO ${s}.stock_state AS st (sku, location, sequence, low)
         SELECT k.sku, k.location, 1, k.available < sk.low_threshold
         FROM unnest($1::text[], $2::text[], $3::int[]) AS k(sku, location, available)
         JOIN ${s}.skus sk ON sk.sku = k.sku
         ORDER BY k.sku, k.location
         ON CONFLICT (sku, location) DO UPDATE SET sequence = st.sequence + 1, low = excluded.low
         RETURNING st.sku, st.location, st.sequence,
           (SELECT low_threshold FROM ${s}.skus WHERE sku = st.sku) AS threshold`,
        [...keyArrays, levels.map((l) => l.available)],
      );
      const wasLow = new Set(before.filter((r) => r.low).map((r) => `${r.sku}\u0000${r.location}`));
      const byKey = new Map(levels.map((l) => [`${l.sku}\u0000${l.location}`, l]));
      const events: TuoiCloudEvent[] = [];
      const iso = at.toISOString();
      for (const r of rows) {
        const level = byKey.get(`${r.sku}\u0000${r.location}`)!;
        events.push(buildEvent(stockChanged, { ...level, sequence: Number(r.sequence), at: iso }));
        if (!wasLow.has(`${r.sku}\u0000${r.location}`) && level.available < r.threshold)
          events.push(
            buildEvent(stockLow, {
              sku: r.sku,
              location: r.location,
              available: level.available,
              threshold: r.threshold,
              at: iso,
            }),
          );
      }
      return events;
    },
  };
}

export type StockStore = ReturnType<typeof stockStore>;

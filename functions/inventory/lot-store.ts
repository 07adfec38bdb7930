/**
 * Lots, SKUs, locations and staff operation ids in PostgreSQL: loads and persists for receiving and
 * adjusting lots (lots.ts decides, in domain.ts, and owns the transaction), the SKU projection fed
 * by catalog product events, and the lots due a stock.expiring notice. Staff operations are
 * idempotent through `operations`: the first request with an id claims it, a replay reads the
 * first answer. Writes run in the caller's transaction.
 */
import { type ProductSnapshot } from '../../events';
import { ident, type Queryable, type Tx } from '../shared/db';
import { fefoCompare, isExpired, shopDay } from './domain';

/** A lot as the API shows it. */
export interface LotView {
  id: string;
  sku: string;
  location: string;
  received_qty: number;
  on_hand: number;
  held: number;
  expires_on: string | null;
  expired: boolean;
  received_at: string;
}

/** A location as the API shows it. */
export interface LocationRow {
  id: string;
  kind: 'store' | 'warehouse';
  name_en: string;
  name_vi: string;
  zone: string;
}

/** What happened to an operation id: claimed now, or already used (by which kind and request). */
export type Claim =
  { claimed: true } | { claimed: false; kind: string; request_hash: string; response: unknown };

/** Default low-stock thresholds: pieces, and grams for items sold by weight. */
export const DEFAULT_LOW_THRESHOLD = { piece: 5, weight: 2_000 } as const;

/** A lot as PostgreSQL returns it (LOT_COLUMNS). */
export type LotRow = Omit<LotView, 'expired' | 'received_at'> & { received_at: Date };

const LOT_COLUMNS =
  'id, sku, location, received_qty, on_hand, held, expires_on::text AS expires_on, received_at';

/** The API view of a lot row on the shop's `today`. */
export function lotView(row: LotRow, today: string): LotView {
  return {
    id: row.id,
    sku: row.sku,
    location: row.location,
    received_qty: row.received_qty,
    on_hand: row.on_hand,
    held: row.held,
    expires_on: row.expires_on,
    expired: isExpired(row, today),
    received_at: row.received_at.toISOString(),
  };
}

/** The lot store of one schema. */
export function lotStore(schema: string) {
  const s = ident(schema);

  return {
    async locations(db: Queryable): Promise<LocationRow[]> {
      const { rows } = await db.query<LocationRow>(
        `SELECT id, kind, name_en, name_vi, zone FROM ${s}.locations ORDER BY id`,
      );
      return rows;
    },

    async upsertLocations(db: Queryable, locations: LocationRow[]): Promise<void> {
      await db.query(
        `INSERT INTO ${s}.locations (id, kind, name_en, name_vi, zone)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS l(id text, kind text, name_en text, name_vi text, zone text)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name_en = excluded.name_en,
           name_vi = excluded.name_vi, zone = excluded.zone`,
        [JSON.stringify(locations)],
      );
    },

    /** Projects catalog products into the SKUs inventory counts (newer versions win). */
    async upsertSkus(
      db: Queryable,
      products: Pick<ProductSnapshot, 'sku' | 'sold_by' | 'is_perishable' | 'status' | 'version'>[],
    ) {
      if (products.length === 0) return;
      await db.query(
        `INSERT INTO ${s}.skus AS k (sku, sold_by, is_perishable, active, low_threshold, version)
         SELECT p.sku, p.sold_by, p.is_perishable, p.status = 'active',
                CASE WHEN p.sold_by = 'weight' THEN $2::int ELSE $3::int END, p.version
         FROM jsonb_to_recordset($1::jsonb) AS p(sku text, sold_by text, is_perishable boolean, status text, version int)
         ORDER BY p.sku
         ON CONFLICT (sku) DO UPDATE SET sold_by = excluded.sold_by, is_perishable = excluded.is_perishable,
           active = excluded.active, version = excluded.version
         WHERE k.version < excluded.version`,
        [
          JSON.stringify(
            products.map((p) => ({
              sku: p.sku,
              sold_by: p.sold_by,
              is_perishable: p.is_perishable,
              status: p.status,
              version: p.version,
            })),
          ),
          DEFAULT_LOW_THRESHOLD.weight,
          DEFAULT_LOW_THRESHOLD.piece,
        ],
      );
    },

    /** A deleted product: no new reservations; its lots stay for the ledger and for write-offs. */
    async retireSku(db: Queryable, sku: string, version: number): Promise<void> {
      await db.query(`UPDATE ${s}.skus SET active = false, version = $2 WHERE sku = $1 AND version < $2`, [
        sku,
        version,
      ]);
    },

    async sku(db: Queryable, sku: string) {
      const { rows } = await db.query<{
        sku: string;
        sold_by: 'piece' | 'weight';
        is_perishable: boolean;
        active: boolean;
        low_threshold: number;
      }>(`SELECT sku, sold_by, is_perishable, active, low_threshold FROM ${s}.skus WHERE sku = $1`, [sku]);
      return rows[0];
    },

    /** Which of these SKUs inventory knows (active or not). */
    async knownSkus(db: Queryable, skus: string[]): Promise<Set<string>> {
      const { rows } = await db.query<{ sku: string }>(
        `SELECT sku FROM ${s}.skus WHERE sku = ANY($1::text[])`,
        [skus],
      );
      return new Set(rows.map((r) => r.sku));
    },

    async setThreshold(db: Queryable, sku: string, threshold: number): Promise<boolean> {
      const { rowCount } = await db.query(`UPDATE ${s}.skus SET low_threshold = $2 WHERE sku = $1`, [
        sku,
        threshold,
      ]);
      return rowCount === 1;
    },

    /** Lots of a SKU (at one location or all), FEFO order, empty ones left out. */
    async lots(
      db: Queryable,
      sku: string,
      location: string | undefined,
      now = new Date(),
    ): Promise<LotView[]> {
      const { rows } = await db.query<LotRow>(
        `SELECT ${LOT_COLUMNS} FROM ${s}.lots WHERE sku = $1 AND on_hand > 0 AND ($2::text IS NULL OR location = $2)`,
        [sku, location ?? null],
      );
      const today = shopDay(now);
      return rows
        .sort((a, b) => fefoCompare({ ...a, free: 0 }, { ...b, free: 0 }))
        .map((r) => lotView(r, today));
    },

    /** Claims an operation id, or tells who used it first and the answer they got. */
    async claim(tx: Tx, id: string, kind: string, hash: string): Promise<Claim> {
      const { rowCount } = await tx.query(
        `INSERT INTO ${s}.operations (id, kind, request_hash, response) VALUES ($1, $2, $3, 'null')
         ON CONFLICT (id) DO NOTHING`,
        [id, kind, hash],
      );
      if (rowCount === 1) return { claimed: true };
      const { rows } = await tx.query<{ kind: string; request_hash: string; response: unknown }>(
        `SELECT kind, request_hash, response FROM ${s}.operations WHERE id = $1`,
        [id],
      );
      return { claimed: false, ...rows[0]! };
    },

    /** Gives back an operation id claimed in this transaction (the operation was refused). */
    async unclaim(tx: Tx, id: string): Promise<void> {
      await tx.query(`DELETE FROM ${s}.operations WHERE id = $1`, [id]);
    },

    /** Stores the answer of a claimed operation, for its replays. */
    async answer(tx: Tx, id: string, response: unknown): Promise<void> {
      await tx.query(`UPDATE ${s}.operations SET response = $2 WHERE id = $1`, [
        id,
        JSON.stringify(response),
      ]);
    },

    async locationExists(db: Queryable, id: string): Promise<boolean> {
      const { rowCount } = await db.query(`SELECT 1 FROM ${s}.locations WHERE id = $1`, [id]);
      return rowCount !== 0;
    },

    async lotExists(db: Queryable, id: string): Promise<boolean> {
      const { rowCount } = await db.query(`SELECT 1 FROM ${s}.lots WHERE id = $1`, [id]);
      return !!rowCount;
    },

    /** Inserts a received lot with all of it on hand. */
    async insertLot(
      tx: Tx,
      lot: {
        id: string;
        sku: string;
        location: string;
        quantity: number;
        expires_on: string | null;
        received_at: Date | string;
      },
    ): Promise<LotRow> {
      const { rows } = await tx.query<LotRow>(
        `INSERT INTO ${s}.lots (id, sku, location, received_qty, on_hand, expires_on, received_at)
         VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING ${LOT_COLUMNS}`,
        [lot.id, lot.sku, lot.location, lot.quantity, lot.expires_on, lot.received_at],
      );
      return rows[0]!;
    },

    async lockLot(tx: Tx, id: string): Promise<LotRow | undefined> {
      const { rows } = await tx.query<LotRow>(
        `SELECT ${LOT_COLUMNS} FROM ${s}.lots WHERE id = $1 FOR UPDATE`,
        [id],
      );
      return rows[0];
    },

    async addOnHand(tx: Tx, id: string, delta: number): Promise<LotRow> {
      const { rows } = await tx.query<LotRow>(
        `UPDATE ${s}.lots SET on_hand = on_hand + $2 WHERE id = $1 RETURNING ${LOT_COLUMNS}`,
        [id, delta],
      );
      return rows[0]!;
    },

    /** Locks lots expiring within the window not yet noticed today (SKIP LOCKED: any instance may scan). */
    async lockExpiring(tx: Tx, window: { today: string; horizon: string }): Promise<LotRow[]> {
      const { rows } = await tx.query<LotRow>(
        `SELECT ${LOT_COLUMNS} FROM ${s}.lots
         WHERE expires_on BETWEEN $1::date AND $2::date
           AND expiring_noticed_on IS DISTINCT FROM $1::date
           AND (on_hand > 0 OR expiring_noticed_on IS NOT NULL)
         ORDER BY id LIMIT 2000 FOR UPDATE SKIP LOCKED`,
        [window.today, window.horizon],
      );
      return rows;
    },

    /** Marks lots as noticed `today` (an empty lot is cleared instead: it needs no notice again). */
    async markNoticed(tx: Tx, ids: string[], today: string): Promise<void> {
      await tx.query(
        `UPDATE ${s}.lots SET expiring_noticed_on = CASE WHEN on_hand > 0 THEN $2::date END WHERE id = ANY($1::text[])`,
        [ids, today],
      );
    },

    /** Lot quantities recomputed from the ledger next to the stored ones (they must agree). */
    async replayLedger(
      db: Queryable,
    ): Promise<
      { lot_id: string; on_hand: number; held: number; ledger_on_hand: number; ledger_held: number }[]
    > {
      const { rows } = await db.query(
        `SELECT l.id AS lot_id, l.on_hand, l.held,
                coalesce(sum(m.on_hand_delta), 0)::int AS ledger_on_hand, coalesce(sum(m.held_delta), 0)::int AS ledger_held
         FROM ${s}.lots l LEFT JOIN ${s}.movements m ON m.lot_id = l.id
         GROUP BY l.id ORDER BY l.id`,
      );
      return rows;
    },
  };
}

export type LotStore = ReturnType<typeof lotStore>;

/**
 * Lots, SKUs, locations and staff operations in PostgreSQL: receiving a lot, adjusting one (count,
 * damage, expiry write-off), the SKU projection fed by catalog product events, and the daily
 * stock.expiring notices. Staff operations are idempotent through `operations`: the first request
 * with an id claims it, a replay gets the first answer, another request under the same id a 409.
 */
import type { Pool } from 'pg';
import { stockExpiring, type ProductSnapshot, type TuoiCloudEvent } from '../../events';
import { ident, withTransaction, type Queryable, type Tx } from '../shared/db';
import { ConflictError, ValidationError, type FieldError } from '../shared/errors';
import { buildEvent, emit } from '../shared/eventing/outbox';
import { fefoCompare, isExpired, requestHash, shopDay } from './domain';
import type { AdjustBody, ReceiveBody } from './schemas';
import type { StockStore } from './stock-store';

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

/** Default low-stock thresholds: pieces, and grams for items sold by weight. */
export const DEFAULT_LOW_THRESHOLD = { piece: 5, weight: 2_000 } as const;

/** A lot as PostgreSQL returns it (LOT_COLUMNS). */
type LotRow = Omit<LotView, 'expired' | 'received_at'> & { received_at: Date };

const LOT_COLUMNS =
  'id, sku, location, received_qty, on_hand, held, expires_on::text AS expires_on, received_at';

function lotView(row: LotRow, today: string): LotView {
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
export function lotStore(schema: string, stock: StockStore, opts: { expiringDays: number }) {
  const s = ident(schema);

  /** Claims an operation id; returns the first answer when it was already used by the same request. */
  async function claim(tx: Tx, id: string, kind: string, hash: string): Promise<unknown | undefined> {
    const { rowCount } = await tx.query(
      `INSERT INTO ${s}.operations (id, kind, request_hash, response) VALUES ($1, $2, $3, 'null')
       ON CONFLICT (id) DO NOTHING`,
      [id, kind, hash],
    );
    if (rowCount === 1) return undefined;
    const { rows } = await tx.query<{ kind: string; request_hash: string; response: unknown }>(
      `SELECT kind, request_hash, response FROM ${s}.operations WHERE id = $1`,
      [id],
    );
    const prior = rows[0]!;
    if (prior.kind !== kind || prior.request_hash !== hash)
      throw new ConflictError(`${id} was already used for a different ${prior.kind}`);
    return prior.response;
  }

  async function answer(tx: Tx, id: string, response: unknown): Promise<void> {
    await tx.query(`UPDATE ${s}.operations SET response = $2 WHERE id = $1`, [id, JSON.stringify(response)]);
  }

  /** Emits stock.expiring for lots (locked by the caller) in the window, and marks them noticed today. */
  async function noticeExpiring(tx: Tx, lots: LotRow[], now: Date): Promise<number> {
    const today = shopDay(now);
    const horizon = shopDay(new Date(now.getTime() + opts.expiringDays * 86_400_000));
    const due = lots.filter((l) => l.expires_on !== null && l.expires_on >= today && l.expires_on <= horizon);
    if (due.length === 0) return 0;
    const events: TuoiCloudEvent[] = due.map((l) =>
      buildEvent(stockExpiring, {
        sku: l.sku,
        location: l.location,
        lot_id: l.id,
        expires_on: l.expires_on!,
        quantity: l.on_hand,
        at: now.toISOString(),
      }),
    );
    await emit(tx, schema, events);
    await tx.query(
      `UPDATE ${s}.lots SET expiring_noticed_on = CASE WHEN on_hand > 0 THEN $2::date END WHERE id = ANY($1::text[])`,
      [due.map((l) => l.id), today],
    );
    return due.length;
  }

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

    /** Receives a lot (idempotent by lot id). */
    async receive(
      pool: Pool,
      body: ReceiveBody,
      ctx: { actor: string; now?: Date },
    ): Promise<{ lot: LotView; replayed: boolean }> {
      const now = ctx.now ?? new Date();
      return withTransaction(pool, async (tx) => {
        const { received_at: _at, ...meaning } = body;
        const prior = await claim(tx, `lot:${body.lot_id}`, 'receive', requestHash(meaning));
        if (prior !== undefined) return { lot: prior as LotView, replayed: true };
        const today = shopDay(now);
        const [sku, place] = await Promise.all([
          this.sku(tx, body.sku),
          tx.query(`SELECT 1 FROM ${s}.locations WHERE id = $1`, [body.location]),
        ]);
        const errors: FieldError[] = [];
        if (!sku) errors.push({ field: '/sku', code: 'unknown', message: `No SKU ${body.sku}` });
        if (place.rowCount === 0)
          errors.push({ field: '/location', code: 'unknown', message: `No location ${body.location}` });
        if (sku?.is_perishable && !body.expires_on)
          errors.push({
            field: '/expires_on',
            code: 'required',
            message: 'A perishable lot needs its expiry date',
          });
        if (body.expires_on && body.expires_on < today)
          errors.push({
            field: '/expires_on',
            code: 'expired',
            message: `The lot expired on ${body.expires_on}`,
          });
        if (errors.length) throw new ValidationError('The lot cannot be received', errors);
        const exists = await tx.query(`SELECT 1 FROM ${s}.lots WHERE id = $1`, [body.lot_id]);
        if (exists.rowCount) throw new ConflictError(`Lot ${body.lot_id} already exists`);
        const { rows } = await tx.query<LotRow>(
          `INSERT INTO ${s}.lots (id, sku, location, received_qty, on_hand, expires_on, received_at)
           VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING ${LOT_COLUMNS}`,
          [
            body.lot_id,
            body.sku,
            body.location,
            body.quantity,
            body.expires_on ?? null,
            body.received_at ?? now,
          ],
        );
        const row = rows[0]!;
        await stock.record(tx, [
          {
            lot_id: row.id,
            sku: row.sku,
            location: row.location,
            on_hand_delta: row.on_hand,
            held_delta: 0,
            reason: 'receive',
            actor: ctx.actor,
            operation_id: `lot:${row.id}`,
          },
        ]);
        await stock.changed(tx, [{ sku: row.sku, location: row.location }], now);
        await noticeExpiring(tx, [row], now);
        const lot = lotView(row, today);
        await answer(tx, `lot:${body.lot_id}`, lot);
        return { lot, replayed: false };
      });
    },

    /** Adjusts a lot after a count, damage or an expiry write-off (idempotent by operation id). */
    async adjust(
      pool: Pool,
      body: AdjustBody,
      ctx: { actor: string; now?: Date },
    ): Promise<{ lot: LotView; replayed: boolean }> {
      const now = ctx.now ?? new Date();
      return withTransaction(pool, async (tx) => {
        const prior = await claim(tx, `adjust:${body.id}`, 'adjust', requestHash(body));
        if (prior !== undefined) return { lot: prior as LotView, replayed: true };
        const { rows } = await tx.query<LotRow>(
          `SELECT ${LOT_COLUMNS} FROM ${s}.lots WHERE id = $1 FOR UPDATE`,
          [body.lot_id],
        );
        const lot = rows[0];
        if (!lot)
          throw new ValidationError('The adjustment is not valid', [
            { field: '/lot_id', code: 'unknown', message: `No lot ${body.lot_id}` },
          ]);
        let delta: number;
        if (body.reason === 'count') {
          if (body.quantity === undefined)
            throw new ValidationError('A count needs the counted quantity', [
              { field: '/quantity', code: 'required', message: 'the quantity counted on the shelf' },
            ]);
          delta = body.quantity - lot.on_hand;
        } else {
          const off = body.quantity ?? (body.reason === 'expiry' ? lot.on_hand - lot.held : undefined);
          if (off === undefined || off <= 0)
            throw new ValidationError(`A ${body.reason} write-off needs a positive quantity`, [
              { field: '/quantity', code: 'minimum', message: 'at least 1' },
            ]);
          delta = -off;
        }
        if (lot.on_hand + delta < lot.held)
          throw new ConflictError(
            `Lot ${lot.id} has ${lot.held} held by reservations: it cannot go below that (on hand ${lot.on_hand}, change ${delta})`,
            { held: lot.held, on_hand: lot.on_hand },
          );
        const { rows: updated } = await tx.query<LotRow>(
          `UPDATE ${s}.lots SET on_hand = on_hand + $2 WHERE id = $1 RETURNING ${LOT_COLUMNS}`,
          [lot.id, delta],
        );
        await stock.record(tx, [
          {
            lot_id: lot.id,
            sku: lot.sku,
            location: lot.location,
            on_hand_delta: delta,
            held_delta: 0,
            reason: body.reason,
            actor: ctx.actor,
            operation_id: `adjust:${body.id}`,
            note: body.note ?? null,
          },
        ]);
        await stock.changed(tx, [{ sku: lot.sku, location: lot.location }], now);
        const view = lotView(updated[0]!, shopDay(now));
        await answer(tx, `adjust:${body.id}`, view);
        return { lot: view, replayed: false };
      });
    },

    /** Daily stock.expiring notices for lots expiring within the window (safe to run anywhere, any time). */
    async scanExpiring(pool: Pool, now = new Date()): Promise<number> {
      const today = shopDay(now);
      const horizon = shopDay(new Date(now.getTime() + opts.expiringDays * 86_400_000));
      return withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<LotRow>(
          `SELECT ${LOT_COLUMNS} FROM ${s}.lots
           WHERE expires_on BETWEEN $1::date AND $2::date
             AND expiring_noticed_on IS DISTINCT FROM $1::date
             AND (on_hand > 0 OR expiring_noticed_on IS NOT NULL)
           ORDER BY id LIMIT 2000 FOR UPDATE SKIP LOCKED`,
          [today, horizon],
        );
        return noticeExpiring(tx, rows, now);
      });
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

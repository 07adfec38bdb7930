/**
 * Reservations in PostgreSQL. `reserveBatch` decides many reservations in one transaction: it locks
 * the lots they need once (in id order), allocates FEFO in memory in arrival order, and writes the
 * holds, the ledger and one stock.changed per touched (sku, location). A hot SKU's lot row is then
 * updated once per batch instead of once per buyer. Commit, release and expiry close one
 * reservation (or, for the sweeper, many) and return or deduct its allocated units.
 */
import type { Pool } from 'pg';
import { reservationExpired, type TuoiCloudEvent } from '../../events';
import { ident, withTransaction, type Queryable, type Tx } from '../shared/db';
import type { FieldError } from '../shared/errors';
import { buildEvent, emit } from '../shared/eventing/outbox';
import { allocate, shopDay, type Allocation, type Line, type LotStock, type Shortfall } from './domain';
import type { Movement, StockKey, StockStore } from './stock-store';

/** Reservation states: held until committed, released, or expired by the sweeper. */
export type ReservationStatus = 'held' | 'committed' | 'released' | 'expired';

/** A reservation request after schema validation. */
export interface ReserveRequest {
  id: string;
  owner: string;
  location: string;
  lines: Line[];
  ttlSeconds: number;
  allowPartial: boolean;
  /** Hash of the request's fields: the same id with another request is a conflict. */
  hash: string;
  actor: string;
  correlationId?: string;
}

/** A reservation as the API shows it. */
export interface ReservationView {
  id: string;
  owner: string;
  location: string;
  status: ReservationStatus;
  lines: {
    sku: string;
    qty: number;
    held: number;
    lots: { lot_id: string; qty: number; expires_on: string | null }[];
  }[];
  created_at: string;
  expires_at: string;
  closed_at: string | null;
}

/** What became of one request of a batch. */
export type ReserveOutcome =
  | { kind: 'held'; reservation: ReservationView; replayed: boolean }
  | { kind: 'refused'; shortfall: Shortfall[] }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; message: string };

interface ReservationRow {
  id: string;
  owner: string;
  location: string;
  status: ReservationStatus;
  request_hash: string;
  lines: { sku: string; qty: number; held: number }[];
  created_at: Date;
  expires_at: Date;
  closed_at: Date | null;
  allocations: { lot_id: string; sku: string; qty: number; expires_on: string | null }[];
}

const RETRYABLE = new Set(['23505', '40P01', '40001']); // unique (same id from another instance), deadlock, serialization

function view(row: Omit<ReservationRow, 'request_hash'>): ReservationView {
  return {
    id: row.id,
    owner: row.owner,
    location: row.location,
    status: row.status,
    lines: row.lines.map((l) => ({
      sku: l.sku,
      qty: l.qty,
      held: l.held,
      lots: row.allocations
        .filter((a) => a.sku === l.sku)
        .map((a) => ({ lot_id: a.lot_id, qty: a.qty, expires_on: a.expires_on })),
    })),
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    closed_at: row.closed_at ? row.closed_at.toISOString() : null,
  };
}

/** The reservation store of one schema. */
export function reservationStore(schema: string, stock: StockStore) {
  const s = ident(schema);

  async function load(db: Queryable, ids: string[], lock = false): Promise<Map<string, ReservationRow>> {
    if (ids.length === 0) return new Map();
    const { rows } = await db.query<ReservationRow>(
      `SELECT r.id, r.owner, r.location, r.status, r.request_hash, r.lines, r.created_at, r.expires_at, r.closed_at,
              coalesce((SELECT json_agg(json_build_object('lot_id', a.lot_id, 'sku', a.sku, 'qty', a.qty,
                                 'expires_on', l.expires_on::text) ORDER BY l.expires_on NULLS LAST, l.received_at, a.lot_id)
                        FROM ${s}.allocations a JOIN ${s}.lots l ON l.id = a.lot_id
                        WHERE a.reservation_id = r.id), '[]') AS allocations
       FROM ${s}.reservations r WHERE r.id = ANY($1::text[]) ORDER BY r.id ${lock ? 'FOR UPDATE OF r' : ''}`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Requests the batch cannot decide on their own: unknown locations and SKUs. */
  async function unknowns(tx: Tx, requests: ReserveRequest[]) {
    const skus = [...new Set(requests.flatMap((r) => r.lines.map((l) => l.sku)))];
    const locations = [...new Set(requests.map((r) => r.location))];
    const [known, places] = await Promise.all([
      tx.query<{ sku: string }>(`SELECT sku FROM ${s}.skus WHERE sku = ANY($1::text[]) AND active`, [skus]),
      tx.query<{ id: string }>(`SELECT id FROM ${s}.locations WHERE id = ANY($1::text[])`, [locations]),
    ]);
    return {
      sku: new Set(known.rows.map((r) => r.sku)),
      location: new Set(places.rows.map((r) => r.id)),
    };
  }

  async function lockLots(
    tx: Tx,
    keys: StockKey[],
    today: string,
  ): Promise<(LotStock & { location: string })[]> {
    if (keys.length === 0) return [];
    const { rows } = await tx.query<{
      id: string;
      sku: string;
      location: string;
      free: number;
      expires_on: string | null;
      received_at: Date;
    }>(
      `SELECT l.id, l.sku, l.location, l.on_hand - l.held AS free, l.expires_on::text AS expires_on, l.received_at
       FROM ${s}.lots l
       JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[])) AS k(sku, location)
         ON l.sku = k.sku AND l.location = k.location
       WHERE l.on_hand > l.held AND (l.expires_on IS NULL OR l.expires_on >= $3::date)
       ORDER BY l.id FOR UPDATE OF l`,
      [keys.map((k) => k.sku), keys.map((k) => k.location), today],
    );
    return rows;
  }

  /**
   * Adds (+1) or returns (−1) allocated units to lots' held counts (and, for a commit, takes them
   * off on_hand too), with one ledger line per reservation and lot. Returns the touched pairs.
   */
  async function moveHeld(
    tx: Tx,
    allocations: (Allocation & { reservation_id: string; location: string })[],
    sign: 1 | -1,
    move: { reason: Movement['reason']; actor: string; correlationId?: string | null },
    onHandToo = false,
  ): Promise<StockKey[]> {
    if (allocations.length === 0) return [];
    await tx.query(
      `UPDATE ${s}.lots l SET held = l.held + $3 * d.qty, on_hand = l.on_hand + $4 * d.qty
       FROM (SELECT lot_id, sum(qty)::int AS qty FROM unnest($1::text[], $2::int[]) AS a(lot_id, qty)
             GROUP BY lot_id) d
       WHERE l.id = d.lot_id`,
      [allocations.map((a) => a.lot_id), allocations.map((a) => a.qty), sign, onHandToo ? sign : 0],
    );
    await stock.record(
      tx,
      allocations.map((a) => ({
        lot_id: a.lot_id,
        sku: a.sku,
        location: a.location,
        held_delta: sign * a.qty,
        on_hand_delta: onHandToo ? sign * a.qty : 0,
        reason: move.reason,
        actor: move.actor,
        reservation_id: a.reservation_id,
        correlation_id: move.correlationId ?? null,
      })),
    );
    return allocations.map((a) => ({ sku: a.sku, location: a.location }));
  }

  async function decide(pool: Pool, requests: ReserveRequest[], now: Date): Promise<ReserveOutcome[]> {
    return withTransaction(pool, async (tx) => {
      const outcomes: (ReserveOutcome | undefined)[] = requests.map(() => undefined);
      const existing = await load(tx, [...new Set(requests.map((r) => r.id))]);
      const known = await unknowns(tx, requests);
      const first = new Map<string, number>(); // id → index of the request that decides it
      const fresh: number[] = [];
      requests.forEach((r, i) => {
        const prior = existing.get(r.id);
        const earlier = first.get(r.id);
        if (prior || earlier !== undefined) {
          const hash = prior ? prior.request_hash : requests[earlier!]!.hash;
          if (hash !== r.hash)
            outcomes[i] = {
              kind: 'conflict',
              message: `Reservation ${r.id} exists with a different request`,
            };
          return; // replays are filled in below
        }
        const errors: FieldError[] = [];
        if (!known.location.has(r.location))
          errors.push({ field: '/location', code: 'unknown', message: `No location ${r.location}` });
        r.lines.forEach((l, j) => {
          if (!known.sku.has(l.sku))
            errors.push({ field: `/lines/${j}/sku`, code: 'unknown', message: `No active SKU ${l.sku}` });
        });
        if (errors.length) outcomes[i] = { kind: 'invalid', errors };
        else fresh.push(i);
        first.set(r.id, i);
      });

      const today = shopDay(now);
      const lots = await lockLots(
        tx,
        fresh.flatMap((i) =>
          requests[i]!.lines.map((l) => ({ sku: l.sku, location: requests[i]!.location })),
        ),
        today,
      );
      const lotById = new Map(lots.map((l) => [l.id, l]));
      const atLocation = new Map<string, LotStock[]>();
      for (const lot of lots) {
        const list = atLocation.get(lot.location);
        if (list) list.push(lot);
        else atLocation.set(lot.location, [lot]);
      }

      const rows: object[] = [];
      const allocs: (Allocation & { reservation_id: string; location: string })[] = [];
      const iso = now.toISOString();
      for (const i of fresh) {
        const r = requests[i]!;
        const out = allocate(r.lines, atLocation.get(r.location) ?? [], {
          allowPartial: r.allowPartial,
          today,
        });
        if (!out.ok) {
          outcomes[i] = { kind: 'refused', shortfall: out.shortfall };
          continue;
        }
        const expiresAt = new Date(now.getTime() + r.ttlSeconds * 1000);
        rows.push({
          id: r.id,
          owner: r.owner,
          location: r.location,
          request_hash: r.hash,
          lines: out.lines,
          created_at: iso,
          expires_at: expiresAt.toISOString(),
          correlation_id: r.correlationId ?? null,
        });
        for (const a of out.allocations) allocs.push({ ...a, reservation_id: r.id, location: r.location });
        outcomes[i] = {
          kind: 'held',
          replayed: false,
          reservation: view({
            id: r.id,
            owner: r.owner,
            location: r.location,
            status: 'held',
            lines: out.lines,
            created_at: now,
            expires_at: expiresAt,
            closed_at: null,
            allocations: out.allocations.map((a) => ({
              ...a,
              expires_on: lotById.get(a.lot_id)!.expires_on,
            })),
          }),
        };
      }

      if (rows.length > 0) {
        await tx.query(
          `INSERT INTO ${s}.reservations (id, owner, location, status, request_hash, lines, created_at, expires_at, correlation_id)
           SELECT r.id, r.owner, r.location, 'held', r.request_hash, r.lines, r.created_at, r.expires_at, r.correlation_id
           FROM jsonb_to_recordset($1::jsonb) AS r(id text, owner text, location text, request_hash text, lines jsonb,
             created_at timestamptz, expires_at timestamptz, correlation_id text)`,
          [JSON.stringify(rows)],
        );
        if (allocs.length > 0)
          await tx.query(
            `INSERT INTO ${s}.allocations (reservation_id, lot_id, sku, qty)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])`,
            [
              allocs.map((a) => a.reservation_id),
              allocs.map((a) => a.lot_id),
              allocs.map((a) => a.sku),
              allocs.map((a) => a.qty),
            ],
          );
        const touched = await moveHeld(tx, allocs, 1, {
          reason: 'reserve',
          actor: requests[fresh[0]!]!.actor,
        });
        await stock.changed(tx, touched, now);
      }

      // Replays and later duplicates: the stored (or just decided) reservation, unchanged.
      const replayIds = requests.filter((_, i) => outcomes[i] === undefined).map((r) => r.id);
      const stored = await load(tx, [...new Set(replayIds)]);
      requests.forEach((r, i) => {
        if (outcomes[i] !== undefined) return;
        const row = stored.get(r.id);
        const decidedBy = first.get(r.id);
        if (row) outcomes[i] = { kind: 'held', reservation: view(row), replayed: true };
        else if (decidedBy !== undefined && outcomes[decidedBy]) outcomes[i] = outcomes[decidedBy];
      });
      return outcomes.map((o) => o!);
    });
  }

  return {
    load,
    view,

    /** Decides a batch of reservations in one transaction (retried on a lost race for an id). */
    async reserveBatch(pool: Pool, requests: ReserveRequest[], now = new Date()): Promise<ReserveOutcome[]> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await decide(pool, requests, now);
        } catch (err) {
          if (attempt >= 3 || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
        }
      }
    },

    /**
     * Commits (deducts the allocated units from their lots) or releases (returns them) one held
     * reservation. A closed one answers its state: the same transition again is a replay; another
     * is refused with the current status. A held one past its TTL is expired here and refused.
     */
    async close(
      pool: Pool,
      id: string,
      to: 'committed' | 'released',
      ctx: { actor: string; correlationId?: string; now?: Date },
    ): Promise<{ outcome: 'done' | 'replayed' | 'refused' | 'missing'; reservation?: ReservationView }> {
      const now = ctx.now ?? new Date();
      const result = await withTransaction(pool, async (tx) => {
        const row = (await load(tx, [id], true)).get(id);
        if (!row) return { outcome: 'missing' as const };
        if (row.status !== 'held')
          return {
            outcome: row.status === to ? ('replayed' as const) : ('refused' as const),
            reservation: view(row),
          };
        if (row.expires_at.getTime() <= now.getTime()) {
          const [expired] = await expire(tx, [row], now, ctx.actor);
          return { outcome: 'refused' as const, reservation: expired };
        }
        const closed = await closeRows(tx, [row], to, now, {
          actor: ctx.actor,
          correlationId: ctx.correlationId,
        });
        return { outcome: 'done' as const, reservation: closed[0] };
      });
      return result;
    },

    /** Expires held reservations past their TTL (many instances may sweep: SKIP LOCKED). */
    async sweep(pool: Pool, opts: { limit?: number; now?: Date; actor?: string } = {}): Promise<number> {
      const now = opts.now ?? new Date();
      return withTransaction(pool, async (tx) => {
        const { rows: due } = await tx.query<{ id: string }>(
          `SELECT id FROM ${s}.reservations WHERE status = 'held' AND expires_at <= $1
           ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [now, opts.limit ?? 500],
        );
        if (due.length === 0) return 0;
        const rows = [
          ...(
            await load(
              tx,
              due.map((d) => d.id),
            )
          ).values(),
        ];
        await expire(tx, rows, now, opts.actor ?? 'sweeper');
        return rows.length;
      });
    },
  };

  async function closeRows(
    tx: Tx,
    rows: ReservationRow[],
    to: 'committed' | 'released' | 'expired',
    now: Date,
    ctx: { actor: string; correlationId?: string },
  ): Promise<ReservationView[]> {
    const allocations = rows.flatMap((r) =>
      r.allocations.map((a) => ({
        lot_id: a.lot_id,
        sku: a.sku,
        qty: a.qty,
        reservation_id: r.id,
        location: r.location,
      })),
    );
    const reason = to === 'committed' ? 'commit' : to === 'released' ? 'release' : 'expire';
    const touched = await moveHeld(
      tx,
      allocations,
      -1,
      { reason, actor: ctx.actor, correlationId: ctx.correlationId },
      to === 'committed',
    );
    await tx.query(`UPDATE ${s}.reservations SET status = $2, closed_at = $3 WHERE id = ANY($1::text[])`, [
      rows.map((r) => r.id),
      to,
      now,
    ]);
    await stock.changed(tx, touched, now);
    return rows.map((r) => view({ ...r, status: to, closed_at: now }));
  }

  async function expire(
    tx: Tx,
    rows: ReservationRow[],
    now: Date,
    actor: string,
  ): Promise<ReservationView[]> {
    const views = await closeRows(tx, rows, 'expired', now, { actor });
    const events: TuoiCloudEvent[] = rows
      .filter((r) => r.lines.length > 0)
      .map((r) =>
        buildEvent(reservationExpired, {
          id: r.id,
          owner: r.owner,
          location: r.location,
          lines: r.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
          expired_at: now.toISOString(),
        }),
      );
    await emit(tx, schema, events);
    return views;
  }
}

export type ReservationStore = ReturnType<typeof reservationStore>;

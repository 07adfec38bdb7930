/**
 * Reservation use cases, each one unit of work: load → decide (domain.ts) → persist → emit.
 * `reserveBatch` decides many reservations in one transaction (the batcher's group commit): it
 * locks the lots they need once, allocates FEFO in memory in arrival order, and writes the holds,
 * the ledger and one stock.changed per touched (sku, location), so a hot SKU's lot row is updated
 * once per batch instead of once per buyer. `close` commits or releases one reservation; `restock`
 * puts units of a committed one back into the lots they came from, once per restock id; `sweep`
 * expires held ones past their TTL.
 */
import { reservationExpired, type TuoiCloudEvent } from '../../events';
import type { Queryable } from '../shared/db';
import { buildEvent } from '../shared/eventing/outbox';
import type { UnitOfWork, Work } from '../shared/unit-of-work';
import {
  planReservations,
  planRestock,
  reservationView,
  restockHash,
  restockLineErrors,
  shopDay,
  stockWanted,
  type ReservationView,
  type ReserveOutcome,
  type ReserveRequest,
  type StoredReservation,
} from './domain';
import type { Reservations, RestockResult } from './ports';
import type { ReservationStore } from './reservation-store';
import type { StockStore } from './stock-store';

/** Unique (the same id from another instance), deadlock, serialization: the batch is decided again. */
const RETRYABLE = new Set(['23505', '40P01', '40001']);

/** What the reservation use cases run on. */
export interface ReservationDeps {
  work: UnitOfWork;
  /** Where reads outside a unit of work go (the pool). */
  db: Queryable;
  reservations: ReservationStore;
  stock: StockStore;
}

/** The reservation use cases over one schema's stores. */
export function reservationUseCases(deps: ReservationDeps): Reservations {
  const { work, reservations: store, stock } = deps;

  /** Expires held rows (locked by the caller): units back, ledger, stock.changed, reservation.expired. */
  async function expire({ tx, emit }: Work, rows: StoredReservation[], now: Date, actor: string) {
    const touched = await store.closeRows(tx, rows, 'expired', now, { actor });
    emit(...(await stock.changed(tx, touched, now)));
    emit(
      ...rows
        .filter((r) => r.lines.length > 0)
        .map((r): TuoiCloudEvent =>
          buildEvent(reservationExpired, {
            id: r.id,
            owner: r.owner,
            location: r.location,
            lines: r.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
            expired_at: now.toISOString(),
          }),
        ),
    );
    return rows.map((r) => reservationView({ ...r, status: 'expired', closed_at: now }));
  }

  const decide = (requests: ReserveRequest[], now: Date) =>
    work(async ({ tx, emit }) => {
      const ids = [...new Set(requests.map((r) => r.id))];
      // Serialises with a release of the same ids (`close`): one of them sees the other's row.
      const released = await store.claimIds(tx, ids);
      const existing = {
        reservations: await store.load(tx, ids),
        released,
        ...(await store.known(tx, requests)),
      };
      const lots = await store.lockLots(tx, stockWanted(requests, existing), shopDay(now));
      const plan = planReservations(requests, existing, lots, now);
      if (plan.hold.length > 0) {
        const touched = await store.insertHolds(tx, plan.hold);
        emit(...(await stock.changed(tx, touched, now)));
      }
      return plan.outcomes;
    });

  return {
    async reserveBatch(requests, now = new Date()): Promise<ReserveOutcome[]> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await decide(requests, now);
        } catch (err) {
          if (attempt >= 3 || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
        }
      }
    },

    async get(id): Promise<ReservationView | undefined> {
      const row = (await store.load(deps.db, [id])).get(id);
      return row && reservationView(row);
    },

    close: (id, to, ctx) =>
      work(async (w) => {
        const now = ctx.now ?? new Date();
        let row = (await store.load(w.tx, [id], true)).get(id);
        if (!row && to === 'released' && ctx.markUnknown) {
          // Nothing to release yet: take the id's lock, look again, and if it is still unknown
          // leave a mark that refuses a reserve arriving after this release.
          await store.claimIds(w.tx, [id]);
          row = (await store.load(w.tx, [id], true)).get(id);
          if (!row) await store.markReleasedUnreserved(w.tx, id, ctx.correlationId, now);
        }
        if (!row) return { outcome: 'missing' as const };
        if (row.status !== 'held')
          return {
            outcome: row.status === to ? ('replayed' as const) : ('refused' as const),
            reservation: reservationView(row),
          };
        if (row.expires_at.getTime() <= now.getTime()) {
          const [expired] = await expire(w, [row], now, ctx.actor);
          return { outcome: 'refused' as const, reservation: expired! };
        }
        const touched = await store.closeRows(w.tx, [row], to, now, ctx);
        w.emit(...(await stock.changed(w.tx, touched, now)));
        return {
          outcome: 'done' as const,
          reservation: reservationView({ ...row, status: to, closed_at: now }),
        };
      }),

    restock: (req, ctx) =>
      work(async (w): Promise<RestockResult> => {
        const now = ctx.now ?? new Date();
        const row = (await store.load(w.tx, [req.reservationId], true)).get(req.reservationId);
        if (!row) return { outcome: 'missing' };
        const hash = restockHash(req.lines);
        const earlier = await store.restocks(w.tx, row.id);
        const same = earlier.find((r) => r.restock_id === req.restockId);
        if (same)
          return same.request_hash === hash
            ? { outcome: 'replayed', restocked: same.restocked }
            : { outcome: 'conflict' };
        if (row.status !== 'committed') return { outcome: 'not_committed', status: row.status };
        const invalid = restockLineErrors(req.lines, row);
        if (invalid) return { outcome: 'invalid', ...invalid };
        const plan = planRestock(
          req.lines,
          row.allocations,
          earlier.flatMap((r) => r.lots),
          shopDay(now),
        );
        const touched = await store.insertRestock(
          w.tx,
          row,
          { id: req.restockId, hash, lines: req.lines, plan },
          ctx,
        );
        w.emit(...(await stock.changed(w.tx, touched, now)));
        return { outcome: 'done', restocked: plan.restocked };
      }),

    sweep: (opts = {}) =>
      work(async (w) => {
        const now = opts.now ?? new Date();
        const due = await store.lockDue(w.tx, now, opts.limit ?? 500);
        if (due.length > 0) await expire(w, due, now, opts.actor ?? 'sweeper');
        return due.length;
      }),
  };
}

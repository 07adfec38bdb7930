/**
 * Staff stock operations and the expiring scan, each one unit of work: load → decide (domain.ts)
 * → persist → emit. Receiving and adjusting are idempotent by operation id: the first request
 * claims it, a replay gets the first answer, another request under the same id is a conflict. A
 * refused operation gives its claim back, so the id stays free.
 */
import { stockExpiring } from '../../events';
import type { Tx } from '../shared/db';
import { buildEvent } from '../shared/eventing/outbox';
import type { UnitOfWork, Work } from '../shared/unit-of-work';
import {
  dueToExpire,
  expiringWindow,
  planAdjustment,
  receiveRefusal,
  requestHash,
  shopDay,
  type Refusal,
} from './domain';
import { lotView, type LotRow, type LotStore, type LotView } from './lot-store';
import type { LotResult, StockOperations } from './ports';
import type { StockStore } from './stock-store';

/** What the lot use cases run on. */
export interface LotDeps {
  work: UnitOfWork;
  lots: LotStore;
  stock: StockStore;
  /** stock.expiring covers lots expiring within this many days (today included). */
  expiringDays: number;
}

/** The staff operations and expiring scan over one schema's stores. */
export function lotUseCases(deps: LotDeps): StockOperations {
  const { work, lots, stock } = deps;

  /** Claims `id`; a replay or a reuse for another request settles the operation without running it. */
  async function claimOrSettle(
    tx: Tx,
    id: string,
    kind: string,
    hash: string,
  ): Promise<LotResult | undefined> {
    const claim = await lots.claim(tx, id, kind, hash);
    if (claim.claimed) return undefined;
    if (claim.kind !== kind || claim.request_hash !== hash)
      return { ok: false, kind: 'conflict', message: `${id} was already used for a different ${claim.kind}` };
    return { ok: true, lot: claim.response as LotView, replayed: true };
  }

  async function refuse(tx: Tx, id: string, refusal: Refusal): Promise<LotResult> {
    await lots.unclaim(tx, id);
    return { ok: false, ...refusal };
  }

  /** stock.expiring for lots (locked by the caller) in the window; marks them noticed today. */
  async function noticeExpiring({ tx, emit }: Work, rows: LotRow[], now: Date): Promise<number> {
    const window = expiringWindow(now, deps.expiringDays);
    const due = dueToExpire(rows, window);
    if (due.length === 0) return 0;
    emit(
      ...due.map((l) =>
        buildEvent(stockExpiring, {
          sku: l.sku,
          location: l.location,
          lot_id: l.id,
          expires_on: l.expires_on,
          quantity: l.on_hand,
          at: now.toISOString(),
        }),
      ),
    );
    await lots.markNoticed(
      tx,
      due.map((l) => l.id),
      window.today,
    );
    return due.length;
  }

  return {
    receive: (body, ctx) =>
      work(async (w) => {
        const { tx, emit } = w;
        const now = ctx.now ?? new Date();
        const op = `lot:${body.lot_id}`;
        const { received_at: _at, ...meaning } = body;
        const settled = await claimOrSettle(tx, op, 'receive', requestHash(meaning));
        if (settled) return settled;
        const today = shopDay(now);
        const [sku, location] = await Promise.all([
          lots.sku(tx, body.sku),
          lots.locationExists(tx, body.location),
        ]);
        const refusal = receiveRefusal(body, { sku, location }, today);
        if (refusal) return refuse(tx, op, refusal);
        if (await lots.lotExists(tx, body.lot_id))
          return refuse(tx, op, { kind: 'conflict', message: `Lot ${body.lot_id} already exists` });
        const row = await lots.insertLot(tx, {
          id: body.lot_id,
          sku: body.sku,
          location: body.location,
          quantity: body.quantity,
          expires_on: body.expires_on ?? null,
          received_at: body.received_at ?? now,
        });
        await stock.record(tx, [
          {
            lot_id: row.id,
            sku: row.sku,
            location: row.location,
            on_hand_delta: row.on_hand,
            held_delta: 0,
            reason: 'receive',
            actor: ctx.actor,
            operation_id: op,
          },
        ]);
        emit(...(await stock.changed(tx, [{ sku: row.sku, location: row.location }], now)));
        await noticeExpiring(w, [row], now);
        const lot = lotView(row, today);
        await lots.answer(tx, op, lot);
        return { ok: true, lot, replayed: false };
      }),

    adjust: (body, ctx) =>
      work(async ({ tx, emit }) => {
        const now = ctx.now ?? new Date();
        const op = `adjust:${body.id}`;
        const settled = await claimOrSettle(tx, op, 'adjust', requestHash(body));
        if (settled) return settled;
        const lot = await lots.lockLot(tx, body.lot_id);
        const plan = planAdjustment(body, lot);
        if (!plan.ok) return refuse(tx, op, plan);
        const updated = await lots.addOnHand(tx, lot!.id, plan.delta);
        await stock.record(tx, [
          {
            lot_id: updated.id,
            sku: updated.sku,
            location: updated.location,
            on_hand_delta: plan.delta,
            held_delta: 0,
            reason: body.reason,
            actor: ctx.actor,
            operation_id: op,
            note: body.note ?? null,
          },
        ]);
        emit(...(await stock.changed(tx, [{ sku: updated.sku, location: updated.location }], now)));
        const view = lotView(updated, shopDay(now));
        await lots.answer(tx, op, view);
        return { ok: true, lot: view, replayed: false };
      }),

    setThreshold: (sku, threshold) => work(({ tx }) => lots.setThreshold(tx, sku, threshold)),

    scanExpiring: (now = new Date()) =>
      work(async (w) =>
        noticeExpiring(w, await lots.lockExpiring(w.tx, expiringWindow(now, deps.expiringDays)), now),
      ),
  };
}

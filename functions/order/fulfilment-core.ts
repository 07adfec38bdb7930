/**
 * The kernel of the order after confirmation, shared by its actions (fulfilment.ts) and its event
 * handlers (fulfilment-events.ts): every change is one transaction under the order's row lock,
 * like the checkout saga's — the state (picking.ts) stored on the order, logged in saga_log, and the
 * commands it causes written to the outbox with it. A command is kept on the order (`asks`) until
 * its owner answers; the clock sends it again, backing off, so a lost command or reply never leaves
 * stock, a window, a coupon use or a payment behind.
 */
import { orderCancelled, orderCompleted, type TuoiCloudEvent } from '../../events';
import type { Tx } from '../shared/db';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { buildEvent, emit as writeOutbox } from '../shared/eventing/outbox';
import type { Work } from '../shared/unit-of-work';
import { move, type OrderStatus } from './lifecycle';
import { base, giveBack, takenOf } from './after-commands';
import type { Ask, OrderPatch, OrderRow, OrderStore } from './order-store';
import type { UnitOfWork } from '../shared/unit-of-work';
import { nextDeadline, PickingError, received, type PickLine, type SoldBy } from './picking';
import type { Reason } from './saga';

/** Timings after confirmation (seconds). */
export interface FulfilmentTimings {
  /** How long the customer has to answer a proposed substitute. */
  substitutionWindowS: number;
  /** First resend of an unanswered command; doubles up to `maxResendS`. */
  resendS: number;
  maxResendS: number;
}

/** A substitute as the picker names it (the route reads its names from the catalog). */
export interface SubstituteAsk {
  sku: string;
  name: { en: string; vi: string };
  sold_by: SoldBy;
  amount: number;
}

/** Delivery statuses that mean the rider has the order. */
export const ON_THE_WAY = new Set(['picked_up', 'in_transit']);

export type Changes = {
  patch: OrderPatch;
  events: TuoiCloudEvent[];
  what: Record<string, unknown>;
};

/** What the use cases after confirmation run on (a part of the order's deps). */
export interface FulfilmentDeps {
  work: UnitOfWork;
  store: OrderStore;
  schema: string;
  fulfilment: FulfilmentTimings;
}

/** What the actions and event handlers after confirmation share: locked changes, saving, rules. */
export function fulfilmentCore(deps: FulfilmentDeps) {
  const { work, store } = deps;
  const t = deps.fulfilment;

  const resendAt = (a: Ask) =>
    Date.parse(a.sent_at) + Math.min(t.maxResendS, t.resendS * 2 ** Math.max(0, a.attempts - 1)) * 1000;

  /** When the clock must come back: an unanswered command, or a proposal's deadline. */
  function nextCheckOf(o: { asks: Ask[]; picking: PickLine[] | null }): Date | null {
    const times = o.asks.filter((a) => a.state === 'sent').map(resendAt);
    const d = o.picking ? nextDeadline(o.picking) : undefined;
    if (d) times.push(d.getTime());
    return times.length ? new Date(Math.min(...times)) : null;
  }

  /** Stores the changes to the locked `order`, logs them, and writes their events. */
  async function save(w: Work, order: OrderRow, c: Changes, now: Date): Promise<OrderRow> {
    const next: OrderRow = { ...order, ...c.patch } as OrderRow;
    const patch: OrderPatch = { ...c.patch, next_check_at: nextCheckOf(next) };
    await store.update(w.tx, order.id, patch, now);
    await store.appendLog(
      w.tx,
      order.id,
      { input: c.what, phase: next.status, sent: c.events.map((e) => e.type) },
      now,
    );
    w.emit(...c.events);
    return { ...next, ...patch, version: order.version + 1, updated_at: now };
  }

  /** Locks the order and applies `fn` in a unit of work of its own (HTTP). */
  async function change(
    id: string,
    fn: (o: OrderRow, now: Date) => Changes | undefined,
    now = new Date(),
  ): Promise<OrderRow | undefined> {
    return work(async (w) => {
      const order = await store.get(w.tx, id, true);
      if (!order) return undefined;
      const c = guard(() => fn(order, now));
      return c ? save(w, order, c, now) : order;
    });
  }

  /** The same inside the consumer's transaction (events), on the order or its locked row. */
  async function changeIn(
    tx: Tx,
    target: string | OrderRow,
    fn: (o: OrderRow, now: Date) => Changes | undefined,
    now = new Date(),
  ): Promise<OrderRow | undefined> {
    const events: TuoiCloudEvent[] = [];
    const w: Work = { tx, emit: (...e) => void events.push(...e), afterCommit: () => {} };
    // The order itself when the caller already holds its row lock in `tx`, or its id.
    const order = typeof target === 'string' ? await store.get(tx, target, true) : target;
    if (!order) return undefined;
    const c = fn(order, now);
    const out = c ? await save(w, order, c, now) : order;
    await writeOutbox(tx, deps.schema, events);
    return out;
  }

  /** Picking refusals as the edge's errors. */
  function guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof PickingError)) throw err;
      if (err.kind === 'not_found') throw new NotFoundError(err.message, { code: err.code });
      if (err.kind === 'invalid')
        throw new ValidationError(err.message, [{ field: '/', code: err.code, message: err.message }]);
      throw new ConflictError(err.message, { code: err.code });
    }
  }

  const status = (o: OrderRow) => o.status as OrderStatus;
  const need = (o: OrderRow, ...allowed: OrderStatus[]) => {
    if (!allowed.includes(status(o)))
      throw new PickingError(`The order is ${o.status.replace(/_/g, ' ')}`, 'wrong_status');
  };

  // ---------------------------------------------------------------- commands after confirmation

  /** The order cancelled after confirmation: everything given back, the customer told why. */
  function cancelled(o: OrderRow, reason: Reason, now: Date, opts: { slot: boolean }): Changes {
    const asks = [...o.asks];
    const sent = giveBack(o, asks, now, opts);
    const taken = takenOf(o);
    return {
      patch: { status: move(status(o), 'cancelled'), reason, cancelled_at: now, asks },
      events: [
        ...sent,
        buildEvent(orderCancelled, {
          ...base(o, now),
          cart_id: o.cart_id,
          reason,
          refund_vnd: Math.max(0, taken),
        }),
      ],
      what: { kind: 'cancel_after_confirm', reason: reason.code },
    };
  }

  /** Delivered or collected with the payment settled: completed (catalog counts its sales). */
  function completeIfDone(o: OrderRow, c: Changes, now: Date): Changes {
    const next = { ...o, ...c.patch } as OrderRow;
    const st = next.status as OrderStatus;
    if ((st !== 'delivered' && st !== 'collected') || !(next.captured_vnd > 0) || !next.picking) return c;
    const lines = received(next.picking).map((r) =>
      r.sold_by === 'weight' ? { sku: r.sku, qty: 1, grams: r.amount } : { sku: r.sku, qty: r.amount },
    );
    // Sum repeated SKUs (a substitute that is also a line of its own).
    const merged = new Map<string, { sku: string; qty: number; grams?: number }>();
    for (const l of lines) {
      const m = merged.get(l.sku);
      if (!m) merged.set(l.sku, { ...l });
      else {
        m.qty += l.qty;
        if (l.grams) m.grams = (m.grams ?? 0) + l.grams;
      }
    }
    return {
      patch: { ...c.patch, status: move(st, 'completed'), completed_at: now },
      events: [
        ...c.events,
        buildEvent(orderCompleted, {
          ...base(o, now),
          location: o.location,
          lines: [...merged.values()],
          total_vnd: next.final_vnd ?? 0,
        }),
      ],
      what: { ...c.what, completed: true },
    };
  }

  /** Marks the ask answered; undefined when the reply answers nothing waiting (a duplicate). */
  function answered(
    o: OrderRow,
    key: string,
    outcome: 'done' | 'refused',
    reason?: Reason,
  ): Ask[] | undefined {
    const i = o.asks.findIndex((a) => a.key === key);
    if (i < 0 || o.asks[i]!.state !== 'sent') return undefined;
    const asks = [...o.asks];
    asks[i] = { ...asks[i]!, state: outcome, ...(reason ? { reason } : {}) };
    return asks;
  }

  return {
    t,
    work,
    store,
    resendAt,
    nextCheckOf,
    save,
    change,
    changeIn,
    guard,
    status,
    need,
    cancelled,
    completeIfDone,
    answered,
  };
}

export type FulfilmentCore = ReturnType<typeof fulfilmentCore>;

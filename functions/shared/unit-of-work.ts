/**
 * A unit of work: one PostgreSQL transaction, the events it emits through the function's outbox
 * (written in the same transaction, so they exist iff the change commits), and what runs once it
 * has committed (cache invalidation, a dev mailbox). A use case reads as
 *
 *   const work = unitOfWork(pool, SCHEMA);
 *   return work(async ({ tx, emit }) => { ...load, decide, persist...; emit(buildEvent(...)); return result; });
 *
 * so the transaction boundary and the emitted events are visible in one place. Stores take `tx`
 * and never open a transaction of their own.
 */
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../events';
import { withTransaction, type Tx } from './db';
import { emit as writeOutbox } from './eventing/outbox';

/** What a use case gets inside its transaction. */
export interface Work {
  /** The transaction client: pass it to every store call of this unit. */
  tx: Tx;
  /** Queues events for the outbox; they are written in this transaction, before it commits. */
  emit(...events: TuoiCloudEvent[]): void;
  /** Runs `fn` after the transaction committed (never when it rolled back). */
  afterCommit(fn: () => void): void;
}

/** Runs one use case in its own transaction. */
export type UnitOfWork = <T>(fn: (work: Work) => Promise<T>) => Promise<T>;

/**
 * A unit-of-work runner for `schema`'s outbox. `onCommitted` sees every committed unit's events
 * (e.g. the user function's dev mailbox).
 */
export function unitOfWork(
  pool: Pool,
  schema: string,
  opts: { onCommitted?(events: TuoiCloudEvent[]): void } = {},
): UnitOfWork {
  return async (fn) => {
    const events: TuoiCloudEvent[] = [];
    const after: (() => void)[] = [];
    const result = await withTransaction(pool, async (tx) => {
      const out = await fn({
        tx,
        emit: (...e) => void events.push(...e),
        afterCommit: (f) => void after.push(f),
      });
      await writeOutbox(tx, schema, events);
      return out;
    });
    opts.onCommitted?.(events);
    for (const f of after) f();
    return result;
  };
}

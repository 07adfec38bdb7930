/**
 * Periodic work of every instance: the hold sweeper (expires reservations past their TTL) and the
 * stock.expiring scan. Any number of instances may run them: both lock with SKIP LOCKED.
 */
import { createLogger } from '../shared/log';
import type { Reservations, StockOperations } from './ports';

const log = createLogger('inventory');

/** Starts the sweeper (every `sweepMs`) and the expiring scan (at once, then every minute); returns stop. */
export function startJobs(
  jobs: { reservations: Pick<Reservations, 'sweep'>; operations: Pick<StockOperations, 'scanExpiring'> },
  sweepMs: number,
): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      let expired = 0;
      // Drain a backlog in slices so no transaction holds many rows for long.
      for (let n = await jobs.reservations.sweep(); n > 0; n = await jobs.reservations.sweep()) expired += n;
      if (expired) log.info('expired held reservations', { expired });
    } catch (err) {
      log.warn('sweep failed; will retry', { err });
    } finally {
      running = false;
    }
  };
  const scan = async () => {
    try {
      const noticed = await jobs.operations.scanExpiring();
      if (noticed) log.info('stock.expiring notices', { noticed });
    } catch (err) {
      log.warn('expiring scan failed; will retry', { err });
    }
  };
  const sweeper = setInterval(() => void sweep(), sweepMs);
  const scanner = setInterval(() => void scan(), 60_000);
  sweeper.unref();
  scanner.unref();
  void scan();
  return () => {
    clearInterval(sweeper);
    clearInterval(scanner);
  };
}

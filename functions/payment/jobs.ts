/**
 * Periodic work of every instance: operations a crash or outage left unfinished are sent again
 * with their own idempotency keys, and payments waiting on the customer are re-read from their
 * provider (a lost notification then still lands).
 */
import { createLogger } from '../shared/log';

const log = createLogger('payment');

/** Starts the job every `everyMs`; returns stop. */
export function startJobs(
  jobs: { resume(): Promise<number>; reconcile(): Promise<number> },
  everyMs: number,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const resumed = await jobs.resume();
      const moved = await jobs.reconcile();
      if (resumed || moved) log.info('payment reconciliation', { resumed, moved });
    } catch (err) {
      log.warn('payment reconciliation failed; will retry', { err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

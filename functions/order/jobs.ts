/**
 * Periodic work of every instance: sagas whose clock is due get their tick — unanswered finish and
 * undo commands are sent again (backing off), forward steps unanswered past their deadline and
 * payments not completed in time cancel the order. Instances share the work through row locks.
 */
import { createLogger } from '../shared/log';

const log = createLogger('order');

/** Starts the tick every `everyMs`; returns stop. */
export function startJobs(tick: () => Promise<number>, everyMs: number): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const n = await tick();
      if (n) log.info('order sagas ticked', { n });
    } catch (err) {
      log.warn('order saga tick failed; will retry', { err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

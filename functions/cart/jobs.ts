/**
 * Periodic work of every instance: the abandoned-cart scan and the purge of idle guest carts (a
 * no-op on Redis, whose keys expire by themselves). Any number of instances may run them: a cart
 * is reported through a compare-and-set, so only one instance marks it.
 */
import { createLogger } from '../shared/log';

const log = createLogger('cart');

/** Starts the jobs; returns stop. */
export function startJobs(
  jobs: { abandoned(): Promise<number>; purge(): Promise<number> },
  opts: { scanMs: number },
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const reported = await jobs.abandoned();
      const purged = await jobs.purge();
      if (reported || purged) log.info('cart jobs', { reported, purged });
    } catch (err) {
      log.warn('cart jobs failed; will retry', { err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.scanMs);
  timer.unref();
  return () => clearInterval(timer);
}

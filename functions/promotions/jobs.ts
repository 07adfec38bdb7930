/**
 * Periodic work of every instance: the redemption sweeper (gives back uses held past their TTL),
 * the schedule scan (announces promotions that started or ended by the clock) and lot
 * housekeeping. Any number of instances may run them: each locks with SKIP LOCKED.
 */
import { createLogger } from '../shared/log';

const log = createLogger('promotions');

/** Runs `task` every `everyMs`, never two at once; returns stop. */
function every(name: string, everyMs: number, task: () => Promise<number>): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await task();
      if (n) log.info(name, { n });
    } catch (err) {
      log.warn(`${name} failed; will retry`, { err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Starts the jobs; returns stop. */
export function startJobs(
  jobs: { sweep(): Promise<number>; announceDue(): Promise<number>; purgeLots(): Promise<number> },
  opts: { sweepMs: number; scheduleMs: number },
): () => void {
  const stops = [
    every('expired coupon redemptions', opts.sweepMs, () => jobs.sweep()),
    every('promotion announcements', opts.scheduleMs, () => jobs.announceDue()),
    every('purged expiring lots', 3_600_000, () => jobs.purgeLots()),
  ];
  return () => stops.forEach((stop) => stop());
}

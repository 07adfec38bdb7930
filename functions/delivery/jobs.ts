/**
 * Periodic work of every instance: the hold sweeper (expires holds past their TTL; SKIP LOCKED
 * shares the work between instances), the rebooking of deliveries no carrier took yet (a claim
 * per row keeps two instances from booking one twice), and the calendar roll-forward (writes the slots of a day
 * entering a calendar's horizon; writing a day twice changes nothing).
 */
import { createLogger } from '../shared/log';

const log = createLogger('delivery');

/** Starts the sweeper (every `sweepMs`) and the roll-forward (at once, then every 10 minutes); returns stop. */
export function startJobs(
  jobs: { sweep(): Promise<number>; rollForward(): Promise<number>; rebook(): Promise<number> },
  sweepMs: number,
): () => void {
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      let expired = 0;
      // Drain a backlog in slices so no transaction holds many rows for long.
      for (let n = await jobs.sweep(); n > 0; n = await jobs.sweep()) expired += n;
      if (expired) log.info('expired slot holds', { expired });
    } catch (err) {
      log.warn('hold sweep failed; will retry', { err });
    } finally {
      sweeping = false;
    }
  };
  const roll = async () => {
    try {
      const days = await jobs.rollForward();
      if (days) log.info('slots written for days entering the horizon', { days });
    } catch (err) {
      log.warn('calendar roll-forward failed; will retry', { err });
    }
  };
  let rebooking = false;
  const rebook = async () => {
    if (rebooking) return;
    rebooking = true;
    try {
      const tried = await jobs.rebook();
      if (tried) log.info('retried deliveries waiting for a carrier', { tried });
    } catch (err) {
      log.warn('rebooking failed; will retry', { err });
    } finally {
      rebooking = false;
    }
  };
  const sweeper = setInterval(() => {
    void sweep();
    void rebook();
  }, sweepMs);
  const roller = setInterval(() => void roll(), 600_000);
  sweeper.unref();
  roller.unref();
  void roll();
  return () => {
    clearInterval(sweeper);
    clearInterval(roller);
  };
}

/**
 * Periodic work of an instance (sweepers, reconciliation, the saga clock): `run` every `everyMs`,
 * never two at once, its counts logged when any is non-zero and its failure logged and retried
 * at the next turn. The timer does not keep the process alive. Returns stop.
 */
import { createLogger } from './log';

export function every(name: string, everyMs: number, run: () => Promise<Record<string, number>>): () => void {
  const log = createLogger(name);
  let running = false;
  const turn = async () => {
    if (running) return;
    running = true;
    try {
      const counts = await run();
      if (Object.values(counts).some((n) => n > 0)) log.info(`${name} jobs`, counts);
    } catch (err) {
      log.warn(`${name} jobs failed; will retry`, { err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void turn(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

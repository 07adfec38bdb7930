/**
 * Periodic work of an instance (sweepers, reconciliation, the saga clock): `run` every `everyMs`,
 * never two at once, its counts logged when any is non-zero and its failure logged and retried
 * at the next turn. The timer does not keep the process alive. Returns stop, which also carries
 * `kick` (run a turn now; during a turn, run another right after it) and `settled` (resolves when
 * no turn is running).
 */
import { createLogger } from './log';

export interface Periodic {
  (): void;
  kick(): void;
  settled(): Promise<void>;
}

export function every(name: string, everyMs: number, run: () => Promise<Record<string, number>>): Periodic {
  const log = createLogger(name);
  let running: Promise<void> | undefined;
  let again = false;
  // A tick during a turn is skipped; a kick during a turn runs another right after it.
  const turn = (kicked: boolean): Promise<void> => {
    if (running) {
      again ||= kicked;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const counts = await run();
          if (Object.values(counts).some((n) => n > 0)) log.info(`${name} jobs`, counts);
        } catch (err) {
          log.warn(`${name} jobs failed; will retry`, { err });
        }
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void turn(false), everyMs);
  timer.unref();
  return Object.assign(() => clearInterval(timer), {
    kick: () => void turn(true),
    settled: async () => {
      await running;
    },
  });
}

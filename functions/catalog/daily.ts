/**
 * The once-a-day refresh of projections that change with the calendar rather than with events:
 * `units_sold_7d` (the sales window moves over the sales of completed orders, and in dev the seed's
 * synthetic ones) and `expires_soon` (lots come into and leave the 3-day window); it also forgets
 * order ids recorded long ago. Read routes `kick` it; the first request of a shop day on any instance claims it
 * (`daily_refresh` row) and runs it in the background, so no request waits for it.
 */
import { localDateOf } from '../shared/vietnam-time';
import { createLogger } from '../shared/log';
import type { UnitOfWork } from '../shared/unit-of-work';
import type { ProductCache } from './cache';
import type { ProjectionStore } from './store-projections';
import { commitWrite } from './writes';

const log = createLogger('catalog-daily');

/** The shop day (Vietnam, UTC+7, no daylight saving) of `now`, as YYYY-MM-DD. */
export const shopDay: (at: Date) => string = localDateOf;

/** Runs the daily refresh at most once per shop day per instance (and once per day across instances). */
export function dailyRefresher(deps: {
  /** The catalog's unit of work (the refresh emits no events). */
  work: UnitOfWork;
  projections: ProjectionStore;
  cache: ProductCache;
  now(): Date;
}) {
  let confirmed: string | undefined;
  let running: Promise<void> | undefined;

  /** Refreshes now if no instance did today; returns the SKUs whose expires_soon flipped. */
  const run = async (): Promise<string[]> => {
    return commitWrite(
      deps,
      (flipped) => flipped,
      async ({ tx }) => {
        if (!(await deps.projections.claimDailyRefresh(tx))) return [];
        const popularity = await deps.projections.refreshPopularity(tx);
        const skus = await deps.projections.refreshExpiresSoon(tx);
        const prunedOrders = await deps.projections.pruneOrderSales(tx);
        log.info('daily refresh', { popularity, expiresSoon: skus.length, prunedOrders });
        return skus;
      },
    );
  };

  return {
    run,
    /** Starts today's refresh in the background unless this instance saw it done today. */
    kick(): void {
      const day = shopDay(deps.now());
      if (confirmed === day || running) return;
      running = run()
        .then(() => {
          confirmed = day;
        })
        .catch((err: unknown) => log.warn('daily refresh failed; the next request retries', { err }))
        .finally(() => {
          running = undefined;
        });
    },
    /** Resolves when a refresh in flight is done (shutdown, tests). */
    async idle(): Promise<void> {
      await running;
    },
  };
}

/** The refresher's type. */
export type DailyRefresher = ReturnType<typeof dailyRefresher>;

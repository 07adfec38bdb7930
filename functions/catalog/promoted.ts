/**
 * The promoted list behind `GET /products/promoted`, memoised per page size so a busy home page
 * does not run the coverage query on every request. An entry lives at most `PROMOTED_TTL_MS` and
 * never past the next schedule boundary (a promotion starting or ending by the clock), and the
 * instance that consumes a promotion or product event drops every entry at once (events.ts). Other
 * instances (a Knative Trigger delivers each event to one pod) show the change within the TTL.
 */
import type { PromotedRow } from './store-listing';

/** The longest an instance serves a promoted list it has not been told is stale. */
export const PROMOTED_TTL_MS = 5_000;

/** One load of the list. */
export interface PromotedPage {
  /** The first `limit` promoted products. */
  rows: PromotedRow[];
  /** Milliseconds from the read until the clock next changes which promotions are live, or null. */
  nextChangeMs: number | null;
}

/** Where the list comes from: both parts read at one instant (one transaction). */
export interface PromotedSource {
  load(limit: number): Promise<PromotedPage>;
}

/** The memoised list: `get` a page, `invalidate` after a change. */
export interface PromotedList {
  get(limit: number): Promise<PromotedRow[]>;
  invalidate(): void;
}

/** Memoises `source`; `now` is injectable for tests. */
export function promotedList(
  source: PromotedSource,
  opts: { ttlMs?: number; now?: () => number } = {},
): PromotedList {
  const ttl = opts.ttlMs ?? PROMOTED_TTL_MS;
  const now = opts.now ?? Date.now;
  // A load in flight when the list is invalidated is dropped with the rest: it may predate the change.
  const entries = new Map<number, { until: number; rows: Promise<PromotedRow[]> }>();
  return {
    get(limit) {
      const started = now();
      const hit = entries.get(limit);
      if (hit && hit.until > started) return hit.rows;
      const load = source.load(limit);
      const entry = { until: started + ttl, rows: load.then((page) => page.rows) };
      entries.set(limit, entry);
      load.then(
        ({ nextChangeMs }) => {
          // Measured from the read, which came after `started`: the entry ends at the boundary or before.
          if (nextChangeMs !== null) entry.until = Math.min(entry.until, started + nextChangeMs);
        },
        () => {
          if (entries.get(limit) === entry) entries.delete(limit);
        },
      );
      return entry.rows;
    },
    invalidate() {
      entries.clear();
    },
  };
}

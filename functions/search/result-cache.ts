/**
 * A per-instance cache of search answers, keyed by the parsed query and valid only while the index
 * has not changed. The index's change mark is the `search.revisions` sequence, which every indexed
 * write advances: the instance polls it, and its own indexer reports changes as it commits them.
 *
 * A mark is only trusted once it has been stable for `settleMs`: a write that took an earlier
 * revision may commit after a later one, and Elasticsearch shows writes only after its refresh.
 * Answers computed while the mark is unsettled live `unsettledTtlMs` at most (and never past the
 * settle point), so the cache adds at most that much to the engine's own staleness, plus one poll
 * for writes indexed by another instance.
 */

/** Options of the result cache. */
export interface ResultCacheOptions {
  /** Most answers kept (least recently used go first); 0 turns the cache off. */
  maxEntries: number;
  /** Longest an answer lives even when nothing changes. */
  maxAgeMs: number;
  /** How long a change mark must hold before answers computed under it are trusted. */
  settleMs: number;
  /** Longest an answer computed under an unsettled mark lives (a micro-cache under steady writes). */
  unsettledTtlMs: number;
  now?: () => number;
}

interface Entry {
  value: unknown;
  mark: string;
  expiresAt: number;
}

/** The result cache. */
export interface ResultCache {
  /** The cached answer for `key` (`hit`), or `compute()`'s (shared by concurrent callers of one key). */
  get<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }>;
  /** Records the index's current change mark (from the poller). */
  observe(mark: string): void;
  /** The index changed here and now (this instance's indexer committed a write). */
  changed(): void;
  /** Forgets the mark: answers are computed, not cached, until the next `observe`. */
  unknown(): void;
  readonly size: number;
}

/** Creates a result cache; it caches nothing until it has observed a mark. */
export function createResultCache(opts: ResultCacheOptions): ResultCache {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<unknown>>();
  let mark: string | undefined;
  let since = 0;
  let local = 0;

  const reset = (next: string | undefined) => {
    mark = next;
    since = now();
    entries.clear();
    pending.clear();
  };

  return {
    async get<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
      if (opts.maxEntries <= 0 || mark === undefined) return { value: await compute(), hit: false };
      const hit = entries.get(key);
      if (hit && hit.mark === mark && now() < hit.expiresAt) {
        entries.delete(key); // most recently used goes last
        entries.set(key, hit);
        return { value: hit.value as T, hit: true };
      }
      const shared = pending.get(key);
      if (shared) return { value: (await shared) as T, hit: false };
      const under = mark;
      const startedAt = now();
      const settled = startedAt - since >= opts.settleMs;
      const promise = compute().then((value) => {
        if (pending.get(key) === promise) pending.delete(key);
        if (mark === under) {
          entries.delete(key);
          entries.set(key, {
            value,
            mark: under,
            expiresAt: settled
              ? startedAt + opts.maxAgeMs
              : Math.min(since + opts.settleMs, startedAt + opts.unsettledTtlMs),
          });
          while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value as string);
        }
        return value;
      });
      promise.catch(() => {
        if (pending.get(key) === promise) pending.delete(key);
      });
      pending.set(key, promise);
      return { value: await promise, hit: false };
    },
    observe(next) {
      if (next !== mark?.split('+')[0]) reset(next);
    },
    changed() {
      // A local change the poller may not have seen yet: a new mark, unsettled from now.
      reset(mark === undefined ? undefined : `${mark.split('+')[0]}+${++local}`);
    },
    unknown() {
      reset(undefined);
    },
    get size() {
      return entries.size;
    },
  };
}

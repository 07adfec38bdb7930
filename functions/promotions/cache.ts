/**
 * A value loaded at most once per `ttlMs` and shared by concurrent readers (one load in flight).
 * Quotes read every active promotion and the VAT table; loading them per quote would cost more
 * than pricing. A write on this instance drops the value at once; other instances see it within
 * `ttlMs` (PROMOTIONS_CACHE_MS, 1 s by default).
 */
export function cached<T>(load: () => Promise<T>, ttlMs: number, clock: () => number = Date.now) {
  let value: { v: T; at: number } | undefined;
  let inflight: Promise<T> | undefined;
  let generation = 0;
  return {
    async get(): Promise<T> {
      if (value && clock() - value.at < ttlMs) return value.v;
      if (!inflight) {
        const mine = generation;
        const started = clock();
        inflight = load()
          .then((v) => {
            if (mine === generation) value = { v, at: started };
            return v;
          })
          .finally(() => {
            inflight = undefined;
          });
      }
      return inflight;
    },
    /** Drops the value; a load already in flight is not kept. */
    invalidate(): void {
      generation++;
      value = undefined;
      inflight = undefined;
    },
  };
}

/**
 * A per-instance memory of slow reads: each key's value (a promise, so concurrent callers share
 * one read) is reused for `ttlMs`; a read that fails is forgotten at once; past `max` keys the
 * memory starts over. For data that may be a little stale (calendars, zones, suggestions).
 */
export interface Memo<K, V> {
  get(key: K): Promise<V>;
  /** Forgets one key (after this instance changed it). */
  drop(key: K): void;
}

/** Remembers `read(key)` for `ttlMs` per key. */
export function memoByKey<K, V>(ttlMs: number, read: (key: K) => Promise<V>, max = 10_000): Memo<K, V> {
  const held = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key) {
      const hit = held.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const value = read(key);
      if (held.size >= max) held.clear();
      held.set(key, { at: Date.now(), value });
      value.catch(() => {
        if (held.get(key)?.value === value) held.delete(key);
      });
      return value;
    },
    drop: (key) => void held.delete(key),
  };
}

/** Deterministic randomness for the seed generator: no Math.random, same seed → same stream. */

/** A random source returning floats in [0, 1). */
export type Rng = () => number;

/** The mulberry32 generator: a 32-bit state, fast and well mixed enough for test data. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function below(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Shuffles `items` in place (Fisher–Yates) and returns them. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(rng, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** A stable hash of `text` mapped to [0, 1) (FNV-1a with a final avalanche). */
export function hash01(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * Draws distinct integers from [0, n) without materialising [0, n): first 0 … fixed-1 in order,
 * then the rest in random order (a lazy Fisher–Yates shuffle that remembers only the swapped
 * positions). Returns null when exhausted.
 */
export function lazyPermutation(rng: Rng, n: number, fixed = 0): () => number | null {
  const swapped = new Map<number, number>();
  let next = 0;
  return () => {
    if (next >= n) return null;
    if (next < fixed) return next++;
    const j = next + below(rng, n - next);
    const picked = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(next) ?? next);
    next++;
    return picked;
  };
}

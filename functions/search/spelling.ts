/**
 * Typo tolerance without an engine's help: a vocabulary of folded words with their document
 * frequency, Damerau (optimal string alignment) distance with a cut-off, and "did you mean".
 * Edits allowed per word follow Elasticsearch's `fuzziness: AUTO:4,8` so both engines agree.
 */

/** Edits allowed for a word: none up to 3 characters, one up to 7, two from 8. */
export function maxEditsFor(word: string): number {
  const n = [...word].length;
  return n < 4 ? 0 : n < 8 ? 1 : 2;
}

/** Optimal-string-alignment distance (a transposition is one edit), or `max + 1` once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

/** A correction candidate. */
export interface Correction {
  word: string;
  distance: number;
  frequency: number;
}

/** Folded words of the index with the number of documents containing each. */
export class Vocabulary {
  private readonly byLength = new Map<number, string[]>();

  constructor(private readonly frequency: Map<string, number>) {
    for (const word of frequency.keys()) this.bucket(word);
  }

  private bucket(word: string): void {
    const n = [...word].length;
    const list = this.byLength.get(n);
    if (list) list.push(word);
    else this.byLength.set(n, [word]);
  }

  /** Number of distinct words. */
  get size(): number {
    return this.frequency.size;
  }

  /** True when the word occurs in some document. */
  has(word: string): boolean {
    return this.frequency.has(word);
  }

  /** Adds words seen in newly indexed documents. */
  add(words: Iterable<string>): void {
    for (const w of words) {
      const f = this.frequency.get(w);
      if (f === undefined) {
        this.frequency.set(w, 1);
        this.bucket(w);
      } else this.frequency.set(w, f + 1);
    }
  }

  /** Known words within the allowed edits of `word` (itself excluded), best first. */
  corrections(word: string, limit = 5): Correction[] {
    const max = maxEditsFor(word);
    if (max === 0) return [];
    const n = [...word].length;
    const out: Correction[] = [];
    for (let len = n - max; len <= n + max; len++)
      for (const candidate of this.byLength.get(len) ?? []) {
        if (candidate === word) continue;
        const distance = editDistance(word, candidate, max);
        if (distance <= max)
          out.push({ word: candidate, distance, frequency: this.frequency.get(candidate)! });
      }
    out.sort((a, b) => a.distance - b.distance || b.frequency - a.frequency || (a.word < b.word ? -1 : 1));
    return out.slice(0, limit);
  }

  /** The query with each unknown word replaced by its best correction, or undefined when nothing changes. */
  didYouMean(words: string[]): string | undefined {
    let changed = false;
    const fixed = words.map((w) => {
      if (this.has(w)) return w;
      const best = this.corrections(w, 1)[0];
      if (!best) return w;
      changed = true;
      return best.word;
    });
    return changed ? fixed.join(' ') : undefined;
  }
}

/**
 * Vietnamese-aware text handling shared by both engines: NFC normalisation and folding (from
 * shared/text.ts) and tokenisation. PostgreSQL's `unaccent` rules fold the same way; a test holds
 * the two together on the seed vocabulary.
 */

import { fold, normalizeText } from '../shared/text';

export { fold, normalizeText };

/** Lower-cased words (letters and digits, accents kept), NFC. */
export function tokenize(input: string): string[] {
  return (
    normalizeText(input)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** True when a word carries Vietnamese diacritics (so an exact-accent match is meaningful). */
export function hasDiacritics(word: string): boolean {
  return fold(word) !== word.toLowerCase();
}

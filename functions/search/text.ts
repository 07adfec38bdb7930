/**
 * Vietnamese-aware text handling shared by both engines: NFC normalisation, folding (accents
 * removed, đ → d) and tokenisation. PostgreSQL's `unaccent` rules fold the same way; a test holds
 * the two together on the seed vocabulary.
 */

/** NFC, trimmed, inner whitespace collapsed. */
export function normalizeText(input: string): string {
  return input.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Lower-case without diacritics; `đ`/`Đ` (which do not decompose) map to `d`. */
export function fold(input: string): string {
  return input
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .normalize('NFC');
}

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

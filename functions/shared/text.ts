/**
 * Vietnamese-aware text comparison shared by functions: NFC normalisation and folding (accents
 * removed, đ → d, lower case), so "Bà  Tư" and "ba tu" compare equal wherever names are matched
 * (search, promotion brands, delivery wards).
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

/** Basic Vietnamese text handling shared by every layer. Pure. */

/** NFC, the one form we store and compare. */
export function nfc(s: string): string {
  return s.normalize('NFC');
}

/** Collapse runs of white space (including NBSP) and trim. */
export function collapseSpaces(s: string): string {
  return s.replace(/[\s\u00a0\u2000-\u200b\u3000]+/gu, ' ').trim();
}

/** Remove Vietnamese diacritics: tone marks and vowel marks, and map đ/Đ to d/D. */
export function stripDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/**
 * The key under which two spellings of a header or a name compare equal:
 * NFC, case folded, trimmed, spaces collapsed, diacritics stripped.
 * "Số  ĐK" → "so dk"; "Hoà" and "Hòa" → "hoa".
 */
export function foldKey(s: string): string {
  return collapseSpaces(stripDiacritics(nfc(s)).toLowerCase());
}

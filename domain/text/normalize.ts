/** Basic Vietnamese text handling shared by every layer. Pure. */
import { memoizeShortStrings } from '../memo';

/** NFC, the one form we store and compare. */
export function nfc(s: string): string {
  return s.normalize('NFC');
}

/** Collapse runs of white space (including NBSP) and trim. */
const SPACES = /[\s\u00a0\u2000-\u200b\u3000]+/gu;
const UNUSUAL_SPACE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}|^ | $/u;

export function collapseSpaces(s: string): string {
  // Most cells have single plain spaces only: no new string for them.
  return UNUSUAL_SPACE.test(s) ? s.replace(SPACES, ' ').trim() : s;
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
export const foldKey: (s: string) => string = memoizeShortStrings((s) => collapseSpaces(stripDiacritics(nfc(s)).toLowerCase()));

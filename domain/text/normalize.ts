/** Basic Vietnamese text handling shared by every layer. Pure. */
import { memoizeShortStrings } from '../memo';

/**
 * Whether NFC leaves a text as it is, judged without normalizing: every character below
 * U+0300 (no combining marks) or a precomposed Vietnamese letter (U+1EA0–U+1EF9) is a starter
 * that nothing in that set composes with. Nearly every cell of an export is such text, and
 * `normalize` costs far more than this loop.
 */
function isNfcSafe(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x300 && (c < 0x1ea0 || c > 0x1ef9)) return false;
  }
  return true;
}

/** NFC, the one form we store and compare. */
export function nfc(s: string): string {
  return isNfcSafe(s) ? s : s.normalize('NFC');
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
const foldKeyOfText = memoizeShortStrings((s) => collapseSpaces(stripDiacritics(nfc(s)).toLowerCase()));

export function foldKey(s: string): string {
  // ASCII has nothing to normalize or strip: no memo needed.
  return /[^\u0000-\u007f]/.test(s) ? foldKeyOfText(s) : collapseSpaces(s.toLowerCase());
}

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

/** Whether a text holds a line break: CR, LF or both. */
export function hasLineBreak(s: string): boolean {
  return s.includes('\n') || s.includes('\r');
}

/** The lines of a text: CRLF, a lone CR (old Mac) and LF each end one. */
export function linesOf(s: string): string[] {
  return s.split(/\r\n|\r|\n/);
}

/**
 * Each precomposed letter up to the Vietnamese block that is an ASCII letter and marks, as
 * that letter (what decomposing and dropping the marks leaves), and đ/Đ as d/D; 0 for the rest.
 */
const ASCII_BASE = (() => {
  const table = new Uint8Array(0x1efa);
  for (let c = 0x80; c < table.length; c++) {
    const d = String.fromCharCode(c).normalize('NFD');
    if (d.length > 1 && d.charCodeAt(0) < 0x80 && /^\p{M}+$/u.test(d.slice(1))) table[c] = d.charCodeAt(0);
  }
  table[0x111] = 0x64;
  table[0x110] = 0x44;
  return table;
})();

/** Remove Vietnamese diacritics: tone marks and vowel marks, and map đ/Đ to d/D. */
export function stripDiacritics(s: string): string {
  // Letter by letter through the table when every letter is in it, as nearly all Vietnamese
  // text is: five times cheaper than decomposing. Anything else takes the long way.
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    const base = c < ASCII_BASE.length ? ASCII_BASE[c]! : 0;
    if (base === 0) return stripByDecomposing(s);
    out += s.slice(from, i) + String.fromCharCode(base);
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

function stripByDecomposing(s: string): string {
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

/**
 * Accent-insensitive search: what a person types ("nguyen van an", "Đỗ", "HOA") finds what
 * the register holds ("Nguyễn Văn An", "Đỗ", "Hoà"). Pure.
 */
import { foldKey } from './normalize';

/**
 * The search key of a text: diacritics and tones removed (đ → d), lower case, apostrophes
 * dropped ("H'Mông" → "hmong"), every other run of non-letters and non-digits one space.
 * Store it beside the text and compare a query's key with it.
 */
const ALREADY_A_KEY = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

export function searchKey(s: string): string {
  const folded = foldKey(s);
  // Folded Vietnamese is ASCII, and for ASCII these classes are the Unicode ones below, which
  // cost a property lookup per character: an import computes a key for every value it loads.
  // Most keys are already words of letters and digits one space apart, and are returned as they are.
  if (ALREADY_A_KEY.test(folded)) return folded;
  if (!/[^\u0000-\u007f]/.test(folded)) return folded.replace(/['`]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
  return folded
    .replace(/['’ʼ`]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

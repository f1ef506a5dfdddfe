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
export function searchKey(s: string): string {
  return foldKey(s)
    .replace(/['’ʼ`]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Two spellings place the tone of an open "oa", "oe", "uy" differently: "hòa", "khỏe", "thủy"
 * (the traditional placement, on the first vowel) and "hoà", "khoẻ", "thuỷ" (on the main vowel,
 * as school spelling rules teach). Registers and unit lists use both. Names are kept as
 * written and compared through canonicalToneKey. Pure.
 */
import { collapseSpaces, nfc } from './normalize';
import { parseSyllable, TONE_MARKS, toneVowelIndex } from './vietnamese-syllable';

function canonicalWord(word: string): string {
  const lower = word.toLowerCase();
  const s = parseSyllable(lower, { anyTonePlacement: true });
  if (!s || s.tone === 'ngang') return lower;
  const vowels = [...s.vowels];
  const at = toneVowelIndex(s, 'traditional');
  vowels[at] = `${vowels[at]}${TONE_MARKS[s.tone]}`;
  return `${s.initial}${vowels.join('')}${s.final}`.normalize('NFC');
}

/**
 * The key under which "Hoà"/"hòa", "Thuỷ"/"thủy", "qúy"/"quý" agree while "Hòa"/"Hóa" and
 * "Hòa"/"Hoa" do not: NFC, lower case, spaces collapsed, every syllable's tone on the vowel
 * of the traditional placement. Words that are not Vietnamese syllables are only lower-cased.
 */
export function canonicalToneKey(s: string): string {
  return collapseSpaces(nfc(s)).replace(/[\p{L}\p{M}]+/gu, canonicalWord);
}

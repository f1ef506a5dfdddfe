/**
 * The written Vietnamese syllable: initial consonant, vowel cluster, final consonant and one
 * tone (chính tả tiếng Việt as taught in schools and used by dictionaries). Used to judge
 * whether a word can be Vietnamese: mojibake detection scores candidate repairs with it, and
 * tone placement finds the vowel that carries the tone. Pure.
 */

export type Tone = 'ngang' | 'huyen' | 'hoi' | 'nga' | 'sac' | 'nang';

/** Combining tone marks, in NFD. */
export const TONE_MARKS: Readonly<Record<Exclude<Tone, 'ngang'>, string>> = {
  huyen: '\u0300',
  hoi: '\u0309',
  nga: '\u0303',
  sac: '\u0301',
  nang: '\u0323',
};
const TONE_OF_MARK = new Map(Object.entries(TONE_MARKS).map(([tone, mark]) => [mark, tone as Tone]));
const TONE_MARK_RE = /[\u0300\u0301\u0303\u0309\u0323]/gu;

export interface Syllable {
  /** Lower case, without tone: "ngh", "gi", "qu", "" … */
  initial: string;
  /** Lower case, without tone, vowel marks kept: "uyê", "ươ", "oa" … */
  vowels: string;
  final: string;
  tone: Tone;
}

/** Longest first, so "ngh" is tried before "ng" and "n". */
const INITIALS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x', ''];
const FINALS = new Set(['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't']);
const STOP_FINALS = new Set(['c', 'ch', 'p', 't']);
const VOWEL_RE = /^[aăâeêioôơuưy]+/u;

/** Vowel clusters that end a syllable: "mai", "người" (ươi), "khuỷu" (uyu). */
const OPEN_ONLY = new Set(['ai', 'ao', 'au', 'ay', 'âu', 'ây', 'eo', 'êu', 'ia', 'iu', 'oi', 'ôi', 'ơi', 'ua', 'ui', 'uơ', 'ưa', 'ưi', 'ưu', 'iêu', 'yêu', 'oai', 'oay', 'oao', 'oeo', 'uây', 'uôi', 'ươi', 'ươu', 'uya', 'uyu']);
/** Vowel clusters that may stand alone or take a final consonant: "ba", "ban". */
const OPEN_OR_CLOSED = new Set(['a', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y', 'oa', 'oe', 'uê', 'uy']);
/** Vowel clusters that need a final consonant: "ăn", "tiến", "muốn", "nguyễn", "xoong". */
const CLOSED_ONLY = new Set(['ă', 'â', 'iê', 'yê', 'uô', 'ươ', 'oă', 'uâ', 'uyê', 'oo']);
/** "ch" and "nh" close only these ("ách", "ếch", "ích", "hoạch", "khuếch", "huých", "quỳnh"). */
const BEFORE_CH_NH = new Set(['a', 'ê', 'i', 'y', 'oa', 'uê', 'uy']);

function clusterFits(vowels: string, final: string, initial: string): boolean {
  if (final === 'ch' || final === 'nh') return BEFORE_CH_NH.has(vowels) && (vowels !== 'y' || initial === 'qu');
  if (final === '') return OPEN_ONLY.has(vowels) || OPEN_OR_CLOSED.has(vowels);
  // A closed plain "y" is written only after "qu" ("quýt", "quyn"); elsewhere the cluster is "uy".
  if (vowels === 'y') return initial === 'qu';
  return OPEN_OR_CLOSED.has(vowels) || CLOSED_ONLY.has(vowels);
}

/** Splits a word's letters (any case, any Unicode form) from its one tone mark and the letter carrying it. */
export function splitTone(word: string): { letters: string; tone: Tone; toneAt: number } | undefined {
  let letters = '';
  let tone: Tone = 'ngang';
  let toneAt = -1;
  let count = 0;
  for (const ch of word.normalize('NFD')) {
    const t = TONE_OF_MARK.get(ch);
    if (t === undefined) {
      letters += ch;
      if (!/\p{M}/u.test(ch)) count++;
    } else if (toneAt >= 0) {
      return undefined;
    } else {
      tone = t;
      toneAt = count - 1;
    }
  }
  return { letters: letters.normalize('NFC'), tone, toneAt };
}

const MARKED_VOWEL = /[ăâêôơư]/u;

/**
 * Where in `vowels` the tone goes. Both placements put it on a vowel with its own mark (in
 * "ươ" the ơ) and, before a final consonant, on the last vowel; in an open cluster of three, on
 * the middle one; in an open cluster of two, on the first ("hòa", "thủy": the traditional
 * placement), except that the placement taught by school spelling rules puts it on the main
 * vowel of "oa", "oe", "uy" ("hoà", "thuỷ").
 */
export function toneVowelIndex({ vowels, final }: Pick<Syllable, 'vowels' | 'final'>, placement: 'traditional' | 'main-vowel'): number {
  const chars = [...vowels];
  const marked = chars.map((c, i) => (MARKED_VOWEL.test(c) ? i : -1)).filter((i) => i >= 0);
  if (marked.length > 0) return marked[marked.length - 1]!;
  if (final !== '') return chars.length - 1;
  if (chars.length === 3) return 1;
  if (placement === 'main-vowel' && (vowels === 'oa' || vowels === 'oe' || vowels === 'uy')) return 1;
  return 0;
}

/**
 * Parses one written syllable ("Nguyễn", "GIƯỜNG", "hoà" or "hòa"), or undefined when the word
 * cannot be a Vietnamese syllable: foreign letters, impossible clusters, a stop final with a
 * tone other than sắc or nặng, more than one tone mark, or (unless anyTonePlacement) the tone
 * on a vowel where neither placement puts it ("gìa", "hoăng").
 */
export function parseSyllable(word: string, options: { anyTonePlacement?: boolean } = {}): Syllable | undefined {
  const split = splitTone(word);
  if (!split) return undefined;
  const letters = split.letters.toLowerCase();
  for (const initial of INITIALS) {
    if (!letters.startsWith(initial)) continue;
    const rest = letters.slice(initial.length);
    // No vowel after "gi" ("gì", "gìn"): the i of "gi" is the syllable's vowel; the next try reads it so.
    const vowels = VOWEL_RE.exec(rest)?.[0];
    if (!vowels) continue;
    // The i after g is the i of "gi": "già" is gi + a, never g + ia.
    if (initial === 'g' && vowels.startsWith('i') && vowels !== 'i') continue;
    const final = rest.slice(vowels.length);
    if (!FINALS.has(final) || !clusterFits(vowels, final, initial)) continue;
    if (STOP_FINALS.has(final) && split.tone !== 'sac' && split.tone !== 'nang') continue;
    const syllable = { initial, vowels, final, tone: split.tone };
    if (split.tone !== 'ngang' && !options.anyTonePlacement) {
      const at = split.toneAt - [...initial].length;
      if (at !== toneVowelIndex(syllable, 'traditional') && at !== toneVowelIndex(syllable, 'main-vowel')) continue;
    }
    return syllable;
  }
  return undefined;
}

export function isVietnameseSyllable(word: string): boolean {
  return parseSyllable(word) !== undefined;
}

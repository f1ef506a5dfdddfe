/**
 * Vietnamese alphabetical order, as Vietnamese dictionaries sort (the convention of
 * Từ điển tiếng Việt, Hoàng Phê ed., Viện Ngôn ngữ học): letters first, in the alphabet
 * a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z of loanwords in their
 * Latin places); then, for words spelled alike, the tones in the order ngang, huyền, hỏi, ngã,
 * sắc, nặng; then lower case before upper case. The tone belongs to the syllable, so "hoà"
 * and "hòa" tie there; a last comparison by code point makes the order total. Pure.
 */
import { nfc } from './normalize';
import { splitTone } from './vietnamese-syllable';

const ALPHABET = [...'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz'];
const LETTER_RANK = new Map(ALPHABET.map((l, i) => [l, 2000 + i]));
const TONE_RANK = { ngang: 0, huyen: 1, hoi: 2, nga: 3, sac: 4, nang: 5 } as const;
const TONE_MARK_RE = /[\u0300\u0301\u0303\u0309\u0323]/gu;

const rankCache = new Map<string, number>();

/** Space and punctuation before digits, digits before letters, anything else after them. */
function letterRank(ch: string): number {
  let rank = rankCache.get(ch);
  if (rank === undefined) {
    const base = ch.toLowerCase().normalize('NFD').replace(TONE_MARK_RE, '').normalize('NFC');
    const cp = base.codePointAt(0)!;
    rank = LETTER_RANK.get(base) ?? (cp >= 0x30 && cp <= 0x39 ? 1000 + cp : cp < 0x80 ? cp : 10000 + cp);
    // Bounded by the characters of the text sorted: letters, digits and signs, not words.
    if (rankCache.size < 10000) rankCache.set(ch, rank);
  }
  return rank;
}

/** The tones of a text's words, in order. */
function wordTones(text: string): number[] {
  const tones: number[] = [];
  for (const word of text.match(/[\p{L}\p{M}]+/gu) ?? []) {
    const split = splitTone(word);
    if (split) tones.push(TONE_RANK[split.tone]);
    // A word with several tone marks is no syllable; its marks still order it, in turn.
    else for (const m of word.normalize('NFD').match(TONE_MARK_RE) ?? []) tones.push(TONE_RANK[splitTone(`a${m}`)!.tone]);
  }
  return tones;
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A comparator for Array.prototype.sort: negative when a sorts before b, 0 only for equal NFC text. */
export function compareVietnamese(a: string, b: string): number {
  const ta = nfc(a);
  const tb = nfc(b);
  const ca = [...ta];
  const cb = [...tb];
  // Most pairs differ in their letters early: compare those first, without building the other levels.
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const d = letterRank(ca[i]!) - letterRank(cb[i]!);
    if (d !== 0) return d;
  }
  const upper = (cs: string[]) => cs.map((c) => (c !== c.toLowerCase() ? 1 : 0));
  return ca.length - cb.length || compareLists(wordTones(ta), wordTones(tb)) || compareLists(upper(ca), upper(cb)) || (ta < tb ? -1 : ta > tb ? 1 : 0);
}

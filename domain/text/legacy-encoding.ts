/**
 * Vietnamese typed in the pre-Unicode encodings and read back as Windows-1252/Latin-1
 * ("mojibake"): TCVN3 (ABC; fonts .VnTime, .VnTimeH) and VNI (VNI-Windows; fonts VNI-Times).
 * Repair is conservative and goes word by word, since a cell may be typed partly in the old
 * font and completed in Unicode ("§ç Văn Lộc"). A word is repaired when it is decidably
 * legacy-encoded (legacyWordEncoding: 8-bit characters only, no Vietnamese syllable nor ASCII
 * as it stands, read as a syllable by exactly one of the two encodings); every other word is
 * left as received, so Unicode text is never changed. One exception, for whole cells typed in
 * the old font: a cell of 8-bit characters only whose decidable words show one encoding, and
 * that the encoding reads without making any word invalid, is read wholly in that encoding
 * (wholeCellEncoding). The original value is always returned beside the repair.
 */
import { memoizeShortStrings } from '../memo';
import { collapseSpaces, nfc } from './normalize';
import { isVietnameseSyllable } from './vietnamese-syllable';

/** One of the two old encodings. */
export type LegacyTable = 'tcvn3' | 'vni';
/** What a repaired text was written in: one old encoding, or words of each. */
export type LegacyEncoding = LegacyTable | 'tcvn3+vni';

/**
 * TCVN 5712:1993, character set VN3 (the 8-bit set of the ABC fonts .VnTime/.VnArial): the
 * code of each letter, written as the Latin-1 character a Windows reading shows for that byte.
 * VN3 has the seven upper-case letters Ă Â Ê Ô Ơ Ư Đ but no upper-case toned letters; those
 * were typed with the lower-case codes in an upper-case font (.VnTimeH), which displays every
 * code as a capital.
 */
const TCVN3_TABLE: ReadonlyArray<readonly [letter: string, code: number]> = [
  ['Ă', 0xa1], ['Â', 0xa2], ['Ê', 0xa3], ['Ô', 0xa4], ['Ơ', 0xa5], ['Ư', 0xa6], ['Đ', 0xa7],
  ['ă', 0xa8], ['â', 0xa9], ['ê', 0xaa], ['ô', 0xab], ['ơ', 0xac], ['ư', 0xad], ['đ', 0xae],
  ['à', 0xb5], ['ả', 0xb6], ['ã', 0xb7], ['á', 0xb8], ['ạ', 0xb9],
  ['ằ', 0xbb], ['ẳ', 0xbc], ['ẵ', 0xbd], ['ắ', 0xbe], ['ặ', 0xc6],
  ['ầ', 0xc7], ['ẩ', 0xc8], ['ẫ', 0xc9], ['ấ', 0xca], ['ậ', 0xcb],
  ['è', 0xcc], ['ẻ', 0xce], ['ẽ', 0xcf], ['é', 0xd0], ['ẹ', 0xd1],
  ['ề', 0xd2], ['ể', 0xd3], ['ễ', 0xd4], ['ế', 0xd5], ['ệ', 0xd6],
  ['ì', 0xd7], ['ỉ', 0xd8], ['ĩ', 0xdc], ['í', 0xdd], ['ị', 0xde],
  ['ò', 0xdf], ['ỏ', 0xe1], ['õ', 0xe2], ['ó', 0xe3], ['ọ', 0xe4],
  ['ồ', 0xe5], ['ổ', 0xe6], ['ỗ', 0xe7], ['ố', 0xe8], ['ộ', 0xe9],
  ['ờ', 0xea], ['ở', 0xeb], ['ỡ', 0xec], ['ớ', 0xed], ['ợ', 0xee],
  ['ù', 0xef], ['ủ', 0xf1], ['ũ', 0xf2], ['ú', 0xf3], ['ụ', 0xf4],
  ['ừ', 0xf5], ['ử', 0xf6], ['ữ', 0xf7], ['ứ', 0xf8], ['ự', 0xf9],
  ['ỳ', 0xfa], ['ỷ', 0xfb], ['ỹ', 0xfc], ['ý', 0xfd], ['ỵ', 0xfe],
];

/**
 * VNI-Windows (VNI Software; fonts VNI-Times): a vowel is its base letter followed by one mark
 * character, chosen by the vowel mark and tone. Columns: no tone, sắc, huyền, hỏi, ngã, nặng.
 * Upper-case letters take the upper-case base and mark (A + Ù = Á).
 */
const VNI_MARKS = {
  tone: ['', 'ù', 'ø', 'û', 'õ', 'ï'],
  circumflex: ['â', 'á', 'à', 'å', 'ã', 'ä'],
  breve: ['ê', 'é', 'è', 'ú', 'ü', 'ë'],
} as const;
/** Letters VNI writes as one character of their own: ơ, ư, đ, the toned i, and ỵ. */
const VNI_SINGLE: ReadonlyArray<readonly [letter: string, vni: string]> = [
  ['ơ', 'ô'], ['ư', 'ö'], ['đ', 'ñ'], ['í', 'í'], ['ì', 'ì'], ['ỉ', 'æ'], ['ĩ', 'ó'], ['ị', 'ò'], ['ỵ', 'î'],
];
/** Unicode combining tones in the column order of VNI_MARKS. */
const TONE_COLUMNS = ['', '\u0301', '\u0300', '\u0309', '\u0303', '\u0323'];

const tcvn3Decode = new Map<string, string>();
const tcvn3Encode = new Map<string, string>();
for (const [letter, code] of TCVN3_TABLE) {
  tcvn3Decode.set(String.fromCharCode(code), letter);
  tcvn3Encode.set(letter, String.fromCharCode(code));
}

const vniDecode = new Map<string, string>();
const vniEncode = new Map<string, string>();
function addVni(letter: string, vni: string): void {
  for (const [l, v] of [[letter, vni], [letter.toUpperCase(), vni.toUpperCase()]] as const) {
    vniEncode.set(l, v);
    vniDecode.set(v, l);
  }
}
TONE_COLUMNS.forEach((tone, i) => {
  const add = (bases: string, mark: string, vowelMark = '') => {
    for (const base of bases) if (vowelMark || tone) addVni(`${base}${vowelMark}${tone}`.normalize('NFC'), `${base}${mark}`);
  };
  // ỵ is a single character (below), not "y" + the nặng mark.
  add(tone === '\u0323' ? 'aeou' : 'aeouy', VNI_MARKS.tone[i]!);
  add('aeo', VNI_MARKS.circumflex[i]!, '\u0302');
  add('a', VNI_MARKS.breve[i]!, '\u0306');
  // ơ and ư carry their tone as a mark after their own character.
  if (tone) for (const [horned, single] of [['ơ', 'ô'], ['ư', 'ö']]) addVni(`${horned}${tone}`.normalize('NFC'), `${single}${VNI_MARKS.tone[i]!}`);
});
for (const [letter, vni] of VNI_SINGLE) addVni(letter, vni);

/** Characters of a word: letters, marks, and the TCVN3 codes that Latin-1 shows as symbols (µ ¸ « …). */
const WORD_CHARS = `\\p{L}\\p{M}${[...tcvn3Decode.keys()].join('').replace(/[\]\\^-]/g, '\\$&')}`;
const WORD_RE = new RegExp(`[${WORD_CHARS}]+`, 'gu');
const WORD_CHAR = new RegExp(`^[${WORD_CHARS}]$`, 'u');
/** What a Windows-1252 or Latin-1 reading of bytes can produce. */
const READABLE_AS_8_BIT = /^[\u0000-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/u;
const ASCII = /^[\u0000-\u007f]*$/;

/** The words the repair judges one by one: runs of letters, marks and TCVN3 codes ("X·", "«"). */
export function wordsOf(text: string): string[] {
  return text.match(WORD_RE) ?? [];
}

/**
 * Text typed in an upper-case font (.VnTimeH) holds lower-case codes for the toned capitals:
 * "NGUYÔN" is "NGUYỄN". A text, or a word, whose Latin letters are all capitals (two at
 * least, so "Hµ" stays "Hà") is taken to be such text.
 */
function allCapitals(s: string): boolean {
  const latin = s.match(/[a-z]/gi) ?? [];
  return latin.length >= 2 && latin.every((c) => c === c.toUpperCase());
}

/** One word read as TCVN3, in a text that is (`upperText`) or is not in capitals. */
function decodeTcvn3Word(word: string, upperText: boolean): string {
  const decoded = [...word].map((c) => tcvn3Decode.get(c) ?? c).join('');
  return (upperText || allCapitals(word) ? decoded.toUpperCase() : decoded).normalize('NFC');
}

export function decodeTcvn3(text: string): string {
  const upperText = allCapitals(text);
  // Every TCVN3 code is a word character, so decoding word by word decodes the whole text.
  return text.replace(WORD_RE, (word) => decodeTcvn3Word(word, upperText)).normalize('NFC');
}

/** Unicode → TCVN3 as a .VnTime user typed it: toned capitals take the lower-case codes. */
export function encodeTcvn3(text: string): string {
  let out = '';
  for (const ch of nfc(text)) out += tcvn3Encode.get(ch) ?? tcvn3Encode.get(ch.toLowerCase()) ?? ch;
  return out;
}

export function decodeVni(text: string): string {
  const chars = [...text];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1];
    // A mark follows its base in either case ("Nguyeãn", "NGUYEÃN", even "NGUYEãN").
    const pair = next === undefined ? undefined : vniDecode.get(ch.toLowerCase() + next.toLowerCase());
    if (pair) {
      out += ch === ch.toLowerCase() ? pair : pair.toUpperCase();
      i++;
    } else {
      out += vniDecode.get(ch) ?? ch;
    }
  }
  return out.normalize('NFC');
}

export function encodeVni(text: string): string {
  let out = '';
  for (const ch of nfc(text)) out += vniEncode.get(ch) ?? ch;
  return out;
}

const TABLES: readonly LegacyTable[] = ['tcvn3', 'vni'];
const DECODERS: Record<LegacyTable, (text: string) => string> = { tcvn3: decodeTcvn3, vni: decodeVni };
const ENCODERS: Record<LegacyTable, (text: string) => string> = { tcvn3: encodeTcvn3, vni: encodeVni };

/** One word read in an encoding; a VNI mark never leaves its word, so a word reads alike alone or in its text. */
function decodeWord(encoding: LegacyTable, word: string, upperText: boolean): string {
  return encoding === 'tcvn3' ? decodeTcvn3Word(word, upperText) : decodeVni(word);
}

/**
 * A Vietnamese syllable written as a person types one: in lower case, in capitals, or with a
 * capital first letter. "TuÊn" parses, but only a legacy code in mid-word puts a capital there
 * (TCVN3 writes ấ as the byte Latin-1 shows as Ê).
 */
function typedAsSyllable(word: string): boolean {
  const rest = word.slice(1);
  return (rest === rest.toLowerCase() || word === word.toUpperCase()) && isVietnameseSyllable(word);
}

/**
 * The legacy encoding a word decidably shows, or undefined. Decidable: the word has two
 * characters or more (a lone "«" or "×" is a sign as often as a letter), every one of them an
 * 8-bit reading shows, it is not ASCII and not itself a Vietnamese syllable (so no word a
 * person could have typed in Unicode or plain ASCII), and exactly one of TCVN3 and VNI reads
 * it as a Vietnamese syllable cased as typed ("ñi" is VNI "đi" and TCVN3 "ủi": no evidence for
 * either; TCVN3 "ÐC" reads "éC", which is no word as typed). The two tables never read a changed
 * letter alike, so two readings are always two different words.
 */
export const legacyWordEncoding: (word: string) => LegacyTable | undefined = memoizeShortStrings((word) => {
  if (word.length < 2 || !READABLE_AS_8_BIT.test(word) || ASCII.test(word) || typedAsSyllable(word)) return undefined;
  const readAs = TABLES.filter((e) => {
    const read = decodeWord(e, word, false);
    return read !== word && typedAsSyllable(read);
  });
  return readAs.length === 1 ? readAs[0] : undefined;
});

/**
 * The encoding a cell of 8-bit characters only was typed in as a whole, or undefined: its
 * decidable words all show that encoding, and the encoding reads every word beyond ASCII as a
 * Vietnamese syllable or a lone letter, except words it writes as they are ("bình" in VNI): a
 * word it leaves as it is but would write otherwise ("Hoàng", as TCVN3 has no code for à) was
 * not typed in it. Such a cell is read wholly in that encoding, words that are Vietnamese
 * either way included ("Tröông Thò Hoa" is VNI "Trương Thị Hoa"): nothing in 8-bit text tells
 * a word typed in Unicode from one typed in the old font, and whole cells typed in it are what
 * old registers hold. The price: a cell typed partly in the old font and completed in Unicode
 * whose letters are 8-bit too ("§ç Minh Tâm") is read as old-font text throughout ("Đỗ Minh
 * Tõm"), as every such cell was before words were judged one by one.
 */
function wholeCellEncoding(text: string, cellWords: readonly string[], decided: readonly (LegacyTable | undefined)[], upperText: boolean): LegacyTable | undefined {
  if (!READABLE_AS_8_BIT.test(text)) return undefined;
  const encoding = decided.find((e) => e !== undefined);
  if (encoding === undefined || decided.some((e) => e !== undefined && e !== encoding)) return undefined;
  const readsWell = cellWords.every((w) => {
    const read = decodeWord(encoding, w, upperText);
    if (read === w) return ASCII.test(w) || ENCODERS[encoding](w) === w;
    // A lone letter ("ă" from VNI "aê", "ô" from TCVN3 "«") is a syllable as often as a letter or a sign.
    return [...read].length < 2 || typedAsSyllable(read);
  });
  return readsWell ? encoding : undefined;
}

function repairText(text: string): { text: string; encoding: LegacyEncoding } | undefined {
  const cellWords = wordsOf(text);
  const decided = cellWords.map(legacyWordEncoding);
  if (decided.every((e) => e === undefined)) return undefined;
  const upperText = allCapitals(text);
  const whole = wholeCellEncoding(text, cellWords, decided, upperText);
  if (whole) return { text: DECODERS[whole](text), encoding: whole };
  // Word by word: a cell typed partly in the old font and completed in Unicode, or in both old encodings.
  const used = new Set<LegacyTable>();
  const repaired = text.replace(WORD_RE, (w) => {
    const e = legacyWordEncoding(w);
    if (!e) return w;
    used.add(e);
    return decodeWord(e, w, upperText);
  });
  return { text: repaired.normalize('NFC'), encoding: used.size > 1 ? 'tcvn3+vni' : [...used][0]! };
}

/** The name a note on the row gives the encoding. */
export function legacyEncodingName(encoding: LegacyEncoding): string {
  return { tcvn3: 'TCVN3', vni: 'VNI', 'tcvn3+vni': 'TCVN3 và VNI' }[encoding];
}

/** The legacy encoding a text shows, or null when it reads as it is. */
export function detectLegacyEncoding(text: string): LegacyEncoding | null {
  return repairText(nfc(text))?.encoding ?? null;
}

export interface Repaired {
  /** NFC; repaired when the value held legacy-encoded words. */
  text: string;
  /** The value as received, always kept beside the repair. */
  original: string;
  encoding: LegacyEncoding | null;
}

/** NFC, and legacy-encoding repair of the words that read as TCVN3 or VNI mojibake. */
export const repairVietnamese: (value: string) => Readonly<Repaired> = memoizeShortStrings((value) => {
  const normalized = nfc(value);
  const repaired = repairText(normalized);
  return Object.freeze({ text: repaired?.text ?? normalized, original: value, encoding: repaired?.encoding ?? null });
});

const remembered = (text: string) => repairVietnamese(collapseSpaces(text));

/**
 * How the one-pass scan of repairCellText sees each character up to U+02FF: not part of a
 * word, an ASCII letter, a word character an 8-bit reading shows, or a letter it cannot show
 * (ă, đ, ơ, ư, ĩ, ũ …). Built from the same definitions as the words themselves.
 */
const SEPARATOR = 0;
const ASCII_LETTER = 1;
const EIGHT_BIT = 2;
const BEYOND = 3;
const SCAN_CLASS = Uint8Array.from({ length: 0x300 }, (_, c) => {
  const ch = String.fromCharCode(c);
  if (!WORD_CHAR.test(ch)) return SEPARATOR;
  if (c < 0x80) return ASCII_LETTER;
  return READABLE_AS_8_BIT.test(ch) ? EIGHT_BIT : BEYOND;
});

/**
 * `repairVietnamese(collapseSpaces(text))`, told in one pass over the text when there is
 * nothing to do: no unusual space, nothing NFC would change, and no word that could be
 * legacy-encoded (every word is ASCII, has a letter no 8-bit reading shows, as most
 * Vietnamese words have, or is not decidably legacy: "Hà", "Tâm"). Such text, nearly every
 * cell of an export, needs no memo of whole cells and no regular expression.
 */
export function repairCellText(text: string): Readonly<Repaired> {
  const last = text.length - 1;
  let wordStart = 0;
  let eightBit = false;
  let beyond = false;
  for (let i = 0; i <= last + 1; i++) {
    const c = i > last ? 32 : text.charCodeAt(i);
    let cls: number;
    if (c < 0x80) {
      if (i <= last && (c === 32 ? i === 0 || i === last || text.charCodeAt(i - 1) === 32 : c >= 9 && c <= 13)) return remembered(text);
      cls = SCAN_CLASS[c]!;
    } else if (c < 0x300) {
      if (c === 0xa0) return remembered(text);
      cls = SCAN_CLASS[c]!;
    } else if (c >= 0x1ea0 && c <= 0x1ef9) {
      // Precomposed Vietnamese letters; everything else from U+0300 on (marks, unusual spaces, …) takes the long way.
      cls = BEYOND;
    } else {
      return remembered(text);
    }
    if (cls !== SEPARATOR) {
      if (cls === EIGHT_BIT) eightBit = true;
      else if (cls === BEYOND) beyond = true;
      continue;
    }
    if (eightBit && !beyond && i - wordStart >= 2 && legacyWordEncoding(text.slice(wordStart, i))) return remembered(text);
    wordStart = i + 1;
    eightBit = false;
    beyond = false;
  }
  return { text, original: text, encoding: null };
}

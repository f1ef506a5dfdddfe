/**
 * Vietnamese typed in the pre-Unicode encodings and read back as Windows-1252/Latin-1
 * ("mojibake"): TCVN3 (ABC; fonts .VnTime, .VnTimeH) and VNI (VNI-Windows; fonts VNI-Times).
 * Repair is conservative: text with any character beyond Latin-1 cannot be such mojibake and
 * is never touched (so every Vietnamese text written with ă, đ, ơ, ư or most toned letters is
 * safe at once); for the rest, a candidate repair is taken only when it turns words that cannot
 * be Vietnamese into Vietnamese syllables, clearly and on balance, and the result is itself
 * settled. The original value is always returned beside the repair.
 */
import { memoizeShortStrings } from '../memo';
import { collapseSpaces, nfc } from './normalize';
import { isVietnameseSyllable } from './vietnamese-syllable';

export type LegacyEncoding = 'tcvn3' | 'vni';

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
const WORD_RE = new RegExp(`[\\p{L}\\p{M}${[...tcvn3Decode.keys()].join('').replace(/[\]\\^-]/g, '\\$&')}]+`, 'gu');
/** What a Windows-1252 or Latin-1 reading of bytes can produce. */
const READABLE_AS_8_BIT = /^[\u0000-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/u;
const VIETNAMESE_LETTER = /^[a-zA-ZàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]$/u;

/**
 * Text typed in an upper-case font (.VnTimeH) holds lower-case codes for the toned capitals:
 * "NGUYÔN" is "NGUYỄN". A text, or a word, whose Latin letters are all capitals (two at
 * least, so "Hµ" stays "Hà") is taken to be such text.
 */
function allCapitals(s: string): boolean {
  const latin = s.match(/[a-z]/gi) ?? [];
  return latin.length >= 2 && latin.every((c) => c === c.toUpperCase());
}

export function decodeTcvn3(text: string): string {
  const upperText = allCapitals(text);
  // Every TCVN3 code is a word character, so decoding word by word decodes the whole text.
  return text
    .replace(WORD_RE, (word) => {
      const decoded = [...word].map((c) => tcvn3Decode.get(c) ?? c).join('');
      return upperText || allCapitals(word) ? decoded.toUpperCase() : decoded;
    })
    .normalize('NFC');
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

const DECODERS: Record<LegacyEncoding, (text: string) => string> = { tcvn3: decodeTcvn3, vni: decodeVni };

type WordClass = 'ascii' | 'vietnamese' | 'invalid' | 'foreign';
const WORD_SCORE: Record<WordClass, number> = { ascii: 0, vietnamese: 2, invalid: -1, foreign: -3 };

function classify(word: string): WordClass {
  if (/^[\u0000-\u007f]*$/.test(word)) return 'ascii';
  if (![...word].every((c) => VIETNAMESE_LETTER.test(c))) return 'foreign';
  return isVietnameseSyllable(word) ? 'vietnamese' : 'invalid';
}

/** Words of a text in order; decoding keeps word boundaries, so the lists align. */
function words(text: string): string[] {
  return text.match(WORD_RE) ?? [];
}

/**
 * How much better a decoding reads than the text as received, or undefined when it is no
 * repair: more of its changed words (of two letters or more) must turn from something else
 * into Vietnamese syllables than end up as something else.
 */
function gain(original: string, decoded: string): number | undefined {
  const originalWords = words(original);
  const decodedWords = words(decoded);
  if (originalWords.length !== decodedWords.length) return undefined;
  let score = 0;
  let evidence = 0;
  let against = 0;
  originalWords.forEach((word, i) => {
    const repaired = decodedWords[i]!;
    if (repaired === word) return;
    const before = classify(word);
    const after = classify(repaired);
    score += WORD_SCORE[after] - WORD_SCORE[before];
    // A lone sign read as a lone vowel ("×" as "ì", "«" as "ô") is no evidence either way,
    // nor is one Vietnamese word read as another ("tháng" as TCVN3 "thỏng").
    if ([...word].length === 1) return;
    if (after === 'vietnamese' && before !== 'vietnamese') evidence++;
    else if (after !== 'vietnamese') against++;
  });
  return score > 0 && evidence > against ? score : undefined;
}

function bestDecoding(text: string): { encoding: LegacyEncoding; text: string } | undefined {
  if (!READABLE_AS_8_BIT.test(text) || !/[\u0080-\uffff]/u.test(text)) return undefined;
  const scored = (Object.keys(DECODERS) as LegacyEncoding[])
    .map((encoding) => {
      const decoded = DECODERS[encoding](text);
      return { encoding, text: decoded, gain: gain(text, decoded) };
    })
    .filter((c): c is { encoding: LegacyEncoding; text: string; gain: number } => c.gain !== undefined)
    .sort((a, b) => b.gain - a.gain);
  const [best, second] = scored;
  // Two encodings reading equally well is no evidence for either; a repair must itself be settled.
  if (!best || (second && second.gain === best.gain) || bestDecoding(best.text)) return undefined;
  return { encoding: best.encoding, text: best.text };
}

/** The legacy encoding a text shows, or null when it reads as it is. */
export function detectLegacyEncoding(text: string): LegacyEncoding | null {
  return bestDecoding(nfc(text))?.encoding ?? null;
}

export interface Repaired {
  /** NFC; repaired when the value was legacy-encoded. */
  text: string;
  /** The value as received, always kept beside the repair. */
  original: string;
  encoding: LegacyEncoding | null;
}

/** NFC, and legacy-encoding repair when the text reads as TCVN3 or VNI mojibake. */
export const repairVietnamese: (value: string) => Readonly<Repaired> = memoizeShortStrings((value) => {
  const normalized = nfc(value);
  const repaired = bestDecoding(normalized);
  return Object.freeze({ text: repaired?.text ?? normalized, original: value, encoding: repaired?.encoding ?? null });
});

/** Windows-1252's characters beyond Latin-1 below U+0300: an 8-bit reading can show them. */
const CP1252_BELOW_COMBINING = new Set([...'ŒœŠšŸŽžƒˆ˜'].map((c) => c.charCodeAt(0)));

const remembered = (text: string) => repairVietnamese(collapseSpaces(text));

/**
 * `repairVietnamese(collapseSpaces(text))`, told in one pass over the text when there is
 * nothing to do: no unusual space, nothing NFC would change, and either nothing beyond ASCII
 * or a character no 8-bit reading shows (as most Vietnamese has: ă, đ, ơ, ư, ạ, ễ …). Such
 * text, nearly every cell of an export, needs neither the memo nor a regular expression.
 */
export function repairCellText(text: string): Readonly<Repaired> {
  let high = false;
  let beyond8Bit = false;
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 32 ? i === 0 || i === last || text.charCodeAt(i - 1) === 32 : c >= 9 && c <= 13) return remembered(text);
      continue;
    }
    high = true;
    if (c === 0xa0) return remembered(text);
    if (c < 0x100) continue;
    // Precomposed Vietnamese letters; everything else from U+0300 on (marks, unusual spaces, …) takes the long way.
    if (c >= 0x1ea0 && c <= 0x1ef9) beyond8Bit = true;
    else if (c >= 0x300) return remembered(text);
    else if (!CP1252_BELOW_COMBINING.has(c)) beyond8Bit = true;
  }
  return high && !beyond8Bit ? remembered(text) : { text, original: text, encoding: null };
}

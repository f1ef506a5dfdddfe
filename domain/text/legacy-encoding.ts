/**
 * Vietnamese text typed in the pre-Unicode encodings and read back as Windows-1252/Latin-1
 * ("mojibake"): TCVN3 (ABC, TCVN 5712:1993, fonts .VnTime) and VNI (VNI-Windows, fonts
 * VNI-Times). Detection is conservative: it acts only on characters that correct Vietnamese
 * never contains, so valid Unicode Vietnamese (and plain ASCII) is never touched.
 */

/** The 67 lower-case letters TCVN3 encodes one byte each, and the 7 upper-case base letters, in table order. */
const UNICODE_LETTERS = 'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ';
/** TCVN 5712:1993 (VN3) code points of the letters above, as Latin-1 characters. */
const TCVN3_LETTERS = 'µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦';

const tcvn3ToUnicode = new Map<string, string>();
const unicodeToTcvn3 = new Map<string, string>();
[...UNICODE_LETTERS].forEach((u, i) => {
  const t = [...TCVN3_LETTERS][i]!;
  tcvn3ToUnicode.set(t, u);
  unicodeToTcvn3.set(u, t);
});

/**
 * VNI-Windows writes a letter as its base letter followed by one mark character; ơ, ư, đ and
 * the toned i and ỵ are single characters. Marks by diacritic: tone on a plain or horn vowel,
 * circumflex (+ tone), breve (+ tone).
 */
const VNI_TONES = { '': '', '\u0301': 'ù', '\u0300': 'ø', '\u0309': 'û', '\u0303': 'õ', '\u0323': 'ï' } as const;
const VNI_CIRCUMFLEX = { '': 'â', '\u0301': 'á', '\u0300': 'à', '\u0309': 'å', '\u0303': 'ã', '\u0323': 'ä' } as const;
const VNI_BREVE = { '': 'ê', '\u0301': 'é', '\u0300': 'è', '\u0309': 'ú', '\u0303': 'ü', '\u0323': 'ë' } as const;
const VNI_SINGLE: Record<string, string> = { 'í': 'í', 'ì': 'ì', 'ỉ': 'æ', 'ĩ': 'ó', 'ị': 'ò', 'ỵ': 'î', 'đ': 'ñ', 'ơ': 'ô', 'ư': 'ö' };

const unicodeToVni = new Map<string, string>();
const vniToUnicode = new Map<string, string>();
function addVni(letter: string, vni: string): void {
  unicodeToVni.set(letter, vni);
  vniToUnicode.set(vni, letter);
  const upper = letter.toUpperCase();
  const vniUpper = vni.toUpperCase();
  unicodeToVni.set(upper, vniUpper);
  vniToUnicode.set(vniUpper, upper);
}
for (const [tone, toneMark] of Object.entries(VNI_TONES)) {
  for (const base of ['a', 'e', 'o', 'u', 'y']) if (tone) addVni(`${base}${tone}`.normalize('NFC'), `${base}${toneMark}`);
  for (const [horned, single] of [['ơ', 'ô'], ['ư', 'ö']] as const) if (tone) addVni(`${horned}${tone}`.normalize('NFC'), `${single}${toneMark}`);
}
for (const [tone, mark] of Object.entries(VNI_CIRCUMFLEX)) for (const base of ['a', 'e', 'o']) addVni(`${base}\u0302${tone}`.normalize('NFC'), `${base}${mark}`);
for (const [tone, mark] of Object.entries(VNI_BREVE)) addVni(`a\u0306${tone}`.normalize('NFC'), `a${mark}`);
for (const [letter, vni] of Object.entries(VNI_SINGLE)) addVni(letter, vni);
// The toned i and ỵ are whole characters in VNI; "yù" style pairs cover the other toned y.

/** Characters TCVN3 produces that are not letters: correct Vietnamese text never has them. */
const TCVN3_SIGNS = /[µ¸¶·¹¨»¾¼½©®ª«¬\u00ad¡¢§£¤¥¦×]/u;
/** Letters VNI produces that are not Vietnamese letters (but are German, Spanish, Danish…). */
const VNI_SIGNS = /[øûïåäëüöæîñØÛÏÅÄËÜÖÆÎÑ]/gu;
/**
 * Letter pairs VNI produces that Vietnamese spelling never has: a vowel followed by a
 * circumflex/breve mark ("aâ", "aê"), by a toned â/ê reading ("eã", "aá"), by a tone
 * character that cannot follow it ("aù", "oø"), and ư+ơ written "öô".
 */
const VNI_PAIRS = /[aeoAEO][âÂ]|[aA][êÊéèúüëÉÈÚÜË]|[aeAE][ãÃáàÁÀ]|[aeouyAEOUYôöÔÖ][ùøûõïÙØÛÕÏ]|[öÖ][ôÔ]/gu;

export type LegacyEncoding = 'tcvn3' | 'vni';

export function detectLegacyEncoding(text: string): LegacyEncoding | null {
  if (TCVN3_SIGNS.test(text)) return 'tcvn3';
  // One foreign letter ("Peña", "Müller") is not enough: VNI text shows a pair, or several signs.
  const pairs = text.match(VNI_PAIRS)?.length ?? 0;
  const signs = text.match(VNI_SIGNS)?.length ?? 0;
  if (pairs > 0 || signs >= 2) return VNI_SIGNS.test(decodeVni(text)) ? null : 'vni';
  return null;
}

export function decodeTcvn3(text: string): string {
  let out = '';
  for (const ch of text) out += tcvn3ToUnicode.get(ch) ?? ch;
  return out.normalize('NFC');
}

/** TCVN3 has no upper-case toned letters (the .VnTimeH font shows the lower-case codes in capitals). */
export function encodeTcvn3(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) out += unicodeToTcvn3.get(ch) ?? unicodeToTcvn3.get(ch.toLowerCase()) ?? ch;
  return out;
}

export function decodeVni(text: string): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const pair = chars[i]! + (chars[i + 1] ?? '');
    const fromPair = vniToUnicode.get(pair);
    if (fromPair) {
      out += fromPair;
      i++;
      continue;
    }
    out += vniToUnicode.get(chars[i]!) ?? chars[i]!;
  }
  return out.normalize('NFC');
}

export function encodeVni(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) out += unicodeToVni.get(ch) ?? ch;
  return out;
}

export interface Repaired {
  text: string;
  /** The value as received, always kept beside the repair. */
  original: string;
  encoding: LegacyEncoding | null;
}

/** NFC, and legacy-encoding repair when the text shows the signs of one. */
export function repairVietnamese(value: string): Repaired {
  const encoding = detectLegacyEncoding(value);
  const text = encoding === 'tcvn3' ? decodeTcvn3(value) : encoding === 'vni' ? decodeVni(value) : value.normalize('NFC');
  return { text, original: value, encoding };
}

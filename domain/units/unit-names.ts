/**
 * Unit names as exports write them: "Xã Hòa An", "xã Hoà An", "Hoa An", "P. 1", "Phường 01",
 * "TT. Cần Giờ", "Q.Ba Đình", "TP Hà Nội", "UBND xã Hòa An". A name becomes a type (when
 * written) and a core compared without diacritics (so old and new tone placement agree),
 * spaces or punctuation ("Văn Miếu - Quốc Tử Giám" = "Văn Miếu Quốc Tử Giám", "Ea D'Rơng" =
 * "Ea Drơng"), with numbers unpadded and the i/y spellings of one syllable made one ("Quý" =
 * "Quí", "Sỹ" = "Sĩ").
 */
import { foldKey, nfc } from '../text/normalize';

export type UnitType = 'tinh' | 'thanh pho' | 'quan' | 'huyen' | 'thi xa' | 'phuong' | 'xa' | 'thi tran' | 'dac khu';

export interface UnitNameKey {
  type?: UnitType;
  core: string;
  /**
   * The whole name as a core, when a type word was split off: "Quan Hóa", "Tĩnh Gia" and "Xà
   * Phìn" are names that start like a type word, and a row may write them without their type.
   */
  whole?: string;
}

/** Folded type words and their abbreviations, longest first so "thi tran" wins over "thi". */
const PREFIXES: ReadonlyArray<readonly [string, UnitType]> = [
  ['thanh pho', 'thanh pho'],
  ['thi tran', 'thi tran'],
  ['thi xa', 'thi xa'],
  ['dac khu', 'dac khu'],
  ['phuong', 'phuong'],
  ['huyen', 'huyen'],
  ['quan', 'quan'],
  ['tinh', 'tinh'],
  ['xa', 'xa'],
  ['t.p', 'thanh pho'],
  ['t.x', 'thi xa'],
  ['t.t', 'thi tran'],
  ['tp', 'thanh pho'],
  ['tx', 'thi xa'],
  ['tt', 'thi tran'],
  ['p', 'phuong'],
  // Ho Chi Minh City's colloquial "F" for phường ("F.7", "F7").
  ['f', 'phuong'],
  ['q', 'quan'],
  ['h', 'huyen'],
  ['x', 'xa'],
];

// A type word is followed by a dot or a space ("Q.Ba Đình", "Q. 1", "Xã Hòa An"); an
// abbreviation may also run into a number ("P1", "Q10"). Never into a letter or an apostrophe:
// "Hà", "Quảng Uyên" and "H'Bông" are names, not types.
const PREFIX_PATTERNS = PREFIXES.map(([word, type]) => [new RegExp(`^${word.replace('.', '\\.')}(?:\\s*\\.\\s*|\\s+|(?=\\d))(?=\\S)`), type] as const);
const AGENCY_PREFIX = /^(?:ubnd|uy ban nhan dan)\.?\s+/;

/** The syllables written with either a final i or y ("ky"/"ki", "quy"/"qui"): one consonant onset and nothing else. */
const I_OR_Y = /\b(b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)y\b/g;

/** The letters of a name that two spellings of it share. */
function coreOf(folded: string): string {
  return folded
    .replace(I_OR_Y, '$1i')
    .replace(/[^a-z0-9]+/g, '')
    .replace(/(^|\D)0+(?=\d)/g, '$1');
}

export function unitNameKey(name: string): UnitNameKey {
  let s = foldKey(name).replace(AGENCY_PREFIX, '');
  for (const [re, type] of PREFIX_PATTERNS) {
    if (re.test(s)) return { type, core: coreOf(s.replace(re, '')), whole: coreOf(s) };
  }
  return { core: coreOf(s) };
}

/** The key of an alias as the catalog stores it: "xa|dinhxuyen", "|yenvien". */
export function aliasKey(alias: string): UnitNameKey {
  const bar = alias.indexOf('|');
  const type = alias.slice(0, bar) as UnitType | '';
  const core = coreOf(alias.slice(bar + 1));
  return type ? { type, core } : { core };
}

/** Whether a written name can denote a unit: same core, and the same type when both say one. */
export function nameMatches(written: UnitNameKey, unit: UnitNameKey): boolean {
  return (written.core === unit.core && (!written.type || !unit.type || written.type === unit.type)) || written.whole === unit.core;
}

/** The unit types of each level, to tell "Huyện X" (a district) from "Xã X" (a commune). */
export const TYPES_OF_LEVEL: Readonly<Record<'province' | 'district' | 'commune', readonly UnitType[]>> = {
  province: ['tinh', 'thanh pho'],
  district: ['quan', 'huyen', 'thi xa', 'thanh pho'],
  commune: ['phuong', 'xa', 'thi tran', 'dac khu'],
};

/**
 * A place written in one cell, "Xã Hòa An, huyện Phú Hòa, tỉnh Phú Yên" or "UBND phường 1 -
 * quận 3": its parts by the type each names. A part without a type is taken as the commune only
 * when it comes first; the rest of the parts are read by their type words.
 */
export function splitPlace(text: string): { commune?: string; district?: string; province?: string } {
  const parts = nfc(text).split(/\s*,\s*|\s+-\s+(?=(?:quan|quận|huyen|huyện|thi xa|thị xã|thanh pho|thành phố|tinh|tỉnh|tp|tx|q|h)(?=[\s.\d]|$))/iu).filter((p) => p.trim() !== '');
  if (parts.length < 2) return { commune: text };
  const out: { commune?: string; district?: string; province?: string } = {};
  parts.forEach((part, i) => {
    const { type } = unitNameKey(part);
    if (i === 0 && (!type || TYPES_OF_LEVEL.commune.includes(type))) out.commune = part;
    else if (type === 'tinh' || (type === 'thanh pho' && i === parts.length - 1 && out.district !== undefined)) out.province = part;
    else if (type && TYPES_OF_LEVEL.district.includes(type) && out.district === undefined) out.district = part;
    else if (type === 'thanh pho' || (!type && i === parts.length - 1)) out.province = part;
  });
  return out;
}

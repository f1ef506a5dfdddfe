/**
 * Unit names as exports write them: "Xã Hòa An", "xã Hoà An", "Hoa An", "P. 1", "Phường 01",
 * "TT. Cần Giờ", "Q.Ba Đình", "TP Hà Nội". A name becomes a type (when written) and a core
 * compared without diacritics (so old and new tone placement agree), with numbers unpadded.
 */
import { foldKey } from '../text/normalize';

export type UnitType = 'tinh' | 'thanh pho' | 'quan' | 'huyen' | 'thi xa' | 'phuong' | 'xa' | 'thi tran' | 'dac khu';

export interface UnitNameKey {
  type?: UnitType;
  core: string;
}

/** Longest first, so "thi tran" wins over "thi". Folded forms (no diacritics, lower case). */
const PREFIXES: Array<[RegExp, UnitType]> = [
  [/^thanh pho\b\.?\s*/, 'thanh pho'],
  [/^tp\b\.?\s*/, 'thanh pho'],
  [/^thi tran\b\.?\s*/, 'thi tran'],
  [/^tt\b\.?\s*/, 'thi tran'],
  [/^thi xa\b\.?\s*/, 'thi xa'],
  [/^tx\b\.?\s*/, 'thi xa'],
  [/^dac khu\b\.?\s*/, 'dac khu'],
  [/^tinh\b\.?\s*/, 'tinh'],
  [/^quan\b\.?\s*/, 'quan'],
  [/^q\b\.?\s*/, 'quan'],
  [/^huyen\b\.?\s*/, 'huyen'],
  [/^h\b\.?\s*/, 'huyen'],
  [/^phuong\b\.?\s*/, 'phuong'],
  [/^p\b\.?\s*/, 'phuong'],
  [/^xa\b\.?\s*/, 'xa'],
  [/^x\b\.?\s*/, 'xa'],
];

export function unitNameKey(name: string): UnitNameKey {
  let s = foldKey(name).replace(/[’']/g, "'").replace(/[–—]/g, '-');
  let type: UnitType | undefined;
  for (const [re, t] of PREFIXES) {
    if (re.test(s)) {
      s = s.replace(re, '');
      type = t;
      break;
    }
  }
  // "01" = "1"; "Phường 1" and "P.01" are the same ward.
  const core = s
    .replace(/\b0+(\d)/g, '$1')
    .replace(/\s*-\s*/g, ' - ')
    .trim();
  return type ? { type, core } : { core };
}

/** Whether a written name can denote a catalog unit: same core, and the same type when written. */
export function nameMatches(written: UnitNameKey, unit: UnitNameKey): boolean {
  return written.core === unit.core && (!written.type || !unit.type || written.type === unit.type);
}

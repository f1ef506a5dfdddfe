/**
 * The 12-digit personal identification number (Decree 137/2015/NĐ-CP, Circular 59/2021/TT-BCA):
 * digits 1–3 the province where the birth was registered (3-digit form of the pre-2025 province
 * code), digit 4 century and sex, digits 5–6 the year of birth, 7–12 random. There is no check
 * digit. A disagreement with the record's sex or year is a warning for the reviewer, not a
 * rejection: finding such errors is what the review is for.
 */
import { unitCatalog } from '../units/catalog';

export type Sex = 'male' | 'female';

export interface IdProblem {
  code: 'PERSONAL_ID_FORMAT' | 'PERSONAL_ID_PROVINCE_UNKNOWN' | 'PERSONAL_ID_SEX_MISMATCH' | 'PERSONAL_ID_BIRTH_MISMATCH' | 'OLD_ID_FORMAT';
  severity: 'error' | 'warning';
  messageVi: string;
}

export interface ParsedPersonalId {
  provinceCode: string;
  sex: Sex;
  birthYear: number;
}

/** Digit 4: [first year of the century, male digit]; the female digit is one more. */
const CENTURIES: Array<[number, number]> = [
  [1900, 0],
  [2000, 2],
  [2100, 4],
  [2200, 6],
  [1800, 8],
];

let provinceCodes: Set<string> | undefined;
function knownProvince(code3: string): boolean {
  provinceCodes ??= new Set(unitCatalog().provinces('legacy').map((p) => p.code.padStart(3, '0')));
  return provinceCodes.has(code3);
}

export function parsePersonalId(value: string): ParsedPersonalId | undefined {
  if (!/^\d{12}$/.test(value)) return undefined;
  const digit = Number(value[3]);
  const century = CENTURIES.find(([, male]) => digit === male || digit === male + 1)!;
  return { provinceCode: value.slice(1, 3), sex: digit === century[1] ? 'male' : 'female', birthYear: century[0] + Number(value.slice(4, 6)) };
}

export function checkPersonalId(raw: string, ctx: { sex?: Sex; birthYear?: number } = {}): { ok: boolean; problems: IdProblem[]; parsed?: ParsedPersonalId } {
  const value = raw.replace(/\s+/g, '');
  if (!/^\d{12}$/.test(value)) {
    return { ok: false, problems: [{ code: 'PERSONAL_ID_FORMAT', severity: 'error', messageVi: 'Số định danh cá nhân phải gồm đúng 12 chữ số.' }] };
  }
  const parsed = parsePersonalId(value)!;
  const problems: IdProblem[] = [];
  if (!knownProvince(value.slice(0, 3))) {
    problems.push({ code: 'PERSONAL_ID_PROVINCE_UNKNOWN', severity: 'error', messageVi: `Ba chữ số đầu (${value.slice(0, 3)}) không phải mã tỉnh nơi đăng ký khai sinh.` });
  }
  if (ctx.sex && ctx.sex !== parsed.sex) {
    problems.push({ code: 'PERSONAL_ID_SEX_MISMATCH', severity: 'warning', messageVi: 'Chữ số thứ 4 của số định danh không khớp với giới tính ghi trong sổ.' });
  }
  if (ctx.birthYear !== undefined && ctx.birthYear !== parsed.birthYear) {
    problems.push({ code: 'PERSONAL_ID_BIRTH_MISMATCH', severity: 'warning', messageVi: `Số định danh ứng với năm sinh ${parsed.birthYear}, khác năm sinh ${ctx.birthYear} ghi trong sổ.` });
  }
  return { ok: !problems.some((p) => p.severity === 'error'), problems, parsed };
}

/** The 9-digit identity card number of before the chip card: its own type, never padded to 12. */
export function checkOldIdCard(raw: string): { ok: boolean; problems: IdProblem[] } {
  const ok = /^\d{9}$/.test(raw.replace(/\s+/g, ''));
  return ok ? { ok, problems: [] } : { ok, problems: [{ code: 'OLD_ID_FORMAT', severity: 'error', messageVi: 'Số chứng minh nhân dân phải gồm đúng 9 chữ số.' }] };
}

/** For the data generator: a well-formed number for a person. */
export function encodePersonalId(p: { provinceCode: string; sex: Sex; birthYear: number; serial: number }): string {
  const century = CENTURIES.find(([start]) => p.birthYear >= start && p.birthYear < start + 100);
  if (!century) throw new RangeError(`birth year ${p.birthYear} outside 1800–2299`);
  const digit = century[1] + (p.sex === 'female' ? 1 : 0);
  return `${p.provinceCode.padStart(3, '0')}${digit}${String(p.birthYear % 100).padStart(2, '0')}${String(p.serial % 1_000_000).padStart(6, '0')}`;
}

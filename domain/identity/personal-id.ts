/**
 * The 12-digit personal identification number (Decree 137/2015/NĐ-CP, Circular 59/2021/TT-BCA):
 * digits 1–3 the province where the birth was registered (3-digit form of the pre-2025 province
 * code), digit 4 century and sex, digits 5–6 the year of birth, 7–12 random. There is no check
 * digit. A disagreement with the record's sex or year is a warning for the reviewer, not a
 * rejection: finding such errors is what the review is for. Never log these numbers.
 */
import { unitCatalog } from '../units/catalog';

export type Sex = 'male' | 'female';

export type PersonalIdProblemCode =
  | 'PERSONAL_ID_FORMAT'
  | 'PERSONAL_ID_PROVINCE_UNKNOWN'
  | 'PERSONAL_ID_SEX_MISMATCH'
  | 'PERSONAL_ID_BIRTH_MISMATCH'
  | 'OLD_ID_FORMAT';

export interface IdProblem {
  code: PersonalIdProblemCode;
  severity: 'error' | 'warning';
  messageVi: string;
}

export interface ParsedPersonalId {
  /** Digits 1–3 as written: "001" Hà Nội, "079" Hồ Chí Minh City. */
  provinceCode: string;
  /** First year of the century digit 4 names: 1800, 1900, 2000, 2100 or 2200. */
  century: number;
  sex: Sex;
  /** Digits 5–6: the year of birth within the century. */
  birthYear2: number;
  birthYear: number;
}

/** Digit 4 (Circular 59/2021/TT-BCA): [first year of the century, its male digit]; the female digit is one more. */
const CENTURIES: ReadonlyArray<readonly [century: number, maleDigit: number]> = [
  [1900, 0],
  [2000, 2],
  [2100, 4],
  [2200, 6],
  [1800, 8],
];

let provinceCodes: Set<string> | undefined;
/** The 63 pre-2025 province codes of the unit catalog (Decision 124/2004/QĐ-TTg), in their 3-digit form. */
function knownProvince(code3: string): boolean {
  provinceCodes ??= new Set(unitCatalog().provinces('legacy').map((p) => p.code.padStart(3, '0')));
  return provinceCodes.has(code3);
}

/** Reads the digits of a well-formed number (12 digits), without judging them. */
export function parsePersonalId(value: string): ParsedPersonalId | undefined {
  if (!/^\d{12}$/.test(value)) return undefined;
  const digit = Number(value[3]);
  const [century, maleDigit] = CENTURIES.find(([, male]) => digit === male || digit === male + 1)!;
  const birthYear2 = Number(value.slice(4, 6));
  return { provinceCode: value.slice(0, 3), century, sex: digit === maleDigit ? 'male' : 'female', birthYear2, birthYear: century + birthYear2 };
}

/**
 * Checks a personal ID number as found in a register or export (spaces inside are ignored):
 * exactly 12 digits and a known province are errors; digits 4–6 disagreeing with the record's
 * sex or year of birth are warnings.
 */
export function checkPersonalId(raw: string, ctx: { sex?: Sex; birthYear?: number } = {}): { ok: boolean; problems: IdProblem[]; parsed?: ParsedPersonalId } {
  const value = raw.replace(/\s+/g, '');
  const parsed = parsePersonalId(value);
  if (!parsed) {
    const messageVi = /^\d{9}$/.test(value)
      ? 'Số gồm 9 chữ số là số chứng minh nhân dân cũ, không phải số định danh cá nhân (12 chữ số).'
      : 'Số định danh cá nhân phải gồm đúng 12 chữ số.';
    return { ok: false, problems: [{ code: 'PERSONAL_ID_FORMAT', severity: 'error', messageVi }] };
  }
  const problems: IdProblem[] = [];
  if (!knownProvince(parsed.provinceCode)) {
    problems.push({ code: 'PERSONAL_ID_PROVINCE_UNKNOWN', severity: 'error', messageVi: `Ba chữ số đầu (${parsed.provinceCode}) không phải mã tỉnh nơi đăng ký khai sinh.` });
  }
  if (ctx.sex && ctx.sex !== parsed.sex) {
    problems.push({ code: 'PERSONAL_ID_SEX_MISMATCH', severity: 'warning', messageVi: `Chữ số thứ 4 của số định danh ứng với giới tính ${parsed.sex === 'male' ? 'nam' : 'nữ'}, khác giới tính ghi trong sổ.` });
  }
  if (ctx.birthYear !== undefined && ctx.birthYear !== parsed.birthYear) {
    problems.push({ code: 'PERSONAL_ID_BIRTH_MISMATCH', severity: 'warning', messageVi: `Chữ số thứ 4 đến thứ 6 của số định danh ứng với năm sinh ${parsed.birthYear}, khác năm sinh ${ctx.birthYear} ghi trong sổ.` });
  }
  return { ok: !problems.some((p) => p.severity === 'error'), problems, parsed };
}

/** The 9-digit identity card number (chứng minh nhân dân) of before the chip card: its own type, never padded to 12. */
export function checkOldIdCard(raw: string): { ok: boolean; problems: IdProblem[] } {
  const ok = /^\d{9}$/.test(raw.replace(/\s+/g, ''));
  return ok ? { ok, problems: [] } : { ok, problems: [{ code: 'OLD_ID_FORMAT', severity: 'error', messageVi: 'Số chứng minh nhân dân phải gồm đúng 9 chữ số.' }] };
}

/** For the data generator: the number of a person born in a province (2- or 3-digit code), with a 6-digit serial. */
export function encodePersonalId(p: { provinceCode: string; sex: Sex; birthYear: number; serial: number }): string {
  const century = CENTURIES.find(([start]) => p.birthYear >= start && p.birthYear < start + 100);
  if (!century) throw new RangeError(`birth year ${p.birthYear} outside 1800–2299`);
  if (!/^\d{1,3}$/.test(p.provinceCode)) throw new RangeError(`province code ${p.provinceCode} is not 1–3 digits`);
  if (!Number.isInteger(p.serial) || p.serial < 0 || p.serial > 999_999) throw new RangeError(`serial ${p.serial} outside 0–999999`);
  const digit = century[1] + (p.sex === 'female' ? 1 : 0);
  return `${p.provinceCode.padStart(3, '0')}${digit}${String(p.birthYear % 100).padStart(2, '0')}${String(p.serial).padStart(6, '0')}`;
}

/**
 * Checks one record of a register type and returns every problem at once. Errors make a row
 * unusable (rejected at import, with the reason); warnings are inconsistencies the register
 * itself may hold, shown to the official who compares the record with its page.
 */
import { compareKnown, type PartialDate } from '../dates/civil-date';
import { checkPersonalId, type Sex } from '../identity/personal-id';
import { fieldsOf, type RegisterTypeCode } from './register-types';

export interface Problem {
  field: string;
  code: string;
  severity: 'error' | 'warning';
  messageVi: string;
}

/** Typed values, as the profile's value parsers produce them. */
export type RecordValues = Record<string, string | number | boolean | PartialDate | Sex | null | undefined>;

const isDate = (v: unknown): v is PartialDate => typeof v === 'object' && v !== null && 'year' in v;

/** Age in whole years at a date, when both are known well enough to say. */
function ageAt(birth: PartialDate, at: PartialDate): number | undefined {
  if (birth.month === undefined || at.month === undefined || birth.day === undefined || at.day === undefined) return undefined;
  const before = at.month < birth.month || (at.month === birth.month && at.day < birth.day);
  return at.year - birth.year - (before ? 1 : 0);
}

/** Minimum marriage ages, Law on Marriage and Family 2014, art. 8: men 20, women 18. */
const MIN_MARRIAGE_AGE = { husband: 20, wife: 18 } as const;

export function validateRecord(type: RegisterTypeCode, values: RecordValues, labelOf = labels(type)): Problem[] {
  const problems: Problem[] = [];
  const label = (key: string) => labelOf.get(key) ?? key;

  for (const field of fieldsOf(type)) {
    const v = values[field.key];
    if (field.required && (v === undefined || v === null || v === '')) {
      problems.push({ field: field.key, code: 'REQUIRED_FIELD_MISSING', severity: 'error', messageVi: `Thiếu thông tin bắt buộc: ${field.labelVi}.` });
    }
    if (field.type === 'personalId' && typeof v === 'string' && v !== '') {
      const prefix = field.key.replace(/PersonalId$/, '');
      const sexKey = prefix === 'personal' ? 'sex' : `${prefix}Sex`;
      const birthKey = prefix === 'personal' ? 'dateOfBirth' : `${prefix}DateOfBirth`;
      const birth = values[field.key === 'personalId' ? 'dateOfBirth' : birthKey];
      const sex = values[field.key === 'personalId' ? 'sex' : sexKey];
      for (const p of checkPersonalId(v, { sex: sex === 'male' || sex === 'female' ? sex : undefined, birthYear: isDate(birth) ? birth.year : undefined }).problems) {
        problems.push({ field: field.key, code: p.code, severity: p.severity, messageVi: `${label(field.key)}: ${p.messageVi}` });
      }
    }
  }

  const registered = values.registrationDate;
  if (isDate(registered)) {
    if (typeof values.bookYear === 'number' && values.bookYear !== registered.year) {
      problems.push({ field: 'bookYear', code: 'BOOK_YEAR_MISMATCH', severity: 'warning', messageVi: `Năm của sổ (${values.bookYear}) khác năm đăng ký (${registered.year}).` });
    }
    const event = type === 'KS' ? values.dateOfBirth : type === 'KT' ? values.dateOfDeath : undefined;
    if (isDate(event) && compareKnown(event, registered) === 1) {
      problems.push({ field: type === 'KS' ? 'dateOfBirth' : 'dateOfDeath', code: 'EVENT_AFTER_REGISTRATION', severity: 'warning', messageVi: `${label(type === 'KS' ? 'dateOfBirth' : 'dateOfDeath')} sau ngày đăng ký.` });
    }
    if (type === 'KH') {
      for (const who of ['husband', 'wife'] as const) {
        const birth = values[`${who}DateOfBirth`];
        const age = isDate(birth) ? ageAt(birth, registered) : undefined;
        if (age !== undefined && age < MIN_MARRIAGE_AGE[who]) {
          problems.push({ field: `${who}DateOfBirth`, code: 'MARRIAGE_AGE_BELOW_LEGAL', severity: 'warning', messageVi: `${who === 'husband' ? 'Chồng' : 'Vợ'} chưa đủ ${MIN_MARRIAGE_AGE[who]} tuổi vào ngày đăng ký kết hôn (${age} tuổi).` });
        }
      }
    }
  }
  if (type === 'KT' && isDate(values.dateOfBirth) && isDate(values.dateOfDeath) && compareKnown(values.dateOfDeath, values.dateOfBirth) === -1) {
    problems.push({ field: 'dateOfDeath', code: 'DEATH_BEFORE_BIRTH', severity: 'warning', messageVi: 'Ngày chết trước ngày sinh.' });
  }
  return problems;
}

const labelCache = new Map<RegisterTypeCode, Map<string, string>>();
function labels(type: RegisterTypeCode): Map<string, string> {
  let m = labelCache.get(type);
  if (!m) labelCache.set(type, (m = new Map(fieldsOf(type).map((f) => [f.key, f.labelVi]))));
  return m;
}

/**
 * Cell values into typed field values, per the field dictionary: text repaired (NFC, TCVN3/VNI)
 * with the original kept, codes with their lost leading zeros restored, partial dates, sex,
 * enumerations, flags. Every problem is returned with the field, a code and a Vietnamese
 * message; nothing is silently dropped.
 */
import { parseCivilDate, formatCivilDate, type PartialDate } from '../dates/civil-date';
import type { FieldDef } from '../registers/register-types';
import type { Problem, RecordValues } from '../registers/validate-record';
import { repairVietnamese, type LegacyEncoding } from '../text/legacy-encoding';
import { collapseSpaces, foldKey } from '../text/normalize';
import type { Cell } from './sheet-mapping';
import { registerTypeFromText } from './sheet-mapping';

export interface ParsedRow {
  values: RecordValues;
  problems: Problem[];
  /** Text cells repaired from a legacy encoding: what was received, kept for the reviewer. */
  repaired: Array<{ field: string; original: string; encoding: LegacyEncoding }>;
  /** Cells whose lost leading zeros were put back. */
  restoredZeros: string[];
}

const SEX_WORDS: Record<string, 'male' | 'female'> = { nam: 'male', trai: 'male', 'gioi tinh nam': 'male', m: 'male', male: 'male', nu: 'female', gai: 'female', f: 'female', female: 'female' };
const TRUE_WORDS = new Set(['x', 'co', '1', 'true', 'dung', 'qua han', 'dang ky lai']);
const FALSE_WORDS = new Set(['', '0', 'khong', 'false']);

function problem(field: FieldDef, code: string, severity: Problem['severity'], detail: string): Problem {
  return { field: field.key, code, severity, messageVi: `${field.labelVi}: ${detail}` };
}

/** Digits of a cell written as a number or text; numbers lose leading zeros in spreadsheets. */
function digitsOf(cell: Cell): string | undefined {
  if (typeof cell === 'number' && Number.isInteger(cell) && cell >= 0) return String(cell);
  if (typeof cell === 'string' && /^\s*\d+\s*$/.test(cell)) return cell.trim();
  return undefined;
}

export function parseCell(field: FieldDef, cell: Cell, out: ParsedRow): void {
  if (cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '')) return;
  const text = cell instanceof Date ? cell.toISOString() : String(cell);
  switch (field.type) {
    case 'text': {
      const r = repairVietnamese(collapseSpaces(text));
      out.values[field.key] = r.text;
      if (r.encoding) out.repaired.push({ field: field.key, original: r.original, encoding: r.encoding });
      return;
    }
    case 'code': {
      const digits = digitsOf(cell);
      if (!digits || digits.length > field.width!) {
        out.problems.push(problem(field, 'CODE_INVALID', 'error', `"${text}" không phải mã gồm ${field.width} chữ số.`));
        return;
      }
      if (digits.length < field.width!) out.restoredZeros.push(field.key);
      out.values[field.key] = digits.padStart(field.width!, '0');
      return;
    }
    case 'integer': {
      const digits = digitsOf(cell);
      if (!digits) out.problems.push(problem(field, 'INTEGER_INVALID', 'error', `"${text}" không phải số nguyên.`));
      else out.values[field.key] = Number(digits);
      return;
    }
    case 'date': {
      const r = parseCivilDate(cell);
      if (!r) return;
      if (r.ok) {
        out.values[field.key] = r.date;
        return;
      }
      // Lunar and unknown dates stay as text for the reviewer; malformed dates are errors.
      const keep = r.problem === 'DATE_LUNAR' || r.problem === 'DATE_UNKNOWN';
      out.problems.push(problem(field, r.problem, keep ? 'warning' : 'error', r.messageVi));
      if (keep) out.values[field.key] = r.text;
      return;
    }
    case 'sex': {
      const sex = SEX_WORDS[foldKey(text)];
      if (sex) out.values[field.key] = sex;
      else out.problems.push(problem(field, 'SEX_INVALID', 'error', `"${text}" không phải giới tính (Nam/Nữ).`));
      return;
    }
    case 'enum': {
      const folded = foldKey(text);
      const hit = Object.entries(field.values ?? {}).find(([key, label]) => foldKey(label) === folded || foldKey(key) === folded);
      if (hit) out.values[field.key] = hit[0];
      else out.problems.push(problem(field, 'ENUM_INVALID', 'error', `"${text}" không thuộc: ${Object.values(field.values ?? {}).join(', ')}.`));
      return;
    }
    case 'personalId':
    case 'oldIdCard': {
      const width = field.type === 'personalId' ? 12 : 9;
      const digits = digitsOf(cell) ?? text.replace(/\s+/g, '');
      // Numbers start with the 0 of the province code: a numeric cell lost it, a text cell did not.
      const restored = typeof cell === 'number' && digits.length < width && digits.length >= width - 2 ? digits.padStart(width, '0') : digits;
      if (restored !== digits) out.restoredZeros.push(field.key);
      out.values[field.key] = restored;
      return;
    }
    case 'flag': {
      const folded = foldKey(text);
      if (TRUE_WORDS.has(folded)) out.values[field.key] = true;
      else if (FALSE_WORDS.has(folded)) out.values[field.key] = false;
      else out.problems.push(problem(field, 'FLAG_INVALID', 'error', `"${text}" không phải có/không.`));
      return;
    }
    case 'registerType': {
      const t = registerTypeFromText(text);
      if (t) out.values[field.key] = t;
      else out.problems.push(problem(field, 'REGISTER_TYPE_INVALID', 'error', `"${text}" không phải loại sổ hộ tịch.`));
      return;
    }
  }
}

export function parseRowValues(fields: readonly FieldDef[], raw: Record<string, Cell>): ParsedRow {
  const out: ParsedRow = { values: {}, problems: [], repaired: [], restoredZeros: [] };
  for (const field of fields) parseCell(field, raw[field.key], out);
  return out;
}

/** How a typed value is written back to a cell (the split's output): text, never a formula. */
export function displayValue(field: FieldDef, value: RecordValues[string]): string {
  if (value === undefined || value === null) return '';
  if (field.type === 'date' && typeof value === 'object') return formatCivilDate(value as PartialDate);
  if (field.type === 'sex') return value === 'male' ? 'Nam' : value === 'female' ? 'Nữ' : String(value);
  if (field.type === 'enum') return field.values?.[String(value)] ?? String(value);
  if (field.type === 'flag') return value ? 'x' : '';
  return String(value);
}


/**
 * Cell values into typed field values, per the field dictionary: text repaired (NFC, TCVN3/VNI)
 * with the original kept, codes with their lost leading zeros restored, partial dates, sex,
 * enumerations, flags. Every problem is returned with the field, a code and a Vietnamese
 * message; nothing is silently dropped.
 */
import { parseCivilDate, formatCivilDate, type PartialDate } from '../dates/civil-date';
import type { FieldDef } from '../registers/register-types';
import type { Problem, RecordValues } from '../registers/validate-record';
import { repairCellText, type LegacyEncoding } from '../text/legacy-encoding';
import { foldKey, hasLineBreak, linesOf } from '../text/normalize';
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
  // Past 2^53 a number no longer holds the digits typed, and String() writes 1e+21 for it.
  if (typeof cell === 'number' && Number.isSafeInteger(cell) && cell >= 0) return String(cell);
  if (typeof cell === 'string' && /^\s*\d+\s*$/.test(cell)) return cell.trim();
  return undefined;
}

const enumIndexes = new WeakMap<FieldDef, Map<string, string>>();

/** An enumeration's values by folded label and folded key; the first value listed wins a tie. */
function enumIndex(field: FieldDef): Map<string, string> {
  let index = enumIndexes.get(field);
  if (!index) {
    index = new Map();
    for (const [key, label] of Object.entries(field.values ?? {})) {
      for (const folded of [foldKey(label), foldKey(key)]) if (!index.has(folded)) index.set(folded, key);
    }
    enumIndexes.set(field, index);
  }
  return index;
}

/**
 * Free text written on several lines: each line repaired and its spaces collapsed as a
 * one-line text is, the lines kept and joined by LF (CRLF and CR alike), blank lines at the
 * start and end dropped as a one-line text's outer spaces are.
 */
function freeTextValue(field: FieldDef, text: string, out: CellNotes): string {
  const lines = linesOf(text).map((line) => repairCellText(line));
  const repaired = lines.find((r) => r.encoding);
  if (repaired?.encoding) out.repaired.push({ field: field.key, original: text, encoding: repaired.encoding });
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && lines[first]!.text === '') first++;
  while (last >= first && lines[last]!.text === '') last--;
  return lines.slice(first, last + 1).map((r) => r.text).join('\n');
}

/** What a cell's value is kept beside: its problems, repairs and restored zeros. */
export type CellNotes = Omit<ParsedRow, 'values'>;

/**
 * The value of one cell, or undefined when it is empty or cannot be read (then `out` says
 * why). Returned, not stored, so a caller can keep a row's values however it likes.
 */
export function cellValue(field: FieldDef, cell: Cell, out: CellNotes): RecordValues[string] | undefined {
  if (cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '')) return undefined;
  const text = cell instanceof Date ? cell.toISOString() : String(cell);
  switch (field.type) {
    case 'text': {
      if (field.freeText && hasLineBreak(text)) return freeTextValue(field, text, out);
      const r = repairCellText(text);
      if (r.encoding) out.repaired.push({ field: field.key, original: r.original, encoding: r.encoding });
      return r.text;
    }
    case 'code': {
      const digits = digitsOf(cell);
      if (!digits || digits.length > field.width!) {
        out.problems.push(problem(field, 'CODE_INVALID', 'error', `"${text}" không phải mã gồm ${field.width} chữ số.`));
        return undefined;
      }
      if (digits.length < field.width!) out.restoredZeros.push(field.key);
      return digits.padStart(field.width!, '0');
    }
    case 'integer': {
      const digits = digitsOf(cell);
      if (digits) return Number(digits);
      out.problems.push(problem(field, 'INTEGER_INVALID', 'error', `"${text}" không phải số nguyên.`));
      return undefined;
    }
    case 'date': {
      const r = parseCivilDate(cell);
      if (!r) return undefined;
      if (r.ok) return r.date;
      // Lunar and unknown dates stay as text for the reviewer; malformed dates are errors.
      const keep = r.problem === 'DATE_LUNAR' || r.problem === 'DATE_UNKNOWN';
      out.problems.push(problem(field, r.problem, keep ? 'warning' : 'error', r.messageVi));
      return keep ? r.text : undefined;
    }
    case 'sex': {
      const sex = SEX_WORDS[foldKey(text)];
      if (!sex) out.problems.push(problem(field, 'SEX_INVALID', 'error', `"${text}" không phải giới tính (Nam/Nữ).`));
      return sex;
    }
    case 'enum': {
      const hit = enumIndex(field).get(foldKey(text));
      if (hit === undefined) out.problems.push(problem(field, 'ENUM_INVALID', 'error', `"${text}" không thuộc: ${Object.values(field.values ?? {}).join(', ')}.`));
      return hit;
    }
    case 'personalId':
    case 'oldIdCard': {
      const width = field.type === 'personalId' ? 12 : 9;
      const digits = digitsOf(cell) ?? text.replace(/\s+/g, '');
      // Numbers start with the 0 of the province code: a numeric cell lost it, a text cell did not.
      const restored = typeof cell === 'number' && digits.length < width && digits.length >= width - 2 ? digits.padStart(width, '0') : digits;
      if (restored !== digits) out.restoredZeros.push(field.key);
      return restored;
    }
    case 'flag': {
      const folded = foldKey(text);
      if (TRUE_WORDS.has(folded)) return true;
      if (FALSE_WORDS.has(folded)) return false;
      out.problems.push(problem(field, 'FLAG_INVALID', 'error', `"${text}" không phải có/không.`));
      return undefined;
    }
    case 'registerType': {
      const t = registerTypeFromText(text);
      if (!t) out.problems.push(problem(field, 'REGISTER_TYPE_INVALID', 'error', `"${text}" không phải loại sổ hộ tịch.`));
      return t;
    }
  }
}

export function parseCell(field: FieldDef, cell: Cell, out: ParsedRow): void {
  const value = cellValue(field, cell, out);
  if (value !== undefined) out.values[field.key] = value;
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


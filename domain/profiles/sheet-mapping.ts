/**
 * From a sheet's rows to field values: find the header row, match headers to the field
 * dictionary (accent-, case- and spacing-insensitive, with aliases), and map each row,
 * keeping unknown columns verbatim so nothing is lost. Compiled once per sheet; mapping a row
 * is an array walk.
 */
import { defineError } from '../errors';
import { foldKey } from '../text/normalize';
import { fieldsOf, REGISTER_TYPE_CODES, SHARED_FIELDS, type FieldDef, type RegisterTypeCode } from '../registers/register-types';
import type { ImportProfile } from './profile-schema';

export type Cell = string | number | boolean | Date | null | undefined;

export const ColumnsMissing = defineError<{ sheet: string; columns: Array<{ label: string; aliases: string[]; derivedFrom?: string }> }>(
  'PROFILE_COLUMN_MISSING',
  'validation',
  (p) => `sheet ${p.sheet} lacks required columns: ${p.columns.map((c) => c.label).join(', ')}`,
  (p) =>
    `Trang "${p.sheet}" thiếu cột bắt buộc: ${p.columns
      .map((c) => {
        const others = [...(c.aliases.length ? [`hoặc ${c.aliases.map((a) => `"${a}"`).join(', ')}`] : []), ...(c.derivedFrom ? [`hoặc cột "${c.derivedFrom}" để lấy năm từ ngày`] : [])];
        return `"${c.label}"${others.length ? ` (${others.join('; ')})` : ''}`;
      })
      .join('; ')}.`,
);

export const HeaderNotFound = defineError<{ sheet: string; scanned: number }>(
  'PROFILE_HEADER_NOT_FOUND',
  'validation',
  (p) => `no header row found in the first ${p.scanned} rows of sheet ${p.sheet}`,
  (p) => `Không tìm thấy dòng tiêu đề trong ${p.scanned} dòng đầu của trang "${p.sheet}".`,
);

export const RegisterTypeUnknown = defineError<{ sheet: string }>(
  'PROFILE_REGISTER_TYPE_UNKNOWN',
  'validation',
  (p) => `cannot tell the register type of sheet ${p.sheet}`,
  (p) =>
    `Không xác định được loại sổ của trang "${p.sheet}": trang không có cột "Loại sổ", tên trang và tên tệp không chứa mã loại sổ (KS, KT, KH…) hay tên sổ, và loại sổ không được chọn khi tách (--register-type).`,
);

export const RowRegisterTypeUnknown = defineError<{ value: string }>(
  'ROW_REGISTER_TYPE_UNKNOWN',
  'validation',
  () => `the row's register-type cell names no register type`,
  (p) =>
    `Không xác định được loại sổ của dòng: cột "Loại sổ" ${p.value ? `ghi "${p.value}", không phải mã loại sổ (KS, KT, KH…) hay tên sổ` : 'để trống và loại sổ không được chọn khi tách (--register-type)'}.`,
);

/** Words that name each register type in sheet names and "Loại sổ" cells (folded). Longer first. */
const TYPE_WORDS: Array<[RegisterTypeCode, string[]]> = [
  ['LH', ['ly hon', 'huy viec ket hon']],
  ['GCNN', ['nuoc ngoai', 'giai quyet tai co quan']],
  ['CMC', ['nhan cha', 'cha me con', 'nhan con']],
  ['TDCC', ['thay doi', 'cai chinh', 'bo sung', 'xac dinh lai dan toc']],
  ['KS', ['khai sinh']],
  ['KT', ['khai tu']],
  ['KH', ['ket hon']],
  ['GH', ['giam ho']],
];

/** "KS", "ks", "KS 2009", "Sổ đăng ký khai sinh", "Khai sinh (2009)" → KS. */
export function registerTypeFromText(text: string): RegisterTypeCode | undefined {
  const folded = foldKey(text);
  const code = /^([a-z]+)(?![a-z])/.exec(folded)?.[1]?.toUpperCase();
  if (code && (REGISTER_TYPE_CODES as readonly string[]).includes(code)) return code as RegisterTypeCode;
  return TYPE_WORDS.find(([, words]) => words.some((w) => folded.includes(w)))?.[0];
}

function headerIndex(fields: readonly FieldDef[], profile: ImportProfile): Map<string, FieldDef> {
  const index = new Map<string, FieldDef>();
  for (const field of fields) {
    for (const h of [field.labelVi, ...(field.aliases ?? []), ...(profile.aliases[field.key] ?? [])]) {
      const key = foldKey(h);
      if (!index.has(key)) index.set(key, field);
    }
  }
  return index;
}

let allFieldsCache: FieldDef[] | undefined;
/**
 * For a sheet whose rows carry their own type ("Loại sổ" column): the fields of every type, so
 * that each type's headers are known ("Họ và tên người chết" as well as "Họ và tên"). A key
 * means the same in every type; a row's own type maps the columns again by key.
 */
function allFields(): FieldDef[] {
  return (allFieldsCache ??= [...new Set(REGISTER_TYPE_CODES.flatMap((t) => fieldsOf(t)))]);
}

function cellText(c: Cell): string {
  return c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c);
}

/** The 0-based index of the header row among the first rows, per the profile. */
export function findHeaderRow(rows: readonly Cell[][], profile: ImportProfile, sheet: string, type?: RegisterTypeCode): number {
  const mode = profile.headerRow;
  if (mode.mode === 'first') return 0;
  if (mode.mode === 'row') return mode.row - 1;
  const index = headerIndex(type ? fieldsOf(type) : allFields(), profile);
  let best = -1;
  let bestMatches = 0;
  for (const [i, row] of rows.slice(0, mode.scanRows).entries()) {
    const matches = new Set(row.map((c) => index.get(foldKey(cellText(c)))?.key).filter(Boolean)).size;
    if (matches > bestMatches) [best, bestMatches] = [i, matches];
  }
  if (bestMatches < mode.minMatches) throw HeaderNotFound({ sheet, scanned: Math.min(rows.length, mode.scanRows) });
  return best;
}

export interface SheetMapping {
  registerType?: RegisterTypeCode;
  /** Per column: the field it holds, or the header it had when unknown. */
  columns: Array<{ index: number; header: string; field?: FieldDef }>;
  /** Fields found, in column order. */
  fields: FieldDef[];
  /** No book-year column but a registration date: each row's book year is the year of its date. */
  bookYearFromDate: boolean;
}

export interface MappedRow {
  values: Record<string, Cell>;
  /** Unknown columns, verbatim, in their original order. */
  extra: Array<[header: string, value: Cell]>;
}

export function compileSheetMapping(headerCells: readonly Cell[], profile: ImportProfile, sheet: string, type?: RegisterTypeCode): SheetMapping {
  const fields = type ? fieldsOf(type) : allFields();
  const index = headerIndex(fields, profile);
  const columns: SheetMapping['columns'] = [];
  const taken = new Set<string>();
  for (const [i, cell] of headerCells.entries()) {
    const header = cellText(cell).normalize('NFC').trim();
    if (header === '') continue;
    const field = index.get(foldKey(header));
    // A second column for a field already mapped is kept as extra, never merged or dropped.
    if (field && !taken.has(field.key)) {
      taken.add(field.key);
      columns.push({ index: i, header, field });
    } else if (profile.unknownColumns === 'keep') {
      columns.push({ index: i, header });
    }
  }
  const bookYearFromDate = !taken.has('bookYear') && taken.has('registrationDate');
  requireColumns(sheet, type ? fieldsOf(type) : SHARED_FIELDS, taken, bookYearFromDate, profile);
  return { registerType: type, columns, fields: columns.flatMap((c) => (c.field ? [c.field] : [])), bookYearFromDate };
}

/** Refuses a sheet that lacks a required column of `fields`, naming each with its accepted headers. */
export function requireColumns(sheet: string, fields: readonly FieldDef[], taken: ReadonlySet<string>, bookYearFromDate: boolean, profile: ImportProfile): void {
  const missing = fields.filter((f) => f.required && !taken.has(f.key) && !(bookYearFromDate && f.key === 'bookYear'));
  if (missing.length) {
    const dateLabel = fields.find((f) => f.key === 'registrationDate')?.labelVi;
    throw ColumnsMissing({
      sheet,
      columns: missing.map((f) => ({ label: f.labelVi, aliases: [...(f.aliases ?? []), ...(profile.aliases[f.key] ?? [])], ...(f.key === 'bookYear' && dateLabel ? { derivedFrom: dateLabel } : {}) })),
    });
  }
}

export function mapRow(mapping: SheetMapping, cells: readonly Cell[]): MappedRow {
  const values: Record<string, Cell> = {};
  const extra: MappedRow['extra'] = [];
  for (const col of mapping.columns) {
    const v = cells[col.index];
    if (col.field) values[col.field.key] = v;
    else extra.push([col.header, v]);
  }
  return { values, extra };
}

/** Which register type a sheet holds, per the profile (fixed, or from its name). */
export function sheetRegisterType(profile: ImportProfile, sheetName: string): RegisterTypeCode | undefined {
  if (profile.registerType.from === 'fixed') return profile.registerType.code as RegisterTypeCode;
  if (profile.registerType.from === 'column') return undefined;
  const t = registerTypeFromText(sheetName);
  if (!t) throw RegisterTypeUnknown({ sheet: sheetName });
  return t;
}

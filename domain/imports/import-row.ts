/**
 * Step 3: one row of an official's Excel file checked against the data dictionary, for the
 * agency and register type the official chose. A row either becomes a record (its natural key,
 * its typed values in dictionary order, and what the reviewer should know) or is rejected with
 * every reason at once, each naming the field and the rule, so the official can fix the row and
 * import it again.
 */
import { defineError } from '../errors';
import { BOOK_YEAR_FROM_DATE_VI, BOOK_YEAR_UNKNOWN, yearOfDate } from '../profiles/book-year';
import { CellNotConserved, isBlankCell } from '../profiles/cell-conservation';
import { compileSheetMapping, type Cell } from '../profiles/sheet-mapping';
import { cellValue, type CellNotes } from '../profiles/cell-values';
import type { ImportProfile } from '../profiles/profile-schema';
import { bookKey, numberKey } from '../naming/scan-name';
import { fieldsOf, registerType, type FieldDef, type RegisterTypeCode } from '../registers/register-types';
import { validateRecord, type Problem, type RecordValues } from '../registers/validate-record';
import type { Unit } from '../units/catalog';
import { createRouter, DEFAULT_ROUTING_RULES, routingInputOf, type Agency, type RoutingResult } from '../units/routing';

export interface ImportTarget {
  agencyCode: string;
  agencyName: string;
  provinceCode: string;
  registerType: RegisterTypeCode;
  /**
   * The run's custodian decisions: for each former unit decided (a divided commune, an abolished
   * district), the agency that keeps its books. Only that agency imports the unit's rows.
   */
  custodians: ReadonlyMap<string, Agency>;
}

const unitLabel = (u: Unit) => `${u.code} - ${u.name}`;

export const RowOtherAgency = defineError<{ agency: string; agencyName: string; importing: string; formerUnit?: string }>(
  'ROW_OTHER_AGENCY',
  'validation',
  (p) => `the row's register is held by agency ${p.agency}${p.formerUnit ? ` (custodian of former unit ${p.formerUnit})` : ''}`,
  (p) =>
    p.formerUnit
      ? `Nơi đăng ký: dòng thuộc đơn vị cũ ${p.formerUnit}, có sổ do ${p.agencyName} (mã ${p.agency}) lưu giữ theo quyết định của điều phối viên, không phải ${p.importing} đang nhập.`
      : `Nơi đăng ký: dòng thuộc ${p.agencyName} (mã ${p.agency}), không phải ${p.importing} đang nhập.`,
);

export const RowCustodianUndecided = defineError<{ formerUnit: string }>(
  'ROW_CUSTODIAN_UNDECIDED',
  'validation',
  (p) => `the row belongs to former unit ${p.formerUnit}, whose custodian is not decided in this run`,
  (p) =>
    `Nơi đăng ký: dòng thuộc đơn vị cũ ${p.formerUnit}, chưa có quyết định cơ quan lưu giữ sổ trong lượt chạy này nên chưa cơ quan nào nhập được. Đề nghị điều phối viên quyết định cơ quan lưu giữ (hotich run decide-custodians), rồi nhập lại dòng này.`,
);

export interface ImportPlan {
  target: ImportTarget;
  /** Mapped fields with their column, in dictionary order. */
  columns: ReadonlyArray<{ field: FieldDef; col: number }>;
  /** Columns of no field: kept with the record, as received. */
  extras: ReadonlyArray<{ header: string; col: number }>;
  /** Per column of the header: where its cell goes (an index into `columns`, or EXTRA, IGNORED, NOWHERE). */
  destinations: Int32Array;
  /** The header's cells, to name a column whose cell has no place. */
  headers: readonly string[];
  /** No book-year column: each row's book year is the year of its registration date. */
  bookYearFromDate: boolean;
  route: (values: RecordValues) => RoutingResult;
}

/** A column kept with the record among its unknown columns. */
const EXTRA = -2;
/** A column the error workbook added ("Lỗi", "Mã lỗi"): what we wrote, not the official's data. */
const IGNORED = -3;
/** A column with no header: its cells have no place. */
const NOWHERE = -1;

export interface RecordKey {
  /** The unit that kept the book: the former unit a merged agency took the register from, else the agency. */
  unitCode: string;
  bookYear: number;
  bookNumber: string;
  bookKey: string;
  registrationNumber: string;
  numberKey: string;
}

/** What the reviewer sees beside the values: warnings, repaired text, restored zeros, values derived from others, extra columns. */
export interface RecordNotes {
  warnings?: Problem[];
  repaired?: CellNotes['repaired'];
  restoredZeros?: string[];
  derived?: Array<{ field: string; from: string; messageVi: string }>;
  extra?: Array<[header: string, value: string]>;
}

export type RowOutcome =
  | { ok: true; key: RecordKey; values: RecordValues; notes: RecordNotes }
  | { ok: false; problems: Problem[] };

/** The columns the error workbook adds: left out when the official imports that workbook again. */
export const ERROR_HEADERS = { message: 'Lỗi', code: 'Mã lỗi' } as const;
const ERROR_HEADER_SET = new Set<string>(Object.values(ERROR_HEADERS));

export function compileImportPlan(headerCells: readonly Cell[], profile: ImportProfile, sheet: string, target: ImportTarget): ImportPlan {
  const mapping = compileSheetMapping(headerCells, profile, sheet, target.registerType);
  // The decided custodians route a former unit's rows as the split placed them.
  const router = createRouter({ ...DEFAULT_ROUTING_RULES, custodians: target.custodians });
  const order = new Map(fieldsOf(target.registerType).map((f, i) => [f, i]));
  // In dictionary order: a row's values then come out in that order whatever the file's column order.
  const columns = mapping.columns.flatMap((c) => (c.field ? [{ field: c.field, col: c.index }] : [])).sort((a, b) => order.get(a.field)! - order.get(b.field)!);
  const extras = mapping.columns.filter((c) => !c.field && !ERROR_HEADER_SET.has(c.header)).map((c) => ({ header: c.header, col: c.index }));
  const destinations = new Int32Array(headerCells.length).fill(NOWHERE);
  columns.forEach((c, i) => (destinations[c.col] = i));
  for (const c of mapping.columns) if (!c.field) destinations[c.index] = ERROR_HEADER_SET.has(c.header) ? IGNORED : EXTRA;
  return {
    target,
    columns,
    extras,
    destinations,
    headers: headerCells.map((c) => (c === null || c === undefined ? '' : String(c).trim())),
    bookYearFromDate: mapping.bookYearFromDate,
    route: (values) => router(routingInputOf(values, target.provinceCode)),
  };
}

/** The values with the book year put at its place in dictionary order, as a file with the column would give them. */
function withBookYear(type: RegisterTypeCode, values: RecordValues, bookYear: number): RecordValues {
  const ordered: RecordValues = {};
  for (const f of fieldsOf(type)) {
    const v = f.key === 'bookYear' ? bookYear : values[f.key];
    if (v !== undefined) ordered[f.key] = v;
  }
  return ordered;
}

/**
 * The first column whose non-blank cell would not be kept with the record, or -1: a column
 * with no header or past the header, a field's cell that gave neither a value nor a problem
 * saying why (`fieldsKept` counts those that did), an unknown column not among `extras`.
 */
function lostCell(plan: ImportPlan, cells: readonly Cell[], values: RecordValues, notes: CellNotes, fieldsKept: number, extras: number): number {
  let fieldCells = 0;
  let extraCells = 0;
  for (let c = 0; c < cells.length; c++) {
    if (isBlankCell(cells[c])) continue;
    const d = c < plan.destinations.length ? plan.destinations[c]! : NOWHERE;
    if (d === NOWHERE) return c;
    if (d === EXTRA) extraCells++;
    else if (d >= 0) fieldCells++;
  }
  if (fieldCells === fieldsKept && extraCells === extras) return -1;
  // Rare: tell which cell, the long way.
  for (let c = 0; c < cells.length; c++) {
    const d = plan.destinations[c]!;
    if (isBlankCell(cells[c]) || d === IGNORED) continue;
    if (d === EXTRA ? extraCells !== extras : !kept(plan.columns[d]!.field.key, values, notes)) return c;
  }
  return cells.findIndex((c) => !isBlankCell(c));
}

/** Whether a field's cell became its value, or a problem says why it did not. */
function kept(key: string, values: RecordValues, notes: CellNotes): boolean {
  const v = values[key];
  return (v !== undefined && v !== '') || notes.problems.some((p) => p.field === key);
}

const problem = (field: string, code: string, messageVi: string): Problem => ({ field, code, severity: 'error', messageVi });

/**
 * Checks one data row. `firstRowOf` remembers the row each key was first seen on, so a number
 * used twice in the same book of one file rejects the second row and names the first.
 */
export function checkImportRow(plan: ImportPlan, cells: readonly Cell[], rowNumber: number, firstRowOf: Map<string, number>): RowOutcome {
  const notes: CellNotes = { problems: [], repaired: [], restoredZeros: [] };
  let values: RecordValues = {};
  let fieldsKept = 0;
  for (const { field, col } of plan.columns) {
    const problems = notes.problems.length;
    const v = cellValue(field, cells[col], notes);
    if (v !== undefined) values[field.key] = v;
    if ((v !== undefined && v !== '') || notes.problems.length > problems) fieldsKept++;
  }
  const { target } = plan;
  const extra = plan.extras.flatMap(({ header, col }): Array<[string, string]> => {
    const c = cells[col];
    return isBlankCell(c) ? [] : [[header, String(c)]];
  });
  const lost = lostCell(plan, cells, values, notes, fieldsKept, extra.length);
  const bookYear = plan.bookYearFromDate ? yearOfDate(values.registrationDate) : undefined;
  if (bookYear !== undefined) values = withBookYear(target.registerType, values, bookYear);
  const problems = [...notes.problems, ...validateRecord(target.registerType, values)];
  const errors = problems.filter((p) => p.severity === 'error' && !(plan.bookYearFromDate && p.field === 'bookYear' && p.code === 'REQUIRED_FIELD_MISSING'));
  if (plan.bookYearFromDate && bookYear === undefined) errors.push(BOOK_YEAR_UNKNOWN);
  if (lost >= 0) {
    const e = CellNotConserved({ column: lost, header: plan.headers[lost] ?? '' });
    errors.push(problem(`column ${lost + 1}`, e.code, e.messageVi));
  }
  // PostgreSQL keeps no NUL in text: a cell holding one (written _x0000_ in an .xlsx) failed the whole import, retried, uncoded.
  const nul = cells.findIndex((c) => typeof c === 'string' && c.includes('\u0000'));
  if (nul >= 0) errors.push(problem(`column ${nul + 1}`, 'CELL_NUL', `Cột ${plan.headers[nul] || nul + 1}: ô có ký tự rỗng (U+0000), không lưu được; hãy xoá ký tự này trong tệp rồi nhập lại.`));

  if (values.registerType !== undefined && values.registerType !== target.registerType) {
    errors.push(
      problem('registerType', 'ROW_OTHER_REGISTER_TYPE', `Loại sổ: dòng thuộc ${registerType(values.registerType as RegisterTypeCode).nameVi}, không phải ${registerType(target.registerType).nameVi} đang nhập.`),
    );
  }
  // Only a row that names another agency's unit is refused: an official's own file may carry no unit columns at all.
  // A former unit's rows (a divided commune, a district) are its custodian's, and nobody's until the coordinator decides.
  const routed = plan.route(values);
  const refusal =
    routed.ok && routed.agency.code !== target.agencyCode
      ? RowOtherAgency({ agency: routed.agency.code, agencyName: routed.agency.name, importing: target.agencyName, ...(routed.custodianOf ? { formerUnit: unitLabel(routed.custodianOf) } : {}) })
      : !routed.ok && routed.pending
        ? RowCustodianUndecided({ formerUnit: unitLabel(routed.pending.unit) })
        : undefined;
  if (refusal) errors.push(problem('agencyCode', refusal.code, refusal.messageVi));

  if (typeof values.bookYear === 'number' && (values.bookYear < 1900 || values.bookYear > 2100)) {
    errors.push(problem('bookYear', 'BOOK_YEAR_OUT_OF_RANGE', `Năm đăng ký: ${values.bookYear} không phải năm của một sổ hộ tịch (1900–2100).`));
  }
  const bookNumber = typeof values.bookNumber === 'string' ? values.bookNumber.trim() : '';
  const registrationNumber = typeof values.registrationNumber === 'string' ? values.registrationNumber.trim() : '';
  const key =
    typeof values.bookYear === 'number' && bookNumber !== '' && registrationNumber !== ''
      ? { unitCode: routed.ok ? routed.registeringUnit.code : (routed.pending?.registeringUnit.code ?? target.agencyCode), bookYear: values.bookYear, bookNumber, bookKey: bookKey(bookNumber), registrationNumber, numberKey: numberKey(registrationNumber) }
      : undefined;
  if (key && errors.length === 0) {
    const identity = `${key.unitCode}|${key.bookYear}|${key.bookKey}|${key.numberKey}`;
    const first = firstRowOf.get(identity);
    if (first !== undefined) {
      errors.push(problem('registrationNumber', 'DUPLICATE_REGISTRATION_NUMBER', `Số đăng ký ${registrationNumber} đã có ở dòng ${first} trong cùng quyển số ${bookNumber} năm ${key.bookYear}.`));
    } else firstRowOf.set(identity, rowNumber);
  }
  if (errors.length > 0 || !key) return { ok: false, problems: errors };

  const recordNotes: RecordNotes = {};
  const warnings = problems.filter((p) => p.severity === 'warning');
  if (warnings.length) recordNotes.warnings = warnings;
  if (notes.repaired.length) recordNotes.repaired = notes.repaired;
  if (notes.restoredZeros.length) recordNotes.restoredZeros = notes.restoredZeros;
  if (bookYear !== undefined) recordNotes.derived = [{ field: 'bookYear', from: 'registrationDate', messageVi: BOOK_YEAR_FROM_DATE_VI }];
  if (extra.length) recordNotes.extra = extra;
  return { ok: true, key, values, notes: recordNotes };
}

/**
 * The record's values as stored: dictionary order (the plan parses in that order), empty fields
 * left out, so the same row always gives the same text (and the same hash) whatever column
 * order the file had.
 */
export function canonicalValues(values: RecordValues): string {
  return JSON.stringify(values);
}

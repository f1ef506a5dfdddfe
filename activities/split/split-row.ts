/**
 * A sheet's rows through the split, compiled once per sheet (and register type) from its
 * mapping so that a row is a few walks over its cells. What comes out is what `mapRow`,
 * `parseRowValues` and `displayValue` give, but a row is first parsed only as far as routing
 * needs: a row that cannot be placed goes to the exceptions as it was received, so the rest of
 * it is never read. Before a row is written, its cells are checked against what was read:
 * every non-blank input cell must have arrived in its place (cell-conservation.ts).
 */
import { cellValue, displayValue, type CellNotes } from '../../domain/profiles/cell-values';
import { isBlankCell, isBlankText } from '../../domain/profiles/cell-conservation';
import type { ImportProfile } from '../../domain/profiles/profile-schema';
import { requireColumns, type SheetMapping } from '../../domain/profiles/sheet-mapping';
import { fieldsOf, type FieldDef, type RegisterTypeCode } from '../../domain/registers/register-types';
import type { RecordValues } from '../../domain/registers/validate-record';
import { ROUTING_FIELDS } from '../../domain/units/routing';
import type { SheetCell } from '../../formats/tabular/read-rows';

interface Column {
  field: FieldDef;
  col: number;
}

export interface SheetPlan {
  type: RegisterTypeCode;
  /** Mapped fields in column order: the order they are parsed, and their problems told, in. */
  fields: readonly Column[];
  /** The mapped fields routing reads, in the same order. */
  routing: readonly Column[];
  /**
   * The register's fields in output order, each with its input column and its place in
   * `fields`, both -1 when the sheet lacks it.
   */
  output: ReadonlyArray<{ field: FieldDef; col: number; at: number }>;
  /** Columns of no field of this type, in order: the header they had and where they are. */
  extras: ReadonlyArray<{ header: string; col: number }>;
  /** Cells of the header row: a column at or past it has no header. */
  width: number;
  /** No book-year column: the year of the registration date is written at `out`. */
  bookYearFromDate?: { out: number };
}

/**
 * The plan of one register type over a sheet's mapping. A sheet whose rows carry their own
 * type was mapped with every type's fields: a column is this type's field when its key is
 * one of this type's, and is kept as an unknown column otherwise. Refuses (PROFILE_COLUMN_MISSING)
 * a type whose required columns the sheet lacks.
 */
export function compileSheetPlan(mapping: SheetMapping, type: RegisterTypeCode, profile: ImportProfile, sheet: string, width: number): SheetPlan {
  const own = new Map(fieldsOf(type).map((f) => [f.key, f]));
  const fields: Column[] = [];
  const extras: Array<{ header: string; col: number }> = [];
  for (const c of mapping.columns) {
    const field = c.field && own.get(c.field.key);
    if (field) fields.push({ field, col: c.index });
    else extras.push({ header: c.header, col: c.index });
  }
  const taken = new Set(fields.map((c) => c.field.key));
  const bookYearFromDate = !taken.has('bookYear') && taken.has('registrationDate');
  requireColumns(sheet, fieldsOf(type), taken, bookYearFromDate, profile);
  const at = new Map(fields.map((c, i) => [c.field, i]));
  const output = fieldsOf(type).map((field) => {
    const i = at.get(field) ?? -1;
    return { field, col: i < 0 ? -1 : fields[i]!.col, at: i };
  });
  return {
    type,
    fields,
    routing: fields.filter((c) => ROUTING_FIELDS.includes(c.field.key)),
    output,
    extras,
    width,
    ...(bookYearFromDate ? { bookYearFromDate: { out: output.findIndex((o) => o.field.key === 'bookYear') } } : {}),
  };
}

/** A row's parsed fields: each value at its field's place in the plan's `fields`. */
export interface ParsedFields extends CellNotes {
  values: Array<RecordValues[string] | undefined>;
}

const newNotes = (): CellNotes => ({ problems: [], repaired: [], restoredZeros: [] });

/** The values routing reads; nothing else of the row is parsed. */
export function routingValues(plan: SheetPlan, cells: readonly SheetCell[]): RecordValues {
  const values: RecordValues = {};
  const notes = newNotes();
  for (const c of plan.routing) {
    const value = cellValue(c.field, cells[c.col], notes);
    if (value !== undefined) values[c.field.key] = value;
  }
  return values;
}

/** Every mapped field of the row, parsed. */
export function parseFields(plan: SheetPlan, cells: readonly SheetCell[]): ParsedFields {
  const parsed: ParsedFields = { values: new Array(plan.fields.length), ...newNotes() };
  for (let i = 0; i < plan.fields.length; i++) {
    const c = plan.fields[i]!;
    parsed.values[i] = cellValue(c.field, cells[c.col], parsed);
  }
  return parsed;
}

const cellText = (c: SheetCell | undefined) => (c === null || c === undefined ? '' : String(c));

/**
 * The text written for each field: the parsed value's display form, else the cell as received
 * (a value that cannot be read, or one whose display form is empty, as a flag's "không").
 */
export function outputCells(plan: SheetPlan, cells: readonly SheetCell[], parsed: ParsedFields, bookYear?: number): Array<string | null> {
  const out = new Array<string | null>(plan.output.length);
  for (let i = 0; i < plan.output.length; i++) {
    const { field, col, at } = plan.output[i]!;
    const v = at < 0 ? undefined : parsed.values[at];
    const shown = v !== undefined && v !== null && v !== '' ? displayValue(field, v) : '';
    out[i] = shown !== '' ? shown : col < 0 ? '' : cellText(cells[col]);
  }
  if (plan.bookYearFromDate && bookYear !== undefined) out[plan.bookYearFromDate.out] = String(bookYear);
  return out;
}

/** An input column whose cell goes nowhere (no header, past the header, dropped by the profile). */
const NOWHERE = -1;
/** An input column whose cell goes into "Cột khác", under its key. */
const OTHER = -2;

/** Where each input column of one plan goes in the rows of one output file. */
export interface RowLayout {
  /** Per input column of the header: its place in the written row, OTHER or NOWHERE. */
  dest: Int32Array;
  /** Per input column going to "Cột khác": the key it is written under there. */
  otherKeys: ReadonlyArray<string | undefined>;
  /** Places in the written row that hold an input cell: the fields read from a column, and the unknown columns. */
  carrying: Int32Array;
  /** Where the file's unknown columns start, and how many it has ("Cột khác" follows them). */
  extrasAt: number;
  extras: number;
}

/**
 * The layout of a plan's rows in a file whose unknown columns are `fileExtras` (those of the
 * sheet that opened it): the n-th column headed H goes under the file's n-th H, and one the
 * file lacks into "Cột khác" under H (then "H (2)", … when H comes again).
 */
export function compileRowLayout(plan: SheetPlan, trace: number, fileExtras: readonly string[]): RowLayout {
  const dest = new Int32Array(plan.width).fill(NOWHERE);
  for (let i = 0; i < plan.output.length; i++) if (plan.output[i]!.col >= 0) dest[plan.output[i]!.col] = i;
  const extrasAt = plan.output.length + trace;
  const slots = new Map<string, number[]>();
  fileExtras.forEach((h, i) => (slots.get(h) ?? slots.set(h, []).get(h)!).push(extrasAt + i));
  const taken = new Map<string, number>();
  const otherKeys: Array<string | undefined> = [];
  const usedKeys = new Set<string>();
  for (const e of plan.extras) {
    const n = taken.get(e.header) ?? 0;
    taken.set(e.header, n + 1);
    const slot = slots.get(e.header)?.[n];
    if (slot !== undefined) {
      dest[e.col] = slot;
      continue;
    }
    let key = e.header;
    for (let k = 2; usedKeys.has(key); k++) key = `${e.header} (${k})`;
    usedKeys.add(key);
    dest[e.col] = OTHER;
    otherKeys[e.col] = key;
  }
  const carrying = [...plan.output.flatMap((o, i) => (o.col >= 0 ? [i] : [])), ...fileExtras.map((_, i) => extrasAt + i)];
  return { dest, otherKeys, carrying: Int32Array.from(carrying), extrasAt, extras: fileExtras.length };
}

/**
 * Appends the row's unknown columns to `out` (the fields and trace columns already in it):
 * each under its file column, those the file lacks into "Cột khác" as JSON. Returns what went
 * there, for the check.
 */
export function appendExtras(layout: RowLayout, plan: SheetPlan, cells: readonly SheetCell[], out: Array<string | null>): Record<string, string> | undefined {
  for (let i = 0; i < layout.extras; i++) out.push(null);
  let others: Record<string, string> | undefined;
  for (const e of plan.extras) {
    const value = cells[e.col];
    if (isBlankCell(value)) continue;
    const d = layout.dest[e.col]!;
    if (d >= 0) out[d] = cellText(value);
    else (others ??= {})[layout.otherKeys[e.col]!] = cellText(value);
  }
  out.push(others ? JSON.stringify(others) : null);
  return others;
}

const blankOut = (s: string | null | undefined) => s === null || s === undefined || isBlankText(s);

/** What the check found for one row; one instance is reused, so checking allocates nothing. */
export interface CellTally {
  /** Non-blank cells read. */
  in: number;
  /** Written places holding an input cell. */
  out: number;
  /** The first input column whose cell did not arrive, or -1. */
  lost: number;
}

/**
 * Compares the row as read with the row as it will be written: every non-blank input cell
 * must be non-blank in its place (a field's value, however normalised, or the unknown column
 * verbatim), and the places holding input cells must be as many as the cells, so that no two
 * cells went to one place.
 */
export function checkCells(layout: RowLayout, cells: readonly SheetCell[], out: ReadonlyArray<string | null>, others: Record<string, string> | undefined, tally: CellTally): void {
  let cellsIn = 0;
  let lost = -1;
  const { dest } = layout;
  for (let c = 0; c < cells.length; c++) {
    if (isBlankCell(cells[c])) continue;
    cellsIn++;
    if (lost >= 0) continue;
    const d = c < dest.length ? dest[c]! : NOWHERE;
    if (d >= 0 ? blankOut(out[d]) : d !== OTHER || others?.[layout.otherKeys[c]!] === undefined) lost = c;
  }
  let cellsOut = 0;
  for (let i = 0; i < layout.carrying.length; i++) if (!blankOut(out[layout.carrying[i]!])) cellsOut++;
  if (others) for (const key in others) if (!isBlankText(others[key]!)) cellsOut++;
  if (lost < 0 && cellsOut < cellsIn) lost = sharedPlace(layout, cells);
  tally.in = cellsIn;
  tally.out = cellsOut;
  tally.lost = lost;
}

/** The first input column whose place an earlier column's cell already took (rare: told only then). */
function sharedPlace(layout: RowLayout, cells: readonly SheetCell[]): number {
  const seen = new Set<number | string>();
  for (let c = 0; c < cells.length; c++) {
    if (isBlankCell(cells[c])) continue;
    const d = layout.dest[c]!;
    const place = d === OTHER ? layout.otherKeys[c]! : d;
    if (seen.has(place)) return c;
    seen.add(place);
  }
  return 0;
}

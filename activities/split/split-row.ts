/**
 * A sheet's rows through the split, compiled once per sheet from its mapping so that a row is
 * a few walks over its cells. What comes out is what `mapRow`, `parseRowValues` and
 * `displayValue` give, but a row is first parsed only as far as routing needs: a row that
 * cannot be placed goes to the exceptions as it was received, so the rest of it is never read.
 */
import { cellValue, displayValue, type CellNotes } from '../../domain/profiles/cell-values';
import type { SheetMapping } from '../../domain/profiles/sheet-mapping';
import { fieldsOf, type FieldDef, type RegisterTypeCode } from '../../domain/registers/register-types';
import type { RecordValues } from '../../domain/registers/validate-record';
import { ROUTING_FIELDS } from '../../domain/units/routing';
import type { SheetCell } from '../../formats/tabular/read-rows';

interface Column {
  field: FieldDef;
  col: number;
}

export interface SheetPlan {
  /** Mapped fields in column order: the order they are parsed, and their problems told, in. */
  fields: readonly Column[];
  /** The mapped fields routing reads, in the same order. */
  routing: readonly Column[];
  /**
   * The register's fields in output order, each with its input column and its place in
   * `fields`, both -1 when the sheet lacks it.
   */
  output: ReadonlyArray<{ field: FieldDef; col: number; at: number }>;
  /** Columns of no field, in order: the header they had and where they are. */
  extras: ReadonlyArray<{ header: string; col: number }>;
}

export function compileSheetPlan(mapping: SheetMapping, type: RegisterTypeCode): SheetPlan {
  const fields = mapping.columns.flatMap((c) => (c.field ? [{ field: c.field, col: c.index }] : []));
  const at = new Map(fields.map((c, i) => [c.field, i]));
  return {
    fields,
    routing: fields.filter((c) => ROUTING_FIELDS.includes(c.field.key)),
    output: fieldsOf(type).map((field) => {
      const i = at.get(field) ?? -1;
      return { field, col: i < 0 ? -1 : fields[i]!.col, at: i };
    }),
    extras: mapping.columns.filter((c) => !c.field).map((c) => ({ header: c.header, col: c.index })),
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

/** The text written for each field: the parsed value's display form, else the cell as received. */
export function outputCells(plan: SheetPlan, cells: readonly SheetCell[], parsed: ParsedFields): string[] {
  const out = new Array<string>(plan.output.length);
  for (let i = 0; i < plan.output.length; i++) {
    const { field, col, at } = plan.output[i]!;
    const v = at < 0 ? undefined : parsed.values[at];
    out[i] = v !== undefined && v !== null && v !== '' ? displayValue(field, v) : col < 0 ? '' : cellText(cells[col]);
  }
  return out;
}

/** The extra columns of a row, by header, as `mapRow` gives them. */
export function extraCells(plan: SheetPlan, cells: readonly SheetCell[]): Array<readonly [string, SheetCell | undefined]> {
  return plan.extras.map((e) => [e.header, cells[e.col]] as const);
}

/**
 * Reads a finished split back and checks it against the generator's truth: every .xls opens
 * in SheetJS, its header reads through the split-output profile, its SHA-256 is the manifest's,
 * every row lands where expected-rows.ndjson says with the exact text of the generated row,
 * input rows = rows written + exception rows, and the cells SheetJS finds in the files and the
 * exceptions are those the manifest counts, as many as were read.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { EXCEPTION_HEADERS, EXCEPTIONS_FILE, EXCEPTIONS_INFO_SHEET, SPLIT_TRACE_HEADERS, type SplitManifest } from '../../activities/split/split-export';
import { displayValue } from '../../domain/profiles/cell-values';
import { SHIPPED_PROFILES } from '../../domain/profiles/shipped';
import { compileSheetMapping } from '../../domain/profiles/sheet-mapping';
import { fieldsOf, type RegisterTypeCode } from '../../domain/registers/register-types';
import { titleRows, type Defect } from '../../domain/synthetic/defects';
import { generateProvinceExport, type GeneratedRow, type ProvinceExportOptions } from '../../domain/synthetic/province-export';

/** Each generated row under its "Dòng gốc" (sheet!row): the header, and title rows when asked for, come first. */
export function truthBySource(opts: ProvinceExportOptions): Map<string, GeneratedRow> {
  const above = 1 + ((opts.defects ?? []).includes('header-offset' as Defect) ? titleRows('', '').length : 0);
  const seen: Record<string, number> = {};
  const truth = new Map<string, GeneratedRow>();
  for (const row of generateProvinceExport(opts)) truth.set(`${row.type}!${(seen[row.type] = (seen[row.type] ?? 0) + 1) + above}`, row);
  return truth;
}

const blank = (c: unknown) => c === null || c === undefined || String(c).trim() === '';

/** Non-blank cells of a written row that hold an input cell: all but the split's trace columns, each entry of "Cột khác" one. */
function inputCellsOf(header: unknown[], cells: unknown[]): number {
  let n = 0;
  header.forEach((h, i) => {
    if (blank(cells[i]) || (SPLIT_TRACE_HEADERS as readonly unknown[]).includes(h)) return;
    n += h === 'Cột khác' ? Object.keys(JSON.parse(String(cells[i])) as object).length : 1;
  });
  return n;
}

export const rowsOfXls = (file: string) => {
  const wb = XLSX.readFile(file, { raw: true });
  return XLSX.utils.sheet_to_json<Array<string | number | null>>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: true, defval: null });
};

const REPAIRED = ['text-decomposed', 'text-tcvn3', 'text-vni', 'code-zeros-lost'];
const UNIT_FIELDS = ['agencyCode', 'districtCode', 'agencyName', 'districtName'];

/**
 * Every field reads back with the generated text: damaged text and lost zeros repaired,
 * formula-like text kept as text. Fields a defect really changed (a missing value, a bad
 * date, a unit named otherwise) keep what the export said, which is not the truth.
 */
export function expectExactText(row: GeneratedRow, type: RegisterTypeCode, cells: Array<string | number | null>): void {
  const d = row.defect;
  for (const [i, f] of fieldsOf(type).entries()) {
    const changed = d && !REPAIRED.includes(d.kind) && (f.key === d.field || (d.kind.startsWith('unit-') && UNIT_FIELDS.includes(f.key)));
    const want = changed ? (d.kind === 'formula-text' ? d.expectValue : undefined) : displayValue(f, row.values[f.key]);
    if (want === undefined) continue;
    // One comparison per field would make 100,000 rows slow; compare first, report on a mismatch.
    if ((cells[i] ?? '') !== want) expect([row.rowId, f.key, cells[i] ?? '']).toEqual([row.rowId, f.key, want]);
  }
}

/** Checks the whole output folder; returns how many rows were read back from the .xls files. */
export function verifySplitTree(outDir: string, manifest: SplitManifest, truth: Map<string, GeneratedRow>, expectedRowsFile: string): number {
  expect(manifest.rowsWritten + manifest.exceptionRows).toBe(manifest.input.rows);
  const expected = fs.readFileSync(expectedRowsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { row: number; agency?: string; exception?: string });
  const wantExceptions: Record<string, number> = {};
  for (const e of expected) if (e.exception) wantExceptions[e.exception] = (wantExceptions[e.exception] ?? 0) + 1;
  expect(manifest.exceptions.byReason).toEqual(wantExceptions);

  expect(manifest.cells.out).toBe(manifest.cells.in);
  expect(manifest.cells.written + manifest.cells.exceptions).toBe(manifest.cells.out);
  const placed = new Map<string, string>();
  let readBack = 0;
  let cellsWritten = 0;
  for (const agency of manifest.agencies) {
    let rows = 0;
    for (const file of agency.files) {
      const full = path.join(outDir, file.path);
      expect(createHash('sha256').update(fs.readFileSync(full)).digest('hex')).toBe(file.sha256);
      const [header, ...data] = rowsOfXls(full);
      // The split-output profile reads the file back with every field found.
      const mapping = compileSheetMapping(header!, SHIPPED_PROFILES['split-output']!, file.registerType, file.registerType);
      expect(mapping.fields).toEqual(fieldsOf(file.registerType));
      expect(data).toHaveLength(file.rows);
      const origin = header!.indexOf('Dòng gốc');
      const width = fieldsOf(file.registerType).length;
      let cells = 0;
      for (const row of data) {
        const source = String(row[origin]);
        placed.set(source, agency.code);
        expectExactText(truth.get(source)!, file.registerType, row.slice(0, width));
        cells += inputCellsOf(header!, row);
      }
      expect(file.cells).toEqual({ in: cells, out: cells });
      cellsWritten += cells;
      rows += data.length;
    }
    expect(rows).toBe(agency.rows);
    readBack += rows;
    expect(JSON.parse(fs.readFileSync(path.join(outDir, agency.folder, 'manifest.json'), 'utf8'))).toEqual(agency);
  }
  const misplaced: string[] = [];
  for (const [source, row] of truth) {
    const want = expected[row.rowId - 1]!;
    if ((want.agency ?? undefined) !== placed.get(source)) misplaced.push(`${source}: ${placed.get(source)} ≠ ${want.agency}`);
  }
  expect(misplaced).toEqual([]);
  const exceptions = XLSX.readFile(path.join(outDir, EXCEPTIONS_FILE));
  expect(exceptions.SheetNames.at(-1)).toBe(EXCEPTIONS_INFO_SHEET);
  const exceptionRows = exceptions.SheetNames.slice(0, -1).flatMap((n) => XLSX.utils.sheet_to_json<unknown[]>(exceptions.Sheets[n]!, { header: 1 }).slice(1));
  expect(exceptionRows).toHaveLength(manifest.exceptionRows);
  expect(readBack + exceptionRows.length).toBe(manifest.input.rows);
  expect(cellsWritten).toBe(manifest.cells.written);
  // The row as received follows the reason code, reason, sheet, row, candidates and the placement column.
  expect(exceptionRows.reduce((n, r) => n + r.slice(EXCEPTION_HEADERS.length).filter((c) => !blank(c)).length, 0)).toBe(manifest.exceptions.cells);
  return readBack;
}

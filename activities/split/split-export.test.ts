/**
 * The split on a generated province with every row and sheet defect: every row is where the
 * expected results put it, every output file reads back (through the split-output profile)
 * with the exact text of the generated truth, rows are conserved, and the manifest's hashes
 * are those of the files.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { splitExport, EXCEPTIONS_FILE, type SplitManifest } from './split-export';
import { generateExport } from '../../cli/gen/generate';
import { ROW_DEFECTS, SHEET_DEFECTS } from '../../domain/synthetic/defects';
import { generateProvinceExport, type GeneratedRow } from '../../domain/synthetic/province-export';
import { displayValue } from '../../domain/profiles/cell-values';
import { SHIPPED_PROFILES } from '../../domain/profiles/shipped';
import { compileSheetMapping } from '../../domain/profiles/sheet-mapping';
import { fieldsOf, type RegisterTypeCode } from '../../domain/registers/register-types';
import { writeZip } from '../../formats/zip/zip-writer';

const OPTIONS = { provinceCode: '02', records: 5000, seed: 21, defects: [...ROW_DEFECTS, ...SHEET_DEFECTS] };
let dir: string;
let manifest: SplitManifest;
const truth = new Map<string, GeneratedRow>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-'));
  await generateExport({ ...OPTIONS, out: path.join(dir, 'gen'), format: 'xlsx' });
  const seen: Record<string, number> = {};
  // The sheet row of each generated row: three title rows and the header come first.
  for (const row of generateProvinceExport(OPTIONS)) truth.set(`${row.type}!${(seen[row.type] = (seen[row.type] ?? 0) + 1) + 4}`, row);
  manifest = await splitExport({ provinceCode: '02', input: path.join(dir, 'gen', 'export', '02-c06.xlsx'), outDir: path.join(dir, 'out') });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rowsOf = (file: string) => {
  const wb = XLSX.readFile(file, { raw: true });
  return XLSX.utils.sheet_to_json<Array<string | number | null>>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: true, defval: null });
};

test('rows are conserved and each lands where the expected results say', () => {
  expect(manifest.input).toMatchObject({ rows: 5000, blankRows: 0 });
  expect(manifest.rowsWritten + manifest.exceptionRows).toBe(5000);
  const expected = fs.readFileSync(path.join(dir, 'gen', 'expected-rows.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { row: number; agency?: string; exception?: string });
  const wantExceptions: Record<string, number> = {};
  for (const e of expected) if (e.exception) wantExceptions[e.exception] = (wantExceptions[e.exception] ?? 0) + 1;
  expect(manifest.exceptions.byReason).toEqual(wantExceptions);

  const placed = new Map<string, string>();
  for (const agency of manifest.agencies) {
    let rows = 0;
    for (const file of agency.files) {
      const full = path.join(dir, 'out', file.path);
      expect(createHash('sha256').update(fs.readFileSync(full)).digest('hex')).toBe(file.sha256);
      const [header, ...data] = rowsOf(full);
      // The split-output profile reads the file back with every field found.
      const mapping = compileSheetMapping(header!, SHIPPED_PROFILES['split-output']!, file.registerType, file.registerType);
      expect(mapping.fields).toEqual(fieldsOf(file.registerType));
      expect(data).toHaveLength(file.rows);
      const origin = header!.indexOf('Dòng gốc');
      for (const cells of data) {
        const source = String(cells[origin]);
        placed.set(source, agency.code);
        const row = truth.get(source)!;
        expectExactText(row, file.registerType, cells.slice(0, fieldsOf(file.registerType).length));
      }
      rows += data.length;
    }
    expect(rows).toBe(agency.rows);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out', agency.folder, 'manifest.json'), 'utf8'))).toEqual(agency);
  }
  for (const [source, row] of truth) {
    const want = expected[row.rowId - 1]!;
    if (want.agency) expect([source, placed.get(source)]).toEqual([source, want.agency]);
    else expect(placed.has(source)).toBe(false);
  }
  const exceptions = XLSX.readFile(path.join(dir, 'out', EXCEPTIONS_FILE));
  const exceptionRows = exceptions.SheetNames.flatMap((n) => XLSX.utils.sheet_to_json<unknown[]>(exceptions.Sheets[n]!, { header: 1 }).slice(1));
  expect(exceptionRows).toHaveLength(manifest.exceptionRows);
});

const REPAIRED = ['text-decomposed', 'text-tcvn3', 'text-vni', 'code-zeros-lost'];
const UNIT_FIELDS = ['agencyCode', 'districtCode', 'agencyName', 'districtName'];

/**
 * Every field reads back with the generated text: damaged text and lost zeros repaired,
 * formula-like text kept as text. Fields a defect really changed (a missing value, a bad
 * date, a unit named otherwise) keep what the export said, which is not the truth.
 */
function expectExactText(row: GeneratedRow, type: RegisterTypeCode, cells: Array<string | number | null>): void {
  const d = row.defect;
  for (const [i, f] of fieldsOf(type).entries()) {
    const changed = d && !REPAIRED.includes(d.kind) && (f.key === d.field || (d.kind.startsWith('unit-') && UNIT_FIELDS.includes(f.key)));
    const want = changed ? (d.kind === 'formula-text' ? d.expectValue : undefined) : displayValue(f, row.values[f.key]);
    if (want === undefined) continue;
    expect([row.rowId, f.key, cells[i] ?? '']).toEqual([row.rowId, f.key, want]);
  }
}

test('a retry with the same input returns the finished split; another input is refused', async () => {
  const again = await splitExport({ provinceCode: '02', input: path.join(dir, 'gen', 'export', '02-c06.xlsx'), outDir: path.join(dir, 'out') });
  expect(again).toEqual(manifest);
  const other = path.join(dir, 'other.csv');
  fs.writeFileSync(other, 'a,b\n1,2\n');
  await expect(splitExport({ provinceCode: '02', input: other, outDir: path.join(dir, 'out') })).rejects.toMatchObject({ code: 'SPLIT_OUTPUT_EXISTS' });
  expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
});

test('the same export as CSV files in a zip splits the same way', async () => {
  const csv = await generateExport({ ...OPTIONS, out: path.join(dir, 'csv'), format: 'csv' });
  const zip = path.join(dir, 'export.zip');
  fs.writeFileSync(zip, writeZip(csv.files.map((f) => ({ name: `C06/${path.basename(f)}`, data: fs.readFileSync(path.join(dir, 'csv', f)), deflate: true }))));
  const fromZip = await splitExport({ provinceCode: '02', input: zip, outDir: path.join(dir, 'out-zip') });
  expect(fromZip.rowsWritten).toBe(manifest.rowsWritten);
  expect(fromZip.exceptions.byReason).toEqual(manifest.exceptions.byReason);
  expect(fromZip.agencies.map((a) => [a.code, a.rows, a.files.map((f) => [f.path, f.rows])])).toEqual(manifest.agencies.map((a) => [a.code, a.rows, a.files.map((f) => [f.path, f.rows])]));
}, 60_000);

test('a sheet that is not an export goes to the exceptions whole, with its reason', async () => {
  const file = path.join(dir, 'odd.csv');
  fs.writeFileSync(file, '\uFEFFCột A,Cột B\nx,y\n,\nz,w\n');
  const m = await splitExport({ provinceCode: '02', input: file, outDir: path.join(dir, 'out-odd') });
  expect(m).toMatchObject({ rowsWritten: 0, exceptionRows: 3, input: { rows: 3, blankRows: 1 } });
  expect(Object.keys(m.exceptions.byReason)).toEqual(['PROFILE_REGISTER_TYPE_UNKNOWN']);
}, 60_000);

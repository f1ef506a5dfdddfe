/**
 * The split on a generated province with every row and sheet defect: every row is where the
 * expected results put it, every output file reads back (through the split-output profile)
 * with the exact text of the generated truth, rows are conserved, and the manifest's hashes
 * are those of the files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { splitExport, type SplitManifest } from './split-export';
import { generateExport } from '../../cli/gen/generate';
import * as XLSX from '@e965/xlsx';
import { ROW_DEFECTS, SHEET_DEFECTS, titleRows } from '../../domain/synthetic/defects';
import type { GeneratedRow } from '../../domain/synthetic/province-export';
import { truthBySource, verifySplitTree } from '../../test/support/split-verification';
import { writeZip } from '../../formats/zip/zip-writer';

const OPTIONS = { provinceCode: '02', records: 5000, seed: 21, defects: [...ROW_DEFECTS, ...SHEET_DEFECTS] };
let dir: string;
let manifest: SplitManifest;
let truth: Map<string, GeneratedRow>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-'));
  await generateExport({ ...OPTIONS, out: path.join(dir, 'gen'), format: 'xlsx' });
  truth = truthBySource(OPTIONS);
  manifest = await splitExport({ provinceCode: '02', input: path.join(dir, 'gen', 'export', '02-c06.xlsx'), outDir: path.join(dir, 'out') });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('rows are conserved and each lands where the expected results say, with the exact text', () => {
  expect(manifest.input).toMatchObject({ rows: 5000, blankRows: 0 });
  verifySplitTree(path.join(dir, 'out'), manifest, truth, path.join(dir, 'gen', 'expected-rows.ndjson'));
});

test('cells are conserved: the non-blank cells SheetJS reads below each header are the cells in, and all are out', () => {
  const wb = XLSX.readFile(path.join(dir, 'gen', 'export', '02-c06.xlsx'));
  const above = 1 + titleRows('', '').length;
  let cells = 0;
  for (const name of wb.SheetNames) {
    for (const row of XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name]!, { header: 1, raw: true, defval: null }).slice(above)) {
      cells += row.filter((c) => c !== null && String(c).trim() !== '').length;
    }
  }
  expect(manifest.cells).toEqual({ in: cells, out: cells, written: expect.any(Number), exceptions: expect.any(Number) });
  expect(manifest.cells.exceptions).toBeGreaterThan(0);
  expect(manifest.agencies.reduce((n, a) => n + a.cells.out, 0)).toBe(manifest.cells.written);
});

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

test('a sheet that is not an export goes to the exceptions whole, with its reason; its header line is no row', async () => {
  const file = path.join(dir, 'odd.csv');
  fs.writeFileSync(file, '\uFEFFCột A,Cột B\nx,y\n,\nz,w\n');
  const m = await splitExport({ provinceCode: '02', input: file, outDir: path.join(dir, 'out-odd') });
  expect(m).toMatchObject({ rowsWritten: 0, exceptionRows: 2, input: { rows: 2, blankRows: 1 }, cells: { in: 4, out: 4 } });
  expect(m.refusedSheets).toEqual([{ sheet: 'odd', code: 'PROFILE_HEADER_NOT_FOUND', messageVi: 'Không tìm thấy dòng tiêu đề trong 4 dòng đầu của trang "odd".', rows: 2 }]);
}, 60_000);

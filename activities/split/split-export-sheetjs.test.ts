/**
 * Issue 20: the split of an export no one here wrote, a C06-style sheet written by SheetJS's
 * default writer whose names have leading, trailing and doubled spaces. Every name comes out
 * with its spaces collapsed, as the normaliser makes them, and none is emptied: in the
 * agencies' files, and as written in the exceptions workbook.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { EXCEPTIONS_FILE, EXCEPTIONS_INFO_SHEET, splitExport, SPLIT_TRACE_HEADERS } from './split-export';
import { fieldsOf } from '../../domain/registers/register-types';
import { rowsOfXls } from '../../test/support/split-verification';
import { damageName, NAME_FIELDS, sheetXmlOf, writeSpacedNamesExport } from '../../test/support/sheetjs-c06-export';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-sheetjs-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('every spaced name of a SheetJS-written export comes out whole, its spaces collapsed', async () => {
  const input = path.join(dir, 'C06 khai sinh.xlsx');
  const { rows, names } = writeSpacedNamesExport(input, { provinceCode: '01', records: 1500, seed: 20 });
  // The form the names were lost in.
  expect(sheetXmlOf(input)).toMatch(/<c r="[A-Z]+\d+" t="str"><v xml:space="preserve">  \S+  ?\S/);
  const written = [...names.values()].flat();
  expect(written.length).toBeGreaterThan(500);

  const manifest = await splitExport({ provinceCode: '01', input, outDir: path.join(dir, 'out') });
  expect(manifest.input.rows).toBe(rows.length);
  expect(manifest.rowsWritten + manifest.exceptionRows).toBe(rows.length);

  const fields = fieldsOf('KS');
  const read = new Map<string, Array<{ field: string; read: unknown }>>();
  for (const agency of manifest.agencies) {
    for (const file of agency.files) {
      const [header, ...data] = rowsOfXls(path.join(dir, 'out', file.path));
      const origin = header!.indexOf(SPLIT_TRACE_HEADERS[2]);
      for (const cells of data) read.set(String(cells[origin]), NAME_FIELDS.map((f) => ({ field: f.key, read: cells[fields.indexOf(f)] ?? '' })));
    }
  }
  // The exceptions keep the row as it came: its names as written.
  const exceptions = XLSX.readFile(path.join(dir, 'out', EXCEPTIONS_FILE));
  const asWritten = new Map<string, Array<{ field: string; read: unknown }>>();
  // The last sheet says which package the workbook is of, not rows.
  for (const name of exceptions.SheetNames.filter((n) => n !== EXCEPTIONS_INFO_SHEET)) {
    const [header, ...data] = XLSX.utils.sheet_to_json<unknown[]>(exceptions.Sheets[name]!, { header: 1, defval: null });
    if (!data.length) continue;
    const sheet = header!.indexOf('Trang gốc');
    const row = header!.indexOf('Dòng gốc');
    const first = header!.indexOf(fields[0]!.labelVi);
    for (const cells of data) asWritten.set(`${String(cells[sheet])}!${String(cells[row])}`, NAME_FIELDS.map((f) => ({ field: f.key, read: cells[first + fields.indexOf(f)] ?? '' })));
  }
  expect(read.size + asWritten.size).toBe(rows.length);

  const wrong: unknown[] = [];
  for (const [source, spacedNames] of names) {
    const split = read.get(source);
    const kept = asWritten.get(source);
    for (const name of spacedNames) {
      const got = (split ?? kept)?.find((n) => n.field === name.field)?.read;
      const want = split ? name.expected : name.written;
      if (got !== want) wrong.push({ source, field: name.field, want, got });
    }
  }
  expect(wrong).toEqual([]);
}, 120_000);

test('a cell the reader cannot read exactly stops the split with the cell and a Vietnamese message, and leaves no output', async () => {
  const input = path.join(dir, 'C06 có ô hỏng.xlsx');
  writeSpacedNamesExport(input, { provinceCode: '01', records: 300, seed: 21 });
  damageName(input, 'R40');

  await expect(splitExport({ provinceCode: '01', input, outDir: path.join(dir, 'out-damaged') })).rejects.toMatchObject({
    code: 'XLSX_CELL_UNREADABLE',
    params: { sheet: 'KS', row: 40, column: 'R', problem: 'sharedString' },
    messageVi: expect.stringContaining('trang tính "KS", ô R40: ô trỏ tới một chuỗi dùng chung không có trong tệp'),
  });
  // Nothing is published: the work folder is cleared by the next attempt, as after any failed split.
  expect(fs.existsSync(path.join(dir, 'out-damaged'))).toBe(false);
}, 60_000);

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import * as XLSX from '@e965/xlsx';
import { XLS_MAX_ROWS, XLS_MAX_TEXT_LENGTH, XlsSheetWriter, columnLetter, writeXls, type XlsCell } from './xls-sheet-writer';
import { AppError } from '../../domain/errors';

function readBack(file: Buffer): { names: string[]; rows: unknown[][]; cellTypes: string[] } {
  const wb = XLSX.read(file, { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0]!]!;
  const cellTypes = Object.entries(ws)
    .filter(([k]) => !k.startsWith('!'))
    .map(([, c]) => (c as XLSX.CellObject).t);
  return { names: wb.SheetNames, rows: XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: null }), cellTypes };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
  return undefined;
}

describe('the BIFF8 sheet writer', () => {
  test('Vietnamese text, codes with leading zeros, formula-like text and numbers come back exactly', () => {
    const rows: XlsCell[][] = [
      ['Nguyễn Thị Ánh', '00001', 12],
      ['=SUM(A1:A2)', '+84 912 345 678', -1.5],
      ['@x', '-3', 0],
      ['Họ 𡨸 Nôm', null, ''],
    ];
    const { names, rows: back, cellTypes } = readBack(writeXls('Khai sinh', ['Họ và tên', 'Mã', 'Số'], rows));
    expect(names).toEqual(['Khai sinh']);
    expect(back).toEqual([['Họ và tên', 'Mã', 'Số'], ['Nguyễn Thị Ánh', '00001', 12], ['=SUM(A1:A2)', '+84 912 345 678', -1.5], ['@x', '-3', 0], ['Họ 𡨸 Nôm', null, null]]);
    expect(cellTypes).not.toContain('e');
  });

  test('texts longer than one BIFF record continue across records, surrogate pairs intact', () => {
    const long = 'Nguyễn Văn Ầ 𡨸 '.repeat(2000).slice(0, XLS_MAX_TEXT_LENGTH);
    const latin = 'a'.repeat(20_000);
    const { rows } = readBack(writeXls('Dài', ['x'], [[long], [latin], [long]]));
    expect(rows.slice(1)).toEqual([[long], [latin], [long]]);
  });

  test('any text round-trips (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer()), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 60 }), (table) => {
        const width = Math.max(...table.map((r) => r.length));
        const { rows } = readBack(writeXls('T', Array.from({ length: width }, (_, i) => columnLetter(i)), table));
        const expected = table.map((r) => Array.from({ length: width }, (_, i) => (r[i] === undefined || r[i] === '' ? null : r[i])));
        // SheetJS drops trailing empty rows; compare what it kept.
        expect(rows.slice(1)).toEqual(expected.slice(0, rows.length - 1));
        expect(expected.slice(rows.length - 1).every((r) => r.every((v) => v === null))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test('refuses what it cannot write exactly, leaving the sheet as it was', () => {
    const w = new XlsSheetWriter({ sheetName: 'Đầy', header: ['a'] });
    for (let i = 1; i < XLS_MAX_ROWS; i++) w.addRow([i]);
    expect(w.remainingRows).toBe(0);
    expect(codeOf(() => w.addRow([1]))).toBe('XLS_SHEET_FULL');
    const { rows } = readBack(w.finish());
    expect(rows).toHaveLength(XLS_MAX_ROWS);
    expect(rows.at(-1)).toEqual([XLS_MAX_ROWS - 1]);

    const v = new XlsSheetWriter({ sheetName: 'V' });
    expect(codeOf(() => v.addRow(['ok', 'x'.repeat(XLS_MAX_TEXT_LENGTH + 1)]))).toBe('XLS_TEXT_TOO_LONG');
    expect(codeOf(() => v.addRow([Number.NaN]))).toBe('XLS_NUMBER_NOT_FINITE');
    expect(codeOf(() => v.addRow(new Array(257).fill(1)))).toBe('XLS_TOO_MANY_COLUMNS');
    expect(v.rowCount).toBe(0);
    expect(codeOf(() => new XlsSheetWriter({ sheetName: 'a/b' }))).toBe('XLS_SHEET_NAME_INVALID');
    v.finish();
    expect(codeOf(() => v.finish())).toBe('XLS_WRITER_FINISHED');
  });

  test('a spilling writer keeps its bytes in files until finished, and the result is the same sheet', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xls-spill-'));
    try {
      const rows: XlsCell[][] = Array.from({ length: 20_000 }, (_, i) => [`Nguyễn Văn ${i}`, 'Kinh', i, i % 3 ? null : '=x']);
      const w = new XlsSheetWriter({ sheetName: 'KS', header: ['Họ và tên', 'Dân tộc', 'Số', 'Ghi chú'], spillTo: path.join(dir, 'ks') });
      for (const r of rows) w.addRow(r);
      expect(fs.readdirSync(dir).sort()).toEqual(['ks.cells', 'ks.sst']);
      expect(fs.statSync(path.join(dir, 'ks.cells')).size).toBeGreaterThan(0);
      const { rows: back } = readBack(w.finish());
      expect(back.slice(1)).toEqual(rows.map((r) => r.map((v) => v ?? null)));
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('column letters', () => {
    expect([0, 25, 26, 255].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'IV']);
  });
});

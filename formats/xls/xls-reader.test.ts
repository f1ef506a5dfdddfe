/**
 * The BIFF8 reader against SheetJS, cell by cell, on workbooks written by our writer, by SheetJS
 * (with and without a shared string table), by LibreOffice Calc, and built record by record for
 * what none of those write (formatting runs and phonetic blocks across CONTINUE records, STRING
 * records, rows out of order, embedded charts). SheetJS's output is first moved to where Excel
 * shows the cells and its error values given as their text, the reader's documented
 * differences (see xls-reader.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import CFB from 'cfb';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import * as XLSX from '@e965/xlsx';
import { AppError } from '../../domain/errors';
import { parseCivilDate } from '../../domain/dates/civil-date';
import { displayValue } from '../../domain/profiles/cell-values';
import { fieldsOf } from '../../domain/registers/register-types';
import { generateProvinceExport } from '../../domain/synthetic/province-export';
import type { SheetCell } from '../xlsx/streaming-xlsx-reader';
import { readXlsRowBatches } from './xls-reader';
import { XLS_MAX_ROWS, XLS_MAX_TEXT_LENGTH, XlsSheetWriter, writeXls, type XlsCell } from './xls-sheet-writer';

type Book = Record<string, SheetCell[][]>;

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xls-read-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function save(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

async function ours(file: string): Promise<Book> {
  const book: Book = {};
  for await (const batch of readXlsRowBatches(file)) {
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.length).toBeLessThanOrEqual(1000);
    for (const r of batch) {
      expect(r.sheet).toBe(batch[0]!.sheet);
      const rows = (book[r.sheet] ??= []);
      expect(r.row).toBe(rows.length + 1);
      rows.push(r.cells);
    }
  }
  return book;
}

/** Excel's error values by their BIFF8 code. */
const ERRORS: Record<number, string> = { 0x00: '#NULL!', 0x07: '#DIV/0!', 0x0f: '#VALUE!', 0x17: '#REF!', 0x1d: '#NAME?', 0x24: '#NUM!', 0x2a: '#N/A', 0x2b: '#GETTING_DATA' };

/** What formats/tabular read through SheetJS, moved to where Excel shows each cell, error values as their text. */
function sheetjs(file: string): Book {
  const wb = XLSX.readFile(file, { raw: true, cellDates: false, dense: true });
  const book: Book = {};
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    for (const row of (ws['!data'] ?? []) as Array<Array<XLSX.CellObject | undefined> | undefined>) for (const cell of row ?? []) if (cell?.t === 'e') Object.assign(cell, { t: 's', v: ERRORS[cell.v as number] });
    const kind: string | undefined = ws['!type'];
    if (kind === 'chart' || kind === 'macro' || !ws['!ref']) continue;
    const range = XLSX.utils.decode_range(ws['!ref']);
    const firstRowBlank = !ws['!data']![range.s.r];
    const rows = XLSX.utils.sheet_to_json<SheetCell[]>(ws, { header: 1, raw: true, defval: null, blankrows: true });
    if (rows.length === 0) continue;
    book[name] = [
      ...Array.from({ length: range.s.r }, () => []),
      ...rows.map((r, i) => (i === 0 && firstRowBlank ? [] : r.length ? [...new Array<null>(range.s.c).fill(null), ...r] : r)),
    ];
  }
  return book;
}

async function sameAsSheetJs(file: string): Promise<Book> {
  const read = await ours(file);
  const want = sheetjs(file);
  expect(Object.keys(read)).toEqual(Object.keys(want));
  for (const sheet of Object.keys(want)) {
    expect(read[sheet]!.length).toBe(want[sheet]!.length);
    const mismatches = want[sheet]!.flatMap((row, i) =>
      row.length !== read[sheet]![i]!.length || row.some((v, j) => !Object.is(v, read[sheet]![i]![j]))
        ? [{ sheet, row: i + 1, want: row, got: read[sheet]![i] }]
        : [],
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  }
  return read;
}

/** Our rows of a one-sheet workbook, each date SheetJS sees (cellDates) checked to be the day our 1900 serial names. */
async function sameAsSheetJsDates(file: string): Promise<SheetCell[][]> {
  const [rows] = Object.values(await ours(file));
  const wb = XLSX.readFile(file, { cellDates: true, dense: true });
  const data = wb.Sheets[wb.SheetNames[0]!]!['!data'] as Array<Array<XLSX.CellObject | undefined>>;
  data.forEach((row, r) =>
    row.forEach((cell, c) => {
      const mine = rows![r]![c];
      if (cell?.v instanceof Date) expect([r, c, Math.round(Date.UTC(1899, 11, 30) + (mine as number) * 86_400_000)]).toEqual([r, c, cell.v.getTime()]);
      else expect([r, c, mine]).toEqual([r, c, cell?.v ?? null]);
    }),
  );
  return rows!;
}

async function codeOf(file: string): Promise<string | undefined> {
  try {
    for await (const batch of readXlsRowBatches(file)) void batch;
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
}

function generatedRows(count: number, seed: number): { header: string[]; rows: XlsCell[][] } {
  const fields = fieldsOf('KS');
  const rows: XlsCell[][] = [];
  for (const r of generateProvinceExport({ provinceCode: '01', records: count * 3, seed })) {
    if (r.type !== 'KS') continue;
    rows.push(fields.map((f) => (f.type === 'integer' && typeof r.values[f.key] === 'number' ? (r.values[f.key] as number) : displayValue(f, r.values[f.key]) || null)));
    if (rows.length === count) break;
  }
  return { header: fields.map((f) => f.labelVi), rows };
}

describe('workbooks written by XlsSheetWriter', () => {
  test('Vietnamese text, texts of up to 32,767 characters across CONTINUE records, numbers and blank rows', async () => {
    const wide = 'Nguyễn Văn Ầ 𡨸 '.repeat(2200).slice(0, XLS_MAX_TEXT_LENGTH);
    const { header, rows } = generatedRows(3000, 5);
    const special: XlsCell[][] = [
      ['Nguyễn Thị Ánh Tuyết', '00001', 12, -1.5, 1e300, 0],
      [],
      [null, null, 'ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ'],
      [wide, 'a'.repeat(XLS_MAX_TEXT_LENGTH), wide.slice(1), 'é'.repeat(20_000)],
      [null],
      ['=SUM(A1:A2)', '+84 912 345 678', 'Họ 𡨸 Nôm', 'Cafe\u0301 (NFD stays NFD)'],
    ];
    const file = save('writer.xls', writeXls('Khai sinh', header, [...special, ...rows, []]));
    const read = await sameAsSheetJs(file);
    const sheet = read['Khai sinh']!;
    expect(sheet[4]!.slice(0, 4)).toEqual([wide, 'a'.repeat(XLS_MAX_TEXT_LENGTH), wide.slice(1), 'é'.repeat(20_000)]);
    expect(sheet[6]![3]).toBe('Cafe\u0301 (NFD stays NFD)');
    expect(sheet[2]).toEqual([]);
    // The writer counts the trailing empty row, so the sheet's extent and SheetJS include it.
    expect(sheet).toHaveLength(1 + special.length + rows.length + 1);
    expect(sheet.at(-1)).toEqual([]);
  }, 60_000);

  test('a full sheet of 65,536 rows comes back in batches of 1,000', async () => {
    const w = new XlsSheetWriter({ sheetName: 'Đầy', header: ['Họ và tên', 'Số', 'Ghi chú'] });
    for (let i = 1; i < XLS_MAX_ROWS; i++) w.addRow([`Trần Thị Hồng ${i}`, i, i % 97 === 0 ? null : `Phường ${i % 50}`]);
    const file = save('full.xls', w.finish());
    let batches = 0;
    let last = 0;
    for await (const batch of readXlsRowBatches(file)) {
      batches++;
      last = batch.at(-1)!.row;
    }
    expect([batches, last]).toEqual([66, XLS_MAX_ROWS]);
    const read = await sameAsSheetJs(file);
    expect(read['Đầy']!.at(-1)).toEqual([`Trần Thị Hồng ${XLS_MAX_ROWS - 1}`, XLS_MAX_ROWS - 1, `Phường ${(XLS_MAX_ROWS - 1) % 50}`]);
  }, 60_000);
});

describe('workbooks written by SheetJS', () => {
  function sheetJsBook(): XLSX.WorkBook {
    const wb = XLSX.utils.book_new();
    const first = XLSX.utils.aoa_to_sheet(
      [
        ['Họ và tên', 'Số', 'Cờ', 'Ngày', 'Lỗi'],
        ['Nguyễn Thị Ánh', 12.5, true, new Date(Date.UTC(2020, 0, 2)), null],
        [],
        ['Trần Văn Bình', -42, false, 0.1, null],
        [null, 1e15, null, 'ƯỚC TÍNH', null],
      ],
      { cellDates: true },
    );
    first['E2'] = { t: 'e', v: 7 };
    first['E4'] = { t: 'e', v: 0 };
    first['F2'] = { t: 'n', v: 3, f: 'B2+1' };
    first['!ref'] = 'A1:F5';
    XLSX.utils.book_append_sheet(wb, first, 'Khai sinh');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[null, null], [null, 'từ B2', 7], [], [null, 'Hà Nội']], {}), 'Lệch');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['ẩn']]), 'Ẩn');
    wb.Workbook = { Sheets: [{}, {}, { Hidden: 1 }] };
    return wb;
  }

  test.each([
    ['with a shared string table (LABELSST)', true],
    ['without one (LABEL records)', false],
  ])('%s', async (_, bookSST) => {
    const file = save(`sheetjs-${bookSST}.xls`, XLSX.write(sheetJsBook(), { bookType: 'biff8', type: 'buffer', bookSST }) as Buffer);
    const read = await sameAsSheetJs(file);
    expect(read['Khai sinh']![1]).toEqual(['Nguyễn Thị Ánh', 12.5, true, 43832, '#DIV/0!', 3]);
    expect(read['Lệch']).toEqual([[], [null, 'từ B2', 7], [], [null, 'Hà Nội', null]]);
    expect(Object.keys(read)).toEqual(['Khai sinh', 'Lệch', 'Ẩn']);
  });
});

test('a workbook written by LibreOffice Calc: RK and MULRK numbers, formulas, rich text, formatted blank cells, a sheet not starting at A1', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Khai sinh');
  const { header, rows } = generatedRows(2000, 11);
  ws.addRow(header);
  ws.addRow(['Nguyễn Thị Ánh', 12, true, new Date(Date.UTC(2020, 0, 2)), { formula: 'B2*2', result: 24 }, -7, 123456789, 0.25, 1.5e-7]);
  const long = 'Ghi chú dài: '.concat('Đăng ký khai sinh quá hạn tại Ủy ban nhân dân xã. '.repeat(400));
  ws.addRow([long, 12.25, false, 1e10, { formula: 'B3>1', result: true }]);
  ws.addRow([]);
  ws.addRow([{ richText: [{ text: 'Đậm ', font: { bold: true } }, { text: 'thường' }] }, 1, 2, 3, { formula: '1/0', result: { error: '#DIV/0!' } }]);
  ws.addRow(['x', null, null, null, { formula: '""', result: '' }]);
  for (const r of rows) ws.addRow(r.map((v) => v ?? null));
  const formatted = ws.rowCount + 2;
  for (const col of ['C', 'D', 'AZ']) ws.getCell(`${col}${formatted}`).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF0000' } };
  const offset = wb.addWorksheet('Lệch');
  offset.getCell('C3').value = 'bắt đầu ở C3';
  offset.getCell('D5').value = 5;
  wb.addWorksheet('Trống');
  wb.addWorksheet('Ẩn', { state: 'hidden' }).getCell('A1').value = 'ẩn';
  const source = path.join(dir, 'lo.xlsx');
  await wb.xlsx.writeFile(source);
  execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'xls', '--outdir', dir, source], { stdio: 'pipe', timeout: 120_000 });
  const file = path.join(dir, 'lo.xls');

  const read = await sameAsSheetJs(file);
  const sheet = read['Khai sinh']!;
  expect(sheet[1]).toEqual(['Nguyễn Thị Ánh', 12, true, 43832, 24, -7, 123456789, 0.25, 1.5e-7, ...new Array(sheet[1]!.length - 9).fill(null)]);
  expect(sheet[2]![0]).toBe(long);
  expect(sheet[4]!.slice(0, 5)).toEqual(['Đậm thường', 1, 2, 3, '#DIV/0!']);
  expect(sheet[5]!.slice(0, 5)).toEqual(['x', null, null, null, '']);
  expect(sheet.slice(-2)).toEqual([[], []]); // the formatted cells hold no value, but Excel's extent reaches them
  expect(sheet[0]).toHaveLength(52); // …and column AZ
  expect(read['Lệch']).toEqual([[], [], [null, null, 'bắt đầu ở C3', null], [], [null, null, null, 5]]);
  expect(Object.keys(read)).toEqual(['Khai sinh', 'Lệch', 'Ẩn']);
}, 180_000);

/** BIFF8 built record by record: what neither writer above produces. */
namespace Biff {
  export const u16 = (n: number) => Buffer.from([n & 0xff, (n >>> 8) & 0xff]);
  export const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return b;
  };
  export const f64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(n);
    return b;
  };
  export const wide = (s: string) => Buffer.from(s, 'utf16le');
  export const latin = (s: string) => Buffer.from(s, 'latin1');
  export const record = (type: number, ...data: Buffer[]) => Buffer.concat([u16(type), u16(Buffer.concat(data).length), ...data]);
  export const bof = (dt: number) => record(0x0809, u16(0x0600), u16(dt), u16(0x0dbb), u16(0x07cc), u32(0), u32(6));
  export const eof = () => record(0x000a);
  export const cell = (type: number, row: number, col: number, ...value: Buffer[]) => record(type, u16(row), u16(col), u16(15), ...value);
  export const dimensions = (rows: number, cols: number) => record(0x0200, u32(0), u32(rows), u16(0), u16(cols), u16(0));
  /** An RK value: `fInt`/`fX100` flags and 30 bits. */
  export const rk = (v: number, int: boolean, x100: boolean) => {
    if (int) return u32(((v << 2) | 2 | (x100 ? 1 : 0)) >>> 0);
    const b = f64(v);
    return u32(((b.readUInt32LE(4) & ~3) | (x100 ? 1 : 0)) >>> 0);
  };
  export const formula = (row: number, col: number, result: Buffer) => cell(0x0006, row, col, result, u16(0), u32(0), u16(3), Buffer.from([0x1e, 0x01, 0x00]));
  export const special = (kind: number, value = 0) => Buffer.from([kind, 0, value, 0, 0, 0, 0xff, 0xff]);
  /** The SST record's data after its counts, then each CONTINUE record's, exactly as given. */
  export const sst = (unique: number, first: Buffer, ...continues: Buffer[]) => Buffer.concat([record(0x00fc, u32(unique), u32(unique), first), ...continues.map((c) => record(0x003c, c))]);

  export interface Sheet {
    name: string;
    /** BOUNDSHEET's sheet type: 0 worksheet, 2 chart. */
    kind?: number;
    records: Buffer[];
  }

  export function stream(globals: Buffer[], sheets: Sheet[]): Buffer {
    const names = sheets.map((s) => Buffer.concat([Buffer.from([s.name.length, 1]), wide(s.name)]));
    const head = bof(0x0005);
    const bounds = (offsets: number[]) => sheets.map((s, i) => record(0x0085, u32(offsets[i]!), Buffer.from([0, s.kind ?? 0]), names[i]!));
    const globalsLength = Buffer.concat([head, ...bounds(sheets.map(() => 0)), ...globals, eof()]).length;
    const bodies = sheets.map((s) => Buffer.concat([bof(s.kind === 2 ? 0x0020 : 0x0010), ...s.records, eof()]));
    const offsets: number[] = [];
    bodies.reduce((at, b) => (offsets.push(at), at + b.length), globalsLength);
    return Buffer.concat([head, ...bounds(offsets), ...globals, eof(), ...bodies]);
  }

  export function file(workbookStream: Buffer, streamName = 'Workbook'): Buffer {
    const container = CFB.utils.cfb_new();
    CFB.utils.cfb_add(container, streamName, workbookStream);
    return CFB.write(container, { type: 'buffer', fileType: 'cfb' }) as Buffer;
  }
}

describe('workbooks built record by record', () => {
  const { u16, u32, f64, wide, latin, record, cell, dimensions, rk, formula, special, sst, bof, eof } = Biff;
  const LABELSST = 0x00fd;
  const strings = sst(
    7,
    Buffer.concat([
      // 0: 16-bit, two formatting runs; the characters go on 8-bit in the next record, the runs are split by the one after.
      u16(10),
      Buffer.from([0x09]),
      u16(2),
      wide('Nguyễn'),
    ]),
    Buffer.concat([Buffer.from([0x00]), latin(' Van'), u32(0x00010000)]),
    Buffer.concat([
      Buffer.from([0x05, 0x00, 0x01, 0x00]),
      // 1: 16-bit with a phonetic block; the characters and then the block both continue.
      u16(4),
      Buffer.from([0x05]),
      u32(10),
      wide('Hồ'),
    ]),
    Buffer.concat([Buffer.from([0x01]), wide('ng'), Buffer.from([1, 2, 3])]),
    Buffer.concat([
      Buffer.from([4, 5, 6, 7, 8, 9, 10]),
      // 2: the header ends a record: the characters start with their own option byte in the next.
      u16(3),
      Buffer.from([0x00]),
    ]),
    Buffer.concat([Buffer.from([0x01]), wide('Ánh'), u16(0)]), // 3: an empty string, its header split by the next record
    Buffer.concat([
      Buffer.from([0x00]),
      // 4: formatting runs and a phonetic block together, 8-bit characters going on 16-bit.
      u16(6),
      Buffer.from([0x0c]),
      u16(1),
      u32(2),
      latin('Hà'),
    ]),
    Buffer.concat([Buffer.from([0x01]), wide(' Nội'), u32(7), Buffer.from([0xaa, 0xbb]), u16(2), Buffer.from([0]), latin('ok'), u16(7), Buffer.from([1]), wide('Kết quả')]),
  );

  test('shared strings with formatting runs and phonetic blocks split across CONTINUE records', async () => {
    const sheet = [dimensions(1, 6), ...[0, 1, 2, 3, 4, 5].map((i) => cell(LABELSST, 0, i, u32(i)))];
    const file = save('sst.xls', Biff.file(Biff.stream([strings], [{ name: 'Chuỗi', records: sheet }])));
    const read = await sameAsSheetJs(file);
    expect(read['Chuỗi']).toEqual([['Nguyễn Van', 'Hồng', 'Ánh', '', 'Hà Nội', 'ok']]);
  });

  test('RK, MULRK, BOOLERR, formulas with STRING, LABEL, blank cells, an embedded chart, cells past DIMENSIONS, rows out of order', async () => {
    const chartData = [bof(0x0020), cell(0x0203, 0, 0, f64(99)), cell(0x0203, 40, 9, f64(98)), eof()];
    const sheets: Biff.Sheet[] = [
      {
        name: 'Số',
        records: [
          dimensions(12, 3),
          cell(0x027e, 0, 0, rk(7, true, false)),
          cell(0x027e, 0, 1, rk(1234, true, true)),
          cell(0x027e, 0, 2, rk(-5, true, false)),
          record(0x00bd, u16(1), u16(0), u16(15), rk(0.5, false, false), u16(15), rk(12345, false, true), u16(15), rk(-3.75, false, false), u16(2)),
          cell(0x0205, 2, 0, Buffer.from([1, 0])),
          cell(0x0205, 2, 1, Buffer.from([0, 0])),
          cell(0x0205, 2, 2, Buffer.from([0x2a, 1])),
          cell(0x0205, 3, 0, Buffer.from([0x00, 1])),
          formula(4, 0, f64(3.5)),
          formula(4, 1, special(1, 1)),
          formula(4, 2, special(2, 7)),
          formula(5, 0, special(3)),
          formula(5, 1, special(0)),
          record(0x0207, u16(7), Buffer.from([1]), wide('Kết quả')),
          formula(5, 2, special(0)),
          record(0x0207, u16(2), Buffer.from([0]), latin('ok')),
          ...chartData,
          cell(0x0204, 6, 0, u16(9), Buffer.from([1]), wide('Nhãn Việt')),
          cell(0x0204, 6, 1, u16(5), Buffer.from([0]), latin('Latin')),
          cell(0x0204, 6, 2, u16(0)),
          cell(0x0201, 7, 0),
          record(0x00be, u16(8), u16(0), u16(15), u16(15), u16(15), u16(2)),
          cell(0x0203, 9, 4, f64(-0)),
        ],
      },
      { name: 'Biểu đồ', kind: 2, records: [cell(0x0203, 0, 0, f64(1))] },
      {
        name: 'Lộn xộn',
        records: [dimensions(4, 2), cell(0x0203, 3, 0, f64(4)), cell(0x0203, 1, 1, f64(2)), cell(0x0203, 1, 0, f64(1)), cell(0x027e, 0, 0, rk(0, true, false))],
      },
    ];
    const file = save('cells.xls', Biff.file(Biff.stream([strings], sheets)));
    const read = await sameAsSheetJs(file);
    expect(read).toEqual({
      Số: [
        [7, 12.34, -5, null, null],
        [0.5, 123.45, -3.75, null, null],
        [true, false, '#N/A', null, null],
        ['#NULL!', null, null, null, null],
        [3.5, true, '#DIV/0!', null, null],
        ['', 'Kết quả', 'ok', null, null],
        ['Nhãn Việt', 'Latin', '', null, null],
        [],
        [],
        [null, null, null, null, -0],
        [],
        [],
      ],
      'Lộn xộn': [[0, null], [1, 2], [], [4, null]],
    });
  });

  test('a password-protected workbook is refused as encrypted, and so is an encrypted .xlsx named .xls', async () => {
    const rc4 = record(0x002f, u16(1), u16(1), u16(2), Buffer.alloc(48, 7));
    expect(await codeOf(save('filepass.xls', Biff.file(Biff.stream([rc4, strings], [{ name: 'A', records: [dimensions(1, 1), cell(LABELSST, 0, 0, u32(0))] }]))))).toBe('XLS_ENCRYPTED');
    expect(await codeOf(save('encrypted-xlsx.xls', Biff.file(Buffer.alloc(64, 1), 'EncryptedPackage')))).toBe('XLS_ENCRYPTED');
  });

  test('what is not a BIFF8 workbook is told apart from a damaged one', async () => {
    const xlsx = XLSX.write(XLSX.utils.book_new(XLSX.utils.aoa_to_sheet([['a']]), 'A'), { bookType: 'xlsx', type: 'buffer' }) as Buffer;
    expect(await codeOf(save('xlsx.xls', xlsx))).toBe('XLS_NOT_BIFF8');
    expect(await codeOf(save('html.xls', Buffer.from('<table><tr><td>Họ và tên</td></tr></table>')))).toBe('XLS_NOT_BIFF8');
    const biff5 = XLSX.write(XLSX.utils.book_new(XLSX.utils.aoa_to_sheet([['a']]), 'A'), { bookType: 'biff5', type: 'buffer' }) as Buffer;
    expect(await codeOf(save('biff5.xls', biff5))).toBe('XLS_NOT_BIFF8');
  });

  test('a 1904 workbook gives the numbers of its date formats as days of the 1900 system, and only those', async () => {
    // XF 0–1 General, 2 built-in 14 (a date), 3 a custom date, 4 a custom number format.
    const xf = (ifmt: number) => record(0x00e0, u16(0), u16(ifmt), Buffer.alloc(16));
    const format = (id: number, code: string) => record(0x041e, u16(id), u16(code.length), Buffer.from([1]), wide(code));
    const dateCell = (type: number, col: number, xfIndex: number, ...value: Buffer[]) => record(type, u16(0), u16(col), u16(xfIndex), ...value);
    const globals = (date1904: number) => [record(0x0022, u16(date1904)), format(164, 'dd/mm/yyyy'), format(165, '#,##0 "đồng"'), xf(0), xf(0), xf(14), xf(164), xf(165)];
    const cells = [
      dimensions(1, 7),
      dateCell(0x0203, 0, 2, f64(38415)),
      dateCell(0x027e, 1, 3, rk(38415, true, false)),
      record(0x00bd, u16(0), u16(2), u16(2), rk(38415, true, false), u16(4), rk(38415, true, false), u16(3)),
      dateCell(0x0006, 4, 3, f64(38415.5), u16(0), u32(0), u16(3), Buffer.from([0x1e, 0x01, 0x00])),
      dateCell(0x0203, 5, 4, f64(38415)),
      dateCell(0x0203, 6, 0, f64(38415)),
    ];
    const read1904 = await sameAsSheetJsDates(save('1904.xls', Biff.file(Biff.stream(globals(1), [{ name: 'Mac', records: cells }]))));
    expect(read1904).toEqual([[39877, 39877, 39877, 38415, 39877.5, 38415, 38415]]);
    for (const v of read1904[0]!.slice(0, 3)) expect(parseCivilDate(v)).toMatchObject({ ok: true, date: { year: 2009, month: 3, day: 5 } });
    expect(await ours(save('1900.xls', Biff.file(Biff.stream(globals(0), [{ name: 'Mac', records: cells }]))))).toEqual({ Mac: [[38415, 38415, 38415, 38415, 38415.5, 38415, 38415]] });
  });

  test('a formula whose text result is missing, or an error value Excel does not have, is refused as corrupt, not read as an empty cell', async () => {
    const noString = [dimensions(2, 1), formula(0, 0, special(0)), cell(0x0203, 1, 0, f64(1))];
    expect(await codeOf(save('no-string.xls', Biff.file(Biff.stream([strings], [{ name: 'A', records: noString }]))))).toBe('XLS_CORRUPT');
    expect(await codeOf(save('no-string-end.xls', Biff.file(Biff.stream([strings], [{ name: 'A', records: [dimensions(1, 1), formula(0, 0, special(0))] }]))))).toBe('XLS_CORRUPT');
    expect(await codeOf(save('bad-error.xls', Biff.file(Biff.stream([strings], [{ name: 'A', records: [dimensions(1, 1), cell(0x0205, 0, 0, Buffer.from([0x99, 1]))] }]))))).toBe('XLS_CORRUPT');
  });

  test('a truncated or damaged workbook is refused as corrupt, never with another error, never hanging', async () => {
    const { header, rows } = generatedRows(300, 2);
    const good = writeXls('KS', header, [['x'.repeat(9000), 'ả'.repeat(5000)], ...rows]);
    const stream = CFB.find(CFB.read(good, { type: 'buffer' }), '/Workbook')!.content as Buffer;
    for (let cut = 8; cut < stream.length; cut += Math.ceil(stream.length / 97)) {
      expect([cut, await codeOf(save('cut.xls', Biff.file(stream.subarray(0, cut))))]).toEqual([cut, 'XLS_CORRUPT']);
    }
    for (const cut of [600, 1024, 5000, good.length - 700]) expect([cut, await codeOf(save('cut-file.xls', good.subarray(0, cut)))]).toEqual([cut, 'XLS_CORRUPT']);

    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ at: fc.nat(stream.length - 1), byte: fc.nat(255) }), { minLength: 1, maxLength: 8 }), async (changes) => {
        const damaged = Buffer.from(stream);
        for (const c of changes) damaged[c.at] = c.byte;
        const code = await codeOf(save('damaged.xls', Biff.file(damaged)));
        expect([undefined, 'XLS_CORRUPT', 'XLS_ENCRYPTED', 'XLS_NOT_BIFF8']).toContain(code);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

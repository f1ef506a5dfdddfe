/**
 * The split of small hand-made exports, each read back with SheetJS: a sheet refused for a
 * missing column (its title and header never rows), the book year taken from the registration
 * date, a row set aside because a cell of it had no place, notes kept on their lines, and the
 * register type of a file that does not say it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { EXCEPTION_HEADERS, EXCEPTIONS_FILE, splitExport, type SplitManifest } from './split-export';
import { BOOK_YEAR_FROM_DATE_VI } from '../../domain/profiles/book-year';
import { rowsOfXls } from '../../test/support/split-verification';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-sheets-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Cell = string | number | null;
let outs = 0;

/** A CSV as an export writes it (BOM, CRLF, quotes where needed). */
function csv(name: string, rows: Cell[][]): string {
  const file = path.join(dir, name);
  const field = (c: Cell) => (c === null ? '' : /[",\r\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c));
  fs.writeFileSync(file, `\uFEFF${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`);
  return file;
}

async function split(input: string, registerType?: 'KS' | 'KT'): Promise<{ manifest: SplitManifest; out: string }> {
  const out = path.join(dir, `out-${++outs}`);
  return { manifest: await splitExport({ provinceCode: '01', input, outDir: out, registerType }), out };
}

/** Every data row of the agency's file of a type, by header. */
function written(out: string, manifest: SplitManifest, agency: string, type: string): Array<Record<string, Cell>> {
  const file = manifest.agencies.find((a) => a.code === agency)!.files.find((f) => f.registerType === type)!;
  const [header, ...rows] = rowsOfXls(path.join(out, file.path));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [String(h), r[i] ?? null])));
}

/** The exceptions workbook, each row as its reason code and the row as received. */
function exceptions(out: string): Array<{ sheet: string; code: string; reason: string; origin: string; cells: unknown[] }> {
  const wb = XLSX.readFile(path.join(out, EXCEPTIONS_FILE));
  return wb.SheetNames.slice(0, -1).flatMap((sheet) =>
    XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[sheet]!, { header: 1, raw: true, defval: null }).slice(1).map((r) => ({ sheet, code: String(r[0]), reason: String(r[1]), origin: `${String(r[2])}!${String(r[3])}`, cells: r.slice(EXCEPTION_HEADERS.length) })),
  );
}

const KS_HEADER = ['Mã ĐVHC nơi đăng ký', 'Năm đăng ký', 'Quyển số', 'Số đăng ký', 'Ngày đăng ký', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Ghi chú'];

test('a sheet whose header lacks a required column is refused whole, its title and header never rows; the other sheets split', async () => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['DANH SÁCH ĐĂNG KÝ KHAI SINH'],
      ['Thành phố Hà Nội'],
      [],
      ['Mã ĐVHC nơi đăng ký', 'Năm đăng ký', 'Quyển số', 'Ngày đăng ký', 'Họ và tên'],
      ['00004', 2009, '01', '10/03/2009', 'Nguyễn Văn An'],
      ['00004', 2009, '01', '11/03/2009', 'Trần Thị Bình'],
      [],
      ['00004', 2009, '01', '12/03/2009', 'Lê Văn Cường'],
    ]),
    'KS',
  );
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['Mã ĐVHC nơi đăng ký', 'Năm đăng ký', 'Quyển số', 'Số đăng ký', 'Họ và tên người chết', 'Ngày chết'],
      ['00004', 2009, '01', '1', 'Phạm Văn Dũng', '02/01/2009'],
      ['00004', 2009, '01', '2', 'Hoàng Thị Em', '05/01/2009'],
    ]),
    'KT',
  );
  const input = path.join(dir, 'thieu-cot.xlsx');
  XLSX.writeFile(wb, input);
  const { manifest, out } = await split(input);

  const missing = 'Trang "KS" thiếu cột bắt buộc: "Số đăng ký" (hoặc "Số ĐK", "Số", "Số đăng kí", "Số TT").';
  expect(manifest).toMatchObject({ input: { rows: 5 }, rowsWritten: 2, exceptionRows: 3, exceptions: { byReason: { PROFILE_COLUMN_MISSING: 3 } } });
  expect(manifest.refusedSheets).toEqual([{ sheet: 'KS', code: 'PROFILE_COLUMN_MISSING', messageVi: missing, rows: 3 }]);
  const refused = exceptions(out);
  expect(refused.map((e) => [e.code, e.reason, e.origin, e.cells[4]])).toEqual([
    ['PROFILE_COLUMN_MISSING', missing, 'KS!5', 'Nguyễn Văn An'],
    ['PROFILE_COLUMN_MISSING', missing, 'KS!6', 'Trần Thị Bình'],
    ['PROFILE_COLUMN_MISSING', missing, 'KS!8', 'Lê Văn Cường'],
  ]);
  expect(written(out, manifest, '00004', 'KT').map((r) => r['Họ và tên người chết'])).toEqual(['Phạm Văn Dũng', 'Hoàng Thị Em']);
  expect(manifest.cells).toEqual({ in: 27, out: 27, written: 12, exceptions: 15 });
});

test('without a book-year column the year of the registration date is the book year, noted; a row whose date gives none is an exception', async () => {
  const header = KS_HEADER.filter((h) => h !== 'Năm đăng ký');
  const input = csv('ks-khong-cot-nam.csv', [
    header,
    ['00004', '01', '1', '10/03/2009', 'Nguyễn Văn An', '01/03/2009', 'Nam', null],
    ['00004', '01', '2', '04/2010', 'Trần Thị Bình', null, 'Nữ', null],
    ['00004', '01', '3', '2011', 'Lê Văn Cường', null, 'Nam', null],
    ['00004', '01', '4', null, 'Phạm Thị Dung', null, 'Nữ', null],
    ['00004', '01', '5', 'rằm tháng Giêng (âm lịch)', 'Hoàng Văn Em', null, 'Nam', null],
  ]);
  const { manifest, out } = await split(input);
  expect(manifest).toMatchObject({ input: { rows: 5 }, rowsWritten: 3, exceptions: { byReason: { BOOK_YEAR_UNKNOWN: 2 } }, refusedSheets: [] });
  const rows = written(out, manifest, '00004', 'KS');
  expect(rows.map((r) => [r['Số đăng ký'], r['Năm đăng ký'], r['Ngày đăng ký']])).toEqual([
    ['1', '2009', '10/03/2009'],
    ['2', '2010', '04/2010'],
    ['3', '2011', '2011'],
  ]);
  for (const r of rows) expect(String(r['Ghi chú khi tách'])).toContain(BOOK_YEAR_FROM_DATE_VI);
  expect(exceptions(out).map((e) => [e.origin, e.code])).toEqual([
    ['ks-khong-cot-nam!5', 'BOOK_YEAR_UNKNOWN'],
    ['ks-khong-cot-nam!6', 'BOOK_YEAR_UNKNOWN'],
  ]);
  expect(manifest.cells.in).toBe(manifest.cells.out);
});

test('a row with a cell that has no place (past the header, under no header) is an exception, whole; the others are written with every cell', async () => {
  const input = csv('01-c06-KS.csv', [
    [...KS_HEADER, 'Mã hồ sơ C06', null, 'Mã hồ sơ C06'],
    ['00004', 2009, '01', '1', '10/03/2009', 'Nguyễn Văn An', null, 'Nam', null, 'HS1', null, 'HS1-b'],
    // A comma typed inside the name shifted every cell after it one column right.
    ['00004', 2009, '01', '2', '11/03/2009', 'Trần Thị', 'Bình', '02/03/2009', 'Nữ', null, null, null, 'HS2'],
    ['00004', 2009, '01', '3', '12/03/2009', 'Lê Văn Cường', null, 'Nam', null, 'HS3', 'ghi tay', null],
    ['00004', 2009, '01', '4', '13/03/2009', 'Phạm Thị Dung', null, 'Nữ', 'Không', null, null, null],
  ]);
  const { manifest, out } = await split(input);
  expect(manifest).toMatchObject({ input: { rows: 4 }, rowsWritten: 2, exceptionRows: 2, exceptions: { byReason: { CELL_NOT_CONSERVED: 2 } } });
  // Worded per column, as each row's reason says it: the summary shows both.
  expect(manifest.exceptions.wordings?.CELL_NOT_CONSERVED?.map((w) => [w.messageVi.slice(0, 22), w.rows])).toEqual([
    ['Ô ở cột K (không có ti', 1],
    ['Ô ở cột M (không có ti', 1],
  ]);
  const lost = exceptions(out);
  expect(lost.map((e) => [e.origin, e.code, e.reason])).toEqual([
    ['01-c06-KS!3', 'CELL_NOT_CONSERVED', 'Ô ở cột M (không có tiêu đề) có dữ liệu nhưng không có chỗ trong kết quả (cột không có tiêu đề, nằm ngoài dòng tiêu đề hoặc trùng chỗ với cột khác); dòng được giữ nguyên, không ghi thiếu ô này.'],
    ['01-c06-KS!4', 'CELL_NOT_CONSERVED', expect.stringMatching(/^Ô ở cột K \(không có tiêu đề\) có dữ liệu/)],
  ]);
  expect(lost[0]!.cells).toEqual(['00004', '2009', '01', '2', '11/03/2009', 'Trần Thị', 'Bình', '02/03/2009', 'Nữ', null, null, null, 'HS2']);
  expect(written(out, manifest, '00004', 'KS').map((r) => [r['Số đăng ký'], r['Ghi chú']])).toEqual([
    ['1', null],
    ['4', 'Không'],
  ]);
  // Two unknown columns of one header each keep their own cell.
  const [header, ...data] = rowsOfXls(path.join(out, manifest.agencies[0]!.files[0]!.path));
  const hs = header!.flatMap((h, i) => (h === 'Mã hồ sơ C06' ? [i] : []));
  expect(data.map((r) => hs.map((i) => r[i] ?? null))).toEqual([
    ['HS1', 'HS1-b'],
    [null, null],
  ]);
  expect(manifest.cells).toEqual({ in: 9 + 10 + 9 + 8, out: 36, written: 9 + 8, exceptions: 10 + 9 });
  expect(manifest.agencies[0]!.files[0]!.cells).toEqual({ in: 17, out: 17 });
});

test('a flag written "không" keeps its cell; the split does not write it as empty', async () => {
  const input = csv('02-KS.csv', [
    [...KS_HEADER, 'Đăng ký quá hạn'],
    ['00004', 2009, '01', '1', '10/03/2009', 'Nguyễn Văn An', null, 'Nam', null, 'không'],
    ['00004', 2009, '01', '2', '10/03/2009', 'Trần Thị Bình', null, 'Nữ', null, 'x'],
  ]);
  const { manifest, out } = await split(input);
  expect(manifest).toMatchObject({ rowsWritten: 2, exceptionRows: 0 });
  expect(written(out, manifest, '00004', 'KS').map((r) => r['Đăng ký quá hạn'])).toEqual(['không', 'x']);
});

test('a note on two lines keeps its lines (CRLF and CR as LF); names on two lines are one line', async () => {
  const input = csv('03-KS.csv', [
    KS_HEADER,
    ['00004', 2009, '01', '1', '10/03/2009', 'Nguyễn\r\nVăn  An', null, 'Nam', 'Đã cải chính;\r\ntheo "Quyết định" số 50'],
    ['00004', 2009, '01', '2', '10/03/2009', 'Trần Thị Bình ', null, 'Nữ', '\r\n  Dòng một  \rDòng  hai\n\nDòng bốn\r\n'],
  ]);
  const { manifest, out } = await split(input);
  expect(manifest).toMatchObject({ rowsWritten: 2, exceptionRows: 0 });
  expect(written(out, manifest, '00004', 'KS').map((r) => [r['Họ và tên'], r['Ghi chú']])).toEqual([
    ['Nguyễn Văn An', 'Đã cải chính;\ntheo "Quyết định" số 50'],
    ['Trần Thị Bình', 'Dòng một\nDòng hai\n\nDòng bốn'],
  ]);
});

describe('a file that does not say its register type', () => {
  const rows: Cell[][] = [
    KS_HEADER,
    ['00004', 2009, '01', '1', '10/03/2009', 'Nguyễn Văn An', '01/03/2009', 'Nam', null],
    ['00004', 2009, '01', '2', '11/03/2009', 'Trần Thị Bình', '02/03/2009', 'Nữ', null],
  ];

  test('is split as the type given, its header line no row', async () => {
    const { manifest, out } = await split(csv('xuat-du-lieu.csv', rows), 'KS');
    expect(manifest).toMatchObject({ registerType: 'KS', input: { rows: 2 }, rowsWritten: 2, exceptionRows: 0 });
    expect(written(out, manifest, '00004', 'KS').map((r) => r['Họ và tên'])).toEqual(['Nguyễn Văn An', 'Trần Thị Bình']);
  });

  test('without one, its rows (not its header) are exceptions naming the way to give it', async () => {
    const { manifest, out } = await split(csv('xuat-du-lieu-2.csv', rows));
    expect(manifest).toMatchObject({ input: { rows: 2 }, rowsWritten: 0, exceptions: { byReason: { PROFILE_REGISTER_TYPE_UNKNOWN: 2 } } });
    expect(manifest.refusedSheets).toEqual([{ sheet: 'xuat-du-lieu-2', code: 'PROFILE_REGISTER_TYPE_UNKNOWN', messageVi: expect.stringContaining('--register-type'), rows: 2 }]);
    expect(exceptions(out).map((e) => e.origin)).toEqual(['xuat-du-lieu-2!2', 'xuat-du-lieu-2!3']);
  });

  test('a "Loại sổ" column says each row\'s type; the type given is used only where it is blank', async () => {
    const mixed = csv('xuat-hon-hop.csv', [
      ['Mã ĐVHC nơi đăng ký', 'Loại sổ', 'Năm đăng ký', 'Quyển số', 'Số đăng ký', 'Họ và tên', 'Ngày chết'],
      ['00004', 'KS', 2009, '01', '1', 'Nguyễn Văn An', null],
      ['00004', 'Khai tử', 2009, '01', '1', 'Trần Văn Bình', '02/01/2009'],
      ['00004', null, 2009, '01', '2', 'Lê Văn Cường', null],
      ['00004', 'Sổ lạ', 2009, '01', '3', 'Phạm Văn Dũng', null],
    ]);
    const given = await split(mixed, 'KT');
    expect(given.manifest).toMatchObject({ rowsWritten: 3, exceptions: { byReason: { ROW_REGISTER_TYPE_UNKNOWN: 1 } } });
    expect(written(given.out, given.manifest, '00004', 'KS').map((r) => [r['Họ và tên'], r['Ngày chết']])).toEqual([['Nguyễn Văn An', null]]);
    expect(written(given.out, given.manifest, '00004', 'KT').map((r) => [r['Họ và tên người chết'], r['Ngày chết']])).toEqual([
      ['Trần Văn Bình', '02/01/2009'],
      ['Lê Văn Cường', null],
    ]);
    expect(exceptions(given.out).map((e) => e.reason)).toEqual(['Không xác định được loại sổ của dòng: cột "Loại sổ" ghi "Sổ lạ", không phải mã loại sổ (KS, KT, KH…) hay tên sổ.']);
    const none = await split(mixed);
    expect(none.manifest.exceptions.byReason).toEqual({ ROW_REGISTER_TYPE_UNKNOWN: 2 });
    expect(given.manifest.cells.in).toBe(given.manifest.cells.out);
  });
});

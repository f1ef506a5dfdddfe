import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import CFB from 'cfb';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { writeZip } from '../zip/zip-writer';
import { rawZip } from '../../test/support/raw-zip';
import { readRowBatches } from './read-rows';
import { isAppError } from '../../domain/errors';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-rows-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a CSV larger than several read chunks comes back row for row: quoted line breaks, commas and Vietnamese split across chunks', async () => {
  const rows: string[][] = [['Họ và tên', 'Ghi chú', 'Số']];
  for (let i = 0; i < 40_000; i++) {
    rows.push([`Nguyễn Thị Ánh ${i}`, i % 7 === 0 ? `dòng một\ndòng hai, "trích" ${'ễ'.repeat(i % 13)}` : `Phường Hồng Hà ${i}`, String(i).padStart(5, '0')]);
  }
  const text = `\uFEFF${Papa.unparse(rows, { newline: '\r\n' })}\r\n`;
  const file = path.join(dir, 'KS.csv');
  fs.writeFileSync(file, text);
  expect(fs.statSync(file).size).toBeGreaterThan(2 << 20);

  let batches = 0;
  const back: Array<Array<string | null>> = [];
  for await (const batch of readRowBatches(file)) {
    batches++;
    for (const r of batch) back.push(r.cells.map((c) => (c === null ? null : String(c))));
  }
  expect(batches).toBeGreaterThan(2);
  expect(back).toEqual(rows);
  const numbers: number[] = [];
  for await (const batch of readRowBatches(file)) for (const r of batch) numbers.push(r.row);
  expect(numbers).toEqual(rows.map((_, i) => i + 1));
}, 60_000);

describe('CSV members of a zip', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => [`Nguyễn Văn ${i}`, i % 5 === 0 ? 'dòng một\ndòng hai, "trích"' : 'Kinh', String(i)]);
  const csvOf = (r: string[][]) => Buffer.from(`${Papa.unparse([['Họ và tên', 'Dân tộc', 'Số'], ...r], { newline: '\r\n' })}\r\n`, 'utf8');

  async function read(file: string): Promise<Array<Array<string | null>>> {
    const back: Array<Array<string | null>> = [];
    for await (const batch of readRowBatches(file)) for (const r of batch) back.push(r.cells.map((c) => (c === null ? null : String(c))));
    return back;
  }

  /** The central directory's uncompressed size of the zip's only member, set to `size`. */
  function declareSize(zip: Buffer, size: number): Buffer {
    const out = Buffer.from(zip);
    const at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    out.writeUInt32LE(size, at + 24);
    return out;
  }

  test('deflated or stored, a member reads as the CSV itself, across many inflated pieces', async () => {
    const csv = csvOf(rows(60_000));
    expect(csv.length).toBeGreaterThan(16 * (64 << 10));
    const plain = path.join(dir, 'KS.csv');
    fs.writeFileSync(plain, csv);
    const zip = path.join(dir, 'members.zip');
    fs.writeFileSync(zip, writeZip([{ name: 'KS.csv', data: csv, deflate: true }, { name: 'KT.csv', data: csv }]));
    const expected = await read(plain);
    expect(await read(zip)).toEqual([...expected, ...expected]);
  }, 60_000);

  test('a member that inflates to more or fewer bytes than the zip declares, or does not inflate, fails the read', async () => {
    const csv = csvOf(rows(2_000));
    const good = writeZip([{ name: 'KS.csv', data: csv, deflate: true }]);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['more.zip', declareSize(good, csv.length - 1), /bytes inflated, the zip declares/],
      ['fewer.zip', declareSize(good, csv.length + 1), /bytes inflated, the zip declares/],
    ];
    // Deflated data overwritten halfway: it no longer inflates to what the zip declares, if it inflates at all.
    const body = zlib.deflateRawSync(csv);
    const cut = Buffer.from(good);
    cut.fill(0xff, 30 + 'KS.csv'.length + Math.floor(body.length / 2), 30 + 'KS.csv'.length + Math.floor(body.length / 2) + 64);
    cases.push(['corrupt.zip', cut, /bytes inflated, the zip declares|invalid/]);
    for (const [name, bytes, message] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      await expect(read(file)).rejects.toThrow(message);
    }
  });
});

test('a workbook under a .xls name that is not BIFF8 (an .xlsx, an HTML table) has its cells where Excel shows them, errors as text, 1904 dates in the 1900 system', async () => {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = true;
  const ws = wb.addWorksheet('Khai sinh');
  ws.getCell('C3').value = '  Hoàng  Thị Hương ';
  ws.getCell('D3').value = { formula: 'NA()', result: { error: '#N/A' } } as ExcelJS.CellFormulaValue;
  ws.getCell('E4').value = new Date(Date.UTC(2009, 2, 5));
  ws.getCell('E4').numFmt = 'dd/mm/yyyy';
  ws.getCell('F4').value = 38415;
  const xlsx = path.join(dir, 'thật ra là xlsx.xls');
  await wb.xlsx.writeFile(xlsx);
  const html = path.join(dir, 'bảng html.xls');
  fs.writeFileSync(html, '<table><tr><td></td><td>Họ và tên</td></tr><tr><td></td><td>Lê Văn Đức</td></tr></table>');
  const read = async (file: string) => {
    const rows: Array<[number, unknown[]]> = [];
    for await (const batch of readRowBatches(file)) for (const r of batch) rows.push([r.row, r.cells]);
    return rows;
  };
  expect(await read(xlsx)).toEqual([
    [1, []],
    [2, []],
    [3, [null, null, '  Hoàng  Thị Hương ', '#N/A']],
    [4, [null, null, null, null, 39877, 38415]],
  ]);
  expect(await read(html)).toEqual([
    [1, [null, 'Họ và tên']],
    [2, [null, 'Lê Văn Đức']],
  ]);
});

test('bytes under a .xls name that are neither BIFF8, another workbook nor text (a PDF, a program, an overwritten header) are a damaged .xls, not rows of garbage', async () => {
  const cfb = CFB.utils.cfb_new();
  CFB.utils.cfb_add(cfb, '/WordDocument', Buffer.from('không phải sổ'));
  const files: Array<[string, Buffer]> = [
    ['pdf.xls', Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 4 >>\nstream\n\x00\x01\x02\x03\nendstream\n', 'latin1')],
    ['chuong-trinh.xls', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(60), Buffer.from('PE\0\0')])],
    ['van-ban-word.xls', Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Buffer)],
  ];
  for (const [name, bytes] of files) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    const refused = await (async () => {
      for await (const _ of readRowBatches(file));
    })().then(
      () => 'read',
      (e: unknown) => e,
    );
    expect([name, refused]).toEqual([name, expect.objectContaining({ code: 'XLS_CORRUPT', messageVi: `Tệp ${name} là bảng tính .xls bị hỏng, không đọc được. Hãy mở tệp trong Excel, lưu lại rồi tải lên lại.` })]);
  }
});

test('a zip of tables whose directory yauzl refuses (a name that climbs out) is a damaged zip, not an uncoded error', async () => {
  const file = path.join(dir, 'leo-ra.zip');
  fs.writeFileSync(file, rawZip([{ name: '../KS.csv', data: Buffer.from('Họ và tên\nAn\n') }]));
  await expect((async () => {
    for await (const _ of readRowBatches(file));
  })()).rejects.toMatchObject({ code: 'ZIP_CORRUPT' });
});

test('a workbook (exceljs .xlsx) or a CSV with any bytes changed or cut gives rows or a coded error, nothing else', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('KS');
  for (let i = 0; i < 30; i++) ws.addRow([`Nguyễn Thị Ánh ${i}`, i, i % 3 === 0 ? 'dòng một\ndòng hai' : 'Kinh']);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  const csv = Buffer.from(`\uFEFFHọ và tên,Số\r\n${Array.from({ length: 30 }, (_, i) => `"Nguyễn, ${i}",${i}`).join('\r\n')}\r\n`);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom<[string, Buffer]>(['.xlsx', xlsx], ['.csv', csv]), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }), fc.option(fc.nat(), { nil: undefined }), async ([ext, good], changes, cut) => {
      const damaged = Buffer.from(good);
      for (const [at, byte] of changes) damaged[at % damaged.length] = byte;
      const file = path.join(dir, `damaged-${n++}${ext}`);
      fs.writeFileSync(file, cut === undefined ? damaged : damaged.subarray(0, cut % damaged.length));
      try {
        for await (const batch of readRowBatches(file)) expect(Array.isArray(batch)).toBe(true);
      } catch (e) {
        expect(isAppError(e) ? 'coded' : String(e)).toBe('coded');
      }
    }),
    { numRuns: 80 },
  );
}, 60_000);

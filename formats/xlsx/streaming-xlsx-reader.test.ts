import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { Readable } from 'node:stream';
import { sheetRowBatches, type SheetCell } from './streaming-xlsx-reader';
import { decodeCharacterData, excelUnescape } from './xml-fragment';
import { readRowBatches } from '../tabular/read-rows';
import { generateExport } from '../../cli/gen/generate';
import { StreamingZipWriter } from '../zip/streaming-zip-writer';
import { ALL_DEFECTS } from '../../domain/synthetic/defects';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-read-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function ours(file: string): Promise<Record<string, SheetCell[][]>> {
  const sheets: Record<string, SheetCell[][]> = {};
  for await (const batch of readRowBatches(file)) {
    for (const r of batch) {
      const rows = (sheets[r.sheet] ??= []);
      expect(r.row).toBe(rows.length + 1);
      rows.push(r.cells);
    }
  }
  return sheets;
}

function theirs(file: string): Record<string, SheetCell[][]> {
  const wb = XLSX.readFile(file, { raw: true });
  return Object.fromEntries(
    wb.SheetNames.map((n) => [n, XLSX.utils.sheet_to_json<SheetCell[]>(wb.Sheets[n]!, { header: 1, raw: true, blankrows: true, defval: null }).map((r) => {
      const cells = [...r];
      while (cells.length && cells[cells.length - 1] === null) cells.pop();
      return cells;
    })]),
  );
}

test('reads a generated export (inline strings, many chunks) exactly as SheetJS does', async () => {
  const summary = await generateExport({ provinceCode: '01', records: 4000, seed: 9, out: path.join(dir, 'gen'), format: 'xlsx', defects: [...ALL_DEFECTS] });
  const file = path.join(dir, 'gen', summary.files[0]!);
  expect(await ours(file)).toEqual(theirs(file));
}, 60_000);

test('reads shared strings, rich text, numbers, booleans, blank rows and escapes as Excel writes them', async () => {
  const file = path.join(dir, 'sst.xlsx');
  const rows = [['Họ và tên', 'Số', 'Cờ'], ['Nguyễn Thị Ánh', 12.5, true], [], ['A & B <c> "d"', '00012', false], ['Nguyễn Thị Ánh', null, null], ['=1+1', -3, null]];
  const ws = XLSX.utils.aoa_to_sheet(rows);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Khai sinh');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['x']]), 'Khai tử');
  XLSX.writeFile(wb, file, { bookSST: true, compression: true });
  const read = await ours(file);
  expect(Object.keys(read)).toEqual(['Khai sinh', 'Khai tử']);
  expect(read['Khai sinh']).toEqual([['Họ và tên', 'Số', 'Cờ'], ['Nguyễn Thị Ánh', 12.5, true], [], ['A & B <c> "d"', '00012', false], ['Nguyễn Thị Ánh'], ['=1+1', -3]]);
  expect(excelUnescape(decodeCharacterData('a_x000D_b&#x1EA1;&#97;'))).toBe('a\rbạa');
});

test('rows cut anywhere by chunk boundaries, even inside a tag or a character, come out whole', async () => {
  const xml = Buffer.from(
    `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Ứng Thiên</t></is></c><c r="C1"><v>7</v></c></row>` +
      `<row r="3"/><row r="4"><c r="B4" t="inlineStr"><is><t xml:space="preserve"> Hải Bối </t></is></c></row></sheetData></worksheet>`,
  );
  for (const size of [1, 2, 3, 5, 7, 11]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < xml.length; i += size) chunks.push(xml.subarray(i, i + size));
    const rows = [];
    for await (const batch of sheetRowBatches(Readable.from(chunks), 'S')) for (const r of batch) rows.push([r.row, r.cells]);
    expect(rows).toEqual([[1, ['Ứng Thiên', null, 7]], [2, []], [3, []], [4, [null, ' Hải Bối ']]]);
  }
});

/** A workbook of one sheet whose parts are written as given, the way Excel and other writers lay them out. */
async function workbookOf(file: string, sheetXml: Buffer, sharedStrings: string): Promise<void> {
  const zip = new StreamingZipWriter(file);
  const part = (name: string, bytes: Buffer) => zip.addBuffer(name, bytes, { mtime: new Date(Date.UTC(2025, 0, 1)), level: 6 });
  part('xl/workbook.xml', Buffer.from('<workbook><sheets><sheet name="Khai sinh" sheetId="1" r:id="rId1"/></sheets></workbook>'));
  part('xl/_rels/workbook.xml.rels', Buffer.from('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'));
  part('xl/sharedStrings.xml', Buffer.from(`<sst>${sharedStrings}</sst>`));
  part('xl/worksheets/sheet1.xml', sheetXml);
  await zip.close();
}

test('cells as Excel writes them (styles, shared strings) and every form the byte scan leaves to the text reading come out the same', async () => {
  const file = path.join(dir, 'forms.xlsx');
  const sheet = Buffer.concat([
    Buffer.from(
      '<worksheet><sheetData>' +
        '<row r="1" spans="1:4"><c r="A1" s="3" t="s"><v>0</v></c><c r="B1" s="3" t="s"><v>1</v></c><c r="D1" s="2"><v>12.50</v></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>A &amp; B _x000D_</t></is></c><c r="B2" t="s"><v>2</v></c></row>' +
        // Cells out of order are placed by their references.
        '<row r="3"><c r="B3" t="b"><v>1</v></c><c r="A3"><v>2</v></c></row>' +
        '<row r="4"><c r="A4" t="inlineStr"><is><t>',
    ),
    // Bytes that are not UTF-8 read as the decoder reads them: a replacement character each.
    Buffer.from([0xc3, 0x28, 0xff]),
    Buffer.from('</t></is></c><c r="B4" t="inlineStr"><is><t xml:space="preserve"> Ánh </t></is></c><c r="C4"><f>1+1</f><v>2</v></c><c r="D4" t="inlineStr"><is><t>a_x0000_b</t></is></c></row></sheetData></worksheet>'),
  ]);
  await workbookOf(file, sheet, '<si><t>Nguyễn Thị Ánh</t></si><si><t>Lê &amp; Trần</t></si><si><t>x_x0000_y</t></si>');
  expect(await ours(file)).toEqual({
    'Khai sinh': [
      ['Nguyễn Thị Ánh', 'Lê & Trần', null, 12.5],
      ['A & B \r', 'x\u0000y'],
      [2, true],
      ['\uFFFD(\uFFFD', ' Ánh ', 2, 'a\u0000b'],
    ],
  });
});

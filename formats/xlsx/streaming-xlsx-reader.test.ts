import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { Readable } from 'node:stream';
import { sheetRowBatches, type SheetCell } from './streaming-xlsx-reader';
import { decodeCharacterData, excelUnescape } from './xml-fragment';
import { isDateFormatCode } from './date-formats';
import { isAppError } from '../../domain/errors';
import { parseCivilDate } from '../../domain/dates/civil-date';
import { rawZip } from '../../test/support/raw-zip';
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
        '<row r="4"><c r="A4" t="inlineStr"><is><t>Hà</t></is></c><c r="B4" t="inlineStr"><is><t xml:space="preserve"> Ánh </t></is></c><c r="C4"><f>1+1</f><v>2</v></c><c r="D4" t="inlineStr"><is><t>a_x0000_b</t></is></c></row></sheetData></worksheet>'),
  ]);
  await workbookOf(file, sheet, '<si><t>Nguyễn Thị Ánh</t></si><si><t>Lê &amp; Trần</t></si><si><t>x_x0000_y</t></si>');
  expect(await ours(file)).toEqual({
    'Khai sinh': [
      ['Nguyễn Thị Ánh', 'Lê & Trần', null, 12.5],
      ['A & B \r', 'x\u0000y'],
      [2, true],
      ['Hà', ' Ánh ', 2, 'a\u0000b'],
    ],
  });
});

/**
 * A workbook of one sheet "S" from its parts' XML, laid out as Excel lays it out (with relationship types, so styles and shared strings are found);
 * `sheetBytes` and `sstBytes` are the sheet and shared strings parts as given, byte for byte.
 */
function partsBook(file: string, sheetData: string, opts: { sst?: string; workbookPr?: string; styles?: string; sheetBytes?: Buffer; sstBytes?: Buffer } = {}): string {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const entries = [
    { name: '_rels/.rels', data: `<Relationships><Relationship Id="r1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<workbook ${ns} xmlns:r="${rel}">${opts.workbookPr ?? ''}<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<Relationships><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
    },
    { name: 'xl/sharedStrings.xml', data: opts.sstBytes ?? `<sst ${ns}>${opts.sst ?? ''}</sst>` },
    { name: 'xl/styles.xml', data: `<styleSheet ${ns}>${opts.styles ?? ''}</styleSheet>` },
    { name: 'xl/worksheets/sheet1.xml', data: opts.sheetBytes ?? `<worksheet ${ns}>${sheetData}</worksheet>` },
  ];
  fs.writeFileSync(file, rawZip(entries.map((e) => ({ name: e.name, data: Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data), deflate: true }))));
  return file;
}

test('forms SheetJS misreads are read as XML reads them: values in odd tags, comments, CDATA, references, line ends, escapes, quotes, prefixes', async () => {
  const file = partsBook(
    path.join(dir, 'odd-forms.xlsx'),
    '<sheetData>' +
      // A <v> in an inline string cell (SheetJS gives ""), spaces inside tags, single quotes.
      `<row r="1"><c r="A1" t="inlineStr"><v>  Hoàng  Thị Hương </v></c><c  r = "B1"  t = "str" ><v >Lê  Văn</v ></c><c r='C1' t='s'><v>0</v></c></row >` +
      // A comment in a value, CDATA, references above the BMP, a CR written as such (XML reads LF), Excel's escape of "_x".
      '<row r="2"><c r="A2" t="str"><v>Trần<!-- ghi chú --> Thị</v></c><c r="B2" t="str"><v><![CDATA[A <&> B]]></v></c><c r="C2" t="inlineStr"><is><t>&#x1EA1;&#128512;&#x21A38;</t></is></c><c r="D2" t="str"><v>a\r\nb\rc</v></c><c r="E2" t="str"><v>_x005F_x0041_ _x000D_</v></c></row>' +
      // A row without r="" after an empty row element is the next row (SheetJS counts from the last row with cells).
      '<row r="3"/><row><c r="A4" t="b"><v>true</v></c><c r="B4" t="b"><v>false</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4" t="d"><v>1890-05-01</v></c></row>' +
      '</sheetData>',
    { sst: `<si><r><rPr><b/></rPr><t xml:space="preserve">Nguyễn </t></r><r><t>Ánh</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si>` },
  );
  expect(await ours(file)).toEqual({
    S: [
      ['  Hoàng  Thị Hương ', 'Lê  Văn', 'Nguyễn Ánh'],
      ['Trần Thị', 'A <&> B', 'ạ😀𡨸', 'a\nb\nc', '_x0041_ \r'],
      [],
      [true, false, '#N/A', '1890-05-01'],
    ],
  });
  // The same rows with every element prefixed, as some .NET writers write them.
  const prefixed = path.join(dir, 'prefixed.xlsx');
  const px = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  fs.writeFileSync(
    prefixed,
    rawZip(
      [
        ['xl/workbook.xml', `<x:workbook ${px} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="P" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`],
        ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'],
        ['xl/sharedStrings.xml', `<x:sst ${px}><x:si><x:t>Phạm Thị</x:t></x:si><x:si><x:r><x:t>Lò </x:t></x:r><x:r><x:t>Văn</x:t></x:r></x:si></x:sst>`],
        ['xl/worksheets/sheet1.xml', `<x:worksheet ${px}><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>1</x:v></x:c><x:c r="B1" t="s"><x:v>0</x:v></x:c><x:c r="C1"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>`],
      ].map(([name, data]) => ({ name: name!, data: Buffer.from(data!) })),
    ),
  );
  expect(await ours(prefixed)).toEqual({ P: [['Lò Văn', 'Phạm Thị', 7]] });
});

async function refusal(file: string): Promise<unknown> {
  try {
    await ours(file);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { code: e.code, params: e.params, vi: e.messageVi };
  }
  return 'read without an error';
}

test.each([
  ['an unknown type', '<row r="2"><c r="B2" t="x"><v>1</v></c></row>', 2, 'B', 'type'],
  ['a number that is none', '<row r="2"><c r="B2"><v>12,5</v></c></row>', 2, 'B', 'number'],
  ['a number in hexadecimal', '<row r="2"><c r="A2"><v>1</v></c><c r="B2" s="1"><v>0x10</v></c></row>', 2, 'B', 'number'],
  ['a boolean that is none', '<row r="2"><c r="C2" t="b"><v>yes</v></c></row>', 2, 'C', 'boolean'],
  ['a shared string past the table', '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>9</v></c></row>', 2, 'B', 'sharedString'],
  ['a shared string index that is no number', '<row r="2"><c r="B2" t="s"><v>x</v></c></row>', 2, 'B', 'sharedString'],
  ['a formula whose result was not saved', '<row r="2"><c r="B2"><f>A2*2</f></c></row>', 2, 'B', 'formula'],
  ['a text formula whose result was not saved', '<row r="2"><c r="B2" t="str"><f>A2&amp;"x"</f></c></row>', 2, 'B', 'formula'],
  ['a cell given twice', '<row r="2"><c r="B2"><v>1</v></c><c r="B2"><v>2</v></c></row>', 2, 'B', 'duplicate'],
  ['a cell of another row', '<row r="2"><c r="B3"><v>1</v></c></row>', 2, 'B', 'reference'],
  ['a reference that is no cell', '<row r="2"><c r="2B"><v>1</v></c></row>', 2, 'A', 'reference'],
  ['rows out of order', '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>', 2, undefined, 'rowOrder'],
  ['a row given twice', '<row r="2"><c r="A2"><v>1</v></c></row><row r="2"/>', 2, undefined, 'rowOrder'],
  ['an element that is no cell', '<row r="2"><c r="A2"><v>1</v></c><is><t>Hoàng</t></is></row>', 2, 'B', 'markup'],
  ['text outside any cell', '<row r="2">Hoàng<c r="A2"><v>1</v></c></row>', 2, 'A', 'markup'],
  ['an element inside a value', '<row r="2"><c r="A2" t="str"><v>a<b/>c</v></c></row>', 2, 'A', 'markup'],
  ['a reference to no character', '<row r="2"><c r="A2" t="str"><v>&#x110000;</v></c></row>', 2, undefined, 'markup'],
  ['an entity XML does not have', '<row r="2"><c r="A2" t="str"><v>&nbsp;</v></c></row>', 2, undefined, 'markup'],
  ['a row of another prefix than its sheet', '<row r="1"><c r="A1"><v>1</v></c></row><x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></x:row>', 2, undefined, 'markup'],
  ['a sheet that ends inside a row', '<row r="2"><c r="A2"><v>1</v></c>', 2, undefined, 'truncated'],
])('%s is refused with its sheet and cell, not read as an empty cell', async (name, rows, row, column, problem) => {
  // Row 1 is plain, so that the refusal is not of the first row only.
  const sheetData = rows.startsWith('<row r="1">') ? rows : `<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>${rows}`;
  const closed = problem === 'truncated' ? `<sheetData>${sheetData}` : `<sheetData>${sheetData}</sheetData>`;
  const file = partsBook(path.join(dir, `refused-${problem}.xlsx`), closed, { sst: '<si><t>một</t></si>' });
  const where = column ? `ô ${column}${row}` : `dòng ${row}`;
  expect(await refusal(file)).toEqual({
    code: 'XLSX_CELL_UNREADABLE',
    params: { file: `refused-${problem}.xlsx`, sheet: 'S', row, column, problem },
    vi: expect.stringContaining(`Tệp refused-${problem}.xlsx, trang tính "S", ${where}: `),
  });
});

test('a broken package or part is refused as XLSX_UNREADABLE, never read as fewer rows', async () => {
  const notZip = path.join(dir, 'not-a-zip.xlsx');
  fs.writeFileSync(notZip, 'Họ và tên,Ngày sinh\n');
  const sheet = '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>';
  const badSst = partsBook(path.join(dir, 'bad-sst.xlsx'), sheet, { sst: '<si><t>a</t></si><x>b</x><si><t>c</t></si>' });
  const openSst = partsBook(path.join(dir, 'open-sst.xlsx'), sheet, { sst: '<si><t>a</t></si><si><t>c' });
  const noSheets = path.join(dir, 'no-sheets.xlsx');
  fs.writeFileSync(noSheets, rawZip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook><sheets/></workbook>') }]));
  // The sheet's deflated bytes cut short: the member does not inflate.
  const cut = path.join(dir, 'cut.xlsx');
  const whole = partsBook(path.join(dir, 'whole.xlsx'), `<sheetData>${'<row><c t="inlineStr"><is><t>Nguyễn Văn An</t></is></c></row>'.repeat(2000)}</sheetData>`);
  const bytes = fs.readFileSync(whole);
  const at = bytes.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
  fs.writeFileSync(cut, Buffer.concat([bytes.subarray(0, at + 40), Buffer.alloc(64, 0xff), bytes.subarray(at + 104)]));
  // A worksheet part without <sheetData> (not XML, or in UTF-16) held rows nobody could see.
  const notXml = partsBook(path.join(dir, 'not-xml.xlsx'), '', { sheetBytes: Buffer.from([0, 1, 0x50, 0x4b, 0xff]) });
  const utf16 = partsBook(path.join(dir, 'utf16.xlsx'), '', { sheetBytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<worksheet>${sheet}</worksheet>`, 'utf16le')]) });
  const latin1 = partsBook(path.join(dir, 'latin1.xlsx'), '', { sheetBytes: Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><worksheet>${sheet}</worksheet>`, 'latin1') });
  // A sheet of a thousand times its compressed size: 64 MB of spaces in 64 kB.
  const bomb = partsBook(path.join(dir, 'bomb.xlsx'), `<sheetData>${' '.repeat(64 << 20)}</sheetData>`);
  const sstLatin1 = partsBook(path.join(dir, 'sst-latin1.xlsx'), sheet, { sstBytes: Buffer.from('<sst><si><t>Nguy\u00ean</t></si></sst>', 'latin1') });
  for (const file of [notZip, badSst, openSst, noSheets, cut, notXml, utf16, latin1, bomb, sstLatin1]) {
    expect([path.basename(file), await refusal(file)]).toEqual([path.basename(file), expect.objectContaining({ code: 'XLSX_UNREADABLE' })]);
  }
});

test('text that is not UTF-8, or a reference to a character XML does not allow, is refused at its row, never read as U+FFFD or a NUL', async () => {
  const book = (cell: Buffer) =>
    partsBook(path.join(dir, 'cell.xlsx'), '', {
      sheetBytes: Buffer.concat([
        Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row><row r="7"><c r="A7" t="inlineStr"><is><t>'),
        cell,
        Buffer.from('</t></is></c></row></sheetData></worksheet>'),
      ]),
    });
  // "Nguyễn" in Windows-1258, as a tool writing the XML in the machine's code page would.
  expect(await refusal(book(Buffer.from([0x4e, 0x67, 0x75, 0x79, 0xea, 0xde, 0x6e])))).toMatchObject({ code: 'XLSX_CELL_UNREADABLE', params: { row: 7, problem: 'encoding' } });
  for (const reference of ['&#0;', '&#xD800;', '&#xFFFF;', '&#x110000;']) {
    expect([reference, await refusal(book(Buffer.from(`a${reference}b`)))]).toEqual([reference, expect.objectContaining({ code: 'XLSX_CELL_UNREADABLE', params: expect.objectContaining({ row: 7, problem: 'markup' }) })]);
  }
});

test('a workbook of the 1904 date system gives its dates as days of the 1900 system, and only its dates', async () => {
  const styles =
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="#,##0 &quot;đồng&quot;"/><numFmt numFmtId="166" formatCode="[$-42A]d mmmm yyyy;@"/></numFmts>' +
    '<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="2"/><xf numFmtId="166"/><xf numFmtId="49"/></cellXfs>';
  // 5 March 2009 is 38,415 days after 1 January 1904, 39,877 in the 1900 system.
  const row = '<row r="1"><c r="A1" s="1"><v>38415</v></c><c r="B1" s="2"><v>38415.5</v></c><c r="C1" s="5"><v>38415</v></c><c r="D1" s="3"><v>38415</v></c><c r="E1" s="4"><v>38415</v></c><c r="F1"><v>38415</v></c><c r="G1" t="d"><v>2009-03-05</v></c></row>';
  for (const date1904 of ['1', 'true']) {
    const file = partsBook(path.join(dir, `1904-${date1904}.xlsx`), `<sheetData>${row}</sheetData>`, { styles, workbookPr: `<workbookPr date1904="${date1904}"/>` });
    const [cells] = (await ours(file)).S!;
    expect(cells).toEqual([39877, 39877.5, 39877, 38415, 38415, 38415, '2009-03-05']);
    // Where serials become dates, these are 5 March 2009.
    for (const value of [cells![0], cells![1], cells![2], cells![6]]) expect(parseCivilDate(value)).toMatchObject({ ok: true, date: { year: 2009, month: 3, day: 5 } });
  }
  const in1900 = partsBook(path.join(dir, '1900.xlsx'), `<sheetData>${row}</sheetData>`, { styles, workbookPr: '<workbookPr date1904="0"/>' });
  expect((await ours(in1900)).S).toEqual([[38415, 38415.5, 38415, 38415, 38415, 38415, '2009-03-05']]);
});

test('a format shows a date exactly when SheetJS says it does', () => {
  const codes = [
    'General', '0', '0.00', '#,##0', '#,##0.00', '0%', '0.00E+00', '##0.0E+0', '# ?/?', '@', '#,##0 "đồng"', '"Ngày "0', '[Red]0.00', '[>=100]0;0', '_(* #,##0_)', '0\\d',
    'm/d/yy', 'd-mmm-yy', 'dd/mm/yyyy', 'mmm-yy', 'h:mm AM/PM', 'h:mm:ss', '[h]:mm:ss', 'mm:ss', 'yyyy-mm-dd hh:mm:ss', '[$-42A]dd/mm/yyyy;@', '[$-F800]dddd, mmmm dd, yyyy', 'B1dd/mm/yyyy', 'e', 'ggg e',
  ];
  expect(codes.map((c) => [c, isDateFormatCode(c)])).toEqual(codes.map((c) => [c, XLSX.SSF.is_date(c)]));
});

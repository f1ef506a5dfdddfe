/**
 * Differential tests of our .xlsx reader against SheetJS: random workbooks (text with the
 * spaces, line breaks, XML specials, NFC and NFD Vietnamese and astral characters names come
 * with; numbers; booleans; dates; errors; blanks) written by the writers exports come from, and
 * by hand for the forms those writers do not use; both readers read the same bytes and must
 * give the same cells, except where a difference is intended, each one named here:
 *
 * - an error cell (#N/A) is its text for us, null for sheet_to_json: the expected value is the
 *   text SheetJS keeps beside the cell (`w`);
 * - a number shown as a date is a serial day of the 1900 date system for us whatever the
 *   workbook's, and a t="d" cell is its ISO text: SheetJS is read with cellDates, and its Date
 *   must be the day our serial or our text names;
 * - SheetJS makes every CR LF in a text LF, even a CR its own writer escaped as _x000D_; we keep
 *   the CR: our text is compared with that change made to it, and, where the writer keeps
 *   every text as given (SheetJS, our hand), exactly with the model's text as well;
 * - SheetJS misreads a few forms of XML that are the same document as plainer ones, so it reads
 *   the plainer twin of each part (`sheetJsTwin`): line ends made LF as XML parsers make them
 *   (SheetJS keeps a lone CR), character references to non-ASCII characters written as the
 *   characters (SheetJS garbles them in <v> and drops those above U+FFFF in <t>), CDATA as
 *   escaped text, comments left out (SheetJS keeps a comment inside a value as text);
 * - rows and columns are where Excel shows them (sheet_to_json starts at the used range), and
 *   trailing blank rows and cells are not compared (a blank row SheetJS has no range for); a
 *   sheet without rows is absent from our reading, which hands over rows.
 *
 * Forms on which SheetJS loses or misplaces a value with no plainer twin (text in an inline
 * string's <v>, spaces inside tags, an empty boolean, a row without r="" after an empty row
 * element) are not drawn here: formats/xlsx/streaming-xlsx-reader.test.ts says what each reads as.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import * as XLSX from '@e965/xlsx';
import { readRowBatches, type SheetCell } from '../../formats/tabular/read-rows';
import { rawZip } from './raw-zip';

export type ModelCell =
  | { kind: 'text'; text: string }
  | { kind: 'number'; n: number }
  | { kind: 'bool'; b: boolean }
  /** A day and time (UTC milliseconds, whole seconds), from 1 March 1900 on (SheetJS counts the days before Excel's 29 February 1900 apart). */
  | { kind: 'date'; ms: number }
  | { kind: 'error'; code: string }
  | { kind: 'blank' };

export interface ModelBook {
  sheets: ModelCell[][][];
  date1904: boolean;
}

/** The pieces texts are made of: what names and notes in a register hold, and what XML must escape. */
const TEXT_PIECES = [
  ' ', '  ', '\n', '\r\n', '\r', '\t', '<', '>', '&', '"', "'", 'a', 'Z', '0', '7', '-', '.', '/', ',',
  'Hoàng', 'Thị', 'Hương', 'Nguyễn', 'Đặng', 'ỹ', 'Ư', 'Ánh',
  // The same letters decomposed (NFD), as some Mac and web tools write them.
  'Hoa\u0300ng', 'Thi\u0323', 'Nguye\u0302\u0303n', 'A\u0301nh',
  '𡨸', '😀', '\u00a0',
  // A control character, which XML cannot hold: Excel writes it as _x0007_.
  '\u0007',
];

export const textArb = fc.array(fc.constantFrom(...TEXT_PIECES), { maxLength: 8 }).map((parts) => parts.join(''));

const DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const FIRST_DAY = Date.UTC(1900, 2, 1);
const LAST_DAY = Date.UTC(2099, 11, 31);

export const ERROR_CODES = ['#N/A', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!'];

export function cellArb(options: { errors: boolean }): fc.Arbitrary<ModelCell> {
  const arbs: Array<fc.WeightedArbitrary<ModelCell>> = [
    { weight: 6, arbitrary: textArb.map((text) => ({ kind: 'text', text })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.integer({ min: -1e6, max: 1e12 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.1, 12.5, 1e15, -0, 5e-324, 1.7976931348623157e308))
        .map((n) => ({ kind: 'number', n })),
    },
    { weight: 1, arbitrary: fc.boolean().map((b) => ({ kind: 'bool', b })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: FIRST_DAY / DAY, max: LAST_DAY / DAY }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 86_399 })))
        .map(([day, second]) => ({ kind: 'date', ms: day * DAY + second * 1000 })),
    },
    { weight: 3, arbitrary: fc.constant<ModelCell>({ kind: 'blank' }) },
  ];
  if (options.errors) arbs.push({ weight: 1, arbitrary: fc.constantFrom(...ERROR_CODES).map((code) => ({ kind: 'error', code })) });
  return fc.oneof(...arbs);
}

export function bookArb(options: { errors: boolean }): fc.Arbitrary<ModelBook> {
  const sheet = fc.array(fc.array(cellArb(options), { maxLength: 6 }), { maxLength: 8 });
  return fc.record({ sheets: fc.array(sheet, { minLength: 1, maxLength: 2 }), date1904: fc.boolean() });
}

export const sheetName = (i: number) => ['Khai sinh', 'Khai tử & kết hôn'][i] ?? `Trang ${i + 1}`;

/** A date's serial day in the workbook's date system. */
export function serial(ms: number, date1904: boolean): number {
  return (ms - EPOCH_1900) / DAY - (date1904 ? 1462 : 0);
}

/** Written by SheetJS: text as t="str" by default, through the shared string table with `bookSST`; dates as numbers in a date format. */
export function writeWithSheetJs(book: ModelBook, bookSST: boolean, bookType: 'xlsx' | 'biff8' = 'xlsx'): Buffer {
  return XLSX.write(sheetJsWorkbook(book), { type: 'buffer', bookType, bookSST, compression: true }) as Buffer;
}

function sheetJsWorkbook(book: ModelBook): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  book.sheets.forEach((rows, i) => {
    const ws: XLSX.WorkSheet = {};
    let lastRow = -1;
    let lastCol = -1;
    rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        let value: XLSX.CellObject | undefined;
        if (cell.kind === 'text') value = { t: 's', v: cell.text };
        else if (cell.kind === 'number') value = { t: 'n', v: cell.n };
        else if (cell.kind === 'bool') value = { t: 'b', v: cell.b };
        else if (cell.kind === 'date') value = { t: 'n', v: serial(cell.ms, book.date1904), z: 'dd/mm/yyyy hh:mm:ss' };
        else if (cell.kind === 'error') value = { t: 'e', v: XLSX_ERROR_NUMBERS[cell.code]! };
        if (!value) return;
        ws[XLSX.utils.encode_cell({ r, c })] = value;
        lastRow = Math.max(lastRow, r);
        lastCol = Math.max(lastCol, c);
      }),
    );
    if (lastRow >= 0) ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: lastRow, c: lastCol } });
    XLSX.utils.book_append_sheet(wb, ws, sheetName(i));
  });
  if (book.date1904) wb.Workbook = { ...wb.Workbook, WBProps: { date1904: true } };
  return wb;
}

const XLSX_ERROR_NUMBERS: Record<string, number> = { '#NULL!': 0x00, '#DIV/0!': 0x07, '#VALUE!': 0x0f, '#REF!': 0x17, '#NAME?': 0x1d, '#NUM!': 0x24, '#N/A': 0x2a };

/** Written by ExcelJS: text through shared strings, split into rich-text runs when it has room for two; errors as formula results. */
export async function writeWithExcelJs(book: ModelBook): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = book.date1904;
  book.sheets.forEach((rows, i) => {
    const ws = wb.addWorksheet(sheetName(i));
    rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        const target = ws.getCell(r + 1, c + 1);
        if (cell.kind === 'text') {
          const chars = [...cell.text];
          const cut = Math.floor(chars.length / 2);
          target.value = chars.length >= 2 && (r + c) % 2 === 0 ? { richText: [{ text: chars.slice(0, cut).join(''), font: { bold: true, name: 'Arial' } }, { text: chars.slice(cut).join('') }] } : cell.text;
        } else if (cell.kind === 'number') target.value = cell.n;
        else if (cell.kind === 'bool') target.value = cell.b;
        else if (cell.kind === 'date') {
          target.value = new Date(cell.ms);
          target.numFmt = 'dd/mm/yyyy hh:mm:ss';
        } else if (cell.kind === 'error') target.value = { formula: 'NA()', result: { error: cell.code as ExcelJS.CellErrorValue['error'] } } as ExcelJS.CellFormulaValue;
      }),
    );
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A small generator of choices, so that one number drawn by fast-check decides a cell's whole markup. */
class Choices {
  constructor(private state: number) {}
  pick(n: number): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return (this.state >>> 8) % n;
  }
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Cell formats of the hand-made workbooks (cellXfs by index): their number format ids, and which show dates. */
const HAND_FORMATS = [
  { id: 0 },
  { id: 14, date: true },
  { id: 164, code: 'dd/mm/yyyy', date: true },
  { id: 165, code: '[$-42A]dd/mm/yyyy;@', date: true },
  { id: 2 },
  { id: 49 },
  { id: 166, code: '#,##0 "đồng"' },
  { id: 167, code: 'yyyy-mm-dd hh:mm:ss', date: true },
];
const DATE_STYLES = HAND_FORMATS.flatMap((f, i) => (f.date ? [i] : []));
const NUMBER_STYLES = HAND_FORMATS.flatMap((f, i) => (f.date ? [] : [i]));

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * Character data for a text, each character written one of the ways XML and Excel allow:
 * as itself, as a character reference, as an entity; a CR (which XML would read as LF) and
 * control characters only as a reference or Excel's _xHHHH_.
 */
function encodeText(text: string, choose: Choices, cdata: boolean): string {
  if (cdata) return `<![CDATA[${text.replace(/\r/g, '_x000D_').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)}]]>`;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const way = choose.pick(8);
    if (ch === '\r') out += way % 2 ? '_x000D_' : '&#13;';
    else if (ch === '&') out += way % 2 ? '&amp;' : '&#38;';
    else if (ch === '<') out += way % 2 ? '&lt;' : '&#x3C;';
    else if (ch === '>' && way === 0) out += '&gt;';
    else if (ch === '"' && way === 0) out += '&quot;';
    else if (ch === "'" && way === 0) out += '&apos;';
    else if (ch === '\t' && way === 0) out += '_x0009_';
    else if (code < 0x20 && ch !== '\n' && ch !== '\t') out += `_x${code.toString(16).toUpperCase().padStart(4, '0')}_`;
    else if (way === 1) out += `&#x${code.toString(16)};`;
    else if (way === 2) out += `&#${code};`;
    else out += ch;
  }
  return out;
}

export interface HandMadeWorkbook {
  bytes: Buffer;
  /** Cells written as t="d" (sheet index, row and column from 0): read as their ISO text. */
  isoCells: Set<string>;
}

export const isoKey = (sheet: number, row: number, col: number) => `${sheet}:${row}:${col}`;

/**
 * A workbook written by hand from the model, `seed` choosing every form: prefixed elements or
 * not, white space between elements, rows and cells with and without r="", gaps in row
 * numbers, inline strings plain, in runs with properties or with phonetic guides, t="str" with
 * and without xml:space on <v>, shared strings plain or in runs, CDATA, character references,
 * entities and _xHHHH_ escapes, empty <v/>, booleans as 1/0/true/false, errors, numbers in
 * exponent form, dates as numbers in date formats (1900 or 1904 system) or as ISO t="d" text,
 * blank cells written and formatted, members stored or deflated.
 */
export function handMade(book: ModelBook, seed: number): HandMadeWorkbook {
  const choose = new Choices(seed);
  const p = choose.pick(3) === 0 ? 'x:' : '';
  const ws = choose.pick(2) === 0 ? '\n  ' : '';
  const xmlns = p ? `xmlns:x="${NS_MAIN}"` : `xmlns="${NS_MAIN}"`;
  const shared: string[] = [];
  const isoCells = new Set<string>();

  const textRuns = (text: string, t: string): string => {
    const chars = [...text];
    const form = choose.pick(4);
    const cdata = choose.pick(6) === 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text);
    if (form === 0 || chars.length < 2) {
      const preserve = /^\s|\s$/.test(text) || choose.pick(2) === 0 ? ' xml:space="preserve"' : '';
      return text === '' && choose.pick(2) === 0 ? `<${p}${t}/>` : `<${p}${t}${preserve}>${encodeText(text, choose, cdata)}</${p}${t}>`;
    }
    const cut = 1 + choose.pick(chars.length - 1);
    const run = (part: string, withProperties: boolean) =>
      `<${p}r>${withProperties ? `<${p}rPr><${p}b/><${p}sz val="11"/><${p}color rgb="FFFF0000"/><${p}rFont val="Times New Roman"/><${p}family val="1"/></${p}rPr>` : ''}<${p}t xml:space="preserve">${encodeText(part, choose, false)}</${p}t></${p}r>`;
    const runs = run(chars.slice(0, cut).join(''), form !== 2) + ws + run(chars.slice(cut).join(''), form === 3);
    // Phonetic guides (Japanese furigana) are not part of the text.
    return form === 2 ? `${runs}<${p}rPh sb="0" eb="1"><${p}t>ふ</${p}t></${p}rPh><${p}phoneticPr fontId="0" type="noConversion"/>` : runs;
  };

  const sheetXml = (rows: ModelCell[][], s: number): string => {
    let out = '';
    let lastRow = 0;
    let lastHadCells = false;
    rows.forEach((row, r) => {
      const number = r + 1;
      const cells: string[] = [];
      let next = 0;
      row.forEach((cell, c) => {
        const ref = c === next && choose.pick(3) === 0 ? '' : ` r="${XLSX.utils.encode_col(c)}${number}"`;
        const attrs = (type: string, style?: number) => `${ref}${style === undefined ? '' : ` s="${style}"`}${type ? ` t="${type}"` : ''}`;
        let xml: string | undefined;
        if (cell.kind === 'blank') {
          const form = choose.pick(5);
          if (form === 1) xml = `<${p}c${attrs('')}/>`;
          else if (form === 2) xml = `<${p}c${attrs('', NUMBER_STYLES[choose.pick(NUMBER_STYLES.length)])}/>`;
          else if (form === 3) xml = `<${p}c${attrs('')}><${p}v/></${p}c>`;
          else if (form === 4) xml = `<${p}c${attrs('s')}></${p}c>`;
        } else if (cell.kind === 'text') {
          const form = choose.pick(5);
          if (form === 0) xml = `<${p}c${attrs('inlineStr')}><${p}is>${textRuns(cell.text, 't')}</${p}is></${p}c>`;
          else if (form === 1) {
            const preserve = choose.pick(2) === 0 ? ' xml:space="preserve"' : '';
            xml = `<${p}c${attrs('str')}>${cell.text === '' && choose.pick(2) === 0 ? `<${p}v/>` : `<${p}v${preserve}>${encodeText(cell.text, choose, choose.pick(6) === 0)}</${p}v>`}</${p}c>`;
          } else {
            shared.push(`<${p}si>${textRuns(cell.text, 't')}</${p}si>`);
            xml = `<${p}c${attrs('s', choose.pick(2) ? undefined : 5)}><${p}v>${shared.length - 1}</${p}v></${p}c>`;
          }
        } else if (cell.kind === 'number') {
          const lexical = choose.pick(3) === 0 ? cell.n.toExponential() : String(cell.n);
          xml = `<${p}c${attrs(choose.pick(2) ? 'n' : '', choose.pick(2) ? NUMBER_STYLES[choose.pick(NUMBER_STYLES.length)] : undefined)}><${p}v>${lexical}</${p}v></${p}c>`;
        } else if (cell.kind === 'bool') {
          const v = [cell.b ? '1' : '0', cell.b ? 'true' : 'false'][choose.pick(2)];
          xml = `<${p}c${attrs('b')}><${p}v>${v}</${p}v></${p}c>`;
        } else if (cell.kind === 'error') xml = `<${p}c${attrs('e')}><${p}v>${escapeAttribute(cell.code)}</${p}v></${p}c>`;
        else if (cell.kind === 'date') {
          if (choose.pick(3) === 0) {
            isoCells.add(isoKey(s, r, c));
            const iso = new Date(cell.ms).toISOString().slice(0, 19);
            xml = `<${p}c${attrs('d', DATE_STYLES[choose.pick(DATE_STYLES.length)])}><${p}v>${cell.ms % DAY === 0 && choose.pick(2) ? iso.slice(0, 10) : iso}</${p}v></${p}c>`;
          } else xml = `<${p}c${attrs('', DATE_STYLES[choose.pick(DATE_STYLES.length)])}><${p}v>${serial(cell.ms, book.date1904)}</${p}v></${p}c>`;
        }
        if (xml === undefined) return;
        cells.push(xml);
        next = c + 1;
      });
      if (cells.length === 0 && choose.pick(2) === 0) return;
      // SheetJS counts a row without r="" from the last row with cells, not from the last <row/> (the specification's next row).
      const rowRef = number === lastRow + 1 && (lastHadCells || lastRow === 0) && choose.pick(3) === 0 ? '' : ` r="${number}"`;
      const extra = choose.pick(3) === 0 ? ' spans="1:6" ht="15" customHeight="1"' : '';
      out += cells.length ? `${ws}<${p}row${rowRef}${extra}>${cells.map((x) => ws + x).join('')}${ws}</${p}row>` : `${ws}<${p}row${rowRef}${extra}/>`;
      lastRow = number;
      lastHadCells = cells.length > 0;
    });
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}worksheet ${xmlns} xmlns:r="${NS_REL}"><${p}dimension ref="A1"/><${p}sheetViews><${p}sheetView workbookViewId="0"/></${p}sheetViews><${p}sheetFormatPr defaultRowHeight="15"/><${p}cols><${p}col min="1" max="6" width="20" customWidth="1"/></${p}cols><${p}sheetData>${out}${ws}</${p}sheetData><${p}pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></${p}worksheet>`;
  };

  const sheets = book.sheets.map(sheetXml);
  const numFmts = HAND_FORMATS.filter((f) => f.code).map((f) => `<${p}numFmt numFmtId="${f.id}" formatCode="${escapeAttribute(f.code!)}"/>`);
  const files: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/_rels/workbook.xml.rels':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">` +
      sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
      `<Relationship Id="rIdS" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="${NS_REL}/styles" Target="styles.xml"/></Relationships>`,
    'xl/workbook.xml':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}workbook ${xmlns} xmlns:r="${NS_REL}"><${p}workbookPr${book.date1904 ? ` date1904="${choose.pick(2) ? '1' : 'true'}"` : ''}/><${p}sheets>` +
      sheets.map((_, i) => `<${p}sheet name="${escapeAttribute(sheetName(i))}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      `</${p}sheets></${p}workbook>`,
    'xl/styles.xml':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}styleSheet ${xmlns}><${p}numFmts count="${numFmts.length}">${numFmts.join('')}</${p}numFmts>` +
      `<${p}fonts count="1"><${p}font><${p}sz val="11"/><${p}name val="Calibri"/></${p}font></${p}fonts><${p}fills count="1"><${p}fill><${p}patternFill patternType="none"/></${p}fill></${p}fills><${p}borders count="1"><${p}border/></${p}borders>` +
      `<${p}cellStyleXfs count="1"><${p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></${p}cellStyleXfs>` +
      `<${p}cellXfs count="${HAND_FORMATS.length}">${HAND_FORMATS.map((f) => `<${p}xf numFmtId="${f.id}" fontId="0" fillId="0" borderId="0" xfId="0"${f.id ? ' applyNumberFormat="1"' : ''}/>`).join('')}</${p}cellXfs></${p}styleSheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}sst ${xmlns} count="${shared.length}" uniqueCount="${shared.length}">${shared.map((si) => ws + si).join('')}</${p}sst>`,
  };
  sheets.forEach((xml, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = xml));
  const deflate = choose.pick(2) === 0;
  return { bytes: rawZip(Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8'), deflate }))), isoCells };
}

/** The package's parts by name. */
function parts(bytes: Buffer): Map<string, Buffer> {
  const zip = XLSX.CFB.read(bytes, { type: 'buffer' });
  const found = new Map<string, Buffer>();
  zip.FullPaths.forEach((full: string, i: number) => {
    const entry = zip.FileIndex[i]!;
    if (entry.type === 2) found.set(full.replace(/^[^/]*\//, ''), Buffer.from(entry.content as Uint8Array));
  });
  return found;
}

/** The same document written more plainly, where SheetJS misreads the first form (see the header). */
export function sheetJsTwin(bytes: Buffer): Buffer {
  const twin = XLSX.CFB.utils.cfb_new();
  for (const [name, data] of parts(bytes)) {
    let out = data;
    if (/\.(xml|rels)$/.test(name)) {
      const text = data
        .toString('utf8')
        .replace(/\r\n?/g, '\n')
        .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/&#x([0-9a-fA-F]+);|&#([0-9]+);/g, (whole, hex: string | undefined, dec: string | undefined) => {
          const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
          return code >= 0x80 ? String.fromCodePoint(code) : whole;
        });
      out = Buffer.from(text, 'utf8');
    }
    XLSX.CFB.utils.cfb_add(twin, name, out);
  }
  return XLSX.CFB.write(twin, { type: 'buffer', fileType: 'zip' }) as Buffer;
}

/** What a cell must be read as: a value, or a day and time that our number (a 1900 serial) or our ISO text must name. */
type Expected = SheetCell | { date: number };

export type Book = Record<string, SheetCell[][]>;

/** SheetJS's reading of the bytes (of their twin for an .xlsx), cell by cell where Excel shows each one. */
export function sheetJsReading(bytes: Buffer, format: 'xlsx' | 'xls' = 'xlsx'): Record<string, Expected[][]> {
  const wb = XLSX.read(format === 'xlsx' ? sheetJsTwin(bytes) : bytes, { type: 'buffer', cellDates: true, dense: true });
  const book: Record<string, Expected[][]> = {};
  for (const name of wb.SheetNames) {
    const data = (wb.Sheets[name]!['!data'] ?? []) as Array<Array<XLSX.CellObject | undefined> | undefined>;
    book[name] = trimRows(
      Array.from(data, (row) => {
        const cells: Expected[] = Array.from(row ?? [], (cell) => {
          if (!cell || cell.v === undefined) return null;
          if (cell.t === 'e') return cell.w ?? ERROR_CODES.find((code) => XLSX_ERROR_NUMBERS[code] === cell.v) ?? null;
          if (cell.v instanceof Date) return { date: cell.v.getTime() };
          return cell.v as SheetCell;
        });
        while (cells.length && cells[cells.length - 1] === null) cells.pop();
        return cells;
      }),
    );
  }
  return book;
}

function trimRows<T>(rows: T[][]): T[][] {
  while (rows.length && rows[rows.length - 1]!.length === 0) rows.pop();
  return rows;
}

/** Our reading of the bytes, written to `file` (an .xlsx or .xls), as the split and the import read a file; an .xls row's cells are filled to the sheet's width, which is not compared. */
export async function ourReading(bytes: Buffer, file: string): Promise<Book> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  const book: Book = {};
  for await (const batch of readRowBatches(file)) {
    for (const r of batch) {
      const rows = (book[r.sheet] ??= []);
      if (r.row !== rows.length + 1) throw new Error(`sheet ${r.sheet}: row ${r.row} after row ${rows.length}`);
      const cells = [...r.cells];
      while (cells.length && cells[cells.length - 1] === null) cells.pop();
      rows.push(cells);
    }
  }
  for (const rows of Object.values(book)) trimRows(rows);
  return book;
}

/** The day a serial of the 1900 date system names, as SheetJS counts it (UTC milliseconds). */
const serialToMs = (n: number) => EPOCH_1900 + n * DAY;

/** The text cells of a model by sheet, row and column: what our reading must give exactly. */
export function modelTexts(book: ModelBook): Map<string, string> {
  const texts = new Map<string, string>();
  book.sheets.forEach((rows, s) => rows.forEach((row, r) => row.forEach((cell, c) => cell.kind === 'text' && texts.set(isoKey(s, r, c), cell.text))));
  return texts;
}

/** Where our reading differs from SheetJS's beyond the intended differences, or from the model's texts; empty when none. */
export function differences(ours: Book, theirs: Record<string, Expected[][]>, known: { isoCells?: ReadonlySet<string>; texts?: ReadonlyMap<string, string>; format?: 'xlsx' | 'xls' } = {}): unknown[] {
  // Only SheetJS's XML reading makes CR LF into LF.
  const sheetJsText = known.format === 'xls' ? (text: string) => text : (text: string) => text.replace(/\r\n/g, '\n');
  const isoCells = known.isoCells ?? new Set();
  const found: unknown[] = [];
  // A sheet without rows hands over nothing, so our reading has no such sheet.
  const named = (book: Record<string, unknown[]>) => Object.keys(book).filter((name) => book[name]!.length > 0);
  if (JSON.stringify(named(ours)) !== JSON.stringify(named(theirs))) return [{ sheets: { ours: named(ours), theirs: named(theirs) } }];
  for (const [key, text] of known.texts ?? []) {
    const [s, r, c] = key.split(':').map(Number) as [number, number, number];
    const got = ours[Object.keys(theirs)[s]!]?.[r]?.[c];
    if (got !== text) found.push({ sheet: Object.keys(theirs)[s], row: r + 1, column: XLSX.utils.encode_col(c), ours: got, written: text });
  }
  Object.keys(theirs).forEach((sheet, s) => {
    if (theirs[sheet]!.length === 0) return;
    const a = ours[sheet]!;
    const b = theirs[sheet]!;
    for (let r = 0; r < Math.max(a.length, b.length); r++) {
      const row = a[r] ?? [];
      const want = b[r] ?? [];
      for (let c = 0; c < Math.max(row.length, want.length); c++) {
        const got = row[c] ?? null;
        const expected = want[c] ?? null;
        let same: boolean;
        if (expected !== null && typeof expected === 'object') {
          // SheetJS's Date is whole milliseconds.
          if (isoCells.has(isoKey(s, r, c))) same = typeof got === 'string' && Date.parse(`${got.length === 10 ? `${got}T00:00:00` : got}Z`) === expected.date;
          // SheetJS cuts the serial's milliseconds, where rounding would give back the second.
          else same = typeof got === 'number' && Math.abs(serialToMs(got) - expected.date) < 2;
        } else if (typeof expected === 'string' && typeof got === 'string') same = sheetJsText(got) === expected;
        else same = Object.is(got, expected);
        if (!same) found.push({ sheet, row: r + 1, column: XLSX.utils.encode_col(c), ours: got, sheetjs: expected });
      }
    }
  });
  return found;
}

/**
 * A streaming .xlsx writer: one sheet at a time, rows written as they come, text as inline
 * strings, with real back-pressure (deflating a sheet's XML holds at most a few megabytes), so
 * memory does not grow with the number of rows. Measured before it was written: ExcelJS's
 * streaming writer held a 580,000-row sheet in memory (about 2 GB RSS for 1,000,000 rows).
 * Entries carry a fixed date, so the same rows give the same bytes.
 */
import { StreamingZipWriter } from '../zip/streaming-zip-writer';

const FIXED_MTIME = new Date(Date.UTC(2025, 0, 1));
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** Sheet XML repeats itself: the fastest deflate level already shrinks it several times, at a fraction of the default's cost. */
const SHEET_LEVEL = 1;
/** The small parts around the sheets, at zlib's default level. */
const PART_LEVEL = 6;
/** Rows' XML is handed to the zip in pieces of about this many bytes. */
const PIECE = 64 << 10;
/** What deflating may hold before `drain` waits: rows keep coming while the pool deflates. */
const QUEUED_BYTES = 8 << 20;

const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** An attribute's text (a sheet name): escaped, and without the control characters XML 1.0 cannot carry. */
function xmlText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(NOT_IN_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/**
 * A sheet's XML as UTF-8, written straight into a buffer handed to the zip when full. Joining
 * a row's XML into one string first cost more than all else the writer does: Vietnamese text
 * makes the joined string two-byte, and flattening thousands of small pieces into it is slow.
 * Here the markup is copied as bytes and each value is encoded on its own.
 */
class Utf8Pieces {
  private buffer = Buffer.allocUnsafe(PIECE);
  private at = 0;

  constructor(private readonly emit: (bytes: Buffer) => void) {}

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }

  /** Markup: ASCII only. */
  ascii(s: string): void {
    this.room(s.length);
    const b = this.buffer;
    let at = this.at;
    for (let i = 0; i < s.length; i++) b[at++] = s.charCodeAt(i);
    this.at = at;
  }

  bytes(src: Uint8Array): void {
    this.room(src.length);
    const b = this.buffer;
    let at = this.at;
    for (let i = 0; i < src.length; i++) b[at++] = src[i]!;
    this.at = at;
  }

  /**
   * `s` as a cell's XML character data, encoded as Buffer.write encodes it (a lone surrogate as
   * U+FFFD), in one pass: for the short texts of cells, calling into Buffer.write and testing
   * expressions cost more than this loop. What XML cannot carry as it is goes as Excel writes
   * it, _xHHHH_: a CR (which XML reads as LF), the control characters XML 1.0 has no place for,
   * U+FFFE and U+FFFF, and the "_" of a text that reads as such an escape itself (_x005F_).
   */
  xmlText(s: string): void {
    // At most seven bytes for each UTF-16 unit ("_x000D_").
    this.room(s.length * 7);
    const b = this.buffer;
    let at = this.at;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20) {
          if (c === 38) at = put(b, at, AMP);
          else if (c === 60) at = put(b, at, LT);
          else if (c === 62) at = put(b, at, GT);
          else if (c === 34) at = put(b, at, QUOT);
          else if (c === 95 && s.charCodeAt(i + 1) === 120 && EXCEL_ESCAPE.test(s.slice(i, i + 7))) at = escaped(b, at, c);
          else b[at++] = c;
        } else if (c === 9 || c === 10) b[at++] = c;
        else at = escaped(b, at, c);
      } else if (c < 0x800) {
        b[at++] = 0xc0 | (c >> 6);
        b[at++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const next = c <= 0xdbff ? s.charCodeAt(i + 1) : 0;
        if (next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          b[at++] = 0xf0 | (cp >> 18);
          b[at++] = 0x80 | ((cp >> 12) & 0x3f);
          b[at++] = 0x80 | ((cp >> 6) & 0x3f);
          b[at++] = 0x80 | (cp & 0x3f);
          i++;
        } else at = put(b, at, REPLACEMENT);
      } else if (c < 0xfffe) {
        b[at++] = 0xe0 | (c >> 12);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      } else at = escaped(b, at, c);
    }
    this.at = at;
  }

  get full(): boolean {
    return this.at >= PIECE - 4096;
  }

  flush(): void {
    if (this.at === 0) return;
    this.emit(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(PIECE);
    this.at = 0;
  }
}

const AMP = [38, 97, 109, 112, 59];
const LT = [38, 108, 116, 59];
const GT = [38, 103, 116, 59];
const QUOT = [38, 113, 117, 111, 116, 59];
/** U+FFFD, what Buffer.write writes for a lone surrogate. */
const REPLACEMENT = [0xef, 0xbf, 0xbd];

/** Text that Excel would read as one of its escapes. */
const EXCEL_ESCAPE = /^_x[0-9a-fA-F]{4}_$/;
const HEX = Buffer.from('0123456789ABCDEF', 'latin1');

/** UTF-16 unit `c` as Excel's escape _xHHHH_. */
function escaped(b: Buffer, at: number, c: number): number {
  b[at++] = 95;
  b[at++] = 120;
  for (let shift = 12; shift >= 0; shift -= 4) b[at++] = HEX[(c >> shift) & 15]!;
  b[at++] = 95;
  return at;
}

function put(b: Buffer, at: number, bytes: readonly number[]): number {
  for (const x of bytes) b[at++] = x;
  return at;
}

/** What /\s/ matches: a text starting or ending with one keeps its spaces (xml:space="preserve"). */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** `<c r="A`, `<c r="B`, …: each column's cell start up to the row number. */
const cellStarts: Buffer[] = [];
const cellStartOf = (index: number) => (cellStarts[index] ??= Buffer.from(`<c r="${columnName(index)}`, 'latin1'));

/** Rows of an .xlsx sheet, Excel's limit. */
export const XLSX_MAX_ROWS = 1_048_576;
const MAX_SHEET_NAME = 31;

export type XlsxRow = readonly (string | number | null | undefined)[];

export interface StreamingXlsxWriter {
  /**
   * Starts a sheet named `name`, made a valid sheet name (at most 31 characters, none of
   * : \ / ? * [ ], no apostrophe at either end) and unique in the workbook (" (2)", " (3)" …);
   * returns the name it got. `head` (a title, the header) is written first. A sheet that
   * reaches Excel's row limit goes on in a sheet named after it, under the same head: no row
   * is ever past what Excel opens.
   */
  addSheet(name: string, head?: readonly XlsxRow[]): string;
  /** Text as inline strings (never formulas), numbers as numbers, null/undefined/'' as an empty cell. */
  addRow(values: XlsxRow): void;
  /** Resolves when the current sheet's buffer has room again. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** `name` as a valid sheet name that none of `taken` (compared as Excel compares them, ignoring case) already has. */
function uniqueSheetName(name: string, taken: ReadonlySet<string>): string {
  const base = name.replace(/[:\\/?*[\]]/g, '_').replace(/^'+|'+$/g, '') || 'Sheet';
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`;
    const candidate = `${base.slice(0, MAX_SHEET_NAME - suffix.length).replace(/'+$/, '')}${suffix}`;
    if (!taken.has(candidate.toLocaleLowerCase())) return candidate;
  }
}

export function createStreamingXlsxWriter(file: string, options: { rowsPerSheet?: number } = {}): StreamingXlsxWriter {
  const rowsPerSheet = options.rowsPerSheet ?? XLSX_MAX_ROWS;
  const zip = new StreamingZipWriter(file);
  const sheetEntry = { mtime: FIXED_MTIME, level: SHEET_LEVEL, queuedBytes: QUEUED_BYTES };
  const partEntry = { mtime: FIXED_MTIME, level: PART_LEVEL };
  const sheets: string[] = [];
  const taken = new Set<string>();
  let open = false;
  let rowNumber = 0;
  let current: { name: string; head: readonly XlsxRow[] } = { name: '', head: [] };
  const xml = new Utf8Pieces((bytes) => zip.write(bytes));

  const endSheet = () => {
    if (!open) return;
    xml.ascii('</sheetData></worksheet>');
    xml.flush();
    open = false;
  };

  const startSheet = (name: string, head: readonly XlsxRow[]): string => {
    if (head.length >= rowsPerSheet) throw new Error(`a sheet's head of ${head.length} rows leaves no room for rows`);
    endSheet();
    const unique = uniqueSheetName(name, taken);
    taken.add(unique.toLocaleLowerCase());
    sheets.push(unique);
    current = { name, head };
    rowNumber = 0;
    zip.beginEntry(`xl/worksheets/sheet${sheets.length}.xml`, sheetEntry);
    open = true;
    xml.ascii(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}"><sheetData>`);
    for (const row of head) writeRow(row);
    return unique;
  };

  const writeRow = (values: XlsxRow): void => {
    const row = String(++rowNumber);
    xml.ascii(`<row r="${row}">`);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === '' || v === null || v === undefined) continue;
      xml.bytes(cellStartOf(i));
      xml.ascii(row);
      if (typeof v === 'number') {
        xml.ascii(`"><v>${v}</v></c>`);
        continue;
      }
      xml.ascii(isSpace(v.charCodeAt(0)) || isSpace(v.charCodeAt(v.length - 1)) ? '" t="inlineStr"><is><t xml:space="preserve">' : '" t="inlineStr"><is><t>');
      xml.xmlText(v);
      xml.ascii('</t></is></c>');
    }
    xml.ascii('</row>');
    if (xml.full) xml.flush();
  };

  return {
    addSheet: (name, head = []) => startSheet(name, head),
    addRow(values) {
      if (rowNumber === rowsPerSheet) startSheet(current.name, current.head);
      writeRow(values);
    },
    drain() {
      xml.flush();
      return zip.drain();
    },
    async close() {
      endSheet();
      const part = (name: string, content: string) => zip.addBuffer(name, Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${content}`, 'utf8'), partEntry);
      part(
        '[Content_Types].xml',
        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets
          .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
          .join('')}</Types>`,
      );
      part('_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
      part(
        'xl/workbook.xml',
        `<workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets>${sheets.map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      );
      part(
        'xl/_rels/workbook.xml.rels',
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
          .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
          .join('')}</Relationships>`,
      );
      await zip.close();
    },
  };
}

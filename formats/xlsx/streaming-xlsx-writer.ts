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

/** XML text: escaped, and without the control characters XML 1.0 cannot carry. */
function xmlText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
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

  text(s: string): void {
    // At most three bytes for each UTF-16 unit.
    this.room(s.length * 3);
    this.at += this.buffer.write(s, this.at);
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

/** `<c r="A`, `<c r="B`, …: each column's cell start up to the row number. */
const cellStarts: Buffer[] = [];
const cellStartOf = (index: number) => (cellStarts[index] ??= Buffer.from(`<c r="${columnName(index)}`, 'latin1'));

export interface StreamingXlsxWriter {
  addSheet(name: string): void;
  /** Every value is written as text, so nothing is ever a formula. */
  /** Text as inline strings (never formulas), numbers as numbers, null/undefined/'' as an empty cell. */
  addRow(values: readonly (string | number | null | undefined)[]): void;
  /** Resolves when the current sheet's buffer has room again. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createStreamingXlsxWriter(file: string): StreamingXlsxWriter {
  const zip = new StreamingZipWriter(file);
  const sheetEntry = { mtime: FIXED_MTIME, level: SHEET_LEVEL, queuedBytes: QUEUED_BYTES };
  const partEntry = { mtime: FIXED_MTIME, level: PART_LEVEL };
  const sheets: string[] = [];
  let open = false;
  let rowNumber = 0;
  const xml = new Utf8Pieces((bytes) => zip.write(bytes));

  const endSheet = () => {
    if (!open) return;
    xml.ascii('</sheetData></worksheet>');
    xml.flush();
    open = false;
  };

  return {
    addSheet(name) {
      endSheet();
      sheets.push(name);
      rowNumber = 0;
      zip.beginEntry(`xl/worksheets/sheet${sheets.length}.xml`, sheetEntry);
      open = true;
      xml.ascii(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}"><sheetData>`);
    },
    addRow(values) {
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
        xml.ascii(/^\s|\s$/.test(v) ? '" t="inlineStr"><is><t xml:space="preserve">' : '" t="inlineStr"><is><t>');
        xml.text(xmlText(v));
        xml.ascii('</t></is></c>');
      }
      xml.ascii('</row>');
      if (xml.full) xml.flush();
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

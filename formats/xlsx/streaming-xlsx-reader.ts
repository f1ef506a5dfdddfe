/**
 * Reads the rows of an .xlsx workbook one at a time, sheet after sheet, without building the
 * workbook: the sheet XML is scanned as it is inflated, row by row. ExcelJS's streaming reader
 * managed about a fifth of the split's target speed, and SheetJS reads the whole workbook into
 * memory. Shared strings (Excel writes every text cell through them) stay UTF-8 bytes
 * (shared-strings.ts); the package's other parts are found by workbook-parts.ts.
 *
 * Rows of the forms writers make most are packed straight from the bytes; any other row is read
 * as XML (cell-markup.ts), which reads every form a cell may take or refuses the cell. A form
 * the byte scan does not know is never read as an empty cell: it sends the row to that reading.
 */
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { isAppError } from '../../domain/errors';
import { RowPacker, unpackRows } from '../tabular/packed-rows';
import { openZipFile, zipMembers } from '../zip/zip-members';
import { cellProblem, DECIMAL, in1900System, readRowCells, type SheetCell, type SheetContext } from './cell-markup';
import { readSharedStrings, SharedStrings } from './shared-strings';
import { openPart, readWorkbook, XlsxUnreadable } from './workbook-parts';
import { XmlMalformed } from './xml-fragment';

export type { SheetCell };

export interface SheetRow {
  sheet: string;
  /** 1-based row number as Excel shows it. */
  row: number;
  cells: SheetCell[];
}

/** Excel's last row. */
const MAX_ROWS = 1_048_576;

const isSpaceByte = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
const bytesOf = (s: string) => Buffer.from(s, 'latin1');
const INLINE_BODY = bytesOf('<is><t>');
const INLINE_BODY_PRESERVED = bytesOf('<is><t xml:space="preserve">');
const INLINE_END = bytesOf('</t></is></c>');
const VALUE_END = bytesOf('</v></c>');
const EMPTY = Buffer.alloc(0);
const LT = 0x3c;
const GT = 0x3e;
const QUOTE = 0x22;
const SLASH = 0x2f;

function bytesAt(buf: Buffer, at: number, what: Buffer): boolean {
  if (at + what.length > buf.length) return false;
  for (let i = 0; i < what.length; i++) if (buf[at + i] !== what[i]) return false;
  return true;
}

/** ASCII `text` at `at` (tested byte by byte: cheaper than a call for the few bytes of an attribute). */
function textAt(buf: Buffer, at: number, text: string): boolean {
  if (at + text.length > buf.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The value of the digits `from`–`to`, or -1 when there are none or more than fit a number exactly. */
function digitsValue(buf: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

type PlainType = 'n' | 's' | 'str' | 'inlineStr';

/**
 * The cells writers make most, packed straight from the sheet's bytes: <c r="B7" [s="3"]
 * [t="inlineStr"|t="s"|t="str"|t="n"]> holding <is><t>text</t></is> or <v>value</v> (a <t> or a
 * <v> may carry xml:space="preserve"), B7 in this row. -1 when the cell is of another form, or
 * its value is not plainly what its type needs (text to unescape, a number that is not one, a
 * shared string that is not there): the row is then read as XML.
 */
function packPlainCell(buf: Buffer, open: number, end: number, row: number, ctx: SheetContext, strings: SharedStrings, packer: RowPacker): number {
  let p = open + 2;
  if (!textAt(buf, p, ' r="')) return -1;
  p += 4;
  const letters = p;
  let col = 0;
  for (let c = buf[p]!; c >= 65 && c <= 90; c = buf[++p]!) col = col * 26 + (c - 64);
  if (p === letters) return -1;
  const digits = p;
  let refRow = 0;
  for (let c = buf[p]!; c >= 48 && c <= 57; c = buf[++p]!) refRow = refRow * 10 + (c - 48);
  if ((p > digits && refRow !== row) || buf[p++] !== QUOTE) return -1;
  let style = 0;
  if (textAt(buf, p, ' s="')) {
    p += 4;
    const from = p;
    for (let c = buf[p]!; c >= 48 && c <= 57; c = buf[++p]!) style = style * 10 + (c - 48);
    if (p === from || p - from > 9 || buf[p++] !== QUOTE) return -1;
  }
  let type: PlainType = 'n';
  if (textAt(buf, p, ' t="inlineStr">')) {
    type = 'inlineStr';
    p += 15;
  } else if (textAt(buf, p, ' t="s">')) {
    type = 's';
    p += 7;
  } else if (textAt(buf, p, ' t="str">')) {
    type = 'str';
    p += 9;
  } else if (textAt(buf, p, ' t="n">')) p += 7;
  else if (buf[p] === GT) p++;
  else return -1;
  col--;
  if (col < packer.cellsInRow) return -1;
  if (type === 'inlineStr') {
    const body = bytesAt(buf, p, INLINE_BODY) ? INLINE_BODY.length : bytesAt(buf, p, INLINE_BODY_PRESERVED) ? INLINE_BODY_PRESERVED.length : -1;
    if (body < 0) return -1;
    packer.nullsTo(col);
    const lt = packer.markupFreeText(buf, p + body, end);
    if (lt < 0 || lt + INLINE_END.length > end || !bytesAt(buf, lt, INLINE_END)) return -1;
    return lt + INLINE_END.length;
  }
  if (textAt(buf, p, '<v>')) p += 3;
  else if (type === 'str' && textAt(buf, p, '<v xml:space="preserve">')) p += 24;
  else return -1;
  if (type === 'str') {
    packer.nullsTo(col);
    const lt = packer.markupFreeText(buf, p, end);
    if (lt < 0 || lt + VALUE_END.length > end || !bytesAt(buf, lt, VALUE_END)) return -1;
    return lt + VALUE_END.length;
  }
  let lt = p;
  while (lt < end && buf[lt] !== LT) lt++;
  if (lt + VALUE_END.length > end || !bytesAt(buf, lt, VALUE_END)) return -1;
  const n = digitsValue(buf, p, lt);
  if (type === 's') {
    if (n < 0) return -1;
    packer.nullsTo(col);
    if (!strings.pack(n, packer)) return -1;
  } else {
    let value = n;
    if (n < 0) {
      // Not plain digits: a decimal, a sign, an exponent, or no number at all (read as XML, and refused there).
      const text = buf.toString('latin1', p, lt);
      value = Number(text);
      if (!DECIMAL.test(text) || !Number.isFinite(value)) return -1;
    }
    packer.nullsTo(col);
    packer.number(ctx.dateStyles === undefined ? value : in1900System(value, style, ctx));
  }
  return lt + VALUE_END.length;
}

/** A row's r="12" as written (either quote, spaces around "="), or undefined. */
function rowAttribute(tag: string): string | undefined {
  const at = tag.indexOf(' r="');
  if (at >= 0) {
    const close = tag.indexOf('"', at + 4);
    if (close >= 0) return tag.slice(at + 4, close);
  }
  return /(?:^|[\s])r\s*=\s*(["'])([^"']*)\1/.exec(tag)?.[2];
}

/** Where the first byte sequence that is not UTF-8 starts (the bytes are known to hold one). */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || !isUtf8(b.subarray(i, i + n + 1))) return i;
    i += n + 1;
  }
  return b.length;
}

const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

/**
 * The encoding a part's first bytes say it is in, when that is not UTF-8: a UTF-16 byte order
 * mark, or an XML declaration naming another. Excel writes UTF-8; read as UTF-8, text in another
 * encoding would come out garbled or not at all.
 */
function declaredEncoding(head: Buffer): string | undefined {
  if (UTF16_BOMS.some((bom) => head.subarray(0, 2).equals(bom))) return 'UTF-16';
  const declared = /^(?:\xef\xbb\xbf)?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']/.exec(head.toString('latin1', 0, 256))?.[1];
  return declared && !/^utf-?8$/i.test(declared) ? declared : undefined;
}

/** The number in a row's r="…" (spaces around it allowed), or -1 when it is none. */
function rowNumber(attribute: string): number {
  const text = attribute.length > 0 && attribute.charCodeAt(0) > 32 && attribute.charCodeAt(attribute.length - 1) > 32 ? attribute : attribute.trim();
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57 || i > 7) return -1;
    n = n * 10 + (c - 48);
  }
  return text.length ? n : -1;
}

/**
 * A sheet's XML, chunk by chunk as it inflates, scanned as bytes: a row's cells go to the
 * packer without the markup around them (most of the sheet's bytes) ever becoming text. A
 * row with a cell of a form the scan does not know is read again as XML by `readRowCells`.
 * Rows are found by their tags inside <sheetData>, with whatever prefix it is written with.
 */
class SheetScanner {
  private carry: Buffer = EMPTY;
  private last = 0;
  /** "<row", "</row" and "</sheetData" as this sheet writes them; unset until <sheetData> is found. */
  private rowOpen: Buffer | undefined;
  private rowClose: Buffer | undefined;
  private dataClose: Buffer | undefined;
  /** Whether the byte scan may read its cells: only unprefixed cells are of the forms it knows. */
  private plain = false;
  /** Past </sheetData> (or an empty <sheetData/>): nothing more is read. */
  private ended = false;
  /** Whether the part's first bytes were seen (its encoding is checked there). */
  private started = false;

  constructor(
    private readonly ctx: SheetContext,
    private readonly strings: SharedStrings,
    private readonly packer: RowPacker,
  ) {}

  /** Finds <sheetData> in `buf`: where its rows may start, or -1 when it is not there yet. */
  private findSheetData(buf: Buffer): number {
    for (let at = buf.indexOf('sheetData'); at >= 0; at = buf.indexOf('sheetData', at + 1)) {
      let lt = at - 1;
      while (lt >= 0 && buf[lt] !== LT && buf[lt] !== GT && !isSpaceByte(buf[lt])) lt--;
      if (lt < 0 || buf[lt] !== LT) continue;
      const prefix = buf.toString('latin1', lt + 1, at);
      if (prefix !== '' && !/^[A-Za-z_][\w.-]*:$/.test(prefix)) continue;
      const after = at + 'sheetData'.length;
      if (after + 1 >= buf.length) return -1;
      if (buf[after] !== GT && buf[after] !== SLASH && !isSpaceByte(buf[after])) continue;
      const gt = buf.indexOf(GT, after);
      if (gt < 0) return -1;
      this.ended = buf[gt - 1] === SLASH;
      this.rowOpen = bytesOf(`<${prefix}row`);
      this.rowClose = bytesOf(`</${prefix}row`);
      this.dataClose = bytesOf(`</${prefix}sheetData`);
      this.plain = prefix === '';
      return gt + 1;
    }
    return -1;
  }

  /** Where the row closing at or after `from` ends ("</row>", spaces allowed before ">"): [its start, after it]; undefined when it is not in `buf` yet. */
  private rowEnd(buf: Buffer, from: number, row: number): [number, number] | undefined {
    const at = buf.indexOf(this.rowClose!, from);
    if (at < 0) return undefined;
    let p = at + this.rowClose!.length;
    while (p < buf.length && isSpaceByte(buf[p])) p++;
    if (p >= buf.length) return undefined;
    if (buf[p] !== GT) throw cellProblem(this.ctx, 'markup', row);
    return [at, p + 1];
  }

  /**
   * Packs the rows this chunk completes. Inside <sheetData> there is nothing but rows, white
   * space and comments: anything else is refused, as a row the scan did not see would be lost.
   */
  push(chunk: Buffer): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = EMPTY;
    if (this.ended) return;
    if (!this.started) {
      this.started = true;
      const encoding = declaredEncoding(buf);
      if (encoding) throw XlsxUnreadable({ file: this.ctx.file, reason: `sheet "${this.ctx.sheet}" is written in ${encoding}, not UTF-8` });
    }
    if (!this.rowOpen) {
      const rows = this.findSheetData(buf);
      if (rows < 0) {
        // What comes before <sheetData> is read only to find it: a little is kept in case its tag is cut.
        this.carry = Buffer.from(buf.subarray(Math.max(0, buf.length - 256)));
        return;
      }
      if (this.ended) return;
      buf = buf.subarray(rows);
    }
    const rowOpen = this.rowOpen!;
    const dataClose = this.dataClose!;
    // Enough bytes to tell a row from the end of <sheetData> or a comment.
    const tell = Math.max(rowOpen.length + 1, dataClose.length);
    const packer = this.packer;
    const firstRow = this.last + 1;
    let from = 0;
    for (;;) {
      while (from < buf.length && isSpaceByte(buf[from])) from++;
      const start = from;
      if (buf.length - start < tell) break;
      if (bytesAt(buf, start, dataClose)) {
        this.ended = true;
        from = buf.length;
        break;
      }
      if (textAt(buf, start, '<!--')) {
        const close = buf.indexOf('-->', start + 4);
        if (close < 0) break;
        from = close + 3;
        continue;
      }
      const after = start + rowOpen.length;
      if (!bytesAt(buf, start, rowOpen) || !(buf[after] === GT || buf[after] === SLASH || isSpaceByte(buf[after]))) throw cellProblem(this.ctx, 'markup', this.last + 1);
      const tagEnd = buf.indexOf(GT, after);
      if (tagEnd < 0) break;
      const empty = buf[tagEnd - 1] === SLASH;
      const attribute = rowAttribute(buf.toString('latin1', after, empty ? tagEnd - 1 : tagEnd));
      const row = attribute === undefined ? this.last + 1 : rowNumber(attribute);
      if (!(row > this.last && row <= MAX_ROWS)) throw cellProblem(this.ctx, row < 1 || row > MAX_ROWS ? 'reference' : 'rowOrder', row > 0 && row <= MAX_ROWS ? row : this.last + 1);
      const close = empty ? undefined : this.rowEnd(buf, tagEnd + 1, row);
      if (!empty && !close) break;
      while (this.last + 1 < row) {
        packer.beginRow(this.ctx.sheet, ++this.last);
        packer.endRow();
      }
      this.last = row;
      packer.beginRow(this.ctx.sheet, row);
      if (close && !(this.plain && this.packCells(buf, tagEnd + 1, close[0], row))) {
        packer.clearRow();
        for (const v of readRowCells(buf.toString('utf8', tagEnd + 1, close[0]), row, this.ctx)) packer.cell(v);
      }
      packer.endRow();
      from = close ? close[1] : tagEnd + 1;
    }
    // What was read ends at a tag: no character is cut. A byte that is not UTF-8 would become U+FFFD in the cell.
    if (from > 0 && !isUtf8(buf.subarray(0, from))) throw cellProblem(this.ctx, 'encoding', this.rowAt(buf, firstInvalidUtf8(buf), firstRow));
    this.carry = from < buf.length ? Buffer.from(buf.subarray(from)) : EMPTY;
  }

  /** The number of the row whose tag opens last before `at` in `buf`, or `otherwise`. */
  private rowAt(buf: Buffer, at: number, otherwise: number): number {
    const open = buf.lastIndexOf(this.rowOpen!, at);
    if (open < 0) return otherwise;
    const tagEnd = buf.indexOf(GT, open);
    const attribute = rowAttribute(buf.toString('latin1', open + this.rowOpen!.length, tagEnd < 0 ? buf.length : tagEnd));
    const row = attribute === undefined ? -1 : rowNumber(attribute);
    return row > 0 ? row : otherwise;
  }

  /**
   * After the last chunk: a sheet that stops inside <sheetData> (a row begun and never ended) is
   * refused, not cut short; so is a part without <sheetData>, which every worksheet has (its rows
   * would be lost without a word).
   */
  end(): void {
    if (!this.rowOpen) throw XlsxUnreadable({ file: this.ctx.file, reason: `sheet "${this.ctx.sheet}" has no <sheetData>` });
    if (!this.ended) throw cellProblem(this.ctx, 'truncated', this.last + 1);
  }

  /** The row's cells, when every one is plain and nothing but white space lies between them; false as soon as not. */
  private packCells(buf: Buffer, from: number, end: number, row: number): boolean {
    for (let at = from; ; ) {
      if (buf[at] !== LT) while (at < end && isSpaceByte(buf[at])) at++;
      if (at >= end) return true;
      // "<col…" or another tag starting with "<c" is no cell; packPlainCell wants " r=" right after "<c".
      if (buf[at] !== LT || buf[at + 1] !== 0x63) return false;
      at = packPlainCell(buf, at, end, row, this.ctx, this.strings, this.packer);
      if (at < 0) return false;
    }
  }
}

/** Every row of one sheet's XML stream, packed, blank rows included so row numbers match Excel's; yields after each chunk. */
export async function* packSheetRows(stream: Readable, ctx: Omit<SheetContext, 'strings'>, packer: RowPacker, strings: SharedStrings = new SharedStrings()): AsyncGenerator<undefined> {
  const scanner = new SheetScanner({ ...ctx, strings }, strings, packer);
  for await (const chunk of stream) {
    scanner.push(chunk as Buffer);
    yield undefined;
  }
  scanner.end();
}

/** The rows of one sheet's XML stream, a batch at a time: the rows completed by each chunk. */
export async function* sheetRowBatches(stream: Readable, sheet: string, dateStyles?: Uint8Array): AsyncGenerator<SheetRow[]> {
  const packer = new RowPacker();
  for await (const _ of packSheetRows(stream, { file: 'sheet.xml', sheet, dateStyles }, packer)) if (packer.pendingRows) yield unpackRows(packer.take());
}

/** What went wrong reading the zip or its XML, as the error the user sees; our own errors pass as they are. */
function asUnreadable(e: unknown, file: string): unknown {
  if (isAppError(e)) return e;
  return XlsxUnreadable({ file, reason: e instanceof XmlMalformed ? `malformed XML: ${e.message}` : e instanceof Error ? e.message : String(e) }, { cause: e });
}

/** Every row of every sheet, in workbook order, into `packer`; yields as rows come, for the caller to take them. */
export async function* packXlsxRows(file: string, packer: RowPacker): AsyncGenerator<undefined> {
  const name = path.basename(file);
  let zip: yauzl.ZipFile;
  let entries: Map<string, yauzl.Entry>;
  try {
    zip = await openZipFile(file);
    // Part names are case-insensitive (OPC): a relationship may name a part in another case than the zip.
    entries = new Map();
    for (const e of await zipMembers(zip)) {
      const key = e.fileName.replace(/^\/+/, '').toLowerCase();
      if (!entries.has(key)) entries.set(key, e);
    }
  } catch (e) {
    throw XlsxUnreadable({ file: name, reason: e instanceof Error ? e.message : String(e) });
  }
  try {
    const workbook = await readWorkbook(zip, entries, name);
    const strings = await readSharedStrings(zip, entries.get(workbook.strings.toLowerCase()), name);
    for (const sheet of workbook.sheets) {
      const entry = entries.get(sheet.path.toLowerCase());
      if (!entry) throw XlsxUnreadable({ file: name, reason: `${sheet.path} missing` });
      yield* packSheetRows(await openPart(zip, entry, name), { file: name, sheet: sheet.name, dateStyles: workbook.dateStyles }, packer, strings);
    }
  } catch (e) {
    throw asUnreadable(e, name);
  } finally {
    zip.close();
  }
}

/**
 * Reads the rows of an .xlsx workbook one at a time, sheet after sheet, without building the
 * workbook: the sheet XML is scanned as it is inflated, row by row. ExcelJS's streaming reader
 * managed about a fifth of the split's target speed, and SheetJS reads the whole workbook into
 * memory. Shared strings (Excel writes every text cell through them) are kept as UTF-8 bytes in
 * large buffers, not as JavaScript strings: a province's names are mostly distinct, and as
 * strings they would take several times the memory.
 *
 * Rows of the forms writers make most are packed straight from the bytes; any other row is read
 * as XML (cell-markup.ts), which reads every form a cell may take or refuses the cell. A form
 * the byte scan does not know is never read as an empty cell: it sends the row to that reading.
 */
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { defineError, isAppError } from '../../domain/errors';
import { RowPacker, unpackRows } from '../tabular/packed-rows';
import { openEntryStream, openZipFile, zipMembers } from '../zip/zip-members';
import { cellProblem, DECIMAL, in1900System, readRowCells, richText, type SheetCell, type SheetContext } from './cell-markup';
import { isDateFormat } from './date-formats';
import { localName, parseXmlFragment, XmlMalformed, type XmlElement, type XmlNode } from './xml-fragment';

export type { SheetCell };

export interface SheetRow {
  sheet: string;
  /** 1-based row number as Excel shows it. */
  row: number;
  cells: SheetCell[];
}

export const XlsxUnreadable = defineError<{ file: string; reason: string }>(
  'XLSX_UNREADABLE',
  'validation',
  (p) => `${p.file} is not a readable .xlsx workbook: ${p.reason}`,
  (p) => `Tệp ${p.file} không phải bảng tính .xlsx đọc được (${p.reason}).`,
);

/** Excel's last row. */
const MAX_ROWS = 1_048_576;

async function readText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of await openEntryStream(zip, entry)) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** Shared strings as UTF-8 in 8 MB slabs, indexed by offsets. */
class SharedStrings {
  private readonly slabs: Buffer[] = [];
  private slab = Buffer.allocUnsafe(8 << 20);
  private used = 0;
  private starts = new Float64Array(1 << 16);
  private count = 0;

  add(s: string): void {
    const bytes = Buffer.byteLength(s);
    if (this.used + bytes > this.slab.length) {
      this.slabs.push(this.slab.subarray(0, this.used));
      this.slab = Buffer.allocUnsafe(Math.max(8 << 20, bytes));
      this.used = 0;
    }
    this.slab.write(s, this.used);
    if (this.count * 3 + 3 > this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    // Slab number and offset in one number: slab * 2^32 + offset; the byte length; 1 when it holds a NUL (not packed as bytes).
    this.starts[this.count * 3] = this.slabs.length * 4294967296 + this.used;
    this.starts[this.count * 3 + 1] = bytes;
    this.starts[this.count * 3 + 2] = s.includes('\0') ? 1 : 0;
    this.used += bytes;
    this.count++;
  }

  private place(i: number): { slab: Buffer; offset: number } {
    const at = this.starts[i * 3]!;
    const slabIndex = Math.floor(at / 4294967296);
    return { slab: slabIndex === this.slabs.length ? this.slab : this.slabs[slabIndex]!, offset: at - slabIndex * 4294967296 };
  }

  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    const { slab, offset } = this.place(i);
    return slab.toString('utf8', offset, offset + this.starts[i * 3 + 1]!);
  }

  /** String `i` as a packed cell, without making a string of it; false, with nothing packed, when there is no such string. */
  pack(i: number, packer: RowPacker): boolean {
    if (!(i >= 0 && i < this.count)) return false;
    if (this.starts[i * 3 + 2]) packer.string(this.get(i)!);
    else {
      const { slab, offset } = this.place(i);
      packer.encodedText(slab, offset, offset + this.starts[i * 3 + 1]!);
    }
    return true;
  }
}

/** Where an element `<name …>` or `<name/>` starts in `text`, its name standing whole; -1 when none, or when the text ends before that can be told. */
function elementAt(text: string, name: string, from: number): number {
  for (let at = text.indexOf(name, from); at >= 0; at = text.indexOf(name, at + 1)) {
    const after = text.charCodeAt(at + name.length);
    if (Number.isNaN(after)) return -1;
    if (after === 0x3e || after === 0x2f || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d) return at;
  }
  return -1;
}

/** Reads the plain <si><t>text</t></si> that Excel writes for most strings (with xml:space="preserve" or not) without parsing it. */
class PlainSharedString {
  private readonly head: string;
  private readonly preserved: string;
  private readonly tail: string;

  constructor(prefix: string) {
    this.head = `<${prefix}si><${prefix}t>`;
    this.preserved = `<${prefix}si><${prefix}t xml:space="preserve">`;
    this.tail = `</${prefix}t></${prefix}si>`;
  }

  /** The text of `item`; undefined for any other form, or a text with markup to undo. */
  text(item: string): string | undefined {
    const start = item.startsWith(this.head) ? this.head.length : item.startsWith(this.preserved) ? this.preserved.length : -1;
    if (start < 0 || !item.endsWith(this.tail)) return undefined;
    const text = item.slice(start, item.length - this.tail.length);
    if (text.indexOf('<') >= 0 || text.indexOf('&') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('_x') >= 0) return undefined;
    return text;
  }
}

/**
 * The shared strings, read as they inflate. Inside <sst> there is nothing but <si> items (and
 * white space, comments, and an <extLst> at the end): anything else is refused, as an item
 * passed over would give every later cell the string after its own.
 */
async function readSharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, file: string): Promise<SharedStrings> {
  const table = new SharedStrings();
  if (!entry) return table;
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let names: { open: string; close: string; end: string; extensions: string; plain: PlainSharedString } | undefined;
  let done = false;
  let items = 0;
  const unreadable = (reason: string) => XlsxUnreadable({ file, reason: `shared string ${items + 1}: ${reason}` });
  for await (const chunk of await openEntryStream(zip, entry)) {
    if (done) continue;
    buffer += decoder.write(chunk as Buffer);
    let from = 0;
    if (!names) {
      const m = /<([A-Za-z_][\w.-]*:)?sst(?:\s[^>]*)?(\/?)>/.exec(buffer);
      if (!m) continue;
      const prefix = m[1] ?? '';
      names = { open: `<${prefix}si`, close: `</${prefix}si>`, end: `</${prefix}sst`, extensions: `<${prefix}extLst`, plain: new PlainSharedString(prefix) };
      done = m[2] === '/';
      from = m.index + m[0].length;
    }
    while (!done) {
      while (from < buffer.length && /[ \t\r\n]/.test(buffer[from]!)) from++;
      if (buffer.length - from < names.end.length) break;
      if (buffer.startsWith(names.end, from) || buffer.startsWith(names.extensions, from)) {
        done = true;
        break;
      }
      if (buffer.startsWith('<!--', from)) {
        const close = buffer.indexOf('-->', from + 4);
        if (close < 0) break;
        from = close + 3;
        continue;
      }
      if (elementAt(buffer, names.open, from) !== from) throw unreadable('the shared strings hold what is not a string');
      const gt = buffer.indexOf('>', from);
      if (gt < 0) break;
      const selfClosing = buffer[gt - 1] === '/';
      const end = selfClosing ? gt + 1 : buffer.indexOf(names.close, gt);
      if (end < 0) break;
      const after = selfClosing ? end : end + names.close.length;
      const item = buffer.slice(from, after);
      let text = names.plain.text(item);
      if (text === undefined) {
        try {
          const [si] = parseXmlFragment(item) as XmlElement[];
          text = richText(si!);
        } catch (e) {
          if (!(e instanceof XmlMalformed)) throw e;
        }
        if (text === undefined) throw unreadable('its XML is not well-formed or not that of a string');
      }
      table.add(text);
      items++;
      from = after;
    }
    buffer = buffer.slice(from);
  }
  if (names && !done) throw unreadable('the shared strings end inside a string');
  return table;
}

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
    this.carry = from < buf.length ? Buffer.from(buf.subarray(from)) : EMPTY;
  }

  /** After the last chunk: a sheet that stops inside <sheetData> (a row begun and never ended) is refused, not cut short. */
  end(): void {
    if (this.rowOpen && !this.ended) throw cellProblem(this.ctx, 'truncated', this.last + 1);
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

/** The elements named `name` (local name) anywhere under `nodes`, in document order. */
function elements(nodes: XmlNode[], name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (list: XmlNode[]) => {
    for (const n of list) {
      if (typeof n === 'string') continue;
      if (n.name === name) found.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return found;
}

/** The value of the attribute whose local name is `name` and which carries a prefix (r:id), whatever the prefix. */
function prefixedAttribute(element: XmlElement, name: string): string | undefined {
  for (const [k, v] of element.attrs) if (k.includes(':') && localName(k) === name) return v;
  return undefined;
}

interface Relationship {
  target: string;
  type: string;
}

/** A part's relationships by id, targets resolved to member names; none when it has no .rels part. */
async function relationships(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, part: string): Promise<Map<string, Relationship>> {
  const dir = path.posix.dirname(part);
  const rels = entries.get(path.posix.join(dir, '_rels', `${path.posix.basename(part)}.rels`).toLowerCase());
  const found = new Map<string, Relationship>();
  if (!rels) return found;
  for (const r of elements(parseXmlFragment(await readText(zip, rels)), 'Relationship')) {
    const id = r.attrs.get('Id');
    const target = r.attrs.get('Target');
    if (!id || !target || r.attrs.get('TargetMode') === 'External') continue;
    const resolved = target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, target));
    found.set(id, { target: resolved, type: r.attrs.get('Type') ?? '' });
  }
  return found;
}

const typed = (rels: Map<string, Relationship>, type: string) => [...rels.values()].find((r) => r.type.endsWith(`/${type}`))?.target;

/** Per cell format (cellXfs), 1 where it shows a number as a date. */
async function readDateStyles(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined): Promise<Uint8Array> {
  if (!entry) return new Uint8Array(0);
  const styles = parseXmlFragment(await readText(zip, entry));
  const codes = new Map<number, string>();
  for (const f of elements(elements(styles, 'numFmts')[0]?.children ?? [], 'numFmt')) codes.set(Number(f.attrs.get('numFmtId')), f.attrs.get('formatCode') ?? '');
  const xfs = elements(elements(styles, 'cellXfs')[0]?.children ?? [], 'xf');
  return Uint8Array.from(xfs, (xf) => (isDateFormat(Number(xf.attrs.get('numFmtId') ?? 0), codes) ? 1 : 0));
}

interface Workbook {
  sheets: Array<{ name: string; path: string }>;
  strings: string;
  /** Per cell format, 1 where it shows a date; only for a workbook of the 1904 date system. */
  dateStyles: Uint8Array | undefined;
}

async function readWorkbook(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, file: string): Promise<Workbook> {
  const main = typed(await relationships(zip, entries, ''), 'officeDocument') ?? 'xl/workbook.xml';
  const workbookEntry = entries.get(main.toLowerCase());
  if (!workbookEntry) throw XlsxUnreadable({ file, reason: `${main} missing` });
  const rels = await relationships(zip, entries, main);
  const workbook = parseXmlFragment(await readText(zip, workbookEntry));
  const sheets = elements(elements(workbook, 'sheets')[0]?.children ?? [], 'sheet').map((s, i) => {
    const id = prefixedAttribute(s, 'id');
    const target = id === undefined ? undefined : rels.get(id)?.target;
    // A workbook without relationships (a few hand-made ones) has its sheets where Excel puts them.
    const sheetPath = target ?? (rels.size === 0 ? `xl/worksheets/sheet${i + 1}.xml` : undefined);
    if (sheetPath === undefined) throw XlsxUnreadable({ file, reason: `sheet ${i + 1} refers to no part of the workbook` });
    return { name: s.attrs.get('name') ?? `Sheet${i + 1}`, path: sheetPath };
  });
  if (sheets.length === 0) throw XlsxUnreadable({ file, reason: 'the workbook lists no sheet' });
  const properties = elements(workbook, 'workbookPr')[0];
  const date1904 = ['1', 'true'].includes(properties?.attrs.get('date1904')?.trim() ?? '');
  const styles = typed(rels, 'styles');
  return {
    sheets,
    strings: typed(rels, 'sharedStrings') ?? 'xl/sharedStrings.xml',
    dateStyles: date1904 ? await readDateStyles(zip, styles === undefined ? undefined : entries.get(styles.toLowerCase())) : undefined,
  };
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
      yield* packSheetRows(await openEntryStream(zip, entry), { file: name, sheet: sheet.name, dateStyles: workbook.dateStyles }, packer, strings);
    }
  } catch (e) {
    throw asUnreadable(e, name);
  } finally {
    zip.close();
  }
}

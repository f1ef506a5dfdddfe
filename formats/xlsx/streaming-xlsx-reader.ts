/**
 * Reads the rows of an .xlsx workbook one at a time, sheet after sheet, without building the
 * workbook: the sheet XML is scanned as it is inflated, row by row. ExcelJS's streaming reader
 * managed about a fifth of the split's target speed, and SheetJS reads the whole workbook into
 * memory. Shared strings (Excel writes every text cell through them) are kept as UTF-8 bytes in
 * large buffers, not as JavaScript strings: a province's names are mostly distinct, and as
 * strings they would take several times the memory.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { defineError } from '../../domain/errors';
import { RowPacker, unpackRows } from '../tabular/packed-rows';
import { openEntryStream, openZipFile, zipMembers } from '../zip/zip-members';

export type SheetCell = string | number | boolean | null;

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

async function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Map((await zipMembers(zip)).map((e) => [e.fileName.replace(/^\/+/, ''), e]));
}

async function readText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of await openEntryStream(zip, entry)) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character data, with Excel's _xHHHH_ escapes of control characters. */
export function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0 && s.indexOf('_x') < 0) return s;
  return s
    .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITY[e]!))
    .replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const T_TEXT = /<t(?:\s[^>]*)?>([^<]*)<\/t>|<t(?:\s[^>]*)?\/>/g;

/** The text of a <si> or <is>: every <t> outside phonetic runs (<rPh>), joined. */
function richText(xml: string): string {
  const body = xml.indexOf('<rPh') >= 0 ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
  let text = '';
  T_TEXT.lastIndex = 0;
  for (let m = T_TEXT.exec(body); m; m = T_TEXT.exec(body)) text += m[1] ?? '';
  return unescapeXml(text);
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

  /** String `i` as a packed cell (an empty cell when there is no such string), without making a string of it. */
  pack(i: number, packer: RowPacker): void {
    if (!(i >= 0 && i < this.count)) return packer.cell(null);
    if (this.starts[i * 3 + 2]) return packer.string(this.get(i)!);
    const { slab, offset } = this.place(i);
    packer.encodedText(slab, offset, offset + this.starts[i * 3 + 1]!);
  }
}

async function readSharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined): Promise<SharedStrings> {
  const table = new SharedStrings();
  if (!entry) return table;
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  for await (const chunk of await openEntryStream(zip, entry)) {
    buffer += decoder.write(chunk as Buffer);
    let from = 0;
    for (;;) {
      const start = buffer.indexOf('<si', from);
      if (start < 0) break;
      const selfClosing = buffer.startsWith('<si/>', start);
      const end = selfClosing ? start + 5 : buffer.indexOf('</si>', start);
      if (end < 0) {
        from = start;
        break;
      }
      table.add(selfClosing ? '' : richText(buffer.slice(start, end)));
      from = selfClosing ? end : end + 5;
    }
    buffer = buffer.slice(from);
  }
  return table;
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Where an attribute's value starts in a tag's attributes: after `name="` (the `opening`), the
 * name standing as a word of its own (as /\bname="/ finds it), from `from` on; -1 when none.
 */
function attrValueAt(attrs: string, opening: string, from: number): number {
  for (let i = attrs.indexOf(opening, from); i >= 0; i = attrs.indexOf(opening, i + 1)) {
    if (i === 0 || !isWordChar(attrs.charCodeAt(i - 1))) return i + opening.length;
  }
  return -1;
}

/** The column of a cell's r="AB12" (0-based), or -1 when it has none or no letters (as /\br="([A-Z]*)(\d*)"/ reads it). */
function refColumn(attrs: string): number {
  for (let at = attrValueAt(attrs, 'r="', 0); at >= 0; at = attrValueAt(attrs, 'r="', at - 2)) {
    let i = at;
    let n = 0;
    for (let c = attrs.charCodeAt(i); c >= 65 && c <= 90; c = attrs.charCodeAt(++i)) n = n * 26 + (c - 64);
    const letters = i - at;
    while (isDigit(attrs.charCodeAt(i))) i++;
    if (attrs.charCodeAt(i) === 34) return letters > 0 ? n - 1 : -1;
  }
  return -1;
}

/** A cell's t="…" (as /\bt="(\w+)"/ reads it), or undefined. */
function cellType(attrs: string): string | undefined {
  for (let at = attrValueAt(attrs, 't="', 0); at >= 0; at = attrValueAt(attrs, 't="', at - 2)) {
    let i = at;
    while (isWordChar(attrs.charCodeAt(i))) i++;
    if (i > at && attrs.charCodeAt(i) === 34) return attrs.slice(at, i);
  }
  return undefined;
}

/** A row's r="12" (as /\br="(\d+)"/ reads it), or undefined. */
function rowNumber(tag: string): number | undefined {
  for (let at = attrValueAt(tag, 'r="', 0); at >= 0; at = attrValueAt(tag, 'r="', at - 2)) {
    let i = at;
    while (isDigit(tag.charCodeAt(i))) i++;
    if (i > at && tag.charCodeAt(i) === 34) return Number(tag.slice(at, i));
  }
  return undefined;
}

/** The text of a <v> (as /<v>([^<]*)<\/v>/ finds it), or undefined. */
function valueText(body: string): string | undefined {
  for (let i = body.indexOf('<v>'); i >= 0; i = body.indexOf('<v>', i + 1)) {
    const lt = body.indexOf('<', i + 3);
    if (lt >= 0 && body.startsWith('</v>', lt)) return body.slice(i + 3, lt);
  }
  return undefined;
}

const PLAIN_INLINE_START = '<is><t>';
const PLAIN_INLINE_END = '</t></is>';

/** An inline string's text; the plain <is><t>…</t></is> that writers use most is read without a regular expression. */
function inlineText(body: string): string {
  const end = body.length - PLAIN_INLINE_END.length;
  if (body.startsWith(PLAIN_INLINE_START) && body.endsWith(PLAIN_INLINE_END) && body.indexOf('<', PLAIN_INLINE_START.length) === end) {
    return unescapeXml(body.slice(PLAIN_INLINE_START.length, end));
  }
  return richText(body);
}

/**
 * The cells of a row's XML: each <c …/> or <c …>…</c>, scanned with indexOf. It reads exactly
 * what /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g would match, at a fraction of the cost.
 */
function parseRow(xml: string, strings: SharedStrings): SheetCell[] {
  const cells: SheetCell[] = [];
  let next = 0;
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<c', at);
    if (open < 0) break;
    at = open + 1;
    if (isWordChar(xml.charCodeAt(open + 2))) continue;
    const gt = xml.indexOf('>', open + 2);
    if (gt < 0) break;
    let attrs: string;
    let body: string | undefined;
    if (gt - 1 >= open + 2 && xml.charCodeAt(gt - 1) === 47) {
      attrs = xml.slice(open + 2, gt - 1);
      at = gt + 1;
    } else {
      const close = xml.indexOf('</c>', gt + 1);
      // No end tag: no cell starts here; the next "<c" is tried, as the expression would.
      if (close < 0) continue;
      attrs = xml.slice(open + 2, gt);
      body = xml.slice(gt + 1, close);
      at = close + 4;
    }
    const ref = refColumn(attrs);
    const col = ref >= 0 ? ref : next;
    next = col + 1;
    if (body === undefined) continue;
    const type = cellType(attrs) ?? 'n';
    let value: SheetCell = null;
    if (type === 'inlineStr') value = inlineText(body);
    else {
      const v = valueText(body);
      if (v === undefined) continue;
      if (type === 's') value = strings.get(Number(v)) ?? null;
      else if (type === 'str' || type === 'e') value = unescapeXml(v);
      else if (type === 'b') value = v === '1';
      else value = Number(v);
    }
    while (cells.length < col) cells.push(null);
    cells[col] = value;
  }
  return cells;
}

const bytesOf = (s: string) => Buffer.from(s, 'latin1');
const ROW_OPEN = bytesOf('<row');
const ROW_CLOSE = bytesOf('</row>');
const CELL_OPEN = bytesOf('<c');
const INLINE_BODY = bytesOf('<is><t>');
const INLINE_END = bytesOf('</t></is></c>');
const VALUE_END = bytesOf('</v></c>');
const EMPTY = Buffer.alloc(0);
const LT = 0x3c;
const GT = 0x3e;
const QUOTE = 0x22;

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

function isDigitByte(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
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

/**
 * The cells writers make most, packed straight from the sheet's bytes: <c r="B7" [s="3"]
 * [t="inlineStr"|t="s"|t="n"]> holding <is><t>text</t></is> or <v>value</v>. False when the
 * cell is of another form (or its text needs unescaping): the row is then read as text.
 */
function packPlainCell(buf: Buffer, open: number, end: number, strings: SharedStrings, packer: RowPacker): number {
  let p = open + 2;
  if (!textAt(buf, p, ' r="')) return -1;
  p += 4;
  const letters = p;
  let col = 0;
  for (let c = buf[p]!; c >= 65 && c <= 90; c = buf[++p]!) col = col * 26 + (c - 64);
  if (p === letters) return -1;
  while (isDigitByte(buf[p])) p++;
  if (buf[p++] !== QUOTE) return -1;
  if (textAt(buf, p, ' s="')) {
    p += 4;
    while (isDigitByte(buf[p])) p++;
    if (buf[p++] !== QUOTE) return -1;
  }
  let type: 'n' | 's' | 'inlineStr' = 'n';
  if (textAt(buf, p, ' t="inlineStr">')) {
    type = 'inlineStr';
    p += 15;
  } else if (textAt(buf, p, ' t="s">')) {
    type = 's';
    p += 7;
  } else if (textAt(buf, p, ' t="n">')) p += 7;
  else if (buf[p] === GT) p++;
  else return -1;
  col--;
  if (col < packer.cellsInRow) return -1;
  if (type === 'inlineStr') {
    if (!bytesAt(buf, p, INLINE_BODY)) return -1;
    packer.nullsTo(col);
    const lt = packer.markupFreeText(buf, p + INLINE_BODY.length, end);
    if (lt < 0 || lt + INLINE_END.length > end || !bytesAt(buf, lt, INLINE_END)) return -1;
    return lt + INLINE_END.length;
  }
  if (!textAt(buf, p, '<v>')) return -1;
  p += 3;
  let lt = p;
  while (lt < end && buf[lt] !== LT) lt++;
  if (lt + VALUE_END.length > end || !bytesAt(buf, lt, VALUE_END)) return -1;
  if (type === 's') {
    const i = digitsValue(buf, p, lt);
    if (i < 0) return -1;
    packer.nullsTo(col);
    strings.pack(i, packer);
  } else {
    const n = digitsValue(buf, p, lt);
    packer.nullsTo(col);
    packer.number(n >= 0 ? n : Number(buf.toString('utf8', p, lt)));
  }
  return lt + VALUE_END.length;
}

/**
 * A sheet's XML, chunk by chunk as it inflates, scanned as bytes: a row's cells go to the
 * packer without the markup around them (most of the sheet's bytes) ever becoming text. A
 * row with a cell of a form the scan does not know is read again as text by `parseRow`.
 */
class SheetScanner {
  private carry: Buffer = EMPTY;
  private last = 0;

  constructor(
    private readonly sheet: string,
    private readonly strings: SharedStrings,
    private readonly packer: RowPacker,
  ) {}

  /** Packs the rows this chunk completes. */
  push(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const packer = this.packer;
    let from = 0;
    for (;;) {
      const start = buf.indexOf(ROW_OPEN, from);
      if (start < 0) {
        // Keep what could be the start of a "<row" cut by the chunk boundary.
        from = Math.max(from, buf.length - 3);
        break;
      }
      const tagEnd = buf.indexOf(GT, start);
      if (tagEnd < 0) {
        from = start;
        break;
      }
      const empty = buf[tagEnd - 1] === 0x2f; // "/>"
      const end = empty ? tagEnd + 1 : buf.indexOf(ROW_CLOSE, tagEnd);
      if (end < 0) {
        from = start;
        break;
      }
      const row = rowNumber(buf.toString('latin1', start, tagEnd)) ?? this.last + 1;
      while (this.last + 1 < row) {
        packer.beginRow(this.sheet, ++this.last);
        packer.endRow();
      }
      this.last = row;
      packer.beginRow(this.sheet, row);
      if (!empty && !this.packCells(buf, tagEnd + 1, end)) {
        packer.clearRow();
        for (const v of parseRow(buf.toString('utf8', tagEnd + 1, end), this.strings)) packer.cell(v);
      }
      packer.endRow();
      from = empty ? end : end + 6;
    }
    this.carry = from < buf.length ? Buffer.from(buf.subarray(from)) : EMPTY;
  }

  /** The row's cells, when every one is plain; false as soon as one is not. */
  private packCells(buf: Buffer, from: number, end: number): boolean {
    for (let at = from; ; ) {
      // Cells usually follow one another: the next one is looked for only when it is not right there.
      const open = buf[at] === LT && buf[at + 1] === 0x63 ? at : buf.indexOf(CELL_OPEN, at);
      if (open < 0 || open >= end) return true;
      // "<col…" or another tag starting with "<c" is no cell (nor is "<c" at the row's end).
      if (isWordChar(buf[open + 2]!) || open + 2 >= end) return false;
      at = packPlainCell(buf, open, end, this.strings, this.packer);
      if (at < 0) return false;
    }
  }
}

/** Every row of one sheet's XML stream, packed, blank rows included so row numbers match Excel's; yields after each chunk. */
export async function* packSheetRows(stream: Readable, sheet: string, packer: RowPacker, strings: SharedStrings = new SharedStrings()): AsyncGenerator<undefined> {
  const scanner = new SheetScanner(sheet, strings, packer);
  for await (const chunk of stream) {
    scanner.push(chunk as Buffer);
    yield undefined;
  }
}

/** The rows of one sheet's XML stream, a batch at a time: the rows completed by each chunk. */
export async function* sheetRowBatches(stream: Readable, sheet: string): AsyncGenerator<SheetRow[]> {
  const packer = new RowPacker();
  for await (const _ of packSheetRows(stream, sheet, packer)) if (packer.pendingRows) yield unpackRows(packer.take());
}

/** Every row of every sheet, in workbook order, into `packer`; yields as rows come, for the caller to take them. */
export async function* packXlsxRows(file: string, packer: RowPacker): AsyncGenerator<undefined> {
  let zip: yauzl.ZipFile;
  let entries: Map<string, yauzl.Entry>;
  try {
    zip = await openZipFile(file);
    entries = await listEntries(zip);
  } catch (e) {
    throw XlsxUnreadable({ file, reason: e instanceof Error ? e.message : String(e) });
  }
  try {
    const workbook = entries.get('xl/workbook.xml');
    if (!workbook) throw XlsxUnreadable({ file, reason: 'xl/workbook.xml missing' });
    const rels = entries.get('xl/_rels/workbook.xml.rels');
    const targets = new Map<string, string>();
    if (rels) {
      for (const m of (await readText(zip, rels)).matchAll(/<Relationship\b[^>]*>/g)) {
        const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
        const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
        if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
      }
    }
    const sheets = [...(await readText(zip, workbook)).matchAll(/<sheet\b[^>]*>/g)].map((m, i) => ({
      name: unescapeXml(/\bname="([^"]*)"/.exec(m[0])?.[1] ?? `Sheet${i + 1}`),
      path: targets.get(/\br:id="([^"]+)"/.exec(m[0])?.[1] ?? '') ?? `xl/worksheets/sheet${i + 1}.xml`,
    }));
    const strings = await readSharedStrings(zip, entries.get('xl/sharedStrings.xml'));
    for (const sheet of sheets) {
      const entry = entries.get(sheet.path);
      if (!entry) throw XlsxUnreadable({ file, reason: `${sheet.path} missing` });
      yield* packSheetRows(await openEntryStream(zip, entry), sheet.name, packer, strings);
    }
  } finally {
    zip.close();
  }
}

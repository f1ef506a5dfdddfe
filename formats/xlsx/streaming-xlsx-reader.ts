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
import yauzl from 'yauzl';
import { defineError } from '../../domain/errors';

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

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip))));
}

function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('entry', (e: yauzl.Entry) => {
      entries.set(e.fileName.replace(/^\/+/, ''), e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))));
}

async function readText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of await openEntry(zip, entry)) parts.push(chunk as Buffer);
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
    if (this.count * 2 + 2 > this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    // Slab number and offset in one number: slab * 2^32 + offset, and the byte length.
    this.starts[this.count * 2] = this.slabs.length * 4294967296 + this.used;
    this.starts[this.count * 2 + 1] = bytes;
    this.used += bytes;
    this.count++;
  }

  get(i: number): string | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const at = this.starts[i * 2]!;
    const slabIndex = Math.floor(at / 4294967296);
    const offset = at - slabIndex * 4294967296;
    const slab = slabIndex === this.slabs.length ? this.slab : this.slabs[slabIndex]!;
    return slab.toString('utf8', offset, offset + this.starts[i * 2 + 1]!);
  }
}

async function readSharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined): Promise<SharedStrings> {
  const table = new SharedStrings();
  if (!entry) return table;
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  for await (const chunk of await openEntry(zip, entry)) {
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

const INLINE_CELL = ' t="inlineStr"><is><t>';
const INLINE_CELL_END = '</t></is></c>';
const NUMBER_CELL = '><v>';
const NUMBER_CELL_END = '</v></c>';

/** What `plainCell` read: the cell's column, its value, and where it ends. */
const plain = { col: 0, value: null as SheetCell, end: 0 };

/**
 * The two cells writers make most, read without taking the cell apart: <c r="B7"
 * t="inlineStr"><is><t>text</t></is></c> and <c r="B7"><v>12</v></c>. Anything else is
 * left to the general reading (false).
 */
function plainCell(xml: string, open: number): boolean {
  let p = open + 2;
  if (!xml.startsWith(' r="', p)) return false;
  p += 4;
  const letters = p;
  let n = 0;
  for (let c = xml.charCodeAt(p); c >= 65 && c <= 90; c = xml.charCodeAt(++p)) n = n * 26 + (c - 64);
  if (p === letters) return false;
  while (isDigit(xml.charCodeAt(p))) p++;
  if (xml.charCodeAt(p++) !== 34) return false;
  const inline = xml.startsWith(INLINE_CELL, p);
  if (!inline && !xml.startsWith(NUMBER_CELL, p)) return false;
  const from = p + (inline ? INLINE_CELL.length : NUMBER_CELL.length);
  const lt = xml.indexOf('<', from);
  if (lt < 0 || !xml.startsWith(inline ? INLINE_CELL_END : NUMBER_CELL_END, lt)) return false;
  plain.col = n - 1;
  plain.value = inline ? unescapeXml(xml.slice(from, lt)) : Number(xml.slice(from, lt));
  plain.end = lt + (inline ? INLINE_CELL_END.length : NUMBER_CELL_END.length);
  return true;
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
    if (plainCell(xml, open)) {
      while (cells.length < plain.col) cells.push(null);
      cells[plain.col] = plain.value;
      next = plain.col + 1;
      at = plain.end;
      continue;
    }
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

/**
 * The rows of one sheet's XML stream, blank rows included so row numbers match Excel's, a
 * batch at a time: the rows completed by each chunk of the stream.
 */
export async function* sheetRowBatches(stream: Readable, sheet: string, strings: SharedStrings = new SharedStrings()): AsyncGenerator<SheetRow[]> {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let last = 0;
  for await (const chunk of stream) {
    buffer += decoder.write(chunk as Buffer);
    const batch: SheetRow[] = [];
    let from = 0;
    for (;;) {
      const start = buffer.indexOf('<row', from);
      if (start < 0) {
        // Keep what could be the start of a "<row" cut by the chunk boundary.
        from = Math.max(from, buffer.length - 3);
        break;
      }
      const tagEnd = buffer.indexOf('>', start);
      if (tagEnd < 0) {
        from = start;
        break;
      }
      const empty = buffer.charCodeAt(tagEnd - 1) === 47; // "/>"
      const end = empty ? tagEnd + 1 : buffer.indexOf('</row>', tagEnd);
      if (end < 0) {
        from = start;
        break;
      }
      const row = rowNumber(buffer.slice(start, tagEnd)) ?? last + 1;
      while (last + 1 < row) batch.push({ sheet, row: ++last, cells: [] });
      last = row;
      batch.push({ sheet, row, cells: empty ? [] : parseRow(buffer.slice(tagEnd + 1, end), strings) });
      from = empty ? end : end + 6;
    }
    buffer = buffer.slice(from);
    if (batch.length) yield batch;
  }
}

/** Every row of every sheet, in workbook order, a batch at a time. */
export async function* readXlsxRowBatches(file: string): AsyncGenerator<SheetRow[]> {
  let zip: yauzl.ZipFile;
  let entries: Map<string, yauzl.Entry>;
  try {
    zip = await openZip(file);
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
      yield* sheetRowBatches(await openEntry(zip, entry), sheet.name, strings);
    }
  } finally {
    zip.close();
  }
}

/**
 * The fixed BIFF8 records of a one-sheet workbook ([MS-XLS] 2.4): what Excel 97–2003 writes
 * around the cells, reduced to what readers need: one font family, the 15 style XFs Excel
 * requires followed by our cell formats, Unicode code page, a frozen header row.
 */
import type { ByteSink } from './byte-sink';

export const RT = {
  BOF: 0x0809,
  EOF: 0x000a,
  INTERFACEHDR: 0x00e1,
  MMS: 0x00c1,
  INTERFACEEND: 0x00e2,
  WRITEACCESS: 0x005c,
  CODEPAGE: 0x0042,
  DSF: 0x0161,
  TABID: 0x013d,
  FNGROUPCOUNT: 0x009c,
  WINDOWPROTECT: 0x0019,
  PROTECT: 0x0012,
  PASSWORD: 0x0013,
  PROT4REV: 0x01af,
  PROT4REVPASS: 0x01bc,
  WINDOW1: 0x003d,
  BACKUP: 0x0040,
  HIDEOBJ: 0x008d,
  DATE1904: 0x0022,
  PRECISION: 0x000e,
  REFRESHALL: 0x01b7,
  BOOKBOOL: 0x00da,
  FONT: 0x0031,
  XF: 0x00e0,
  STYLE: 0x0293,
  USESELFS: 0x0160,
  BOUNDSHEET: 0x0085,
  CALCMODE: 0x000d,
  CALCCOUNT: 0x000c,
  REFMODE: 0x000f,
  ITERATION: 0x0011,
  DELTA: 0x0010,
  SAVERECALC: 0x005f,
  PRINTHEADERS: 0x002a,
  PRINTGRIDLINES: 0x002b,
  GRIDSET: 0x0082,
  GUTS: 0x0080,
  DEFAULTROWHEIGHT: 0x0225,
  WSBOOL: 0x0081,
  DEFCOLWIDTH: 0x0055,
  COLINFO: 0x007d,
  DIMENSIONS: 0x0200,
  LABELSST: 0x00fd,
  NUMBER: 0x0203,
  WINDOW2: 0x023e,
  PANE: 0x0041,
  FILEPASS: 0x002f,
} as const;

const CODEPAGE_UTF16 = 0x04b0;
const BOF_GLOBALS = 0x0005;
const BOF_WORKSHEET = 0x0010;
const FONT_NAME = 'Arial';
const WRITER_NAME = 'hotich-flow';

/** Cell formats (XF indices): 0–14 are the style XFs every BIFF8 workbook carries. */
export const XF_GENERAL = 15;
/** Text format "@": typing into such a cell in Excel keeps what is typed as text, never a formula. */
export const XF_TEXT = 16;
export const XF_HEADER = 17;
const BUILTIN_FORMAT_TEXT = 49;
/** FONT records skip index 4, so the fifth record is font 5. */
const FONT_BOLD = 5;

function header(out: ByteSink, type: number, length: number): void {
  out.u16(type);
  out.u16(length);
}

function u16Record(out: ByteSink, type: number, ...values: number[]): void {
  header(out, type, values.length * 2);
  for (const v of values) out.u16(v);
}

function bof(out: ByteSink, substream: number): void {
  header(out, RT.BOF, 16);
  out.u16(0x0600); // BIFF8
  out.u16(substream);
  out.u16(0x0dbb); // build and year of the Excel 97 this layout follows
  out.u16(0x07cc);
  out.u32(0); // file history flags
  out.u32(0x06); // lowest BIFF version that can read it
}

/** Unicode strings in BIFF8 are Latin-1 when they can be, UTF-16LE otherwise. */
function isLatin1(s: string): boolean {
  return !/[^\u0000-\u00ff]/.test(s);
}

function chars(out: ByteSink, s: string, wide: boolean): void {
  const bytes = Buffer.from(s, wide ? 'utf16le' : 'latin1');
  out.bytes(bytes);
}

/** ShortXLUnicodeString: one-byte length, option byte, characters. */
export function shortStringLength(s: string): number {
  return 2 + s.length * (isLatin1(s) ? 1 : 2);
}

function shortString(out: ByteSink, s: string): void {
  const wide = !isLatin1(s);
  out.u8(s.length);
  out.u8(wide ? 1 : 0);
  chars(out, s, wide);
}

function font(out: ByteSink, bold: boolean): void {
  header(out, RT.FONT, 14 + shortStringLength(FONT_NAME));
  out.u16(200); // 10 pt, in twentieths of a point
  out.u16(0);
  out.u16(0x7fff); // automatic colour
  out.u16(bold ? 700 : 400);
  out.u16(0);
  out.u8(0);
  out.u8(0);
  out.u8(0);
  out.u8(0);
  shortString(out, FONT_NAME);
}

function xf(out: ByteSink, fontIndex: number, format: number, style: boolean, usedAttributes: number): void {
  header(out, RT.XF, 20);
  out.u16(fontIndex);
  out.u16(format);
  out.u16(style ? 0xfff5 : 0x0001); // locked; a style XF has no parent
  out.u8(0x20); // bottom aligned
  out.u8(0);
  out.u8(0);
  out.u8(usedAttributes);
  out.u32(0);
  out.u32(0);
  out.u16(0x20c0); // automatic pattern colours
}

/** Workbook globals up to (not including) BOUNDSHEET. */
export function writeGlobalsHead(out: ByteSink): void {
  bof(out, BOF_GLOBALS);
  u16Record(out, RT.INTERFACEHDR, CODEPAGE_UTF16);
  u16Record(out, RT.MMS, 0);
  header(out, RT.INTERFACEEND, 0);
  header(out, RT.WRITEACCESS, 112);
  out.u16(WRITER_NAME.length);
  out.u8(0);
  chars(out, WRITER_NAME.padEnd(109, ' '), false);
  u16Record(out, RT.CODEPAGE, CODEPAGE_UTF16);
  u16Record(out, RT.DSF, 0);
  u16Record(out, RT.TABID, 1);
  u16Record(out, RT.FNGROUPCOUNT, 0x0e);
  u16Record(out, RT.WINDOWPROTECT, 0);
  u16Record(out, RT.PROTECT, 0);
  u16Record(out, RT.PASSWORD, 0);
  u16Record(out, RT.PROT4REV, 0);
  u16Record(out, RT.PROT4REVPASS, 0);
  u16Record(out, RT.WINDOW1, 0x0168, 0x001e, 0x3c00, 0x2000, 0x0038, 0, 0, 1, 0x0258);
  u16Record(out, RT.BACKUP, 0);
  u16Record(out, RT.HIDEOBJ, 0);
  u16Record(out, RT.DATE1904, 0);
  u16Record(out, RT.PRECISION, 1);
  u16Record(out, RT.REFRESHALL, 0);
  u16Record(out, RT.BOOKBOOL, 0);
  for (let i = 0; i < 4; i++) font(out, false);
  font(out, true);
  for (let i = 0; i < 15; i++) xf(out, 0, 0, true, i === 0 ? 0 : 0xf4);
  xf(out, 0, 0, false, 0);
  xf(out, 0, BUILTIN_FORMAT_TEXT, false, 0x04);
  xf(out, FONT_BOLD, BUILTIN_FORMAT_TEXT, false, 0x0c);
  header(out, RT.STYLE, 4);
  out.u16(0x8000); // built-in style, XF 0
  out.u8(0); // "Normal"
  out.u8(0xff);
  u16Record(out, RT.USESELFS, 0);
}

export function boundSheetLength(name: string): number {
  return 4 + 6 + shortStringLength(name);
}

export function writeBoundSheet(out: ByteSink, name: string, sheetOffset: number): void {
  header(out, RT.BOUNDSHEET, 6 + shortStringLength(name));
  out.u32(sheetOffset);
  out.u8(0); // visible
  out.u8(0); // worksheet
  shortString(out, name);
}

export function writeEof(out: ByteSink): void {
  header(out, RT.EOF, 0);
}

export interface SheetLayout {
  rows: number;
  columns: number;
  /** Width of each column in characters. */
  widths: readonly number[];
  /** Keeps the first row in view while scrolling. */
  freezeFirstRow: boolean;
}

/** The worksheet substream up to the first cell. */
export function writeSheetHead(out: ByteSink, layout: SheetLayout): void {
  bof(out, BOF_WORKSHEET);
  u16Record(out, RT.CALCMODE, 1);
  u16Record(out, RT.CALCCOUNT, 100);
  u16Record(out, RT.REFMODE, 1);
  u16Record(out, RT.ITERATION, 0);
  header(out, RT.DELTA, 8);
  out.f64(0.001);
  u16Record(out, RT.SAVERECALC, 1);
  u16Record(out, RT.PRINTHEADERS, 0);
  u16Record(out, RT.PRINTGRIDLINES, 0);
  u16Record(out, RT.GRIDSET, 1);
  u16Record(out, RT.GUTS, 0, 0, 0, 0);
  u16Record(out, RT.DEFAULTROWHEIGHT, 0, 0x00ff);
  u16Record(out, RT.WSBOOL, 0x04c1);
  u16Record(out, RT.DEFCOLWIDTH, 8);
  layout.widths.forEach((width, col) => {
    // Columns default to text, so what a user later types there is not evaluated either.
    u16Record(out, RT.COLINFO, col, col, Math.round(width * 256), XF_TEXT, 0, 0);
  });
  header(out, RT.DIMENSIONS, 14);
  out.u32(0);
  out.u32(layout.rows);
  out.u16(0);
  out.u16(layout.columns);
  out.u16(0);
}

/** The worksheet substream after the last cell. */
export function writeSheetTail(out: ByteSink, layout: SheetLayout): void {
  const frozen = layout.freezeFirstRow ? 0x0008 | 0x0100 : 0;
  header(out, RT.WINDOW2, 18);
  out.u16(0x06b6 | frozen); // grid, headers, zeros, outline symbols, selected, active
  out.u16(0);
  out.u16(0);
  out.u32(0x40); // default gridline colour
  out.u16(0);
  out.u16(0);
  out.u32(0);
  if (layout.freezeFirstRow) {
    header(out, RT.PANE, 10);
    out.u16(0);
    out.u16(1); // one row above the split
    out.u16(1); // first row shown below it
    out.u16(0);
    out.u8(2); // the lower pane is active
    out.u8(0);
  }
  writeEof(out);
}

export function writeLabelSst(out: ByteSink, row: number, col: number, xfIndex: number, sst: number): void {
  const b = out.reserve(14);
  let p = out.pos;
  b[p++] = RT.LABELSST & 0xff;
  b[p++] = RT.LABELSST >>> 8;
  b[p++] = 10;
  b[p++] = 0;
  b[p++] = row & 0xff;
  b[p++] = row >>> 8;
  b[p++] = col;
  b[p++] = 0;
  b[p++] = xfIndex;
  b[p++] = 0;
  b[p++] = sst & 0xff;
  b[p++] = (sst >>> 8) & 0xff;
  b[p++] = (sst >>> 16) & 0xff;
  b[p++] = sst >>> 24;
  out.pos = p;
}

export function writeNumber(out: ByteSink, row: number, col: number, xfIndex: number, value: number): void {
  header(out, RT.NUMBER, 14);
  out.u16(row);
  out.u16(col);
  out.u16(xfIndex);
  out.f64(value);
}

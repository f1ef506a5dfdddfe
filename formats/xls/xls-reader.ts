/**
 * Reads the rows of a legacy Excel 97–2003 workbook (.xls, BIFF8) a batch at a time, record by
 * record. SheetJS parsed such a file at about 3,600 rows/s (its generic record reader copies and
 * re-reads every record), too slow for an import; here each cell record is read in place from
 * the workbook stream, and the only copies are the stream itself and the decoded shared strings.
 *
 * What comes out is what `sheet_to_json(sheet, { header: 1, raw: true, defval: null, blankrows:
 * true })` gives for the same file: a sheet runs to the last row and column of its DIMENSIONS
 * record or of its last value, whichever is further (so cells that are only formatted count, as
 * in SheetJS), and a row holding any value is filled with null to that width. Intended differences:
 * - rows and columns are where Excel shows them: SheetJS starts at the first row and column of
 *   the sheet's used range, so a sheet whose data starts at C3 came out shifted to A1;
 * - a blank row is always `[]` (SheetJS fills the first row of that range with nulls even when
 *   it is blank);
 * - only worksheets are read: chart and macro sheets hold no rows to import (SheetJS returns a
 *   chart's cached series values as rows);
 * - 8-bit ("compressed") characters are Latin-1 as BIFF8 defines them, whatever the CODEPAGE
 *   record says (SheetJS decodes LABEL and formula strings through that code page);
 * - an error value (#N/A, #REF!…) is its text, as the .xlsx reader gives it, not null: a cell
 *   that shows something is never handed over as empty;
 * - in a workbook of the 1904 date system (DATE1904), numbers in date formats are moved to the
 *   1900 system, as the .xlsx reader moves them (see formats/xlsx/date-formats.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import CFB from 'cfb';
import { defineError } from '../../domain/errors';
import { DAYS_1900_TO_1904, isDateFormat } from '../xlsx/date-formats';
import type { SheetCell, SheetRow } from '../xlsx/streaming-xlsx-reader';
import { RT } from './biff-records';

export const XlsEncrypted = defineError<{ file: string }>(
  'XLS_ENCRYPTED',
  'validation',
  (p) => `${p.file} is password-protected (encrypted); it has to be saved without a password to be read`,
  (p) => `Tệp ${p.file} được bảo vệ bằng mật khẩu (đã mã hoá), không đọc được. Hãy mở tệp trong Excel, lưu lại không đặt mật khẩu rồi tải lên lại.`,
);

export const XlsCorrupt = defineError<{ file: string; reason: string }>(
  'XLS_CORRUPT',
  'validation',
  (p) => `${p.file} is a damaged .xls workbook: ${p.reason}`,
  // The reason names BIFF records: for the log and the error's details, not for the user.
  (p) => `Tệp ${p.file} là bảng tính .xls bị hỏng, không đọc được. Hãy mở tệp trong Excel, lưu lại rồi tải lên lại.`,
);

/** Not an Excel 97–2003 workbook at all (an .xlsx, HTML or text file named .xls, or an Excel 5/95 workbook): another reader may still read it. */
export const XlsNotBiff8 = defineError<{ file: string }>(
  'XLS_NOT_BIFF8',
  'validation',
  (p) => `${p.file} is not an Excel 97–2003 (BIFF8) workbook`,
  (p) => `Tệp ${p.file} không phải bảng tính Excel 97–2003 (.xls).`,
);

// Module-local: read through the import binding, each use in the record loops was a getter call that V8 stopped inlining once the writer shared it.
const { BOF, EOF, BOUNDSHEET, FILEPASS, DIMENSIONS, LABELSST, NUMBER, DATE1904, XF } = RT;
const FORMAT = 0x041e;
const CONTINUE = 0x003c;
const SST = 0x00fc;
const LABEL = 0x0204;
const RSTRING = 0x00d6;
const RK = 0x027e;
const MULRK = 0x00bd;
const BOOLERR = 0x0205;
const FORMULA = 0x0006;
const STRING = 0x0207;

const BIFF8 = 0x0600;
const BOF_GLOBALS = 0x0005;
const BOUNDSHEET_WORKSHEET = 0;
const MAX_ROWS = 65_536;
const MAX_COLUMNS = 256;
const CFB_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const BATCH = 1000;

/** Smallest length of each record that puts a value in a cell: row, column, XF, then the value. */
const CELL_MIN_LENGTH = new Uint8Array(0x10000);
CELL_MIN_LENGTH[LABELSST] = 10;
CELL_MIN_LENGTH[NUMBER] = 14;
CELL_MIN_LENGTH[RK] = 10;
CELL_MIN_LENGTH[MULRK] = 12;
CELL_MIN_LENGTH[BOOLERR] = 8;
CELL_MIN_LENGTH[FORMULA] = 20;
CELL_MIN_LENGTH[LABEL] = 8;
CELL_MIN_LENGTH[RSTRING] = 8;

interface SheetEntry {
  name: string;
  offset: number;
}

/** Where one worksheet's records are, and the extent SheetJS gives it (its DIMENSIONS joined with its cells). */
interface SheetExtent {
  /** The first record after BOF, and the first byte after the sheet's EOF. */
  start: number;
  end: number;
  rows: number;
  columns: number;
  /** Whether every cell record's row is at or below the previous one's: the rows can then be handed over as they are read. */
  ordered: boolean;
}

class Stream {
  constructor(
    readonly b: Buffer,
    readonly file: string,
  ) {}

  corrupt(reason: string): never {
    throw XlsCorrupt({ file: this.file, reason });
  }

  u16(p: number): number {
    return this.b[p]! | (this.b[p + 1]! << 8);
  }

  u32(p: number): number {
    return (this.b[p]! | (this.b[p + 1]! << 8) | (this.b[p + 2]! << 16) | (this.b[p + 3]! << 24)) >>> 0;
  }

  /** The first byte after the record at `p`, checked to lie inside the stream. */
  recordEnd(p: number): number {
    if (p + 4 > this.b.length) this.corrupt(`a record header at byte ${p} runs past the end of the stream`);
    const end = p + 4 + this.u16(p + 2);
    if (end > this.b.length) this.corrupt(`the record at byte ${p} runs past the end of the stream`);
    return end;
  }

  /** The data of the record at `p` and of the CONTINUE records right after it, as pieces. */
  continued(p: number, from: number): Pieces {
    const starts = [from];
    const ends = [this.recordEnd(p)];
    for (let q = ends[0]!; q + 4 <= this.b.length && this.u16(q) === CONTINUE; q = ends[ends.length - 1]!) {
      starts.push(q + 4);
      ends.push(this.recordEnd(q));
    }
    return new Pieces(this, starts, ends);
  }
}

/**
 * Data that continues over several records. Headers and formatting runs simply go on in the next
 * record; characters too, but each record they go on in starts with an option byte saying whether
 * they are 8- or 16-bit from there on.
 */
class Pieces {
  private piece = 0;
  private pos: number;
  private end: number;

  constructor(
    private readonly s: Stream,
    private readonly starts: number[],
    private readonly ends: number[],
  ) {
    this.pos = starts[0]!;
    this.end = ends[0]!;
  }

  get done(): boolean {
    return this.pos >= this.end && this.piece === this.starts.length - 1;
  }

  private next(): void {
    if (++this.piece >= this.starts.length) this.s.corrupt('a string runs past the end of its record');
    this.pos = this.starts[this.piece]!;
    this.end = this.ends[this.piece]!;
  }

  u8(): number {
    while (this.pos >= this.end) this.next();
    return this.s.b[this.pos++]!;
  }

  u16(): number {
    if (this.pos + 2 > this.end) return this.u8() | (this.u8() << 8);
    const v = this.s.u16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    if (this.pos + 4 > this.end) return (this.u16() | (this.u16() << 16)) >>> 0;
    const v = this.s.u32(this.pos);
    this.pos += 4;
    return v;
  }

  skip(n: number): void {
    for (;;) {
      const k = Math.min(n, this.end - this.pos);
      this.pos += k;
      n -= k;
      if (n === 0) return;
      this.next();
    }
  }

  /** `count` characters, 16-bit if `wide`, until a record boundary switches that. */
  text(count: number, wide: boolean): string {
    let text = '';
    while (count > 0) {
      if (this.pos >= this.end) {
        this.next();
        if (this.pos >= this.end) this.s.corrupt('a string continues in an empty record');
        wide = (this.s.b[this.pos++]! & 1) === 1;
      }
      const unit = wide ? 2 : 1;
      const n = Math.min(count, Math.floor((this.end - this.pos) / unit));
      if (n === 0) this.s.corrupt('a 16-bit character is split between two records');
      const part = this.s.b.toString(wide ? 'utf16le' : 'latin1', this.pos, this.pos + n * unit);
      text = text === '' ? part : text + part;
      this.pos += n * unit;
      count -= n;
    }
    return text;
  }

  /** XLUnicodeString (LABEL, STRING): a 16-bit count, an option byte, the characters. */
  unicodeString(): string {
    const count = this.u16();
    if (count === 0) return '';
    return this.text(count, (this.u8() & 1) === 1);
  }
}

const RICH_TEXT = 0x08;
const PHONETIC = 0x04;

/** The shared strings: each may carry formatting runs and an East Asian phonetic block after its characters, both skipped. */
function readSharedStrings(data: Pieces): string[] {
  data.u32(); // references, not needed
  const unique = data.u32();
  const strings: string[] = [];
  // The count is a claim: stop where the data does, and never trust it for an allocation.
  while (strings.length < unique && !data.done) {
    const count = data.u16();
    const options = data.u8();
    const runs = options & RICH_TEXT ? data.u16() : 0;
    const phonetic = options & PHONETIC ? data.u32() : 0;
    strings.push(data.text(count, (options & 1) === 1));
    if (runs > 0 || phonetic > 0) data.skip(4 * runs + phonetic);
  }
  return strings;
}

interface Globals {
  sheets: SheetEntry[];
  strings: string[];
  /** Per cell format (XF), 1 where it shows a number as a date; only for a workbook of the 1904 date system. */
  dateXfs: Uint8Array | undefined;
}

function readGlobals(s: Stream): Globals {
  const sheets: SheetEntry[] = [];
  let strings: string[] = [];
  let date1904 = false;
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let p = s.recordEnd(0);
  for (;;) {
    if (p >= s.b.length) s.corrupt('the workbook globals have no EOF record');
    const type = s.u16(p);
    const end = s.recordEnd(p);
    const data = p + 4;
    // Everything after FILEPASS is encrypted.
    if (type === FILEPASS) throw XlsEncrypted({ file: s.file });
    if (type === EOF) break;
    if (type === BOUNDSHEET) {
      if (end - data < 8) s.corrupt('a sheet entry is too short');
      if (s.b[data + 5] === BOUNDSHEET_WORKSHEET) {
        const name = new Pieces(s, [data + 6], [end]);
        const count = name.u8();
        // SheetJS names a sheet without a name Sheet1; so does this.
        sheets.push({ name: count === 0 ? 'Sheet1' : name.text(count, (name.u8() & 1) === 1), offset: s.u32(data) });
      }
    } else if (type === SST) {
      strings = readSharedStrings(s.continued(p, data));
    } else if (type === DATE1904) {
      date1904 = end - data >= 2 && s.u16(data) === 1;
    } else if (type === FORMAT) {
      if (end - data < 5) s.corrupt('a number format record is too short');
      formats.set(s.u16(data), s.continued(p, data + 2).unicodeString());
    } else if (type === XF) {
      if (end - data < 20) s.corrupt('a cell format record is too short');
      xfFormats.push(s.u16(data + 2));
    }
    p = end;
  }
  return { sheets, strings, dateXfs: date1904 ? Uint8Array.from(xfFormats, (id) => (isDateFormat(id, formats) ? 1 : 0)) : undefined };
}

/** Walks a worksheet's records once, checking them, to know its extent before any row is handed over. */
function measureSheet(s: Stream, offset: number): SheetExtent {
  if (offset + 4 > s.b.length || s.u16(offset) !== BOF) s.corrupt(`no sheet starts where the workbook says (byte ${offset})`);
  const start = s.recordEnd(offset);
  let depth = 1;
  let rows = 0;
  let columns = 0;
  let lastRow = 0;
  let ordered = true;
  let p = start;
  while (depth > 0) {
    if (p >= s.b.length) s.corrupt('a sheet has no EOF record');
    const type = s.u16(p);
    const end = s.recordEnd(p);
    const length = end - p - 4;
    const data = p + 4;
    p = end;
    // A chart embedded in the sheet is a BOF…EOF substream of its own, with records SheetJS does not take as cells.
    if (type === BOF) depth++;
    else if (type === EOF) depth--;
    else if (depth === 1) {
      if (type === DIMENSIONS) {
        if (length < 12) s.corrupt('the DIMENSIONS record is too short');
        const lastRowPlusOne = s.u32(data + 4);
        const lastColumnPlusOne = s.u16(data + 10);
        if (lastRowPlusOne > MAX_ROWS || lastColumnPlusOne > MAX_COLUMNS) s.corrupt('the sheet claims more rows or columns than BIFF8 allows');
        rows = Math.max(rows, lastRowPlusOne);
        columns = Math.max(columns, lastColumnPlusOne);
        continue;
      }
      const min = CELL_MIN_LENGTH[type]!;
      if (min === 0) continue;
      if (length < min) s.corrupt(`a cell record (type 0x${type.toString(16)}) is too short`);
      const row = s.u16(data);
      let last = s.u16(data + 2);
      if (type === MULRK) {
        const first = last;
        last = s.u16(end - 2);
        if ((length - 6) % 6 !== 0 || last - first + 1 !== (length - 6) / 6) s.corrupt('a MULRK record does not match its columns');
      }
      if (last >= MAX_COLUMNS) s.corrupt('a cell lies beyond column IV');
      if (row < lastRow) ordered = false;
      lastRow = row;
      if (row >= rows) rows = row + 1;
      if (last >= columns) columns = last + 1;
    }
  }
  // SheetJS gives a sheet a range only when both are set; without one it has no rows.
  if (rows === 0 || columns === 0) rows = columns = 0;
  return { start, end: p, rows, columns, ordered };
}

const rkView = new DataView(new ArrayBuffer(8));

/** An RK number: a 30-bit integer or the top 30 bits of a double, optionally to be divided by 100. */
function rk(v: number): number {
  let n: number;
  if (v & 2) n = v >> 2;
  else {
    rkView.setInt32(0, 0, true);
    rkView.setInt32(4, v & ~3, true);
    n = rkView.getFloat64(0, true);
  }
  return v & 1 ? n / 100 : n;
}

function int32(b: Buffer, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

/** Excel's error values by their BIFF8 code. */
const ERROR_TEXT = new Map([
  [0x00, '#NULL!'],
  [0x07, '#DIV/0!'],
  [0x0f, '#VALUE!'],
  [0x17, '#REF!'],
  [0x1d, '#NAME?'],
  [0x24, '#NUM!'],
  [0x2a, '#N/A'],
  [0x2b, '#GETTING_DATA'],
]);

/** The text of an Excel error value (#N/A for 0x2A); undefined for a code Excel does not have. */
export const excelErrorText = (code: number): string | undefined => ERROR_TEXT.get(code);

function errorText(s: Stream, code: number): string {
  return ERROR_TEXT.get(code) ?? s.corrupt(`a cell holds an error value Excel does not have (0x${code.toString(16)})`);
}

/** A formula's cached result; `undefined` for a text result, which the STRING record after it holds. */
function formulaResult(s: Stream, p: number): SheetCell | undefined {
  const { b } = s;
  if (b[p + 6] !== 0xff || b[p + 7] !== 0xff) return b.readDoubleLE(p);
  switch (b[p]) {
    case 0:
      return undefined;
    case 1:
      return b[p + 2] === 1;
    case 2:
      return errorText(s, b[p + 2]!);
    case 3:
      return '';
    default:
      return s.corrupt(`a formula's result is of a kind BIFF8 does not have (${b[p]})`);
  }
}

function* sheetBatches(s: Stream, name: string, extent: SheetExtent, { strings, dateXfs }: Globals): Generator<SheetRow[]> {
  const { b } = s;
  /** A number in cell format `xf`, counted from 1900 if it is a date. */
  const in1900 = (n: number, xf: number) => (dateXfs !== undefined && dateXfs[xf] === 1 ? n + DAYS_1900_TO_1904 : n);
  // A formula whose result is text is followed by the STRING record holding it; one that is not is refused, not read as empty.
  let textPending = false;
  const width = extent.columns;
  // Rows out of order are rare (Excel, LibreOffice and our writer never write them); only then is the sheet held until its end.
  const held: Array<SheetCell[] | undefined> | undefined = extent.ordered ? undefined : [];
  let batch: SheetRow[] = [];
  let handedOver = 0;
  let cells: SheetCell[] = [];
  let cellsRow = -1;
  let formulaCells: SheetCell[] | undefined;
  let formulaColumn = 0;
  let depth = 1;
  for (let p = extent.start; p < extent.end; ) {
    const type = b[p]! | (b[p + 1]! << 8);
    const data = p + 4;
    p = data + (b[p + 2]! | (b[p + 3]! << 8));
    if (type === BOF) depth++;
    else if (type === EOF) depth--;
    if (depth !== 1) continue;
    if (CELL_MIN_LENGTH[type] === 0) {
      // SheetJS puts a STRING record's text in the cell of the formula just before it.
      if (type === STRING && formulaCells) {
        formulaCells[formulaColumn] = s.continued(data - 4, data).unicodeString();
        formulaCells = undefined;
        textPending = false;
      }
      continue;
    }
    if (textPending) s.corrupt("a formula's text result is missing");
    const row = b[data]! | (b[data + 1]! << 8);
    if (row !== cellsRow) {
      if (held) cells = held[row] ??= new Array<SheetCell>(width).fill(null);
      else {
        while (handedOver < row) {
          if (batch.length >= BATCH) {
            yield batch;
            batch = [];
          }
          batch.push({ sheet: name, row: ++handedOver, cells: [] });
        }
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
        cells = new Array<SheetCell>(width).fill(null);
        batch.push({ sheet: name, row: ++handedOver, cells });
      }
      cellsRow = row;
    }
    const column = b[data + 2]! | (b[data + 3]! << 8);
    switch (type) {
      case LABELSST: {
        const text = strings[s.u32(data + 6)];
        if (text === undefined) s.corrupt('a cell refers to a shared string that does not exist');
        cells[column] = text;
        break;
      }
      case NUMBER:
        cells[column] = in1900(b.readDoubleLE(data + 6), b[data + 4]! | (b[data + 5]! << 8));
        break;
      case RK:
        cells[column] = in1900(rk(int32(b, data + 6)), b[data + 4]! | (b[data + 5]! << 8));
        break;
      case MULRK:
        // Each value has its own cell format, just before it.
        for (let q = data + 6, c = column; q < p - 2; q += 6, c++) cells[c] = in1900(rk(int32(b, q)), b[q - 2]! | (b[q - 1]! << 8));
        break;
      case BOOLERR:
        cells[column] = b[data + 7] === 0 ? b[data + 6] === 1 : errorText(s, b[data + 6]!);
        break;
      case FORMULA: {
        const result = formulaResult(s, data + 6);
        if (result === undefined) textPending = true;
        else cells[column] = typeof result === 'number' ? in1900(result, b[data + 4]! | (b[data + 5]! << 8)) : result;
        formulaCells = cells;
        formulaColumn = column;
        break;
      }
      default: // LABEL, RSTRING
        cells[column] = s.continued(data - 4, data + 6).unicodeString();
    }
  }
  if (textPending) s.corrupt("a formula's text result is missing");
  if (held) {
    for (let row = 0; row < extent.rows; row++) {
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
      batch.push({ sheet: name, row: row + 1, cells: held[row] ?? [] });
    }
  } else {
    while (handedOver < extent.rows) {
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
      batch.push({ sheet: name, row: ++handedOver, cells: [] });
    }
  }
  if (batch.length > 0) yield batch;
}

/** The workbook stream of a compound file; the file's own bytes are let go once it is found. */
async function workbookStream(file: string): Promise<Stream> {
  const name = path.basename(file);
  const bytes = await fs.promises.readFile(file);
  if (bytes.length < CFB_SIGNATURE.length || !bytes.subarray(0, CFB_SIGNATURE.length).equals(CFB_SIGNATURE)) throw XlsNotBiff8({ file: name });
  let container: CFB.CFB$Container;
  try {
    container = CFB.read(bytes, { type: 'buffer' });
  } catch (e) {
    throw XlsCorrupt({ file: name, reason: 'its compound file structure cannot be read' }, { cause: e });
  }
  const entry = CFB.find(container, '/Workbook') ?? CFB.find(container, '/Book');
  if (!entry) {
    // An .xlsx saved with a password is a compound file holding the encrypted package.
    if (CFB.find(container, '/EncryptedPackage')) throw XlsEncrypted({ file: name });
    throw XlsNotBiff8({ file: name });
  }
  const content = entry.content as Uint8Array;
  return new Stream(Buffer.from(content.buffer, content.byteOffset, content.length), name);
}

/**
 * Every row of every worksheet, in workbook order: row 1 to the last row of the sheet's extent,
 * blank rows as `[]`, rows with cells filled with null to the sheet's width.
 */
export async function* readXlsRowBatches(file: string): AsyncGenerator<SheetRow[]> {
  const s = await workbookStream(file);
  if (s.b.length < 8 || s.u16(0) !== BOF || s.u16(4) !== BIFF8) throw XlsNotBiff8({ file: s.file });
  if (s.u16(6) !== BOF_GLOBALS) s.corrupt('the workbook stream does not start with its globals');
  const globals = readGlobals(s);
  for (const sheet of globals.sheets) {
    const extent = measureSheet(s, sheet.offset);
    yield* sheetBatches(s, sheet.name, extent, globals);
  }
}

/**
 * A one-sheet Excel 97–2003 (.xls, BIFF8) writer for the split's output, written record by
 * record rather than through a spreadsheet library: SheetJS needed 8.7 GB of memory for a
 * 65,000-row sheet and, without its shared string table, cut text at 255 characters. Here
 * every text goes through the shared string table (no length cut below Excel's 32,767), cells
 * are 14-byte records appended as rows arrive, and memory is the file's own bytes plus the
 * index of distinct texts. Text cells are always text: a value starting with =, +, - or @ is
 * never a formula. What cannot be written exactly (a row past the sheet's 65,536, a text too
 * long, a number that is not finite) is refused with an error, never cut.
 */
import CFB from 'cfb';
import { defineError } from '../../domain/errors';
import {
  boundSheetLength,
  writeBoundSheet,
  writeEof,
  writeGlobalsHead,
  writeLabelSst,
  writeNumber,
  writeSheetHead,
  writeSheetTail,
  XF_GENERAL,
  XF_HEADER,
  XF_TEXT,
  type SheetLayout,
} from './biff-records';
import { ByteSink } from './byte-sink';
import { SharedStringTable } from './shared-string-table';

/** Rows of a BIFF8 sheet, header included. */
export const XLS_MAX_ROWS = 65_536;
export const XLS_MAX_COLUMNS = 256;
/** Excel's limit on the characters (UTF-16 code units) of one cell. */
export const XLS_MAX_TEXT_LENGTH = 32_767;
const MAX_SHEET_NAME = 31;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

export type XlsCell = string | number | null | undefined;

export const XlsSheetFull = defineError<{ sheet: string; maxRows: number }>(
  'XLS_SHEET_FULL',
  'integrity',
  (p) => `sheet ${p.sheet} already holds ${p.maxRows} rows, the most an .xls sheet can hold`,
  (p) => `Trang "${p.sheet}" đã đủ ${p.maxRows.toLocaleString('vi-VN')} dòng, mức tối đa của một trang .xls; các dòng tiếp theo phải sang tệp kế tiếp.`,
);

export const XlsTooManyColumns = defineError<{ sheet: string; row: number; columns: number }>(
  'XLS_TOO_MANY_COLUMNS',
  'validation',
  (p) => `row ${p.row} of sheet ${p.sheet} has ${p.columns} columns; an .xls sheet holds ${XLS_MAX_COLUMNS}`,
  (p) => `Dòng ${p.row} của trang "${p.sheet}" có ${p.columns} cột, vượt quá ${XLS_MAX_COLUMNS} cột mà một trang .xls chứa được.`,
);

export const XlsTextTooLong = defineError<{ sheet: string; row: number; column: string; length: number }>(
  'XLS_TEXT_TOO_LONG',
  'validation',
  (p) => `cell ${p.column}${p.row} of sheet ${p.sheet} has ${p.length} characters; Excel holds ${XLS_MAX_TEXT_LENGTH}`,
  (p) =>
    `Ô ${p.column}${p.row} của trang "${p.sheet}" dài ${p.length.toLocaleString('vi-VN')} ký tự, vượt quá ${XLS_MAX_TEXT_LENGTH.toLocaleString('vi-VN')} ký tự mà một ô Excel chứa được; nội dung không bị cắt, dòng này cần xử lý riêng.`,
);

export const XlsNumberNotFinite = defineError<{ sheet: string; row: number; column: string }>(
  'XLS_NUMBER_NOT_FINITE',
  'internal',
  (p) => `cell ${p.column}${p.row} of sheet ${p.sheet} is NaN or infinite`,
  (p) => `Ô ${p.column}${p.row} của trang "${p.sheet}" không phải là một số hữu hạn.`,
);

export const XlsSheetNameInvalid = defineError<{ sheet: string }>(
  'XLS_SHEET_NAME_INVALID',
  'validation',
  (p) => `"${p.sheet}" is not a valid sheet name (1–${MAX_SHEET_NAME} characters, none of : \\ / ? * [ ], not starting or ending with ')`,
  (p) => `Tên trang "${p.sheet}" không hợp lệ: cần 1–${MAX_SHEET_NAME} ký tự, không chứa : \\ / ? * [ ] và không bắt đầu hay kết thúc bằng dấu '.`,
);

export const XlsWriterFinished = defineError<{ sheet: string }>(
  'XLS_WRITER_FINISHED',
  'internal',
  (p) => `the .xls writer of sheet ${p.sheet} was already finished`,
  (p) => `Tệp .xls của trang "${p.sheet}" đã được ghi xong, không thể thêm dòng.`,
);

/** "A", …, "Z", "AA", …: column names as a user sees them in messages. */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export interface XlsSheetOptions {
  sheetName: string;
  /** Written as the first row, bold and frozen in view. */
  header?: readonly string[];
  /**
   * Where the writer keeps its bytes until `finish` (a file prefix; two files are made and
   * removed): for many writers open at once. Also bounds how many distinct texts it shares.
   */
  spillTo?: string;
}

/** Distinct texts a spilling writer remembers (see SharedStringTable). */
const SPILL_DEDUP_LIMIT = 256;

export class XlsSheetWriter {
  readonly sheetName: string;
  private readonly cells: ByteSink;
  private readonly sstBytes: ByteSink;
  private readonly sst: SharedStringTable;
  private readonly widths: number[] = [];
  private readonly hasHeader: boolean;
  private rows = 0;
  private columns = 0;
  private finished = false;

  constructor(options: XlsSheetOptions) {
    const name = options.sheetName;
    if (name.length < 1 || name.length > MAX_SHEET_NAME || /[:\\/?*[\]]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw XlsSheetNameInvalid({ sheet: name });
    }
    this.sheetName = name;
    this.cells = new ByteSink(options.spillTo && `${options.spillTo}.cells`);
    this.sstBytes = new ByteSink(options.spillTo && `${options.spillTo}.sst`);
    this.sst = new SharedStringTable(this.sstBytes, options.spillTo ? SPILL_DEDUP_LIMIT : Infinity);
    this.hasHeader = options.header !== undefined;
    if (options.header) this.write(options.header, XF_HEADER);
  }

  /** Rows written so far, header included. */
  get rowCount(): number {
    return this.rows;
  }

  /** Data rows that still fit in this sheet; the caller starts the next file at 0. */
  get remainingRows(): number {
    return XLS_MAX_ROWS - this.rows;
  }

  /**
   * Appends a row: text as text (never a formula), numbers as numbers, null/undefined/'' as
   * an empty cell. The whole row is checked before any of it is written, so a refused row
   * leaves the sheet as it was.
   */
  addRow(values: readonly XlsCell[]): void {
    this.write(values, XF_TEXT);
  }

  private write(values: readonly XlsCell[], textFormat: number): void {
    if (this.finished) throw XlsWriterFinished({ sheet: this.sheetName });
    if (this.rows >= XLS_MAX_ROWS) throw XlsSheetFull({ sheet: this.sheetName, maxRows: XLS_MAX_ROWS });
    const row = this.rows;
    if (values.length > XLS_MAX_COLUMNS) throw XlsTooManyColumns({ sheet: this.sheetName, row: row + 1, columns: values.length });
    for (let c = 0; c < values.length; c++) {
      const v = values[c];
      if (typeof v === 'string' && v.length > XLS_MAX_TEXT_LENGTH) {
        throw XlsTextTooLong({ sheet: this.sheetName, row: row + 1, column: columnLetter(c), length: v.length });
      }
      if (typeof v === 'number' && !Number.isFinite(v)) throw XlsNumberNotFinite({ sheet: this.sheetName, row: row + 1, column: columnLetter(c) });
    }
    const widths = this.widths;
    for (let c = 0; c < values.length; c++) {
      const v = values[c];
      let width: number;
      if (typeof v === 'string') {
        if (v === '') continue;
        writeLabelSst(this.cells, row, c, textFormat, this.sst.idOf(v));
        width = v.length;
      } else if (typeof v === 'number') {
        writeNumber(this.cells, row, c, XF_GENERAL, v);
        width = 11;
      } else {
        continue;
      }
      if (c >= this.columns) this.columns = c + 1;
      if (!(widths[c]! >= width)) widths[c] = width;
    }
    this.rows++;
  }

  /** The .xls file's bytes. The writer cannot be used afterwards. */
  finish(): Buffer {
    if (this.finished) throw XlsWriterFinished({ sheet: this.sheetName });
    this.finished = true;
    this.sst.close();

    const layout: SheetLayout = {
      rows: this.rows,
      columns: this.columns,
      widths: Array.from({ length: this.columns }, (_, c) => Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, (this.widths[c] ?? 0) + 2))),
      freezeFirstRow: this.hasHeader,
    };
    const globalsHead = new ByteSink();
    writeGlobalsHead(globalsHead);
    const sheetHead = new ByteSink();
    writeSheetHead(sheetHead, layout);
    const sheetTail = new ByteSink();
    writeSheetTail(sheetTail, layout);

    const sstAt = globalsHead.length + boundSheetLength(this.sheetName);
    const sheetAt = sstAt + this.sst.byteLength + 4;
    const boundSheet = new ByteSink();
    writeBoundSheet(boundSheet, this.sheetName, sheetAt);
    const eof = new ByteSink();
    writeEof(eof);

    const stream = Buffer.allocUnsafe(sheetAt + sheetHead.length + this.cells.length + sheetTail.length);
    let at = globalsHead.copyTo(stream, 0);
    at = boundSheet.copyTo(stream, at);
    at = this.sstBytes.copyTo(stream, at);
    this.sst.patch(stream, sstAt);
    at = eof.copyTo(stream, at);
    at = sheetHead.copyTo(stream, at);
    at = this.cells.copyTo(stream, at);
    at = sheetTail.copyTo(stream, at);
    if (at !== stream.length) throw new Error(`BIFF8 stream layout: wrote ${at} of ${stream.length} bytes`);

    this.cells.discard();
    this.sstBytes.discard();
    const container = CFB.utils.cfb_new();
    CFB.utils.cfb_add(container, 'Workbook', stream);
    return CFB.write(container, { type: 'buffer', fileType: 'cfb' }) as Buffer;
  }
}

/** One sheet from a header and rows, in one call. */
export function writeXls(sheetName: string, header: readonly string[], rows: Iterable<readonly XlsCell[]>): Buffer {
  const writer = new XlsSheetWriter({ sheetName, header });
  for (const row of rows) writer.addRow(row);
  return writer.finish();
}

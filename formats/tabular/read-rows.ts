/**
 * The rows of an incoming export, whatever it came as: .xlsx (streamed), .csv (UTF-8, with or
 * without BOM; streamed), .xls (BIFF8, read whole: a legacy sheet holds at most 65,536 rows),
 * or a .zip holding those (a .csv member streamed from the zip as it inflates; an .xlsx or
 * .xls member, which is read by random access, extracted to a temporary folder, read, and removed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline as pipe, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import type yauzl from 'yauzl';
import { defineError, isAppError } from '../../domain/errors';
import { excelErrorText, readXlsRowBatches, XlsCorrupt, XlsNotBiff8 } from '../xls/xls-reader';
import { DAYS_1900_TO_1904, isDateFormatCode } from '../xlsx/date-formats';
import { openEntryStream, openZipFile, zipMembers } from '../zip/zip-members';
import { ZipCorrupt } from '../zip/safe-zip-reader';
import { packXlsxRows, type SheetCell, type SheetRow } from '../xlsx/streaming-xlsx-reader';
import { CsvRowScanner } from './csv-rows';
import { RowPacker, unpackRows, type PackedRows } from './packed-rows';

export type { SheetCell, SheetRow };

export const InputFormatUnsupported = defineError<{ file: string }>(
  'INPUT_FORMAT_UNSUPPORTED',
  'validation',
  (p) => `${p.file}: only .xlsx, .xls, .csv and .zip files holding those are accepted`,
  (p) => `Tệp ${p.file} không được hỗ trợ: chỉ nhận .xlsx, .xls, .csv hoặc tệp .zip chứa các tệp đó.`,
);

export const TABULAR_EXTENSIONS = ['.xlsx', '.xls', '.csv'] as const;

/** Bytes of a CSV read or inflated at a time (see `openCsvMember`). */
const CSV_PIECE = 64 << 10;

/**
 * Rows of a CSV (bytes from a file or a zip member), packed as each piece of it arrives; yields
 * after each piece, for the caller to take them.
 */
async function* packCsvRows(input: Readable, sheet: string, packer: RowPacker): AsyncGenerator<undefined> {
  const scanner = new CsvRowScanner(packer, sheet);
  try {
    for await (const chunk of input) {
      scanner.push(chunk as Buffer);
      yield undefined;
    }
    scanner.end();
    yield undefined;
  } finally {
    input.destroy();
  }
}

/** A legacy sheet is read whole; its rows are handed over in batches of this many. */
const XLS_BATCH = 1000;

/**
 * BIFF8 workbooks go through our own record reader (SheetJS's cost per row grows with the
 * file); what is not BIFF8 under a .xls name (an .xlsx, HTML or text saved so, an Excel 95
 * book) is known before any row is handed over and is read by SheetJS as before.
 */
async function* readXlsBatches(file: string): AsyncGenerator<SheetRow[]> {
  try {
    yield* readXlsRowBatches(file);
  } catch (e) {
    if (!(isAppError(e) && e.code === XlsNotBiff8.code)) throw e;
    yield* readOtherXlsBatches(file);
  }
}

/**
 * Cells as SheetJS reads them, where Excel shows them (sheet_to_json would start at the sheet's
 * used range: a sheet starting at C3 came out at A1, its rows numbered from there), error
 * values as their text and the numbers of a 1904 workbook's date formats in the 1900 system,
 * as our own readers give them.
 */
async function* readOtherXlsBatches(file: string): AsyncGenerator<SheetRow[]> {
  const name = path.basename(file);
  const bytes = await fs.promises.readFile(file);
  // SheetJS reads any bytes as some kind of sheet: a PDF or a damaged file came out as thousands of rows of garbage.
  if (!isOtherWorkbook(bytes)) throw XlsCorrupt({ file: name, reason: 'neither BIFF8 nor another workbook format SheetJS reads (its bytes are not text)' });
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { type: 'buffer', raw: true, cellDates: false, cellNF: true, dense: true });
  } catch (e) {
    throw XlsCorrupt({ file: name, reason: `SheetJS cannot read it: ${e instanceof Error ? e.message : String(e)}` }, { cause: e });
  }
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  for (const sheet of workbook.SheetNames) {
    const data = (workbook.Sheets[sheet]!['!data'] ?? []) as Array<Array<XLSX.CellObject | undefined> | undefined>;
    for (let i = 0; i < data.length; i += XLS_BATCH) {
      // Array.from, not map: the rows SheetJS holds none of are holes in its array.
      yield Array.from(data.slice(i, i + XLS_BATCH), (row, j) => {
        const cells: SheetCell[] = [];
        row?.forEach((cell, c) => {
          const value = otherXlsCell(cell, date1904, name);
          if (value === null) return;
          while (cells.length < c) cells.push(null);
          cells[c] = value;
        });
        return { sheet, row: i + j + 1, cells };
      });
    }
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CFB_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

/**
 * What else people save under an .xls name and Excel opens: an .xlsx or .ods (a zip), an Excel
 * 5/95 book (a compound file), or text (HTML, a table as text, UTF-16 "Unicode text"), whose
 * first 64 KiB hold no NUL and no control character but tab, line breaks, form feed and escape.
 */
function isOtherWorkbook(bytes: Buffer): boolean {
  const starts = (magic: Buffer) => bytes.subarray(0, magic.length).equals(magic);
  if (starts(ZIP_MAGIC) || starts(CFB_MAGIC) || UTF16_BOMS.some(starts)) return true;
  const head = bytes.subarray(0, 64 << 10);
  return head.length > 0 && !head.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b);
}

function otherXlsCell(cell: XLSX.CellObject | undefined, date1904: boolean, file: string): SheetCell {
  if (!cell || cell.v === undefined || cell.v === null) return null;
  if (cell.t === 'e') {
    const text = cell.w ?? excelErrorText(cell.v as number);
    if (text === undefined) throw XlsCorrupt({ file, reason: `a cell holds an error value Excel does not have (${String(cell.v)})` });
    return text;
  }
  if (cell.t === 'n' && date1904 && typeof cell.z === 'string' && isDateFormatCode(cell.z)) return (cell.v as number) + DAYS_1900_TO_1904;
  return cell.v instanceof Date ? cell.v.toISOString() : cell.v;
}

/**
 * A deflated CSV member is inflated here in pieces of 64 KB, not yauzl's 16 KB: every piece is
 * one more round of stream callbacks and one more batch for the reader thread to post (measured
 * with the string reader before csv-rows.ts, the split of 1,000,000 CSV rows went from
 * 28,700–33,800 rows/s to 31,100–37,800). A piece is also what the main thread decodes as one
 * string: far larger ones go straight to the old generation. The member's size is checked
 * against the zip's directory, as yauzl does.
 */
async function openCsvMember(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  if (entry.compressionMethod !== 8) return openEntryStream(zip, entry);
  const raw = await openEntryStream(zip, entry, { decompress: false });
  const declared = entry.uncompressedSize;
  let inflated = 0;
  const mismatch = () => new Error(`${entry.fileName}: ${inflated} bytes inflated, the zip declares ${declared}`);
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      done(inflated > declared ? mismatch() : null, chunk);
    },
    flush(done) {
      done(inflated === declared ? null : mismatch());
    },
  });
  // A failure anywhere ends `counted` with it, where the CSV reader sees it.
  pipe(raw, zlib.createInflateRaw({ chunkSize: CSV_PIECE }), counted, () => undefined);
  return counted;
}

async function* readZipBatches(zipFile: string, packer: RowPacker): RowSource {
  // A package is inspected before it is read (activities/receive): what fails here anyway, a name yauzl refuses, a cut directory, is a damaged zip.
  const unreadable = (e: unknown) => (isAppError(e) ? e : ZipCorrupt({ name: path.basename(zipFile) }, { cause: e }));
  const zip = await openZipFile(zipFile).catch((e: unknown) => Promise.reject(unreadable(e)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-zip-'));
  try {
    let members = 0;
    for (const entry of await zipMembers(zip).catch((e: unknown) => Promise.reject(unreadable(e)))) {
      const ext = path.extname(entry.fileName).toLowerCase();
      if (entry.fileName.endsWith('/') || !(TABULAR_EXTENSIONS as readonly string[]).includes(ext)) continue;
      // Members are named by their place and base name (the sheet name of a .csv): the zip's own paths are not trusted.
      const name = `${String(members++).padStart(4, '0')}-${path.basename(entry.fileName).replace(/[^\p{L}\p{N}._ -]/gu, '_')}`;
      if (ext === '.csv') {
        // Streamed: writing the text out and reading it back took longer than parsing it.
        yield* packCsvRows(await openCsvMember(zip, entry), path.basename(name, path.extname(name)), packer);
        continue;
      }
      const target = path.join(dir, name);
      await pipeline(await openEntryStream(zip, entry), fs.createWriteStream(target));
      try {
        yield* rowSource(target, packer);
      } finally {
        fs.rmSync(target, { force: true });
      }
    }
  } finally {
    zip.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Batches of rows from the readers that make strings; undefined when the rows went into the
 * packer (the .xlsx and CSV readers pack them from the file's bytes).
 */
type RowSource = AsyncGenerator<SheetRow[] | undefined>;

async function* rowSource(file: string, packer: RowPacker): RowSource {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') yield* packXlsxRows(file, packer);
  else if (ext === '.csv') yield* packCsvRows(fs.createReadStream(file, { highWaterMark: CSV_PIECE }), path.basename(file, path.extname(file)), packer);
  else if (ext === '.xls') yield* readXlsBatches(file);
  else if (ext === '.zip') yield* readZipBatches(file, packer);
  else throw InputFormatUnsupported({ file: path.basename(file) });
}

/**
 * Every row of every sheet (a .csv is one sheet named after the file), in order, a batch at a
 * time: readers that parse many rows at once hand them over together, which spares the
 * caller an await per row.
 */
export async function* readRowBatches(file: string): AsyncGenerator<SheetRow[]> {
  const packer = new RowPacker();
  for await (const rows of rowSource(file, packer)) {
    if (rows) yield rows;
    else if (packer.pendingRows) yield unpackRows(packer.take());
  }
}

/** The same rows packed, about `batchRows` at a time: what a reader thread posts. */
export async function* readPackedRows(file: string, batchRows: number): AsyncGenerator<PackedRows> {
  const packer = new RowPacker();
  for await (const rows of rowSource(file, packer)) {
    if (rows) packer.addRows(rows);
    if (packer.pendingRows >= batchRows) yield packer.take();
  }
  if (packer.pendingRows) yield packer.take();
}

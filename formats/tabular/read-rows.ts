/**
 * The rows of an incoming export, whatever it came as: .xlsx (streamed), .csv (UTF-8, with or
 * without BOM; streamed), .xls (BIFF8, read whole: a legacy sheet holds at most 65,536 rows),
 * or a .zip holding those (each member extracted to a temporary folder, read, and removed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import * as XLSX from '@e965/xlsx';
import yauzl from 'yauzl';
import { defineError } from '../../domain/errors';
import { readXlsxRowBatches, type SheetCell, type SheetRow } from '../xlsx/streaming-xlsx-reader';

export type { SheetCell, SheetRow };

export const InputFormatUnsupported = defineError<{ file: string }>(
  'INPUT_FORMAT_UNSUPPORTED',
  'validation',
  (p) => `${p.file}: only .xlsx, .xls, .csv and .zip files holding those are accepted`,
  (p) => `Tệp ${p.file} không được hỗ trợ: chỉ nhận .xlsx, .xls, .csv hoặc tệp .zip chứa các tệp đó.`,
);

export const TABULAR_EXTENSIONS = ['.xlsx', '.xls', '.csv'] as const;

const READ_AHEAD = 2;

/** Rows of a CSV a chunk at a time: papaparse parses each ~1 MB of text in one call, and the file waits while a batch is used. */
async function* readCsvBatches(file: string): AsyncGenerator<SheetRow[]> {
  const sheet = path.basename(file, path.extname(file));
  // Decoding here (not in papaparse) keeps a character split across two chunks whole.
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const batches: string[][][] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  Papa.parse<string[]>(input as unknown as File, {
    skipEmptyLines: false,
    chunk: (results) => {
      batches.push(results.data);
      // One batch in hand and one read ahead: reading overlaps with the caller's work, and
      // the file stops flowing (papaparse would queue the rest of it in memory) until a batch is used.
      if (batches.length >= READ_AHEAD) input.pause();
      notify();
    },
    complete: () => {
      finished = true;
      notify();
    },
    error: (e) => {
      failure = e;
      notify();
    },
  });
  let row = 0;
  try {
    for (;;) {
      const data = batches.shift();
      if (data) {
        const rows: SheetRow[] = new Array(data.length);
        for (let i = 0; i < data.length; i++) {
          row++;
          const fields = data[i]!;
          const cells: SheetCell[] = new Array(fields.length);
          for (let j = 0; j < fields.length; j++) cells[j] = fields[j] === '' ? null : fields[j]!;
          // The BOM that marks UTF-8 for Excel is not part of the first header.
          if (row === 1 && typeof cells[0] === 'string') cells[0] = cells[0].replace(/^\uFEFF/, '');
          if (cells.length === 1 && cells[0] === null) cells.length = 0;
          rows[i] = { sheet, row, cells };
        }
        yield rows;
        if (batches.length < READ_AHEAD && input.isPaused()) input.resume();
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    input.destroy();
  }
}

/** A legacy sheet is read whole; its rows are handed over in batches of this many. */
const XLS_BATCH = 1000;

async function* readXlsBatches(file: string): AsyncGenerator<SheetRow[]> {
  const workbook = XLSX.readFile(file, { raw: true, cellDates: false, dense: true });
  for (const sheet of workbook.SheetNames) {
    const rows = XLSX.utils.sheet_to_json<SheetCell[]>(workbook.Sheets[sheet]!, { header: 1, raw: true, defval: null, blankrows: true });
    for (let i = 0; i < rows.length; i += XLS_BATCH) yield rows.slice(i, i + XLS_BATCH).map((cells, j) => ({ sheet, row: i + j + 1, cells }));
  }
}

async function extractMembers(zipFile: string, into: string): Promise<string[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zipFile, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))));
  const files: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const ext = path.extname(entry.fileName).toLowerCase();
      if (entry.fileName.endsWith('/') || !(TABULAR_EXTENSIONS as readonly string[]).includes(ext)) return zip.readEntry();
      // Members are written under a numbered name: the zip's own paths are not trusted.
      const target = path.join(into, `${String(files.length).padStart(4, '0')}-${path.basename(entry.fileName).replace(/[^\p{L}\p{N}._ -]/gu, '_')}`);
      files.push(target);
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        pipeline(stream, fs.createWriteStream(target)).then(() => zip.readEntry(), reject);
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}

/**
 * Every row of every sheet (a .csv is one sheet named after the file), in order, a batch at a
 * time: readers that parse many rows at once hand them over together, which spares the
 * caller an await per row.
 */
export async function* readRowBatches(file: string): AsyncGenerator<SheetRow[]> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') yield* readXlsxRowBatches(file);
  else if (ext === '.csv') yield* readCsvBatches(file);
  else if (ext === '.xls') yield* readXlsBatches(file);
  else if (ext === '.zip') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-zip-'));
    try {
      for (const member of await extractMembers(file, dir)) yield* readRowBatches(member);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else throw InputFormatUnsupported({ file: path.basename(file) });
}

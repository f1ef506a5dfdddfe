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
import { readXlsxRows, type SheetCell, type SheetRow } from '../xlsx/streaming-xlsx-reader';

export type { SheetCell, SheetRow };

export const InputFormatUnsupported = defineError<{ file: string }>(
  'INPUT_FORMAT_UNSUPPORTED',
  'validation',
  (p) => `${p.file}: only .xlsx, .xls, .csv and .zip files holding those are accepted`,
  (p) => `Tệp ${p.file} không được hỗ trợ: chỉ nhận .xlsx, .xls, .csv hoặc tệp .zip chứa các tệp đó.`,
);

export const TABULAR_EXTENSIONS = ['.xlsx', '.xls', '.csv'] as const;

async function* readCsvRows(file: string): AsyncGenerator<SheetRow> {
  const sheet = path.basename(file, path.extname(file));
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: false });
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const piping = pipeline(input, parser);
  let row = 0;
  for await (const fields of parser as AsyncIterable<string[]>) {
    row++;
    const cells: SheetCell[] = fields.map((f) => (f === '' ? null : f));
    // The BOM that marks UTF-8 for Excel is not part of the first header.
    if (row === 1 && typeof cells[0] === 'string') cells[0] = cells[0].replace(/^\uFEFF/, '');
    if (cells.length === 1 && cells[0] === null) cells.length = 0;
    yield { sheet, row, cells };
  }
  await piping;
}

async function* readXlsRows(file: string): AsyncGenerator<SheetRow> {
  const workbook = XLSX.readFile(file, { raw: true, cellDates: false, dense: true });
  for (const sheet of workbook.SheetNames) {
    const rows = XLSX.utils.sheet_to_json<SheetCell[]>(workbook.Sheets[sheet]!, { header: 1, raw: true, defval: null, blankrows: true });
    for (const [i, cells] of rows.entries()) yield { sheet, row: i + 1, cells };
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

/** Every row of every sheet (a .csv is one sheet named after the file), in order. */
export async function* readRows(file: string): AsyncGenerator<SheetRow> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') yield* readXlsxRows(file);
  else if (ext === '.csv') yield* readCsvRows(file);
  else if (ext === '.xls') yield* readXlsRows(file);
  else if (ext === '.zip') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-zip-'));
    try {
      for (const member of await extractMembers(file, dir)) yield* readRows(member);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else throw InputFormatUnsupported({ file: path.basename(file) });
}

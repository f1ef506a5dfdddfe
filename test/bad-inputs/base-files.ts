/**
 * The valid files the bad inputs are made from: a small C06 export written by our own generator
 * (cli/gen) as .xlsx, .xls and .csv, the same rows written by SheetJS and exceljs (writers we
 * did not write), a scanned page, a decisions table, and the exceptions workbook of splitting
 * that export. Same seed, same bytes: the corpus is the same on every machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { generateExport } from '../../cli/gen/generate';
import { EXCEPTIONS_FILE, splitExport } from '../../activities/split/split-export';
import { unitCatalog } from '../../domain/units/catalog';
import { minimalPdf } from '../../formats/pdf/minimal-pdf';
import { createRandom } from '../../domain/synthetic/random';

export interface BaseFiles {
  /** The export as the generator writes it (one sheet per register type): the package a run of the corpus test receives. */
  packageXlsx: Buffer;
  packageName: string;
  /** Its birth register as one legacy .xls and as one CSV (UTF-8 with BOM), as the generator writes them. */
  ksXls: Buffer;
  ksCsv: Buffer;
  /** The birth register's rows as text, its header first. */
  ksRows: string[][];
  /** The same rows written by SheetJS (.xlsx, BIFF8 .xls, BIFF5 .xls, .ods, an HTML table) and by exceljs (.xlsx). */
  sheetjs: { xlsx: Buffer; xls: Buffer; biff5: Buffer; ods: Buffer; html: Buffer };
  exceljsXlsx: Buffer;
  /** A one-page PDF, as a scanner would give (random grey pixels). */
  pdf: Buffer;
  /** The exceptions workbook of splitting `packageXlsx` for province 01. */
  exceptionsXlsx: Buffer;
  /** The former units splitting `packageXlsx` leaves for the coordinator to decide, with their candidate agencies. */
  decisionsNeeded: Array<{ unitCode: string; candidates: string[] }>;
  /** Codes a decision cannot name: a current commune of another province, a commune that no longer exists. */
  otherProvinceCommune: string;
  retiredCommune: string;
}

export const BASE_PROVINCE = '01';
export const BASE_SEED = 2404;
/** Enough rows for every register type to have a sheet and the split to have exceptions; small enough to read in a moment. */
export const BASE_RECORDS = 160;

function sheetjsBook(rows: string[][]): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'KS');
  return wb;
}

const sheetjsWrite = (wb: XLSX.WorkBook, bookType: XLSX.BookType): Buffer => Buffer.from(XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer);

async function exceljsXlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('KS');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function makeBaseFiles(): Promise<BaseFiles> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-bad-inputs-'));
  try {
    const gen = (format: string) => generateExport({ provinceCode: BASE_PROVINCE, records: BASE_RECORDS, seed: BASE_SEED, out: path.join(dir, format), format });
    const xlsx = await gen('xlsx');
    const xls = await gen('xls');
    const csv = await gen('csv');
    const file = (format: string, files: string[], suffix: string) => fs.readFileSync(path.join(dir, format, files.find((f) => f.endsWith(suffix))!));
    const packageXlsx = file('xlsx', xlsx.files, '.xlsx');
    const ksCsv = file('csv', csv.files, '-KS.csv');
    const ksRows = (XLSX.utils.sheet_to_json(XLSX.read(packageXlsx, { type: 'buffer', raw: true }).Sheets.KS!, { header: 1, raw: false, defval: '' }) as string[][]).map((r) => r.map(String));

    const split = path.join(dir, 'split');
    const packageFile = path.join(dir, 'xlsx', xlsx.files[0]!);
    const manifest = await splitExport({ provinceCode: BASE_PROVINCE, input: packageFile, outDir: split });

    const wb = sheetjsBook(ksRows);
    const random = createRandom(BASE_SEED);
    const pixels = Buffer.from(Array.from({ length: 64 * 64 }, () => random.int(0, 255)));
    return {
      packageXlsx,
      packageName: path.basename(packageFile),
      ksXls: file('xls', xls.files, '-KS.xls'),
      ksCsv,
      ksRows,
      sheetjs: { xlsx: sheetjsWrite(wb, 'xlsx'), xls: sheetjsWrite(wb, 'xls'), biff5: sheetjsWrite(wb, 'biff5'), ods: sheetjsWrite(wb, 'ods'), html: sheetjsWrite(wb, 'html') },
      exceljsXlsx: await exceljsXlsx(ksRows),
      pdf: minimalPdf(pixels, 64),
      exceptionsXlsx: fs.readFileSync(path.join(split, EXCEPTIONS_FILE)),
      decisionsNeeded: manifest.decisionsNeeded.map((d) => ({ unitCode: d.unitCode, candidates: d.candidates.map((c) => c.code) })),
      otherProvinceCommune: unitCatalog().communes2025Of('79')[0]!.code,
      retiredCommune: unitCatalog().legacyUnitsOf(BASE_PROVINCE).communes.find((c) => !unitCatalog().commune('2025', c.code))!.code,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

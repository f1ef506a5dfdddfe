/**
 * Streaming writers of a synthetic export, one sheet (xlsx) or one file (csv, xls) per
 * register type, rows appended as they are generated. Bytes are the same for the same rows,
 * so a seed reproduces a file exactly. An .xls sheet holds 65,535 rows under its header: a
 * type with more continues in "<name> (2).xls", as the split's output does.
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { defineError } from '../../domain/errors';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { createStreamingXlsxWriter } from '../../formats/xlsx/streaming-xlsx-writer';
import { XlsSheetWriter } from '../../formats/xls/xls-sheet-writer';

export const GenFormatUnsupported = defineError<{ format: string }>(
  'GEN_FORMAT_UNSUPPORTED',
  'validation',
  (p) => `format ${p.format} is not supported by the generator (xlsx, xls, csv)`,
  (p) => `Định dạng ${p.format} không được hỗ trợ khi sinh dữ liệu (dùng xlsx, xls hoặc csv).`,
);

export const EXPORT_FORMATS = ['xlsx', 'xls', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportCell = string | number | null;

export interface ExportWriter {
  /** A new sheet: rows above the header (a title), then the header. */
  startType(type: RegisterTypeCode, preamble: readonly ExportCell[][], header: readonly string[]): Promise<void>;
  write(cells: readonly ExportCell[]): Promise<void>;
  /** Resolves when buffered output has been handed on, so memory stays flat. */
  drain(): Promise<void>;
  close(): Promise<string[]>;
}

export function createExportWriter(format: string, dir: string, baseName: string): ExportWriter {
  fs.mkdirSync(dir, { recursive: true });
  if (format === 'xlsx') return xlsxWriter(path.join(dir, `${baseName}.xlsx`));
  if (format === 'csv') return csvWriter(dir, baseName);
  if (format === 'xls') return xlsWriter(dir, baseName);
  throw GenFormatUnsupported({ format });
}

function xlsxWriter(file: string): ExportWriter {
  const xlsx = createStreamingXlsxWriter(file);
  return {
    async startType(type, preamble, header) {
      xlsx.addSheet(type, [...preamble, header]);
    },
    async write(cells) {
      xlsx.addRow(cells);
    },
    drain: () => xlsx.drain(),
    async close() {
      await xlsx.close();
      return [file];
    },
  };
}

function csvWriter(dir: string, baseName: string): ExportWriter {
  const files: string[] = [];
  let out: fs.WriteStream | undefined;
  const finish = () => new Promise<void>((resolve, reject) => (out ? out.end((e?: Error | null) => (e ? reject(e) : resolve())) : resolve()));
  const line = (row: readonly ExportCell[]) => `${Papa.unparse([row.map((c) => c ?? '')], { newline: '\r\n' })}\r\n`;
  return {
    async startType(type, preamble, header) {
      await finish();
      const file = path.join(dir, `${baseName}-${type}.csv`);
      files.push(file);
      out = fs.createWriteStream(file);
      // A BOM, so Excel opens Vietnamese UTF-8 correctly.
      out.write(`\uFEFF${[...preamble, header].map(line).join('')}`);
    },
    async write(cells) {
      out!.write(line(cells));
    },
    drain: () => (out?.writableNeedDrain ? new Promise((resolve) => out!.once('drain', () => resolve())) : Promise.resolve()),
    async close() {
      await finish();
      return files;
    },
  };
}

function xlsWriter(dir: string, baseName: string): ExportWriter {
  const files: string[] = [];
  let sheet: { writer: XlsSheetWriter; type: RegisterTypeCode; part: number; preamble: readonly ExportCell[][]; header: readonly string[] } | undefined;
  const flush = async () => {
    if (!sheet) return;
    const file = path.join(dir, `${baseName}-${sheet.type}${sheet.part > 1 ? ` (${sheet.part})` : ''}.xls`);
    await fs.promises.writeFile(file, sheet.writer.finish());
    files.push(file);
  };
  const open = (type: RegisterTypeCode, part: number, preamble: readonly ExportCell[][], header: readonly string[]) => {
    const writer = new XlsSheetWriter({ sheetName: type });
    for (const row of preamble) writer.addRow(row);
    writer.addRow(header);
    sheet = { writer, type, part, preamble, header };
  };
  return {
    async startType(type, preamble, header) {
      await flush();
      open(type, 1, preamble, header);
    },
    async write(cells) {
      if (sheet!.writer.remainingRows === 0) {
        await flush();
        open(sheet!.type, sheet!.part + 1, sheet!.preamble, sheet!.header);
      }
      sheet!.writer.addRow(cells);
    },
    drain: async () => {},
    async close() {
      await flush();
      sheet = undefined;
      return files;
    },
  };
}

/**
 * Streaming writers of a synthetic export: one sheet (xlsx) or one file (csv) per register
 * type, rows appended as they are generated. Bytes are the same for the same rows, so a seed
 * reproduces a file exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { defineError } from '../../domain/errors';
import { fieldsOf, type RegisterTypeCode } from '../../domain/registers/register-types';
import { displayValue } from '../../domain/profiles/cell-values';
import type { RecordValues } from '../../domain/registers/validate-record';
import { createStreamingXlsxWriter } from '../../formats/xlsx/streaming-xlsx-writer';

export const GenFormatUnsupported = defineError<{ format: string }>(
  'GEN_FORMAT_UNSUPPORTED',
  'validation',
  (p) => `format ${p.format} is not supported by the generator yet (xlsx, csv)`,
  (p) => `Định dạng ${p.format} chưa được hỗ trợ khi sinh dữ liệu (dùng xlsx hoặc csv).`,
);

export type ExportFormat = 'xlsx' | 'csv';

export interface ExportWriter {
  startType(type: RegisterTypeCode): Promise<void>;
  write(type: RegisterTypeCode, values: RecordValues): void;
  /** Resolves when buffered output has been handed on, so memory stays flat. */
  drain(): Promise<void>;
  close(): Promise<string[]>;
}

function cells(type: RegisterTypeCode, values: RecordValues): string[] {
  return fieldsOf(type).map((f) => displayValue(f, values[f.key]));
}

export function createExportWriter(format: string, dir: string, baseName: string): ExportWriter {
  fs.mkdirSync(dir, { recursive: true });
  if (format === 'xlsx') return xlsxWriter(path.join(dir, `${baseName}.xlsx`));
  if (format === 'csv') return csvWriter(dir, baseName);
  throw GenFormatUnsupported({ format });
}

function xlsxWriter(file: string): ExportWriter {
  const xlsx = createStreamingXlsxWriter(file);
  return {
    async startType(type) {
      xlsx.addSheet(type);
      xlsx.addRow(fieldsOf(type).map((f) => f.labelVi));
    },
    write(type, values) {
      xlsx.addRow(cells(type, values));
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
  const line = (row: string[]) => `${Papa.unparse([row], { newline: '\r\n' })}\r\n`;
  return {
    async startType(type) {
      await finish();
      const file = path.join(dir, `${baseName}-${type}.csv`);
      files.push(file);
      out = fs.createWriteStream(file);
      // A BOM, so Excel opens Vietnamese UTF-8 correctly.
      out.write(`\uFEFF${line(fieldsOf(type).map((f) => f.labelVi))}`);
    },
    write(type, values) {
      out!.write(line(cells(type, values)));
    },
    drain: () => (out?.writableNeedDrain ? new Promise((resolve) => out!.once('drain', () => resolve())) : Promise.resolve()),
    async close() {
      await finish();
      return files;
    },
  };
}

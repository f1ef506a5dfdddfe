/**
 * `hotich gen`: writes a synthetic export of a real province and what a correct split of it
 * must produce (expected.json: rows per agency and type, exceptions by reason;
 * expected-rows.ndjson: each row's placement). Streams: memory does not grow with --records.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateProvinceExport, rowsPerType } from '../../domain/synthetic/province-export';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { createExportWriter } from './export-writers';

export interface GenerateOptions {
  provinceCode: string;
  records: number;
  seed: number | string;
  out: string;
  format: string;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateSummary {
  province: string;
  seed: number | string;
  records: number;
  files: string[];
  rowsPerType: Record<string, number>;
  agencies: Record<string, { name: string; level: string; rows: Partial<Record<RegisterTypeCode, number>> }>;
  exceptions: Record<string, number>;
}

export async function generateExport(opts: GenerateOptions): Promise<GenerateSummary> {
  const exportDir = path.join(opts.out, 'export');
  const writer = createExportWriter(opts.format, exportDir, `${opts.provinceCode}-c06`);
  fs.mkdirSync(opts.out, { recursive: true });
  const rowsOut = fs.createWriteStream(path.join(opts.out, 'expected-rows.ndjson'));
  const summary: GenerateSummary = {
    province: opts.provinceCode,
    seed: opts.seed,
    records: opts.records,
    files: [],
    rowsPerType: Object.fromEntries(rowsPerType(opts.records)),
    agencies: {},
    exceptions: {},
  };
  let currentType: RegisterTypeCode | undefined;
  for (const row of generateProvinceExport(opts)) {
    if (row.type !== currentType) {
      currentType = row.type;
      await writer.startType(row.type);
    }
    writer.write(row.type, row.values);
    let placement: string;
    if ('agency' in row.expected) {
      const a = row.expected.agency;
      const entry = (summary.agencies[a.code] ??= { name: a.name, level: a.level, rows: {} });
      entry.rows[row.type] = (entry.rows[row.type] ?? 0) + 1;
      placement = `"agency":"${a.code}"`;
    } else {
      summary.exceptions[row.expected.exception] = (summary.exceptions[row.expected.exception] ?? 0) + 1;
      placement = `"exception":"${row.expected.exception}"`;
    }
    rowsOut.write(`{"row":${row.rowId},"type":"${row.type}","unit":"${row.registeringUnit.code}",${placement}}\n`);
    if (row.rowId % 1000 === 0) {
      await writer.drain();
      if (rowsOut.writableNeedDrain) await new Promise<void>((resolve) => rowsOut.once('drain', () => resolve()));
      opts.onProgress?.(row.rowId, opts.records);
    }
  }
  summary.files = (await writer.close()).map((f) => path.relative(opts.out, f));
  await new Promise<void>((resolve, reject) => rowsOut.end((e?: Error | null) => (e ? reject(e) : resolve())));
  opts.onProgress?.(opts.records, opts.records);
  fs.writeFileSync(path.join(opts.out, 'expected.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/**
 * The Step 3 import's .xls path: one sheet of 65,535 synthetic birth records × 40 Vietnamese
 * columns (plus the header), written by formats/xls, read back by formats/xls/xls-reader and by
 * SheetJS the way formats/tabular read it before (readFile, then sheet_to_json). Reports rows/s
 * of both against the reader's target (≥ 100,000 rows/s) and their ratio, by the wall clock and
 * by the process's CPU time: on a machine shared with other work, the wall clock also counts the
 * time spent waiting for a core.
 *
 *   npm run bench -- xls-read [--rows 65535] [--province 01]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { displayValue } from '../domain/profiles/cell-values';
import { fieldsOf } from '../domain/registers/register-types';
import { generateProvinceExport } from '../domain/synthetic/province-export';
import { readXlsRowBatches } from '../formats/xls/xls-reader';
import { XlsSheetWriter } from '../formats/xls/xls-sheet-writer';
import type { SheetCell } from '../formats/xlsx/streaming-xlsx-reader';
import { fmt, peakRssMb, seconds } from './support/measure';

const COLUMNS = 40;
const TARGET_ROWS_PER_SECOND = 100_000;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

function writeBirths(file: string, provinceCode: string, count: number): void {
  const fields = fieldsOf('KS').slice(0, COLUMNS);
  const w = new XlsSheetWriter({ sheetName: 'Khai sinh', header: fields.map((f) => f.labelVi) });
  // Births come first in the generated export, so this stops after `count` of them.
  for (const row of generateProvinceExport({ provinceCode, records: Math.ceil(count / 0.5), seed: 'bench-xls-read' })) {
    if (row.type !== 'KS' || w.rowCount > count) break;
    w.addRow(fields.map((f) => (f.type === 'integer' && typeof row.values[f.key] === 'number' ? (row.values[f.key] as number) : displayValue(f, row.values[f.key]) || null)));
  }
  if (w.rowCount <= count) throw new Error(`only ${w.rowCount - 1} births generated`);
  fs.writeFileSync(file, w.finish());
}

export async function run(args: string[]): Promise<void> {
  const count = Number(option(args, 'rows', '65535'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-xls-read-'));
  try {
    const file = path.join(dir, 'KS.xls');
    writeBirths(file, option(args, 'province', '01'), count);
    process.stdout.write(`input: ${count + 1} rows × ${COLUMNS} columns, ${fmt(fs.statSync(file).size / 1e6)} MB .xls written by XlsSheetWriter\n`);

    let t = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    let ourRows = 0;
    let ourCells = 0;
    for await (const batch of readXlsRowBatches(file)) {
      ourRows += batch.length;
      for (const r of batch) ourCells += r.cells.length;
    }
    const ourSeconds = seconds(t);
    const ourCpu = cpuSeconds(cpu);
    const ourPeak = peakRssMb();
    const ourRate = ourRows / ourSeconds;
    process.stdout.write(
      `formats/xls/xls-reader: ${ourRows} rows (${ourCells} cells) in ${fmt(ourSeconds, 3)} s = ${fmt(ourRate, 0)} rows/s (CPU ${fmt(ourCpu, 3)} s = ${fmt(ourRows / ourCpu, 0)} rows per CPU-second), peak RSS ${fmt(ourPeak, 0)} MB — target ≥ ${fmt(TARGET_ROWS_PER_SECOND, 0)} rows/s: ${ourRate >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT MET'}\n`,
    );

    t = process.hrtime.bigint();
    cpu = process.cpuUsage();
    const wb = XLSX.readFile(file, { raw: true, cellDates: false, dense: true });
    let theirRows = 0;
    for (const sheet of wb.SheetNames) theirRows += XLSX.utils.sheet_to_json<SheetCell[]>(wb.Sheets[sheet]!, { header: 1, raw: true, defval: null, blankrows: true }).length;
    const theirSeconds = seconds(t);
    const theirCpu = cpuSeconds(cpu);
    const theirRate = theirRows / theirSeconds;
    process.stdout.write(
      `SheetJS readFile + sheet_to_json: ${theirRows} rows in ${fmt(theirSeconds, 3)} s = ${fmt(theirRate, 0)} rows/s (CPU ${fmt(theirCpu, 3)} s = ${fmt(theirRows / theirCpu, 0)} rows per CPU-second), peak RSS ${fmt(peakRssMb(), 0)} MB (after both)\n`,
    );
    process.stdout.write(`ratio: ${fmt(ourRate / theirRate, 1)}× the rows/s of SheetJS by the wall clock, ${fmt(theirCpu / ourCpu, 1)}× by CPU time; load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

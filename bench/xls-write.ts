/**
 * The split's hot path: one .xls sheet of 65,535 synthetic birth records × 20 Vietnamese
 * columns (plus the header), written by formats/xls. Reports seconds and peak RSS against the
 * target (< 3 s, < 300 MB), then SheetJS's BIFF8 writer on a smaller sample for the ratio.
 *
 *   npm run bench -- xls-write [--rows 65535] [--sample 5000] [--province 01]
 */
import * as XLSX from '@e965/xlsx';
import { displayValue } from '../domain/profiles/cell-values';
import { fieldsOf } from '../domain/registers/register-types';
import { generateProvinceExport } from '../domain/synthetic/province-export';
import { XlsSheetWriter, type XlsCell } from '../formats/xls/xls-sheet-writer';
import { fmt, peakRssMb, rssMb, seconds } from './support/measure';

const COLUMNS = [
  'agencyCode', 'districtCode', 'agencyName', 'districtName', 'provinceName', 'bookYear', 'bookNumber', 'registrationNumber', 'registrationDate', 'signer',
  'signerTitle', 'officer', 'fullName', 'dateOfBirth', 'sex', 'ethnicity', 'placeOfBirth', 'nativePlace', 'motherName', 'fatherName',
];
const TARGET = { seconds: 3, rssMb: 300 };

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

function births(provinceCode: string, count: number): { header: string[]; rows: XlsCell[][] } {
  const fields = COLUMNS.map((key) => {
    const f = fieldsOf('KS').find((x) => x.key === key);
    if (!f) throw new Error(`KS has no field ${key}`);
    return f;
  });
  const rows: XlsCell[][] = [];
  // Births come first in the generated export, so this stops after `count` of them.
  for (const row of generateProvinceExport({ provinceCode, records: Math.ceil(count / 0.5), seed: 'bench-xls' })) {
    if (row.type !== 'KS' || rows.length === count) break;
    rows.push(fields.map((f) => (f.type === 'integer' && typeof row.values[f.key] === 'number' ? (row.values[f.key] as number) : displayValue(f, row.values[f.key]) || null)));
  }
  if (rows.length < count) throw new Error(`only ${rows.length} births generated`);
  return { header: fields.map((f) => f.labelVi), rows };
}

function ours(sheetName: string, header: string[], rows: readonly XlsCell[][]): Buffer {
  const w = new XlsSheetWriter({ sheetName, header });
  for (const r of rows) w.addRow(r);
  return w.finish();
}

function sheetjs(sheetName: string, header: string[], rows: readonly XlsCell[][]): Buffer {
  const ws = XLSX.utils.aoa_to_sheet([header, ...rows.map((r) => r.map((v) => v ?? null))]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, sheetName);
  return XLSX.write(wb, { type: 'buffer', bookType: 'biff8', bookSST: true }) as Buffer;
}

export async function run(args: string[]): Promise<void> {
  const count = Number(option(args, 'rows', '65535'));
  const sample = Number(option(args, 'sample', '5000'));
  const province = option(args, 'province', '01');

  let t = process.hrtime.bigint();
  const { header, rows } = births(province, count);
  const generated = seconds(t);
  const baseline = rssMb();
  const text = rows.reduce((n, r) => n + r.reduce<number>((m, v) => m + (typeof v === 'string' ? v.length : 0), 0), 0);
  process.stdout.write(`input: ${count} rows × ${COLUMNS.length} columns, ${fmt(text / 1e6)} M characters of text, generated in ${fmt(generated)} s; RSS ${fmt(rssMb(), 0)} MB\n`);

  t = process.hrtime.bigint();
  const file = ours('Khai sinh', header, rows);
  const ourSeconds = seconds(t);
  const ourPeak = peakRssMb();
  const pass = ourSeconds < TARGET.seconds && ourPeak < TARGET.rssMb;
  process.stdout.write(
    `formats/xls: ${count + 1} rows in ${fmt(ourSeconds)} s (${fmt(count / ourSeconds, 0)} rows/s), ${fmt(file.length / 1e6)} MB file, peak RSS ${fmt(ourPeak, 0)} MB (${fmt(baseline, 0)} MB before writing) — target < ${TARGET.seconds} s, < ${TARGET.rssMb} MB: ${pass ? 'met' : 'NOT MET'}\n`,
  );

  const part = rows.slice(0, sample);
  t = process.hrtime.bigint();
  ours('Khai sinh', header, part);
  const oursSample = seconds(t);
  t = process.hrtime.bigint();
  const before = rssMb();
  sheetjs('Khai sinh', header, part);
  const theirs = seconds(t);
  process.stdout.write(
    `sample of ${sample} rows: formats/xls ${fmt(oursSample, 3)} s (${fmt(sample / oursSample, 0)} rows/s), SheetJS biff8+SST ${fmt(theirs, 3)} s (${fmt(sample / theirs, 0)} rows/s, RSS ${fmt(before, 0)} → ${fmt(peakRssMb(), 0)} MB peak): ${fmt(theirs / oursSample, 1)}× faster\n`,
  );
  if (!pass) process.exitCode = 1;
}

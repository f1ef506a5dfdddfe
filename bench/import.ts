/**
 * Step 3, Excel: one agency's birth register imported from .xls files (BIFF8, at most 65,535
 * rows each, as the split writes them) into a throwaway embedded PostgreSQL, against the floor
 * measured in the same run: a raw COPY of the same rows into the same table. Targets on our
 * 2-core machine: ≥ 30,000 rows/s and ≥ 0.4× the raw COPY.
 *
 *   npm run bench -- import [--rows 200000]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { copyLines } from './support/floors';
import { createLocalContentStore } from '../activities/files/content-store';
import { runExcelImport } from '../activities/imports/import-excel';
import { displayValue } from '../domain/profiles/cell-values';
import { fieldsOf } from '../domain/registers/register-types';
import type { RecordValues } from '../domain/registers/validate-record';
import { generateProvinceExport } from '../domain/synthetic/province-export';
import type { Unit } from '../domain/units/catalog';
import { createRouter, routingInputOf } from '../domain/units/routing';
import { XlsSheetWriter } from '../formats/xls/xls-sheet-writer';
import { openBenchDatabase } from './support/bench-database';
import { fmt, peakRssMb, seconds } from './support/measure';

const TARGET = { rowsPerSecond: 30_000, ofCopy: 0.4 } as const;
const ROWS_PER_FILE = 65_535;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

/**
 * Generated births, all registered at one legacy ward (numbered per file, so every row is its own
 * record); rows whose date would route them elsewhere are left out, so every row is the agency's.
 */
function writeAgencyFiles(dir: string, rows: number, unit: Unit, agencyCode: string): string[] {
  const fields = fieldsOf('KS');
  const files: string[] = [];
  let writer: XlsSheetWriter | undefined;
  let inFile = 0;
  const flush = () => {
    if (!writer) return;
    const file = path.join(dir, `KS.${files.length + 1}.xls`);
    fs.writeFileSync(file, writer.finish());
    files.push(file);
    writer = undefined;
  };
  let n = 0;
  const route = createRouter();
  for (const row of generateProvinceExport({ provinceCode: '01', records: Math.ceil(rows * 2), seed: 7 })) {
    if (row.type !== 'KS') continue;
    const values: RecordValues = { ...row.values, agencyCode: unit.code, agencyName: unit.name, districtCode: unit.districtCode, districtName: undefined, bookNumber: String(files.length + 1), registrationNumber: String(inFile + 1) };
    const routed = route(routingInputOf(values, unit.provinceCode));
    if (!routed.ok || routed.agency.code !== agencyCode) continue;
    if (n++ === rows) break;
    if (!writer) {
      writer = new XlsSheetWriter({ sheetName: 'KS', header: fields.map((f) => f.labelVi), spillTo: path.join(dir, `spill-${files.length}`) });
      inFile = 0;
    }
    inFile++;
    writer.addRow(fields.map((f) => displayValue(f, values[f.key])));
    if (inFile === ROWS_PER_FILE) flush();
  }
  flush();
  return files;
}

async function countRecords(pool: Pool): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM records')).rows[0]!.n);
}

export async function run(args: string[]): Promise<void> {
  const rows = Number(option(args, 'rows', '200000'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const { pg, pool, unit, agency } = await openBenchDatabase(work);
  try {
    let t = process.hrtime.bigint();
    const files = writeAgencyFiles(work, rows, unit, agency.code);
    process.stdout.write(`input: ${rows} generated birth rows of ${agency.name} in ${files.length} .xls files (≤ ${ROWS_PER_FILE} rows each) in ${fmt(seconds(t), 1)} s\n`);
    const store = createLocalContentStore(path.join(work, 'store'));
    const sources = [];
    for (const f of files) sources.push({ sha256: (await store.put(fs.createReadStream(f))).sha256, name: path.basename(f) });

    t = process.hrtime.bigint();
    let read = 0;
    for (const [i, source] of sources.entries()) {
      const r = await runExcelImport({ pool, store }, { importKey: `bench-${i}`, runId: 'bench-import', agencyCode: agency.code, registerType: 'KS', actor: 'bench', source });
      read += r.counts.read;
      if (r.counts.inserted !== r.counts.read) throw new Error(`bench input must import whole: ${JSON.stringify(r.counts)} ${JSON.stringify(r.rejectedByCode)}`);
    }
    const importSeconds = seconds(t);
    const importPeak = peakRssMb();
    const imported = await countRecords(pool);

    // The floor: the same records, already prepared, COPYed straight into the same (emptied) table.
    const prepared = await pool.query<{ line: string }>(
      `SELECT concat_ws(E'\\t', agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data::text, data_sha256, notes::text) AS line FROM records ORDER BY id`,
    );
    const lines = prepared.rows.map((r) => `${r.line.replace(/\\/g, '\\\\')}\n`);
    await pool.query('TRUNCATE records CASCADE');
    const client = await pool.connect();
    t = process.hrtime.bigint();
    await copyLines(client, 'COPY records (agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data, data_sha256, notes) FROM STDIN', lines);
    const copySeconds = seconds(t);
    client.release();
    const copied = await countRecords(pool);
    await pool.end();

    const rate = read / importSeconds;
    const floor = copied / copySeconds;
    const checksum = createHash('sha256').update(lines.join('')).digest('hex').slice(0, 12);
    process.stdout.write(
      `import: ${read} rows read, ${imported} records in ${fmt(importSeconds, 1)} s = ${fmt(rate, 0)} rows/s, peak RSS ${fmt(importPeak, 0)} MB\n` +
        `floor (raw COPY of the same ${copied} records into the same table, ${checksum}…): ${fmt(copySeconds, 1)} s = ${fmt(floor, 0)} rows/s; import/COPY = ${fmt(rate / floor, 2)}\n` +
        `target: ≥ ${TARGET.rowsPerSecond} rows/s and ≥ ${TARGET.ofCopy}× COPY: ${rate >= TARGET.rowsPerSecond && rate / floor >= TARGET.ofCopy ? 'met' : 'NOT MET'}\n`,
    );
  } finally {
    await pg.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

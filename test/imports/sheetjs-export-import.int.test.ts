/**
 * Issue 20, Step 3: an export no one here wrote, a C06-style sheet written by SheetJS's default
 * writer whose names have leading, trailing and doubled spaces, imported as an official would
 * import it into real PostgreSQL. Every row is counted; every record of the agency holds each
 * name with its spaces collapsed, as the normaliser makes them, none emptied; the rows of
 * other agencies come back in the error workbook with their names as written.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { createLocalContentStore, type ContentStore } from '../../activities/files/content-store';
import { runExcelImport } from '../../activities/imports/import-excel';
import { splitExport } from '../../activities/split/split-export';
import { fieldsOf } from '../../domain/registers/register-types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { scratchDir } from '../support/province-runs';
import { codeOf } from '../support/coded-error';
import { damageName, writeSpacedNamesExport } from '../support/sheetjs-c06-export';

/** A run with no custodian decision: rows of former units stay unplaced, as before any decision. */
const RUN_ID = '01-00000000000000aa';

let db: TestDatabase;
let store: ContentStore;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = scratchDir('sheetjs-import');
  store = createLocalContentStore(path.join(dir, 'store'));
});

afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the spaced names of a SheetJS-written export are imported whole, their spaces collapsed', async () => {
  const file = path.join(dir, 'C06 khai sinh.xlsx');
  const { rows, names, rowsAbove } = writeSpacedNamesExport(file, { provinceCode: '01', records: 1500, seed: 20 });
  // The agencies the export's rows belong to, as the split finds them.
  const manifest = await splitExport({ provinceCode: '01', input: file, outDir: path.join(dir, 'split') });
  for (const a of manifest.agencies) await db.pool.query('INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)', [a.code, a.name, a.level, '01']);
  const agency = manifest.agencies.filter((a) => a.level === 'commune').sort((a, b) => b.rows - a.rows)[0]!;

  const put = await store.put(fs.createReadStream(file));
  const result = await runExcelImport({ pool: db.pool, store }, { importKey: 'sheetjs-spaced-names', runId: RUN_ID, agencyCode: agency.code, registerType: 'KS', actor: 'canbo.test', source: { sha256: put.sha256, name: path.basename(file) } });
  const c = result.counts;
  expect(c.read).toBe(rows.length);
  expect(c.inserted + c.updated + c.unchanged + c.rejected).toBe(c.read);
  expect(c.inserted).toBeGreaterThan(100);
  expect(c.rejected).toBeGreaterThan(100);

  const records = await db.pool.query<{ book_year: number; book_number: string; registration_number: string; data: Record<string, unknown> }>(
    `SELECT book_year, book_number, registration_number, data FROM records WHERE agency_code = $1 AND register_type = 'KS'`,
    [agency.code],
  );
  expect(records.rows).toHaveLength(c.inserted);
  // Book numbers repeat from one agency to the next: a row is its agency's code, year, book and number.
  const key = (...parts: unknown[]) => parts.map((p) => String(p).padStart(5, '0')).join('/');
  const sourceOf = new Map(rows.map((r, i) => [key(r.values.agencyCode, r.values.bookYear, r.values.bookNumber, r.values.registrationNumber), `KS!${rowsAbove + i + 1}`]));
  const wrong: unknown[] = [];
  let checked = 0;
  const imported = new Set<string>();
  for (const record of records.rows) {
    const source = sourceOf.get(key(record.data.agencyCode, record.book_year, record.book_number, record.registration_number));
    if (!source) {
      wrong.push({ notInTheExport: record });
      continue;
    }
    imported.add(source);
    for (const name of names.get(source)!) {
      checked++;
      if (record.data[name.field] !== name.expected) wrong.push({ source, field: name.field, want: name.expected, got: record.data[name.field] });
    }
  }
  expect(wrong).toEqual([]);
  expect(checked).toBeGreaterThan(50);

  // Rows of other agencies are rejected, and the error workbook gives them back as they came.
  const errors = XLSX.readFile(store.localPath(result.errorFile!.sha256));
  const [header, ...rejected] = XLSX.utils.sheet_to_json<unknown[]>(errors.Sheets[errors.SheetNames[0]!]!, { header: 1, defval: null });
  expect(rejected).toHaveLength(c.rejected);
  const fields = fieldsOf('KS');
  const column = (label: string) => header!.indexOf(label);
  let keptAsWritten = 0;
  const label = (key: string) => fields.find((f) => f.key === key)!.labelVi;
  // They come in the order of the export: its rows less those imported.
  const rejectedSources = [...names.keys()].filter((source) => !imported.has(source));
  expect(rejectedSources).toHaveLength(rejected.length);
  rejected.forEach((cells, i) => {
    const source = rejectedSources[i]!;
    const row = rows[Number(source.slice(3)) - rowsAbove - 1]!;
    expect([source, String(cells[column(label('registrationNumber'))])]).toEqual([source, row.values.registrationNumber]);
    for (const name of names.get(source)!) {
      const got = cells[column(label(name.field))];
      if (got !== name.written) wrong.push({ source, field: name.field, want: name.written, got });
      keptAsWritten++;
    }
  });
  expect(wrong).toEqual([]);
  expect(keptAsWritten).toBeGreaterThan(50);
}, 180_000);

test('a cell the reader cannot read exactly fails the import with its code, and no record is written', async () => {
  const file = path.join(dir, 'C06 có ô hỏng.xlsx');
  writeSpacedNamesExport(file, { provinceCode: '01', records: 300, seed: 21 });
  damageName(file, 'R40');
  const before = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records');
  const put = await store.put(fs.createReadStream(file));
  const agency = (await db.pool.query<{ code: string }>(`SELECT code FROM agencies WHERE level = 'commune' ORDER BY code LIMIT 1`)).rows[0]!.code;
  const importing = runExcelImport({ pool: db.pool, store }, { importKey: 'sheetjs-damaged', runId: RUN_ID, agencyCode: agency, registerType: 'KS', actor: 'canbo.test', source: { sha256: put.sha256, name: path.basename(file) } });
  expect(await codeOf(importing)).toBe('XLSX_CELL_UNREADABLE');
  const after = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records');
  expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  const failed = await db.pool.query<{ failure: { code: string; messageVi: string } }>(`SELECT failure FROM imports WHERE import_key = 'sheetjs-damaged'`);
  expect(failed.rows.map((r) => r.failure)).toEqual([expect.objectContaining({ code: 'XLSX_CELL_UNREADABLE', messageVi: expect.stringContaining('ô R40') })]);
}, 60_000);

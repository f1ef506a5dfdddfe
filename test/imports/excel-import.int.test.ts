/**
 * Step 3, Excel: an agency's split files imported into real PostgreSQL. Every row is counted
 * once; the same file again changes nothing; a corrected file makes new versions and keeps the
 * old; approved records are never changed; rejected rows come back as a workbook that imports
 * once fixed.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { createLocalContentStore, type ContentStore } from '../../activities/files/content-store';
import { runExcelImport } from '../../activities/imports/import-excel';
import { splitExport, type SplitAgency, type SplitManifest } from '../../activities/split/split-export';
import { applyDecisions } from '../../activities/split/apply-decisions';
import { createSplitActivities } from '../../activities/split/split-package';
import { dataPaths } from '../../activities/files/data-paths';
import { checkCustodianDecisions } from '../../domain/runs/custodians';
import { unitCatalog } from '../../domain/units/catalog';
import { agencyOf } from '../../domain/units/routing';
import { generateExport } from '../../cli/gen/generate';
import { createStreamingXlsxWriter } from '../../formats/xlsx/streaming-xlsx-writer';
import type { ExcelImportInput } from '../../domain/imports/import-types';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { scratchDir } from '../support/province-runs';
import { codeOf } from '../support/coded-error';

let db: TestDatabase;
let store: ContentStore;
let dir: string;
let manifest: SplitManifest;
let agency: SplitAgency;
let keys = 0;
/** The run the imports belong to: custodian decisions are looked up by it. */
const RUN_ID = '01-00000000000000aa';

const deps = () => ({ pool: db.pool, store });

async function stored(file: string, name = path.basename(file)) {
  const put = await store.put(fs.createReadStream(file));
  return { sha256: put.sha256, name };
}

async function importFile(file: string, opts: Partial<ExcelImportInput> & { name?: string } = {}) {
  return runExcelImport(deps(), {
    importKey: opts.importKey ?? `test-${++keys}`,
    runId: opts.runId ?? RUN_ID,
    agencyCode: opts.agencyCode ?? agency.code,
    registerType: opts.registerType ?? 'KS',
    actor: 'canbo.test',
    source: opts.source ?? (await stored(file, opts.name)),
  });
}

const splitFile = (a: SplitAgency, type: RegisterTypeCode) => path.join(dir, 'split', a.files.find((f) => f.registerType === type)!.path);

function sheetRows(file: string): Array<Array<string | number | null>> {
  const wb = XLSX.readFile(file, { raw: true });
  return XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: true, defval: null });
}

function writeXlsx(file: string, rows: Array<Array<string | number | null>>): string {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'KS');
  XLSX.writeFile(wb, file);
  return file;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = scratchDir('excel-import');
  store = createLocalContentStore(path.join(dir, 'store'));
  const gen = await generateExport({ provinceCode: '01', records: 4000, seed: 61, out: dir, format: 'csv', defects: ['required-missing', 'date-invalid', 'registration-number-duplicate', 'text-tcvn3'] });
  manifest = await splitExport({ provinceCode: '01', input: path.join(dir, gen.files[0]!), outDir: path.join(dir, 'split') });
  for (const a of manifest.agencies) {
    await db.pool.query('INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)', [a.code, a.name, a.level, '01']);
  }
  agency = manifest.agencies.filter((a) => a.level === 'commune' && a.files.some((f) => f.registerType === 'KS')).sort((a, b) => b.rows - a.rows)[0]!;
});

afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('every row of a split file is counted once, defects are rejected with their rule, the same file again changes nothing', async () => {
  const file = splitFile(agency, 'KS');
  const rows = agency.files.find((f) => f.registerType === 'KS')!.rows;
  const first = await importFile(file);
  const c = first.counts;
  expect(c.read).toBe(rows);
  expect(c.inserted + c.updated + c.unchanged + c.rejected).toBe(c.read);
  expect(c.rejected).toBeGreaterThan(0);
  expect(c.inserted).toBe(rows - c.rejected);
  expect(Object.keys(first.rejectedByCode).length).toBeGreaterThan(0);
  const inDb = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM records WHERE agency_code = $1 AND register_type = 'KS'`, [agency.code]);
  expect(Number(inDb.rows[0]!.n)).toBe(c.inserted);
  expect(first.books.reduce((n, b) => n + b.rows, 0)).toBe(c.inserted);

  // The error workbook: the original columns, then what is wrong and its code.
  const errors = sheetRows(store.localPath(first.errorFile!.sha256));
  expect(errors).toHaveLength(c.rejected + 1);
  expect(errors[0]!.slice(-2)).toEqual(['Lỗi', 'Mã lỗi']);
  for (const r of errors.slice(1)) expect(String(r[r.length - 2])).toMatch(/\S/);

  const again = await importFile(file);
  expect(again.counts).toEqual({ read: rows, inserted: 0, updated: 0, unchanged: c.inserted, rejected: c.rejected });
  const total = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM records WHERE agency_code = $1`, [agency.code]);
  expect(Number(total.rows[0]!.n)).toBe(c.inserted);
});

test('a corrected file makes a new version and keeps the old; an approved record is never changed by an import', async () => {
  const original = sheetRows(splitFile(agency, 'KS'));
  const header = original[0]!;
  const nameCol = header.indexOf('Họ và tên');
  const numberCol = header.indexOf('Số đăng ký');
  const records = await db.pool.query<{ registration_number: string; book_number: string; book_year: number; data: Record<string, unknown> }>(
    `SELECT registration_number, book_number, book_year, data FROM records WHERE agency_code = $1 AND register_type = 'KS' ORDER BY id LIMIT 2`,
    [agency.code],
  );
  const [toCorrect, toApprove] = records.rows;
  const rowOf = (r: typeof toCorrect) => original.findIndex((row, i) => i > 0 && String(row[numberCol]) === r!.registration_number && String(row[header.indexOf('Quyển số')]) === r!.book_number && Number(row[header.indexOf('Năm đăng ký')]) === r!.book_year);
  const corrected = original.map((r) => [...r]);
  corrected[rowOf(toCorrect)]![nameCol] = 'Nguyễn Thị Ánh Tuyết';
  corrected[rowOf(toApprove)]![nameCol] = 'Trần Văn Đức';
  // Approved as Step 4 approves: only with a page attached (the database refuses it otherwise).
  const page = '0'.repeat(64);
  await db.pool.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, 0, 'application/pdf') ON CONFLICT DO NOTHING`, [page]);
  await db.pool.query(
    `INSERT INTO attachments (record_id, sha256) SELECT id, $5 FROM records WHERE agency_code = $1 AND registration_number = $2 AND book_number = $3 AND book_year = $4`,
    [agency.code, toApprove!.registration_number, toApprove!.book_number, toApprove!.book_year, page],
  );
  await db.pool.query(`UPDATE records SET state = 'approved' WHERE agency_code = $1 AND registration_number = $2 AND book_number = $3 AND book_year = $4`, [
    agency.code,
    toApprove!.registration_number,
    toApprove!.book_number,
    toApprove!.book_year,
  ]);

  // The record to correct had been rejected in review: new data reopens it.
  await db.pool.query(`UPDATE records SET state = 'rejected' WHERE agency_code = $1 AND registration_number = $2 AND book_number = $3 AND book_year = $4`, [
    agency.code,
    toCorrect!.registration_number,
    toCorrect!.book_number,
    toCorrect!.book_year,
  ]);

  // Officials correct the file in Excel and save it as .xlsx.
  const result = await importFile(writeXlsx(path.join(dir, 'sửa.xlsx'), corrected));
  expect(result.counts.updated).toBe(1);
  expect(result.rejectedByCode.RECORD_LOCKED).toBe(1);
  expect(result.counts.inserted + result.counts.updated + result.counts.unchanged + result.counts.rejected).toBe(result.counts.read);

  const now = await db.pool.query<{ id: string; version: number; data: Record<string, unknown>; state: string }>(
    `SELECT id, version, data, state FROM records WHERE agency_code = $1 AND registration_number = $2 AND book_number = $3 AND book_year = $4`,
    [agency.code, toCorrect!.registration_number, toCorrect!.book_number, toCorrect!.book_year],
  );
  expect(now.rows[0]).toMatchObject({ version: 2, state: 'imported' });
  expect(Object.values(now.rows[0]!.data)).toContain('Nguyễn Thị Ánh Tuyết');
  // The import is in the audit log under its file, and the record it reopened under the record.
  const audit = await db.pool.query(
    `SELECT action, actor, actor_role, subject_kind, subject_id, record_id::int, state_before, state_after, details->>'importId' AS import_id FROM audit_log WHERE details->>'importId' = $1 ORDER BY chain_pos`,
    [String(result.importId)],
  );
  const common = { actor: 'canbo.test', actor_role: 'official', import_id: String(result.importId) };
  expect(audit.rows).toEqual([
    { ...common, action: 'import.excel', subject_kind: 'file', subject_id: result.source.sha256, record_id: null, state_before: null, state_after: null },
    { ...common, action: 'record.reimport', subject_kind: 'record', subject_id: now.rows[0]!.id, record_id: Number(now.rows[0]!.id), state_before: 'rejected', state_after: 'imported' },
  ]);
  const old = await db.pool.query<{ version: number; data: Record<string, unknown> }>('SELECT version, data FROM record_versions WHERE record_id = $1', [now.rows[0]!.id]);
  expect(old.rows).toEqual([{ version: 1, data: toCorrect!.data }]);

  const approved = await db.pool.query<{ version: number; data: Record<string, unknown> }>(
    `SELECT version, data FROM records WHERE agency_code = $1 AND registration_number = $2 AND book_number = $3 AND book_year = $4`,
    [agency.code, toApprove!.registration_number, toApprove!.book_number, toApprove!.book_year],
  );
  expect(approved.rows[0]).toEqual({ version: 1, data: toApprove!.data });
  const errors = sheetRows(store.localPath(result.errorFile!.sha256));
  expect(errors.some((r) => String(r[r.length - 1]).includes('RECORD_LOCKED') && String(r[r.length - 2]).includes('đã được phê duyệt'))).toBe(true);
});

test('the rejected rows, fixed in their workbook, import on their own', async () => {
  const first = await importFile(splitFile(agency, 'KS'));
  const errors = sheetRows(store.localPath(first.errorFile!.sha256));
  const header = errors[0]!;
  const col = (label: string) => header.indexOf(label);
  // Fix what can be fixed without the register: a missing name, an impossible date, a repeated number.
  const fixed = errors.map((r, i) => {
    if (i === 0) return r;
    const row = [...r];
    const codes = String(row[row.length - 1]);
    const required: Record<string, string | number> = { 'Họ và tên': 'Lê Thị Hồng', 'Năm đăng ký': 2010, 'Quyển số': '09', 'Số đăng ký': `${900 + i}` };
    if (codes.includes('REQUIRED_FIELD_MISSING')) for (const [label, value] of Object.entries(required)) if (row[col(label)] === null || row[col(label)] === '') row[col(label)] = value;
    if (codes.includes('DATE_')) for (const [j, h] of header.entries()) if (String(h).startsWith('Ngày')) row[j] = '01/02/2003';
    if (codes.includes('DUPLICATE_REGISTRATION_NUMBER')) row[col('Số đăng ký')] = `${String(row[col('Số đăng ký')])}a`;
    return row;
  });
  const result = await importFile(writeXlsx(path.join(dir, 'dòng lỗi đã sửa.xlsx'), fixed));
  expect(result.counts.read).toBe(errors.length - 1);
  expect(result.rejectedByCode).toEqual(result.rejectedByCode.RECORD_LOCKED ? { RECORD_LOCKED: result.rejectedByCode.RECORD_LOCKED } : {});
  expect(result.counts.inserted).toBe(result.counts.read - result.counts.rejected);
  // The error columns of the workbook are not kept with the records.
  const notes = await db.pool.query<{ notes: { extra?: Array<[string, string]> } }>('SELECT notes FROM records WHERE import_id = $1', [result.importId]);
  for (const r of notes.rows) expect((r.notes.extra ?? []).map(([h]) => h)).not.toContain('Lỗi');
});

test('an import key names one import: asked again it answers the same without importing again', async () => {
  const source = await stored(splitFile(agency, 'KS'));
  const a = await importFile('', { importKey: 'same-key', source });
  const b = await importFile('', { importKey: 'same-key', source });
  expect(b).toEqual(a);
  const n = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM imports WHERE import_key = 'same-key'`);
  expect(n.rows[0]!.n).toBe('1');
});

test('rows of another agency are refused, naming the agency they belong to', async () => {
  const other = manifest.agencies.find((a) => a.code !== agency.code && a.level === 'commune' && a.files.some((f) => f.registerType === 'KS'))!;
  const result = await importFile(splitFile(other, 'KS'));
  expect(result.counts.inserted).toBe(0);
  expect(result.rejectedByCode.ROW_OTHER_AGENCY).toBe(result.counts.read);
  const errors = sheetRows(store.localPath(result.errorFile!.sha256));
  expect(String(errors[1]![errors[1]!.length - 2])).toContain(other.name);
});

test('files that cannot be imported say why and leave nothing behind', async () => {
  const before = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records');
  const csv = path.join(dir, 'ks.csv');
  fs.writeFileSync(csv, 'Số đăng ký\n1\n');
  expect(await codeOf(importFile(csv))).toBe('IMPORT_FORMAT_UNSUPPORTED');
  expect(await codeOf(importFile(writeXlsx(path.join(dir, 'trống.xlsx'), [[]])))).toBe('IMPORT_FILE_EMPTY');
  expect(await codeOf(importFile(writeXlsx(path.join(dir, 'thiếu cột.xlsx'), [['Năm đăng ký', 'Quyển số', 'Họ và tên người được khai sinh'], [2010, '01', 'Phạm Văn An']])))).toBe(
    'PROFILE_COLUMN_MISSING',
  );
  expect(await codeOf(importFile('', { agencyCode: '99999', source: await stored(splitFile(agency, 'KS')) }))).toBe('IMPORT_AGENCY_UNKNOWN');
  const after = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records');
  expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  const failed = await db.pool.query<{ failure: { code: string } }>(`SELECT failure FROM imports WHERE status = 'failed' ORDER BY id`);
  expect(failed.rows.map((r) => r.failure.code)).toEqual(['IMPORT_FILE_EMPTY', 'PROFILE_COLUMN_MISSING']);
});

test('a file no split wrote: the book year from the date, a note on its lines; rows that would lose a cell are rejected whole and come back with every cell', async () => {
  const file = path.join(dir, 'sổ tự làm.xls');
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['Quyển số', 'Số đăng ký', 'Ngày đăng ký', 'Họ và tên', 'Ghi chú', null],
      ['77', '1', '10/03/2011', 'Nguyễn Văn An', 'Đã cải chính;\r\ntheo "Quyết định" số 50', null],
      ['77', '2', '2012', 'Trần Thị Bình', null, null],
      ['77', '3', null, 'Lê Văn Cường', null, null],
      ['77', '4', '11/03/2011', 'Phạm Văn Dũng', null, 'ghi bên lề'],
      ['77', '5', '11/03/2011', 'Hoàng Thị Em', null, null, 'ngoài cùng'],
    ]),
    'KS',
  );
  XLSX.writeFile(wb, file, { bookType: 'biff8' });
  const result = await importFile(file);
  expect(result.counts).toEqual({ read: 5, inserted: 2, updated: 0, unchanged: 0, rejected: 3 });
  expect(result.rejectedByCode).toEqual({ BOOK_YEAR_UNKNOWN: 1, CELL_NOT_CONSERVED: 2 });
  const records = await db.pool.query<{ registration_number: string; book_year: number; data: Record<string, unknown>; notes: { derived?: unknown[] } }>(
    'SELECT registration_number, book_year, data, notes FROM records WHERE import_id = $1 ORDER BY registration_number',
    [result.importId],
  );
  expect(records.rows.map((r) => [r.registration_number, r.book_year, r.data.bookYear, r.data.notes ?? null, r.notes.derived])).toEqual([
    ['1', 2011, 2011, 'Đã cải chính;\ntheo "Quyết định" số 50', [{ field: 'bookYear', from: 'registrationDate', messageVi: 'Năm đăng ký lấy từ ngày đăng ký' }]],
    ['2', 2012, 2012, null, [{ field: 'bookYear', from: 'registrationDate', messageVi: 'Năm đăng ký lấy từ ngày đăng ký' }]],
  ]);
  const [header, ...rejected] = sheetRows(store.localPath(result.errorFile!.sha256));
  expect(header!.slice(-2)).toEqual(['Lỗi', 'Mã lỗi']);
  expect(rejected.map((r) => [r[1], r.slice(0, -2).filter((c) => c !== null && c !== '').length, r[r.length - 1]])).toEqual([
    ['3', 3, 'BOOK_YEAR_UNKNOWN'],
    ['4', 5, 'CELL_NOT_CONSERVED'],
    ['5', 5, 'CELL_NOT_CONSERVED'],
  ]);
  expect(rejected[2]![6]).toBe('ngoài cùng');
});

test('a note written on two lines in the export reaches the record on its two lines, through the split', async () => {
  const csv = path.join(dir, '01-KS-ghi-chu.csv');
  fs.writeFileSync(csv, '\uFEFFMã ĐVHC nơi đăng ký,Năm đăng ký,Quyển số,Số đăng ký,Ngày đăng ký,Họ và tên,Ghi chú\r\n00004,2011,88,1,10/03/2011,Nguyễn Văn An,"Đã cải chính;\r\ntheo ""Quyết định"" số 50"\r\n');
  const split = await splitExport({ provinceCode: '01', input: csv, outDir: path.join(dir, 'split-ghi-chu') });
  const ward = split.agencies[0]!;
  await db.pool.query('INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING', [ward.code, ward.name, ward.level, '01']);
  const result = await importFile(path.join(dir, 'split-ghi-chu', ward.files[0]!.path), { agencyCode: ward.code });
  expect(result.counts).toMatchObject({ read: 1, inserted: 1 });
  const r = await db.pool.query<{ data: { notes: string } }>('SELECT data FROM records WHERE import_id = $1', [result.importId]);
  expect(r.rows[0]!.data.notes).toBe('Đã cải chính;\ntheo "Quyết định" số 50');
});

test("a former unit's rows, as the split gave them to the custodian the run decided, are imported by that agency only, and by no agency before a decision", async () => {
  // Phường Cống Vị (00007) was divided on 1 July 2025 between Phường Giảng Võ (00025) and Phường Ngọc Hà (00008).
  const out = path.join(dir, 'split-cong-vi');
  const csv = path.join(dir, '01-KS-cong-vi.csv');
  fs.writeFileSync(csv, `Mã ĐVHC nơi đăng ký,Năm đăng ký,Quyển số,Số đăng ký,Ngày đăng ký,Họ và tên\r\n${[1, 2, 3].map((n) => `00007,2011,05,${n},1${n}/03/2011,Nguyễn Văn Cống ${n}`).join('\r\n')}\r\n`);
  const split = await splitExport({ provinceCode: '01', input: csv, outDir: out });
  expect(split.exceptions.byReason).toEqual({ UNIT_SPLIT_NEEDS_DECISION: 3 });
  const needed = Object.fromEntries(split.decisionsNeeded.map((d) => [d.unitCode, d.candidates.map((c) => c.code)]));
  const custodians = checkCustodianDecisions('01', needed, [{ unitCode: '00007', agencyCode: '00025' }], { by: 'dieuphoi01', at: new Date().toISOString() });
  const applied = await applyDecisions({ outDir: out, provinceCode: '01', custodians, placements: [] });
  const ward = applied.manifest.agencies.find((a) => a.code === '00025')!;
  const file = path.join(out, ward.files[0]!.path);
  // The run's decision, as the province run records it.
  const decided = '01-00000000000000bb';
  await createSplitActivities({ pool: db.pool, store, paths: dataPaths({ dataDir: dir, inboxDir: dir }) }).recordDecisions({ runId: decided, workflowId: `province/01/${decided}`, batch: 1, custodians });
  for (const code of ['00025', '00008']) {
    const a = agencyOf(unitCatalog().commune('2025', code)!);
    await db.pool.query('INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING', [a.code, a.name, a.level, '01']);
  }

  const custodian = await importFile(file, { agencyCode: '00025', runId: decided });
  expect(custodian.counts).toMatchObject({ read: 3, inserted: 3, rejected: 0 });
  const keys = await db.pool.query<{ unit_code: string }>('SELECT DISTINCT unit_code FROM records WHERE import_id = $1', [custodian.importId]);
  expect(keys.rows).toEqual([{ unit_code: '00007' }]);

  const candidate = await importFile(file, { agencyCode: '00008', runId: decided });
  expect(candidate.counts).toMatchObject({ read: 3, inserted: 0, rejected: 3 });
  expect(candidate.rejectedByCode).toEqual({ ROW_OTHER_AGENCY: 3 });
  const refused = sheetRows(store.localPath(candidate.errorFile!.sha256));
  expect(String(refused[1]![refused[1]!.length - 2])).toBe(
    'Nơi đăng ký: dòng thuộc đơn vị cũ 00007 - Phường Cống Vị, có sổ do UBND phường Giảng Võ (mã 00025) lưu giữ theo quyết định của điều phối viên, không phải UBND phường Ngọc Hà đang nhập.',
  );

  const undecided = await importFile(file, { agencyCode: '00025', runId: RUN_ID });
  expect(undecided.counts).toMatchObject({ read: 3, inserted: 0, unchanged: 0, rejected: 3 });
  expect(undecided.rejectedByCode).toEqual({ ROW_CUSTODIAN_UNDECIDED: 3 });
});

test('a file of many thousand rows is decided a chunk at a time, each row once: the same file again changes nothing, a corrected one versions only its changed rows', async () => {
  const other = manifest.agencies.filter((a) => a.level === 'commune' && a.files.some((f) => f.registerType === 'KS')).sort((a, b) => b.rows - a.rows)[1]!;
  const [header, ...data] = sheetRows(splitFile(other, 'KS'));
  const numberCol = header!.indexOf('Số đăng ký');
  const nameCol = header!.indexOf('Họ và tên');
  // The agency's rows over and over, each under a number of its own: far more rows than one chunk.
  const rows = Array.from({ length: 20_000 }, (_, i) => data[i % data.length]!.map((c, j) => (j === numberCol ? `M${i + 1}` : c)));
  const write = async (name: string, body: typeof rows) => {
    const file = path.join(dir, name);
    const w = createStreamingXlsxWriter(file);
    w.addSheet('KS');
    for (const r of [header!, ...body]) w.addRow(r);
    await w.close();
    return file;
  };
  const importAs = async (file: string) => runExcelImport(deps(), { importKey: `test-${++keys}`, runId: RUN_ID, agencyCode: other.code, registerType: 'KS', actor: 'canbo.test', source: await stored(file) });
  const versions = async () => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM record_versions v JOIN records r ON r.id = v.record_id WHERE r.agency_code = $1`, [other.code])).rows[0]!.n);

  const first = await importAs(await write('nhiều dòng.xlsx', rows));
  const c = first.counts;
  expect(c.read).toBe(rows.length);
  expect(c.inserted + c.rejected).toBe(c.read);
  expect(c.inserted).toBeGreaterThan(16_384);
  const inDb = await db.pool.query<{ registration_number: string }>(`SELECT registration_number FROM records WHERE agency_code = $1 AND register_type = 'KS'`, [other.code]);
  expect(inDb.rows).toHaveLength(c.inserted);
  expect(first.books.reduce((n, b) => n + b.rows, 0)).toBe(c.inserted);

  const again = await importAs(await write('nhiều dòng - lần 2.xlsx', rows));
  expect(again.counts).toEqual({ read: rows.length, inserted: 0, updated: 0, unchanged: c.inserted, rejected: c.rejected });

  // One changed row early, one in the middle and one near the end of the file: in different chunks.
  const imported = new Set(inDb.rows.map((r) => r.registration_number));
  const changed = [50, 9_000, 19_000].map((from) => rows.findIndex((r, i) => i >= from && imported.has(String(r[numberCol]))));
  const corrected = rows.map((r, i) => (changed.includes(i) ? r.map((v, j) => (j === nameCol ? `Đã sửa ${i}` : v)) : r));
  const before = await versions();
  const fixed = await importAs(await write('nhiều dòng - đã sửa.xlsx', corrected));
  expect(fixed.counts).toEqual({ read: rows.length, inserted: 0, updated: 3, unchanged: c.inserted - 3, rejected: c.rejected });
  expect((await versions()) - before).toBe(3);
  const now = await db.pool.query<{ registration_number: string; version: number }>(`SELECT registration_number, version FROM records WHERE agency_code = $1 AND version > 1 ORDER BY id`, [other.code]);
  expect(now.rows.map((r) => r.registration_number).sort()).toEqual(changed.map((i) => `M${i + 1}`).sort());
}, 120_000);

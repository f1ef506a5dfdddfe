/**
 * Step 3, scans: zips of register pages imported into real PostgreSQL and a real content
 * store. Every entry is counted once; the same zip again changes nothing; a corrected zip
 * replaces pages and keeps their history; pages without a record wait for it; a broken zip
 * leaves nothing attached.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLocalContentStore, type ContentStore } from '../files/content-store';
import { bookKey, numberKey } from '../../domain/naming/scan-name';
import type { ScanImportInput, ScanImportReport } from '../../domain/scans/scan-import';
import { minimalPdf } from '../../formats/pdf/minimal-pdf';
import { codeOf } from '../../test/support/coded-error';
import { rawZip, type RawEntry } from '../../test/support/raw-zip';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { inTransaction } from '../../db/transaction';
import { attachWaitingScans } from './attach-waiting-scans';
import { createScanActivities, runScanImport, type ScanImportDeps } from './import-scans';

const AGENCY = '00004';
const OTHER_AGENCY = '00007';
const LIMITS = { scanZipMaxBytes: 1 << 30, scanExpandedMaxBytes: 1 << 30, scanEntryMaxRatio: 100 };

let db: TestDatabase;
let store: ContentStore;
let dir: string;
let keys = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-import-'));
  store = createLocalContentStore(path.join(dir, 'store'));
  await db.pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ($1, 'UBND phường Trúc Bạch', 'commune', '01'), ($2, 'UBND phường Quán Thánh', 'commune', '01')`, [
    AGENCY,
    OTHER_AGENCY,
  ]);
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const deps = (limits = LIMITS): ScanImportDeps => ({ pool: db.pool, store, limits });
const page = () => minimalPdf(randomBytes(32 * 32), 32);

async function addRecords(book: { type: string; year: number; book: string }, numbers: string[], opts: { agency?: string; unit?: string; state?: string; importId?: number } = {}): Promise<void> {
  for (const n of numbers) {
    await db.pool.query(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256, state, import_id)
       VALUES ($1, $11, $2, $3, $4, $5, $6, $7, '{}', $8, $9, $10)`,
      [opts.agency ?? AGENCY, book.type, book.year, book.book, n, bookKey(book.book), numberKey(n), '0'.repeat(64), opts.state ?? 'imported', opts.importId ?? null, opts.unit ?? opts.agency ?? AGENCY],
    );
  }
}

async function storedZip(name: string, entries: RawEntry[]): Promise<ScanImportInput['zip']> {
  const file = path.join(dir, `${++keys}.zip`);
  fs.writeFileSync(file, rawZip(entries));
  const put = await store.put(fs.createReadStream(file));
  return { sha256: put.sha256, name };
}

const importZip = (zip: ScanImportInput['zip'], limits = LIMITS, unitCode?: string) =>
  runScanImport(deps(limits), { importKey: `scan-${++keys}`, agencyCode: AGENCY, unitCode, actor: 'canbo.test', zip });

async function attachmentsOf(book: { type: string; year: number }): Promise<Array<{ number: string; page: number; sha256: string }>> {
  const r = await db.pool.query(
    `SELECT r.registration_number AS number, a.page, a.sha256 FROM attachments a JOIN records r ON r.id = a.record_id
      WHERE r.agency_code = $1 AND r.register_type = $2 AND r.book_year = $3 ORDER BY r.id, a.page`,
    [AGENCY, book.type, book.year],
  );
  return r.rows;
}


function conserved(counts: { entries: number; rejected: number; attached: number; alreadyAttached: number; replaced: number; unmatched: number }): void {
  expect(counts.rejected + counts.attached + counts.alreadyAttached + counts.replaced + counts.unmatched).toBe(counts.entries);
}

test('a fully scanned book: every entry attached, a two-file entry as pages 1 and 2, files registered to the agency only', async () => {
  const book = { type: 'KS', year: 2009, book: '01' };
  await addRecords(book, ['1', '2', '3', '4']);
  await addRecords(book, ['1', '2'], { agency: OTHER_AGENCY });
  const files = { 1: page(), 2: page(), 3: page(), '3_2': page(), 4: page() };
  const zip = await storedZip('KS.2009.01.zip', [
    ...Object.entries(files).map(([n, data]) => ({ name: `KS.2009.01/KS.2009.01.${n}.pdf`, data })),
    { name: 'KS.2009.01/', data: Buffer.alloc(0), unixMode: 0o040755 },
  ]);
  const report = await importZip(zip);

  expect(report.counts).toMatchObject({ entries: 5, rejected: 0, attached: 5, alreadyAttached: 0, replaced: 0, unmatched: 0, missingPages: 0 });
  expect(report.zipName).toBeUndefined();
  expect(await attachmentsOf(book)).toEqual([
    { number: '1', page: 1, sha256: expect.any(String) },
    { number: '2', page: 1, sha256: expect.any(String) },
    { number: '3', page: 1, sha256: expect.any(String) },
    { number: '3', page: 2, sha256: expect.any(String) },
    { number: '4', page: 1, sha256: expect.any(String) },
  ]);
  const other = await db.pool.query(`SELECT count(*)::int AS n FROM attachments a JOIN records r ON r.id = a.record_id WHERE r.agency_code = $1`, [OTHER_AGENCY]);
  expect(other.rows[0].n).toBe(0);
  const owners = await db.pool.query(`SELECT DISTINCT agency_code FROM file_owners WHERE sha256 IN (SELECT sha256 FROM attachments)`);
  expect(owners.rows).toEqual([{ agency_code: AGENCY }]);
  for (const a of await attachmentsOf(book)) expect(await store.has(a.sha256)).toBe(true);
  const row = await db.pool.query(`SELECT status, kind, counts, report FROM imports WHERE id = $1`, [report.importId]);
  expect(row.rows[0]).toMatchObject({ status: 'completed', kind: 'scans', counts: report.counts });
  expect(row.rows[0].report).toEqual(report);
});

test('the same import again (a retried activity) returns its stored report and does nothing', async () => {
  await addRecords({ type: 'KT', year: 2011, book: '1' }, ['1']);
  const zip = await storedZip('KT.2011.1.zip', [{ name: 'KT.2011.1.1.pdf', data: page() }]);
  const input = { importKey: 'retried-import', agencyCode: AGENCY, actor: 'canbo.test', zip };
  const first = await runScanImport(deps(), input);
  const audit = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import.scans'`)).rows[0].n as number;
  const before = await audit();
  expect(await runScanImport(deps(), input)).toEqual(first);
  expect(await audit()).toBe(before);
  expect(first.counts.attached).toBe(1);
});

test('partial scans: the records of the book without a page are listed as missing pages', async () => {
  const book = { type: 'KS', year: 2010, book: '02' };
  await addRecords(book, ['1', '2', '3', '4', '5', '10', '11', '125a']);
  const zip = await storedZip('KS.2010.02.zip', ['1', '2', '3', '4', '5'].map((n) => ({ name: `KS.2010.02.${n}.pdf`, data: page() })));
  const report = await importZip(zip);
  expect(report.counts).toMatchObject({ entries: 5, attached: 5, missingPages: 3 });
  expect(report.missingPages).toEqual([{ unitCode: AGENCY, registerType: 'KS', bookYear: 2010, book: '2', registrationNumbers: ['10', '11', '125a'] }]);
});

test('re-importing the same zip changes nothing and counts every page as already attached', async () => {
  const book = { type: 'KH', year: 2012, book: '1' };
  await addRecords(book, ['1', '2', '3']);
  const zip = await storedZip('KH.2012.1.zip', ['1', '2', '3'].map((n) => ({ name: `KH.2012.1.${n}.pdf`, data: page() })));
  await importZip(zip);
  const before = await db.pool.query(`SELECT record_id, page, sha256, attached_at, import_id FROM attachments ORDER BY record_id, page`);
  const again = await importZip(zip);
  expect(again.counts).toMatchObject({ entries: 3, attached: 0, alreadyAttached: 3, replaced: 0 });
  expect((await db.pool.query(`SELECT record_id, page, sha256, attached_at, import_id FROM attachments ORDER BY record_id, page`)).rows).toEqual(before.rows);
});

test('a corrected zip replaces the changed page; the old one is kept in the history and in the store', async () => {
  const book = { type: 'CMC', year: 2013, book: '1' };
  await addRecords(book, ['1', '2']);
  const one = page();
  const first = await importZip(await storedZip('CMC.2013.1.zip', [{ name: 'CMC.2013.1.1.pdf', data: one }, { name: 'CMC.2013.1.2.pdf', data: page() }]));
  const [, old] = await attachmentsOf(book);
  const corrected = await importZip(await storedZip('CMC.2013.1.zip', [{ name: 'CMC.2013.1.1.pdf', data: one }, { name: 'CMC.2013.1.2.pdf', data: page() }]));
  expect(corrected.counts).toMatchObject({ entries: 2, alreadyAttached: 1, replaced: 1 });
  const [, now] = await attachmentsOf(book);
  expect(now!.sha256).not.toBe(old!.sha256);
  const history = await db.pool.query(`SELECT h.page, h.sha256, h.replaced_by, h.import_id, h.entry_name FROM attachment_history h JOIN records r ON r.id = h.record_id WHERE r.register_type = 'CMC'`);
  expect(history.rows).toEqual([{ page: 1, sha256: old!.sha256, replaced_by: now!.sha256, import_id: String(corrected.importId), entry_name: 'CMC.2013.1.2.pdf' }]);
  expect(await store.has(old!.sha256)).toBe(true);
  expect(first.importId).not.toBe(corrected.importId);
});

test('pages of approved records are not replaced by a re-import', async () => {
  const book = { type: 'GH', year: 2014, book: '1' };
  await addRecords(book, ['1']);
  await importZip(await storedZip('GH.2014.1.zip', [{ name: 'GH.2014.1.1.pdf', data: page() }]));
  await db.pool.query(`UPDATE records SET state = 'approved' WHERE register_type = 'GH'`);
  const before = await attachmentsOf(book);
  const report = await importZip(await storedZip('GH.2014.1.zip', [{ name: 'GH.2014.1.1.pdf', data: page() }]));
  expect(report.rejected).toEqual([{ entry: 'GH.2014.1.1.pdf', reason: 'SCAN_RECORD_LOCKED', messageVi: expect.stringContaining('đã được phê duyệt') }]);
  expect(await attachmentsOf(book)).toEqual(before);
  conserved(report.counts);
});

test('a rejected record given a new page goes back to review, with an entry; the same page again changes nothing', async () => {
  const book = { type: 'KT', year: 2016, book: '2' };
  await addRecords(book, ['1', '2']);
  await db.pool.query(`UPDATE records SET state = 'rejected' WHERE register_type = 'KT' AND book_year = 2016`);
  const zip = await storedZip('KT.2016.2.zip', [{ name: 'KT.2016.2.1.pdf', data: page() }]);
  const report = await importZip(zip);
  expect(report.counts).toMatchObject({ attached: 1 });
  const states = await db.pool.query(`SELECT registration_number, state FROM records WHERE register_type = 'KT' AND book_year = 2016 ORDER BY registration_number`);
  expect(states.rows).toEqual([
    { registration_number: '1', state: 'imported' },
    { registration_number: '2', state: 'rejected' },
  ]);
  const audit = await db.pool.query(
    `SELECT action, actor, subject_kind, subject_id, state_before, state_after FROM audit_log WHERE details->>'importId' = $1 ORDER BY chain_pos`,
    [String(report.importId)],
  );
  expect(audit.rows).toEqual([
    { action: 'import.scans', actor: 'canbo.test', subject_kind: 'file', subject_id: zip.sha256, state_before: null, state_after: null },
    { action: 'record.attach_page', actor: 'canbo.test', subject_kind: 'record', subject_id: expect.any(String), state_before: 'rejected', state_after: 'imported' },
  ]);
  await db.pool.query(`UPDATE records SET state = 'rejected' WHERE register_type = 'KT' AND book_year = 2016`);
  const again = await importZip(zip);
  expect(again.counts).toMatchObject({ attached: 0, alreadyAttached: 1 });
  expect((await db.pool.query(`SELECT count(*)::int AS n FROM records WHERE register_type = 'KT' AND state = 'rejected'`)).rows[0].n).toBe(2);
});

test('pages without a record wait in unmatched_scans and attach when the Excel import brings their records', async () => {
  const book = { type: 'TDCC', year: 2015, book: '3' };
  const report = await importZip(await storedZip('TDCC.2015.3.zip', ['1', '2', '2_2'].map((n) => ({ name: `TDCC.2015.3.${n}.pdf`, data: page() }))));
  expect(report.counts).toMatchObject({ entries: 3, unmatched: 3, attached: 0 });
  expect(report.unmatched).toEqual(['TDCC.2015.3.1.pdf', 'TDCC.2015.3.2.pdf', 'TDCC.2015.3.2_2.pdf']);
  const waiting = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM unmatched_scans WHERE register_type = 'TDCC'`)).rows[0].n as number;
  expect(await waiting()).toBe(3);

  const excel = await db.pool.query<{ id: string }>(
    `INSERT INTO imports (import_key, kind, agency_code, register_type, actor, source_name, source_sha256) VALUES ('excel-tdcc', 'excel', $1, 'TDCC', 'canbo.test', 'TDCC.xlsx', $2) RETURNING id`,
    [AGENCY, 'a'.repeat(64)],
  );
  const excelId = Number(excel.rows[0]!.id);
  // Record 1 comes from another import: only the records this import wrote are its to attach.
  await addRecords(book, ['1']);
  await addRecords(book, ['02'], { importId: excelId });
  const attached = await inTransaction(db.pool, (c) => attachWaitingScans(c, AGENCY, excelId));
  expect(attached).toBe(2);
  expect(await attachmentsOf(book)).toEqual([
    { number: '02', page: 1, sha256: expect.any(String) },
    { number: '02', page: 2, sha256: expect.any(String) },
  ]);
  expect(await waiting()).toBe(1);
  const provenance = await db.pool.query(`SELECT DISTINCT a.import_id FROM attachments a JOIN records r ON r.id = a.record_id WHERE r.register_type = 'TDCC'`);
  expect(provenance.rows).toEqual([{ import_id: String(report.importId) }]);
  expect(await inTransaction(db.pool, (c) => attachWaitingScans(c, AGENCY, excelId))).toBe(0);
});

test('a truncated zip fails the import with its code and attaches nothing; the next import works', async () => {
  const book = { type: 'LH', year: 2016, book: '1' };
  await addRecords(book, ['1', '2']);
  const whole = rawZip(['1', '2'].map((n) => ({ name: `LH.2016.1.${n}.pdf`, data: page() })));
  const file = path.join(dir, 'truncated.zip');
  fs.writeFileSync(file, whole.subarray(0, whole.length - 50));
  const zip = { sha256: (await store.put(fs.createReadStream(file))).sha256, name: 'LH.2016.1.zip' };
  const importKey = 'truncated-import';
  expect(await codeOf(runScanImport(deps(), { importKey, agencyCode: AGENCY, actor: 'canbo.test', zip }))).toBe('ZIP_CORRUPT');
  const row = await db.pool.query(`SELECT status, failure FROM imports WHERE import_key = $1`, [importKey]);
  expect(row.rows[0]).toMatchObject({ status: 'failed', failure: { code: 'ZIP_CORRUPT', messageVi: expect.stringContaining('bị hỏng') } });
  expect(await attachmentsOf(book)).toEqual([]);
  expect((await importZip(await storedZip('LH.2016.1.zip', [{ name: 'LH.2016.1.1.pdf', data: page() }]))).counts.attached).toBe(1);
});

test('a zip that fails half-way (too much expanded) leaves none of its pages attached', async () => {
  const book = { type: 'GCNN', year: 2017, book: '1' };
  await addRecords(book, ['1', '2', '3']);
  const pages = ['1', '2', '3'].map((n) => ({ name: `GCNN.2017.1.${n}.pdf`, data: minimalPdf(randomBytes(300 * 1000), 300) }));
  const zip = await storedZip('GCNN.2017.1.zip', pages);
  expect(await codeOf(importZip(zip, { ...LIMITS, scanExpandedMaxBytes: 700_000 }))).toBe('ZIP_EXPANDS_TOO_MUCH');
  expect(await attachmentsOf(book)).toEqual([]);
});

test('unsafe and unusable entries among good ones are rejected, each with its code; the good ones attach', async () => {
  const book = { type: 'KS', year: 2018, book: '7' };
  await addRecords(book, ['1', '2', '3']);
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]);
  const report = await importZip(
    await storedZip('KS.2018.07.zip', [
      { name: 'KS.2018.07.1.pdf', data: page() },
      { name: '../../etc/KS.2018.07.2.pdf', data: page() },
      { name: 'KS.2018.07.2.pdf', data: page(), unixMode: 0o120777 },
      { name: 'KS.2018.07.3.pdf', data: jpeg },
      { name: 'scan0001.pdf', data: page() },
      { name: 'KS.2018.07.2.pdf', data: page() },
      { name: 'KS.2018.7.002.pdf', data: page() },
      { name: '__MACOSX/._KS.2018.07.1.pdf', data: Buffer.alloc(10) },
    ]),
  );
  expect(report.rejected.map((r) => [r.entry, r.reason])).toEqual([
    ['../../etc/KS.2018.07.2.pdf', 'ZIP_UNSAFE_PATH'],
    ['KS.2018.07.2.pdf', 'ZIP_SYMLINK'],
    ['KS.2018.07.3.pdf', 'PDF_NOT_PDF'],
    ['scan0001.pdf', 'NAME_UNPARSEABLE'],
    ['__MACOSX/._KS.2018.07.1.pdf', 'SYSTEM_FILE'],
    ['KS.2018.7.002.pdf', 'SCAN_DUPLICATE_PAGE'],
  ]);
  for (const r of report.rejected) expect(r.messageVi).toBe(r.messageVi.normalize('NFC'));
  expect(report.counts).toMatchObject({ entries: 8, rejected: 6, attached: 2, missingPages: 1 });
  conserved(report.counts);
  expect((await attachmentsOf(book)).map((a) => a.number)).toEqual(['1', '2']);
  expect(report.missingPages).toEqual([{ unitCode: AGENCY, registerType: 'KS', bookYear: 2018, book: '7', registrationNumbers: ['3'] }]);
});

test('pages beyond what is read whole (16 MiB) stream into the store under the same checks', async () => {
  const book = { type: 'KS', year: 2019, book: '3' };
  await addRecords(book, ['1', '2', '3']);
  const large = minimalPdf(randomBytes(4096 * 4352), 4096);
  expect(large.length).toBeGreaterThan(16 << 20);
  const report = await importZip(
    await storedZip('KS.2019.03.zip', [
      { name: 'KS.2019.03.1.pdf', data: large },
      { name: 'KS.2019.03.2.pdf', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), large.subarray(4)]) },
      { name: 'KS.2019.03.3.pdf', data: large.subarray(0, large.length - 100) },
    ]),
  );
  expect(report.rejected.map((r) => [r.entry, r.reason])).toEqual([
    ['KS.2019.03.2.pdf', 'PDF_NOT_PDF'],
    ['KS.2019.03.3.pdf', 'PDF_DAMAGED'],
  ]);
  expect(report.counts).toMatchObject({ entries: 3, rejected: 2, attached: 1, bytes: large.length });
  const [attached] = await attachmentsOf(book);
  expect(attached).toEqual({ number: '1', page: 1, sha256: createHash('sha256').update(large).digest('hex') });
  expect(fs.readFileSync(store.localPath(attached!.sha256)).equals(large)).toBe(true);
});

test('a zip named for another book: the PDFs win and the report says so', async () => {
  await addRecords({ type: 'KT', year: 2019, book: '1' }, ['1']);
  const report = await importZip(await storedZip('KT.2019.02.zip', [{ name: 'KT.2019.01.1.pdf', data: page() }]));
  expect(report.counts.attached).toBe(1);
  expect(report.zipName).toMatchObject({ code: 'ZIP_NAME_MISMATCH', zipBook: 'KT.2019.2', entryBooks: ['KT.2019.1'] });
});

test('an empty zip fails the import as empty; an unknown agency is refused', async () => {
  expect(await codeOf(importZip(await storedZip('KS.2020.1.zip', [])))).toBe('SCAN_ZIP_EMPTY');
  const zip = await storedZip('KS.2020.1.zip', [{ name: 'KS.2020.1.1.pdf', data: page() }]);
  expect(await codeOf(runScanImport(deps(), { importKey: 'nobody', agencyCode: '99999', actor: 'canbo.test', zip }))).toBe('IMPORT_AGENCY_UNKNOWN');
});

test('as an activity: heartbeats the bytes stored, and returns lists cut short while the stored report keeps them whole', async () => {
  const names = Array.from({ length: 120 }, (_, i) => `KS.2021.1.${i + 1}.pdf`);
  const zip = await storedZip('KS.2021.1.zip', names.map((name) => ({ name, data: page() })));
  const env = new MockActivityEnvironment();
  const beats: Array<{ bytes: number }> = [];
  env.on('heartbeat', (d: { bytes: number }) => beats.push(d));
  const { importScans } = createScanActivities(deps());
  const report: ScanImportReport = await env.run(importScans, { importKey: 'activity-import', agencyCode: AGENCY, actor: 'canbo.test', zip });
  expect(report.counts.unmatched).toBe(120);
  expect(report.unmatched).toHaveLength(100);
  expect(report.truncatedLists).toEqual(['unmatched']);
  expect(beats.length).toBeGreaterThan(0);
  expect(beats[beats.length - 1]!.bytes).toBe(report.counts.bytes);
  const stored = await db.pool.query(`SELECT report FROM imports WHERE id = $1`, [report.importId]);
  expect(stored.rows[0].report.unmatched).toHaveLength(120);
});

test('an agency merged from former communes: a book number they share is refused until the zip names its unit', async () => {
  const book = { type: 'KT', year: 2012, book: '01' };
  // Two former wards merged into the agency each kept a "Quyển số 01/2012" of deaths.
  await addRecords(book, ['1', '2'], { unit: '00100' });
  await addRecords(book, ['1'], { unit: '00103' });
  const files = [page(), page()];
  const zip = await storedZip('KT.2012.01.zip', files.map((data, i) => ({ name: `KT.2012.01.${i + 1}.pdf`, data })));

  const unsaid = await importZip(zip);
  conserved(unsaid.counts);
  // Number 2 exists in one unit only and attaches; number 1 fits both and is not guessed.
  expect(unsaid.counts).toMatchObject({ attached: 1, rejected: 1 });
  expect(unsaid.rejected).toEqual([{ entry: 'KT.2012.01.1.pdf', reason: 'SCAN_UNIT_AMBIGUOUS', messageVi: expect.stringContaining('chọn đơn vị đăng ký cũ') }]);

  const said = await importZip(zip, LIMITS, '00100');
  expect(said.counts).toMatchObject({ attached: 1, alreadyAttached: 1, rejected: 0 });
  expect(said.missingPages).toEqual([]);
  const pages = await db.pool.query<{ unit_code: string; number: string }>(
    `SELECT r.unit_code, r.registration_number AS number FROM attachments a JOIN records r ON r.id = a.record_id WHERE r.register_type = 'KT' AND r.book_year = 2012 ORDER BY 1, 2`,
  );
  expect(pages.rows).toEqual([{ unit_code: '00100', number: '1' }, { unit_code: '00100', number: '2' }]);
});

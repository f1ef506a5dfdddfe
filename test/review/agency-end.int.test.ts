/**
 * An agency's run ends when its work is done, on the real Temporal dev server and PostgreSQL:
 * every split file of the agency imported, no import in flight, every book decided. An agency
 * importing by hand file by file is not completed after its first file; an import still
 * running when the last book is decided keeps the run open, and its records go to review. The
 * update validators refuse a close without a user and an import naming no well-formed stored
 * file before anything enters the history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import XLSX from '@e965/xlsx';
import type { WorkflowHandle } from '@temporalio/client';
import type { Workers } from '../../worker/create-worker';
import { runFolders } from '../../activities/split/split-package';
import type { SplitAgency, SplitFile } from '../../activities/split/split-export';
import type { StoredSource } from '../../domain/imports/import-types';
import { fieldsOf } from '../../domain/registers/register-types';
import { splitFilesLeft } from '../../domain/review/agency-end';
import { hasWorkLeft } from '../../domain/review/review-rules';
import type { BookRef, ReviewActor } from '../../domain/review/review-types';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { agencyRunProgress, closeAgency, importExcel, importScans } from '../../workflows/definitions';
import { createProvinceRunHarness, releasedRun, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import { codeOfAny, rejectAll as rejectAllOf, waitFor } from './review-support';

// Each test drives a province through split, release and imports on real servers: minutes on two busy cores.
jest.setTimeout(300_000);

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let imports: AgencyImports;
let runId: string;
/** Agencies of the split with two files or more, fewest rows first (each test takes one), and the one left. */
let agencies: SplitAgency[];

beforeAll(async () => {
  h = await createProvinceRunHarness('agency-end');
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('agency-end-gen');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  const released = await releasedRun(h, { out: path.join(gen, '95'), seed: 95, records: 3000 });
  runId = released.runId;
  agencies = [...released.manifest.agencies].sort((a, b) => Number(b.files.length >= 2) - Number(a.files.length >= 2) || a.rows - b.rows);
});

afterAll(async () => {
  if (runId) await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử').catch(() => undefined);
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

const handleOf = (agency: SplitAgency) => h.env.client.workflow.getHandle(agencyWorkflowId(agency.code, runId));
const splitPath = (f: SplitFile) => path.join(runFolders(h.paths, runId).split, f.path);
const stored = (f: SplitFile) => imports.store(fs.createReadStream(splitPath(f)), path.basename(f.path));
const importByHand = (agency: SplitAgency, registerType: SplitFile['registerType'], source: StoredSource) =>
  imports.importExcel({ agencyCode: agency.code, registerType, source, by: { username: 'canbo01', agencyCode: agency.code } });
const rejectAll = (handle: WorkflowHandle, agency: SplitAgency, keep?: BookRef) => rejectAllOf(h.db.pool, handle, agency.code, keep);

/** The run's closing record (agency.completed or agency.closed) is the only recordRunEvent it schedules: none while it is open. */
async function closingEvents(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordRunEvent').length;
}

const acceptedUpdates = async (handle: WorkflowHandle) => ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;

test('an agency importing by hand file by file is not completed after its first file, and completes after its last', async () => {
  const agency = agencies[0]!;
  expect(agency.files.length).toBeGreaterThanOrEqual(2);
  const handle = handleOf(agency);
  const [first, ...rest] = agency.files;

  await importByHand(agency, first!.registerType, await stored(first!));
  expect(await rejectAll(handle, agency)).toBeGreaterThan(0);
  // Every book of the first file is decided (the update returned once the run had weighed its end), yet files remain.
  let state = await handle.query(agencyRunProgress);
  expect(state.books.length).toBeGreaterThan(0);
  expect(state.books.some(hasWorkLeft)).toBe(false);
  expect(Object.values(splitFilesLeft(state.splitFiles!)).reduce((n, k) => n + k!, 0)).toBe(rest.length);
  expect(state.phase).toBe('in_review');
  expect(await closingEvents(handle)).toBe(0);

  // The later files are taken, as the first was.
  for (const f of rest) await importByHand(agency, f.registerType, await stored(f));
  state = await handle.query(agencyRunProgress);
  expect(state.importsDone).toBe(agency.files.length);
  expect(splitFilesLeft(state.splitFiles!)).toEqual({});
  expect(state.phase).toBe('in_review');

  expect(await rejectAll(handle, agency)).toBeGreaterThan(0);
  const done = await handle.result();
  expect(done).toMatchObject({ phase: 'completed', importsDone: agency.files.length });
  expect(done.closed).toBeUndefined();
  expect(await closingEvents(handle)).toBe(1);
});

/** A copy of a split file corrected in Excel: the name in its first data row changed. */
function correctedCopy(f: SplitFile): Buffer {
  const book = XLSX.read(fs.readFileSync(splitPath(f)));
  const sheetName = book.SheetNames[0]!;
  const rows = XLSX.utils.sheet_to_json<Array<string | number | null>>(book.Sheets[sheetName]!, { header: 1, raw: true, defval: null });
  const column = rows[0]!.indexOf(fieldsOf(f.registerType).find((d) => d.key === 'fullName')!.labelVi);
  expect(column).toBeGreaterThanOrEqual(0);
  rows[1]![column] = `${String(rows[1]![column])} (đã sửa)`;
  const copy = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(copy, XLSX.utils.aoa_to_sheet(rows), sheetName);
  return XLSX.write(copy, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

test('an import in flight when the last book is decided keeps the run open until it lands; then its records go to review', async () => {
  const agency = agencies[1]!;
  expect(agency.files.length).toBeGreaterThanOrEqual(2);
  const handle = handleOf(agency);
  for (const f of agency.files) await importByHand(agency, f.registerType, await stored(f));
  const named = agency.files.filter((f) => fieldsOf(f.registerType).some((d) => d.key === 'fullName'));
  const corrected = named[0]!;
  // The book left to decide last is of another register type than the corrected file's.
  const last = (await handle.query(agencyRunProgress)).books.find((b) => b.registerType !== corrected.registerType && hasWorkLeft(b))!;
  expect(last).toBeDefined();
  await rejectAll(handle, agency, { registerType: last.registerType, unitCode: last.unitCode, bookYear: last.bookYear, bookKey: last.bookKey });

  // The corrected file is imported while PostgreSQL holds its import back: it is accepted, and in flight.
  const copy = await imports.store(Readable.from([correctedCopy(corrected)]), path.basename(corrected.path).replace(/\.xls$/, ' - đã sửa.xlsx'));
  const lock = await h.db.pool.connect();
  let pending: ReturnType<AgencyImports['importExcel']> | undefined;
  try {
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE imports IN EXCLUSIVE MODE');
    pending = importByHand(agency, corrected.registerType, copy);
    pending.catch(() => undefined);
    await waitFor('the import to wait for the lock', async () => {
      const r = await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO imports%'`);
      return r.rows[0]!.n > 0 ? true : undefined;
    });
    // The last book is decided: every book is, every split file is imported, but an import is still running.
    expect(await rejectAll(handle, agency)).toBeGreaterThan(0);
    const state = await handle.query(agencyRunProgress);
    expect(state.books.some(hasWorkLeft)).toBe(false);
    expect(splitFilesLeft(state.splitFiles!)).toEqual({});
    expect(state.phase).toBe('in_review');
    expect(await closingEvents(handle)).toBe(0);
    await lock.query('COMMIT');
  } finally {
    lock.release();
  }

  const result = await pending!;
  expect(result.counts).toMatchObject({ updated: 1, inserted: 0 });
  const state = await handle.query(agencyRunProgress);
  expect(state.phase).toBe('in_review');
  expect(state.books.filter(hasWorkLeft).map((b) => [b.registerType, b.counts.imported])).toEqual([[corrected.registerType, 1]]);
  expect(await closingEvents(handle)).toBe(0);

  // Its record reviewed, the agency's work is done.
  expect(await rejectAll(handle, agency)).toBe(1);
  expect(await handle.result()).toMatchObject({ phase: 'completed' });
});

test('update validators refuse a close without a user and an import naming no well-formed stored file, before the history', async () => {
  const agency = agencies[2]!;
  const handle = handleOf(agency);
  await waitFor('the agency run to have started', async () => ((await handle.query(agencyRunProgress)).splitFiles ? true : undefined));
  const before = await acceptedUpdates(handle);
  const official = { username: 'canbo01', agencyCode: agency.code };
  const sha256 = 'ab'.repeat(32);

  // Before: a coordinator's close without a username passed the validator, and the handler's TypeError failed the workflow task.
  for (const by of [undefined, { role: 'coordinator' }, { username: ' ', role: 'coordinator' }]) {
    expect(await codeOfAny(handle.executeUpdate(closeAgency, { args: [{ by: by as ReviewActor, reason: 'Đóng thử' }] }))).toBe('RUN_ACTOR_MISSING');
  }
  for (const source of [undefined, { sha256: '../../../etc/passwd', name: 'KS.xls' }, { sha256, name: '' }, { sha256, name: '../KS.xls' }]) {
    expect(await codeOfAny(handle.executeUpdate(importExcel, { args: [{ by: official, registerType: 'KS', source: source as StoredSource }] }))).toBe('IMPORT_SOURCE_INVALID');
    expect(await codeOfAny(handle.executeUpdate(importScans, { args: [{ by: official, zip: source as StoredSource }] }))).toBe('IMPORT_SOURCE_INVALID');
  }

  expect(await acceptedUpdates(handle)).toBe(before);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  expect((await handle.query(agencyRunProgress)).importsDone).toBe(0);
});

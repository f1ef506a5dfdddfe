/**
 * A custodian decision after release, on the real Temporal dev server and PostgreSQL. A former
 * unit left undecided at release is given to an agency whose run is going: the run waits for
 * the unit's new file before it completes, and, when the coordinator chose auto-import at
 * release, imports it by itself. Given to an agency whose run has ended, the unit's file gets
 * the agency a run again, which waits for that file alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { Workers } from '../../worker/create-worker';
import { MANIFEST_FILE, type SplitFile, type SplitManifest } from '../../activities/split/split-export';
import { runFolders } from '../../activities/split/split-package';
import { splitFilesLeft } from '../../domain/review/agency-end';
import { hasWorkLeft } from '../../domain/review/review-rules';
import { agencyWorkflowId, type AgencyRunState } from '../../domain/runs/province-run';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import type { CustodianView } from '../../services/province-runs';
import { createUsersRepository } from '../../api/repositories/users';
import type { Defect } from '../../domain/synthetic/defects';
import { EXCEPTIONS_INFO_SHEET, PLACEMENT_COLUMN } from '../../activities/split/split-export';
import { cliEnv, runCli } from '../support/cli-process';
import { testEnv } from '../support/env';
import * as XLSX from '@e965/xlsx';
import type { agencyRun } from '../../workflows/agency-run';
import { agencyRunProgress, closeAgency } from '../../workflows/definitions';
import { rejectAll, waitFor } from '../review/review-support';
import { createProvinceRunHarness, releasedRun, scratchDir, type ProvinceRunHarness } from '../support/province-runs';

// Each test drives a province through split, release and imports on real servers: minutes on two busy cores.
jest.setTimeout(300_000);

const COORDINATOR = 'dieuphoi01';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let imports: AgencyImports;
const runIds: string[] = [];

beforeAll(async () => {
  h = await createProvinceRunHarness('custodians-after-release');
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('custodians-after-release');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
});

afterAll(async () => {
  for (const runId of runIds) await h.runs.cancel(runId, COORDINATOR, 'kết thúc kiểm thử').catch(() => undefined);
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

async function released(seed: number, records: number, autoImport: boolean, defects?: Defect[]): Promise<{ runId: string; manifest: SplitManifest }> {
  const run = await releasedRun(h, { out: path.join(gen, [seed, ...(defects ?? [])].join('-')), seed, records, autoImport, defects });
  runIds.push(run.runId);
  return run;
}

const manifestOf = (runId: string) => JSON.parse(fs.readFileSync(path.join(runFolders(h.paths, runId).split, MANIFEST_FILE), 'utf8')) as SplitManifest;
const handleOf = (runId: string, agencyCode: string) => h.env.client.workflow.getHandle<typeof agencyRun>(agencyWorkflowId(agencyCode, runId));
const stateOf = (runId: string, agencyCode: string) => handleOf(runId, agencyCode).query(agencyRunProgress);
const filesLeft = (state: AgencyRunState) => Object.values(splitFilesLeft(state.splitFiles!)).reduce((n, k) => n + k!, 0);
/** The files the split wrote into the agency's folder for the former unit. */
const unitFiles = (runId: string, agencyCode: string, unitCode: string) =>
  manifestOf(runId).agencies.find((a) => a.code === agencyCode)!.files.filter((f) => f.placedBy && 'custodianOf' in f.placedBy && f.placedBy.custodianOf === unitCode);

async function importByHand(runId: string, agencyCode: string, files: readonly SplitFile[]) {
  for (const f of files) {
    const source = await imports.store(fs.createReadStream(path.join(runFolders(h.paths, runId).split, f.path)), path.basename(f.path));
    const result = await imports.importExcel({ agencyCode, registerType: f.registerType, source, by: { username: 'canbo01', agencyCode } });
    // Every row taken: a former unit's rows too, in the agency the run's decision names.
    expect(result.counts).toMatchObject({ read: f.rows, rejected: 0 });
  }
}

/** Former units still undecided, each given to another agency of the split (so its run is going): a candidate where one is. */
async function undecidedUnits(runId: string, manifest: SplitManifest, count: number): Promise<Array<{ unit: CustodianView; agencyCode: string }>> {
  const units = (await h.runs.custodians(runId)).units.filter((u) => !u.decision).slice(0, count);
  expect(units).toHaveLength(count);
  const free = manifest.agencies.map((a) => a.code);
  return units.map((unit) => {
    const agencyCode = free.find((code) => unit.candidates.some((c) => c.code === code)) ?? free[0]!;
    free.splice(free.indexOf(agencyCode), 1);
    return { unit, agencyCode };
  });
}

const decide = (runId: string, { unit, agencyCode }: { unit: CustodianView; agencyCode: string }) =>
  h.runs.decideCustodians(runId, COORDINATOR, [{ unitCode: unit.unitCode, agencyCode, ...(unit.candidates.some((c) => c.code === agencyCode) ? {} : { basis: 'Theo quyết định của UBND thành phố' }) }]);

/** Waits until the agency's run waits for every file of `files`, and returns its state then. */
const waitForFiles = (runId: string, agencyCode: string, files: readonly SplitFile[]) =>
  waitFor(`agency ${agencyCode}'s run to wait for the new files`, async () => {
    const state = await stateOf(runId, agencyCode);
    const expected = Object.values(state.splitFiles?.expected ?? {}).flat();
    return files.every((f) => expected.includes(f.sha256)) ? state : undefined;
  });

const isRunning = async (handle: WorkflowHandle) => (await handle.describe()).status.name === 'RUNNING';
/** The run's end, or the test fails with what the run still waits for. */
async function completion(handle: WorkflowHandle<typeof agencyRun>): Promise<AgencyRunState> {
  const closed = await waitFor(`${handle.workflowId} to complete`, async () => ((await isRunning(handle)) ? undefined : true), 150_000).catch(async (e: Error) => {
    const s = await handle.query(agencyRunProgress);
    throw new Error(`${e.message}: ${JSON.stringify({ phase: s.phase, filesLeft: splitFilesLeft(s.splitFiles!), booksLeft: s.books.filter(hasWorkLeft).length })}`);
  });
  expect(closed).toBe(true);
  return handle.result();
}

test('an agency importing by hand: its run waits for the file a decision after release gives it; ended, it gets a run again for that file alone', async () => {
  const { runId, manifest } = await released(95, 3100, false);
  const [going, ended] = await undecidedUnits(runId, manifest, 2);
  // Other agencies keep the province run going, open to decisions, while these two end.
  expect(manifest.agencies.length).toBeGreaterThan(2);
  const ownFiles = (code: string) => manifest.agencies.find((a) => a.code === code)!.files;

  // The agency going: its own files imported, then the decision.
  const goingHandle = handleOf(runId, going!.agencyCode);
  await importByHand(runId, going!.agencyCode, ownFiles(going!.agencyCode));
  expect(await decide(runId, going!)).toMatchObject({ decided: 1 });
  const newFiles = unitFiles(runId, going!.agencyCode, going!.unit.unitCode);
  expect(newFiles.reduce((n, f) => n + f.rows, 0)).toBe(going!.unit.rows);
  let state = await waitForFiles(runId, going!.agencyCode, newFiles);
  expect(filesLeft(state)).toBe(newFiles.length);

  // Every record it has is decided, yet the run does not complete: the unit's file is not imported.
  expect(await rejectAll(h.db.pool, goingHandle, going!.agencyCode)).toBeGreaterThan(0);
  state = await goingHandle.query(agencyRunProgress);
  expect(state.phase).toBe('in_review');
  expect(await isRunning(goingHandle)).toBe(true);

  await importByHand(runId, going!.agencyCode, newFiles);
  expect(filesLeft(await goingHandle.query(agencyRunProgress))).toBe(0);
  await rejectAll(h.db.pool, goingHandle, going!.agencyCode);
  expect(await completion(goingHandle)).toMatchObject({ phase: 'completed' });

  // The agency whose run has ended: its own files imported and decided, it completes; then the decision.
  const endedHandle = handleOf(runId, ended!.agencyCode);
  await importByHand(runId, ended!.agencyCode, ownFiles(ended!.agencyCode));
  await rejectAll(h.db.pool, endedHandle, ended!.agencyCode);
  const first = await completion(endedHandle);
  expect(first.phase).toBe('completed');
  const firstExecution = (await endedHandle.describe()).runId;
  await decide(runId, ended!);
  const again = await waitFor('the agency to get a run again', async () => {
    const d = await endedHandle.describe();
    return d.runId !== firstExecution && d.status.name === 'RUNNING' ? d : undefined;
  });
  const unitOnly = unitFiles(runId, ended!.agencyCode, ended!.unit.unitCode);
  state = await waitForFiles(runId, ended!.agencyCode, unitOnly);
  // It waits for the unit's files alone; those of the earlier run are known, not waited for.
  expect(Object.values(state.splitFiles!.expected).flat().sort()).toEqual(unitOnly.map((f) => f.sha256).sort());
  expect(Object.values(state.splitFiles!.earlier).flat().sort()).toEqual(ownFiles(ended!.agencyCode).map((f) => f.sha256).sort());
  expect((await h.runs.status(runId)).progress.agencies.find((a) => a.code === ended!.agencyCode)!.phase).not.toBe('completed');

  await importByHand(runId, ended!.agencyCode, unitOnly);
  await rejectAll(h.db.pool, endedHandle, ended!.agencyCode);
  expect(await completion(h.env.client.workflow.getHandle<typeof agencyRun>(endedHandle.workflowId, again.runId))).toMatchObject({ phase: 'completed' });

  // Each run of the agency has its end on the audit log, and the start of the second says why.
  const audit = await h.db.pool.query<{ actor: string; action: string; details: Record<string, unknown> }>(
    `SELECT actor, action, details FROM audit_log WHERE workflow_id = $1 AND action LIKE 'agency.%' ORDER BY seq`,
    [endedHandle.workflowId],
  );
  expect(audit.rows).toEqual([
    { actor: 'system', action: 'agency.completed', details: expect.not.objectContaining({ execution: expect.anything() }) },
    { actor: COORDINATOR, action: 'agency.started_again', details: expect.objectContaining({ agency: ended!.agencyCode, newFiles: unitOnly.length, execution: again.runId }) },
    { actor: 'system', action: 'agency.completed', details: expect.objectContaining({ execution: again.runId }) },
  ]);
});

test('with auto-import chosen at release, the agency imports the file a decision gives it by itself, while its run goes on and in a run started again', async () => {
  const { runId, manifest } = await released(94, 900, true);
  const [first, second] = await undecidedUnits(runId, manifest, 2);
  const { unit, agencyCode } = first!;
  const later = second!.unit;
  const own = manifest.agencies.find((a) => a.code === agencyCode)!.files;
  const handle = handleOf(runId, agencyCode);
  await waitFor('the agency to import its own files', async () => ((await handle.query(agencyRunProgress)).importsDone >= own.length ? true : undefined), 150_000);

  await decide(runId, { unit, agencyCode });
  const newFiles = unitFiles(runId, agencyCode, unit.unitCode);
  const state = await waitFor('the new files imported by the run itself', async () => {
    const s = await handle.query(agencyRunProgress);
    return s.importsDone === own.length + newFiles.length ? s : undefined;
  });
  expect(filesLeft(state)).toBe(0);
  expect(state.imports.slice(-newFiles.length).map((i) => [i.by, i.sourceSha256])).toEqual(newFiles.map((f) => [COORDINATOR, f.sha256]));
  // Its records are still to review: the run goes on.
  expect(state.phase).toBe('in_review');
  expect(await isRunning(handle)).toBe(true);
  await rejectAll(h.db.pool, handle, agencyCode);
  expect(await completion(handle)).toMatchObject({ phase: 'completed' });

  // Ended, it gets a run again, which imports the next unit's file by itself.
  const firstExecution = (await handle.describe()).runId;
  await decide(runId, { unit: later, agencyCode });
  const laterFiles = unitFiles(runId, agencyCode, later.unitCode);
  const again = await waitFor('the run started again to import the file', async () => {
    const d = await handle.describe();
    const s = d.runId === firstExecution ? undefined : await handle.query(agencyRunProgress);
    return s && s.importsDone === laterFiles.length ? { runId: d.runId, state: s } : undefined;
  });
  expect(again.state.imports.map((i) => i.sourceSha256).sort()).toEqual(laterFiles.map((f) => f.sha256).sort());
  expect(filesLeft(again.state)).toBe(0);
  await rejectAll(h.db.pool, handle, agencyCode);
  expect(await completion(h.env.client.workflow.getHandle<typeof agencyRun>(handle.workflowId, again.runId))).toMatchObject({ phase: 'completed' });

  // Once every agency has ended the province run completes, and takes no more decisions.
  for (const a of manifest.agencies.filter((x) => x.code !== agencyCode)) {
    await handleOf(runId, a.code).executeUpdate(closeAgency, { args: [{ by: { username: COORDINATOR, role: 'coordinator' }, reason: 'Kết thúc kiểm thử' }] });
  }
  await waitFor('the province run to complete', async () => ((await h.runs.status(runId)).status === 'COMPLETED' ? true : undefined));
  await expect(decide(runId, { unit: later, agencyCode })).rejects.toMatchObject({ code: 'RUN_DECISIONS_NOT_OPEN', messageVi: expect.stringContaining('Hoàn tất') });
});

test("rows placed by hand after release reach the agency's run, and the CLI says why each row it could not place stays an exception", async () => {
  const { runId, manifest } = await released(94, 900, false, ['unit-code-unknown']);
  const agencyCode = manifest.agencies[0]!.code;
  // An unknown code the coordinator recognises, and a row of a former unit, whose books go whole to one custodian.
  const wb = XLSX.readFile(h.runs.exceptionsFile(runId));
  const asked: Record<string, string> = {};
  for (const name of wb.SheetNames.filter((n) => n !== EXCEPTIONS_INFO_SHEET)) {
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name]!, { header: 1, raw: true, defval: null });
    rows.forEach((r, i) => {
      const reason = String(r[0]);
      const kind = reason === 'UNIT_UNKNOWN_CODE' ? 'unknown' : reason.endsWith('_NEEDS_DECISION') ? 'former' : undefined;
      if (i === 0 || !kind || asked[kind]) return;
      asked[kind] = `${String(r[2])}!${String(r[3])}`;
      XLSX.utils.sheet_add_aoa(wb.Sheets[name]!, [[agencyCode]], { origin: { r: i, c: PLACEMENT_COLUMN } });
    });
  }
  expect(Object.keys(asked).sort()).toEqual(['former', 'unknown']);
  const filled = path.join(gen, 'ngoai-le-da-dien.xlsx');
  XLSX.writeFile(wb, filled);

  await createUsersRepository(h.db.pool).create({ username: COORDINATOR, password: 'mat-khau-thu-nghiem', role: 'coordinator', provinceCode: '01', agencyCode: null, displayName: '' });
  const env = cliEnv({ TEMPORAL_ADDRESS: testEnv('temporalAddress'), TEMPORAL_TASK_QUEUE: h.taskQueue, DATABASE_URL: h.db.url, HOTICH_DATA_DIR: h.dataDir, HOTICH_INBOX_DIR: h.paths.inbox, HOTICH_USER: COORDINATOR, LOG_LEVEL: 'warn' });
  const placed = await runCli(['run', 'place-exceptions', runId, '--file', filled], env);
  expect(placed.stderr).toBe('');
  expect(placed.stdout).toContain('Đã xếp 1 dòng, 1 dòng không xếp được.');
  const former = (await h.runs.custodians(runId)).units.map((u) => `${u.unitCode} - ${u.unitName}`);
  const line = placed.stdout.split('\n').find((l) => l.includes(`Dòng ${asked.former} (${agencyCode}) chưa xếp`))!;
  expect(line).toMatch(/ — PLACEMENT_UNIT_NEEDS_DECISION: Dòng thuộc đơn vị cũ (.+): sổ của đơn vị này được giao nguyên cho một cơ quan lưu giữ theo quyết định \(hotich run decide-custodians\), không xếp tay từng dòng\.$/);
  expect(former).toContain(/đơn vị cũ (.+): sổ/.exec(line)![1]);

  // The agency's run waits for its file of rows placed by hand.
  const byHand = manifestOf(runId).agencies.find((a) => a.code === agencyCode)!.files.filter((f) => f.placedBy && 'hand' in f.placedBy);
  expect(byHand.reduce((n, f) => n + f.rows, 0)).toBe(1);
  const state = await waitForFiles(runId, agencyCode, byHand);
  expect(filesLeft(state)).toBe(manifestOf(runId).agencies.find((a) => a.code === agencyCode)!.files.length);
});

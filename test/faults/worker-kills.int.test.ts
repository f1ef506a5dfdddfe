/**
 * kill -9 of the worker process, in the middle of each kind of work, on a whole province that
 * then runs to its end with every count exact (final-counts.ts):
 *
 * 1. during the split, once its hidden output folder exists: the split starts over on the next
 *    worker, the half-written folder discarded;
 * 2. at once during an Excel import (an official's corrected split file), a scan import (a
 *    unit's zip), a page of decisions (approvals) and a transfer batch, each held where its work
 *    is done but not committed: the test holds a SHARE lock on the audit log, which each writes
 *    last in its transaction (a transfer batch after CSDLHTĐT has committed its rows). Killed
 *    there, PostgreSQL rolls the imports and the batch back; the page of decisions, whose COMMIT
 *    went with its audit INSERT, it commits alone. The next worker does each again (the imports
 *    and the batch once their heartbeat timeout has passed, the decisions with the workflow task
 *    that carried them), each exactly once.
 *
 * Temporal only learns that a worker is gone when the activity's heartbeat timeout runs out
 * (30 s for the split and transfers, a minute for imports): most of this test is that wait.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { WorkflowHandle } from '@temporalio/client';
import { Client } from 'pg';
import { runFolders } from '../../activities/split/split-package';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { agencyWorkflowId, provinceRunWorkflowId } from '../../domain/runs/province-run';
import { checkFinalCounts, describeCounts } from '../support/final-counts';
import { faultRecords, faultTimeouts, startFaultSystem, type FaultSystem } from '../support/fault-system';
import { generateProvince, waitUntil, wholeProvince, type GeneratedProvince } from '../support/whole-province';

const RECORDS = faultRecords();
const TIMEOUTS = faultTimeouts();
let system: FaultSystem;
let gen: GeneratedProvince;
let locker: Client | undefined;

beforeAll(async () => {
  // Batches of 25 leave when full; the rest only when asked (transfer now), so the test chooses when a batch is in flight.
  system = await startFaultSystem('worker-kills', { review: { transferBatchSize: 25, transferDelayMs: 10 * 60_000 } });
  gen = await generateProvince(system, { provinceCode: '01', records: RECORDS, seed: 41 });
}, TIMEOUTS.setUpMs);

afterAll(async () => {
  await locker?.end().catch(() => undefined);
  await system?.close();
});

/** The highest attempt at which an activity of this type started, in the run's history. */
async function attemptsOf(handle: WorkflowHandle, activityType: string): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType).map((e) => String(e.eventId)));
  return Math.max(0, ...events.filter((e) => e.activityTaskStartedEventAttributes && scheduled.has(String(e.activityTaskStartedEventAttributes.scheduledEventId))).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0));
}

/** The activity types a workflow has started and not finished, and on which worker. */
async function pendingOf(handle: WorkflowHandle): Promise<Array<{ type: string; worker: string }>> {
  return ((await handle.describe()).raw.pendingActivities ?? []).filter((p) => p.lastWorkerIdentity).map((p) => ({ type: p.activityType!.name!, worker: p.lastWorkerIdentity! }));
}

/** One of the agency's split files with `rows` rows of its notes changed, as an official corrects it in Excel. */
function correctedSplitFile(province: ReturnType<typeof wholeProvince>, agencyCode: string, rows: number): { file: string; registerType: RegisterTypeCode } {
  const agency = province.manifest().agencies.find((a) => a.code === agencyCode)!;
  const source = [...agency.files].sort((a, b) => b.rows - a.rows)[0]!;
  const wb = XLSX.readFile(path.join(runFolders(system.paths, province.runId).split, source.path), { raw: true });
  const sheet = wb.Sheets[wb.SheetNames[0]!]!;
  const table = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null });
  const notes = table[0]!.indexOf('Ghi chú');
  expect(notes).toBeGreaterThanOrEqual(0);
  for (let r = 1; r <= rows; r++) table[r]![notes] = `Đã đối chiếu với sổ gốc, sửa lần ${r}`;
  const out = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(out, XLSX.utils.aoa_to_sheet(table), wb.SheetNames[0]!);
  const file = path.join(system.dir, `${agencyCode} - ${source.registerType} - đã sửa.xlsx`);
  XLSX.writeFile(out, file);
  return { file, registerType: source.registerType };
}

test('the worker killed during the split, then during an Excel import, a scan import, a page of decisions and a transfer: the province completes with every count exact', async () => {
  let worker = await system.startWorker();
  const province = wholeProvince(system, gen);
  await province.receive();

  // 1. The split.
  await province.confirm();
  const folders = runFolders(system.paths, province.runId);
  const partial = path.join(folders.root, '.split.partial');
  await waitUntil('the split to begin writing', async () => (fs.existsSync(partial) ? true : undefined), 120_000, 5);
  await system.kill(worker);
  const runHandle = system.temporal.workflow.getHandle(provinceRunWorkflowId(province.runId));
  expect(fs.existsSync(partial) && !fs.existsSync(folders.split)).toBe(true);
  expect(await pendingOf(runHandle)).toEqual([{ type: 'splitPackage', worker: worker.identity }]);
  worker = await system.startWorker();
  const manifest = await province.waitSplit();
  expect(manifest.input.rows).toBe(RECORDS);
  expect(fs.existsSync(partial)).toBe(false);
  expect(await attemptsOf(runHandle, 'splitPackage')).toBe(2);
  process.stdout.write(`split: worker killed with the split under way; attempt 2 split ${manifest.input.rows} rows\n`);

  await province.decideCustodians();
  await province.releaseAndImport();

  // Four agencies, one for each kind of work held at the kill; decisions hold their agency run's workflow task, so no other work shares it.
  const byRows = [...province.manifest().agencies].sort((a, b) => b.rows - a.rows || a.code.localeCompare(b.code));
  expect(byRows.length).toBeGreaterThanOrEqual(4);
  const [deciding, transferring, excelByHand, scanning] = byRows.map((a) => a.code) as [string, string, string, string];
  const unitsOf = new Map<string, typeof gen.scans>();
  for (const s of gen.scans) {
    const a = await province.agencyOfUnit(s.unitCode);
    unitsOf.set(a, [...(unitsOf.get(a) ?? []), s]);
  }
  const heldZip = [...unitsOf.get(scanning)!].sort((a, b) => b.pages - a.pages)[0]!;
  for (const s of gen.scans) if (s !== heldZip) await province.importScans(s);
  // Less than a batch approved, to leave when asked.
  const transferRecords = (await system.review.list(transferring, { state: 'imported', scanned: true, limit: 10, offset: 0 })).items;
  await system.review.decide(transferring, province.officialOf(transferring), transferRecords.map((r) => ({ recordId: r.id, kind: 'approve' as const })));
  for (const r of transferRecords) province.ledger.approvalsAsked.add(r.id);
  const corrected = correctedSplitFile(province, excelByHand, 3);

  // 2. The four at once, held before their commit.
  locker = new Client({ connectionString: system.ownerUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE audit_log IN SHARE MODE');
  const excelDone = province.importExcelByHand(excelByHand, corrected.registerType, corrected.file, 3);
  const scansDone = province.importScans(heldZip);
  const decided = province.approveAgency(deciding, 50);
  await province.transferNow(transferring);
  const agencyHandle = (code: string) => system.temporal.workflow.getHandle(agencyWorkflowId(code, province.runId));
  const held = await waitUntil('the four transactions waiting for the audit log', async () => {
    const waiting = await system.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO audit_log%'`,
    );
    const target = await system.pool.query(`SELECT 1 FROM csdlhtdt.civil_status_records`);
    const pending = [...(await pendingOf(agencyHandle(excelByHand))), ...(await pendingOf(agencyHandle(scanning))), ...(await pendingOf(agencyHandle(transferring)))];
    return waiting.rows.length === 4 && target.rowCount === transferRecords.length && pending.map((p) => p.type).sort().join() === 'importExcel,importScans,transferApproved'
      ? { pids: waiting.rows.map((w) => w.pid), pending }
      : undefined;
  }, 180_000);
  expect(held.pending.every((p) => p.worker === worker.identity)).toBe(true);
  await system.kill(worker);
  await locker.query('ROLLBACK');
  await locker.end();
  locker = undefined;
  await waitUntil('the dead worker’s transactions to end', async () => ((await system.pool.query(`SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)`, [held.pids])).rowCount === 0 ? true : undefined));
  // Of the four, the imports were not committed; the target's rows were, and so was the page of
  // decisions: its audit INSERT and its COMMIT reached PostgreSQL in one message before the kill
  // (db/transaction.ts commitWith), so the server ends it alone, as it would a COMMIT sent just
  // before a crash. The retry on the next worker must find the page decided (counts below).
  expect((await system.pool.query(`SELECT status FROM imports WHERE source_name = $1`, [path.basename(corrected.file)])).rows).toEqual([{ status: 'running' }]);
  expect((await system.pool.query(`SELECT 1 FROM records WHERE unit_code = $1 AND EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = records.id)`, [heldZip.unitCode])).rowCount).toBe(0);
  expect((await system.pool.query(`SELECT 1 FROM decisions d JOIN records r ON r.id = d.record_id WHERE r.agency_code = $1`, [deciding])).rowCount).toBe(50);
  expect((await system.pool.query(`SELECT 1 FROM records WHERE target_id IS NOT NULL`)).rowCount).toBe(0);

  worker = await system.startWorker();
  const excel = await excelDone;
  expect(excel.counts).toMatchObject({ updated: 3, inserted: 0, rejected: 0 });
  const scans = await scansDone;
  expect(scans.counts).toMatchObject({ attached: heldZip.pages, alreadyAttached: 0, rejected: 0 });
  const approvedByDeciding = await decided;
  expect(approvedByDeciding).toBe(province.manifest().agencies.find((a) => a.code === deciding)!.rows);
  // The deciding agency's approvals leave in full batches meanwhile: the held batch is the transferring agency's.
  const transferredOf = async (code: string) => (await system.pool.query(`SELECT 1 FROM records WHERE state = 'transferred' AND agency_code = $1`, [code])).rowCount;
  await waitUntil('the held batch transferred', async () => ((await transferredOf(transferring)) === transferRecords.length ? true : undefined)).catch(async (e: unknown) => {
    const pending = (await agencyHandle(transferring).describe()).raw.pendingActivities ?? [];
    const batches = (await system.pool.query('SELECT batch_key, status, records, attempts, last_error FROM transfer_batches')).rows;
    throw new Error(`${(e as Error).message}; pending ${JSON.stringify(pending)}; batches ${JSON.stringify(batches)}`);
  });
  expect(await attemptsOf(agencyHandle(excelByHand), 'importExcel')).toBe(2);
  expect(await attemptsOf(agencyHandle(scanning), 'importScans')).toBe(2);
  expect(await attemptsOf(agencyHandle(transferring), 'transferApproved')).toBe(2);
  // The decisions' workflow task was lost with the worker and carried out again by the next one.
  const decidingEvents = (await agencyHandle(deciding).fetchHistory()).events ?? [];
  expect(decidingEvents.some((e) => e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes)).toBe(true);
  process.stdout.write(
    `held and killed: Excel import (${excel.counts.updated} rows updated on attempt 2), scan import (${scans.counts.attached} pages on attempt 2), ` +
      `a page of decisions (then ${approvedByDeciding} approvals), a transfer batch of ${transferRecords.length} (target committed, bookkeeping lost; attempt 2)\n`,
  );

  // The rest of the province, to its end.
  for (const code of byRows.map((a) => a.code)) await province.approveAgency(code, 100);
  for (const code of byRows.map((a) => a.code)) await province.transferNow(code);
  await province.waitCompleted();
  process.stdout.write(`worker kills: ${describeCounts(await checkFinalCounts(system, province))}\n`);
}, TIMEOUTS.testMs);

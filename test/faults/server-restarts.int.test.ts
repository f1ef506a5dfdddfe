/**
 * The servers under a province that two worker processes run at once (as two machines of
 * docker-compose.yml would): the Temporal dev server killed during the split and started again
 * on the same port and SQLite file; PostgreSQL shut down at once (no checkpoint) while the
 * officials' pages of decisions are in flight, and started again on the same data. People go on
 * as people do (a call that got no answer is made again); the province then runs to its end
 * with every count exact (final-counts.ts), and both workers did work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runFolders } from '../../activities/split/split-package';
import { agencyWorkflowId, provinceRunWorkflowId } from '../../domain/runs/province-run';
import { checkFinalCounts, describeCounts } from '../support/final-counts';
import { faultRecords, faultTimeouts, startFaultSystem, type FaultSystem } from '../support/fault-system';
import { generateProvince, waitUntil, wholeProvince, type GeneratedProvince } from '../support/whole-province';

const RECORDS = faultRecords();
const TIMEOUTS = faultTimeouts();
const DOWN_MS = 3000;
let system: FaultSystem;
let gen: GeneratedProvince;

beforeAll(async () => {
  system = await startFaultSystem('server-restarts');
  gen = await generateProvince(system, { provinceCode: '01', records: RECORDS, seed: 43 });
}, TIMEOUTS.setUpMs);

afterAll(async () => {
  await system?.close();
});

/** The worker identities that started activities in a workflow's history. */
async function activityWorkers(workflowId: string): Promise<string[]> {
  const events = (await system.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  return events.flatMap((e) => (e.activityTaskStartedEventAttributes?.identity ? [e.activityTaskStartedEventAttributes.identity] : []));
}

test('Temporal restarted during the split and PostgreSQL during the decisions, two workers at once: the province completes with every count exact', async () => {
  const workers = await Promise.all([system.startWorker(), system.startWorker()]);
  const province = wholeProvince(system, gen);
  await province.receive();

  // Temporal, killed with the split under way.
  await province.confirm();
  const partial = path.join(runFolders(system.paths, province.runId).root, '.split.partial');
  await waitUntil('the split to begin writing', async () => (fs.existsSync(partial) ? true : undefined), 120_000, 5);
  const temporalDownAt = Date.now();
  await system.restartTemporal(DOWN_MS);
  process.stdout.write(`Temporal killed with the split under way, started again after ${Date.now() - temporalDownAt} ms\n`);
  const manifest = await province.waitSplit();
  expect(manifest.input.rows).toBe(RECORDS);

  await province.decideCustodians();
  await province.releaseAndImport();
  for (const s of gen.scans) await province.importScans(s);

  // PostgreSQL, shut down with every agency's official approving pages of 20.
  const agencies = await province.agencies();
  const approving = Promise.all(agencies.map((code) => province.approveAgency(code, 20)));
  await waitUntil('the first decisions committed', async () => (Number((await system.pool.query<{ n: string }>('SELECT count(*) AS n FROM decisions')).rows[0]!.n) > 0 ? true : undefined), 120_000, 20);
  const decidedBefore = Number((await system.pool.query<{ n: string }>('SELECT count(*) AS n FROM decisions')).rows[0]!.n);
  await system.restartPostgres(DOWN_MS);
  process.stdout.write(`PostgreSQL shut down (immediate) after ${decidedBefore} of ${RECORDS} decisions, started again after ${DOWN_MS} ms down\n`);
  const approved = (await approving).reduce((s, n) => s + n, 0);
  process.stdout.write(`approvals answered: ${approved} of ${RECORDS} (any other decided by a page whose answer was lost), pages sent ${province.ledger.pagesSent}\n`);

  for (const code of agencies) await province.transferNow(code);
  await province.waitCompleted();
  expect(workers.every((w) => w.alive())).toBe(true);

  // Both workers took work: the activities of the runs started on each of them.
  const identities = new Set<string>();
  for (const id of [provinceRunWorkflowId(province.runId), ...agencies.map((code) => agencyWorkflowId(code, province.runId))]) for (const w of await activityWorkers(id)) identities.add(w);
  expect([...identities].sort()).toEqual(workers.map((w) => w.identity).sort());
  process.stdout.write(`server restarts, two workers: ${describeCounts(await checkFinalCounts(system, province))}\n`);
}, TIMEOUTS.testMs);

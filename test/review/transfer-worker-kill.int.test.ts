/**
 * Exactly once across a lost worker: the `hotich worker` process is SIGKILLed after CSDLHTĐT has
 * committed a transfer batch but before our own bookkeeping (records' state and receipts) commits;
 * a new worker process finishes the transfers, and every approved record ends transferred with
 * one row in the target and its receipt, none lost, none twice.
 *
 * How the test stops the worker at exactly that point, without any test-only code in the worker:
 * it holds a SHARE lock on audit_log, which the target's transaction never touches and the
 * bookkeeping transaction writes last. Approvals write to the log too, so the batches are held
 * back (a SHARE lock on transfer_batches, which they begin by writing) until the approvals are
 * in and the log is locked. The worker's bookkeeping then waits in PostgreSQL,
 * where the test sees it (pg_stat_activity) with the target's rows already committed. Killing the
 * process there loses the bookkeeping transaction: PostgreSQL rolls it back when the lock is
 * released and the dead client's connection is found closed.
 *
 * Temporal learns of the lost worker when the activity's heartbeat timeout (30 s) runs out;
 * then the retry policy schedules the next attempt on the new worker.
 */
import fs from 'node:fs';
import { Client } from 'pg';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { TRANSFER_LANES, type ReviewActor } from '../../domain/review/review-types';
import { idempotencyKeyOf } from '../../activities/transfer/transfer-approved';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { createAgencyReview, type AgencyReview } from '../../services/agency-review';
import type { CliProcess } from '../support/cli-process';
import { createProvinceRunHarness, scratchDir, startWorkerProcess, type ProvinceRunHarness } from '../support/province-runs';
import { importedProvince, importZip, recordsWhere, scannedBooksByAgency, waitFor } from './review-support';

const BATCH = 25;

let h: ProvinceRunHarness;
let gen: string;
let imports: AgencyImports;
let review: AgencyReview;
let runId: string | undefined;
let locker: Client | undefined;
const workers: CliProcess[] = [];

const alive = (w: CliProcess) => w.child.exitCode === null && w.child.signalCode === null;

async function startWorker(): Promise<CliProcess> {
  const w = startWorkerProcess(h);
  workers.push(w);
  await w.waitForOutput(/is running/, 60_000);
  return w;
}

beforeAll(async () => {
  // Transfers leave only when asked, so the first batch is a full one.
  h = await createProvinceRunHarness('transfer-kill', { review: { transferBatchSize: BATCH, transferDelayMs: 10 * 60_000 } });
  gen = scratchDir('transfer-kill-gen');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  review = createAgencyReview({ temporal: h.env.client, pool: h.db.pool, imports });
});

afterAll(async () => {
  await locker?.end().catch(() => undefined);
  if (runId && workers.some(alive)) await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử').catch(() => undefined);
  for (const w of workers) if (alive(w)) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test('a worker killed between the target commit and our bookkeeping: a new worker transfers every approved record exactly once', async () => {
  const first = await startWorker();
  const province = await importedProvince(h, gen, { seed: 305, records: 1000, scannedRatio: 0.8 });
  runId = province.runId;
  const [agency, scanBooks] = (await scannedBooksByAgency(h.db.pool, province.books))[0]!;
  let pages = 0;
  for (const b of [...scanBooks].sort((x, y) => y.numbers.length - x.numbers.length)) {
    if (pages >= 2 * BATCH + 10) break;
    pages += (await importZip(imports, province.out, agency, b)).counts.attached;
  }
  const pool = h.db.pool;
  const scanned = await recordsWhere(pool, `r.agency_code = $1 AND EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
  const approved = scanned.slice(0, 2 * BATCH + 10);
  expect(approved).toHaveLength(2 * BATCH + 10);

  // Batches are held back while the approvals are decided (each approval is an audit entry too), then the log is locked and the batches let go.
  const holder = new Client({ connectionString: h.db.ownerUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE transfer_batches IN SHARE MODE');
  // A full batch of approvals leaves at once, without waiting for the delay.
  const official: ReviewActor = { username: 'canbo01', role: 'official', agencyCode: agency };
  const outcomes = (await review.decide(agency, official, approved.map((r) => ({ recordId: r.id, kind: 'approve' as const, pages: r.pages })))).flatMap((r) => r.outcomes);
  expect(outcomes.every((o) => o.outcome === 'decided' && o.state === 'approved')).toBe(true);
  // Only the owner may lock the log: the application may only add to it.
  locker = new Client({ connectionString: h.db.ownerUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE audit_log IN SHARE MODE');
  await holder.query('ROLLBACK');
  await holder.end();

  // The target has committed the first batches (the run sends TRANSFER_LANES at once); our bookkeeping waits for the lock.
  const stuck = await waitFor(`the first batches committed by the target, our bookkeeping not`, async () => {
    const batch = await pool.query<{ id: string; status: string; records: number }>(`SELECT id, status, records FROM transfer_batches WHERE agency_code = $1 ORDER BY id`, [agency]);
    const target = await pool.query<{ idempotency_key: string; target_id: string }>(`SELECT idempotency_key, target_id::text FROM csdlhtdt.civil_status_records ORDER BY target_id`);
    const waiting = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO audit_log%'`,
    );
    const sent = batch.rows.reduce((n, b) => n + b.records, 0);
    return batch.rows.length === TRANSFER_LANES && batch.rows.every((b) => b.status === 'sending') && target.rows.length === sent && waiting.rowCount === TRANSFER_LANES
      ? { batches: batch.rows, target: target.rows, pids: waiting.rows.map((w) => w.pid) }
      : undefined;
  });
  // The first full page of approvals started the transfer: its first batch is full.
  expect(stuck.batches[0]!.records).toBe(BATCH);
  first.child.kill('SIGKILL');
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  await locker.query('ROLLBACK');
  await locker.end();
  locker = undefined;
  // The dead worker's transaction is rolled back: nothing of its bookkeeping remains.
  await waitFor('the dead worker’s transaction to end', async () => {
    const r = await pool.query(`SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)`, [stuck.pids]);
    return r.rowCount === 0 ? true : undefined;
  });
  expect(await pool.query('SELECT 1 FROM records WHERE target_id IS NOT NULL')).toHaveProperty('rowCount', 0);
  expect(await pool.query(`SELECT 1 FROM records WHERE state = 'transferred'`)).toHaveProperty('rowCount', 0);
  expect(await pool.query(`SELECT status FROM transfer_batches`)).toHaveProperty('rows', Array(TRANSFER_LANES).fill({ status: 'sending' }));

  const handle = h.env.client.workflow.getHandle(agencyWorkflowId(agency, province.runId));
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  expect(pending.map((p) => p.activityType?.name)).toEqual(Array(TRANSFER_LANES).fill('transferApproved'));

  await startWorker();
  // The heartbeat timeout (30 s) has to pass before the batch is tried again.
  await waitFor(
    'every approved record transferred',
    async () => {
      const s = await review.state(agency);
      return s.transfer.transferred === approved.length ? s : undefined;
    },
    120_000,
  );

  // Every approved record: transferred, one row in the target, one receipt naming that row.
  const ids = approved.map((r) => r.id).sort((a, b) => a - b);
  const ours = await recordsWhere(pool, `r.agency_code = $1 AND r.state IN ('approved', 'transferred')`, [agency]);
  expect(ours.map((r) => [r.id, r.state])).toEqual(ids.map((id) => [id, 'transferred']));
  const target = await pool.query<{ idempotency_key: string; target_id: string; n: string }>(
    `SELECT idempotency_key, target_id::text, count(*) OVER (PARTITION BY idempotency_key) AS n FROM csdlhtdt.civil_status_records ORDER BY idempotency_key`,
  );
  expect(target.rows).toHaveLength(ids.length);
  expect(target.rows.every((t) => t.n === '1')).toBe(true);
  expect(target.rows.map((t) => t.idempotency_key).sort()).toEqual(ids.map(idempotencyKeyOf).sort());
  const entries = await pool.query(`SELECT DISTINCT unit_code, register_type, book_year, book_number, registration_number FROM csdlhtdt.civil_status_records`);
  expect(entries.rowCount).toBe(ids.length);
  const receipts = await pool.query<{ id: string; target_id: string }>('SELECT id, target_id FROM records WHERE target_id IS NOT NULL ORDER BY id');
  const targetIds = new Map(target.rows.map((t) => [t.idempotency_key, t.target_id]));
  expect(receipts.rows.map((r) => [Number(r.id), r.target_id])).toEqual(ids.map((id) => [id, targetIds.get(idempotencyKeyOf(id))]));
  // The rows the target committed before the kill are the ones the receipts name: the retry got them back, it made no copy.
  for (const t of stuck.target) expect(targetIds.get(t.idempotency_key)).toBe(t.target_id);

  const batches = await pool.query<{ batch_key: string; status: string; records: number; accepted: number; rejected: number }>(
    'SELECT batch_key, status, records, accepted, rejected FROM transfer_batches ORDER BY id',
  );
  expect(batches.rows.every((b) => b.status === 'done' && b.records <= BATCH && b.accepted === b.records && b.rejected === 0)).toBe(true);
  expect(batches.rows.reduce((n, b) => n + b.records, 0)).toBe(ids.length);
  const items = await pool.query<{ n: string; d: string }>('SELECT count(*) AS n, count(DISTINCT m.id) AS d FROM transfer_batches b, unnest(b.record_ids) AS m(id)');
  expect(items.rows[0]).toEqual({ n: String(ids.length), d: String(ids.length) });

  // The first batches really ran twice (their lost attempts and the ones that finished them); the last round found nothing more waiting.
  const history = await handle.fetchHistory();
  // In the order the batches were scheduled: a later batch may finish, and so show its start, before a retried one.
  const startedAttempt = new Map(
    history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => [String(e.activityTaskStartedEventAttributes!.scheduledEventId), e.activityTaskStartedEventAttributes!.attempt]),
  );
  const attempts = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'transferApproved').map((e) => startedAttempt.get(String(e.eventId)));
  expect(attempts.slice(0, TRANSFER_LANES)).toEqual(Array(TRANSFER_LANES).fill(2));
  expect(attempts.slice(TRANSFER_LANES).every((n) => n === 1)).toBe(true);
}, 240_000);

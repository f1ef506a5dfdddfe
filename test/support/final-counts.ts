/**
 * "The final counts match exactly", once for every fault test: after a whole province has run to
 * its end, whatever broke on the way, nothing is lost and nothing is there twice.
 *
 * - rows: the package's rows are the split's (rows written + exceptions, none left undecided),
 *   each agency's files hold its rows and have the SHA-256 the manifest gives them;
 * - records: one per row written, each imported by exactly one finished import of a split
 *   file; every import finished; no two records share a natural key;
 * - pages: one page attached per record, nothing unmatched, nothing replaced;
 * - decisions: one approval per record, of exactly the records the officials asked to approve,
 *   each on the audit log once; every page of decisions is one review batch;
 * - receipts: every record transferred once, with its receipt naming the one row the target
 *   holds for it under its idempotency key; batches done, their records summing to it;
 * - the content store: every file in it is in the files table and the other way round, no
 *   temporary file left behind, every file's bytes hash to its name;
 * - the audit log: every province chain verifies, and reconciliation (database, log and
 *   workflow histories) finds nothing;
 * - the runs: the province run and every agency run completed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runFolders } from '../../activities/split/split-package';
import { idempotencyKeyOf } from '../../activities/transfer/transfer-approved';
import { RECORD_ACTIONS } from '../../domain/records/life-cycle';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { verifyAuditLog } from '../../services/audit-verification';
import type { FaultSystem } from './fault-system';
import type { WholeProvince } from './whole-province';

export interface FinalCounts {
  packageRows: number;
  rowsWritten: number;
  exceptionRows: number;
  splitFiles: number;
  excelImports: number;
  records: number;
  pages: number;
  approvals: number;
  reviewBatches: number;
  transferred: number;
  receipts: number;
  targetRows: number;
  transferBatches: number;
  storeFiles: number;
  filesRows: number;
  auditEntries: number;
  reconcileFindings: number;
}

const n = async (system: FaultSystem, sql: string, params: unknown[] = []) => Number((await system.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

const sha256Of = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every file under the store's object folders, by name, and whatever is left in its folder of temporaries. */
function storeContents(root: string): { objects: string[]; temporaries: string[] } {
  const objects: string[] = [];
  const base = path.join(root, 'sha256');
  for (const fan of fs.readdirSync(base)) for (const f of fs.readdirSync(path.join(base, fan))) objects.push(path.join(base, fan, f));
  return { objects, temporaries: fs.readdirSync(path.join(root, 'incoming')) };
}

export async function checkFinalCounts(system: FaultSystem, province: WholeProvince): Promise<FinalCounts> {
  const { runId, gen, ledger } = province;
  const manifest = province.manifest();
  const agencies = manifest.agencies.map((a) => a.code);

  // Rows: package = split.
  expect(manifest.input).toMatchObject({ rows: gen.records, sha256: gen.sha256 });
  expect(manifest.rowsWritten + manifest.exceptionRows).toBe(gen.records);
  expect(manifest.exceptions.byReason).toEqual({});
  const split = runFolders(system.paths, runId).split;
  const files = manifest.agencies.flatMap((a) => a.files);
  for (const a of manifest.agencies) expect(a.files.reduce((s, f) => s + f.rows, 0)).toBe(a.rows);
  expect(manifest.agencies.reduce((s, a) => s + a.rows, 0)).toBe(manifest.rowsWritten);
  for (const f of files) expect([f.path, sha256Of(path.join(split, f.path))]).toEqual([f.path, f.sha256]);

  // Records: one per row written, each from one finished import of its split file.
  const imports = await system.pool.query<{ kind: string; status: string; source_sha256: string; inserted: string | null; updated: string | null }>(
    `SELECT kind, status, source_sha256, counts->>'inserted' AS inserted, counts->>'updated' AS updated FROM imports`,
  );
  expect(imports.rows.filter((i) => i.status !== 'completed')).toEqual([]);
  const excel = imports.rows.filter((i) => i.kind === 'excel');
  // The split files, each imported once by its agency's run, and the files officials imported by hand (again when an answer was lost).
  const byHand = new Set(ledger.excelByHand.map((e) => e.sha256));
  expect(excel.filter((i) => !byHand.has(i.source_sha256)).map((i) => i.source_sha256).sort()).toEqual(files.map((f) => f.sha256).sort());
  expect([...new Set(excel.filter((i) => byHand.has(i.source_sha256)).map((i) => i.source_sha256))].sort()).toEqual([...byHand].sort());
  expect(excel.reduce((s, i) => s + Number(i.inserted), 0)).toBe(manifest.rowsWritten);
  expect(await n(system, `SELECT count(*) AS n FROM audit_log WHERE action = $1`, [RECORD_ACTIONS.import.audit])).toBe(excel.length);
  // A row changed by hand updates its record once, keeping its earlier version.
  for (const e of ledger.excelByHand) expect([e.sha256, excel.filter((i) => i.source_sha256 === e.sha256).reduce((s, i) => s + Number(i.updated), 0)]).toEqual([e.sha256, e.changedRows]);
  expect(await n(system, 'SELECT count(*) AS n FROM record_versions')).toBe(ledger.excelByHand.reduce((s, e) => s + e.changedRows, 0));
  const records = await n(system, 'SELECT count(*) AS n FROM records');
  expect(records).toBe(manifest.rowsWritten);
  expect(await n(system, 'SELECT count(DISTINCT (agency_code, unit_code, register_type, book_year, book_key, number_key)) AS n FROM records')).toBe(records);

  // Pages: one per record, none waiting, none replaced.
  const pages = await n(system, 'SELECT count(*) AS n FROM attachments');
  expect(pages).toBe(gen.pages);
  expect(await n(system, 'SELECT count(DISTINCT record_id) AS n FROM attachments')).toBe(records);
  expect(await n(system, 'SELECT count(*) AS n FROM unmatched_scans')).toBe(0);
  expect(await n(system, 'SELECT count(*) AS n FROM attachment_history')).toBe(0);
  for (const s of gen.scans) expect([s.unitCode, (ledger.scanReports.get(s.unitCode)?.length ?? 0) > 0]).toEqual([s.unitCode, true]);
  expect(await n(system, `SELECT count(*) AS n FROM audit_log WHERE action = 'import.scans'`)).toBe(imports.rows.filter((i) => i.kind === 'scans').length);

  // Decisions: one approval per record, of the records asked, each on the log once.
  const approvals = await system.pool.query<{ record_id: string; n: string }>(`SELECT record_id, count(*) AS n FROM decisions WHERE kind = 'approve' GROUP BY record_id`);
  expect(approvals.rows.filter((a) => a.n !== '1')).toEqual([]);
  expect(approvals.rows.map((a) => Number(a.record_id)).sort((a, b) => a - b)).toEqual([...ledger.approvalsAsked].sort((a, b) => a - b));
  expect(approvals.rows.length).toBe(records);
  expect([...ledger.approvalsDecided].filter(([, times]) => times !== 1)).toEqual([]);
  expect(await n(system, `SELECT count(*) AS n FROM decisions WHERE kind <> 'approve'`)).toBe(0);
  expect(await n(system, `SELECT count(*) AS n FROM audit_log WHERE action = $1`, [RECORD_ACTIONS.approve.audit])).toBe(records);
  expect(await n(system, `SELECT count(DISTINCT record_id) AS n FROM audit_log WHERE action = $1`, [RECORD_ACTIONS.approve.audit])).toBe(records);
  // Each review batch (a page's decisions on one book) holds the decisions its answer counted.
  const reviewBatches = await system.pool.query<{ batch_key: string; decided: number; n: string }>(
    `SELECT b.batch_key, (b.result->>'decided')::int AS decided, (SELECT count(*) FROM decisions d WHERE d.batch_key = b.batch_key) AS n FROM review_batches b`,
  );
  expect(reviewBatches.rows.filter((b) => Number(b.n) !== b.decided || b.decided === 0)).toEqual([]);

  // Receipts: every record transferred once, its receipt naming its one row in the target.
  const transferred = await n(system, `SELECT count(*) AS n FROM records WHERE state = 'transferred'`);
  expect(transferred).toBe(records);
  const receipts = await system.pool.query<{ id: string; target_id: string; key: string | null }>(
    `SELECT r.id, r.target_id, t.idempotency_key AS key FROM records r LEFT JOIN csdlhtdt.civil_status_records t ON t.target_id::text = r.target_id WHERE r.target_id IS NOT NULL`,
  );
  expect(receipts.rows.length).toBe(transferred);
  expect(receipts.rows.filter((r) => r.key !== idempotencyKeyOf(Number(r.id)))).toEqual([]);
  const targetRows = await n(system, 'SELECT count(*) AS n FROM csdlhtdt.civil_status_records');
  expect(targetRows).toBe(transferred);
  expect(await n(system, 'SELECT count(DISTINCT idempotency_key) AS n FROM csdlhtdt.civil_status_records')).toBe(transferred);
  const batches = await system.pool.query<{ status: string; records: number; accepted: number; rejected: number; batch_key: string }>('SELECT status, records, accepted, rejected, batch_key FROM transfer_batches');
  expect(batches.rows.filter((b) => b.status !== 'done' || b.accepted !== b.records || b.rejected !== 0)).toEqual([]);
  expect(batches.rows.reduce((s, b) => s + b.records, 0)).toBe(transferred);
  expect(await n(system, 'SELECT count(DISTINCT m.id) AS n FROM transfer_batches b, unnest(b.record_ids) AS m(id)')).toBe(transferred);
  expect(await n(system, `SELECT count(*) AS n FROM audit_log WHERE action = 'transfer.batch'`)).toBe(batches.rows.length);

  // The content store: the files table and the store's files are the same set, whole.
  const store = storeContents(system.paths.store);
  expect(store.temporaries).toEqual([]);
  const registered = (await system.pool.query<{ sha256: string }>('SELECT sha256 FROM files')).rows.map((r) => r.sha256).sort();
  expect(store.objects.map((f) => path.basename(f)).sort()).toEqual(registered);
  for (const f of store.objects) if (sha256Of(f) !== path.basename(f)) throw new Error(`stored file ${f} does not hash to its name`);

  // The audit log's chains, and the database, the log and the histories agreeing.
  const chains = await verifyAuditLog(system.pool);
  expect(chains.map((c) => [c.provinceCode, c.breakCount])).toEqual(chains.map((c) => [c.provinceCode, 0]));
  const reconciliation = await system.auditing.reconcile({ username: 'kiemtoan', role: 'auditor', provinceCode: gen.provinceCode }, gen.provinceCode);
  expect(reconciliation.findings).toEqual([]);
  expect(reconciliation.transferredRecords).toBe(transferred);

  // The runs ended as they should.
  expect((await system.runs.status(runId)).status).toBe('COMPLETED');
  for (const code of agencies) expect([code, (await system.temporal.workflow.getHandle(agencyWorkflowId(code, runId)).describe()).status.name]).toEqual([code, 'COMPLETED']);

  return {
    packageRows: manifest.input.rows,
    rowsWritten: manifest.rowsWritten,
    exceptionRows: manifest.exceptionRows,
    splitFiles: files.length,
    excelImports: excel.length,
    records,
    pages,
    approvals: approvals.rows.length,
    reviewBatches: reviewBatches.rows.length,
    transferred,
    receipts: receipts.rows.length,
    targetRows,
    transferBatches: batches.rows.length,
    storeFiles: store.objects.length,
    filesRows: registered.length,
    auditEntries: chains.reduce((s, c) => s + c.entries, 0),
    reconcileFindings: reconciliation.findingCount,
  };
}

/** One line for the test's output: what the counts came to. */
export function describeCounts(c: FinalCounts): string {
  return (
    `package rows ${c.packageRows} = written ${c.rowsWritten} + exceptions ${c.exceptionRows}; ${c.splitFiles} split files, ${c.excelImports} imports of them; ` +
    `records ${c.records}, pages ${c.pages}, approvals ${c.approvals} in ${c.reviewBatches} pages; transferred ${c.transferred}, receipts ${c.receipts}, target rows ${c.targetRows}, in ${c.transferBatches} batches; ` +
    `store files ${c.storeFiles} = files rows ${c.filesRows}; audit entries ${c.auditEntries}, chain verified; reconciliation findings ${c.reconcileFindings}`
  );
}

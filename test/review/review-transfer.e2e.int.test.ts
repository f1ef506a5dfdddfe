/**
 * Step 4 end to end on the real Temporal dev server and PostgreSQL: a generated province is
 * split, released with auto-import and partly scanned; an official of one agency approves,
 * rejects and corrects records through the review service; the rule "no approval without scan"
 * holds in the workflow, in the activity and in the database; approved records reach the target
 * database exactly, field for field, with receipts, and become read-only; a record the target
 * refuses goes back to review with the target's reason; every decision batch is one accepted
 * update in the history; a coordinator closes the agency early.
 */
import fs from 'node:fs';
import type { Workers } from '../../worker/create-worker';
import type { BookRef, DecisionResult, ReviewActor } from '../../domain/review/review-types';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { verifyAuditLog } from '../../services/audit-verification';
import { idempotencyKeyOf } from '../../activities/transfer/transfer-approved';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { createAgencyReview, type AgencyReview } from '../../services/agency-review';
import { decideRecords } from '../../workflows/definitions';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import {
  codeOfAny,
  errorOf,
  importedProvince,
  importZip,
  recordById,
  recordsWhere,
  scannedBooksByAgency,
  sqlStateOf,
  waitFor,
  type RecordRow,
} from './review-support';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let imports: AgencyImports;
let review: AgencyReview;
let runId: string | undefined;

// Short enough that the test sees a batch leave on its own, long enough that decisions sent together batch together.
const TRANSFER_DELAY_MS = 1500;

beforeAll(async () => {
  h = await createProvinceRunHarness('review-e2e', { review: { transferDelayMs: TRANSFER_DELAY_MS } });
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('review-e2e-gen');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  review = createAgencyReview({ temporal: h.env.client, pool: h.db.pool, imports });
});

afterAll(async () => {
  if (runId) await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử').catch(() => undefined);
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test('review, approve, correct and transfer one agency: only approved records with pages reach CSDLHTĐT, exactly once', async () => {
  const province = await importedProvince(h, gen, { seed: 301, records: 1000, scannedRatio: 0.5 });
  runId = province.runId;
  const [agency, scanBooks] = (await scannedBooksByAgency(h.db.pool, province.books))[0]!;
  // Some of the agency's zips are imported, the rest stay unscanned: records of both kinds.
  const imported = scanBooks.filter((b) => b.numbers.length >= 2).slice(0, 8);
  expect(imported.length).toBeGreaterThanOrEqual(4);
  for (const b of imported) expect((await importZip(imports, province.out, agency, b)).counts).toMatchObject({ attached: b.numbers.length, rejected: 0 });

  const official: ReviewActor = { username: 'canbo01', role: 'official', agencyCode: agency };
  const workflowId = agencyWorkflowId(agency, province.runId);
  const handle = h.env.client.workflow.getHandle(workflowId);
  const coordinator: ReviewActor = { username: 'dieuphoi01', role: 'coordinator' };
  const pool = h.db.pool;
  const scanned = await recordsWhere(pool, `r.agency_code = $1 AND EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
  const bare = await recordsWhere(pool, `r.agency_code = $1 AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
  expect(scanned.length).toBeGreaterThanOrEqual(16);
  expect(bare.length).toBeGreaterThan(0);
  const before = new Map(scanned.map((r) => [r.id, r]));
  const approved = scanned.slice(0, 10);
  const rejected = scanned.slice(10, 13);
  const corrected: RecordRow = scanned[13]!;
  const conflicting: RecordRow = scanned[14]!;
  const unscanned = bare[0]!;

  const batches: DecisionResult[][] = [];
  const decide = async (...args: Parameters<AgencyReview['decide']>) => {
    const results = await review.decide(...args);
    batches.push(results);
    return results.flatMap((r) => r.outcomes);
  };

  // Approvals name the pages compared; a batch spanning books goes as one update, a result for each book.
  const approvals = await decide(agency, official, approved.map((r) => ({ recordId: r.id, kind: 'approve' as const, pages: r.pages })));
  expect(approvals).toEqual(approved.map((r) => expect.objectContaining({ recordId: r.id, outcome: 'decided', state: 'approved' })));
  // Nobody asks for the transfer: it leaves after the batching delay.
  const afterDelay = await waitFor('the delayed transfer', async () => {
    const t = (await review.state(agency)).transfer;
    return t.transferred === approved.length ? t : undefined;
  });
  expect(afterDelay).toMatchObject({ rejectedByTarget: 0 });
  expect(afterDelay.batches).toBeGreaterThanOrEqual(1);
  expect(await pool.query(`SELECT 1 FROM records WHERE id = ANY($1::bigint[]) AND state <> 'transferred'`, [approved.map((a) => a.id)])).toHaveProperty('rowCount', 0);

  const reasons = ['DATA_DIFFERS', 'PAGE_UNREADABLE', 'OTHER'] as const;
  const rejections = await decide(
    agency,
    official,
    rejected.map((r, n) => ({ recordId: r.id, kind: 'reject' as const, reasonCode: reasons[n]!, comment: reasons[n] === 'OTHER' ? 'Trang sổ bị rách, chờ bản sao' : undefined })),
  );
  expect(rejections.every((o) => o.outcome === 'decided' && o.state === 'rejected')).toBe(true);
  const rejectRows = await pool.query(`SELECT record_id::int AS id, kind, reason_code, comment, actor, record_version FROM decisions WHERE record_id = ANY($1::bigint[]) ORDER BY record_id`, [rejected.map((r) => r.id)]);
  expect(rejectRows.rows).toEqual(
    rejected.map((r, n) => ({ id: r.id, kind: 'reject', reason_code: reasons[n], comment: reasons[n] === 'OTHER' ? 'Trang sổ bị rách, chờ bản sao' : '', actor: 'canbo01', record_version: r.version })),
  );

  // A rejected record corrected goes back to review as a new version; a second correction keeps the imported value apart from the first correction.
  const importedSigner = String(before.get(corrected.id)!.data.signer ?? '');
  await decide(agency, official, [{ recordId: corrected.id, kind: 'reject', reasonCode: 'DATA_DIFFERS' }]);
  const first = await decide(agency, official, [{ recordId: corrected.id, kind: 'correct', reasonCode: 'DATA_DIFFERS', fields: { signer: 'Nguyễn Văn Đức' } }]);
  expect(first).toEqual([expect.objectContaining({ outcome: 'decided', state: 'imported', version: corrected.version + 1 })]);
  // Typed decomposed, stored composed (NFC).
  const second = await decide(agency, official, [{ recordId: corrected.id, kind: 'correct', reasonCode: 'ENCODING', fields: { signer: 'Trần Thị Bích Hường'.normalize('NFD') } }]);
  expect(second).toEqual([expect.objectContaining({ outcome: 'decided', state: 'imported', version: corrected.version + 2 })]);
  const afterCorrection = await recordById(pool, corrected.id);
  expect(afterCorrection).toMatchObject({ state: 'imported', version: corrected.version + 2 });
  expect(afterCorrection.data).toEqual({ ...before.get(corrected.id)!.data, signer: 'Trần Thị Bích Hường' });
  const corrections = await pool.query<{ details: { changes: Record<string, unknown> }; record_version: number; reason_code: string }>(
    `SELECT details, record_version, reason_code FROM decisions WHERE record_id = $1 AND kind = 'correct' ORDER BY id`,
    [corrected.id],
  );
  expect(corrections.rows).toEqual([
    { record_version: corrected.version + 1, reason_code: 'DATA_DIFFERS', details: { changes: { signer: { original: importedSigner, imported: importedSigner, corrected: 'Nguyễn Văn Đức' } } } },
    { record_version: corrected.version + 2, reason_code: 'ENCODING', details: { changes: { signer: { original: 'Nguyễn Văn Đức', imported: importedSigner, corrected: 'Trần Thị Bích Hường' } } } },
  ]);
  const shown = (await review.show(corrected.id))!;
  expect(shown.versions.map((v) => [v.version, v.corrected])).toEqual([
    [corrected.version, false],
    [corrected.version + 1, true],
  ]);
  expect(shown.decisions.map((d) => d.kind)).toEqual(['reject', 'correct', 'correct']);

  // No approval without a page: refused before the workflow takes the batch, refused by the activity
  // when the pages named are not the record's, and refused by the database whatever the path.
  const noScan = await errorOf(review.decide(agency, official, [{ recordId: unscanned.id, kind: 'approve' }]));
  expect(noScan.code).toBe('REVIEW_APPROVAL_WITHOUT_SCAN');
  expect(noScan.messageVi).toContain('chưa có bản quét');
  // The same batch sent to the workflow by a client that skips the service: its update validator refuses it.
  const book = { registerType: unscanned.register_type, unitCode: unscanned.unit_code, bookYear: unscanned.book_year, bookKey: unscanned.book_key } as BookRef;
  const direct = await errorOf(handle.executeUpdate(decideRecords, { args: [{ by: official, book, items: [{ recordId: unscanned.id, kind: 'approve', pages: [] }] }] }));
  expect(direct.code).toBe('REVIEW_APPROVAL_WITHOUT_SCAN');
  expect(direct.messageVi).toContain('chưa có bản quét');
  const named = await decide(agency, official, [{ recordId: unscanned.id, kind: 'approve', pages: approved[0]!.pages }]);
  expect(named).toEqual([expect.objectContaining({ recordId: unscanned.id, outcome: 'refused', code: 'REVIEW_APPROVAL_WITHOUT_SCAN' })]);
  expect(named[0]!.messageVi).toContain('chưa có bản quét');
  expect(await sqlStateOf(pool, `UPDATE records SET state = 'approved' WHERE id = $1`, [unscanned.id])).toBe('HT001');
  expect(await recordById(pool, unscanned.id)).toMatchObject({ state: 'imported', version: unscanned.version });

  // The target already holds this register entry under another key: it will refuse our record.
  await pool.query(
    `INSERT INTO csdlhtdt.civil_status_records (idempotency_key, agency_code, unit_code, register_type, book_year, book_number, registration_number, data, pages, approved_by, batch_key)
     VALUES ('other-system:1', $1, $2, $3, $4, $5, $6, '{}', '{}', 'other', 'other')`,
    [agency, conflicting.unit_code, conflicting.register_type, conflicting.book_year, conflicting.book_number, conflicting.registration_number],
  );
  const late = await decide(agency, official, [{ recordId: corrected.id, kind: 'approve', pages: corrected.pages }]);
  expect(late).toEqual([expect.objectContaining({ outcome: 'decided', state: 'approved' })]);
  expect(await decide(agency, official, [{ recordId: conflicting.id, kind: 'approve', pages: conflicting.pages }])).toEqual([expect.objectContaining({ outcome: 'decided', state: 'approved' })]);
  await review.transferNow(agency, official);
  await waitFor('the requested transfer', async () => {
    const t = (await review.state(agency)).transfer;
    return t.transferred === approved.length + 1 && t.rejectedByTarget === 1 ? t : undefined;
  });
  const pending = await pool.query(`SELECT 1 FROM records WHERE agency_code = $1 AND state = 'approved' UNION ALL SELECT 1 FROM transfer_batches WHERE status = 'sending'`, [agency]);
  expect(pending.rowCount).toBe(0);

  // The target holds exactly the approved records (and the entry it had before), field for field.
  const transferredIds = [...approved.map((r) => r.id), corrected.id].sort((a, b) => a - b);
  const ours = await recordsWhere(pool, `r.state = 'transferred'`, []);
  expect(ours.map((r) => r.id)).toEqual(transferredIds);
  const target = await pool.query<{
    idempotency_key: string;
    target_id: string;
    agency_code: string;
    unit_code: string;
    register_type: string;
    book_year: number;
    book_number: string;
    registration_number: string;
    data: unknown;
    pages: string[];
    approved_by: string;
    batch_key: string;
  }>(`SELECT * FROM csdlhtdt.civil_status_records WHERE idempotency_key <> 'other-system:1' ORDER BY target_id`);
  expect(target.rows).toHaveLength(transferredIds.length);
  const byKey = new Map(target.rows.map((t) => [t.idempotency_key, t]));
  expect(byKey.size).toBe(transferredIds.length);
  for (const r of ours) {
    expect(byKey.get(idempotencyKeyOf(r.id))).toMatchObject({
      agency_code: agency,
      unit_code: r.unit_code,
      register_type: r.register_type,
      book_year: r.book_year,
      book_number: r.book_number,
      registration_number: r.registration_number,
      data: r.data,
      pages: r.pages,
      approved_by: 'canbo01',
    });
    expect(r.pages.length).toBeGreaterThan(0);
  }
  expect((await recordById(pool, corrected.id)).data.signer).toBe('Trần Thị Bích Hường');
  const receipts = await pool.query<{ id: string; target_id: string; batch_key: string }>(
    'SELECT r.id, r.target_id, b.batch_key FROM records r JOIN transfer_batches b ON b.id = r.transfer_batch_id WHERE r.target_id IS NOT NULL ORDER BY r.id',
  );
  expect(receipts.rows.map((x) => [Number(x.id), x.target_id, x.batch_key])).toEqual(ours.map((r) => [r.id, byKey.get(idempotencyKeyOf(r.id))!.target_id, byKey.get(idempotencyKeyOf(r.id))!.batch_key]));
  expect((await review.show(approved[0]!.id))!.receipt).toMatchObject({ targetId: byKey.get(idempotencyKeyOf(approved[0]!.id))!.target_id });

  // Refused by the target: back to review, with the target's reason on record.
  expect(await recordById(pool, conflicting.id)).toMatchObject({ state: 'imported' });
  const refusal = await pool.query<{ kind: string; reason_code: string; comment: string; details: Record<string, unknown> }>(
    `SELECT kind, reason_code, comment, details FROM decisions WHERE record_id = $1 ORDER BY id DESC LIMIT 1`,
    [conflicting.id],
  );
  expect(refusal.rows[0]).toMatchObject({ kind: 'transfer_rejected', reason_code: 'TARGET_REFUSED', details: { targetCode: 'TARGET_DUPLICATE_ENTRY' } });
  expect(refusal.rows[0]!.comment).toContain(conflicting.registration_number);
  expect(await pool.query(`SELECT 1 FROM records WHERE id = $1 AND (target_id IS NOT NULL OR transfer_batch_id IS NOT NULL)`, [conflicting.id])).toHaveProperty('rowCount', 0);
  const state = await review.state(agency);
  expect(state.transfer).toMatchObject({ transferred: transferredIds.length, rejectedByTarget: 1 });

  // Transferred records are read-only, in the database and in the workflow.
  expect(await sqlStateOf(pool, `UPDATE records SET data = data || '{"signer":"x"}' WHERE id = $1`, [approved[0]!.id])).toBe('HT002');
  expect(await sqlStateOf(pool, `UPDATE records SET state = 'imported' WHERE id = $1`, [approved[0]!.id])).toBe('HT002');
  // Its book has no record a decision could start from any more (the life cycle, from the book's counts): the run refuses the batch before its history.
  const settled = await errorOf(decide(agency, official, [{ recordId: approved[1]!.id, kind: 'reject', reasonCode: 'DUPLICATE' }]));
  expect(settled.code).toBe('REVIEW_NOTHING_TO_DECIDE');
  expect(settled.messageVi).toMatch(/không còn hồ sơ nào ở trạng thái có thể từ chối/);

  // Every decision batch that was accepted is one accepted update in the history; refused ones left none.
  const history = await handle.fetchHistory();
  const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'decidePage');
  expect(accepted).toHaveLength(batches.length);
  expect(new Set(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.protocolInstanceId)).size).toBe(batches.length);
  expect((await review.state(agency)).decisionBatches).toBe(batches.length);
  // One key a batch, whatever books it spans: every book's result names it.
  expect(batches.every((b) => b.every((r) => r.batchKey === b[0]!.batchKey))).toBe(true);
  const keys = await pool.query<{ batch_key: string }>('SELECT batch_key FROM review_batches WHERE agency_code = $1', [agency]);
  expect(keys.rows.map((k) => k.batch_key).sort()).toEqual(batches.map((b) => b[0]!.batchKey).sort());

  // Records without a scan can never be transferred: a coordinator closes the agency early, with a reason.
  expect(await codeOfAny(review.close(agency, official, 'hết hạn'))).toBe('REVIEW_NOT_COORDINATOR');
  expect(await codeOfAny(review.close(agency, coordinator, '  '))).toBe('AGENCY_CLOSE_REASON_MISSING');
  const closed = await review.close(agency, coordinator, 'Các sổ còn lại chưa được số hoá bản quét');
  expect(closed.phase).toBe('completed');
  expect(closed.closed).toMatchObject({ by: 'dieuphoi01', reason: 'Các sổ còn lại chưa được số hoá bản quét' });
  expect(await handle.result()).toMatchObject({ phase: 'completed', closed: { by: 'dieuphoi01' } });
  await waitFor('the province run to see the agency completed', async () => {
    const s = await h.runs.status(province.runId);
    return s.progress.agencies.find((a) => a.code === agency)?.phase === 'completed' ? true : undefined;
  });

  // The audit log tells a transferred record's story (its approval, then the batch that named it) and
  // the agency's end, in its province's chain, which verifies whole.
  const story = await pool.query(
    `SELECT action, actor, actor_role, state_before, state_after, run_id IS NOT NULL AS has_run FROM audit_log
      WHERE record_id = $1 OR (subject_kind = 'batch' AND details->'recordIds' @> to_jsonb($1::bigint)) ORDER BY chain_pos`,
    [approved[0]!.id],
  );
  expect(story.rows).toEqual([
    { action: 'record.approve', actor: 'canbo01', actor_role: 'official', state_before: 'imported', state_after: 'approved', has_run: true },
    { action: 'transfer.batch', actor: 'system', actor_role: 'system', state_before: 'approved', state_after: 'transferred', has_run: true },
  ]);
  const end = await pool.query(`SELECT actor, actor_role, details->>'reason' AS reason FROM audit_log WHERE action = 'agency.closed' AND agency_code = $1`, [agency]);
  expect(end.rows).toEqual([{ actor: 'dieuphoi01', actor_role: 'coordinator', reason: 'Các sổ còn lại chưa được số hoá bản quét' }]);
  expect((await verifyAuditLog(pool)).map((c) => c.breakCount)).toEqual([0]);
});

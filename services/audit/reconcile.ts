/**
 * `hotich audit reconcile --province <code>`: gathers, agency by agency, what the database, the
 * audit log and the workflows' histories and states say about the province's transferred
 * records and approvals, and lists every disagreement (domain/audit/reconciliation.ts). The
 * database's side is read set-wise; each agency's histories are read once and indexed.
 *
 * Temporal keeps a closed run's history for its namespace's retention period only: a run whose
 * history is gone is listed as such, and its records are checked against the database and the
 * log alone.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Principal } from '../../domain/access';
import { isAppError } from '../../domain/errors';
import { ResourceNotFound } from '../../api/errors';
import {
  bookCountFindings,
  logApprovalFindings,
  transferredRecordFindings,
  type Finding,
  type FindingCode,
  type TransferredRecordEvidence,
} from '../../domain/audit/reconciliation';
import { RECORD_ACTIONS, type RecordState } from '../../domain/records/life-cycle';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import type { DecisionRequest, DecisionResult, PageDecisionRequest } from '../../domain/review/review-types';
import { bookId } from '../../domain/review/review-types';
import type { AgencyRunState } from '../../domain/runs/province-run';
import { agencyRunProgress, decidePage, decideRecords } from '../../workflows/definitions';
import { requireProvince } from './audit-scope';
import { indexHistories, workflowOfKey, type HistoryIndex, type LoadedWorkflow } from './history-index';
import type { WorkflowHistories } from './workflow-histories';
import { queryProgress } from '../workflow-progress';

/** Findings listed in full; all are counted. */
export const FINDINGS_KEPT = 500;

export interface WorkflowChecked {
  workflowId: string;
  agencyCode: string;
  runs: number;
  /** `compared`: its state's counts were compared with the database's; the other cases say why not. */
  state: 'compared' | 'history_unavailable' | 'state_unavailable' | 'one_of_several';
  noteVi?: string;
}

export interface Reconciliation {
  provinceCode: string;
  agencyCode?: string;
  checkedAt: string;
  agencies: number;
  transferredRecords: number;
  workflows: WorkflowChecked[];
  findingCount: number;
  byCode: Partial<Record<FindingCode, number>>;
  findings: Finding[];
}

interface TransferredRow {
  record_id: number;
  transfer_batch_key: string | null;
  decision_id: number | null;
  actor: string | null;
  decision_batch_key: string | null;
  pages: number;
  actor_is_agency_official: boolean | null;
  log_seq: number | null;
  log_actor: string | null;
  log_role: string | null;
  log_agency: string | null;
  log_pages: number;
  log_transfer: boolean;
}

const TRANSFERRED_SQL = `
SELECT r.id::int AS record_id, b.batch_key AS transfer_batch_key,
       d.id::int AS decision_id, d.actor, d.batch_key AS decision_batch_key, coalesce(jsonb_array_length(d.details->'pages'), 0) AS pages,
       (u.role = 'official' AND u.agency_code = r.agency_code) AS actor_is_agency_official,
       l.seq::int AS log_seq, l.actor AS log_actor, l.actor_role AS log_role, l.agency_code AS log_agency, coalesce(jsonb_array_length(l.details->'pages'), 0) AS log_pages,
       EXISTS (SELECT 1 FROM audit_log t WHERE t.subject_kind = 'batch' AND t.subject_id = b.batch_key AND t.action = $3 AND t.details->'recordIds' @> to_jsonb(r.id)) AS log_transfer
  FROM records r
  LEFT JOIN transfer_batches b ON b.id = r.transfer_batch_id
  LEFT JOIN LATERAL (SELECT * FROM decisions x WHERE x.record_id = r.id AND x.kind = 'approve' ORDER BY x.id DESC LIMIT 1) d ON true
  LEFT JOIN users u ON u.username = d.actor
  LEFT JOIN LATERAL (SELECT * FROM audit_log y WHERE y.record_id = r.id AND y.action = $2 AND (y.details->>'decisionId')::bigint = d.id ORDER BY y.seq DESC LIMIT 1) l ON true
 WHERE r.agency_code = $1 AND r.state = 'transferred'
 ORDER BY r.id`;

/** Approvals in the log whose actor is not, by their account, an official of the record's agency. */
const LOG_APPROVALS_SQL = `
SELECT l.seq::int, l.record_id::int, r.agency_code AS record_agency, l.actor, u.role AS user_role, u.agency_code AS user_agency
  FROM audit_log l JOIN records r ON r.id = l.record_id JOIN agencies a ON a.code = r.agency_code
  LEFT JOIN users u ON u.username = l.actor
 WHERE l.action = $2 AND a.province_code = $1 AND ($3::text IS NULL OR r.agency_code = $3)
   AND NOT coalesce(u.role = 'official' AND u.agency_code = r.agency_code, false)
 ORDER BY l.seq`;

const BOOK_COUNTS_SQL = `
SELECT register_type, unit_code, book_year, book_key, state, count(*)::int AS n FROM records WHERE agency_code = $1 GROUP BY 1, 2, 3, 4, 5`;

export interface ReconcileDeps {
  pool: Pool;
  temporal: Client;
  histories: WorkflowHistories;
}

/** The histories of an agency's workflows; those Temporal no longer has are left out and named. */
async function agencyHistories(histories: WorkflowHistories, workflowIds: readonly string[]) {
  const loaded: LoadedWorkflow[] = [];
  const unavailable: string[] = [];
  for (const workflowId of workflowIds) {
    try {
      const runs = await histories.runsOf(workflowId);
      loaded.push({ workflowId, runs: await Promise.all(runs.map(async (run) => ({ run, history: await histories.history(workflowId, run.runId) }))) });
    } catch (e) {
      if (!isAppError(e) || e.code !== ResourceNotFound.code) throw e;
      unavailable.push(workflowId);
    }
  }
  return { index: indexHistories(loaded), loaded, unavailable };
}

/** What the history says of one record's approval: the update its decision's batch key names. */
function historyApproval(index: HistoryIndex, batchKey: string, recordId: number): NonNullable<TransferredRecordEvidence['history']>['approval'] {
  const u = index.updates.get(batchKey);
  if (!u || (u.fact.name !== decideRecords.name && u.fact.name !== decidePage.name)) return undefined;
  // A page over several books asks and answers book by book; a batch of one book, once.
  const [req] = u.fact.args as [DecisionRequest | PageDecisionRequest];
  const items = 'books' in req ? req.books.flatMap((b) => b.items) : req.items;
  const ok = u.fact.outcome?.ok ? (u.fact.outcome.result as DecisionResult | DecisionResult[]) : undefined;
  const outcomes = ok === undefined ? [] : (Array.isArray(ok) ? ok : [ok]).flatMap((r) => r.outcomes);
  const asked = items.some((i) => i.recordId === recordId && i.kind === 'approve');
  const decided = outcomes.some((o) => o.recordId === recordId && o.kind === 'approve' && o.outcome === 'decided');
  return { workflowId: u.link.workflowId, eventId: u.link.eventId, actor: req.by.username, role: req.by.role, agencyCode: req.by.agencyCode, approved: asked && decided };
}

export async function reconcileProvince(deps: ReconcileDeps, reader: Principal, provinceCode: string, opts: { agencyCode?: string } = {}): Promise<Reconciliation> {
  requireProvince(reader, provinceCode);
  const { pool } = deps;
  const agencies = (
    await pool.query<{ code: string }>('SELECT code FROM agencies WHERE province_code = $1 AND ($2::text IS NULL OR code = $2) ORDER BY code', [provinceCode, opts.agencyCode ?? null])
  ).rows.map((a) => a.code);
  const findings: Finding[] = [];
  const workflows: WorkflowChecked[] = [];
  let transferredRecords = 0;

  for (const agencyCode of agencies) {
    const rows = (await pool.query<TransferredRow>(TRANSFERRED_SQL, [agencyCode, RECORD_ACTIONS.approve.audit, RECORD_ACTIONS.transfer.audit])).rows;
    transferredRecords += rows.length;
    const registered = (await pool.query<{ workflow_id: string }>(`SELECT workflow_id FROM workflow_registry WHERE kind = 'agency' AND agency_code = $1 ORDER BY created_at`, [agencyCode])).rows.map((w) => w.workflow_id);
    const named = rows.flatMap((r) => [r.decision_batch_key, r.transfer_batch_key].filter((k): k is string => !!k).map(workflowOfKey));
    const workflowIds = [...new Set([...registered, ...named])].sort();
    if (workflowIds.length === 0 && rows.length === 0) continue;
    const { index, loaded, unavailable } = await agencyHistories(deps.histories, workflowIds);
    const readable = (key: string | null) => !!key && !unavailable.includes(workflowOfKey(key));

    for (const r of rows) {
      const evidence: TransferredRecordEvidence = {
        recordId: r.record_id,
        agencyCode,
        transferBatchKey: r.transfer_batch_key ?? '?',
        approval:
          r.decision_id === null
            ? undefined
            : { decisionId: r.decision_id, actor: r.actor!, actorIsAgencyOfficial: r.actor_is_agency_official === true, pages: r.pages, batchKey: r.decision_batch_key },
        logApproval: r.log_seq === null ? undefined : { seq: r.log_seq, actor: r.log_actor!, actorRole: r.log_role!, agencyCode: r.log_agency, pages: r.log_pages },
        logTransfer: r.log_transfer,
        history:
          readable(r.decision_batch_key ?? r.transfer_batch_key)
            ? {
                approval: r.decision_batch_key ? historyApproval(index, r.decision_batch_key, r.record_id) : undefined,
                transferred: !!r.transfer_batch_key && index.activities.get(r.transfer_batch_key)?.fact.outcome?.ok === true,
              }
            : undefined,
      };
      findings.push(...transferredRecordFindings(evidence));
    }

    for (const workflowId of unavailable) workflows.push({ workflowId, agencyCode, runs: 0, state: 'history_unavailable', noteVi: 'Temporal không còn lịch sử của quy trình này (quá thời hạn lưu giữ của namespace).' });
    for (const { workflowId, runs } of loaded) {
      const checked: WorkflowChecked = { workflowId, agencyCode, runs: runs.length, state: 'compared' };
      workflows.push(checked);
      if (registered.length !== 1 || registered[0] !== workflowId) {
        checked.state = 'one_of_several';
        checked.noteVi = 'Cơ quan có nhiều quy trình: số hồ sơ theo sổ không so được với riêng một quy trình.';
        continue;
      }
      const latest = index.latest.get(workflowId);
      let state: AgencyRunState | undefined;
      if (latest?.end?.how === 'completed') state = latest.end.result as AgencyRunState;
      else if (latest && latest.run.status === 'Running') {
        state = await queryProgress(deps.temporal, deps.temporal.workflow.getHandle(workflowId), agencyRunProgress, (reason) => new Error(reason)).catch(() => undefined);
      }
      if (!state) {
        checked.state = 'state_unavailable';
        checked.noteVi = 'Không đọc được trạng thái của quy trình (chưa có worker nào đang chạy, hoặc quy trình đã dừng giữa chừng).';
        continue;
      }
      const counts = new Map<string, Partial<Record<RecordState, number>>>();
      for (const c of (await pool.query<{ register_type: RegisterTypeCode; unit_code: string; book_year: number; book_key: string; state: RecordState; n: number }>(BOOK_COUNTS_SQL, [agencyCode])).rows) {
        const id = bookId({ registerType: c.register_type, unitCode: c.unit_code, bookYear: c.book_year, bookKey: c.book_key });
        counts.set(id, { ...counts.get(id), [c.state]: c.n });
      }
      findings.push(...bookCountFindings({ workflowId, agencyCode, books: state.books }, counts));
    }
  }

  const logRows = (
    await pool.query<{ seq: number; record_id: number; record_agency: string; actor: string; user_role: string | null; user_agency: string | null }>(LOG_APPROVALS_SQL, [
      provinceCode,
      RECORD_ACTIONS.approve.audit,
      opts.agencyCode ?? null,
    ])
  ).rows;
  for (const l of logRows) {
    findings.push(...logApprovalFindings({ seq: l.seq, recordId: l.record_id, recordAgency: l.record_agency, actor: l.actor, user: l.user_role === null ? undefined : { role: l.user_role, agencyCode: l.user_agency } }));
  }

  const byCode: Partial<Record<FindingCode, number>> = {};
  for (const f of findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
  return {
    provinceCode,
    ...(opts.agencyCode ? { agencyCode: opts.agencyCode } : {}),
    checkedAt: new Date().toISOString(),
    agencies: agencies.length,
    transferredRecords,
    workflows,
    findingCount: findings.length,
    byCode,
    findings: findings.slice(0, FINDINGS_KEPT),
  };
}

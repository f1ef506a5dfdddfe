/**
 * Reconciliation of a province: the records' states in the database, the audit log and the
 * workflows' histories and states must tell the same story. Every transferred record has an
 * approval by an official of its own agency, with the pages compared, in the database, in the
 * log and in the history, and its transfer batch in the log and in the history; every approval
 * the log holds is by an official of the record's agency; a run's counts per book are the
 * database's. Pure: the evidence is gathered by services/audit/reconcile.ts.
 */
import type { BookCounts, BookRef } from '../review/review-types';
import { bookId } from '../review/review-types';
import { RECORD_STATE_RULES, RECORD_STATES, type RecordState } from '../records/life-cycle';

export const FINDINGS = {
  TRANSFERRED_WITHOUT_APPROVAL: (p: { recordId: number }) => `Hồ sơ số ${p.recordId} đã chuyển vào CSDLHTĐT nhưng cơ sở dữ liệu không có quyết định phê duyệt nào cho hồ sơ này.`,
  APPROVAL_NOT_BY_AGENCY_OFFICIAL: (p: { recordId: number; actor: string; agency: string }) =>
    `Hồ sơ số ${p.recordId} được phê duyệt bởi ${p.actor}, không phải công chức hộ tịch của cơ quan ${p.agency} giữ hồ sơ.`,
  APPROVAL_WITHOUT_PAGE: (p: { recordId: number }) => `Hồ sơ số ${p.recordId} được phê duyệt mà quyết định không ghi trang quét nào đã đối chiếu.`,
  LOG_APPROVAL_MISSING: (p: { recordId: number }) => `Hồ sơ số ${p.recordId} đã chuyển nhưng nhật ký kiểm toán không có mục phê duyệt ứng với quyết định phê duyệt của hồ sơ.`,
  LOG_APPROVAL_DIFFERS: (p: { recordId: number; seq: number; what: string }) => `Mục nhật ký số ${p.seq} về việc phê duyệt hồ sơ số ${p.recordId} khác với quyết định trong cơ sở dữ liệu: ${p.what}.`,
  LOG_APPROVAL_OTHER_AGENCY: (p: { recordId: number; seq: number; actor: string; agency: string }) =>
    `Mục nhật ký số ${p.seq}: ${p.actor} phê duyệt hồ sơ số ${p.recordId} của cơ quan ${p.agency} nhưng không phải công chức hộ tịch của cơ quan đó.`,
  LOG_TRANSFER_MISSING: (p: { recordId: number; batchKey: string }) => `Hồ sơ số ${p.recordId} đã chuyển trong lô ${p.batchKey} nhưng nhật ký kiểm toán không có mục chuyển lô nào ghi hồ sơ này.`,
  HISTORY_APPROVAL_MISSING: (p: { recordId: number; batchKey: string }) =>
    `Hồ sơ số ${p.recordId} đã chuyển nhưng lịch sử quy trình không có yêu cầu phê duyệt ${p.batchKey} mà cơ sở dữ liệu ghi cho hồ sơ này.`,
  HISTORY_APPROVAL_DIFFERS: (p: { recordId: number; eventId: number; workflowId: string; what: string }) =>
    `Yêu cầu phê duyệt hồ sơ số ${p.recordId} trong lịch sử quy trình ${p.workflowId} (sự kiện ${p.eventId}) khác với cơ sở dữ liệu: ${p.what}.`,
  HISTORY_TRANSFER_MISSING: (p: { recordId: number; batchKey: string }) => `Hồ sơ số ${p.recordId} đã chuyển trong lô ${p.batchKey} nhưng lịch sử quy trình không có lô chuyển này đã hoàn tất.`,
  STATE_COUNTS_DIFFER: (p: { workflowId: string; book: string; state: RecordState; workflow: number; database: number }) =>
    `Quy trình ${p.workflowId}: sổ ${p.book} có ${p.workflow} hồ sơ "${RECORD_STATE_RULES[p.state].labelVi}" theo trạng thái của quy trình, nhưng ${p.database} theo cơ sở dữ liệu.`,
} as const;

export type FindingCode = keyof typeof FINDINGS;

export interface Finding {
  code: FindingCode;
  messageVi: string;
  agencyCode: string;
  recordId?: number;
  workflowId?: string;
  /** The audit log entry it is about. */
  seq?: number;
  /** The history event it is about. */
  eventId?: number;
}

function finding<C extends FindingCode>(code: C, params: Parameters<(typeof FINDINGS)[C]>[0], at: Omit<Finding, 'code' | 'messageVi'>): Finding {
  return { code, messageVi: (FINDINGS[code] as (p: typeof params) => string)(params), ...at };
}

/** A transferred record and what the database, the log and the history say about how it got there. */
export interface TransferredRecordEvidence {
  recordId: number;
  agencyCode: string;
  transferBatchKey: string;
  /** The record's latest approval decision in the database. */
  approval?: { decisionId: number; actor: string; actorIsAgencyOfficial: boolean; pages: number; batchKey: string | null };
  /** The log's entry for that decision. */
  logApproval?: { seq: number; actor: string; actorRole: string; agencyCode: string | null; pages: number };
  /** Whether the log's entry of the transfer batch names the record. */
  logTransfer: boolean;
  /** Undefined: the history of the run that decided was not read (it is listed apart). */
  history?: {
    approval?: { workflowId: string; eventId: number; actor: string; role: string; agencyCode?: string; approved: boolean };
    transferred: boolean;
  };
}

export function transferredRecordFindings(e: TransferredRecordEvidence): Finding[] {
  const at = { agencyCode: e.agencyCode, recordId: e.recordId };
  const out: Finding[] = [];
  const a = e.approval;
  if (!a) out.push(finding('TRANSFERRED_WITHOUT_APPROVAL', { recordId: e.recordId }, at));
  else {
    if (!a.actorIsAgencyOfficial) out.push(finding('APPROVAL_NOT_BY_AGENCY_OFFICIAL', { recordId: e.recordId, actor: a.actor, agency: e.agencyCode }, at));
    if (a.pages === 0) out.push(finding('APPROVAL_WITHOUT_PAGE', { recordId: e.recordId }, at));
    const l = e.logApproval;
    if (!l) out.push(finding('LOG_APPROVAL_MISSING', { recordId: e.recordId }, at));
    else {
      const what = [
        l.actor !== a.actor ? `nhật ký ghi người phê duyệt ${l.actor}, cơ sở dữ liệu ghi ${a.actor}` : '',
        l.actorRole !== 'official' ? `vai trò ghi trong nhật ký là ${l.actorRole}` : '',
        l.agencyCode !== null && l.agencyCode !== e.agencyCode ? `nhật ký ghi cơ quan ${l.agencyCode}` : '',
        l.pages !== a.pages ? `nhật ký ghi ${l.pages} trang đã đối chiếu, cơ sở dữ liệu ghi ${a.pages}` : '',
      ].filter(Boolean);
      if (what.length > 0) out.push(finding('LOG_APPROVAL_DIFFERS', { recordId: e.recordId, seq: l.seq, what: what.join('; ') }, { ...at, seq: l.seq }));
    }
    const h = e.history;
    if (h && a.batchKey) {
      if (!h.approval) out.push(finding('HISTORY_APPROVAL_MISSING', { recordId: e.recordId, batchKey: a.batchKey }, at));
      else {
        const what = [
          h.approval.actor !== a.actor ? `lịch sử ghi người gửi ${h.approval.actor}, cơ sở dữ liệu ghi ${a.actor}` : '',
          h.approval.role !== 'official' || h.approval.agencyCode !== e.agencyCode ? `người gửi không phải công chức của cơ quan ${e.agencyCode}` : '',
          !h.approval.approved ? 'yêu cầu không phê duyệt hồ sơ này' : '',
        ].filter(Boolean);
        if (what.length > 0) out.push(finding('HISTORY_APPROVAL_DIFFERS', { recordId: e.recordId, eventId: h.approval.eventId, workflowId: h.approval.workflowId, what: what.join('; ') }, { ...at, workflowId: h.approval.workflowId, eventId: h.approval.eventId }));
      }
    }
  }
  if (!e.logTransfer) out.push(finding('LOG_TRANSFER_MISSING', { recordId: e.recordId, batchKey: e.transferBatchKey }, at));
  if (e.history && !e.history.transferred) out.push(finding('HISTORY_TRANSFER_MISSING', { recordId: e.recordId, batchKey: e.transferBatchKey }, at));
  return out;
}

/** An approval the log holds, with who its actor is as a user. */
export interface LogApprovalEvidence {
  seq: number;
  recordId: number;
  recordAgency: string;
  actor: string;
  /** The actor's account: role and agency (undefined when no such user). */
  user?: { role: string; agencyCode: string | null };
}

export function logApprovalFindings(e: LogApprovalEvidence): Finding[] {
  if (e.user?.role === 'official' && e.user.agencyCode === e.recordAgency) return [];
  return [finding('LOG_APPROVAL_OTHER_AGENCY', { recordId: e.recordId, seq: e.seq, actor: e.actor, agency: e.recordAgency }, { agencyCode: e.recordAgency, recordId: e.recordId, seq: e.seq })];
}

const COMPARED: readonly RecordState[] = RECORD_STATES;

/** A run's counts per book against the database's, for the books the run knows. */
export function bookCountFindings(
  run: { workflowId: string; agencyCode: string; books: ReadonlyArray<BookRef & { counts: BookCounts }> },
  database: ReadonlyMap<string, Partial<Record<RecordState, number>>>,
): Finding[] {
  const out: Finding[] = [];
  for (const b of run.books) {
    const db = database.get(bookId(b)) ?? {};
    for (const state of COMPARED) {
      const workflow = b.counts[state];
      const stored = db[state] ?? 0;
      if (workflow !== stored) out.push(finding('STATE_COUNTS_DIFFER', { workflowId: run.workflowId, book: bookId(b), state, workflow, database: stored }, { agencyCode: run.agencyCode, workflowId: run.workflowId }));
    }
  }
  return out;
}

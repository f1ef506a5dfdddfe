/**
 * The audit log's entries: who did what to which record, file, book, batch or workflow, with
 * the record's state before and after, the Temporal workflow and run it happened in, and the
 * details an auditor needs (the pages compared, a reason, counts). The shape is a contract
 * with the auditors' tools: it only grows.
 *
 * What gets an entry: every decision on a record (one entry per record, naming it); every
 * other change of a record's state (a rejected record reopened by an import or a page, a
 * record the target refused); one entry per imported file and per transfer batch (naming its
 * records), as those move thousands of records at once; each step of a run (package received,
 * handover, split, release, cancel, an agency's end); claims and releases of books; reminders
 * and escalations; an administrator's changes of accounts.
 */
import { ROLES } from '../access';
import { RECORD_ACTIONS, type RecordState } from '../records/life-cycle';

export const AUDIT_ACTOR_ROLES = [...ROLES, 'system', 'target'] as const;
export type AuditActorRole = (typeof AUDIT_ACTOR_ROLES)[number];

/** What an entry is about; its id is the record id, the file's SHA-256, the book id, the batch key, the workflow id or the account's user name. */
export const AUDIT_SUBJECT_KINDS = ['record', 'file', 'book', 'batch', 'workflow', 'user'] as const;
export type AuditSubjectKind = (typeof AUDIT_SUBJECT_KINDS)[number];

/** The run's own events, beside the record actions of the life cycle. */
const RUN_EVENTS = {
  'platform.check': 'Kiểm tra hệ thống',
  'package.received': 'Tiếp nhận gói dữ liệu',
  'package.quarantined': 'Cách ly gói dữ liệu sai mã kiểm tra',
  'package.handover_confirmed': 'Xác nhận bàn giao',
  'split.completed': 'Tách dữ liệu theo cơ quan',
  'split.custodians_decided': 'Quyết định cơ quan giữ sổ của đơn vị cũ',
  'split.exceptions_placed': 'Xếp các dòng ngoại lệ vào cơ quan',
  'split.released': 'Duyệt kết quả tách, giao cho cơ quan',
  'run.cancelled': 'Huỷ lượt chạy',
  'import.scans': 'Nhập tệp nén bản quét',
  'book.claim': 'Nhận sổ để kiểm tra',
  'book.release': 'Trả sổ',
  'book.reminder': 'Nhắc việc sổ không có thao tác',
  'book.escalation': 'Báo điều phối viên sổ quá hạn',
  'agency.completed': 'Cơ quan hoàn thành phần việc',
  'agency.started_again': 'Mở lại phần việc của cơ quan cho các tệp mới sau quyết định cơ quan giữ sổ',
  'user.created': 'Tạo tài khoản',
  'user.disabled': 'Khoá tài khoản',
  'user.enabled': 'Mở khoá tài khoản',
  'user.password_set': 'Đặt lại mật khẩu',
  'user.password_changed': 'Tự đổi mật khẩu',
} as const;

export const AUDIT_ACTION_LABELS_VI: Record<string, string> = {
  ...RUN_EVENTS,
  ...Object.fromEntries(Object.values(RECORD_ACTIONS).map((a) => [a.audit, a.labelVi])),
};

export type AuditAction = keyof typeof RUN_EVENTS | (typeof RECORD_ACTIONS)[keyof typeof RECORD_ACTIONS]['audit'];

/** An entry as an action writes it; the log adds its time, its place in the chain and its hash. */
export interface AuditEntry {
  /** The chain the entry joins: null for what belongs to no province (a check of the platform); omitted, the agency's province. */
  provinceCode?: string | null;
  agencyCode?: string;
  actor: string;
  actorRole: AuditActorRole;
  action: AuditAction;
  subject: { kind: AuditSubjectKind; id: string };
  recordId?: number;
  workflowId?: string;
  /** The Temporal run id of the workflow execution the action happened in. */
  runId?: string;
  /** Where a record's state changes. */
  stateBefore?: RecordState;
  stateAfter?: RecordState;
  details?: Record<string, unknown>;
  /** Names the action, for a retry to find it done: an entry whose key is in the log is not written again. */
  key?: string;
}

/** An entry as the log keeps it. */
export interface StoredAuditEntry {
  seq: number;
  provinceCode: string | null;
  chainPos: number;
  /** UTC, microseconds, as hashed: `2025-12-01T08:00:00.123456Z`. */
  at: string;
  agencyCode: string | null;
  actor: string;
  actorRole: AuditActorRole;
  action: string;
  subjectKind: AuditSubjectKind;
  subjectId: string;
  recordId: number | null;
  workflowId: string | null;
  runId: string | null;
  stateBefore: RecordState | null;
  stateAfter: RecordState | null;
  /** The details as PostgreSQL writes jsonb out (its own key order and spacing), which is what is hashed. */
  detailsText: string;
  entryKey: string | null;
  prevHash: string;
  hash: string;
}

/** The chain of a run's entry: a province run's id (`province/<code>/…`) names its province; an agency run's (`agency/<code>/…`) its agency, whose province the log looks up. */
export function scopeOfWorkflow(workflowId: string): Pick<AuditEntry, 'provinceCode' | 'agencyCode'> {
  const [kind, code] = workflowId.split('/');
  return kind === 'province' ? { provinceCode: code } : { agencyCode: code };
}

/**
 * How auditors find runs: the search attributes every run keeps in Temporal's visibility store
 * (its province, agency, kind and current phase), Temporal's own execution status and times, and
 * the visibility query a filter of them makes. Pure: the workflows, the services, the API and the
 * CLI share it.
 */
import { defineError } from '../errors';
import { AGENCY_PHASE_VI, RUN_PHASE_VI, type AgencyPhase, type RunPhase } from '../runs/province-run';

/** Registered on the namespace before any run starts (the dev server's flags, `hotich migrate` in production). */
export const SEARCH_ATTRIBUTES = {
  province: 'HotichProvince',
  agency: 'HotichAgency',
  kind: 'HotichKind',
  phase: 'HotichPhase',
} as const;
export type SearchAttributeName = (typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES];

/** The kinds of workflow, as the workflow registry names them too. */
export const WORKFLOW_KINDS = ['province-run', 'agency', 'platform-check'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

export const WORKFLOW_KIND_VI: Record<WorkflowKind, string> = {
  'province-run': 'Lượt chạy cấp tỉnh',
  agency: 'Phần việc của cơ quan đăng ký',
  'platform-check': 'Kiểm tra nền tảng',
};

export type PlatformCheckPhase = 'recording' | 'waiting' | 'done';

const PLATFORM_CHECK_PHASE_VI: Record<PlatformCheckPhase, string> = {
  recording: 'Đang ghi nhật ký',
  waiting: 'Chờ xác nhận',
  done: 'Hoàn tất',
};

export type WorkflowPhase = RunPhase | AgencyPhase | PlatformCheckPhase;

/** Every phase a run of each kind passes through, with its Vietnamese label. */
export const PHASE_VI: Record<WorkflowKind, Readonly<Record<string, string>>> = {
  'province-run': RUN_PHASE_VI,
  agency: AGENCY_PHASE_VI,
  'platform-check': PLATFORM_CHECK_PHASE_VI,
};

export const WORKFLOW_PHASES: readonly WorkflowPhase[] = [
  ...new Set([...Object.keys(RUN_PHASE_VI), ...Object.keys(AGENCY_PHASE_VI), ...Object.keys(PLATFORM_CHECK_PHASE_VI)]),
] as WorkflowPhase[];

export function phaseLabelVi(kind: string | undefined, phase: string | undefined): string | undefined {
  if (!phase) return undefined;
  const own = kind && (WORKFLOW_KINDS as readonly string[]).includes(kind) ? [PHASE_VI[kind as WorkflowKind]] : [];
  for (const labels of [...own, ...Object.values(PHASE_VI)]) if (labels[phase]) return labels[phase];
  return phase;
}

/** Temporal's execution statuses, as its visibility queries spell them. */
export const EXECUTION_STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const EXECUTION_STATUS_VI: Record<ExecutionStatus, string> = {
  Running: 'Đang chạy',
  Completed: 'Đã kết thúc',
  Failed: 'Thất bại',
  Canceled: 'Đã huỷ',
  Terminated: 'Bị dừng cưỡng bức',
  ContinuedAsNew: 'Đã chuyển sang lượt thực thi mới',
  TimedOut: 'Quá thời hạn',
};

/** The client library's names of the statuses (WorkflowExecutionStatusName) → the visibility query's. */
export const STATUS_OF_CLIENT_NAME: Record<string, ExecutionStatus> = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Canceled',
  TERMINATED: 'Terminated',
  CONTINUED_AS_NEW: 'ContinuedAsNew',
  TIMED_OUT: 'TimedOut',
};

export interface RunFilter {
  provinceCode?: string;
  agencyCode?: string;
  kind?: WorkflowKind;
  phase?: WorkflowPhase;
  status?: ExecutionStatus;
  /** ISO 8601 instants: runs started at or after, before. */
  startedFrom?: string;
  startedBefore?: string;
}

export const RunFilterInvalid = defineError<{ field: string; value: string; hint: string }>(
  'AUDIT_RUN_FILTER_INVALID',
  'validation',
  (p) => `run filter ${p.field}=${p.value}: ${p.hint}`,
  (p) => `Điều kiện lọc ${p.field} = "${p.value}" không hợp lệ: ${p.hint}.`,
);

const PROVINCE = /^[0-9]{2}$/;
const AGENCY = /^[0-9]{3}([0-9]{2})?$/;

function instant(field: string, value: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw RunFilterInvalid({ field, value, hint: 'cần thời điểm theo ISO 8601, ví dụ 2026-01-31 hoặc 2026-01-31T08:00:00+07:00' });
  return new Date(ms).toISOString();
}

/**
 * The visibility query of a filter. Every value is checked against its own shape first, so
 * nothing a caller types reaches the query but codes, names from our lists and instants.
 */
export function runQuery(filter: RunFilter): string {
  const terms: string[] = [];
  const eq = (name: string, value: string) => terms.push(`${name} = '${value}'`);
  if (filter.provinceCode !== undefined) {
    if (!PROVINCE.test(filter.provinceCode)) throw RunFilterInvalid({ field: 'province', value: filter.provinceCode, hint: 'cần mã tỉnh 2 chữ số' });
    eq(SEARCH_ATTRIBUTES.province, filter.provinceCode);
  }
  if (filter.agencyCode !== undefined) {
    if (!AGENCY.test(filter.agencyCode)) throw RunFilterInvalid({ field: 'agency', value: filter.agencyCode, hint: 'cần mã cơ quan 3 hoặc 5 chữ số' });
    eq(SEARCH_ATTRIBUTES.agency, filter.agencyCode);
  }
  if (filter.kind !== undefined) {
    if (!WORKFLOW_KINDS.includes(filter.kind)) throw RunFilterInvalid({ field: 'kind', value: filter.kind, hint: `cần một trong ${WORKFLOW_KINDS.join(', ')}` });
    eq(SEARCH_ATTRIBUTES.kind, filter.kind);
  }
  if (filter.phase !== undefined) {
    if (!WORKFLOW_PHASES.includes(filter.phase)) throw RunFilterInvalid({ field: 'phase', value: filter.phase, hint: `cần một trong ${WORKFLOW_PHASES.join(', ')}` });
    eq(SEARCH_ATTRIBUTES.phase, filter.phase);
  }
  if (filter.status !== undefined) {
    if (!EXECUTION_STATUSES.includes(filter.status)) throw RunFilterInvalid({ field: 'status', value: filter.status, hint: `cần một trong ${EXECUTION_STATUSES.join(', ')}` });
    eq('ExecutionStatus', filter.status);
  }
  if (filter.startedFrom !== undefined) terms.push(`StartTime >= '${instant('from', filter.startedFrom)}'`);
  if (filter.startedBefore !== undefined) terms.push(`StartTime < '${instant('before', filter.startedBefore)}'`);
  return terms.join(' AND ');
}

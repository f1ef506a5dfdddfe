/**
 * The shape of a province run (Steps 1–2 and the hand-off to each agency): ids, phases and the
 * progress a coordinator sees. Pure: the workflows, the activities, the API and the CLI share it.
 */
import type { AgencyImportEntry } from '../imports/import-types';
import type { RegisterTypeCode } from '../registers/register-types';
import type { SplitFilesProgress } from '../review/agency-end';
import type { NeededUnits } from './custodians';
import type { ReviewBook, ReviewSettings, TransferProgress } from '../review/review-types';

/** A run is named by its province and the package's declared SHA-256: registering the same package twice finds the same run. */
export function provinceRunId(provinceCode: string, sha256: string): string {
  return `${provinceCode}-${sha256.slice(0, 16)}`;
}

const RUN_ID = /^([0-9]{2})-[0-9a-f]{16}$/;

export function isProvinceRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}

export function provinceOfRun(runId: string): string {
  const m = RUN_ID.exec(runId);
  if (!m) throw new Error(`not a province run id: ${runId}`);
  return m[1]!;
}

export const provinceRunWorkflowId = (runId: string) => `province/${provinceOfRun(runId)}/${runId}`;
export const agencyWorkflowId = (agencyCode: string, runId: string) => `agency/${agencyCode}/${runId}`;

export type RunPhase =
  | 'receiving'
  | 'awaiting_handover'
  | 'splitting'
  | 'awaiting_release'
  | 'releasing'
  | 'in_progress'
  | 'completed'
  | 'failed'
  | 'cancelled';

export const RUN_PHASE_VI: Record<RunPhase, string> = {
  receiving: 'Đang tiếp nhận gói dữ liệu',
  awaiting_handover: 'Chờ xác nhận bàn giao',
  splitting: 'Đang tách theo địa giới hành chính',
  awaiting_release: 'Chờ điều phối viên duyệt kết quả tách',
  releasing: 'Đang giao dữ liệu cho các cơ quan',
  in_progress: 'Các cơ quan đang nhập và kiểm tra dữ liệu',
  completed: 'Hoàn tất',
  failed: 'Thất bại',
  cancelled: 'Đã huỷ',
};

/** Where a package came from: a file the channel left in the inbox, or an upload staged by the API or CLI. */
export type PackageSource = { kind: 'inbox'; path: string } | { kind: 'staged'; token: string };

export interface HandoverDetails {
  /** Who handed the package over (the C06 side), as written in the handover minutes. */
  deliveredBy: string;
  /** The agreed channel, e.g. "Mạng truyền số liệu chuyên dùng". */
  channel: string;
}

export interface ProvinceRunInput extends HandoverDetails {
  /** Claims, reminders and transfer batching of the agencies' review (from the configuration). */
  review?: ReviewSettings;
  runId: string;
  provinceCode: string;
  source: PackageSource;
  originalName: string;
  declaredSha256: string;
  /** The coordinator who registered the package (received it). */
  startedBy: string;
  /** The register type of a package of one type whose sheets or files do not say it (the split's `registerType`). */
  registerType?: RegisterTypeCode;
}

export interface ReceivedPackage {
  sha256: string;
  sizeBytes: number;
  name: string;
  files: Array<{ name: string; size: number }>;
}

export interface AgencySchedule {
  /** Start of the agency's import slot at the focal agency's office (ISO 8601). */
  startsAt: string;
  place?: string;
}

export type AgencyPhase = 'waiting_release' | 'scheduled' | 'awaiting_import' | 'in_review' | 'completed' | 'cancelled';

export const AGENCY_PHASE_VI: Record<AgencyPhase, string> = {
  waiting_release: 'Chờ giao dữ liệu',
  scheduled: 'Đã xếp lịch nhập',
  awaiting_import: 'Chờ cơ quan nhập dữ liệu',
  in_review: 'Đang nhập và kiểm tra, phê duyệt',
  completed: 'Hoàn tất',
  cancelled: 'Đã huỷ',
};

export interface AgencyProgress {
  code: string;
  name: string;
  level: 'district' | 'commune';
  rows: number;
  files: number;
  phase: AgencyPhase;
  schedule?: AgencySchedule;
  /** Books idle past the escalation time, with work left: the coordinator follows these up. */
  overdueBooks?: number;
  /** A decision after release changed the agency's files (the batch, and who took it): its run is to be told, or started again. */
  filesChanged?: { batch: number; by: string };
}

/** What an agency's run knows: its progress, its imports (the latest ones), its books in review and its transfers. */
export interface AgencyRunState extends AgencyProgress {
  importsDone: number;
  imports: AgencyImportEntry[];
  /** The split files the run waits to see imported before it may end by itself; read when it starts. */
  splitFiles?: SplitFilesProgress;
  books: ReviewBook[];
  transfer: TransferProgress;
  decisionBatches: number;
  /** Set when a coordinator ended the agency's part before every record was transferred. */
  closed?: { by: string; reason: string; at: string };
}

export interface SplitSummary {
  inputRows: number;
  rowsWritten: number;
  exceptionRows: number;
  exceptionsByReason: Record<string, number>;
  agencies: Array<Omit<AgencyProgress, 'phase' | 'schedule'>>;
}

/** The coordinator's decisions on the split: small state (codes and counts); who decided what is in the history and PostgreSQL. */
export interface CustodianProgress {
  /** Former units whose custodian is to be decided, each with the codes of its candidate agencies. */
  needed: NeededUnits;
  /** The custodian decided for each decided unit. */
  decided: Record<string, string>;
  /** Batches of decisions (custodians, or one placement workbook) accepted, and applied to the split. */
  batches: number;
  applied: number;
  /** SHA-256 of each placement workbook taken: the same upload again changes nothing. */
  workbooks: string[];
  /** Rows placed by hand. */
  placed: number;
}

/** What a batch of decisions did. */
export interface DecisionBatchResult {
  batch: number;
  /** Custodian decisions taken, or rows placed and refused from a workbook. */
  decided?: number;
  placed?: number;
  refused?: number;
  /** The same workbook was taken before: nothing changed. */
  duplicate?: boolean;
  undecided: number;
  exceptionRows: number;
}

export interface RunFailure {
  code: string;
  message: string;
  messageVi: string;
}

export interface ProvinceRunProgress {
  runId: string;
  provinceCode: string;
  phase: RunPhase;
  package?: ReceivedPackage;
  handover?: { confirmedBy: string; confirmedAt: string };
  /** Rows read so far while splitting; the input's rows once done. */
  splitRows: number;
  split?: Omit<SplitSummary, 'agencies'>;
  release?: { releasedBy: string; releasedAt: string; scheduled: number; autoImport?: boolean; withoutUndecided?: string[] };
  agencies: AgencyProgress[];
  custodians?: CustodianProgress;
  failure?: RunFailure;
  cancelled?: { by: string; reason: string; at: string };
}

/** The four steps as a coordinator reads them, derived from the run's progress. */
export function stepsOf(p: ProvinceRunProgress): Array<{ step: 1 | 2 | 3 | 4; nameVi: string; status: 'pending' | 'active' | 'waiting' | 'done' | 'failed' | 'cancelled' }> {
  const order: RunPhase[] = ['receiving', 'awaiting_handover', 'splitting', 'awaiting_release', 'releasing', 'in_progress', 'completed'];
  const at = order.indexOf(p.phase);
  const ended = p.phase === 'failed' ? 'failed' : p.phase === 'cancelled' ? 'cancelled' : undefined;
  const reached = (phase: RunPhase) => at >= order.indexOf(phase);
  const status = (start: RunPhase, wait: RunPhase | undefined, done: RunPhase, started: boolean) => {
    if (at >= 0 && reached(done)) return 'done' as const;
    if (ended) return started ? ended : ('pending' as const);
    if (wait && p.phase === wait) return 'waiting' as const;
    return reached(start) ? ('active' as const) : ('pending' as const);
  };
  const agenciesDone = p.agencies.length > 0 && p.agencies.every((a) => a.phase === 'completed');
  return [
    { step: 1, nameVi: 'Tiếp nhận', status: status('receiving', 'awaiting_handover', 'splitting', true) },
    { step: 2, nameVi: 'Tách theo địa giới hành chính', status: status('splitting', 'awaiting_release', 'releasing', p.handover !== undefined) },
    { step: 3, nameVi: 'Nhập dữ liệu', status: agenciesDone ? 'done' : status('in_progress', undefined, 'completed', p.release !== undefined) },
    { step: 4, nameVi: 'Kiểm tra, phê duyệt, chuyển', status: status('in_progress', undefined, 'completed', p.release !== undefined) },
  ];
}

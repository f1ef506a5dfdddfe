/**
 * A run's history told in Vietnamese, one line per thing that happened: who registered the
 * package, confirmed the handover, released the split, imported which file, took which book,
 * decided on which records, what each transfer batch delivered, the phases the run went through
 * and how it ended. Read from the history alone (historyFacts), so it says what the process
 * recorded, whatever the database says since.
 */
import type { Activities } from '../../activities';
import type { StoredSource } from '../../domain/imports/import-types';
import { isRegisterTypeCode, registerType } from '../../domain/registers/register-types';
import type { BookRef, DecisionItem, DecisionKind } from '../../domain/review/review-types';
import { phaseLabelVi, SEARCH_ATTRIBUTES, type WorkflowKind } from '../../domain/audit/run-search';
import { agencyRun, type AgencyRunInput } from '../../workflows/agency-run';
import { provinceRun } from '../../workflows/province-run';
import {
  agencyPhaseSignal,
  cancelRun,
  claimBook,
  closeAgency,
  confirmHandover,
  decideCustodians,
  decidePage,
  decideRecords,
  importExcel,
  importScans,
  placeExceptions,
  releaseBook,
  releaseSplit,
  splitFilesChanged,
  transferNow,
} from '../../workflows/definitions';
import { acknowledgePlatformCheck, platformCheck, type PlatformCheckInput, type PlatformCheckState } from '../../workflows/platform-check';
import type { AgencyRunState, ProvinceRunInput, ProvinceRunProgress } from '../../domain/runs/province-run';
import type { UpdateDefinition } from '@temporalio/common';
import type { FailureFact, HistoryFact, Outcome } from './history-facts';

/** The workflow types the worker runs, as their histories name them, and the kind each is. */
export const KIND_OF_WORKFLOW_TYPE: Record<string, WorkflowKind> = {
  [provinceRun.name]: 'province-run',
  [agencyRun.name]: 'agency',
  [platformCheck.name]: 'platform-check',
};

/** What a screen links an entry to. */
export interface TimelineRefs {
  recordIds?: number[];
  sha256?: string;
  importKey?: string;
  batchKey?: string;
  updateId?: string;
  workflowId?: string;
}

export interface TimelineEntry {
  workflowId: string;
  /** The Temporal run (a workflow that continued as new has several). */
  runId: string;
  eventId: number;
  at: string;
  /** Stable: `run.started`, `update.<name>`, `activity.<type>`, `signal.<name>`, `child.started`, `phase`, `run.<how>`. */
  action: string;
  actor?: string;
  textVi: string;
  /** `pending`: accepted or scheduled, with no outcome in the history yet. */
  outcome: 'ok' | 'failed' | 'pending';
  failure?: FailureFact;
  refs?: TimelineRefs;
}

type Told = { actor?: string; textVi: string; refs?: TimelineRefs } | undefined;

const bookVi = (b: BookRef) => `${isRegisterTypeCode(b.registerType) ? registerType(b.registerType).nameVi : b.registerType}, quyển ${b.bookKey} năm ${b.bookYear} (đơn vị ${b.unitCode})`;
const fileVi = (f: StoredSource) => `«${f.name}» (SHA-256 ${f.sha256.slice(0, 12)}…)`;
const DECISION_VI: Record<DecisionKind, string> = { approve: 'phê duyệt', reject: 'từ chối', correct: 'sửa' };

const excelCountsVi = (c: { read: number; inserted: number; updated: number; unchanged: number; rejected: number }) =>
  `đọc ${c.read} dòng: thêm ${c.inserted}, cập nhật ${c.updated}, không đổi ${c.unchanged}, bị loại ${c.rejected}`;

/** Update texts by update name, each typed by its update's own definition. */
type UpdateTeller = (args: unknown[], result: unknown) => Told;
const updates = new Map<string, UpdateTeller>();
function typed<Ret, Args extends unknown[]>(def: UpdateDefinition<Ret, Args>, tell: (args: Args, result: Ret | undefined) => Told): void {
  updates.set(def.name, tell as UpdateTeller);
}

typed(confirmHandover, ([{ by }]) => ({ actor: by, textVi: `${by} xác nhận đã nhận đủ gói dữ liệu theo biên bản bàn giao` }));
typed(releaseSplit, ([{ by, schedules, autoImport, withoutUndecided }]) => {
  const scheduled = Object.keys(schedules ?? {}).length;
  return {
    actor: by,
    textVi: `${by} duyệt kết quả tách và giao dữ liệu cho các cơ quan${scheduled ? `; lịch nhập cho ${scheduled} cơ quan` : ''}${autoImport ? '; các cơ quan tự nhập tệp đã tách khi đến lịch' : ''}${
      withoutUndecided ? '; giao cả khi còn đơn vị cũ chưa chọn cơ quan giữ sổ' : ''
    }`,
  };
});
typed(decideCustodians, ([{ by, decisions }], r) => ({
  actor: by,
  textVi: `${by} chọn cơ quan giữ sổ cho ${decisions.length} đơn vị cũ (${decisions.map((d) => `${d.unitCode} → ${d.agencyCode}`).join(', ')})${r ? `; còn ${r.undecided} đơn vị chưa chọn` : ''}`,
}));
typed(placeExceptions, ([{ by, workbookSha256, placements }], r) => ({
  actor: by,
  textVi: `${by} xếp ${placements.length} dòng ngoại lệ cho cơ quan từ tệp SHA-256 ${workbookSha256.slice(0, 12)}…${
    r ? (r.duplicate ? ': tệp này đã được xếp trước đó, không thay đổi gì' : `: xếp được ${r.placed ?? 0}, không xếp được ${r.refused ?? 0}; còn ${r.exceptionRows} dòng ngoại lệ`) : ''
  }`,
  refs: { sha256: workbookSha256 },
}));
typed(cancelRun, ([{ by, reason }]) => ({ actor: by, textVi: `${by} huỷ lượt chạy: ${reason}` }));
typed(importExcel, ([{ by, registerType: type, source }], r) => ({
  actor: by.username,
  textVi: `${by.username} nhập tệp Excel sổ ${type} ${fileVi(source)}${r ? `: ${excelCountsVi(r.counts)}` : ''}`,
  refs: { sha256: source.sha256, ...(r ? { importKey: r.importKey } : {}) },
}));
typed(importScans, ([{ by, zip, unitCode }], r) => ({
  actor: by.username,
  textVi: `${by.username} nhập tệp bản quét ${fileVi(zip)}${unitCode ? ` của đơn vị ${unitCode}` : ''}${
    r ? `: gắn ${r.counts.attached} trang, đã gắn từ trước ${r.counts.alreadyAttached}, thay ${r.counts.replaced}, chờ hồ sơ ${r.counts.unmatched}, bị loại ${r.counts.rejected}` : ''
  }`,
  refs: { sha256: zip.sha256, ...(r ? { importKey: r.importKey } : {}) },
}));
/** The decisions asked, by kind ("phê duyệt 3, từ chối 1"), and what was done of them. */
const decisionsVi = (items: readonly DecisionItem[], r: { decided: number; refused: number } | undefined) => {
  const asked = (Object.keys(DECISION_VI) as DecisionKind[])
    .map((k) => [k, items.filter((i) => i.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${DECISION_VI[k]} ${n}`)
    .join(', ');
  return `(${asked} hồ sơ)${r ? `: thực hiện ${r.decided}${r.refused ? `, không thực hiện được ${r.refused}` : ''}` : ''}`;
};
typed(decideRecords, ([{ by, book, items }], r) => ({
  actor: by.username,
  textVi: `${by.username} quyết định trên ${bookVi(book)} ${decisionsVi(items, r)}`,
  refs: { recordIds: items.map((i) => i.recordId), ...(r ? { batchKey: r.batchKey } : {}) },
}));
typed(decidePage, ([{ by, books }], r) => {
  const items = books.flatMap((b) => b.items);
  const total = r && { decided: r.reduce((n, b) => n + b.decided, 0), refused: r.reduce((n, b) => n + b.refused, 0) };
  const where = books.map((b) => bookVi(b.book)).join('; ');
  return { actor: by.username, textVi: `${by.username} quyết định trên ${where} ${decisionsVi(items, total)}`, refs: { recordIds: items.map((i) => i.recordId), ...(r?.[0] ? { batchKey: r[0].batchKey } : {}) } };
});
typed(claimBook, ([{ by, book }]) => ({ actor: by.username, textVi: `${by.username} nhận ${bookVi(book)} để kiểm tra` }));
typed(releaseBook, ([{ by, book }]) => ({
  actor: by.username,
  textVi: by.role === 'coordinator' ? `Điều phối viên ${by.username} giải phóng ${bookVi(book)}` : `${by.username} trả ${bookVi(book)}`,
}));
typed(transferNow, ([{ by }]) => ({ actor: by.username, textVi: `${by.username} yêu cầu chuyển ngay các hồ sơ đã phê duyệt` }));
typed(splitFilesChanged, ([{ autoImport }], r) => {
  const count = (files: Partial<Record<string, string[]>> | undefined) => Object.values(files ?? {}).reduce((n, f) => n + (f?.length ?? 0), 0);
  return {
    textVi: `Tệp đã tách của cơ quan thay đổi sau khi giao (quyết định cơ quan giữ sổ hoặc dòng ngoại lệ được xếp)${r ? `: chờ nhập ${count(r.expected)} tệp, đã nhập ${count(r.imported)}` : ''}${
      autoImport ? `; tự nhập các tệp mới (do ${autoImport.by} chọn khi giao dữ liệu)` : ''
    }`,
  };
});
typed(closeAgency, ([{ by, reason }]) => ({ actor: by.username, textVi: `Điều phối viên ${by.username} kết thúc phần việc của cơ quan: ${reason}` }));
typed(acknowledgePlatformCheck, ([{ by }]) => ({ actor: by, textVi: `${by} xác nhận kiểm tra nền tảng` }));

/** How an activity ended up, beside its result: `done` with no result is an activity that returned nothing. */
interface ActivityContext {
  done: boolean;
  /** Started by an update of the same run (the update's line tells it). */
  byUpdate: boolean;
}

/** Activities worth a line (the rest are bookkeeping a person did not ask for), typed by the activities themselves. */
type ActivityTellers = {
  [K in keyof Activities]?: (input: Parameters<Activities[K]>[0], result: Awaited<ReturnType<Activities[K]>> | undefined, ctx: ActivityContext) => Told;
};
const activities: ActivityTellers = {
  receivePackage: (_input, r) => ({ textVi: r ? `Nhận gói «${r.name}»: ${r.sizeBytes} byte, SHA-256 ${r.sha256}, ${r.files.length} tệp; lưu vào kho lưu trữ` : 'Tiếp nhận gói dữ liệu', refs: r ? { sha256: r.sha256 } : undefined }),
  splitPackage: (_input, r) => ({
    textVi: r ? `Tách xong: ${r.inputRows} dòng = ${r.rowsWritten} dòng vào ${r.agencies.length} cơ quan + ${r.exceptionRows} dòng ngoại lệ` : 'Tách dữ liệu theo địa giới hành chính',
  }),
  // An import an update asked for is told by the update; the one a run makes itself (auto-import) is told here.
  importExcel: (input, r, { byUpdate }) =>
    byUpdate ? undefined : { actor: input.actor, textVi: `Tự nhập tệp đã tách sổ ${input.registerType} ${fileVi(input.source)} (do ${input.actor} chọn khi giao dữ liệu)${r ? `: ${excelCountsVi(r.counts)}` : ''}`, refs: { sha256: input.source.sha256, importKey: input.importKey } },
  importScans: (input, r, { byUpdate }) => (byUpdate ? undefined : { actor: input.actor, textVi: `Nhập tệp bản quét ${fileVi(input.zip)}${r ? `: gắn ${r.counts.attached} trang` : ''}`, refs: { sha256: input.zip.sha256, importKey: input.importKey } }),
  // A batch asked for when nothing waited sends nothing and is no news.
  transferApproved: (input, r, { done }) =>
    done && !r
      ? undefined
      : { textVi: r ? `Chuyển lô ${r.records} hồ sơ vào CSDLHTĐT: được nhận ${r.accepted}, bị trả lại ${r.rejected}` : 'Chuyển một lô hồ sơ vào CSDLHTĐT', refs: { batchKey: input.batchKey } },
  notifyIdleBook: (input) => ({ textVi: input.messageVi }),
  recordPlatformCheck: (_input, seq) => ({ textVi: seq === undefined ? 'Ghi nhật ký kiểm toán' : `Ghi nhật ký kiểm toán, mục số ${seq}` }),
};

function tellStart(type: string, args: unknown[], continuedFrom: string | undefined): Told {
  const kind = KIND_OF_WORKFLOW_TYPE[type];
  if (continuedFrom) return { textVi: `Tiếp tục trong lượt thực thi mới (nối tiếp lượt ${continuedFrom}), mang theo trạng thái của lượt trước` };
  if (kind === 'province-run') {
    const input = args[0] as ProvinceRunInput;
    return {
      actor: input.startedBy,
      textVi: `${input.startedBy} đăng ký gói dữ liệu «${input.originalName}» của tỉnh ${input.provinceCode} (SHA-256 theo biên bản ${input.declaredSha256}); bên giao: ${input.deliveredBy}, kênh: ${input.channel}${input.registerType ? `; loại sổ ${input.registerType}` : ''}`,
    };
  }
  if (kind === 'agency') {
    const input = args[0] as AgencyRunInput;
    const slot = input.schedule ? `; lịch nhập từ ${input.schedule.startsAt}${input.schedule.place ? ` tại ${input.schedule.place}` : ''}` : '';
    const auto = input.autoImport ? `; tự nhập các tệp đã tách (do ${input.autoImport.by} chọn)` : '';
    return { textVi: `Mở phần việc của cơ quan ${input.agency.code} – ${input.agency.name}: ${input.agency.rows} dòng trong ${input.agency.files} tệp đã tách${slot}${auto}` };
  }
  if (kind === 'platform-check') {
    const input = args[0] as PlatformCheckInput;
    return { actor: input.requestedBy, textVi: `Kiểm tra nền tảng do ${input.requestedBy} yêu cầu` };
  }
  return { textVi: `Bắt đầu quy trình ${type}` };
}

function tellEnd(kind: WorkflowKind | undefined, fact: Extract<HistoryFact, { kind: 'ended' }>): Told {
  switch (fact.how) {
    case 'completed': {
      if (kind === 'province-run') return { textVi: (fact.result as ProvinceRunProgress | undefined)?.phase === 'cancelled' ? 'Lượt chạy kết thúc: đã huỷ' : 'Lượt chạy hoàn tất' };
      if (kind === 'agency') {
        const s = fact.result as AgencyRunState | undefined;
        const closed = s?.closed ? `; do điều phối viên ${s.closed.by} kết thúc: ${s.closed.reason}` : '';
        return { textVi: `Phần việc của cơ quan hoàn tất: đã chuyển ${s?.transfer.transferred ?? 0} hồ sơ vào CSDLHTĐT${closed}`, actor: s?.closed?.by };
      }
      if (kind === 'platform-check') return { textVi: `Kiểm tra nền tảng hoàn tất (xác nhận bởi ${(fact.result as PlatformCheckState | undefined)?.acknowledgedBy ?? '?'})` };
      return { textVi: 'Hoàn tất' };
    }
    case 'failed':
      return { textVi: `Thất bại${fact.failure?.code ? ` [${fact.failure.code}]` : ''}: ${fact.failure?.messageVi ?? fact.failure?.message ?? ''}` };
    case 'cancelled':
      return { textVi: 'Đã huỷ qua Temporal' };
    case 'terminated':
      return { textVi: `Bị dừng cưỡng bức trên Temporal${fact.reason ? `: ${fact.reason}` : ''}` };
    case 'timed-out':
      return { textVi: 'Quá thời hạn chạy' };
    case 'continued-as-new':
      return { textVi: `Lịch sử đã dài: tiếp tục trong lượt thực thi mới ${fact.newRunId ?? ''}`.trim() };
  }
}

/** The entries of one run's facts; `workflowId` is the run's, its history's updates know their own ids. */
export function tellHistory(run: { workflowId: string; runId: string }, facts: readonly HistoryFact[]): TimelineEntry[] {
  const started = facts.find((f): f is Extract<HistoryFact, { kind: 'started' }> => f.kind === 'started');
  const kind = started ? KIND_OF_WORKFLOW_TYPE[started.workflowType] : undefined;
  const updateKeys = new Set(facts.flatMap((f) => (f.kind === 'update' ? [`${run.workflowId}/${f.updateId}`] : [])));
  const entries: TimelineEntry[] = [];
  const push = (f: HistoryFact, action: string, told: Told, outcome: TimelineEntry['outcome'] = 'ok', failure?: FailureFact) => {
    if (!told) return;
    entries.push({ ...run, eventId: f.eventId, at: f.at, action, ...told, outcome, ...(failure ? { failure } : {}) });
  };
  const outcomeOf = (o: Outcome | undefined): [TimelineEntry['outcome'], FailureFact | undefined] => (!o ? ['pending', undefined] : o.ok ? ['ok', undefined] : ['failed', o.failure]);
  for (const f of facts) {
    switch (f.kind) {
      case 'started':
        push(f, 'run.started', tellStart(f.workflowType, f.args, f.continuedFromRunId));
        break;
      case 'update': {
        const tell = updates.get(f.name);
        const told = tell ? tell(f.args, f.outcome?.ok ? f.outcome.result : undefined) : { textVi: `Yêu cầu ${f.name}` };
        push(f, `update.${f.name}`, told && { ...told, refs: { ...told.refs, updateId: f.updateId } }, ...outcomeOf(f.outcome));
        break;
      }
      case 'activity': {
        const tell = activities[f.activityType as keyof Activities] as ((input: unknown, result: unknown, ctx: ActivityContext) => Told) | undefined;
        if (!tell) break;
        const input = f.args[0] as { importKey?: string } | undefined;
        const result = f.outcome?.ok ? f.outcome.result : undefined;
        const ctx = { done: f.outcome?.ok === true, byUpdate: !!input?.importKey && updateKeys.has(input.importKey) };
        push(f, `activity.${f.activityType}`, tell(input, result, ctx), ...outcomeOf(f.outcome));
        break;
      }
      case 'signal':
        if (f.name === agencyPhaseSignal.name) {
          const { code, phase, overdueBooks } = f.args[0] as { code: string; phase: string; overdueBooks?: number };
          push(f, `signal.${f.name}`, { textVi: `Cơ quan ${code}: ${phaseLabelVi('agency', phase)}${overdueBooks ? `; ${overdueBooks} sổ quá hạn` : ''}` });
        }
        break;
      case 'child':
        push(f, 'child.started', {
          textVi: f.workflowId.startsWith('agency/') ? `Mở phần việc của cơ quan ${f.workflowId.split('/')[1]}` : `Bắt đầu quy trình con ${f.workflowId}`,
          refs: { workflowId: f.workflowId },
        });
        break;
      case 'attributes': {
        const phase = f.values[SEARCH_ATTRIBUTES.phase];
        const value = Array.isArray(phase) ? phase[0] : phase;
        if (typeof value === 'string') push(f, 'phase', { textVi: `Giai đoạn: ${phaseLabelVi(kind, value)}` });
        break;
      }
      case 'cancel-requested':
        push(f, 'run.cancel-requested', { textVi: `Yêu cầu huỷ qua Temporal${f.identity ? ` (từ ${f.identity})` : ''}` });
        break;
      case 'ended':
        push(f, `run.${f.how}`, tellEnd(kind, f), f.how === 'failed' || f.how === 'timed-out' ? 'failed' : 'ok', f.failure);
        break;
      case 'local-activity':
        // Decisions run as local activities inside their update, which tells them.
        break;
    }
  }
  return entries;
}

/**
 * AgencyWorkflow (id `agency/<agencyCode>/<runId>`): one civil-registration agency's part of a
 * province run. It opens at the agency's import slot (when the coordinator set one) and takes
 * the agency's imports (Step 3) as updates, so the history shows who imported which file and
 * what came of it. A register book with data is open for review (Step 4) while more imports
 * keep coming: officials claim books and send decisions as updates (the history is the audit
 * of who decided what), approved records are transferred in batches, idle books remind the
 * agency and then the coordinator on timers. It ends when its work is done (every split file
 * of the agency imported, no import in flight, every book decided: agency-end.ts) or when a
 * coordinator closes it. The state holds counts per book, never records, and the run
 * continues as new, carrying it, before its history grows long.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExcelImportActivities } from '../activities/imports/import-excel';
import type { SplitSourceActivities } from '../activities/imports/split-sources';
import type { ReviewActivities } from '../activities/review/decide-records';
import type { NotificationActivities } from '../activities/review/notify-idle-book';
import type { RunEventActivities } from '../activities/runs/run-events';
import type { ScanActivities } from '../activities/scans/import-scans';
import type { TransferActivities } from '../activities/transfer/transfer-approved';
import type { AgencyImportEntry, ExcelImportResult, ImportActor, StoredSource } from '../domain/imports/import-types';
import { storedSourceProblem } from '../domain/imports/stored-source';
import { isRegisterTypeCode, registerType, type RegisterTypeCode } from '../domain/registers/register-types';
import {
  AgencyCloseReasonMissing,
  ReviewBookClaimed,
  ReviewBookNotOpen,
  ReviewClaimNotHeld,
  ReviewNotCoordinator,
  ReviewNotOfficialOfAgency,
} from '../domain/review/review-errors';
import { agencyWorkDone, expectSplitFiles, reviseSplitFiles, splitFilesAfter, withImportedFile, type SplitFilesProgress } from '../domain/review/agency-end';
import { batchProblem, dueNotices, hasWorkLeft, standingClaim } from '../domain/review/review-rules';
import { bookId, DEFAULT_REVIEW_SETTINGS, TRANSFER_LANES, type BookCounts, type BookRef, type ReviewActor, type ReviewBook, type ReviewSettings } from '../domain/review/review-types';
import type { AgencyPhase, AgencyProgress, AgencyRunState, AgencySchedule } from '../domain/runs/province-run';
import { AgencyRunEnded, ImportOtherAgency, ImportRegisterTypeInvalid, RunActorMissing } from '../domain/runs/run-errors';
import {
  agencyPhaseSignal,
  agencyRunProgress,
  claimBook,
  closeAgency,
  decideRecords,
  importExcel,
  importScans,
  releaseBook,
  splitFilesChanged,
  transferNow,
} from './definitions';
import { appFailure } from './failures';
import { transferTaskQueue } from './task-queues';

export interface AgencyRunInput {
  runId: string;
  provinceCode: string;
  parentWorkflowId: string;
  agency: Omit<AgencyProgress, 'phase' | 'schedule'>;
  schedule?: AgencySchedule;
  /** Set when the coordinator chose at release that the agency's split files import themselves. */
  autoImport?: { by: string };
  /** Set when the agency's run is started again because a decision after release gave it files its earlier run, ended, was never given. */
  earlierRun?: { splitFiles?: SplitFilesProgress };
  review?: ReviewSettings;
  /** The state a previous run of this workflow carried over when it continued as new. */
  carried?: AgencyRunState;
  /** Events after which the run continues as new; lowered only to watch it happen. */
  historyLimit?: number;
}

/** The latest imports kept in the state; every import stays in the history and in PostgreSQL. */
const IMPORTS_KEPT = 50;
/** Continue as new before the history grows past this many events (decisions arrive by the thousand). */
const HISTORY_LIMIT = 10_000;

const { importExcel: runExcelImport } = proxyActivities<ExcelImportActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});
const { importScans: runScanImport } = proxyActivities<ScanActivities>({
  // A 2 GiB zip of pages is stored entry by entry; a lost worker is noticed by the missing heartbeat.
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});
const { agencySplitSources, agencySplitFiles } = proxyActivities<SplitSourceActivities>({ startToCloseTimeout: '30 minutes', retry: { maximumAttempts: 5 } });
const { registerWorkflows, recordRunEvent } = proxyActivities<RunEventActivities>({ startToCloseTimeout: '1 minute' });
const { agencyBooks } = proxyActivities<ReviewActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '200 milliseconds', maximumAttempts: 10 } });
// A page of decisions is one short transaction an official waits for: run in the workflow task that accepted the
// update, it costs no activity task and no second workflow task (its batch key makes a retried one return the first result).
const { decideRecords: runDecisions } = proxyLocalActivities<ReviewActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '200 milliseconds', maximumAttempts: 10 } });
const { notifyIdleBook } = proxyActivities<NotificationActivities>({ startToCloseTimeout: '1 minute' });

const ENDED: readonly AgencyPhase[] = ['completed', 'cancelled'];

const describeBook = (b: ReviewBook) => `${registerType(b.registerType).nameVi}, quyển số ${b.bookNumber} năm ${b.bookYear} (đơn vị ${b.unitCode})`;

export async function agencyRun(input: AgencyRunInput): Promise<AgencyRunState> {
  // The target may be down for a while: batches retry with backoff, without end, and the dashboard shows the last failure.
  const { transferApproved } = proxyActivities<TransferActivities>({
    taskQueue: transferTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '10 minutes',
    // A lost worker's batch is sent again after this long; the adapter's idempotency keys make that safe.
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
  });
  const settings = input.review ?? DEFAULT_REVIEW_SETTINGS;
  const state: AgencyRunState = input.carried ?? {
    ...input.agency,
    phase: input.schedule ? 'scheduled' : 'awaiting_import',
    schedule: input.schedule,
    importsDone: 0,
    imports: [],
    books: [],
    transfer: { keys: 0, batches: 0, transferred: 0, rejectedByTarget: 0 },
    decisionBatches: 0,
  };
  const workflowId = workflowInfo().workflowId;
  const nowIso = () => new Date().toISOString();
  let transferRequested = false;
  /** When the oldest approval still waiting for a batch was made: approved records wait at most the transfer delay. */
  let waitingSince: number | undefined;
  let closing: { by: string; reason: string } | undefined;
  /** Set the moment the run's work is found done: from then on nothing more is accepted. */
  let ending = false;
  /** Imports accepted and not yet finished: they bring records the run must still review. */
  let importsInFlight = 0;

  setHandler(agencyRunProgress, () => state);
  // Signalled by workflow id, so it reaches the province run after it has continued as new.
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const overdueBooks = () => state.books.filter((b) => b.escalated && hasWorkLeft(b)).length;
  /** The overdue count the province run last heard (a carried state's was told before continuing as new). */
  let toldOverdue = overdueBooks();
  const tellParent = () => {
    toldOverdue = overdueBooks();
    return parent.signal(agencyPhaseSignal, { code: state.code, phase: state.phase, overdueBooks: toldOverdue }).catch(() => undefined);
  };
  const enter = async (phase: AgencyPhase) => {
    if (state.phase === phase) return;
    state.phase = phase;
    // A province run that has already ended has nobody to tell.
    await tellParent();
  };

  const findBook = (ref: BookRef) => state.books.find((b) => bookId(b) === bookId(ref));
  /** Something happened in the book: its idle clock starts again. */
  const touch = (b: ReviewBook) => {
    b.lastActivityAt = nowIso();
    b.reminded = false;
    b.escalated = false;
  };
  const setCounts = (ref: BookRef & { bookNumber: string }, counts: BookCounts) => {
    const known = findBook(ref);
    if (known) known.counts = counts;
    else state.books.push({ registerType: ref.registerType, unitCode: ref.unitCode, bookYear: ref.bookYear, bookKey: ref.bookKey, bookNumber: ref.bookNumber, counts, lastActivityAt: nowIso() });
  };

  const workDone = () => agencyWorkDone({ splitFiles: state.splitFiles, importsInFlight, books: state.books });
  /** An import counts as in flight from its acceptance, and starts once the run knows the split files it expects. */
  const inFlight = async <T>(work: () => Promise<T>): Promise<T> => {
    importsInFlight++;
    try {
      await condition(() => state.splitFiles !== undefined);
      return await work();
    } finally {
      importsInFlight--;
    }
  };

  const remember = (entry: AgencyImportEntry) => {
    state.importsDone++;
    state.imports = [...state.imports, entry].slice(-IMPORTS_KEPT);
  };
  /** After an import the counts of every book are read again: a re-import can send approved-before-rejected records back to review. */
  const refreshBooks = async (changed: (b: ReviewBook) => boolean) => {
    for (const b of await agencyBooks({ agencyCode: state.code })) {
      setCounts(b, b.counts);
      const book = findBook(b)!;
      if (changed(book)) touch(book);
    }
  };
  const importOne = async (by: string, type: RegisterTypeCode, source: StoredSource, importKey: string) => {
    const result: ExcelImportResult = await runExcelImport({ importKey, runId: input.runId, agencyCode: state.code, registerType: type, actor: by, workflowId, source });
    remember({ importId: result.importId, kind: 'excel', by, at: nowIso(), sourceSha256: source.sha256, sourceName: source.name, registerType: type, counts: { ...result.counts } });
    state.splitFiles = withImportedFile(state.splitFiles!, type, source.sha256);
    const imported = new Set(result.books.map((b) => bookId({ registerType: type, ...b })));
    await refreshBooks((b) => imported.has(bookId(b)));
    // An import before the slot opens the agency early: the slot is a recommendation, not a lock.
    if (state.books.length > 0) await enter('in_review');
    else if (state.phase === 'scheduled') await enter('awaiting_import');
    return result;
  };
  /** Whether auto-import has begun: files that come before it are imported with the others when the slot opens. */
  let slotOpened = input.carried !== undefined;
  /** Imports split files of the agency (by SHA-256) as an official would, one after another (auto-import). */
  const importSplitFiles = async (by: string, only: readonly string[]) => {
    if (only.length === 0) return;
    const sources = await agencySplitSources({ runId: input.runId, agencyCode: state.code, only: [...only] });
    for (const s of sources) await inFlight(() => importOne(by, s.registerType, s.source, `${workflowId}/auto/${s.source.sha256}`));
  };

  const notEnded = () => {
    if (ENDED.includes(state.phase) || closing || ending) throw appFailure(AgencyRunEnded({ agency: state.code, phase: state.phase }));
  };
  /** Who may import, and when: an official of this agency or a coordinator, while the agency's part is open. */
  const validateActor = (by: ImportActor | undefined) => {
    if (typeof by?.username !== 'string' || by.username.trim() === '') throw appFailure(RunActorMissing({}));
    if (by.agencyCode !== undefined && by.agencyCode !== state.code) throw appFailure(ImportOtherAgency({ agency: state.code, own: by.agencyCode }));
    notEnded();
  };
  /** Decisions are an official's, and only on the official's own agency. */
  const validateOfficial = (by: ReviewActor | undefined) => {
    if (typeof by?.username !== 'string' || by.username.trim() === '') throw appFailure(RunActorMissing({}));
    if (by.role !== 'official' || by.agencyCode !== state.code) throw appFailure(ReviewNotOfficialOfAgency({ agency: state.code }));
    notEnded();
  };
  const openBook = (ref: BookRef | undefined) => {
    const b = ref && findBook(ref);
    if (!b) throw appFailure(ReviewBookNotOpen({ book: ref ? bookId(ref) : '?' }));
    return b;
  };
  /** The book, free for `by` (unclaimed, claimed by them, or its claim has lapsed). */
  const bookFor = (by: ReviewActor, ref: BookRef | undefined) => {
    const b = openBook(ref);
    const claim = standingClaim(b, Date.now(), settings);
    if (claim && claim.by !== by.username) throw appFailure(ReviewBookClaimed({ book: describeBook(b), by: claim.by, since: claim.since }));
    return b;
  };
  const claim = (b: ReviewBook, by: string) => {
    const held = standingClaim(b, Date.now(), settings);
    b.claim = { by, since: held?.by === by ? held.since : nowIso(), lastActiveAt: nowIso() };
    touch(b);
    return b.claim;
  };
  const updateKey = () => `${workflowId}/${currentUpdateInfo()!.id}`;

  /** The stored file an import names, as the upload and the CLI make it: the activities take it on trust. */
  const validateSource = (source: StoredSource | undefined) => {
    const problem = storedSourceProblem(source);
    if (problem) throw appFailure(problem);
  };

  setHandler(
    importExcel,
    async ({ by, registerType: type, source }) => {
      const key = updateKey();
      return inFlight(() => importOne(by.username.trim(), type, source, key));
    },
    {
      validator: ({ by, registerType: type, source }) => {
        validateActor(by);
        if (!isRegisterTypeCode(String(type))) throw appFailure(ImportRegisterTypeInvalid({ value: String(type) }));
        validateSource(source);
      },
    },
  );

  setHandler(
    importScans,
    async ({ by, zip, unitCode }) => {
      const actor = by.username.trim();
      const importKey = updateKey();
      const report = await inFlight(() => runScanImport({ importKey, agencyCode: state.code, unitCode, actor, workflowId, zip }));
      const { entries, attached, alreadyAttached, replaced, unmatched, rejected, missingPages } = report.counts;
      remember({ importId: report.importId, kind: 'scans', by: actor, at: nowIso(), sourceSha256: zip.sha256, sourceName: zip.name, counts: { entries, attached, alreadyAttached, replaced, unmatched, rejected, missingPages } });
      // New pages make records approvable: their books count again.
      if (attached + replaced > 0) {
        const before = new Map(state.books.map((b) => [bookId(b), b.counts.awaitingScan]));
        await refreshBooks((b) => before.get(bookId(b)) !== b.counts.awaitingScan);
      }
      if (state.books.length > 0) await enter('in_review');
      else if (state.phase === 'scheduled') await enter('awaiting_import');
      return report;
    },
    { validator: ({ by, zip }) => (validateActor(by), validateSource(zip)) },
  );

  setHandler(
    splitFilesChanged,
    ({ autoImport }) =>
      // In flight while it reads: the run does not end on the files it knew before.
      inFlight(async () => {
        const revised = reviseSplitFiles(state.splitFiles!, await agencySplitFiles({ runId: input.runId, agencyCode: state.code }));
        state.splitFiles = revised.progress;
        if (autoImport && slotOpened) await importSplitFiles(autoImport.by, revised.added.map((f) => f.sha256));
        return state.splitFiles!;
      }),
    {
      validator: ({ autoImport }) => {
        notEnded();
        if (autoImport && (typeof autoImport.by !== 'string' || autoImport.by.trim() === '')) throw appFailure(RunActorMissing({}));
      },
    },
  );

  setHandler(
    claimBook,
    ({ by, book }) => {
      bookFor(by, book);
      return claim(findBook(book)!, by.username);
    },
    { validator: ({ by, book }) => (validateOfficial(by), bookFor(by, book), undefined) },
  );

  setHandler(
    releaseBook,
    ({ book }) => {
      const b = openBook(book);
      b.claim = undefined;
    },
    {
      validator: ({ by, book }) => {
        if (by?.role === 'coordinator') notEnded();
        else validateOfficial(by);
        const b = openBook(book);
        const held = standingClaim(b, Date.now(), settings);
        if (!held) throw appFailure(ReviewClaimNotHeld({ book: describeBook(b) }));
        if (by.role !== 'coordinator' && held.by !== by.username) throw appFailure(ReviewBookClaimed({ book: describeBook(b), by: held.by, since: held.since }));
      },
    },
  );

  setHandler(
    decideRecords,
    async (req) => {
      const by = req.by.username.trim();
      // Checked again here: another official may have claimed the book since this update was validated.
      const b = bookFor(req.by, req.book);
      claim(b, by);
      const result = await runDecisions({ ...req, by: { ...req.by, username: by }, batchKey: updateKey(), agencyCode: state.code, workflowId });
      state.decisionBatches++;
      b.counts = result.counts;
      touch(b);
      if (result.outcomes.some((o) => o.kind === 'approve' && o.outcome === 'decided')) waitingSince ??= Date.now();
      return result;
    },
    {
      validator: ({ by, book, items }) => {
        validateOfficial(by);
        bookFor(by, book);
        const problem = batchProblem(book.registerType, items);
        if (problem) throw appFailure(problem);
      },
    },
  );

  setHandler(
    transferNow,
    () => {
      transferRequested = true;
      return state.transfer;
    },
    {
      validator: ({ by }) => {
        if (by?.role === 'coordinator') notEnded();
        else validateOfficial(by);
      },
    },
  );

  setHandler(
    closeAgency,
    async ({ by, reason }) => {
      closing = { by: by.username.trim(), reason: reason.trim() };
      await condition(() => state.phase === 'completed');
      return state;
    },
    {
      validator: ({ by, reason }) => {
        if (typeof by?.username !== 'string' || by.username.trim() === '') throw appFailure(RunActorMissing({}));
        if (by.role !== 'coordinator') throw appFailure(ReviewNotCoordinator({ action: 'close an agency' }));
        notEnded();
        if (typeof reason !== 'string' || reason.trim() === '') throw appFailure(AgencyCloseReasonMissing({}));
      },
    },
  );

  const approvedWaiting = () => state.books.reduce((n, b) => n + b.counts.approved, 0);
  const transferDue = () =>
    approvedWaiting() > 0 && (transferRequested || approvedWaiting() >= settings.transferBatchSize || Date.now() - (waitingSince ?? 0) >= settings.transferDelayMs);

  /** Batches until no approved record waits (or the target refused them all back to review), a few at once. */
  const transferAll = async () => {
    transferRequested = false;
    waitingSince = undefined;
    const decisionsBefore = state.decisionBatches;
    let inFlight = 0;
    let exhausted = false;
    // Each lane sends its next batch as soon as its last one is done, not when the slowest of a round is, while the
    // approved records not yet in a batch fill one: an empty batch would cost an activity to learn nothing.
    const lane = async () => {
      while (!exhausted && approvedWaiting() > inFlight * settings.transferBatchSize) {
        inFlight++;
        const batchKey = `${workflowId}/transfer/${++state.transfer.keys}`;
        const batch = await transferApproved({ batchKey, agencyCode: state.code, workflowId, limit: settings.transferBatchSize }).finally(() => inFlight--);
        if (!batch) {
          exhausted = true;
          return;
        }
        state.transfer.batches++;
        state.transfer.transferred += batch.accepted;
        state.transfer.rejectedByTarget += batch.rejected;
        state.transfer.lastBatchAt = nowIso();
        for (const b of batch.books) {
          setCounts(b, b.counts);
          // A record refused by the target is work again for the agency.
          if (batch.rejected > 0) touch(findBook(b)!);
        }
      }
    };
    await Promise.all(Array.from({ length: TRANSFER_LANES }, lane));
    // Counts from decisions and batches that crossed may hide approvals made meanwhile, or still show approved records
    // none was left for (a batch found nothing): read them again, so the loop neither misses nor asks forever.
    if (exhausted || state.decisionBatches !== decisionsBefore) await refreshBooks(() => false);
  };

  const sendNotices = async () => {
    const { due } = dueNotices(state.books, Date.now(), settings);
    for (const { book, kind } of due) {
      const idleSince = book.lastActivityAt;
      const waiting = `${book.counts.imported} hồ sơ chờ kiểm tra (${book.counts.awaitingScan} chưa có bản quét)`;
      const messageVi =
        kind === 'reminder'
          ? `Nhắc việc: sổ ${describeBook(book)} của ${state.name} không có thao tác nào từ ${book.lastActivityAt}; còn ${waiting}.`
          : `Quá hạn: sổ ${describeBook(book)} của ${state.name} không có thao tác nào từ ${book.lastActivityAt}; còn ${waiting}. Đề nghị điều phối viên đôn đốc cơ quan.`;
      await notifyIdleBook({
        notificationKey: `${workflowId}/${bookId(book)}/${book.lastActivityAt}/${kind}`,
        kind,
        provinceCode: input.provinceCode,
        agencyCode: state.code,
        workflowId,
        book: { registerType: book.registerType, unitCode: book.unitCode, bookYear: book.bookYear, bookKey: book.bookKey, bookNumber: book.bookNumber },
        idleSince: book.lastActivityAt,
        messageVi,
      });
      // A decision while the notice was being written started a new idle period, which has had no notice yet.
      if (book.lastActivityAt !== idleSince) continue;
      if (kind === 'reminder') book.reminded = true;
      else book.escalated = true;
    }
    // Work on an overdue book clears it from the coordinator's count as soon as the loop wakes, not at the book's next notice.
    if (overdueBooks() !== toldOverdue) await tellParent();
  };

  /** When the loop has something to do next: a notice or a transfer falling due; -Infinity when a notice is due now. */
  const nextWakeAt = () => {
    const { due, nextAt } = dueNotices(state.books, Date.now(), settings);
    if (due.length > 0) return -Infinity;
    const transferAt = approvedWaiting() > 0 ? (waitingSince ?? 0) + settings.transferDelayMs : Infinity;
    return Math.min(nextAt ?? Infinity, transferAt);
  };

  const historyLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? HISTORY_LIMIT);
  /** A run of the agency started again records its end apart from the earlier run's. */
  const execution = input.earlierRun ? { execution: workflowInfo().firstExecutionRunId } : {};

  try {
    if (!input.carried) {
      // The province run registered it before starting it; a run started on its own registers here.
      await registerWorkflows([{ workflowId, kind: 'agency', provinceCode: input.provinceCode, agencyCode: state.code, startedBy: input.parentWorkflowId }]);
      // Imports may arrive from the start: they wait for this list (see inFlight).
      const files = await agencySplitFiles({ runId: input.runId, agencyCode: state.code });
      state.splitFiles = input.earlierRun ? splitFilesAfter(input.earlierRun.splitFiles, files).progress : expectSplitFiles(files);
      if (input.schedule) {
        const wait = Date.parse(input.schedule.startsAt) - Date.now();
        if (wait > 0) await condition(() => state.phase !== 'scheduled', wait);
        await enter(state.books.length > 0 ? 'in_review' : 'awaiting_import');
      }
      slotOpened = true;
      // Every file the run waits for now, those a decision gave it while its slot was ahead too.
      if (input.autoImport) await importSplitFiles(input.autoImport.by, Object.values(state.splitFiles.expected).flat());
    }
    for (;;) {
      if (closing) break;
      if (transferDue()) await transferAll();
      await sendNotices();
      if (workDone() && approvedWaiting() === 0) {
        ending = true;
        break;
      }
      if (historyLong()) {
        await condition(allHandlersFinished);
        return await continueAsNew<typeof agencyRun>({ ...input, schedule: undefined, autoImport: undefined, carried: state });
      }
      const wakeAt = nextWakeAt();
      // Notices that fell due while the last ones were being sent have no time ahead to wait for.
      if (wakeAt === -Infinity) continue;
      // The timer stands until something brings the next transfer or notice earlier: a decision that only moves a
      // book's idle clock later leaves it, so a page of decisions costs the history no timer.
      const woke = () =>
        closing !== undefined || transferDue() || workDone() || historyLong() || overdueBooks() !== toldOverdue || nextWakeAt() < wakeAt;
      if (wakeAt === Infinity) await condition(woke);
      else await condition(woke, Math.max(1, wakeAt - Date.now()));
    }
    // An import accepted before the close still lands, and counts in what the close leaves behind.
    await condition(() => importsInFlight === 0);
    if (closing) {
      // What officials approved before the close is still theirs to deliver: only the rest stays behind.
      if (approvedWaiting() > 0) await transferAll();
      state.closed = { ...closing, at: nowIso() };
      const left = state.books.reduce((n, b) => n + b.counts.imported + b.counts.approved, 0);
      await recordRunEvent({ workflowId, ...execution, actor: closing.by, action: 'agency.closed', details: { agency: state.code, reason: closing.reason, notTransferred: left, transferred: state.transfer.transferred } });
    } else {
      await recordRunEvent({ workflowId, ...execution, actor: 'system', action: 'agency.completed', details: { agency: state.code, transferred: state.transfer.transferred } });
    }
    for (const b of state.books) b.claim = undefined;
    await enter('completed');
    await condition(allHandlersFinished);
    return state;
  } catch (e) {
    if (!isCancellation(e)) throw e;
    await CancellationScope.nonCancellable(() => enter('cancelled'));
    throw e;
  }
}

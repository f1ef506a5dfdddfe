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
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExcelImportActivities } from '../activities/imports/import-excel';
import type { SplitSourceActivities } from '../activities/imports/split-sources';
import type { BookClaimActivities, BookClaimEntry } from '../activities/review/book-claims';
import type { ReviewActivities } from '../activities/review/decide-records';
import type { NotificationActivities } from '../activities/review/notify-idle-book';
import type { RunEventActivities } from '../activities/runs/run-events';
import type { ScanActivities } from '../activities/scans/import-scans';
import type { TransferActivities } from '../activities/transfer/transfer-approved';
import { importActorRole, type AgencyImportEntry, type ExcelImportResult, type ImportActor, type ImportActorRole, type StoredSource } from '../domain/imports/import-types';
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
import { agencyWorkDone, expectSplitFiles, withImportedFile } from '../domain/review/agency-end';
import { mayAct, workLeft } from '../domain/records/life-cycle';
import { batchProblem, decisionsProblem, dueNotices, hasWorkLeft, standingClaim } from '../domain/review/review-rules';
import { bookId, DEFAULT_REVIEW_SETTINGS, TRANSFER_LANES, type BookClaim, type BookCounts, type BookRef, type ReviewActor, type ReviewBook, type ReviewSettings } from '../domain/review/review-types';
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
// A claim or release is audited in the workflow task that accepted it, as decisions are.
const { recordBookAction } = proxyLocalActivities<BookClaimActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '200 milliseconds', maximumAttempts: 10 } });

/** Claims and releases write audit entries from this version on; runs started before take and give books back as they did. */
const AUDITED_CLAIMS = 'audit-book-claims';

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
  const importOne = async (by: { username: string; role: ImportActorRole }, type: RegisterTypeCode, source: StoredSource, importKey: string) => {
    const result: ExcelImportResult = await runExcelImport({ importKey, agencyCode: state.code, registerType: type, actor: by.username, actorRole: by.role, workflowId, source });
    remember({ importId: result.importId, kind: 'excel', by: by.username, at: nowIso(), sourceSha256: source.sha256, sourceName: source.name, registerType: type, counts: { ...result.counts } });
    state.splitFiles = withImportedFile(state.splitFiles!, type, source.sha256);
    const imported = new Set(result.books.map((b) => bookId({ registerType: type, ...b })));
    await refreshBooks((b) => imported.has(bookId(b)));
    // An import before the slot opens the agency early: the slot is a recommendation, not a lock.
    if (state.books.length > 0) await enter('in_review');
    else if (state.phase === 'scheduled') await enter('awaiting_import');
    return result;
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
  /** `by` holds the book from now; `fresh` when the claim is new (nobody held it, or another's claim had lapsed, whose holder `lapsedClaimOf` names). */
  const claim = (b: ReviewBook, by: string) => {
    const held = standingClaim(b, Date.now(), settings);
    const lapsedClaimOf = !held && b.claim && b.claim.by !== by ? b.claim.by : undefined;
    b.claim = { by, since: held?.by === by ? held.since : nowIso(), lastActiveAt: nowIso() };
    touch(b);
    return { claim: b.claim, fresh: held?.by !== by, lapsedClaimOf };
  };
  /** A new claim or a release goes on the audit log before the update returns; if it cannot, the book is as it was. */
  const auditClaim = async (b: ReviewBook, before: BookClaim | undefined, entry: Omit<BookClaimEntry, 'key' | 'agencyCode' | 'workflowId' | 'book'>) => {
    const key = updateKey();
    if (!patched(AUDITED_CLAIMS)) return;
    try {
      await recordBookAction({ ...entry, key, agencyCode: state.code, workflowId, book: { registerType: b.registerType, unitCode: b.unitCode, bookYear: b.bookYear, bookKey: b.bookKey, bookNumber: b.bookNumber } });
    } catch (e) {
      b.claim = before;
      throw e;
    }
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
      return inFlight(() => importOne({ username: by.username.trim(), role: importActorRole(by) }, type, source, key));
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
      const report = await inFlight(() => runScanImport({ importKey, agencyCode: state.code, unitCode, actor, actorRole: importActorRole(by), workflowId, zip }));
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
    claimBook,
    async ({ by, book }) => {
      const b = bookFor(by, book);
      const before = b.claim;
      const { claim: claimed, fresh, lapsedClaimOf } = claim(b, by.username);
      if (fresh) await auditClaim(b, before, { action: 'book.claim', by, details: { since: claimed.since, ...(lapsedClaimOf ? { lapsedClaimOf } : {}) } });
      return claimed;
    },
    { validator: ({ by, book }) => (validateOfficial(by), bookFor(by, book), undefined) },
  );

  setHandler(
    releaseBook,
    async ({ by, book }) => {
      const b = openBook(book);
      const before = b.claim;
      b.claim = undefined;
      if (before) await auditClaim(b, before, { action: 'book.release', by, details: { heldBy: before.by } });
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
      const { claim: claimed, fresh, lapsedClaimOf } = claim(b, by);
      // A batch that takes the book for its official puts the claim on the audit log with its decisions.
      const claimedNow = fresh ? { bookNumber: b.bookNumber, since: claimed.since, ...(lapsedClaimOf ? { lapsedClaimOf } : {}) } : undefined;
      const result = await runDecisions({ ...req, by: { ...req.by, username: by }, batchKey: updateKey(), agencyCode: state.code, workflowId, claimed: claimedNow });
      state.decisionBatches++;
      b.counts = result.counts;
      touch(b);
      if (result.outcomes.some((o) => o.kind === 'approve' && o.outcome === 'decided')) waitingSince ??= Date.now();
      return result;
    },
    {
      validator: ({ by, book, items }) => {
        validateOfficial(by);
        const b = bookFor(by, book);
        const problem = batchProblem(book.registerType, items) ?? decisionsProblem(by, state.code, b, items);
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
        if (!mayAct('close', by.role)) throw appFailure(ReviewNotCoordinator({ action: 'close an agency' }));
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

  try {
    if (!input.carried) {
      // The province run registered it before starting it; a run started on its own registers here.
      await registerWorkflows([{ workflowId, kind: 'agency', provinceCode: input.provinceCode, agencyCode: state.code, startedBy: input.parentWorkflowId }]);
      // Imports may arrive from the start: they wait for this list (see inFlight).
      state.splitFiles = expectSplitFiles(await agencySplitFiles({ runId: input.runId, agencyCode: state.code }));
      if (input.schedule) {
        const wait = Date.parse(input.schedule.startsAt) - Date.now();
        if (wait > 0) await condition(() => state.phase !== 'scheduled', wait);
        await enter(state.books.length > 0 ? 'in_review' : 'awaiting_import');
      }
      if (input.autoImport) {
        const { by } = input.autoImport;
        const sources = await agencySplitSources({ runId: input.runId, agencyCode: state.code });
        // The coordinator who released the split with its imports.
        for (const s of sources) await inFlight(() => importOne({ username: by, role: 'coordinator' }, s.registerType, s.source, `${workflowId}/auto/${s.source.sha256}`));
      }
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
      const left = state.books.reduce((n, b) => n + workLeft(b.counts), 0);
      const rejected = state.books.reduce((n, b) => n + b.counts.rejected, 0);
      await recordRunEvent({ workflowId, actor: closing.by, action: 'agency.closed', details: { agency: state.code, reason: closing.reason, notTransferred: left, rejected, transferred: state.transfer.transferred } });
    } else {
      await recordRunEvent({ workflowId, actor: 'system', action: 'agency.completed', details: { agency: state.code, transferred: state.transfer.transferred } });
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

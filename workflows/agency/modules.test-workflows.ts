/**
 * Workflows that run one part of the agency run at a time, for workflows/agency/modules.int.test.ts:
 * each sets up the run's state as its test gives it and drives the module as agency-run.ts does,
 * on the time-skipping test server, with the test's own activities standing for the database.
 */
import { allHandlersFinished, condition, defineQuery, defineSignal, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BookClaimActivities } from '../../activities/review/book-claims';
import type { ExcelImportActivities } from '../../activities/imports/import-excel';
import type { SplitSourceActivities } from '../../activities/imports/split-sources';
import type { ReviewActivities } from '../../activities/review/decide-records';
import type { ScanActivities } from '../../activities/scans/import-scans';
import type { NotificationActivities } from '../../activities/review/notify-idle-book';
import type { RunEventActivities } from '../../activities/runs/run-events';
import type { TransferActivities } from '../../activities/transfer/transfer-approved';
import { expectSplitFiles, withImportedFile, type SplitFileRef } from '../../domain/review/agency-end';
import type { BookCounts, BookRef } from '../../domain/review/review-types';
import type { AgencyPhase, AgencyRunState } from '../../domain/runs/province-run';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { agencyPhaseSignal, agencyRunProgress } from '../definitions';
import { createAgencyContext, type AgencyRunInput } from './agency-context';
import { createIdleNotices } from './idle-notices';
import { setImportHandlers } from './import-handlers';
import { setReviewHandlers } from './review-handlers';
import { createRunEnd } from './run-end';
import { createTransferScheduler } from './transfer-scheduler';

const { agencyBooks, decideRecords: decide, decidePage } = proxyActivities<ReviewActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });
const { transferApproved } = proxyActivities<TransferActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });
const { notifyIdleBook } = proxyActivities<NotificationActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });
const { importExcel } = proxyActivities<ExcelImportActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });
const { importScans } = proxyActivities<ScanActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });
const { agencySplitFiles, agencySplitSources } = proxyActivities<SplitSourceActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });
const { recordRunEvent } = proxyActivities<RunEventActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });
const { recordBookAction } = proxyLocalActivities<BookClaimActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

export const stopSignal = defineSignal('stop');
/** Counts of a book as the database would now give them (approvals, decisions, imports landing). */
/** `decided`: the counts a decision's batch brought back, which the run counts as one (state.decisionBatches). */
export const countsSignal = defineSignal<[{ book: BookRef; counts: Partial<BookCounts>; approved?: boolean; decided?: boolean }]>('counts');
export const requestTransferSignal = defineSignal('requestTransfer');
export const touchSignal = defineSignal<[BookRef]>('touch');
export const importStartedSignal = defineSignal('importStarted');
export const importLandedSignal = defineSignal<[{ registerType: RegisterTypeCode; sha256: string }]>('importLanded');
/** The split's files for the agency, as the run reads them when it starts. */
export const splitFilesSignal = defineSignal<[SplitFileRef[]]>('splitFiles');
export const closeSignal = defineSignal<[{ by: string; reason: string }]>('close');
export const heardQuery = defineQuery<Array<{ phase: AgencyPhase; overdueBooks?: number }>>('heard');

/** The province run, as far as an agency's run talks to it: it hears phases and overdue counts. */
export async function parentUnderTest(): Promise<void> {
  const heard: Array<{ phase: AgencyPhase; overdueBooks?: number }> = [];
  setHandler(agencyPhaseSignal, ({ phase, overdueBooks }) => void heard.push({ phase, overdueBooks }));
  setHandler(heardQuery, () => heard);
  await condition(() => false);
}

function setCountsHandler(run: ReturnType<typeof createAgencyContext>, onApproved: () => void) {
  setHandler(countsSignal, ({ book, counts, approved, decided }) => {
    const b = run.findBook(book)!;
    b.counts = { ...b.counts, ...counts };
    if (decided) run.state.decisionBatches++;
    if (approved) onApproved();
  });
}

/** The transfer scheduler, waited for as the agency run's loop waits for it. */
export async function transferSchedulerUnderTest(input: AgencyRunInput): Promise<AgencyRunState> {
  const run = createAgencyContext(input, agencyBooks);
  const transfers = createTransferScheduler(run, transferApproved);
  let stopped = false;
  setHandler(agencyRunProgress, () => run.state);
  setHandler(stopSignal, () => void (stopped = true));
  setHandler(requestTransferSignal, () => transfers.request());
  setCountsHandler(run, () => transfers.approved());
  for (;;) {
    if (transfers.due()) await transfers.transferAll();
    if (stopped) return run.state;
    const at = transfers.dueAt();
    // As the agency run's loop: awake when something falls due, or falls due earlier than its timer.
    await condition(() => stopped || transfers.due() || transfers.dueAt() < at, at === Infinity ? undefined : Math.max(1, at - Date.now()));
  }
}

/** Idle-book notices, sent as the agency run's loop sends them. */
export async function idleNoticesUnderTest(input: AgencyRunInput): Promise<AgencyRunState> {
  const run = createAgencyContext(input, agencyBooks);
  const notices = createIdleNotices(run, notifyIdleBook);
  let stopped = false;
  setHandler(agencyRunProgress, () => run.state);
  setHandler(stopSignal, () => void (stopped = true));
  setHandler(touchSignal, (book) => run.touch(run.findBook(book)!));
  setCountsHandler(run, () => undefined);
  for (;;) {
    await notices.send();
    if (stopped) return run.state;
    const at = notices.dueAt();
    if (at === -Infinity) continue;
    await condition(() => stopped || run.overdueUntold() || notices.dueAt() < at, at === Infinity ? undefined : Math.max(1, at - Date.now()));
  }
}

/** The review handlers (claims, releases, decisions, transfer now, close) of a run that does nothing else. */
export async function reviewHandlersUnderTest(input: AgencyRunInput): Promise<AgencyRunState> {
  const run = createAgencyContext(input, agencyBooks);
  const transfers = createTransferScheduler(run, transferApproved);
  setHandler(agencyRunProgress, () => run.state);
  setReviewHandlers(run, transfers, { decideRecords: decide, decidePage, recordBookAction });
  await condition(() => run.closing !== undefined);
  // The close returns once the run has completed.
  await run.enter('completed');
  await condition(allHandlersFinished);
  return run.state;
}

/** The end of a run: by itself once its work is done, or closed; imports and approvals as signals say. */
export async function runEndUnderTest(input: AgencyRunInput): Promise<AgencyRunState> {
  const run = createAgencyContext(input, agencyBooks);
  const transfers = createTransferScheduler(run, transferApproved);
  const end = createRunEnd(run, transfers, recordRunEvent);
  setHandler(agencyRunProgress, () => run.state);
  setHandler(importStartedSignal, () => void run.importsInFlight++);
  setHandler(importLandedSignal, ({ registerType, sha256 }) => {
    run.state.splitFiles = withImportedFile(run.state.splitFiles!, registerType, sha256);
    run.importsInFlight--;
  });
  setHandler(closeSignal, (closing) => void (run.closing = closing));
  setCountsHandler(run, () => transfers.approved());
  await condition(() => run.closing !== undefined || end.reached());
  if (!run.closing) run.ending = true;
  return end.finish();
}

/** The import handlers of a run that does nothing else, before and after it knows the split files it expects. */
export async function importHandlersUnderTest(input: AgencyRunInput): Promise<AgencyRunState> {
  const run = createAgencyContext(input, agencyBooks);
  let stopped = false;
  setHandler(agencyRunProgress, () => run.state);
  setHandler(stopSignal, () => void (stopped = true));
  setHandler(splitFilesSignal, (files) => void (run.state.splitFiles = expectSplitFiles(files)));
  setImportHandlers(run, { importExcel, importScans, agencySplitFiles, agencySplitSources });
  await condition(() => stopped);
  await condition(allHandlersFinished);
  return run.state;
}

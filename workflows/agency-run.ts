/**
 * AgencyWorkflow (id `agency/<agencyCode>/<runId>`): one civil-registration agency's part of a
 * province run, read as the process; its parts are modules of workflows/agency/:
 *
 * - agency-context: the run's state (counts per book, never records) and what every part shares;
 * - import-handlers: Step 3, imports of Excel data and of scanned pages, as updates;
 * - review-handlers: Step 4, claims, decisions, "transfer now" and a coordinator's close, as updates;
 * - transfer-scheduler: when approved records leave for CSDLHTĐT, and in which batches;
 * - idle-notices: reminders and escalations of books left idle;
 * - run-end: when the run ends by itself, and how it ends, done or closed.
 *
 * The run opens at the agency's import slot (when the coordinator set one), imports the split
 * files itself when the coordinator released them so, and then waits: for updates, for a batch of
 * approvals to fall due, for a book to become idle. It continues as new, carrying its state,
 * before its history grows long.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExcelImportActivities } from '../activities/imports/import-excel';
import type { SplitSourceActivities } from '../activities/imports/split-sources';
import type { BookClaimActivities } from '../activities/review/book-claims';
import type { ReviewActivities } from '../activities/review/decide-records';
import type { NotificationActivities } from '../activities/review/notify-idle-book';
import type { RunEventActivities } from '../activities/runs/run-events';
import type { ScanActivities } from '../activities/scans/import-scans';
import type { TransferActivities } from '../activities/transfer/transfer-approved';
import { expectSplitFiles, splitFilesAfter } from '../domain/review/agency-end';
import type { AgencyRunState } from '../domain/runs/province-run';
import { createAgencyContext, type AgencyRunInput } from './agency/agency-context';
import { createIdleNotices } from './agency/idle-notices';
import { setImportHandlers } from './agency/import-handlers';
import { setReviewHandlers } from './agency/review-handlers';
import { createRunEnd } from './agency/run-end';
import { createTransferScheduler } from './agency/transfer-scheduler';
import { agencyRunProgress } from './definitions';
import { describeRun } from './search-attributes';
import { transferTaskQueue } from './task-queues';

export type { AgencyRunInput } from './agency/agency-context';

/** Continue as new before the history grows past this many events (decisions arrive by the thousand). */
const HISTORY_LIMIT = 10_000;

const { importExcel } = proxyActivities<ExcelImportActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});
const { importScans } = proxyActivities<ScanActivities>({
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
const { decideRecords, decidePage } = proxyLocalActivities<ReviewActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '200 milliseconds', maximumAttempts: 10 } });
// A claim or release is audited in the workflow task that accepted it, as decisions are.
const { recordBookAction } = proxyLocalActivities<BookClaimActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '200 milliseconds', maximumAttempts: 10 } });
const { notifyIdleBook } = proxyActivities<NotificationActivities>({ startToCloseTimeout: '1 minute' });

export async function agencyRun(input: AgencyRunInput): Promise<AgencyRunState> {
  // The target may be down for a while: batches retry with backoff, without end, and the dashboard shows the last failure.
  const { transferApproved } = proxyActivities<TransferActivities>({
    taskQueue: transferTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '10 minutes',
    // A lost worker's batch is sent again after this long; the adapter's idempotency keys make that safe.
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
  });
  const run = createAgencyContext(input, agencyBooks);
  const { state, workflowId } = run;
  describeRun({ kind: 'agency', provinceCode: input.provinceCode, agencyCode: state.code }, state.phase);
  const transfers = createTransferScheduler(run, transferApproved);
  const notices = createIdleNotices(run, notifyIdleBook);
  const end = createRunEnd(run, transfers, recordRunEvent);

  setHandler(agencyRunProgress, () => state);
  const imports = setImportHandlers(run, { importExcel, importScans, agencySplitFiles, agencySplitSources });
  setReviewHandlers(run, transfers, { decideRecords, decidePage, recordBookAction });

  const historyLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? HISTORY_LIMIT);
  /** When the loop has something to do next: a notice or a transfer falling due; -Infinity when a notice is due now. */
  const nextWakeAt = () => Math.min(notices.dueAt(), transfers.dueAt());

  try {
    if (!input.carried) {
      // The province run registered it before starting it; a run started on its own registers here.
      await registerWorkflows([{ workflowId, kind: 'agency', provinceCode: input.provinceCode, agencyCode: state.code, startedBy: input.parentWorkflowId }]);
      // Imports may arrive from the start: they wait for this list.
      const files = await agencySplitFiles({ runId: input.runId, agencyCode: state.code });
      state.splitFiles = input.earlierRun ? splitFilesAfter(input.earlierRun.splitFiles, files).progress : expectSplitFiles(files);
      if (input.schedule) {
        const wait = Date.parse(input.schedule.startsAt) - Date.now();
        if (wait > 0) await condition(() => state.phase !== 'scheduled', wait);
        await run.enter(state.books.length > 0 ? 'in_review' : 'awaiting_import');
      }
      imports.openSlot();
      // Every file the run waits for now, those a decision gave it while its slot was ahead too.
      if (input.autoImport) await imports.importSplitFiles(input.autoImport.by, Object.values(state.splitFiles.expected).flat());
    }
    for (;;) {
      if (run.closing) break;
      if (transfers.due()) await transfers.transferAll();
      await notices.send();
      if (end.reached()) {
        run.ending = true;
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
      const woke = () => run.closing !== undefined || transfers.due() || end.workDone() || historyLong() || run.overdueUntold() || nextWakeAt() < wakeAt;
      if (wakeAt === Infinity) await condition(woke);
      else await condition(woke, Math.max(1, wakeAt - Date.now()));
    }
    return await end.finish();
  } catch (e) {
    if (!isCancellation(e)) throw e;
    await CancellationScope.nonCancellable(() => run.enter('cancelled'));
    throw e;
  }
}

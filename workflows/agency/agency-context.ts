/**
 * What every part of an agency's run shares: its state (counts per book, never records), its
 * settings, the flags that say whether it still takes work, and the few things every part does
 * to the state (find a book, restart its idle clock, read its counts again, enter a phase and
 * tell the province run). Workflow code: no I/O beyond the activity it is given.
 */
import { getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import type { CountedBook } from '../../activities/review/book-counts';
import { hasWorkLeft } from '../../domain/review/review-rules';
import { bookId, DEFAULT_REVIEW_SETTINGS, type BookCounts, type BookRef, type ReviewBook, type ReviewSettings } from '../../domain/review/review-types';
import type { SplitFilesProgress } from '../../domain/review/agency-end';
import type { AgencyPhase, AgencyProgress, AgencyRunState, AgencySchedule } from '../../domain/runs/province-run';
import { agencyPhaseSignal } from '../definitions';
import { markPhase } from '../search-attributes';

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

export interface AgencyContext {
  readonly input: AgencyRunInput;
  readonly state: AgencyRunState;
  readonly settings: ReviewSettings;
  readonly workflowId: string;
  /** Set by a coordinator's close: the run finishes what is in flight and ends. */
  closing: { by: string; reason: string } | undefined;
  /** Set the moment the run's work is found done: from then on nothing more is accepted. */
  ending: boolean;
  /** Imports accepted and not yet finished: they bring records the run must still review. */
  importsInFlight: number;
  nowIso(): string;
  findBook(ref: BookRef): ReviewBook | undefined;
  /** Something happened in the book: its idle clock starts again. */
  touch(b: ReviewBook): void;
  setCounts(ref: BookRef & { bookNumber: string }, counts: BookCounts): void;
  /** Reads every book's counts again, restarting the idle clock of those `changed` says moved. */
  refreshBooks(changed: (b: ReviewBook) => boolean): Promise<void>;
  enter(phase: AgencyPhase): Promise<void>;
  /** Books escalated to the coordinator that still have work. */
  overdueBooks(): number;
  /** Whether the province run last heard another overdue count than there is now. */
  overdueUntold(): boolean;
  tellParent(): Promise<void>;
}

export function createAgencyContext(input: AgencyRunInput, agencyBooks: (a: { agencyCode: string }) => Promise<CountedBook[]>): AgencyContext {
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
  const nowIso = () => new Date().toISOString();
  // Signalled by workflow id, so it reaches the province run after it has continued as new.
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const overdueBooks = () => state.books.filter((b) => b.escalated && hasWorkLeft(b)).length;
  /** The overdue count the province run last heard (a carried state's was told before continuing as new). */
  let toldOverdue = overdueBooks();
  const tellParent = async () => {
    toldOverdue = overdueBooks();
    await parent.signal(agencyPhaseSignal, { code: state.code, phase: state.phase, overdueBooks: toldOverdue }).catch(() => undefined);
  };
  const findBook = (ref: BookRef) => state.books.find((b) => bookId(b) === bookId(ref));
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
  return {
    input,
    state,
    settings: input.review ?? DEFAULT_REVIEW_SETTINGS,
    workflowId: workflowInfo().workflowId,
    closing: undefined,
    ending: false,
    importsInFlight: 0,
    nowIso,
    findBook,
    touch,
    setCounts,
    async refreshBooks(changed) {
      for (const b of await agencyBooks({ agencyCode: state.code })) {
        setCounts(b, b.counts);
        const book = findBook(b)!;
        if (changed(book)) touch(book);
      }
    },
    async enter(phase) {
      if (state.phase === phase) return;
      state.phase = phase;
      markPhase(phase);
      // A province run that has already ended has nobody to tell.
      await tellParent();
    },
    overdueBooks,
    overdueUntold: () => overdueBooks() !== toldOverdue,
    tellParent,
  };
}

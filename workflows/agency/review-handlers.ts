/**
 * Step 4 in an agency's run, as updates: officials claim a book and give it back (a coordinator
 * may free it), send pages of decisions (each record decided on its own by the life cycle, the
 * history the audit of who decided what), ask for the approved records to leave now; a
 * coordinator closes the agency's part. Validators refuse before the history what can be refused.
 */
import { condition, patched, setHandler } from '@temporalio/workflow';
import type { BookClaimActivities, BookClaimEntry } from '../../activities/review/book-claims';
import type { BookClaimed, ReviewActivities } from '../../activities/review/decide-records';
import { mayAct } from '../../domain/records/life-cycle';
import { AgencyCloseReasonMissing, ReviewBatchEmpty, ReviewBatchTooLarge, ReviewBookClaimed, ReviewClaimNotHeld, ReviewNotCoordinator } from '../../domain/review/review-errors';
import { batchProblem, decisionsProblem, standingClaim } from '../../domain/review/review-rules';
import { MAX_DECISIONS_PER_BATCH, type BookClaim, type BookRef, type DecisionItem, type DecisionResult, type ReviewActor, type ReviewBook } from '../../domain/review/review-types';
import { RunActorMissing } from '../../domain/runs/run-errors';
import { claimBook, closeAgency, decidePage, decideRecords, releaseBook, transferNow } from '../definitions';
import { appFailure } from '../failures';
import type { AgencyContext } from './agency-context';
import { bookFor, describeBook, notEnded, openBook, updateKey, validateOfficial } from './guards';
import type { TransferScheduler } from './transfer-scheduler';

/** Claims and releases write audit entries from this version on; runs started before take and give books back as they did. */
const AUDITED_CLAIMS = 'audit-book-claims';

export interface ReviewHandlerActivities {
  decideRecords: ReviewActivities['decideRecords'];
  decidePage: ReviewActivities['decidePage'];
  recordBookAction: BookClaimActivities['recordBookAction'];
}

export function setReviewHandlers(run: AgencyContext, transfers: TransferScheduler, activities: ReviewHandlerActivities): void {
  const { state, settings, workflowId } = run;

  /** `by` holds the book from now; `fresh` when the claim is new (nobody held it, or another's claim had lapsed, whose holder `lapsedClaimOf` names). */
  const claim = (b: ReviewBook, by: string) => {
    const held = standingClaim(b, Date.now(), settings);
    const lapsedClaimOf = !held && b.claim && b.claim.by !== by ? b.claim.by : undefined;
    b.claim = { by, since: held?.by === by ? held.since : run.nowIso(), lastActiveAt: run.nowIso() };
    run.touch(b);
    return { claim: b.claim, fresh: held?.by !== by, lapsedClaimOf };
  };
  /** A new claim or a release goes on the audit log before the update returns; if it cannot, the book is as it was. */
  const auditClaim = async (b: ReviewBook, before: BookClaim | undefined, entry: Omit<BookClaimEntry, 'key' | 'agencyCode' | 'workflowId' | 'book'>) => {
    const key = updateKey(run);
    if (!patched(AUDITED_CLAIMS)) return;
    try {
      await activities.recordBookAction({ ...entry, key, agencyCode: state.code, workflowId, book: { registerType: b.registerType, unitCode: b.unitCode, bookYear: b.bookYear, bookKey: b.bookKey, bookNumber: b.bookNumber } });
    } catch (e) {
      b.claim = before;
      throw e;
    }
  };

  setHandler(
    claimBook,
    async ({ by, book }) => {
      const b = bookFor(run, by, book);
      const before = b.claim;
      const { claim: claimed, fresh, lapsedClaimOf } = claim(b, by.username);
      if (fresh) await auditClaim(b, before, { action: 'book.claim', by, details: { since: claimed.since, ...(lapsedClaimOf ? { lapsedClaimOf } : {}) } });
      return claimed;
    },
    { validator: ({ by, book }) => (validateOfficial(run, by), bookFor(run, by, book), undefined) },
  );

  setHandler(
    releaseBook,
    async ({ by, book }) => {
      const b = openBook(run, book);
      const before = b.claim;
      b.claim = undefined;
      if (before) await auditClaim(b, before, { action: 'book.release', by, details: { heldBy: before.by } });
    },
    {
      validator: ({ by, book }) => {
        if (by?.role === 'coordinator') notEnded(run);
        else validateOfficial(run, by);
        const b = openBook(run, book);
        const held = standingClaim(b, Date.now(), settings);
        if (!held) throw appFailure(ReviewClaimNotHeld({ book: describeBook(b) }));
        if (by.role !== 'coordinator' && held.by !== by.username) throw appFailure(ReviewBookClaimed({ book: describeBook(b), by: held.by, since: held.since }));
      },
    },
  );

  /**
   * The books, claimed for the official who decides on them now; the batch that takes them puts the
   * claims on the audit log with its decisions, so if it fails, the books are given back as they were.
   */
  const claimToDecide = async <T>(actor: ReviewActor, refs: BookRef[], decide: (claims: Array<BookClaimed | undefined>) => Promise<T>) => {
    // Checked again here, every book before any is claimed: another official may have claimed one since this update was validated.
    const books = refs.map((ref) => bookFor(run, actor, ref));
    const before = books.map((b) => b.claim);
    const by = actor.username.trim();
    const claims = books.map((b) => {
      const { claim: claimed, fresh, lapsedClaimOf } = claim(b, by);
      return fresh ? { bookNumber: b.bookNumber, since: claimed.since, ...(lapsedClaimOf ? { lapsedClaimOf } : {}) } : undefined;
    });
    try {
      return { books, result: await decide(claims) };
    } catch (e) {
      books.forEach((b, n) => (b.claim = before[n]));
      throw e;
    }
  };
  const decided = (b: ReviewBook, result: DecisionResult) => {
    b.counts = result.counts;
    run.touch(b);
    if (result.outcomes.some((o) => o.kind === 'approve' && o.outcome === 'decided')) transfers.approved();
  };
  const validateDecisions = (by: ReviewActor, book: BookRef, items: DecisionItem[]) => {
    const b = bookFor(run, by, book);
    const problem = batchProblem(book.registerType, items) ?? decisionsProblem(by, state.code, b, items);
    if (problem) throw appFailure(problem);
  };

  setHandler(
    decideRecords,
    async (req) => {
      const by = { ...req.by, username: req.by.username.trim() };
      const batchKey = updateKey(run);
      const { books, result } = await claimToDecide(req.by, [req.book], ([claimed]) =>
        activities.decideRecords({ ...req, by, batchKey, agencyCode: state.code, workflowId, ...(claimed ? { claimed } : {}) }),
      );
      state.decisionBatches++;
      decided(books[0]!, result);
      return result;
    },
    {
      validator: ({ by, book, items }) => {
        validateOfficial(run, by);
        validateDecisions(by, book, items);
      },
    },
  );

  // A page of the agency's list spans books (a small commune's year book holds a few records): one
  // update and one transaction for all of them, not one after another for each book.
  setHandler(
    decidePage,
    async (req) => {
      const by = { ...req.by, username: req.by.username.trim() };
      const batchKey = updateKey(run);
      const { books, result: results } = await claimToDecide(
        req.by,
        req.books.map((p) => p.book),
        (claims) =>
          activities.decidePage({
            by,
            batchKey,
            agencyCode: state.code,
            workflowId,
            books: req.books.map(({ book, items }, n) => ({ book, items, ...(claims[n] ? { claimed: claims[n] } : {}) })),
          }),
      );
      state.decisionBatches++;
      results.forEach((r, n) => decided(books[n]!, r));
      return results;
    },
    {
      validator: ({ by, books }) => {
        validateOfficial(run, by);
        if (!Array.isArray(books) || books.length === 0) throw appFailure(ReviewBatchEmpty({}));
        // A page, whatever books it spans, is as large as a batch of one book may be.
        const count = books.reduce((n, b) => n + (Array.isArray(b?.items) ? b.items.length : 0), 0);
        if (count > MAX_DECISIONS_PER_BATCH) throw appFailure(ReviewBatchTooLarge({ count }));
        for (const { book, items } of books) validateDecisions(by, book, items);
      },
    },
  );

  setHandler(
    transferNow,
    () => {
      transfers.request();
      return state.transfer;
    },
    {
      validator: ({ by }) => {
        if (by?.role === 'coordinator') notEnded(run);
        else validateOfficial(run, by);
      },
    },
  );

  setHandler(
    closeAgency,
    async ({ by, reason }) => {
      run.closing = { by: by.username.trim(), reason: reason.trim() };
      await condition(() => state.phase === 'completed');
      return state;
    },
    {
      validator: ({ by, reason }) => {
        if (typeof by?.username !== 'string' || by.username.trim() === '') throw appFailure(RunActorMissing({}));
        if (!mayAct('close', by.role)) throw appFailure(ReviewNotCoordinator({ action: 'close an agency' }));
        notEnded(run);
        if (typeof reason !== 'string' || reason.trim() === '') throw appFailure(AgencyCloseReasonMissing({}));
      },
    },
  );
}

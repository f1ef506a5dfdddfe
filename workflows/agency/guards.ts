/** What the agency run's update validators and handlers check before they act: the run still open, who acts, which book. */
import { currentUpdateInfo } from '@temporalio/workflow';
import { registerType } from '../../domain/registers/register-types';
import { ReviewBookClaimed, ReviewBookNotOpen, ReviewNotOfficialOfAgency } from '../../domain/review/review-errors';
import { standingClaim } from '../../domain/review/review-rules';
import { bookId, type BookRef, type ReviewActor, type ReviewBook } from '../../domain/review/review-types';
import type { AgencyPhase } from '../../domain/runs/province-run';
import { AgencyRunEnded, RunActorMissing } from '../../domain/runs/run-errors';
import { appFailure } from '../failures';
import type { AgencyContext } from './agency-context';

const ENDED: readonly AgencyPhase[] = ['completed', 'cancelled'];

export const describeBook = (b: ReviewBook) => `${registerType(b.registerType).nameVi}, quyển số ${b.bookNumber} năm ${b.bookYear} (đơn vị ${b.unitCode})`;

/** The key of the update being handled, for what it asks an activity to do once. */
export const updateKey = (run: AgencyContext) => `${run.workflowId}/${currentUpdateInfo()!.id}`;

/** Nothing is accepted once the run has ended, is closing, or has found its work done. */
export function notEnded(run: AgencyContext): void {
  const { state } = run;
  if (ENDED.includes(state.phase) || run.closing || run.ending) throw appFailure(AgencyRunEnded({ agency: state.code, phase: state.phase }));
}

/** Decisions and claims are an official's, and only on the official's own agency. */
export function validateOfficial(run: AgencyContext, by: ReviewActor | undefined): void {
  if (typeof by?.username !== 'string' || by.username.trim() === '') throw appFailure(RunActorMissing({}));
  if (by.role !== 'official' || by.agencyCode !== run.state.code) throw appFailure(ReviewNotOfficialOfAgency({ agency: run.state.code }));
  notEnded(run);
}

export function openBook(run: AgencyContext, ref: BookRef | undefined): ReviewBook {
  const b = ref && run.findBook(ref);
  if (!b) throw appFailure(ReviewBookNotOpen({ book: ref ? bookId(ref) : '?' }));
  return b;
}

/** The book, free for `by` (unclaimed, claimed by them, or its claim has lapsed). */
export function bookFor(run: AgencyContext, by: ReviewActor, ref: BookRef | undefined): ReviewBook {
  const b = openBook(run, ref);
  const claim = standingClaim(b, Date.now(), run.settings);
  if (claim && claim.by !== by.username) throw appFailure(ReviewBookClaimed({ book: describeBook(b), by: claim.by, since: claim.since }));
  return b;
}

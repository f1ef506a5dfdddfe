/**
 * When an agency's approved records leave for CSDLHTĐT, and how: as soon as a batch is full, an
 * official or a coordinator asks, or the oldest approval has waited the transfer delay; in
 * batches sent TRANSFER_LANES at a time, each lane sending its next batch as soon as its last
 * one is done, until none is left waiting.
 */
import { patched } from '@temporalio/workflow';
import type { TransferActivities } from '../../activities/transfer/transfer-approved';
import { TRANSFER_LANES } from '../../domain/review/review-types';
import type { AgencyContext } from './agency-context';

/** Runs from before this change laid a batch's counts over decisions made while it was out. */
const CROSSED_COUNTS_KEPT = 'batch-counts-not-over-crossing-decisions';

export interface TransferScheduler {
  /** Someone asked to send the approved records now. */
  request(): void;
  /** Approvals were made: the delay of the oldest one waiting starts, if none was waiting. */
  approved(): void;
  /** Approved records waiting for a batch, as the books count them. */
  waiting(): number;
  due(): boolean;
  /** When the waiting approvals fall due by the delay; Infinity when none waits. */
  dueAt(): number;
  /** Batches until no approved record waits (or the target refused them all back to review). */
  transferAll(): Promise<void>;
}

export function createTransferScheduler(run: AgencyContext, transferApproved: TransferActivities['transferApproved']): TransferScheduler {
  const { state, settings, workflowId } = run;
  let requested = false;
  /** When the oldest approval still waiting for a batch was made: approved records wait at most the transfer delay. */
  let waitingSince: number | undefined;
  const waiting = () => state.books.reduce((n, b) => n + b.counts.approved, 0);

  return {
    request() {
      requested = true;
    },
    approved() {
      waitingSince ??= Date.now();
    },
    waiting,
    due: () => waiting() > 0 && (requested || waiting() >= settings.transferBatchSize || Date.now() - (waitingSince ?? 0) >= settings.transferDelayMs),
    dueAt: () => (waiting() > 0 ? (waitingSince ?? 0) + settings.transferDelayMs : Infinity),
    async transferAll() {
      requested = false;
      waitingSince = undefined;
      const decisionsBefore = state.decisionBatches;
      let inFlight = 0;
      let exhausted = false;
      // Each lane sends its next batch as soon as its last one is done, not when the slowest of a round is, while the
      // approved records not yet in a batch fill one: an empty batch would cost an activity to learn nothing.
      const lane = async () => {
        while (!exhausted && waiting() > inFlight * settings.transferBatchSize) {
          inFlight++;
          const batchKey = `${workflowId}/transfer/${++state.transfer.keys}`;
          const decisionsAtStart = state.decisionBatches;
          const batch = await transferApproved({ batchKey, agencyCode: state.code, workflowId, limit: settings.transferBatchSize }).finally(() => inFlight--);
          if (!batch) {
            exhausted = true;
            return;
          }
          state.transfer.batches++;
          state.transfer.transferred += batch.accepted;
          state.transfer.rejectedByTarget += batch.rejected;
          state.transfer.lastBatchAt = run.nowIso();
          // A decision made while the batch was out may have counted its book after the batch did (a corrected record
          // back in review): the batch's counts would hide it, and the next approval be refused as having nothing to
          // decide. They are left to the reading again below, which decisions that crossed the batches call for.
          const crossed = state.decisionBatches !== decisionsAtStart && patched(CROSSED_COUNTS_KEPT);
          for (const b of batch.books) {
            if (!crossed) run.setCounts(b, b.counts);
            // A record refused by the target is work again for the agency.
            if (batch.rejected > 0) run.touch(run.findBook(b)!);
          }
        }
      };
      await Promise.all(Array.from({ length: TRANSFER_LANES }, lane));
      // Counts from decisions and batches that crossed may hide approvals made meanwhile, or still show approved records
      // none was left for (a batch found nothing): read them again, so the loop neither misses nor asks forever.
      if (exhausted || state.decisionBatches !== decisionsBefore) await run.refreshBooks(() => false);
    },
  };
}

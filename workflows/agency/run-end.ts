/**
 * How an agency's run ends: by itself when its work is done (every split file of the agency
 * imported, no import in flight, every book settled: domain/review/agency-end.ts) and no
 * approved record waits for its transfer; or when a coordinator closes it, after the imports
 * in flight land and what officials approved is delivered. Either way the end goes on the audit
 * log, claims are dropped and the province run hears it.
 */
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import type { RunEventActivities } from '../../activities/runs/run-events';
import { workLeft } from '../../domain/records/life-cycle';
import { agencyWorkDone } from '../../domain/review/agency-end';
import type { AgencyRunState } from '../../domain/runs/province-run';
import type { AgencyContext } from './agency-context';
import type { TransferScheduler } from './transfer-scheduler';

export interface RunEnd {
  /** The agency's work is done (its transfers aside). */
  workDone(): boolean;
  /** Done, and nothing approved waits: the run may end by itself. */
  reached(): boolean;
  /** Ends the run, closed or done. */
  finish(): Promise<AgencyRunState>;
}

export function createRunEnd(run: AgencyContext, transfers: TransferScheduler, recordRunEvent: RunEventActivities['recordRunEvent']): RunEnd {
  const { state, workflowId } = run;
  /** A run of the agency started again records its end apart from the earlier run's. */
  const execution = run.input.earlierRun ? { execution: workflowInfo().firstExecutionRunId } : {};
  const workDone = () => agencyWorkDone({ splitFiles: state.splitFiles, importsInFlight: run.importsInFlight, books: state.books });
  return {
    workDone,
    reached: () => workDone() && transfers.waiting() === 0,
    async finish() {
      // An import accepted before the close still lands, and counts in what the close leaves behind.
      await condition(() => run.importsInFlight === 0);
      const closing = run.closing;
      if (closing) {
        // What officials approved before the close is still theirs to deliver: only the rest stays behind.
        if (transfers.waiting() > 0) await transfers.transferAll();
        state.closed = { ...closing, at: run.nowIso() };
        const left = state.books.reduce((n, b) => n + workLeft(b.counts), 0);
        const rejected = state.books.reduce((n, b) => n + b.counts.rejected, 0);
        await recordRunEvent({ workflowId, ...execution, actor: closing.by, action: 'agency.closed', details: { agency: state.code, reason: closing.reason, notTransferred: left, rejected, transferred: state.transfer.transferred } });
      } else {
        await recordRunEvent({ workflowId, ...execution, actor: 'system', action: 'agency.completed', details: { agency: state.code, transferred: state.transfer.transferred } });
      }
      for (const b of state.books) b.claim = undefined;
      await run.enter('completed');
      await condition(allHandlersFinished);
      return state;
    },
  };
}

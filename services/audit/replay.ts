/**
 * Replay: a recorded history run again against the workflow code of today, as a worker would
 * after a restart. A history the code no longer reproduces (a command in another order, an
 * activity of another name) is a non-determinism, reported with the event it diverged at.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { replayEventId, replayProblemText } from '../../domain/audit/replay-outcome';
import { int } from './history-facts';

/** The workflows the worker runs (worker/create-worker.ts bundles the same file). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

export interface ReplayInput {
  /** What the auditor named: a workflow id and run, or a file. */
  source: string;
  workflowId: string;
  history: History;
}

export interface ReplayOutcome {
  source: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  events: number;
  ok: boolean;
  /** `nondeterminism`: the code no longer makes this history; `failure`: replay itself failed (a history cut short, a workflow type unknown). */
  problem?: { kind: 'nondeterminism' | 'failure'; eventId?: number; message: string };
}

/** Replays every history with one replay worker; `options` gives the code to replay against (today's by default). */
export async function replayHistories(inputs: readonly ReplayInput[], options: ReplayWorkerOptions = { workflowsPath: WORKFLOWS_PATH }): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  const results = Worker.runReplayHistories(options, inputs.map(({ workflowId, history }) => ({ workflowId, history })));
  let i = 0;
  for await (const r of results) {
    const input = inputs[i++]!;
    const events = input.history.events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    const outcome: ReplayOutcome = {
      source: input.source,
      workflowId: r.workflowId,
      runId: r.runId,
      workflowType: started?.workflowType?.name ?? '',
      events: events.length > 0 ? int(events[events.length - 1]!.eventId) : 0,
      ok: r.error === undefined,
    };
    if (r.error) {
      const message = r.error.message;
      outcome.problem = { kind: r.error instanceof DeterminismViolationError ? 'nondeterminism' : 'failure', eventId: replayEventId(message), message: replayProblemText(message) };
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

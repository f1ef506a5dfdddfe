/**
 * What an auditor does, for the API and the CLI alike: list runs, read a run's history (as JSON,
 * or told as a timeline), replay it, follow one record's trail and reconcile a province. Every
 * read is within the reader's scope (audit-scope.ts).
 */
import type { Readable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Principal } from '../../domain/access';
import { isAppError } from '../../domain/errors';
import { ResourceNotFound } from '../../api/errors';
import { createWorkflowRegistry } from '../../api/repositories/workflows';
import { verifyProvinceChain, type ChainVerification } from '../audit-verification';
import { requireProvince, runsInScope } from './audit-scope';
import { historyFacts } from './history-facts';
import { indexHistories, type LoadedWorkflow } from './history-index';
import { recordTrail, type RecordTrail } from './record-trail';
import { reconcileProvince, type Reconciliation } from './reconcile';
import { createRunList } from './run-list';
import { tellHistory, type TimelineEntry } from './timeline';
import { createWorkflowHistories, workflowNotFound, type WorkflowRun } from './workflow-histories';

export interface RunTimeline {
  workflowId: string;
  runs: WorkflowRun[];
  entries: TimelineEntry[];
}

export function createAuditing({ temporal, pool }: { temporal: Client; pool: Pool }) {
  const histories = createWorkflowHistories(temporal);
  const registry = createWorkflowRegistry(pool);
  const runs = (reader: Principal, workflowId: string) => runsInScope(reader, workflowId, registry, histories.runsOf);
  /** Histories a record's or an agency's rows name (scope was checked on the record); a workflow Temporal no longer keeps is left out. */
  const loadHistories = async (workflowIds: string[]) => {
    const loaded: LoadedWorkflow[] = [];
    for (const workflowId of workflowIds) {
      const all = await histories.runsOf(workflowId).catch((e: unknown) => {
        if (isAppError(e) && e.code === ResourceNotFound.code) return [];
        throw e;
      });
      loaded.push({ workflowId, runs: await Promise.all(all.map(async (run) => ({ run, history: await histories.history(workflowId, run.runId) }))) });
    }
    return indexHistories(loaded);
  };

  return {
    listRuns: createRunList(temporal),

    /** Every run of a workflow (oldest first): one per continue-as-new. */
    runs,

    /** One run's whole history as JSON (the latest run when none is named). */
    async exportHistory(reader: Principal, workflowId: string, runId?: string): Promise<{ run: WorkflowRun; json: Readable }> {
      const all = await runs(reader, workflowId);
      const run = runId ? all.find((r) => r.runId === runId) : all[all.length - 1];
      if (!run) throw workflowNotFound(`${workflowId} (${runId})`);
      return { run, json: histories.historyJson(workflowId, run.runId) };
    },

    /** The histories of every run of a workflow, oldest first, to replay. */
    async histories(reader: Principal, workflowId: string): Promise<LoadedWorkflow> {
      const all = await runs(reader, workflowId);
      return { workflowId, runs: await Promise.all(all.map(async (run) => ({ run, history: await histories.history(workflowId, run.runId) }))) };
    },

    async timeline(reader: Principal, workflowId: string): Promise<RunTimeline> {
      const all = await runs(reader, workflowId);
      const entries: TimelineEntry[] = [];
      for (const run of all) entries.push(...tellHistory({ workflowId, runId: run.runId }, historyFacts(await histories.history(workflowId, run.runId))));
      return { workflowId, runs: all, entries };
    },

    /** One record's whole story: its versions, pages, decisions and transfer, each with its log entries and history event. */
    trail: (reader: Principal, recordId: number): Promise<RecordTrail> => recordTrail(pool, reader, recordId, loadHistories),

    /** Where the database, the audit log and the workflows disagree about a province (or one of its agencies). */
    reconcile: (reader: Principal, provinceCode: string, opts: { agencyCode?: string } = {}): Promise<Reconciliation> =>
      reconcileProvince({ pool, temporal, histories }, reader, provinceCode, opts),

    /** The province's chain of the audit log computed again: every entry edited, removed or moved since it was written. */
    async verify(reader: Principal, provinceCode: string): Promise<ChainVerification> {
      requireProvince(reader, provinceCode);
      return verifyProvinceChain(pool, provinceCode);
    },
  };
}
export type Auditing = ReturnType<typeof createAuditing>;

/**
 * Runs listed from Temporal's visibility store by the search attributes each run keeps
 * (province, agency, kind, phase), its status and start time, a page at a time, newest first,
 * within the reader's scope.
 */
import type { Client } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { Principal } from '../../domain/access';
import { EXECUTION_STATUS_VI, phaseLabelVi, runQuery, RunFilterInvalid, WORKFLOW_KIND_VI, type RunFilter, type WorkflowKind } from '../../domain/audit/run-search';
import { provinceOfReader } from './audit-scope';
import { runOf, type WorkflowRun } from './workflow-histories';

export interface RunListItem extends WorkflowRun {
  kindVi?: string;
  phaseVi?: string;
  statusVi: string;
}

export interface RunListPage {
  /** The query the filter made, as Temporal's visibility reads it. */
  query: string;
  items: RunListItem[];
  /** Given back to read the next page; absent on the last. */
  nextPageToken?: string;
}

export const MAX_RUNS_PER_PAGE = 200;

function pageTokenOf(token: string | undefined): Uint8Array | undefined {
  if (token === undefined || token === '') return undefined;
  if (!/^[A-Za-z0-9+/=_-]+$/.test(token)) throw RunFilterInvalid({ field: 'pageToken', value: token, hint: 'dùng đúng mã trang mà lần đọc trước trả về' });
  return Buffer.from(token, 'base64url');
}

export function createRunList(temporal: Client) {
  return async function listRuns(reader: Principal, filter: RunFilter, page: { limit?: number; pageToken?: string } = {}): Promise<RunListPage> {
    const namespace = temporal.options.namespace;
    const query = runQuery({ ...filter, provinceCode: provinceOfReader(reader, filter.provinceCode) });
    const limit = Math.min(Math.max(1, page.limit ?? 50), MAX_RUNS_PER_PAGE);
    const res = await temporal.workflowService.listWorkflowExecutions({ namespace, query, pageSize: limit, nextPageToken: pageTokenOf(page.pageToken) });
    const items: RunListItem[] = [];
    for (const raw of res.executions ?? []) {
      const run = runOf(await executionInfoFromRaw(raw, temporal.options.loadedDataConverter, raw, namespace));
      items.push({
        ...run,
        kindVi: run.kind ? WORKFLOW_KIND_VI[run.kind as WorkflowKind] : undefined,
        phaseVi: phaseLabelVi(run.kind, run.phase),
        statusVi: EXECUTION_STATUS_VI[run.status],
      });
    }
    const next = res.nextPageToken?.length ? Buffer.from(res.nextPageToken).toString('base64url') : undefined;
    return { query, items, ...(next ? { nextPageToken: next } : {}) };
  };
}

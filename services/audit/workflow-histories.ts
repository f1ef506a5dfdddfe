/**
 * Temporal's side of an audit: the runs of a workflow (one per continue-as-new), their
 * histories, and a history written out as JSON, page by page, in the format the Temporal CLI
 * writes (`temporal workflow show --output json`) and Worker.runReplayHistories reads.
 */
import { Readable } from 'node:stream';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { SEARCH_ATTRIBUTES, STATUS_OF_CLIENT_NAME, type ExecutionStatus } from '../../domain/audit/run-search';
import { ResourceNotFound } from '../../api/errors';

export interface WorkflowRun {
  workflowId: string;
  runId: string;
  workflowType: string;
  status: ExecutionStatus;
  startTime: string;
  closeTime?: string;
  historyLength: number;
  provinceCode?: string;
  agencyCode?: string;
  kind?: string;
  phase?: string;
}

/** Workflow ids reach visibility queries: ours are letters, digits and `/-_.:`; anything else is no workflow of ours. */
const WORKFLOW_ID = /^[A-Za-z0-9/_.:-]{1,300}$/;

export const workflowNotFound = (workflowId: string) => ResourceNotFound({ kind: 'quy trình', id: workflowId });

export function checkedWorkflowId(workflowId: string): string {
  if (!WORKFLOW_ID.test(workflowId)) throw workflowNotFound(workflowId);
  return workflowId;
}

const keyword = (info: Pick<WorkflowExecutionInfo, 'searchAttributes'>, name: string): string | undefined => {
  const v = info.searchAttributes?.[name];
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
};

export function runOf(info: Omit<WorkflowExecutionInfo, 'raw'>): WorkflowRun {
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    workflowType: info.type,
    status: STATUS_OF_CLIENT_NAME[info.status.name] ?? 'Running',
    startTime: info.startTime.toISOString(),
    ...(info.closeTime ? { closeTime: info.closeTime.toISOString() } : {}),
    historyLength: info.historyLength,
    provinceCode: keyword(info, SEARCH_ATTRIBUTES.province),
    agencyCode: keyword(info, SEARCH_ATTRIBUTES.agency),
    kind: keyword(info, SEARCH_ATTRIBUTES.kind),
    phase: keyword(info, SEARCH_ATTRIBUTES.phase),
  };
}

/** Events a history page holds at most: a page is converted and written before the next is read. */
const PAGE_SIZE = 1000;

export function createWorkflowHistories(temporal: Client) {
  /** Every run of a workflow id, oldest first; the latest one from Temporal itself, since visibility may lag a moment behind. */
  async function runsOf(workflowId: string): Promise<WorkflowRun[]> {
    checkedWorkflowId(workflowId);
    const runs = new Map<string, WorkflowRun>();
    for await (const info of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.set(info.runId, runOf(info));
    try {
      const latest = await temporal.workflow.getHandle(workflowId).describe();
      runs.set(latest.runId, runOf(latest));
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
    if (runs.size === 0) throw workflowNotFound(workflowId);
    return [...runs.values()].sort((a, b) => a.startTime.localeCompare(b.startTime) || a.historyLength - b.historyLength);
  }

  async function history(workflowId: string, runId?: string): Promise<History> {
    try {
      return await temporal.workflow.getHandle(checkedWorkflowId(workflowId), runId).fetchHistory();
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw workflowNotFound(runId ? `${workflowId} (${runId})` : workflowId);
      throw e;
    }
  }

  /** `{"events":[…]}`, one event a line, read from Temporal a page at a time. */
  function historyJson(workflowId: string, runId: string): Readable {
    checkedWorkflowId(workflowId);
    async function* lines() {
      yield '{"events":[';
      let token: Uint8Array | undefined;
      let first = true;
      do {
        const page = await temporal.workflowService.getWorkflowExecutionHistory({ namespace: temporal.options.namespace, execution: { workflowId, runId }, nextPageToken: token, maximumPageSize: PAGE_SIZE });
        const events = (JSON.parse(historyToJSON({ events: page.history?.events ?? [] })) as { events?: unknown[] }).events ?? [];
        for (const e of events) {
          yield `${first ? '\n' : ',\n'}${JSON.stringify(e)}`;
          first = false;
        }
        token = page.nextPageToken?.length ? page.nextPageToken : undefined;
      } while (token);
      yield '\n]}\n';
    }
    return Readable.from(lines());
  }

  return { runsOf, history, historyJson };
}
export type WorkflowHistories = ReturnType<typeof createWorkflowHistories>;

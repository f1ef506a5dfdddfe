/**
 * The histories of an agency's runs, indexed by the keys the database keeps of them: an import's
 * key and a decision batch's key are `<workflowId>/<update id>` (or, for an import the run made
 * itself, the key in its activity's input), a transfer batch's key is in its activity's input.
 * So a row of the database leads to the event of the history that asked for it.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { historyFacts, type HistoryFact } from './history-facts';
import { tellHistory } from './timeline';
import type { WorkflowRun } from './workflow-histories';

export interface HistoryLink {
  workflowId: string;
  runId: string;
  eventId: number;
  at: string;
  /** The event as the timeline tells it. */
  textVi?: string;
}

export type UpdateFact = Extract<HistoryFact, { kind: 'update' }>;
export type ActivityFact = Extract<HistoryFact, { kind: 'activity' }>;
export type EndFact = Extract<HistoryFact, { kind: 'ended' }>;

export interface HistoryIndex {
  /** By `<workflowId>/<update id>`. */
  updates: Map<string, { link: HistoryLink; fact: UpdateFact }>;
  /** By the `importKey` or `batchKey` of the activity's input. */
  activities: Map<string, { link: HistoryLink; fact: ActivityFact }>;
  /** Each workflow's latest run and how it ended, if it has. */
  latest: Map<string, { run: WorkflowRun; end?: EndFact }>;
}

/** A workflow's runs (one per continue-as-new), oldest first, with their histories. */
export interface LoadedWorkflow {
  workflowId: string;
  runs: Array<{ run: WorkflowRun; history: History }>;
}

export function indexHistories(workflows: readonly LoadedWorkflow[]): HistoryIndex {
  const index: HistoryIndex = { updates: new Map(), activities: new Map(), latest: new Map() };
  for (const { workflowId, runs } of workflows) {
    for (const { run, history } of runs) {
      const facts = historyFacts(history);
      const told = new Map(tellHistory({ workflowId, runId: run.runId }, facts).map((e) => [e.eventId, e.textVi]));
      const link = (f: HistoryFact): HistoryLink => ({ workflowId, runId: run.runId, eventId: f.eventId, at: f.at, textVi: told.get(f.eventId) });
      let end: EndFact | undefined;
      for (const f of facts) {
        if (f.kind === 'update') index.updates.set(`${workflowId}/${f.updateId}`, { link: link(f), fact: f });
        else if (f.kind === 'activity') {
          const input = f.args[0] as { importKey?: unknown; batchKey?: unknown } | undefined;
          const key = typeof input?.importKey === 'string' ? input.importKey : typeof input?.batchKey === 'string' ? input.batchKey : undefined;
          if (key) index.activities.set(key, { link: link(f), fact: f });
        } else if (f.kind === 'ended') end = f;
      }
      index.latest.set(workflowId, { run, end });
    }
  }
  return index;
}

/** The workflow a key of ours belongs to: `<workflowId>/<update id>`, `<workflowId>/auto/<sha256>`, `<workflowId>/transfer/<n>`. */
export function workflowOfKey(key: string): string {
  const m = /^(.*)\/(?:auto|transfer)\/[^/]+$/.exec(key);
  return m ? m[1]! : key.slice(0, key.lastIndexOf('/'));
}

/** Where a key leads in the histories: the update that carried it, or the activity whose input names it. */
export function linkOfKey(index: HistoryIndex, key: string | null | undefined): HistoryLink | undefined {
  if (!key) return undefined;
  return index.updates.get(key)?.link ?? index.activities.get(key)?.link;
}

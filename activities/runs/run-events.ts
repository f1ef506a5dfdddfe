/** Decisions of a run (release, cancel, an agency's end) on the audit log, once each; and the registry of its workflows. */
import type { Pool } from 'pg';
import { createWorkflowRegistry, type RegisteredWorkflow } from '../../api/repositories/workflows';
import { scopeOfWorkflow, type AuditActorRole } from '../../domain/audit/audit-entry';
import { recordAction } from '../audit/record-action';

export interface RunEvent {
  workflowId: string;
  /** The workflow's first execution, for an agency whose run was started again: each of its runs records its own events. */
  execution?: string;
  actor: string;
  action: 'split.released' | 'run.cancelled' | 'agency.closed' | 'agency.completed' | 'agency.started_again';
  details: Record<string, unknown>;
}

const ROLE_OF: Record<RunEvent['action'], AuditActorRole> = {
  'split.released': 'coordinator',
  'run.cancelled': 'coordinator',
  'agency.closed': 'coordinator',
  'agency.completed': 'system',
  'agency.started_again': 'coordinator',
};

export function createRunEventActivities({ pool }: { pool: Pool }) {
  const registry = createWorkflowRegistry(pool);
  return {
    /** Makes workflows findable by agency and province (imports find the agency's run; scopes check access). */
    async registerWorkflows(ws: RegisteredWorkflow[]): Promise<void> {
      for (const w of ws) await registry.register(w);
    },
    /** Idempotent: a retry finds the entry its earlier attempt wrote, by its key. */
    async recordRunEvent(event: RunEvent): Promise<void> {
      await recordAction(pool, async () => ({
        result: undefined,
        audit: [
          {
            ...scopeOfWorkflow(event.workflowId),
            actor: event.actor,
            actorRole: ROLE_OF[event.action],
            action: event.action,
            subject: { kind: 'workflow', id: event.workflowId },
            workflowId: event.workflowId,
            ...(event.execution ? { runId: event.execution } : {}),
            details: event.execution ? { ...event.details, execution: event.execution } : event.details,
            key: event.execution ? `${event.action}:${event.workflowId}:${event.execution}` : `${event.action}:${event.workflowId}`,
          },
        ],
      }));
    },
  };
}
export type RunEventActivities = ReturnType<typeof createRunEventActivities>;

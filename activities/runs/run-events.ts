/** Decisions of a run (release, cancel) on the hash-chained audit log, once each; and the registry of its workflows. */
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import { createWorkflowRegistry, type RegisteredWorkflow } from '../../api/repositories/workflows';

export interface RunEvent {
  workflowId: string;
  /** The workflow's first execution, for an agency whose run was started again: each of its runs records its own events. */
  execution?: string;
  actor: string;
  action: 'split.released' | 'run.cancelled' | 'agency.closed' | 'agency.completed' | 'agency.started_again';
  details: Record<string, unknown>;
}

export function createRunEventActivities({ pool }: { pool: Pool }) {
  const registry = createWorkflowRegistry(pool);
  return {
    /** Makes workflows findable by agency and province (imports find the agency's run; scopes check access). */
    async registerWorkflows(ws: RegisteredWorkflow[]): Promise<void> {
      for (const w of ws) await registry.register(w);
    },
    /** Idempotent: a retry finds the entry its earlier attempt wrote. */
    async recordRunEvent(event: RunEvent): Promise<void> {
      await inTransaction(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [event.workflowId]);
        const done = await c.query(`SELECT 1 FROM audit_log WHERE action = $1 AND subject = $2 AND details->>'execution' IS NOT DISTINCT FROM $3`, [event.action, event.workflowId, event.execution ?? null]);
        if (done.rowCount) return;
        const details = event.execution ? { ...event.details, execution: event.execution } : event.details;
        await c.query('INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4)', [event.actor, event.action, event.workflowId, JSON.stringify(details)]);
      });
    },
  };
}
export type RunEventActivities = ReturnType<typeof createRunEventActivities>;

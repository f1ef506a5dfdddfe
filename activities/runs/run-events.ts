/** Decisions of a run (release, cancel) on the hash-chained audit log, once each; and the registry of its workflows. */
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import { createWorkflowRegistry, type RegisteredWorkflow } from '../../api/repositories/workflows';

export interface RunEvent {
  workflowId: string;
  actor: string;
  action: 'split.released' | 'run.cancelled' | 'agency.closed' | 'agency.completed';
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
        const done = await c.query('SELECT 1 FROM audit_log WHERE action = $1 AND subject = $2', [event.action, event.workflowId]);
        if (done.rowCount) return;
        await c.query('INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4)', [event.actor, event.action, event.workflowId, JSON.stringify(event.details)]);
      });
    },
  };
}
export type RunEventActivities = ReturnType<typeof createRunEventActivities>;

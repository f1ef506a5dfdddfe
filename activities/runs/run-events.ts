/** Decisions of a run (release, cancel) on the hash-chained audit log, once each. */
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';

export interface RunEvent {
  workflowId: string;
  actor: string;
  action: 'split.released' | 'run.cancelled';
  details: Record<string, unknown>;
}

export function createRunEventActivities({ pool }: { pool: Pool }) {
  return {
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

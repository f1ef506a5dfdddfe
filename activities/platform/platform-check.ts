import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';

export interface PlatformActivityDeps {
  pool: Pool;
}

export function createPlatformActivities({ pool }: PlatformActivityDeps) {
  return {
    /** Idempotent: a retried attempt finds the row its earlier attempt wrote. */
    async recordPlatformCheck(input: { workflowId: string; requestedBy: string }): Promise<number> {
      return inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [input.workflowId]);
        const existing = await client.query<{ seq: string }>(
          `SELECT seq FROM audit_log WHERE action = 'platform.check' AND subject = $1`,
          [input.workflowId],
        );
        const seq =
          existing.rows[0]?.seq ??
          (
            await client.query<{ seq: string }>(
              `INSERT INTO audit_log (actor, action, subject) VALUES ($1, 'platform.check', $2) RETURNING seq`,
              [input.requestedBy, input.workflowId],
            )
          ).rows[0]!.seq;
        return Number(seq);
      });
    },
  };
}
export type PlatformActivities = ReturnType<typeof createPlatformActivities>;

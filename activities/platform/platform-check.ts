import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import { endAction } from '../audit/record-action';

export interface PlatformActivityDeps {
  pool: Pool;
}

export function createPlatformActivities({ pool }: PlatformActivityDeps) {
  return {
    /** Idempotent: a retried attempt finds the entry its earlier attempt wrote, by its key. */
    async recordPlatformCheck(input: { workflowId: string; requestedBy: string }): Promise<number> {
      const [entry] = await inTransaction(pool, (c) =>
        endAction(c, {
          audit: [
            {
              // The platform belongs to no province: its checks have a chain of their own.
              provinceCode: null,
              actor: input.requestedBy,
              actorRole: 'system',
              action: 'platform.check',
              subject: { kind: 'workflow', id: input.workflowId },
              workflowId: input.workflowId,
              key: `platform.check:${input.workflowId}`,
            },
          ],
        }),
      );
      return entry!.seq;
    },
  };
}
export type PlatformActivities = ReturnType<typeof createPlatformActivities>;

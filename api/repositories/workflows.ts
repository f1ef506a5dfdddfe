import type { Pool } from 'pg';
import type { ResourceScope } from '../../domain/access';

export interface RegisteredWorkflow extends ResourceScope {
  workflowId: string;
  kind: string;
  startedBy: string;
}

export function createWorkflowRegistry(pool: Pool) {
  return {
    async register(w: RegisteredWorkflow): Promise<void> {
      await pool.query(
        `INSERT INTO workflow_registry (workflow_id, kind, province_code, agency_code, started_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workflow_id) DO NOTHING`,
        [w.workflowId, w.kind, w.provinceCode, w.agencyCode ?? null, w.startedBy],
      );
    },
    async get(workflowId: string): Promise<RegisteredWorkflow | null> {
      const r = await pool.query<{ workflow_id: string; kind: string; province_code: string; agency_code: string | null; started_by: string }>(
        'SELECT * FROM workflow_registry WHERE workflow_id = $1',
        [workflowId],
      );
      const row = r.rows[0];
      return row
        ? { workflowId: row.workflow_id, kind: row.kind, provinceCode: row.province_code, agencyCode: row.agency_code, startedBy: row.started_by }
        : null;
    },
  };
}
export type WorkflowRegistry = ReturnType<typeof createWorkflowRegistry>;

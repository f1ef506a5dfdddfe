/** A run's custodian decisions as PostgreSQL keeps them (custodian_decisions): a unit's current decision is its latest. */
import type { Pool, PoolClient } from 'pg';
import type { CustodianDecision } from '../../domain/runs/custodians';

/** Each decided unit's current decision, as of `uptoBatch` when given (a batch being applied), else of the latest. */
export async function currentCustodians(db: Pool | PoolClient, runId: string, uptoBatch?: number): Promise<CustodianDecision[]> {
  const r = await db.query<{ unit_code: string; unit_name: string; agency_code: string; agency_name: string; candidate: boolean; basis: string | null; number: string | null; date: string | null; decided_by: string; decided_at: Date }>(
    `SELECT DISTINCT ON (unit_code) unit_code, unit_name, agency_code, agency_name, candidate, basis, committee_decision_number AS number, to_char(committee_decision_date, 'YYYY-MM-DD') AS date, decided_by, decided_at
     FROM custodian_decisions WHERE run_id = $1 AND ($2::int IS NULL OR batch <= $2) ORDER BY unit_code, batch DESC`,
    [runId, uptoBatch ?? null],
  );
  return r.rows.map((row) => ({
    unitCode: row.unit_code,
    unitName: row.unit_name,
    agencyCode: row.agency_code,
    agencyName: row.agency_name,
    candidate: row.candidate,
    ...(row.basis ? { basis: row.basis } : {}),
    ...(row.number || row.date ? { committeeDecision: { number: row.number ?? '', date: row.date ?? '' } } : {}),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at.toISOString(),
  }));
}

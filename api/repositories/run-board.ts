/**
 * What the coordinator's screens read of a province's runs in PostgreSQL, one statement each:
 * the province's runs, a run's handover record, every agency's record counts for a whole run,
 * and the records approved and transferred per day. A run's agencies are those the run started
 * (workflow_registry); their records are counted by agency, as every count of the agency is.
 */
import type { Pool } from 'pg';
import { RECORD_ACTIONS } from '../../domain/records/life-cycle';
import { provinceRunWorkflowId } from '../../domain/runs/province-run';

// The states of the life cycle the board counts (approved: approved so far, transferred since or not), written as literals so the counts stay index-only.
const APPROVED = RECORD_ACTIONS.approve.to;
const REJECTED = RECORD_ACTIONS.reject.to;
const TRANSFERRED = RECORD_ACTIONS.transfer.to;

type Queryable = Pick<Pool, 'query'>;

export interface RunListItem {
  runId: string;
  workflowId: string;
  startedBy: string;
  startedAt: string;
  /** The latest handover record of the run (a run registered again after a failure has several); null before the package is received. */
  package: { name: string; sizeBytes: number; receivedAt: string; status: 'accepted' | 'quarantined'; confirmedBy: string | null; confirmedAt: string | null } | null;
}

export interface HandoverRecord {
  originalName: string;
  deliveredBy: string;
  channel: string;
  receivedBy: string;
  receivedAt: string;
  declaredSha256: string;
  actualSha256: string;
  sizeBytes: number;
  status: 'accepted' | 'quarantined';
  files: Array<{ name: string; size: number }>;
  confirmedBy: string | null;
  confirmedAt: string | null;
}

export interface AgencyCounts {
  code: string;
  /** Records imported (every state). */
  records: number;
  /** Records with at least one scanned page attached. */
  withPage: number;
  /** Approved, including those transferred since. */
  approved: number;
  rejected: number;
  transferred: number;
}

export interface DayCounts {
  /** yyyy-mm-dd, in the caller's time zone. */
  day: string;
  /** Approval decisions made that day. */
  approved: number;
  /** Records CSDLHTĐT accepted that day. */
  transferred: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The agencies whose runs the province run started ($1: the province run's workflow id); the registry names the starter of each. */
const RUN_AGENCIES = `SELECT agency_code FROM workflow_registry WHERE kind = 'agency' AND started_by = $1`;

export function createRunBoardRepository(pool: Queryable) {
  return {
    async runsOfProvince(provinceCode: string, limit: number): Promise<RunListItem[]> {
      const r = await pool.query<{
        workflow_id: string;
        started_by: string;
        created_at: Date;
        original_name: string | null;
        size_bytes: string | null;
        received_at: Date | null;
        status: 'accepted' | 'quarantined' | null;
        confirmed_by: string | null;
        confirmed_at: Date | null;
      }>(
        `SELECT w.workflow_id, w.started_by, w.created_at, p.original_name, p.size_bytes, p.received_at, p.status, p.confirmed_by, p.confirmed_at
           FROM workflow_registry w
           LEFT JOIN LATERAL (SELECT * FROM package_receipts p WHERE p.run_id = split_part(w.workflow_id, '/', 3) ORDER BY p.received_at DESC LIMIT 1) p ON true
          WHERE w.kind = 'province-run' AND w.province_code = $1
          ORDER BY w.created_at DESC LIMIT $2`,
        [provinceCode, limit],
      );
      return r.rows.map((row) => ({
        runId: row.workflow_id.split('/')[2]!,
        workflowId: row.workflow_id,
        startedBy: row.started_by,
        startedAt: row.created_at.toISOString(),
        package:
          row.original_name === null
            ? null
            : { name: row.original_name, sizeBytes: Number(row.size_bytes), receivedAt: row.received_at!.toISOString(), status: row.status!, confirmedBy: row.confirmed_by, confirmedAt: iso(row.confirmed_at) },
      }));
    },

    /** The run's latest handover record; undefined before the package is received. */
    async handover(runId: string): Promise<HandoverRecord | undefined> {
      const r = await pool.query<{
        original_name: string;
        delivered_by: string;
        channel: string;
        received_by: string;
        received_at: Date;
        declared_sha256: string;
        actual_sha256: string;
        size_bytes: string;
        status: 'accepted' | 'quarantined';
        file_list: Array<{ name: string; size: number }>;
        confirmed_by: string | null;
        confirmed_at: Date | null;
      }>('SELECT * FROM package_receipts WHERE run_id = $1 ORDER BY received_at DESC LIMIT 1', [runId]);
      const row = r.rows[0];
      if (!row) return undefined;
      return {
        originalName: row.original_name,
        deliveredBy: row.delivered_by,
        channel: row.channel,
        receivedBy: row.received_by,
        receivedAt: row.received_at.toISOString(),
        declaredSha256: row.declared_sha256,
        actualSha256: row.actual_sha256,
        sizeBytes: Number(row.size_bytes),
        status: row.status,
        files: row.file_list,
        confirmedBy: row.confirmed_by,
        confirmedAt: iso(row.confirmed_at),
      };
    },

    /** Every agency the run started, with its records counted by state and by page. */
    async agencyCounts(runId: string): Promise<AgencyCounts[]> {
      const r = await pool.query<{ code: string; records: string; with_page: string; approved: string; rejected: string; transferred: string }>(
        // Records in id order, merged with the ids that have a page: both read from indexes alone
        // (records_board, attachments_pkey), so a million records are counted without touching the table.
        `WITH agencies AS (${RUN_AGENCIES}),
              counts AS (
                SELECT r.agency_code, count(*) AS records, count(p.record_id) AS with_page,
                       count(*) FILTER (WHERE r.state IN ('${APPROVED}', '${TRANSFERRED}')) AS approved,
                       count(*) FILTER (WHERE r.state = '${REJECTED}') AS rejected,
                       count(*) FILTER (WHERE r.state = '${TRANSFERRED}') AS transferred
                  FROM records r LEFT JOIN (SELECT DISTINCT record_id FROM attachments) p ON p.record_id = r.id
                 WHERE r.agency_code IN (SELECT agency_code FROM agencies)
                 GROUP BY r.agency_code)
         SELECT w.agency_code AS code, coalesce(c.records, 0) AS records, coalesce(c.with_page, 0) AS with_page, coalesce(c.approved, 0) AS approved,
                coalesce(c.rejected, 0) AS rejected, coalesce(c.transferred, 0) AS transferred
           FROM agencies w LEFT JOIN counts c ON c.agency_code = w.agency_code
          ORDER BY w.agency_code`,
        [provinceRunWorkflowId(runId)],
      );
      return r.rows.map((row) => ({
        code: row.code,
        records: Number(row.records),
        withPage: Number(row.with_page),
        approved: Number(row.approved),
        rejected: Number(row.rejected),
        transferred: Number(row.transferred),
      }));
    },

    /**
     * Approvals and records transferred per day over the last `days` days (today included) of
     * the run's agencies, every day listed; days are counted at `utcOffsetMinutes` from UTC.
     */
    async perDay(runId: string, days: number, utcOffsetMinutes: number): Promise<DayCounts[]> {
      const r = await pool.query<{ day: string; approved: string; transferred: string }>(
        `WITH agencies AS (${RUN_AGENCIES}),
              span AS (SELECT ((now() AT TIME ZONE 'UTC') + make_interval(mins => $3))::date - ($2 - 1) AS first_day),
              since AS (SELECT (first_day - make_interval(mins => $3)) AT TIME ZONE 'UTC' AS at FROM span),
              approved AS (
                SELECT ((d.decided_at AT TIME ZONE 'UTC') + make_interval(mins => $3))::date AS day, count(*) AS n
                  FROM decisions d JOIN review_batches b ON b.batch_key = d.batch_key
                 WHERE d.kind = 'approve' AND d.decided_at >= (SELECT at FROM since) AND b.agency_code IN (SELECT agency_code FROM agencies)
                 GROUP BY 1),
              transferred AS (
                SELECT ((t.finished_at AT TIME ZONE 'UTC') + make_interval(mins => $3))::date AS day, sum(t.accepted) AS n
                  FROM transfer_batches t
                 WHERE t.status = 'done' AND t.finished_at >= (SELECT at FROM since) AND t.agency_code IN (SELECT agency_code FROM agencies)
                 GROUP BY 1)
         SELECT to_char(g.day, 'YYYY-MM-DD') AS day, coalesce(a.n, 0) AS approved, coalesce(t.n, 0) AS transferred
           FROM span, generate_series(span.first_day, span.first_day + ($2 - 1), interval '1 day') AS g(day)
           LEFT JOIN approved a ON a.day = g.day::date
           LEFT JOIN transferred t ON t.day = g.day::date
          ORDER BY g.day`,
        [provinceRunWorkflowId(runId), days, utcOffsetMinutes],
      );
      return r.rows.map((row) => ({ day: row.day, approved: Number(row.approved), transferred: Number(row.transferred) }));
    },
  };
}
export type RunBoardRepository = ReturnType<typeof createRunBoardRepository>;

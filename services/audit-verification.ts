/**
 * `hotich audit verify`: walks each province's chain of the audit log in its order, computes
 * every entry's hash again from its fields, and lists every entry edited, removed or moved
 * since it was written, with where it stands. Reads only; the application's role may run it.
 *
 * A chain proves what it holds; it cannot show that its newest entries were cut off. The head
 * (position and hash of the last entry) of each chain is given, so that an auditor who noted
 * it earlier can see that the chain still reaches it.
 */
import type { Pool } from 'pg';
import { chainBreakVi, checkEntry, type ChainBreak } from '../domain/audit/audit-chain';
import { AUDIT_ACTION_LABELS_VI, type StoredAuditEntry } from '../domain/audit/audit-entry';

/** Entries read per round trip. */
const PAGE = 5000;
/** Breaks kept per chain for the report; all are counted. */
const BREAKS_KEPT = 100;

export interface ChainReport {
  /** Null: the chain of what belongs to no province (checks of the platform). */
  provinceCode: string | null;
  entries: number;
  head?: { position: number; hash: string; at: string };
  breaks: ChainBreak[];
  breakCount: number;
}

const COLUMNS = `seq, province_code, chain_pos, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, agency_code, actor, actor_role, action,
  subject_kind, subject_id, record_id, workflow_id, run_id, state_before, state_after, details::text AS details_text, entry_key, prev_hash, hash`;

interface Row {
  seq: string;
  province_code: string | null;
  chain_pos: string;
  at: string;
  agency_code: string | null;
  actor: string;
  actor_role: StoredAuditEntry['actorRole'];
  action: string;
  subject_kind: StoredAuditEntry['subjectKind'];
  subject_id: string;
  record_id: string | null;
  workflow_id: string | null;
  run_id: string | null;
  state_before: StoredAuditEntry['stateBefore'];
  state_after: StoredAuditEntry['stateAfter'];
  details_text: string;
  entry_key: string | null;
  prev_hash: string;
  hash: string;
}

const entryOf = (r: Row): StoredAuditEntry => ({
  seq: Number(r.seq),
  provinceCode: r.province_code,
  chainPos: Number(r.chain_pos),
  at: r.at,
  agencyCode: r.agency_code,
  actor: r.actor,
  actorRole: r.actor_role,
  action: r.action,
  subjectKind: r.subject_kind,
  subjectId: r.subject_id,
  recordId: r.record_id === null ? null : Number(r.record_id),
  workflowId: r.workflow_id,
  runId: r.run_id,
  stateBefore: r.state_before,
  stateAfter: r.state_after,
  detailsText: r.details_text,
  entryKey: r.entry_key,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** `province = null` is the chain of no province; its conditions are written apart so that each is served by the chain's index. */
const inChain = (province: string | null, param: string) => (province === null ? 'province_code IS NULL' : `province_code = ${param}`);

async function verifyChain(pool: Pool, province: string | null): Promise<ChainReport> {
  const report: ChainReport = { provinceCode: province, entries: 0, breaks: [], breakCount: 0 };
  const positionOfHash = async (hash: string) => {
    const r = await pool.query<{ chain_pos: string }>(`SELECT chain_pos FROM audit_log WHERE hash = $1 AND ${inChain(province, '$2')}`, province === null ? [hash] : [hash, province]);
    return r.rows[0] ? Number(r.rows[0].chain_pos) : undefined;
  };
  let previous: StoredAuditEntry | undefined;
  let after = { pos: 0, seq: 0 };
  for (;;) {
    const params: unknown[] = [after.pos, after.seq, PAGE];
    if (province !== null) params.push(province);
    const page = await pool.query<Row>(
      `SELECT ${COLUMNS} FROM audit_log WHERE ${inChain(province, '$4')} AND (chain_pos, seq) > ($1, $2) ORDER BY chain_pos, seq LIMIT $3`,
      params,
    );
    for (const row of page.rows) {
      const entry = entryOf(row);
      const found = await checkEntry(entry, previous, positionOfHash);
      if (found) {
        report.breakCount++;
        if (report.breaks.length < BREAKS_KEPT) report.breaks.push(found);
      }
      report.entries++;
      previous = entry;
    }
    if (page.rows.length < PAGE) break;
    after = { pos: previous!.chainPos, seq: previous!.seq };
  }
  if (previous) report.head = { position: previous.chainPos, hash: previous.hash, at: previous.at };
  return report;
}

/** The chains of every province with entries (and of no province), or of one. */
export async function verifyAuditLog(pool: Pool, opts: { provinceCode?: string } = {}): Promise<ChainReport[]> {
  const chains =
    opts.provinceCode !== undefined
      ? [opts.provinceCode]
      : (await pool.query<{ province_code: string | null }>('SELECT DISTINCT province_code FROM audit_log ORDER BY province_code NULLS FIRST')).rows.map((r) => r.province_code);
  const reports: ChainReport[] = [];
  for (const p of chains) reports.push(await verifyChain(pool, p));
  return reports;
}

/** One province's chain as a screen shows it: each break by where it stands and what happened, in Vietnamese; entries' details stay out. */
export interface ChainVerification {
  provinceCode: string;
  checkedAt: string;
  entries: number;
  head?: ChainReport['head'];
  breakCount: number;
  breaks: Array<{ kind: ChainBreak['kind']; position: number; seq: number; action: string; actionVi: string; at: string; actor: string; messageVi: string }>;
}

export async function verifyProvinceChain(pool: Pool, provinceCode: string, now: () => Date = () => new Date()): Promise<ChainVerification> {
  const checkedAt = now().toISOString();
  const report = await verifyChain(pool, provinceCode);
  return {
    provinceCode,
    checkedAt,
    entries: report.entries,
    ...(report.head ? { head: report.head } : {}),
    breakCount: report.breakCount,
    breaks: report.breaks.map((b) => ({
      kind: b.kind,
      position: b.entry.chainPos,
      seq: b.entry.seq,
      action: b.entry.action,
      actionVi: AUDIT_ACTION_LABELS_VI[b.entry.action] ?? b.entry.action,
      at: b.entry.at,
      actor: b.entry.actor,
      messageVi: chainBreakVi(b),
    })),
  };
}

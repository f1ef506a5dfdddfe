/**
 * The one way an action ends: in the action's own transaction, after its change, its audit
 * entries and, where one is due, its notification. A rolled-back attempt leaves no entry; a
 * committed one is found again by its entries' keys (or by the action's own key, such as a
 * batch of decisions), so a retried activity never writes a second entry. This module is the
 * only writer of the audit log and of notifications.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import { commitWith, inTransaction } from '../../db/transaction';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import type { BookRef } from '../../domain/review/review-types';

/** A reminder to an agency or an escalation to its coordinator (the dashboard reads them). */
export interface Notification {
  /** One per book, kind and idle period. */
  key: string;
  kind: 'reminder' | 'escalation';
  provinceCode: string;
  agencyCode: string;
  workflowId: string;
  book: BookRef & { bookNumber: string };
  idleSince: string;
  messageVi: string;
}

export interface ActionEnd {
  audit: readonly AuditEntry[];
  notification?: Notification;
}

/** The workflow execution an activity runs for: its entries name it unless they name another. */
function withRun(e: AuditEntry): AuditEntry {
  const execution = asyncLocalStorage.getStore()?.info.workflowExecution;
  if (!execution || (e.workflowId !== undefined && e.workflowId !== execution.workflowId)) return e;
  return { ...e, workflowId: execution.workflowId, runId: e.runId ?? execution.runId };
}

/** Each entry with its chain: an entry that names only its agency joins the agency's province. */
async function inProvinces(c: PoolClient, entries: AuditEntry[]): Promise<Array<AuditEntry & { provinceCode: string | null }>> {
  const agencies = [...new Set(entries.flatMap((e) => (e.provinceCode === undefined && e.agencyCode ? [e.agencyCode] : [])))];
  const province = new Map<string, string>();
  if (agencies.length > 0) {
    const r = await c.query<{ code: string; province_code: string }>('SELECT code, province_code FROM agencies WHERE code = ANY($1::text[])', [agencies]);
    for (const row of r.rows) province.set(row.code, row.province_code);
  }
  return entries.map((e) => {
    if (e.provinceCode !== undefined) return { ...e, provinceCode: e.provinceCode };
    const p = e.agencyCode && province.get(e.agencyCode);
    if (!p) throw new Error(`audit entry ${e.action} names no province and no known agency`);
    return { ...e, provinceCode: p };
  });
}

/** Where an entry stands in the log: `fresh` when written now, not found by its key. */
export interface Appended {
  seq: number;
  fresh: boolean;
}

/** The entries of one append: each in its chain, those an earlier committed attempt wrote found by their keys. */
async function prepare(c: PoolClient, entries: readonly AuditEntry[]) {
  const all = await inProvinces(c, entries.map(withRun));
  const keys = all.flatMap((e) => (e.key === undefined ? [] : [e.key]));
  const found = new Map<string, number>();
  if (keys.length > 0) {
    // An earlier attempt that committed is found here. One still running at the same time makes
    // the unique index refuse this attempt's entry: it rolls back, and its retry finds the entry.
    const r = await c.query<{ entry_key: string; seq: string }>('SELECT entry_key, seq FROM audit_log WHERE entry_key = ANY($1::text[])', [keys]);
    for (const row of r.rows) found.set(row.entry_key, Number(row.seq));
  }
  const fresh = all.filter((e) => e.key === undefined || !found.has(e.key));
  // One JSON array for the INSERT to read: a parameter, or a literal where the INSERT goes in one message with the commit.
  const rows = JSON.stringify(
    fresh.map((e) => ({
      province_code: e.provinceCode,
      agency_code: e.agencyCode ?? null,
      actor: e.actor,
      actor_role: e.actorRole,
      action: e.action,
      subject_kind: e.subject.kind,
      subject_id: e.subject.id,
      record_id: e.recordId ?? null,
      workflow_id: e.workflowId ?? null,
      run_id: e.runId ?? null,
      state_before: e.stateBefore ?? null,
      state_after: e.stateAfter ?? null,
      details: e.details ?? {},
      entry_key: e.key ?? null,
    })),
  );
  /** Where each entry stands, in order, given the sequence numbers of those written now. */
  const placed = (written: number[]): Appended[] => {
    let next = 0;
    return all.map((e) => (e.key !== undefined && found.has(e.key) ? { seq: found.get(e.key)!, fresh: false } : { seq: written[next++]!, fresh: true }));
  };
  return { fresh: fresh.length, rows, placed };
}

/** The INSERT of the entries in `rows` (SQL giving the JSON array), in order: the trigger chains them one by one. */
const insertSql = (rows: string) =>
  `INSERT INTO audit_log (province_code, agency_code, actor, actor_role, action, subject_kind, subject_id, record_id, workflow_id, run_id, state_before, state_after, details, entry_key)
   SELECT x.province_code, x.agency_code, x.actor, x.actor_role, x.action, x.subject_kind, x.subject_id, x.record_id, x.workflow_id, x.run_id, x.state_before, x.state_after, x.details, x.entry_key
     FROM ROWS FROM (jsonb_to_recordset(${rows}::jsonb) AS (province_code text, agency_code text, actor text, actor_role text, action text, subject_kind text, subject_id text,
                     record_id bigint, workflow_id text, run_id text, state_before text, state_after text, details jsonb, entry_key text)) WITH ORDINALITY AS x
    ORDER BY x.ordinality
   RETURNING seq`;

/**
 * Writes the entries (those whose key is already in the log are left out) and returns where
 * each stands, in order. Call it last before the commit: the province's chain stays locked
 * from here to the end of the transaction.
 */
export async function appendAudit(c: PoolClient, entries: readonly AuditEntry[]): Promise<Appended[]> {
  if (entries.length === 0) return [];
  const { fresh, rows, placed } = await prepare(c, entries);
  if (fresh === 0) return placed([]);
  return placed((await c.query<{ seq: string }>(insertSql('$1'), [rows])).rows.map((r) => Number(r.seq)));
}

/**
 * Writes the entries as `appendAudit` does and commits the transaction in the same message
 * (`commitWith`): the province's chain, locked by the INSERT, is held for the insert and the
 * commit's flush only, not for a round trip to this process besides. In the province bench
 * that round trip was the largest part of the chain's held time when the worker was busy.
 */
async function appendAndCommit(c: PoolClient, entries: readonly AuditEntry[]): Promise<Appended[]> {
  if (entries.length === 0) {
    await commitWith(c, undefined);
    return [];
  }
  const { fresh, rows, placed } = await prepare(c, entries);
  const [inserted] = await commitWith(c, fresh === 0 ? undefined : insertSql(c.escapeLiteral(rows)));
  return placed((inserted?.rows ?? []).map((r: { seq: string }) => Number(r.seq)));
}

/**
 * Ends an action whose transaction the caller holds: the notification, if one is due and not
 * sent before, then the audit entries.
 */
export async function endAction(c: PoolClient, end: ActionEnd): Promise<Appended[]> {
  await notify(c, end.notification);
  return appendAudit(c, end.audit);
}

/**
 * Ends an action and commits it, in a transaction `inTransaction` runs: the notification, then
 * the audit entries in one message with the commit. Nothing may follow it in the transaction.
 */
export async function commitAction(c: PoolClient, end: ActionEnd): Promise<Appended[]> {
  await notify(c, end.notification);
  return appendAndCommit(c, end.audit);
}

/** The notification of an action, if one is due and not sent before. */
async function notify(c: PoolClient, n: Notification | undefined): Promise<void> {
  if (n) {
    await c.query(
      `INSERT INTO notifications (notification_key, kind, province_code, agency_code, workflow_id, book, idle_since, message_vi)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (notification_key) DO NOTHING`,
      [n.key, n.kind, n.provinceCode, n.agencyCode, n.workflowId, JSON.stringify(n.book), n.idleSince, n.messageVi],
    );
  }
}

/**
 * Runs an action in a transaction of its own: its change, then the way every action ends. Returns
 * its result and its entries. It commits apart from the entries, so a worker that dies before
 * its COMMIT leaves nothing (a transfer batch's bookkeeping after CSDLHTĐT's commit must be
 * recoverable as lost); the decisions, many at once on one chain, commit with theirs.
 */
export async function recordAction<T>(pool: Pool, act: (c: PoolClient) => Promise<ActionEnd & { result: T }>): Promise<{ result: T; entries: Appended[] }> {
  return inTransaction(pool, async (c) => {
    const end = await act(c);
    return { result: end.result, entries: await endAction(c, end) };
  });
}

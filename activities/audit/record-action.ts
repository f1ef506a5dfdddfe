/**
 * The one way an action ends: in the action's own transaction, after its change, its audit
 * entries and, where one is due, its notification. A rolled-back attempt leaves no entry; a
 * committed one is found again by its entries' keys (or by the action's own key, such as a
 * batch of decisions), so a retried activity never writes a second entry. This module is the
 * only writer of the audit log and of notifications.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../db/transaction';
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

/**
 * Writes the entries (those whose key is already in the log are left out) and returns where
 * each stands, in order. Call it last before the commit: the province's chain stays locked
 * from here to the end of the transaction.
 */
export async function appendAudit(c: PoolClient, entries: readonly AuditEntry[]): Promise<Appended[]> {
  if (entries.length === 0) return [];
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
  const col = <T>(f: (e: (typeof fresh)[number]) => T) => fresh.map(f);
  const written =
    fresh.length === 0
      ? []
      : (
          await c.query<{ seq: string }>(
            `INSERT INTO audit_log (province_code, agency_code, actor, actor_role, action, subject_kind, subject_id, record_id, workflow_id, run_id, state_before, state_after, details, entry_key)
             SELECT x.province_code, x.agency_code, x.actor, x.actor_role, x.action,
                    x.subject_kind, x.subject_id, x.record_id, x.workflow_id, x.run_id, x.state_before, x.state_after, x.details::jsonb, x.entry_key
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
                    WITH ORDINALITY AS x(province_code, agency_code, actor, actor_role, action, subject_kind, subject_id, record_id, workflow_id, run_id, state_before, state_after, details, entry_key, n)
              ORDER BY x.n
             RETURNING seq`,
            [
              col((e) => e.provinceCode),
              col((e) => e.agencyCode ?? null),
              col((e) => e.actor),
              col((e) => e.actorRole),
              col((e) => e.action),
              col((e) => e.subject.kind),
              col((e) => e.subject.id),
              col((e) => e.recordId ?? null),
              col((e) => e.workflowId ?? null),
              col((e) => e.runId ?? null),
              col((e) => e.stateBefore ?? null),
              col((e) => e.stateAfter ?? null),
              col((e) => JSON.stringify(e.details ?? {})),
              col((e) => e.key ?? null),
            ],
          )
        ).rows.map((r) => Number(r.seq));
  let next = 0;
  return all.map((e) => (e.key !== undefined && found.has(e.key) ? { seq: found.get(e.key)!, fresh: false } : { seq: written[next++]!, fresh: true }));
}

/**
 * Ends an action whose transaction the caller holds: the notification, if one is due and not
 * sent before, then the audit entries.
 */
export async function endAction(c: PoolClient, end: ActionEnd): Promise<Appended[]> {
  const n = end.notification;
  if (n) {
    await c.query(
      `INSERT INTO notifications (notification_key, kind, province_code, agency_code, workflow_id, book, idle_since, message_vi)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (notification_key) DO NOTHING`,
      [n.key, n.kind, n.provinceCode, n.agencyCode, n.workflowId, JSON.stringify(n.book), n.idleSince, n.messageVi],
    );
  }
  return appendAudit(c, end.audit);
}

/** Runs an action in a transaction of its own: its change, then the way every action ends. Returns its result and its entries. */
export async function recordAction<T>(pool: Pool, act: (c: PoolClient) => Promise<ActionEnd & { result: T }>): Promise<{ result: T; entries: Appended[] }> {
  return inTransaction(pool, async (c) => {
    const end = await act(c);
    return { result: end.result, entries: await endAction(c, end) };
  });
}

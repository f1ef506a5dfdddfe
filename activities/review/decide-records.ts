/**
 * Step 4: one batch of an official's decisions on records of one book, applied in one
 * transaction, each record decided and recorded on its own (who, when, why, the pages compared).
 * The batch key (the workflow update's id) makes a retried activity return what the first
 * attempt decided. The database refuses an approval without a page whatever this code does.
 */
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../db/transaction';
import type { AppError } from '../../domain/errors';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { recordSearchText } from '../../domain/registers/record-search';
import type { RecordValues } from '../../domain/registers/validate-record';
import { RECORD_ACTIONS, stateAfter, type DecisionAction, type RecordState } from '../../domain/records/life-cycle';
import { ReviewApprovalWithoutScan, ReviewPagesChanged, ReviewRecordNotFound } from '../../domain/review/review-errors';
import { applyCorrection, decisionRefusal } from '../../domain/review/review-rules';
import { EMPTY_COUNTS, type DecisionItem, type DecisionOutcome, type DecisionRequest, type DecisionResult } from '../../domain/review/review-types';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { commitAction } from '../audit/record-action';
import { bookClaimAudit } from './book-claims';
import { countBooks } from './book-counts';

export interface DecideInput extends DecisionRequest {
  batchKey: string;
  agencyCode: string;
  workflowId: string;
  /** The batch claimed the book for its official (nobody held it, or a claim had lapsed): on the audit log with the decisions. */
  claimed?: { bookNumber: string; since: string; lapsedClaimOf?: string };
}

interface RecordRow {
  id: string;
  state: RecordState;
  version: number;
  pages: string[];
}

/** What a batch decided, kept under its key; the counts are read afresh whenever it is returned. */
type StoredBatch = Omit<DecisionResult, 'counts'>;

/** The batch key is already recorded: an earlier attempt of this activity committed the batch, and this one rolls back. */
class BatchDecidedBefore extends Error {}

const refused = (item: DecisionItem, e: AppError): DecisionOutcome => ({ recordId: item.recordId, kind: item.kind, outcome: 'refused', code: e.code, messageVi: e.messageVi });

/**
 * The record's values now and as last imported (its own, unless an official has corrected it
 * since). Read only for a correction: approvals and rejections, nearly every decision, never
 * need the values, and a page of them is most of what the locked read would carry.
 */
async function valuesOf(c: PoolClient, rec: RecordRow): Promise<{ current: RecordValues; imported: RecordValues }> {
  const r = await c.query<{ data: RecordValues; imported: RecordValues | null }>(
    `SELECT r.data, CASE WHEN r.corrected THEN (SELECT v.data FROM record_versions v WHERE v.record_id = r.id AND NOT v.corrected ORDER BY v.version DESC LIMIT 1) END AS imported
       FROM records r WHERE r.id = $1`,
    [rec.id],
  );
  const row = r.rows[0]!;
  return { current: row.data, imported: row.imported ?? row.data };
}

interface Decided {
  id: number;
  version: number;
  kind: DecisionAction;
  before: RecordState;
  state: RecordState;
  reason: string | null;
  comment: string;
  details: Record<string, unknown>;
}

async function applyBatch(c: PoolClient, input: DecideInput): Promise<DecisionResult> {
  const { book, items, by } = input;
  const found = await c.query<RecordRow>(
    `SELECT r.id, r.state, r.version,
            coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}') AS pages
       FROM records r
      WHERE r.id = ANY($1::bigint[]) AND r.agency_code = $2 AND r.register_type = $3 AND r.unit_code = $4 AND r.book_year = $5 AND r.book_key = $6
      ORDER BY r.id FOR UPDATE`,
    [items.map((i) => i.recordId), input.agencyCode, book.registerType, book.unitCode, book.bookYear, book.bookKey],
  );
  const records = new Map(found.rows.map((r) => [Number(r.id), r]));
  const outcomes: DecisionOutcome[] = [];
  // Decisions are recorded set-based, with the moves of approvals and rejections; a correction (rare) changes its record's values here first.
  const decisions: Decided[] = [];

  for (const item of items) {
    const rec = records.get(item.recordId);
    if (!rec) {
      outcomes.push(refused(item, ReviewRecordNotFound({ recordId: item.recordId })));
      continue;
    }
    const refusal = decisionRefusal(item.kind, item.recordId, rec.state);
    if (refusal) {
      outcomes.push(refused(item, refusal));
      continue;
    }
    const base = { id: item.recordId, version: rec.version, kind: item.kind, before: rec.state, state: stateAfter(item.kind, rec.state), comment: '' };
    switch (item.kind) {
      case 'approve': {
        if (rec.pages.length === 0) outcomes.push(refused(item, ReviewApprovalWithoutScan({ recordId: item.recordId })));
        else if (rec.pages.join() !== item.pages.join()) outcomes.push(refused(item, ReviewPagesChanged({ recordId: item.recordId })));
        else decisions.push({ ...base, reason: null, details: { pages: rec.pages } });
        break;
      }
      case 'reject':
        decisions.push({ ...base, reason: item.reasonCode, comment: item.comment?.trim() ?? '', details: {} });
        break;
      case 'correct': {
        const values = await valuesOf(c, rec);
        const applied = applyCorrection(book.registerType as RegisterTypeCode, item.recordId, values.current, values.imported, item.fields);
        if ('error' in applied) {
          outcomes.push(refused(item, applied.error));
          break;
        }
        await c.query('INSERT INTO record_versions (record_id, version, data, data_sha256, import_id, corrected) SELECT id, version, data, data_sha256, import_id, corrected FROM records WHERE id = $1', [item.recordId]);
        // The imported hash stays: importing the same row again leaves the correction in place.
        await c.query(`UPDATE records SET data = $2, search_text = $3, version = version + 1, corrected = true, state = $4, updated_at = now() WHERE id = $1`, [
          item.recordId,
          JSON.stringify(applied.values),
          recordSearchText(applied.values),
          base.state,
        ]);
        decisions.push({ ...base, version: rec.version + 1, reason: item.reasonCode, comment: item.comment?.trim() ?? '', details: { changes: applied.changes } });
        break;
      }
    }
  }

  for (const m of decisions) outcomes.push({ recordId: m.id, kind: m.kind, outcome: 'decided', state: m.state, version: m.version });
  // Outcomes in the order the official sent the decisions.
  const order = new Map(items.map((i, n) => [i.recordId, n]));
  outcomes.sort((a, b) => order.get(a.recordId)! - order.get(b.recordId)!);
  const decided = outcomes.filter((o) => o.outcome === 'decided').length;
  const stored: StoredBatch = { batchKey: input.batchKey, decided, refused: outcomes.length - decided, outcomes };

  // One statement: the batch is recorded under its key, and only if the key is new are the
  // decisions recorded with it and the approved and rejected records moved.
  const written = await c.query<{ fresh: number; recorded: Array<{ id: number; record: number }> }>(
    `WITH batch AS (INSERT INTO review_batches (batch_key, agency_code, actor, result) VALUES ($9, $10, $8, $11) ON CONFLICT (batch_key) DO NOTHING RETURNING batch_key),
          m AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS m(id, version, kind, state, reason, comment, details)
                 WHERE EXISTS (SELECT 1 FROM batch)),
          moved AS (UPDATE records r SET state = m.state, updated_at = now() FROM m WHERE r.id = m.id AND m.kind <> 'correct'),
          recorded AS (INSERT INTO decisions (record_id, record_version, kind, reason_code, comment, details, actor, batch_key)
                       SELECT m.id, m.version, m.kind, m.reason, m.comment, m.details::jsonb, $8, $9 FROM m RETURNING id, record_id)
     SELECT (SELECT count(*) FROM batch)::int AS fresh, (SELECT coalesce(json_agg(json_build_object('id', id, 'record', record_id)), '[]') FROM recorded) AS recorded`,
    [
      decisions.map((m) => m.id),
      decisions.map((m) => m.version),
      decisions.map((m) => m.kind),
      decisions.map((m) => m.state),
      decisions.map((m) => m.reason),
      decisions.map((m) => m.comment),
      decisions.map((m) => JSON.stringify(m.details)),
      by.username,
      input.batchKey,
      input.agencyCode,
      JSON.stringify(stored),
    ],
  );
  const row = written.rows[0]!;
  if (row.fresh === 0) throw new BatchDecidedBefore();
  const counts = await bookCounts(c, input);
  const decisionOf = new Map(row.recorded.map((r) => [Number(r.record), Number(r.id)]));
  // Each decision names its record, its states and the decision row (reason, comment, the values corrected); last, with the commit, so the province's chain is held for the insert and the commit's flush only.
  const claim = input.claimed && bookClaimAudit({ action: 'book.claim', agencyCode: input.agencyCode, workflowId: input.workflowId, by, book: { ...book, bookNumber: input.claimed.bookNumber }, details: { since: input.claimed.since, ...(input.claimed.lapsedClaimOf ? { lapsedClaimOf: input.claimed.lapsedClaimOf } : {}) } });
  await commitAction(c, {
    audit: [...(claim ? [claim] : []), ...decisions.map((m): AuditEntry => ({
      agencyCode: input.agencyCode,
      actor: by.username,
      actorRole: by.role,
      action: RECORD_ACTIONS[m.kind].audit,
      subject: { kind: 'record', id: String(m.id) },
      recordId: m.id,
      workflowId: input.workflowId,
      stateBefore: m.before,
      stateAfter: m.state,
      details: {
        decisionId: decisionOf.get(m.id),
        batchKey: input.batchKey,
        version: m.version,
        ...(m.kind === 'approve' ? { pages: m.details.pages } : {}),
        ...(m.reason ? { reasonCode: m.reason } : {}),
        ...(m.kind === 'correct' ? { fields: Object.keys(m.details.changes as object) } : {}),
      },
    }))],
  });
  return { ...stored, counts };
}

const bookCounts = async (db: Pool | PoolClient, input: DecideInput) => (await countBooks(db, input.agencyCode, [input.book]))[0]?.counts ?? EMPTY_COUNTS;

export function createReviewActivities({ pool }: { pool: Pool }) {
  return {
    async decideRecords(input: DecideInput): Promise<DecisionResult> {
      try {
        return await inTransaction(pool, (c) => applyBatch(c, input));
      } catch (e) {
        if (!(e instanceof BatchDecidedBefore)) throw e;
        // An earlier attempt decided this batch: what it decided stands, with the book's counts as they are now.
        const done = await pool.query<{ result: StoredBatch }>('SELECT result FROM review_batches WHERE batch_key = $1', [input.batchKey]);
        return { ...done.rows[0]!.result, counts: await bookCounts(pool, input) };
      }
    },

    /** The agency's books with their counts, after imports changed them. */
    async agencyBooks(input: { agencyCode: string }) {
      return countBooks(pool, input.agencyCode);
    },
  };
}
export type ReviewActivities = ReturnType<typeof createReviewActivities>;

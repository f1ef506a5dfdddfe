/**
 * Step 4: one batch of an official's decisions, a page of the agency's list over one book or
 * several, applied in one transaction, each record decided and recorded on its own (who, when,
 * why, the pages compared). The batch key (the workflow update's id) makes a retried activity
 * return what the first attempt decided. The database refuses an approval without a page
 * whatever this code does.
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
import { EMPTY_COUNTS, type BookRef, type DecisionItem, type DecisionOutcome, type DecisionRequest, type DecisionResult, type ReviewActor } from '../../domain/review/review-types';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { commitAction } from '../audit/record-action';
import { bookClaimAudit } from './book-claims';
import { countBooks } from './book-counts';

/** The batch claimed the book for its official (nobody held it, or a claim had lapsed): on the audit log with the decisions. */
export interface BookClaimed {
  bookNumber: string;
  since: string;
  lapsedClaimOf?: string;
}

export interface DecideInput extends DecisionRequest {
  batchKey: string;
  agencyCode: string;
  workflowId: string;
  claimed?: BookClaimed;
}

/** A page of decisions over several books of the agency, under one batch key. */
export interface DecidePageInput {
  batchKey: string;
  agencyCode: string;
  workflowId: string;
  by: ReviewActor;
  books: Array<{ book: BookRef; items: DecisionItem[]; claimed?: BookClaimed }>;
}

interface RecordRow {
  id: string;
  state: RecordState;
  version: number;
  pages: string[];
}

/** What a batch decided on one book; the counts are read afresh whenever it is returned. */
type StoredBatch = Omit<DecisionResult, 'counts'>;
/** What a batch decided, kept under its key: on each of its books, and in all (`decided`, `refused`). Batches of one book written before pages were one batch are a StoredBatch alone. */
type StoredPage = { decided: number; refused: number; books: Array<StoredBatch & { book: BookRef }> };
const storedBooks = (r: StoredPage | (StoredBatch & { book?: undefined })) => ('books' in r ? r.books : [r]);

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

/** One book's decisions, in the page's transaction: the records moved and the decisions recorded; returns what it decided and the audit entries. */
async function decideBook(c: PoolClient, page: DecidePageInput, input: DecidePageInput['books'][number]): Promise<{ stored: StoredBatch; audit: AuditEntry[] }> {
  const { book, items } = input;
  const { by } = page;
  const found = await c.query<RecordRow>(
    `SELECT r.id, r.state, r.version,
            coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}') AS pages
       FROM records r
      WHERE r.id = ANY($1::bigint[]) AND r.agency_code = $2 AND r.register_type = $3 AND r.unit_code = $4 AND r.book_year = $5 AND r.book_key = $6
      ORDER BY r.id FOR UPDATE`,
    [items.map((i) => i.recordId), page.agencyCode, book.registerType, book.unitCode, book.bookYear, book.bookKey],
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
  const stored: StoredBatch = { batchKey: page.batchKey, decided, refused: outcomes.length - decided, outcomes };

  // One statement: the approved and rejected records moved, the decisions recorded under the batch's key.
  const written = await c.query<{ recorded: Array<{ id: number; record: number }> }>(
    `WITH m AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS m(id, version, kind, state, reason, comment, details)),
          moved AS (UPDATE records r SET state = m.state, updated_at = now() FROM m WHERE r.id = m.id AND m.kind <> 'correct'),
          recorded AS (INSERT INTO decisions (record_id, record_version, kind, reason_code, comment, details, actor, batch_key)
                       SELECT m.id, m.version, m.kind, m.reason, m.comment, m.details::jsonb, $8, $9 FROM m RETURNING id, record_id)
     SELECT (SELECT coalesce(json_agg(json_build_object('id', id, 'record', record_id)), '[]') FROM recorded) AS recorded`,
    [
      decisions.map((m) => m.id),
      decisions.map((m) => m.version),
      decisions.map((m) => m.kind),
      decisions.map((m) => m.state),
      decisions.map((m) => m.reason),
      decisions.map((m) => m.comment),
      decisions.map((m) => JSON.stringify(m.details)),
      by.username,
      page.batchKey,
    ],
  );
  const row = written.rows[0]!;
  const decisionOf = new Map(row.recorded.map((r) => [Number(r.record), Number(r.id)]));
  // Each decision names its record, its states and the decision row (reason, comment, the values corrected).
  const claim = input.claimed && bookClaimAudit({ action: 'book.claim', agencyCode: page.agencyCode, workflowId: page.workflowId, by, book: { ...book, bookNumber: input.claimed.bookNumber }, details: { since: input.claimed.since, ...(input.claimed.lapsedClaimOf ? { lapsedClaimOf: input.claimed.lapsedClaimOf } : {}) } });
  const audit = [...(claim ? [claim] : []), ...decisions.map((m): AuditEntry => ({
      agencyCode: page.agencyCode,
      actor: by.username,
      actorRole: by.role,
      action: RECORD_ACTIONS[m.kind].audit,
      subject: { kind: 'record', id: String(m.id) },
      recordId: m.id,
      workflowId: page.workflowId,
      stateBefore: m.before,
      stateAfter: m.state,
      details: {
        decisionId: decisionOf.get(m.id),
        batchKey: page.batchKey,
        version: m.version,
        ...(m.kind === 'approve' ? { pages: m.details.pages } : {}),
        ...(m.reason ? { reasonCode: m.reason } : {}),
        ...(m.kind === 'correct' ? { fields: Object.keys(m.details.changes as object) } : {}),
      },
    }))];
  return { stored, audit };
}

const bookId = (b: BookRef) => `${b.registerType}/${b.unitCode}/${b.bookYear}/${b.bookKey}`;

/** The books' counts as they are now, in the order of `books`. */
async function countsOf(db: Pool | PoolClient, agencyCode: string, books: readonly BookRef[]) {
  const counted = new Map((await countBooks(db, agencyCode, books)).map((b) => [bookId(b), b.counts]));
  return books.map((b) => counted.get(bookId(b)) ?? EMPTY_COUNTS);
}

/**
 * The page: recorded under its key first (an attempt that finds the key taken rolls back), then
 * each book decided, then the audit entries of all of them with the commit, so the province's
 * chain is taken once a page and held for the insert and the commit's flush only.
 */
async function applyPage(c: PoolClient, page: DecidePageInput): Promise<DecisionResult[]> {
  const batch = await c.query('INSERT INTO review_batches (batch_key, agency_code, actor, result) VALUES ($1, $2, $3, $4) ON CONFLICT (batch_key) DO NOTHING', [
    page.batchKey,
    page.agencyCode,
    page.by.username,
    '{}',
  ]);
  if (batch.rowCount === 0) throw new BatchDecidedBefore();
  const books: StoredPage['books'] = [];
  const audit: AuditEntry[] = [];
  for (const b of page.books) {
    const decided = await decideBook(c, page, b);
    books.push({ ...decided.stored, book: b.book });
    audit.push(...decided.audit);
  }
  const stored: StoredPage = { decided: books.reduce((n, b) => n + b.decided, 0), refused: books.reduce((n, b) => n + b.refused, 0), books };
  await c.query('UPDATE review_batches SET result = $2 WHERE batch_key = $1', [page.batchKey, JSON.stringify(stored)]);
  const counts = await countsOf(c, page.agencyCode, page.books.map((b) => b.book));
  await commitAction(c, { audit });
  return books.map(({ book: _book, ...b }, n) => ({ ...b, counts: counts[n]! }));
}

export function createReviewActivities({ pool }: { pool: Pool }) {
  const decidePage = async (page: DecidePageInput): Promise<DecisionResult[]> => {
    try {
      return await inTransaction(pool, (c) => applyPage(c, page));
    } catch (e) {
      if (!(e instanceof BatchDecidedBefore)) throw e;
      // An earlier attempt decided this batch: what it decided stands, with the books' counts as they are now.
      const done = await pool.query<{ result: StoredPage | StoredBatch }>('SELECT result FROM review_batches WHERE batch_key = $1', [page.batchKey]);
      const books = storedBooks(done.rows[0]!.result);
      const counts = await countsOf(pool, page.agencyCode, page.books.map((b) => b.book));
      return books.map(({ book: _book, ...b }, n) => ({ ...b, counts: counts[n]! }));
    }
  };
  return {
    /** A page of decisions on one book. */
    async decideRecords({ book, items, claimed, ...page }: DecideInput): Promise<DecisionResult> {
      return (await decidePage({ ...page, books: [{ book, items, ...(claimed ? { claimed } : {}) }] }))[0]!;
    },

    decidePage,

    /** The agency's books with their counts, after imports changed them. */
    async agencyBooks(input: { agencyCode: string }) {
      return countBooks(pool, input.agencyCode);
    },
  };
}
export type ReviewActivities = ReturnType<typeof createReviewActivities>;

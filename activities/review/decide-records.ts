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
import {
  ReviewApprovalWithoutScan,
  ReviewPagesChanged,
  ReviewRecordApproved,
  ReviewRecordNotFound,
  ReviewRecordTransferred,
} from '../../domain/review/review-errors';
import { applyCorrection } from '../../domain/review/review-rules';
import { EMPTY_COUNTS, type DecisionItem, type DecisionOutcome, type DecisionRequest, type DecisionResult } from '../../domain/review/review-types';
import { countBooks } from './book-counts';

export interface DecideInput extends DecisionRequest {
  batchKey: string;
  agencyCode: string;
  workflowId: string;
}

interface RecordRow {
  id: string;
  state: string;
  version: number;
  data: RecordValues;
  corrected: boolean;
  pages: string[];
}

const refused = (item: DecisionItem, e: AppError): DecisionOutcome => ({ recordId: item.recordId, kind: item.kind, outcome: 'refused', code: e.code, messageVi: e.messageVi });

/** The values as last imported: the record's own, unless an official has corrected it since. */
async function importedValues(c: PoolClient, rec: RecordRow): Promise<RecordValues> {
  if (!rec.corrected) return rec.data;
  const r = await c.query<{ data: RecordValues }>('SELECT data FROM record_versions WHERE record_id = $1 AND NOT corrected ORDER BY version DESC LIMIT 1', [rec.id]);
  return r.rows[0]?.data ?? rec.data;
}

async function applyBatch(c: PoolClient, input: DecideInput): Promise<DecisionResult> {
  const { book, items, by } = input;
  const found = await c.query<RecordRow>(
    `SELECT r.id, r.state, r.version, r.data, r.corrected,
            coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}') AS pages
       FROM records r
      WHERE r.id = ANY($1::bigint[]) AND r.agency_code = $2 AND r.register_type = $3 AND r.unit_code = $4 AND r.book_year = $5 AND r.book_key = $6
      ORDER BY r.id FOR UPDATE`,
    [items.map((i) => i.recordId), input.agencyCode, book.registerType, book.unitCode, book.bookYear, book.bookKey],
  );
  const records = new Map(found.rows.map((r) => [Number(r.id), r]));
  const outcomes: DecisionOutcome[] = [];
  // Approvals and rejections are written set-based; corrections (rare, per field) one by one.
  const moves: Array<{ id: number; version: number; kind: 'approve' | 'reject'; state: string; reason: string | null; comment: string; details: string }> = [];

  for (const item of items) {
    const rec = records.get(item.recordId);
    if (!rec) {
      outcomes.push(refused(item, ReviewRecordNotFound({ recordId: item.recordId })));
      continue;
    }
    if (rec.state === 'transferred') {
      outcomes.push(refused(item, ReviewRecordTransferred({ recordId: item.recordId })));
      continue;
    }
    if (rec.state === 'approved') {
      outcomes.push(refused(item, ReviewRecordApproved({ recordId: item.recordId })));
      continue;
    }
    switch (item.kind) {
      case 'approve': {
        if (rec.pages.length === 0) outcomes.push(refused(item, ReviewApprovalWithoutScan({ recordId: item.recordId })));
        else if (rec.pages.join() !== item.pages.join()) outcomes.push(refused(item, ReviewPagesChanged({ recordId: item.recordId })));
        else moves.push({ id: item.recordId, version: rec.version, kind: 'approve', state: 'approved', reason: null, comment: '', details: JSON.stringify({ pages: rec.pages }) });
        break;
      }
      case 'reject':
        moves.push({ id: item.recordId, version: rec.version, kind: 'reject', state: 'rejected', reason: item.reasonCode, comment: item.comment?.trim() ?? '', details: '{}' });
        break;
      case 'correct': {
        const applied = applyCorrection(book.registerType as RegisterTypeCode, item.recordId, rec.data, await importedValues(c, rec), item.fields);
        if ('error' in applied) {
          outcomes.push(refused(item, applied.error));
          break;
        }
        await c.query('INSERT INTO record_versions (record_id, version, data, data_sha256, import_id, corrected) SELECT id, version, data, data_sha256, import_id, corrected FROM records WHERE id = $1', [item.recordId]);
        // The imported hash stays: importing the same row again leaves the correction in place.
        await c.query(`UPDATE records SET data = $2, search_text = $3, version = version + 1, corrected = true, state = 'imported', updated_at = now() WHERE id = $1`, [
          item.recordId,
          JSON.stringify(applied.values),
          recordSearchText(applied.values),
        ]);
        await c.query(
          `INSERT INTO decisions (record_id, record_version, kind, reason_code, comment, details, actor, batch_key) VALUES ($1, $2, 'correct', $3, $4, $5, $6, $7)`,
          [item.recordId, rec.version + 1, item.reasonCode, item.comment?.trim() ?? '', JSON.stringify({ changes: applied.changes }), by.username, input.batchKey],
        );
        outcomes.push({ recordId: item.recordId, kind: 'correct', outcome: 'decided', state: 'imported', version: rec.version + 1 });
        break;
      }
    }
  }

  if (moves.length > 0) {
    // One statement: the records move and their decisions are recorded together.
    await c.query(
      `WITH m AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS m(id, version, kind, state, reason, comment, details)),
            moved AS (UPDATE records r SET state = m.state, updated_at = now() FROM m WHERE r.id = m.id)
       INSERT INTO decisions (record_id, record_version, kind, reason_code, comment, details, actor, batch_key)
       SELECT m.id, m.version, m.kind, m.reason, m.comment, m.details::jsonb, $8, $9 FROM m`,
      [
        moves.map((m) => m.id),
        moves.map((m) => m.version),
        moves.map((m) => m.kind),
        moves.map((m) => m.state),
        moves.map((m) => m.reason),
        moves.map((m) => m.comment),
        moves.map((m) => m.details),
        by.username,
        input.batchKey,
      ],
    );
    for (const m of moves) outcomes.push({ recordId: m.id, kind: m.kind, outcome: 'decided', state: m.state, version: m.version });
  }
  // Outcomes in the order the official sent the decisions.
  const order = new Map(items.map((i, n) => [i.recordId, n]));
  outcomes.sort((a, b) => order.get(a.recordId)! - order.get(b.recordId)!);
  const [counted] = await countBooks(c, input.agencyCode, [book]);
  const decided = outcomes.filter((o) => o.outcome === 'decided').length;
  return { batchKey: input.batchKey, decided, refused: outcomes.length - decided, outcomes, counts: counted?.counts ?? EMPTY_COUNTS };
}

export function createReviewActivities({ pool }: { pool: Pool }) {
  return {
    async decideRecords(input: DecideInput): Promise<DecisionResult> {
      return inTransaction(pool, async (c) => {
        const fresh = await c.query(`INSERT INTO review_batches (batch_key, agency_code, actor, result) VALUES ($1, $2, $3, 'null') ON CONFLICT (batch_key) DO NOTHING`, [
          input.batchKey,
          input.agencyCode,
          input.by.username,
        ]);
        if (fresh.rowCount === 0) {
          const done = await c.query<{ result: DecisionResult }>('SELECT result FROM review_batches WHERE batch_key = $1', [input.batchKey]);
          return done.rows[0]!.result;
        }
        const result = await applyBatch(c, input);
        await c.query('UPDATE review_batches SET result = $2 WHERE batch_key = $1', [input.batchKey, JSON.stringify(result)]);
        return result;
      });
    },

    /** The agency's books with their counts, after imports changed them. */
    async agencyBooks(input: { agencyCode: string }) {
      return countBooks(pool, input.agencyCode);
    },
  };
}
export type ReviewActivities = ReturnType<typeof createReviewActivities>;

/**
 * Step 4, transfer: approved records of an agency go to CSDLHTĐT in batches, exactly once.
 * A batch's records are fixed when it is made (so a retry sends the same ones); each record is
 * sent under its idempotency key; the receipts and the records' new state are written in one
 * transaction after the target answers. A worker lost between the target's commit and ours
 * sends the batch again and gets the first receipts back: no second copy, no lost record.
 */
import { Context, log } from '@temporalio/activity';
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import { RECORD_ACTIONS, startStates, type RecordState } from '../../domain/records/life-cycle';
import { isAppError } from '../../domain/errors';
import { TRANSFER_REJECTED_REASON, type BookRef, type TransferBatchResult } from '../../domain/review/review-types';
import { recordAction } from '../audit/record-action';
import { countBooks } from '../review/book-counts';
import type { TransferRecord, TransferTarget } from './transfer-target';

export interface TransferInput {
  batchKey: string;
  agencyCode: string;
  workflowId: string;
  limit: number;
}

/**
 * The state a batch takes records from (approved), the one a transfer starts from in the life
 * cycle; written into the SQL as a literal, so that the partial index records_approved serves it.
 */
const [TRANSFERABLE] = startStates('transfer') as [RecordState];

/** The key the target knows a record by: the record's id never changes, and a transferred record never changes again. */
export const idempotencyKeyOf = (recordId: number) => `hotich:${recordId}`;

interface BatchRow {
  id: string;
  status: 'sending' | 'done';
  records: number;
  accepted: number;
  rejected: number;
}

interface ItemRow {
  id: string;
  state: string;
  unit_code: string;
  register_type: string;
  book_year: number;
  book_key: string;
  book_number: string;
  registration_number: string;
  data_json: string;
  pages: string[];
  approved_by: string | null;
}

export function createTransferActivities({ pool, target }: { pool: Pool; target: TransferTarget }) {
  /** The batch under this key, made now from the agency's waiting approved records if it is new. */
  const openBatch = (input: TransferInput) =>
    inTransaction(pool, async (c) => {
      const known = await c.query<BatchRow>('SELECT id, status, records, accepted, rejected FROM transfer_batches WHERE batch_key = $1', [input.batchKey]);
      if (known.rows[0]) return known.rows[0];
      // Batches of one agency are made one at a time: a batch made meanwhile must be visible to the
      // query below, which a row lock alone does not ensure (the rows it locked are not changed).
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('transfer:' || $1))`, [input.agencyCode]);
      // Records of a batch another attempt left unfinished are that batch's, not this one's.
      const made = await c.query<BatchRow>(
        `WITH busy AS (SELECT unnest(record_ids) AS id FROM transfer_batches WHERE agency_code = $2 AND status = 'sending'),
              waiting AS (
                SELECT r.id FROM records r
                 WHERE r.agency_code = $2 AND r.state = '${TRANSFERABLE}' AND NOT EXISTS (SELECT 1 FROM busy WHERE busy.id = r.id)
                 ORDER BY r.id LIMIT $4)
         INSERT INTO transfer_batches (batch_key, agency_code, workflow_id, records, record_ids)
         SELECT $1, $2, $3, count(*), array_agg(id ORDER BY id) FROM waiting HAVING count(*) > 0
         RETURNING id, status, records, accepted, rejected`,
        [input.batchKey, input.agencyCode, input.workflowId, input.limit],
      );
      return made.rows[0];
    });

  const itemsOf = async (batchId: string) =>
    (
      await pool.query<ItemRow>(
        `SELECT r.id, r.state, r.unit_code, r.register_type, r.book_year, r.book_key, r.book_number, r.registration_number, r.data::text AS data_json,
                coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}') AS pages,
                (SELECT d.actor FROM decisions d WHERE d.record_id = r.id AND d.kind = 'approve' ORDER BY d.id DESC LIMIT 1) AS approved_by
           FROM transfer_batches b CROSS JOIN LATERAL unnest(b.record_ids) AS i(id) JOIN records r ON r.id = i.id
          WHERE b.id = $1 ORDER BY r.id`,
        [batchId],
      )
    ).rows;

  const bookOf = (r: ItemRow): BookRef => ({ registerType: r.register_type as BookRef['registerType'], unitCode: r.unit_code, bookYear: r.book_year, bookKey: r.book_key });

  return {
    /** One batch of the agency's approved records to CSDLHTĐT; undefined when none is waiting. */
    async transferApproved(input: TransferInput): Promise<TransferBatchResult | undefined> {
      const batch = await openBatch(input);
      if (!batch) return undefined;
      const items = await itemsOf(batch.id);
      const books = [...new Map(items.map((r) => [`${r.register_type}/${r.unit_code}/${r.book_year}/${r.book_key}`, bookOf(r)])).values()];
      if (batch.status === 'done') {
        return { batchKey: input.batchKey, records: batch.records, accepted: batch.accepted, rejected: batch.rejected, books: await countBooks(pool, input.agencyCode, books) };
      }
      // Approved records cannot change (decisions refuse them), so this keeps every item; it is the rule, said once more.
      const sendable = items.filter((r) => r.state === TRANSFERABLE);
      const records: TransferRecord[] = sendable.map((r) => ({
        idempotencyKey: idempotencyKeyOf(Number(r.id)),
        agencyCode: input.agencyCode,
        unitCode: r.unit_code,
        registerType: r.register_type,
        bookYear: r.book_year,
        bookNumber: r.book_number,
        registrationNumber: r.registration_number,
        dataJson: r.data_json,
        pages: r.pages,
        approvedBy: r.approved_by ?? '',
      }));
      Context.current().heartbeat({ batchKey: input.batchKey, records: records.length });
      let outcomes;
      try {
        outcomes = await target.send(input.batchKey, records);
      } catch (e) {
        const error = isAppError(e) ? { code: e.code, messageVi: e.messageVi } : { code: 'TRANSFER_TARGET_FAILED', messageVi: 'CSDLHTĐT chưa nhận được lô hồ sơ; hệ thống sẽ tự gửi lại.' };
        await pool.query('UPDATE transfer_batches SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [batch.id, JSON.stringify({ ...error, at: new Date().toISOString(), detail: (e as Error).message })]);
        log.warn('transfer batch failed, will retry', { batchKey: input.batchKey, target: target.name, code: error.code });
        throw e;
      }
      const byKey = new Map(outcomes.map((o) => [o.idempotencyKey, o]));
      const accepted: Array<{ id: number; targetId: string; receivedAt: string }> = [];
      const rejected: Array<{ id: number; code: string; reason: string }> = [];
      for (const r of sendable) {
        const o = byKey.get(idempotencyKeyOf(Number(r.id)));
        if (o?.status === 'accepted') accepted.push({ id: Number(r.id), targetId: o.targetId, receivedAt: o.receivedAt });
        else if (o?.status === 'rejected') rejected.push({ id: Number(r.id), code: o.code, reason: o.reasonVi });
      }
      const { result: finished } = await recordAction(pool, async (c) => {
        // First, so that of two attempts alive at once (one lost to a heartbeat timeout) only one writes the bookkeeping.
        const claimed = await c.query(`UPDATE transfer_batches SET status = 'done', accepted = $2, rejected = $3, attempts = attempts + 1, finished_at = now() WHERE id = $1 AND status = 'sending'`, [
          batch.id,
          accepted.length,
          rejected.length,
        ]);
        if (claimed.rowCount === 0) return { result: false, audit: [] };
        // The receipt goes on the record with its new state: a transferred record without one is refused by the table.
        await c.query(
          `UPDATE records r SET state = $5, transfer_batch_id = $4, target_id = x.target_id, target_received_at = x.received_at, updated_at = now()
             FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS x(id, target_id, received_at)
            WHERE r.id = x.id AND r.state = $6`,
          [accepted.map((a) => a.id), accepted.map((a) => a.targetId), accepted.map((a) => a.receivedAt), batch.id, RECORD_ACTIONS.transfer.to, TRANSFERABLE],
        );
        // Refused by the target: back to review, with the target's reason as a decision auditors can read.
        await c.query(`UPDATE records SET state = $2, updated_at = now() WHERE id = ANY($1::bigint[]) AND state = ANY($3::text[])`, [
          rejected.map((r) => r.id),
          RECORD_ACTIONS.targetRefusal.to,
          startStates('targetRefusal'),
        ]);
        await c.query(
          `INSERT INTO decisions (record_id, record_version, kind, reason_code, comment, details, actor)
           SELECT r.id, r.version, 'transfer_rejected', $2, x.reason, jsonb_build_object('targetCode', x.code, 'batchKey', $3::text), $4
             FROM unnest($1::bigint[], $5::text[], $6::text[]) AS x(id, code, reason) JOIN records r ON r.id = x.id`,
          [rejected.map((r) => r.id), TRANSFER_REJECTED_REASON, input.batchKey, target.name, rejected.map((r) => r.code), rejected.map((r) => r.reason)],
        );
        const where = { agencyCode: input.agencyCode, workflowId: input.workflowId } as const;
        return {
          result: true,
          audit: [
            // One entry for the batch, naming its records: a batch moves a thousand records at once.
            {
              ...where,
              actor: 'system',
              actorRole: 'system',
              action: RECORD_ACTIONS.transfer.audit,
              subject: { kind: 'batch', id: input.batchKey },
              stateBefore: TRANSFERABLE,
              stateAfter: RECORD_ACTIONS.transfer.to,
              details: { target: target.name, records: sendable.length, accepted: accepted.length, rejected: rejected.length, recordIds: accepted.map((a) => a.id) },
              key: `transfer.batch:${input.batchKey}`,
            },
            ...rejected.map((r) => ({
              ...where,
              actor: target.name,
              actorRole: 'target' as const,
              action: RECORD_ACTIONS.targetRefusal.audit,
              subject: { kind: 'record' as const, id: String(r.id) },
              recordId: r.id,
              stateBefore: TRANSFERABLE,
              stateAfter: RECORD_ACTIONS.targetRefusal.to,
              details: { batchKey: input.batchKey, targetCode: r.code },
            })),
          ],
        };
      });
      if (!finished) log.info('transfer batch finished by another attempt', { batchKey: input.batchKey });
      log.info('transfer batch done', { batchKey: input.batchKey, accepted: accepted.length, rejected: rejected.length });
      return { batchKey: input.batchKey, records: sendable.length, accepted: accepted.length, rejected: rejected.length, books: await countBooks(pool, input.agencyCode, books) };
    },
  };
}
export type TransferActivities = ReturnType<typeof createTransferActivities>;

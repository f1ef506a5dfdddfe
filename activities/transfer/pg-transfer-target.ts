/**
 * Our CSDLHTĐT: the `csdlhtdt` schema, written only here. One statement inserts the batch;
 * a key already there keeps its first row (the receipt is read back), and an entry the target
 * already holds under another key is refused, as the national database refuses a duplicate.
 */
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import type { TransferOutcome, TransferRecord, TransferTarget } from './transfer-target';

interface Stored {
  idempotency_key: string;
  target_id: string;
  received_at: Date;
}

export function createPgTransferTarget(pool: Pool): TransferTarget {
  return {
    name: 'postgresql:csdlhtdt',
    async send(batchKey, records) {
      if (records.length === 0) return [];
      return inTransaction(pool, async (c) => {
        // Built as text: the values arrive as JSON text and go into the statement unparsed.
        const rows = `[${records
          .map((r) => {
            const head = JSON.stringify({
              idempotency_key: r.idempotencyKey,
              agency_code: r.agencyCode,
              unit_code: r.unitCode,
              register_type: r.registerType,
              book_year: r.bookYear,
              book_number: r.bookNumber,
              registration_number: r.registrationNumber,
              pages: r.pages,
              approved_by: r.approvedBy,
            });
            return `${head.slice(0, -1)},"data":${r.dataJson}}`;
          })
          .join(',')}]`;
        const inserted = await c.query<Stored>(
          `INSERT INTO csdlhtdt.civil_status_records (idempotency_key, agency_code, unit_code, register_type, book_year, book_number, registration_number, data, pages, approved_by, batch_key)
           SELECT x.idempotency_key, x.agency_code, x.unit_code, x.register_type, x.book_year, x.book_number, x.registration_number, x.data,
                  ARRAY(SELECT jsonb_array_elements_text(x.pages)), x.approved_by, $2
             FROM jsonb_to_recordset($1::jsonb) AS x(idempotency_key text, agency_code text, unit_code text, register_type text, book_year int,
                                                     book_number text, registration_number text, data jsonb, pages jsonb, approved_by text)
           ON CONFLICT DO NOTHING
           RETURNING idempotency_key, target_id::text, received_at`,
          [rows, batchKey],
        );
        // Keys not inserted now: received by an earlier attempt (their receipt is read back), or refused as duplicates.
        const insertedKeys = new Set(inserted.rows.map((s) => s.idempotency_key));
        const others = records.filter((r) => !insertedKeys.has(r.idempotencyKey)).map((r) => r.idempotencyKey);
        const earlier =
          others.length === 0
            ? []
            : (await c.query<Stored>(`SELECT idempotency_key, target_id::text, received_at FROM csdlhtdt.civil_status_records WHERE idempotency_key = ANY($1::text[])`, [others])).rows;
        const byKey = new Map([...inserted.rows, ...earlier].map((s) => [s.idempotency_key, s]));
        return records.map((r): TransferOutcome => {
          const s = byKey.get(r.idempotencyKey);
          if (s) return { idempotencyKey: r.idempotencyKey, status: 'accepted', targetId: s.target_id, receivedAt: s.received_at.toISOString() };
          return {
            idempotencyKey: r.idempotencyKey,
            status: 'rejected',
            code: 'TARGET_DUPLICATE_ENTRY',
            reasonVi: `CSDLHTĐT đã có một bản ghi khác cho số đăng ký ${r.registrationNumber}, quyển số ${r.bookNumber} năm ${r.bookYear} của đơn vị ${r.unitCode}.`,
          };
        });
      });
    },
  };
}

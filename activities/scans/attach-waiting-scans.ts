import type { PoolClient } from 'pg';

/**
 * Scanned pages that arrived before their record wait in unmatched_scans; once the record is
 * imported they are attached, in the import's own transaction. Returns how many were attached.
 */
export async function attachWaitingScans(client: PoolClient, agencyCode: string): Promise<number> {
  const r = await client.query(
    `WITH arrived AS (
       DELETE FROM unmatched_scans u USING records r
        WHERE u.agency_code = $1 AND r.agency_code = u.agency_code AND r.register_type = u.register_type
          AND r.book_year = u.book_year AND r.book_key = u.book_key AND r.number_key = u.number_key
       RETURNING r.id AS record_id, u.page, u.sha256, u.entry_name, u.import_id)
     INSERT INTO attachments (record_id, page, sha256, import_id, entry_name)
     SELECT record_id, page, sha256, import_id, entry_name FROM arrived
     ON CONFLICT (record_id, page) DO NOTHING`,
    [agencyCode],
  );
  return r.rowCount ?? 0;
}

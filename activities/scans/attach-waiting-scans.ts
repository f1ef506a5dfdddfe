import type { PoolClient } from 'pg';

/**
 * Scan imports and Excel imports of one agency take this lock before matching pages with
 * records, so neither misses the other: a page that found no record waits in unmatched_scans
 * only once the import that could have created its record has committed or not yet matched,
 * and the later of the two sees the earlier's rows (READ COMMITTED reads them after the lock).
 */
export async function lockAgencyScans(client: PoolClient, agencyCode: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('scans:' || $1))`, [agencyCode]);
}

/**
 * Scanned pages that arrived before their record wait in unmatched_scans; the Excel import
 * calls this in its own transaction, after writing its records, to attach those whose record
 * it has just inserted or updated (records.import_id = importId). The attachment keeps the
 * scan's own import and entry name, which say where the file came from. A waiting page whose
 * record already has another file on that page stays waiting, listed, rather than being lost.
 * Returns how many pages were attached.
 */
export async function attachWaitingScans(client: PoolClient, agencyCode: string, importId: number): Promise<number> {
  await lockAgencyScans(client, agencyCode);
  const r = await client.query<{ attached: number }>(
    `WITH arrived AS (
       SELECT u.agency_code, u.unit_code, u.register_type, u.book_year, u.book_key, u.number_key, u.page, u.sha256, u.entry_name, u.import_id, r.id AS record_id
         FROM unmatched_scans u
         JOIN records r ON r.agency_code = u.agency_code AND (u.unit_code = '' OR r.unit_code = u.unit_code) AND r.register_type = u.register_type
                       AND r.book_year = u.book_year AND r.book_key = u.book_key AND r.number_key = u.number_key
        WHERE u.agency_code = $1 AND r.import_id = $2
          AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id AND a.page = u.page)
          -- A page of no named unit waits while its name fits records of several former units.
          AND (u.unit_code <> '' OR NOT EXISTS (SELECT 1 FROM records o WHERE o.agency_code = u.agency_code AND o.id <> r.id AND o.register_type = u.register_type
                                               AND o.book_year = u.book_year AND o.book_key = u.book_key AND o.number_key = u.number_key))
     ), attached AS (
       INSERT INTO attachments (record_id, page, sha256, import_id, entry_name)
       SELECT record_id, page, sha256, import_id, entry_name FROM arrived
       RETURNING 1
     ), removed AS (
       DELETE FROM unmatched_scans u USING arrived a
        WHERE u.agency_code = a.agency_code AND u.unit_code = a.unit_code AND u.register_type = a.register_type AND u.book_year = a.book_year
          AND u.book_key = a.book_key AND u.number_key = a.number_key AND u.page = a.page
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM attached)::int AS attached, (SELECT count(*) FROM removed)::int AS removed`,
    [agencyCode, importId],
  );
  return r.rows[0]!.attached;
}

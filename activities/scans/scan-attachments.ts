/**
 * The database half of a scan import, set-based in the import's one transaction: the pages of
 * a zip are staged in a temporary table, registered as files of the agency, matched with the
 * agency's records by the naming rule's keys, and each gets one outcome. Pages of records
 * already approved or transferred are never changed by a re-import: the approval was given
 * against the page the official saw. A rejected record given a new page goes back to review.
 */
import type { PoolClient } from 'pg';
import { RECORD_ACTIONS, startStates, type RecordState } from '../../domain/records/life-cycle';
import type { BookMissingPages } from '../../domain/scans/scan-import';

/** Pages change only on records a page may be attached to; a record that gets a new one goes (back) to review. */
const ATTACHABLE = startStates('attachPage');
const WITH_NEW_PAGE: RecordState = RECORD_ACTIONS.attachPage.to;

export interface ScanPage {
  entryName: string;
  registerType: string;
  bookYear: number;
  bookKey: string;
  numberKey: string;
  page: number;
  sha256: string;
  size: number;
}

export type PageOutcome = 'attached' | 'already' | 'replaced' | 'unmatched' | 'locked' | 'ambiguous';

export interface AttachTarget {
  agencyCode: string;
  /** The former unit the zip is of, when the official said; '' otherwise. */
  unitCode: string;
  provinceCode: string;
  importId: number;
}

export interface Attached {
  /** The outcome of each page, in the order given. */
  outcomes: PageOutcome[];
  /** Records whose state a new page changed (a rejected record reopened for review). */
  reopened: Array<{ recordId: number; before: RecordState; after: RecordState }>;
}

export async function attachScanPages(c: PoolClient, target: AttachTarget, pages: readonly ScanPage[]): Promise<Attached> {
  const { agencyCode, unitCode, provinceCode, importId } = target;
  await c.query(`CREATE TEMP TABLE scan_pages (
      ord int PRIMARY KEY, entry_name text, register_type text, book_year int, book_key text, number_key text, page int,
      sha256 text, size_bytes bigint, candidates int NOT NULL DEFAULT 0, record_id bigint, record_state text, old_sha256 text, outcome text
    ) ON COMMIT DROP`);
  await c.query(
    `INSERT INTO scan_pages (ord, entry_name, register_type, book_year, book_key, number_key, page, sha256, size_bytes)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[], $8::text[], $9::bigint[])`,
    [
      pages.map((_, i) => i),
      pages.map((p) => p.entryName),
      pages.map((p) => p.registerType),
      pages.map((p) => p.bookYear),
      pages.map((p) => p.bookKey),
      pages.map((p) => p.numberKey),
      pages.map((p) => p.page),
      pages.map((p) => p.sha256),
      pages.map((p) => p.size),
    ],
  );
  await c.query(`INSERT INTO files (sha256, size_bytes, media_type) SELECT DISTINCT sha256, size_bytes, 'application/pdf' FROM scan_pages ON CONFLICT (sha256) DO NOTHING`);
  await c.query(
    `INSERT INTO file_owners (sha256, province_code, agency_code, original_name) SELECT DISTINCT sha256, $2, $1, entry_name FROM scan_pages ON CONFLICT DO NOTHING`,
    [agencyCode, provinceCode],
  );
  // An agency formed by merging communes holds a "Quyển số 01/2010" of each: a name that fits
  // records of several former units is not attached anywhere until the official names the unit.
  await c.query(
    `UPDATE scan_pages p SET candidates = m.n, record_id = CASE WHEN m.n = 1 THEN m.id END, record_state = CASE WHEN m.n = 1 THEN m.state END
       FROM (SELECT p2.ord, count(*) AS n, min(r.id) AS id, min(r.state) AS state
               FROM scan_pages p2 JOIN records r
                 ON r.agency_code = $1 AND ($2 = '' OR r.unit_code = $2) AND r.register_type = p2.register_type
                AND r.book_year = p2.book_year AND r.book_key = p2.book_key AND r.number_key = p2.number_key
              GROUP BY p2.ord) m
      WHERE m.ord = p.ord`,
    [agencyCode, unitCode],
  );
  await c.query(`UPDATE scan_pages p SET old_sha256 = a.sha256 FROM attachments a WHERE a.record_id = p.record_id AND a.page = p.page`);
  await c.query(
    `UPDATE scan_pages SET outcome = CASE
      WHEN candidates > 1 THEN 'ambiguous'
      WHEN record_id IS NULL THEN 'unmatched'
      WHEN old_sha256 = sha256 THEN 'already'
      WHEN NOT record_state = ANY($1::text[]) THEN 'locked'
      WHEN old_sha256 IS NULL THEN 'attached'
      ELSE 'replaced' END`,
    [ATTACHABLE],
  );
  // The history row is the page as it was (file, entry name, when attached) and the import that replaced it.
  await c.query(
    `INSERT INTO attachment_history (record_id, page, sha256, replaced_by, import_id, entry_name, attached_at)
     SELECT a.record_id, a.page, a.sha256, p.sha256, $1, a.entry_name, a.attached_at
       FROM scan_pages p JOIN attachments a ON a.record_id = p.record_id AND a.page = p.page WHERE p.outcome = 'replaced'`,
    [importId],
  );
  await c.query(
    `UPDATE attachments a SET sha256 = p.sha256, import_id = $1, entry_name = p.entry_name, attached_at = now()
       FROM scan_pages p WHERE p.outcome = 'replaced' AND a.record_id = p.record_id AND a.page = p.page`,
    [importId],
  );
  await c.query(
    `INSERT INTO attachments (record_id, page, sha256, import_id, entry_name)
     SELECT record_id, page, sha256, $1, entry_name FROM scan_pages WHERE outcome = 'attached'`,
    [importId],
  );
  await c.query(
    `INSERT INTO unmatched_scans (agency_code, unit_code, register_type, book_year, book_key, number_key, page, sha256, entry_name, import_id)
     SELECT $1, $3, register_type, book_year, book_key, number_key, page, sha256, entry_name, $2 FROM scan_pages WHERE outcome = 'unmatched'
     ON CONFLICT (agency_code, unit_code, register_type, book_year, book_key, number_key, page)
     DO UPDATE SET sha256 = EXCLUDED.sha256, entry_name = EXCLUDED.entry_name, import_id = EXCLUDED.import_id, created_at = now()`,
    [agencyCode, importId, unitCode],
  );
  const reopened = await c.query<{ id: string; before: RecordState }>(
    `UPDATE records r SET state = $1, updated_at = now()
       FROM (SELECT DISTINCT record_id, record_state FROM scan_pages WHERE outcome IN ('attached', 'replaced') AND record_state <> $1) p
      WHERE r.id = p.record_id
     RETURNING r.id, p.record_state AS before`,
    [WITH_NEW_PAGE],
  );
  const r = await c.query<{ outcome: PageOutcome }>(`SELECT outcome FROM scan_pages ORDER BY ord`);
  return {
    outcomes: r.rows.map((row) => row.outcome),
    reopened: reopened.rows.map((row) => ({ recordId: Number(row.id), before: row.before, after: WITH_NEW_PAGE })).sort((a, b) => a.recordId - b.recordId),
  };
}

/**
 * Records that still have no page, in the books staged by attachScanPages (same transaction)
 * and in the books that rejected entries name: a zip whose only file for a book was refused
 * still tells which of the book's records lack a page.
 */
export async function missingPagesOf(
  c: PoolClient,
  target: { agencyCode: string; unitCode: string },
  namedBooks: ReadonlyArray<{ registerType: string; bookYear: number; bookKey: string }> = [],
): Promise<BookMissingPages[]> {
  const r = await c.query<{ unit_code: string; register_type: string; book_year: number; book_key: string; registration_number: string }>(
    `SELECT r.unit_code, r.register_type, r.book_year, r.book_key, r.registration_number
       FROM records r
       JOIN (SELECT register_type, book_year, book_key FROM scan_pages
             UNION SELECT * FROM unnest($2::text[], $3::int[], $4::text[])) b
         ON b.register_type = r.register_type AND b.book_year = r.book_year AND b.book_key = r.book_key
      WHERE r.agency_code = $1 AND ($5 = '' OR r.unit_code = $5) AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`,
    [target.agencyCode, namedBooks.map((b) => b.registerType), namedBooks.map((b) => b.bookYear), namedBooks.map((b) => b.bookKey), target.unitCode],
  );
  const register = new Intl.Collator('vi', { numeric: true });
  const books = new Map<string, BookMissingPages>();
  for (const row of r.rows) {
    const key = `${row.unit_code}.${row.register_type}.${row.book_year}.${row.book_key}`;
    const book = books.get(key) ?? { unitCode: row.unit_code, registerType: row.register_type, bookYear: row.book_year, book: row.book_key, registrationNumbers: [] };
    book.registrationNumbers.push(row.registration_number);
    books.set(key, book);
  }
  const sorted = [...books.values()].sort((a, b) => register.compare(`${a.registerType}.${a.bookYear}.${a.book}`, `${b.registerType}.${b.bookYear}.${b.book}`));
  for (const b of sorted) b.registrationNumbers.sort(register.compare);
  return sorted;
}

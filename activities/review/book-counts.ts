/** Where the records of an agency's books stand, counted in PostgreSQL (the workflow keeps only these numbers). */
import type { Pool, PoolClient } from 'pg';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { RECORD_STATES, startStates, type RecordState, type StateCounts } from '../../domain/records/life-cycle';
import type { BookCounts, BookRef } from '../../domain/review/review-types';

type CountRow = { register_type: RegisterTypeCode; unit_code: string; book_year: number; book_key: string; book_number: string; records: string; awaiting_scan: string } & Record<RecordState, string>;

// One count per state of the life cycle (the states are our own constants, not input); awaiting a scan: records an approval could start from, with no page.
const COUNTS = `
  SELECT r.register_type, r.unit_code, r.book_year, r.book_key, min(r.book_number) AS book_number, count(*) AS records,
         ${RECORD_STATES.map((s) => `count(*) FILTER (WHERE r.state = '${s}') AS ${s},`).join('\n         ')}
         count(*) FILTER (WHERE r.state IN (${startStates('approve').map((s) => `'${s}'`).join(', ')}) AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)) AS awaiting_scan
    FROM records r`;

const toCounts = (r: CountRow): BookCounts => ({
  records: Number(r.records),
  ...(Object.fromEntries(RECORD_STATES.map((s) => [s, Number(r[s])])) as StateCounts),
  awaitingScan: Number(r.awaiting_scan),
});

export type CountedBook = BookRef & { bookNumber: string; counts: BookCounts };

/** Every book of the agency (or only the given ones) with its counts. */
export async function countBooks(db: Pool | PoolClient, agencyCode: string, only?: readonly BookRef[]): Promise<CountedBook[]> {
  const filter = only
    ? `AND (r.register_type, r.unit_code, r.book_year, r.book_key) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[]))`
    : '';
  const params: unknown[] = [agencyCode];
  if (only) params.push(only.map((b) => b.registerType), only.map((b) => b.unitCode), only.map((b) => b.bookYear), only.map((b) => b.bookKey));
  const r = await db.query<CountRow>(`${COUNTS} WHERE r.agency_code = $1 ${filter} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, params);
  return r.rows.map((row) => ({ registerType: row.register_type, unitCode: row.unit_code, bookYear: row.book_year, bookKey: row.book_key, bookNumber: row.book_number, counts: toCounts(row) }));
}

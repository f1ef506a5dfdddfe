import type { Pool } from 'pg';

export interface RecordSummary {
  id: number;
  agencyCode: string;
  provinceCode: string;
  registerType: string;
  bookYear: number;
  bookNumber: string;
  registrationNumber: string;
  state: string;
  version: number;
}

export interface RecordDetail extends RecordSummary {
  data: Record<string, unknown>;
  pages: Array<{ page: number; sha256: string }>;
}

interface Row {
  id: string;
  agency_code: string;
  province_code: string;
  register_type: string;
  book_year: number;
  book_number: string;
  registration_number: string;
  state: string;
  version: number;
  data?: Record<string, unknown>;
}

const summary = (r: Row): RecordSummary => ({
  id: Number(r.id),
  agencyCode: r.agency_code,
  provinceCode: r.province_code,
  registerType: r.register_type,
  bookYear: r.book_year,
  bookNumber: r.book_number,
  registrationNumber: r.registration_number,
  state: r.state,
  version: r.version,
});

export function createRecordsRepository(pool: Pool) {
  return {
    async listByAgency(agencyCode: string, page: { limit: number; offset: number }): Promise<{ total: number; items: RecordSummary[] }> {
      const r = await pool.query<Row & { total: string }>(
        `SELECT r.*, a.province_code, count(*) OVER () AS total
           FROM records r JOIN agencies a ON a.code = r.agency_code
          WHERE r.agency_code = $1
          ORDER BY r.register_type, r.book_year, r.book_number, r.registration_number
          LIMIT $2 OFFSET $3`,
        [agencyCode, page.limit, page.offset],
      );
      return { total: Number(r.rows[0]?.total ?? 0), items: r.rows.map(summary) };
    },
    async get(id: number): Promise<RecordDetail | null> {
      const r = await pool.query<Row>(
        `SELECT r.*, a.province_code FROM records r JOIN agencies a ON a.code = r.agency_code WHERE r.id = $1`,
        [id],
      );
      const row = r.rows[0];
      if (!row) return null;
      const pages = await pool.query<{ page: number; sha256: string }>('SELECT page, sha256 FROM attachments WHERE record_id = $1 ORDER BY page', [id]);
      return { ...summary(row), data: row.data ?? {}, pages: pages.rows };
    },
  };
}
export type RecordsRepository = ReturnType<typeof createRecordsRepository>;

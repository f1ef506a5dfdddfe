import type { Pool } from 'pg';
import type { RecordValues } from '../../domain/registers/validate-record';

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

/** An import a record's values came from. */
export interface ImportSource {
  importId: number;
  sourceName: string;
  importedAt: string;
}

export interface EarlierVersion {
  version: number;
  /** Made by an official's correction rather than by an import. */
  corrected: boolean;
  source: ImportSource | null;
  supersededAt: string;
  data: RecordValues;
}

export function createRecordsRepository(pool: Pool) {
  const sourceOf = (r: { import_id: string | null; source_name: string | null; started_at: Date | null }): ImportSource | null =>
    r.import_id === null ? null : { importId: Number(r.import_id), sourceName: r.source_name ?? '', importedAt: r.started_at!.toISOString() };
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
    /** The import of a record's current values, and its earlier versions (oldest first) with theirs. */
    async history(id: number): Promise<{ current: ImportSource | null; versions: EarlierVersion[] }> {
      type SourceRow = { import_id: string | null; source_name: string | null; started_at: Date | null };
      const [current, versions] = await Promise.all([
        pool.query<SourceRow>('SELECT r.import_id, i.source_name, i.started_at FROM records r LEFT JOIN imports i ON i.id = r.import_id WHERE r.id = $1', [id]),
        pool.query<SourceRow & { version: number; corrected: boolean; superseded_at: Date; data: RecordValues }>(
          `SELECT v.version, v.corrected, v.superseded_at, v.data, v.import_id, i.source_name, i.started_at
             FROM record_versions v LEFT JOIN imports i ON i.id = v.import_id WHERE v.record_id = $1 ORDER BY v.version`,
          [id],
        ),
      ]);
      return {
        current: current.rows[0] ? sourceOf(current.rows[0]) : null,
        versions: versions.rows.map((v) => ({ version: v.version, corrected: v.corrected, source: sourceOf(v), supersededAt: v.superseded_at.toISOString(), data: v.data })),
      };
    },
    /** How many decisions of each kind `actor` made on the agency's records since `since`, and on how many records. */
    async decisionsBy(actor: string, agencyCode: string, since: Date): Promise<{ byKind: Record<string, number>; records: number }> {
      const r = await pool.query<{ kind: string | null; n: string; records: string }>(
        `SELECT d.kind, count(*) AS n, count(DISTINCT d.record_id) AS records
           FROM decisions d JOIN records r ON r.id = d.record_id
          WHERE d.actor = $1 AND d.decided_at >= $2 AND r.agency_code = $3
          GROUP BY ROLLUP (d.kind)`,
        [actor, since, agencyCode],
      );
      const total = r.rows.find((row) => row.kind === null);
      return {
        byKind: Object.fromEntries(r.rows.filter((row) => row.kind !== null).map((row) => [row.kind!, Number(row.n)])),
        records: Number(total?.records ?? 0),
      };
    },
  };
}
export type RecordsRepository = ReturnType<typeof createRecordsRepository>;

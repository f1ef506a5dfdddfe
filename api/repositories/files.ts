import type { Pool } from 'pg';
import type { ResourceScope } from '../../domain/access';

export interface FileInfo {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  /** Every province/agency that holds this file; a user may read it if any is in scope. */
  owners: Array<ResourceScope & { originalName: string }>;
}

export function createFilesRepository(pool: Pool) {
  return {
    async get(sha256: string): Promise<FileInfo | null> {
      const f = await pool.query<{ sha256: string; size_bytes: string; media_type: string }>('SELECT * FROM files WHERE sha256 = $1', [sha256]);
      const row = f.rows[0];
      if (!row) return null;
      const owners = await pool.query<{ province_code: string; agency_code: string | null; original_name: string }>(
        'SELECT province_code, agency_code, original_name FROM file_owners WHERE sha256 = $1',
        [sha256],
      );
      return {
        sha256: row.sha256,
        sizeBytes: Number(row.size_bytes),
        mediaType: row.media_type,
        owners: owners.rows.map((o) => ({ provinceCode: o.province_code, agencyCode: o.agency_code, originalName: o.original_name })),
      };
    },
  };
}
export type FilesRepository = ReturnType<typeof createFilesRepository>;

import type { Pool, PoolClient } from 'pg';

export interface Agency {
  code: string;
  name: string;
  level: 'commune' | 'district' | 'province';
  provinceCode: string;
}

export function createAgenciesRepository(pool: Pool | PoolClient) {
  return {
    async upsert(a: Agency): Promise<void> {
      await pool.query(
        `INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, province_code = EXCLUDED.province_code`,
        [a.code, a.name.normalize('NFC'), a.level, a.provinceCode],
      );
    },
    async get(code: string): Promise<Agency | null> {
      const r = await pool.query<{ code: string; name: string; level: Agency['level']; province_code: string }>(
        'SELECT code, name, level, province_code FROM agencies WHERE code = $1',
        [code],
      );
      const row = r.rows[0];
      return row ? { code: row.code, name: row.name, level: row.level, provinceCode: row.province_code } : null;
    },
  };
}
export type AgenciesRepository = ReturnType<typeof createAgenciesRepository>;

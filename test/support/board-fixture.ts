/**
 * A coordinator's board at the size the web page must stay smooth at: 700 civil-registration
 * agencies in one run. No province has that many under today's routing (Hồ Chí Minh City, the
 * largest, has 206: 168 communes of 2025 and 38 districts of before), so the fixture takes the
 * real agencies of the largest provinces in turn, from the unit catalog, until it has enough.
 */
import type { Pool } from 'pg';
import { recordSearchText } from '../../domain/registers/record-search';
import { provinceRunWorkflowId } from '../../domain/runs/province-run';
import { generateProvinceExport } from '../../domain/synthetic/province-export';
import { unitCatalog } from '../../domain/units/catalog';
import { agencyOf, type Agency } from '../../domain/units/routing';

/** The agencies of a 2025 province: its communes, and the districts of the provinces merged into it. */
function agenciesOfProvince(provinceCode: string): Agency[] {
  const catalog = unitCatalog();
  const merged = catalog.provinces('legacy').filter((p) => catalog.provinceSuccessor(p.code)?.code === provinceCode);
  const districts = merged.flatMap((p) => catalog.legacyUnitsOf(p.code).districts);
  return [...catalog.communes2025Of(provinceCode), ...districts].map(agencyOf);
}

export function largeBoardAgencies(count = 700): Agency[] {
  const provinces = unitCatalog()
    .provinces('2025')
    .map((p) => agenciesOfProvince(p.code))
    .sort((a, b) => b.length - a.length);
  const agencies = provinces.flat().slice(0, count);
  if (agencies.length < count) throw new Error(`the catalog has ${agencies.length} agencies, asked for ${count}`);
  return agencies;
}

export interface BoardSeed {
  provinceCode: string;
  runId: string;
  agencies: readonly Agency[];
  /** Records over all agencies, spread unevenly (a few large agencies, many small ones). */
  records: number;
  /** Days back over which the approvals and transfers are spread (the chart's range). */
  days: number;
  /** The coordinator the run's registry entries name. */
  startedBy: string;
}

/** Distinct register entries the records' data is drawn from, in turn. */
const SAMPLE_ROWS = 2_000;

/**
 * Writes what a province of `seed.agencies` looks like some weeks into Step 4, straight into
 * PostgreSQL (imports, reviews and transfers bypassed, the database's own rules kept): the
 * agencies, the run's registry entries, records of generated register entries (each agency its
 * own books), one page attached to most records of two agencies in three, and of those records
 * about 45 % transferred, 10 % approved and 3 % rejected, with their approval decisions and
 * transfer batches spread over the last `days` days (more recently, more). The agency workflows
 * themselves are not started: the caller decides what runs.
 */
export async function seedBoard(pool: Pool, seed: BoardSeed): Promise<void> {
  const c = await pool.connect();
  try {
    const codes = seed.agencies.map((a) => a.code);
    await c.query(
      `INSERT INTO agencies (code, name, level, province_code) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, province_code = EXCLUDED.province_code`,
      [codes, seed.agencies.map((a) => a.name), seed.agencies.map((a) => a.level), codes.map(() => seed.provinceCode)],
    );
    const runWorkflow = provinceRunWorkflowId(seed.runId);
    await c.query(
      `INSERT INTO workflow_registry (workflow_id, kind, province_code, agency_code, started_by)
       SELECT $1, 'province-run', $2, NULL, $3
       UNION ALL SELECT 'agency/' || code || '/' || $4, 'agency', $2, code, $1 FROM unnest($5::text[]) AS code
       ON CONFLICT (workflow_id) DO NOTHING`,
      [runWorkflow, seed.provinceCode, seed.startedBy, seed.runId, codes],
    );

    const samples = [...generateProvinceExport({ provinceCode: '01', records: SAMPLE_ROWS, seed: 21 })];
    await c.query('CREATE TEMP TABLE board_samples (i int PRIMARY KEY, type text, data jsonb, search_text text) ON COMMIT PRESERVE ROWS');
    await c.query('INSERT INTO board_samples SELECT * FROM unnest($1::int[], $2::text[], $3::jsonb[], $4::text[])', [
      samples.map((_, i) => i),
      samples.map((s) => s.type),
      samples.map((s) => JSON.stringify(s.values)),
      samples.map((s) => recordSearchText(s.values)),
    ]);
    // Agency k of n gets a share proportional to 1 / (1 + k mod 50): sizes differ as communes and wards do.
    const weights = codes.map((_, k) => 1 / (1 + (k % 50)));
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = weights.map((w) => Math.max(1, Math.round((seed.records * w) / total)));
    // Each agency's n-th record is entry n % 200 + 1 of book (n / 200) % 50 + 1 of year 1995 + n / 10,000.
    await c.query(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256, search_text)
       SELECT a.code, a.code, s.type, 1995 + n / 10000, lpad(((n % 10000) / 200 + 1)::text, 2, '0'), (n % 200 + 1)::text,
              ((n % 10000) / 200 + 1)::text, (n % 200 + 1)::text, s.data, md5(s.data::text || a.code || n), s.search_text
         FROM unnest($1::text[], $2::int[]) AS a(code, records)
        CROSS JOIN LATERAL generate_series(0, a.records - 1) AS n
         JOIN board_samples s ON s.i = n % ${SAMPLE_ROWS}`,
      [codes, counts],
    );
    // Two agencies in three scanned their books; a page is missing for one record in ten.
    const scanned = codes.filter((_, k) => k % 3 !== 2);
    const page = `encode(sha256(convert_to('board page ' || r.id, 'UTF8')), 'hex')`;
    const pagedRecords = `FROM records r WHERE r.agency_code = ANY($1::text[]) AND r.id % 10 <> 0`;
    await c.query(`INSERT INTO files (sha256, size_bytes, media_type) SELECT ${page}, 103000, 'application/pdf' ${pagedRecords}`, [scanned]);
    await c.query(`INSERT INTO attachments (record_id, sha256, page, entry_name) SELECT r.id, ${page}, 1, r.register_type || '.' || r.book_year || '.' || r.book_number || '.' || r.registration_number || '.pdf' ${pagedRecords}`, [
      scanned,
    ]);

    // Which records were decided, on which day (0 = `days` - 1 days ago … today; later days more), in batches of 50 as officials send them.
    await c.query(
      `CREATE TEMP TABLE board_decided ON COMMIT PRESERVE ROWS AS
       SELECT d.*, 'seed/' || d.agency_code || '/' || d.day || '/' || (row_number() OVER (PARTITION BY d.agency_code, d.day ORDER BY d.id) - 1) / 50 AS batch_key
         FROM (SELECT r.id, r.agency_code, r.version, a.sha256, (r.id * 7919) % 100 AS h, floor($1 * sqrt(((r.id * 7907) % 1000) / 1000.0))::int AS day
                 FROM records r JOIN attachments a ON a.record_id = r.id
                WHERE r.agency_code = ANY($2::text[]) AND (r.id * 7919) % 100 < 58) d`,
      [seed.days, codes],
    );
    const at = `date_trunc('day', now()) - make_interval(days => ${seed.days - 1} - d.day) + make_interval(hours => (8 + d.id % 9)::int, mins => (d.id % 60)::int)`;
    await c.query(
      `INSERT INTO review_batches (batch_key, agency_code, actor, result)
       SELECT DISTINCT d.batch_key, d.agency_code, 'congchuc.seed', '{}'::jsonb FROM board_decided d`,
    );
    await c.query(
      `INSERT INTO decisions (record_id, record_version, kind, reason_code, details, actor, batch_key, decided_at)
       SELECT d.id, d.version, CASE WHEN d.h < 55 THEN 'approve' ELSE 'reject' END, CASE WHEN d.h < 55 THEN NULL ELSE 'DATA_DIFFERS' END,
              CASE WHEN d.h < 55 THEN jsonb_build_object('pages', jsonb_build_array(d.sha256)) ELSE '{}'::jsonb END,
              'congchuc.seed', d.batch_key, ${at}
         FROM board_decided d`,
    );
    await c.query(`UPDATE records r SET state = CASE WHEN d.h < 55 THEN 'approved' ELSE 'rejected' END FROM board_decided d WHERE d.id = r.id`);
    // The transferred: one batch per agency and day, finished an hour after the day's last approval.
    await c.query(
      `INSERT INTO transfer_batches (batch_key, agency_code, status, records, accepted, attempts, record_ids, created_at, finished_at)
       SELECT 'seed/' || d.agency_code || '/' || d.day, d.agency_code, 'done', count(*), count(*), 1, array_agg(d.id ORDER BY d.id), max(${at}), max(${at}) + interval '1 hour'
         FROM board_decided d WHERE d.h < 45 GROUP BY d.agency_code, d.day`,
    );
    await c.query(
      `UPDATE records r SET state = 'transferred', transfer_batch_id = b.id, target_id = 'seed-' || r.id, target_received_at = b.finished_at
         FROM board_decided d JOIN transfer_batches b ON b.batch_key = 'seed/' || d.agency_code || '/' || d.day
        WHERE d.id = r.id AND d.h < 45`,
    );
    await c.query('DROP TABLE board_samples, board_decided');
  } finally {
    c.release();
  }
}

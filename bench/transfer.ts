/**
 * Step 4, transfer: an agency's approved records sent to our CSDLHTĐT (the `csdlhtdt` schema)
 * by the real transferApproved activity, batch after batch of 1,000 until none is left, in a
 * throwaway embedded PostgreSQL, against the floor measured in the same run: one raw
 * `INSERT … SELECT` of the same rows from `records` into a scratch copy of the target table.
 * Target on our 2-core machine: ≥ 10,000 records/s.
 *
 * The records are seeded set-based, bypassing the import (generated register entries of every
 * type, renumbered into one agency's books; one page attached to each; one approval decision
 * each, 20 to a batch as officials send them), then approved: the states pass the database's
 * own rules. The activity runs outside a Temporal worker, in MockActivityEnvironment, which
 * gives it a real activity context (its heartbeat goes nowhere).
 *
 *   npm run bench -- transfer [--records 100000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPgTransferTarget } from '../activities/transfer/pg-transfer-target';
import { createTransferActivities } from '../activities/transfer/transfer-approved';
import { bookKey, numberKey } from '../domain/naming/scan-name';
import { DEFAULT_REVIEW_SETTINGS, TRANSFER_LANES } from '../domain/review/review-types';
import { generateProvinceExport } from '../domain/synthetic/province-export';
import { openBenchDatabase } from './support/bench-database';
import { fmt, peak, rssMb, seconds } from './support/measure';

const TARGET = { recordsPerSecond: 10_000 } as const;
const ENTRIES_PER_BOOK = 200;
/** Rows sent to PostgreSQL per seeding statement. */
const SEED_CHUNK = 5_000;
/** Approvals per decision batch, as an official approves a page of the list. */
const DECISIONS_PER_BATCH = 20;
const OFFICIAL = 'cc.bench';

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}


const count = async (pool: Pool, sql: string, params: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);

/**
 * N generated register entries (every type, in the export's shares) as records of one agency
 * and unit, renumbered per type and year into books of 200, imported (no approval yet).
 */
async function seedRecords(pool: Pool, records: number, agencyCode: string): Promise<void> {
  const next = new Map<string, number>();
  let batch: { type: string[]; year: number[]; book: string[]; number: string[]; data: string[] } = { type: [], year: [], book: [], number: [], data: [] };
  const flush = async () => {
    if (batch.type.length === 0) return;
    await pool.query(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256)
       SELECT $1, $1, x.type, x.year, x.book, x.number, x.book_key, x.number_key, x.data, encode(sha256(convert_to(x.data::text, 'UTF8')), 'hex')
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[]) AS x(type, year, book, number, book_key, number_key, data)`,
      [agencyCode, batch.type, batch.year, batch.book, batch.number, batch.book.map(bookKey), batch.number.map(numberKey), batch.data],
    );
    batch = { type: [], year: [], book: [], number: [], data: [] };
  };
  let n = 0;
  for (const row of generateProvinceExport({ provinceCode: '01', records: records, seed: 11 })) {
    const year = row.values.bookYear as number;
    const seq = next.get(`${row.type}/${year}`) ?? 0;
    next.set(`${row.type}/${year}`, seq + 1);
    const book = String(Math.floor(seq / ENTRIES_PER_BOOK) + 1).padStart(2, '0');
    const number = String((seq % ENTRIES_PER_BOOK) + 1);
    batch.type.push(row.type);
    batch.year.push(year);
    batch.book.push(book);
    batch.number.push(number);
    batch.data.push(JSON.stringify({ ...row.values, agencyCode, registerType: row.type, bookNumber: book, registrationNumber: number }));
    if (batch.type.length === SEED_CHUNK) await flush();
    if (++n === records) break;
  }
  await flush();
  if (n !== records) throw new Error(`generated ${n} records, asked for ${records}`);
}

/** One ~100 kB page per record (the files row stands for the stored PDF), its approval decision, then the approval itself. */
async function attachAndApprove(pool: Pool, agencyCode: string): Promise<void> {
  const page = `encode(sha256(convert_to('page of record ' || r.id, 'UTF8')), 'hex')`;
  await pool.query(`INSERT INTO files (sha256, size_bytes, media_type) SELECT ${page}, 103000, 'application/pdf' FROM records r WHERE r.agency_code = $1`, [agencyCode]);
  await pool.query(
    `INSERT INTO attachments (record_id, sha256, page, entry_name)
     SELECT r.id, ${page}, 1, r.register_type || '.' || r.book_year || '.' || r.book_number || '/' || r.register_type || '.' || r.book_year || '.' || r.book_number || '.' || r.registration_number || '.pdf'
       FROM records r WHERE r.agency_code = $1`,
    [agencyCode],
  );
  await pool.query(
    `INSERT INTO review_batches (batch_key, agency_code, actor, result)
     SELECT DISTINCT 'bench/review/' || (r.id / $2), $1, $3, 'null'::jsonb FROM records r WHERE r.agency_code = $1`,
    [agencyCode, DECISIONS_PER_BATCH, OFFICIAL],
  );
  await pool.query(
    `INSERT INTO decisions (record_id, record_version, kind, details, actor, batch_key)
     SELECT r.id, r.version, 'approve', jsonb_build_object('pages', jsonb_build_array(a.sha256)), $3, 'bench/review/' || (r.id / $2)
       FROM records r JOIN attachments a ON a.record_id = r.id WHERE r.agency_code = $1 ORDER BY r.id`,
    [agencyCode, DECISIONS_PER_BATCH, OFFICIAL],
  );
  await pool.query(`UPDATE records SET state = 'approved', updated_at = now() WHERE agency_code = $1 AND state = 'imported'`, [agencyCode]);
}

export async function run(args: string[]): Promise<void> {
  const records = Number(option(args, 'records', '100000'));
  const batchSize = DEFAULT_REVIEW_SETTINGS.transferBatchSize;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-transfer-'));
  const { pg, pool, agency } = await openBenchDatabase(work);
  try {
    let t = process.hrtime.bigint();
    await seedRecords(pool, records, agency.code);
    await attachAndApprove(pool, agency.code);
    await pool.query('VACUUM ANALYZE');
    const approved = await count(pool, `SELECT count(*) AS n FROM records WHERE agency_code = $1 AND state = 'approved'`, [agency.code]);
    const dataMb = Number((await pool.query<{ mb: string }>(`SELECT sum(pg_column_size(data)) / 1e6 AS mb FROM records`)).rows[0]!.mb);
    const books = await count(pool, 'SELECT count(DISTINCT (register_type, book_year, book_key)) AS n FROM records');
    process.stdout.write(
      `input: ${approved} approved records of ${agency.name} (${books} books of every register type, ${fmt(dataMb, 1)} MB of record data), one page and one approval each, seeded in ${fmt(seconds(t), 1)} s\n`,
    );

    // The real activity, with the real PostgreSQL target, in a real (mock) activity context.
    const { transferApproved } = createTransferActivities({ pool, target: createPgTransferTarget(pool) });
    const env = new MockActivityEnvironment({ activityType: 'transferApproved' }, { logger: new DefaultLogger('WARN') });
    let heartbeats = 0;
    env.on('heartbeat', () => heartbeats++);
    const rssAtStart = rssMb();
    const peakIsTransferOnly = peak.reset();
    t = process.hrtime.bigint();
    let batches = 0;
    let accepted = 0;
    let refused = 0;
    let slowest = 0;
    // As the agency run sends them: TRANSFER_LANES lanes, each sending its next batch as soon as its last is done, until one finds nothing waiting.
    let keys = 0;
    let exhausted = false;
    const lane = async () => {
      while (!exhausted) {
        const b0 = process.hrtime.bigint();
        const input = { batchKey: `agency/${agency.code}/bench/transfer/${++keys}`, agencyCode: agency.code, workflowId: `agency/${agency.code}/bench`, limit: batchSize };
        // run() cannot infer the result type from the activity function.
        const result = (await env.run(transferApproved, input)) as Awaited<ReturnType<typeof transferApproved>>;
        slowest = Math.max(slowest, seconds(b0));
        if (!result) {
          exhausted = true;
          return;
        }
        batches++;
        accepted += result.accepted;
        refused += result.rejected;
      }
    };
    await Promise.all(Array.from({ length: TRANSFER_LANES }, lane));
    const transferSeconds = seconds(t);
    const transferPeak = peak.mb();

    const inTarget = await count(pool, 'SELECT count(*) AS n FROM csdlhtdt.civil_status_records');
    const receipts = await count(pool, 'SELECT count(*) AS n FROM records WHERE target_id IS NOT NULL');
    const transferred = await count(pool, `SELECT count(*) AS n FROM records WHERE state = 'transferred'`);
    const notTransferred = await count(pool, `SELECT count(*) AS n FROM records WHERE state <> 'transferred'`);

    // The floor: the same rows, as the target receives them (pages, approver), from records into
    // a scratch copy of the target table (same columns, identity, keys and indexes), in one statement.
    await pool.query('CREATE TABLE csdlhtdt.floor_copy (LIKE csdlhtdt.civil_status_records INCLUDING ALL)');
    await pool.query('CHECKPOINT');
    t = process.hrtime.bigint();
    const floorRows =
      (
        await pool.query(
          `INSERT INTO csdlhtdt.floor_copy (idempotency_key, agency_code, unit_code, register_type, book_year, book_number, registration_number, data, pages, approved_by, batch_key)
           SELECT 'hotich:' || r.id, r.agency_code, r.unit_code, r.register_type, r.book_year, r.book_number, r.registration_number, r.data,
                  coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}'),
                  coalesce((SELECT d.actor FROM decisions d WHERE d.record_id = r.id AND d.kind = 'approve' ORDER BY d.id DESC LIMIT 1), ''),
                  'floor'
             FROM records r WHERE r.agency_code = $1 ORDER BY r.id`,
          [agency.code],
        )
      ).rowCount ?? 0;
    const floorSeconds = seconds(t);
    const same = await count(
      pool,
      `SELECT count(*) AS n FROM csdlhtdt.civil_status_records t JOIN csdlhtdt.floor_copy f USING (idempotency_key)
        WHERE (t.unit_code, t.register_type, t.book_year, t.book_number, t.registration_number, t.data, t.pages, t.approved_by)
            = (f.unit_code, f.register_type, f.book_year, f.book_number, f.registration_number, f.data, f.pages, f.approved_by)`,
    );

    const rate = accepted / transferSeconds;
    const floor = floorRows / floorSeconds;
    const verified = accepted === approved && inTarget === records && receipts === records && transferred === records && notTransferred === 0 && refused === 0 && same === records;
    process.stdout.write(
      `transfer: ${batches} batches of ≤ ${batchSize}, ${TRANSFER_LANES} lanes (${heartbeats} heartbeats), ${accepted} accepted, ${refused} refused, in ${fmt(transferSeconds, 2)} s = ${fmt(rate, 0)} records/s ` +
        `(slowest batch ${fmt(slowest * 1000, 0)} ms), peak RSS ${fmt(transferPeak, 0)} MB${peakIsTransferOnly ? ` (${fmt(rssAtStart, 0)} MB when it began)` : ' (process peak, including seeding)'} (this process; PostgreSQL not included)\n` +
        `floor (one INSERT … SELECT of the same ${floorRows} rows from records into a copy of the target table): ${fmt(floorSeconds, 2)} s = ${fmt(floor, 0)} records/s; transfer/floor = ${fmt(rate / floor, 2)}\n` +
        `verify: accepted ${accepted} of ${approved}, target rows ${inTarget}, receipts ${receipts}, records transferred ${transferred}, not transferred ${notTransferred}, target rows equal to the floor's ${same}: ${verified ? 'OK' : 'FAILED'}\n` +
        `target: ≥ ${TARGET.recordsPerSecond} records/s: ${rate >= TARGET.recordsPerSecond ? 'met' : 'NOT MET'}\n`,
    );
    if (!verified) process.exitCode = 1;
  } finally {
    await pool.end();
    await pg.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

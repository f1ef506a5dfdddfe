/**
 * The floors a stage is held against, each the least work its stage cannot avoid, measured on the
 * same input in the same run (so a busy machine slows both): reading the input with the parser
 * the split uses, hashing bytes with coreutils' sha256sum, a raw COPY of prepared rows into a
 * table like the one the import fills, and one INSERT … SELECT of the records into a table like
 * the target's.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { readRowBatches } from '../../formats/tabular/read-rows';
import { seconds } from './measure';

export interface Floor {
  /** What was done, in a few words, for the table. */
  what: string;
  /** Units done (rows, MB, records) and the time it took. */
  amount: number;
  seconds: number;
}

/** Every row of the input read with the split's parser, doing nothing with it. */
export async function readFloor(input: string): Promise<Floor> {
  const t = process.hrtime.bigint();
  let rows = 0;
  for await (const batch of readRowBatches(input)) for (const row of batch) if (row.cells.length) rows++;
  return { what: 'plain read of the input', amount: rows, seconds: seconds(t) };
}

/** The files' bytes hashed by coreutils' sha256sum, one after the other; amount in MB. */
export async function sha256Floor(files: readonly string[]): Promise<Floor> {
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const t = process.hrtime.bigint();
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('sha256sum', [f], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sha256sum exited with ${code}`))));
    });
  }
  return { what: 'sha256sum of the bytes', amount: bytes / (1024 * 1024), seconds: seconds(t) };
}

const RECORD_COLUMNS = 'agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data, data_sha256, notes';

/** Text-format lines through one COPY … FROM STDIN, as fast as the connection takes them: what a raw COPY floor times. */
export function copyLines(client: PoolClient, copySql: string, lines: readonly string[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const copy = client.query(copyFrom(copySql));
    copy.on('finish', resolve).on('error', reject);
    let i = 0;
    const pump = () => {
      while (i < lines.length) if (!copy.write(lines[i++]!)) return void copy.once('drain', pump);
      copy.end();
    };
    pump();
  });
}

/**
 * The imported records, copied out as COPY text to a file beforehand (not timed), COPYed from it
 * into a scratch table with the records table's columns, keys and indexes; dropped afterwards.
 */
export async function copyFloor(pool: Pool): Promise<Floor> {
  // On disk, not in memory: a million records' COPY text is gigabytes of strings.
  const file = path.join(os.tmpdir(), `floor-records-${process.pid}.copy`);
  const client = await pool.connect();
  try {
    await pipeline(client.query(copyTo(`COPY (SELECT ${RECORD_COLUMNS} FROM records ORDER BY id) TO STDOUT`)), fs.createWriteStream(file));
    await client.query('CREATE TABLE floor_records (LIKE records INCLUDING ALL)');
    await client.query('CHECKPOINT');
    const t = process.hrtime.bigint();
    const copy = client.query(copyFrom(`COPY floor_records (${RECORD_COLUMNS}) FROM STDIN`));
    await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), copy);
    return { what: 'raw COPY of the records', amount: copy.rowCount, seconds: seconds(t) };
  } finally {
    await client.query('DROP TABLE IF EXISTS floor_records').catch(() => undefined);
    client.release();
    fs.rmSync(file, { force: true });
  }
}

/**
 * The records as the target receives them (pages, approver), from records into a scratch copy of
 * the target table, in one statement; the copy is dropped afterwards.
 */
export async function insertSelectFloor(pool: Pool): Promise<Floor> {
  await pool.query('CREATE TABLE csdlhtdt.floor_copy (LIKE csdlhtdt.civil_status_records INCLUDING ALL)');
  try {
    await pool.query('CHECKPOINT');
    const t = process.hrtime.bigint();
    const r = await pool.query(
      `INSERT INTO csdlhtdt.floor_copy (idempotency_key, agency_code, unit_code, register_type, book_year, book_number, registration_number, data, pages, approved_by, batch_key)
       SELECT 'floor:' || r.id, r.agency_code, r.unit_code, r.register_type, r.book_year, r.book_number, r.registration_number, r.data,
              coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}'),
              coalesce((SELECT d.actor FROM decisions d WHERE d.record_id = r.id AND d.kind = 'approve' ORDER BY d.id DESC LIMIT 1), ''),
              'floor'
         FROM records r ORDER BY r.id`,
    );
    return { what: 'one INSERT … SELECT into a copy of the target', amount: r.rowCount ?? 0, seconds: seconds(t) };
  } finally {
    await pool.query('DROP TABLE csdlhtdt.floor_copy');
  }
}

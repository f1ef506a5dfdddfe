/**
 * Loads an import's valid rows into PostgreSQL, in chunks: each is COPYed into a staging table
 * of the transaction, then set-based statements decide its rows against the records already
 * there, while the next chunk's rows are read and checked. A new key is inserted; an identical
 * row changes nothing; a changed row keeps the old data as a version and goes back to review;
 * a record already approved or transferred is never touched. A key occurs once in an import
 * (a repeated one is rejected before it is staged), so the chunks are decided independently.
 */
import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { RecordKey } from '../../domain/imports/import-row';
import type { ImportedBook } from '../../domain/imports/import-types';
import { RECORD_ACTIONS, startStates, type RecordState } from '../../domain/records/life-cycle';

/** A changed row updates its record only from the states a re-import may start from; any other is locked. */
const REIMPORTABLE = startStates('reimport');
const REIMPORTED: RecordState = RECORD_ACTIONS.reimport.to;

export interface StagedRow {
  sheet: number;
  row: number;
  key: RecordKey;
  /** Canonical JSON of the values (dictionary order). */
  data: string;
  dataSha256: string;
  notes: string;
  searchText: string;
}

/** Rows decided at once: the server decides one chunk while the next is read, and the last one is decided alone. */
const CHUNK_ROWS = 8192;
/** Rows staged between turns of the event loop. */
const TURN_EVERY = 128;
/** Text handed to the COPY per write: one socket write per row costs more than the row itself. */
const COPY_PIECE = 256 * 1024;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyText = (s: string) => s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!);

export interface MergeTarget {
  agencyCode: string;
  registerType: string;
  importId: number;
}

/** The staging and plan tables live and die with the transaction the client is in. */
export interface Staging {
  /** Waits only while the chunk before the one this row completes is still being decided. */
  write(row: StagedRow): Promise<void>;
  /** Decides the last rows and counts what became of them all. */
  finish(): Promise<MergeCounts>;
  /** Waits for the chunk being decided to end (or fail), so the connection can roll back. */
  abort(): Promise<void>;
}

export async function openStaging(client: PoolClient, target: MergeTarget): Promise<Staging> {
  // Two imports of one agency's register type are decided one after the other, never interleaved.
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('import:' || $1 || ':' || $2))`, [target.agencyCode, target.registerType]);
  // Values stay text in staging: only the rows that are inserted or updated are parsed as JSON, once.
  await client.query(`
    CREATE TEMP TABLE import_rows (
      sheet integer NOT NULL, row_number integer NOT NULL, unit_code text NOT NULL,
      book_year integer NOT NULL, book_number text NOT NULL, book_key text NOT NULL,
      registration_number text NOT NULL, number_key text NOT NULL,
      data text NOT NULL, data_sha256 text NOT NULL, notes text NOT NULL, search_text text NOT NULL
    ) ON COMMIT DROP`);
  // The plan holds every row's decision and keys (not its values) for the whole import.
  await client.query(`
    CREATE TEMP TABLE import_plan (
      sheet integer NOT NULL, row_number integer NOT NULL, unit_code text NOT NULL, book_year integer NOT NULL,
      book_key text NOT NULL, book_number text NOT NULL, record_id bigint, state text, action text NOT NULL
    ) ON COMMIT DROP`);
  let pieces: string[] = [];
  let piece = '';
  let rows = 0;
  let deciding: Promise<void> = Promise.resolve();
  const decideChunk = () => {
    if (piece) pieces.push(piece);
    const chunk = pieces;
    pieces = [];
    piece = '';
    rows = 0;
    if (chunk.length === 0) return;
    deciding = deciding.then(() => loadChunk(client, chunk)).then(() => decide(client, target));
    // Seen by the next write or by finish; never left unhandled meanwhile.
    deciding.catch(() => undefined);
  };
  return {
    async write(r) {
      piece += `${r.sheet}\t${r.row}\t${r.key.unitCode}\t${r.key.bookYear}\t${copyText(r.key.bookNumber)}\t${copyText(r.key.bookKey)}\t${copyText(r.key.registrationNumber)}\t${copyText(r.key.numberKey)}\t${copyText(r.data)}\t${r.dataSha256}\t${copyText(r.notes)}\t${copyText(r.searchText)}\n`;
      if (piece.length >= COPY_PIECE) {
        pieces.push(piece);
        piece = '';
      }
      if (++rows < CHUNK_ROWS) {
        // Checking rows never waits for I/O by itself: a turn of the event loop now and then lets
        // the server receive the chunk being decided and answer its statements meanwhile.
        if (rows % TURN_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        return;
      }
      // At most one chunk with the server and one being read: memory stays a chunk's worth.
      await deciding;
      decideChunk();
    },
    async finish() {
      await deciding;
      decideChunk();
      await deciding;
      return countPlan(client, target);
    },
    async abort() {
      await deciding.catch(() => undefined);
    },
  };
}

async function loadChunk(client: PoolClient, pieces: readonly string[]): Promise<void> {
  await client.query('TRUNCATE import_rows');
  const stream: Writable = client.query(copyFrom('COPY import_rows FROM STDIN'));
  const done = new Promise<void>((resolve, reject) => stream.once('finish', resolve).once('error', reject));
  for (const p of pieces) if (!stream.write(p)) await Promise.race([once(stream, 'drain'), done]);
  stream.end();
  await done;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows whose record is approved or transferred and would have changed: refused. */
  locked: Array<{ sheet: number; row: number; state: RecordState }>;
  /** Records whose state the import changed (a rejected record reopened for review). */
  reopened: Array<{ recordId: number; before: RecordState; after: RecordState }>;
  /** Books the import brought data to, with how many of its rows landed there. */
  books: ImportedBook[];
}

/** Decides the staged chunk's rows against the agency's records of the type, in one pass each. */
async function decide(client: PoolClient, target: MergeTarget): Promise<void> {
  await client.query(
    // The values are read once, where they are written; joined with the staged chunk, the plan
    // gives that chunk's rows. Each row's record is looked up by the book index (a key names one
    // record): joined as a whole, the agency's records were scanned again for every chunk.
    `INSERT INTO import_plan
     SELECT s.sheet, s.row_number, s.unit_code, s.book_year, s.book_key, s.book_number, r.id AS record_id, r.state,
            CASE WHEN r.id IS NULL THEN 'insert'
                 WHEN r.data_sha256 = s.data_sha256 THEN 'unchanged'
                 WHEN NOT r.state = ANY($3::text[]) THEN 'locked'
                 ELSE 'update' END AS action
       FROM import_rows s
       LEFT JOIN LATERAL (
         SELECT id, state, data_sha256 FROM records r
          WHERE r.agency_code = $1 AND r.unit_code = s.unit_code AND r.register_type = $2
            AND r.book_year = s.book_year AND r.book_key = s.book_key AND r.number_key = s.number_key
          LIMIT 1) r ON true`,
    [target.agencyCode, target.registerType, REIMPORTABLE],
  );
  await client.query(
    `INSERT INTO record_versions (record_id, version, data, data_sha256, import_id, corrected)
     SELECT r.id, r.version, r.data, r.data_sha256, r.import_id, r.corrected
       FROM import_plan p JOIN import_rows s USING (sheet, row_number) JOIN records r ON r.id = p.record_id WHERE p.action = 'update'`,
  );
  await client.query(
    `UPDATE records r
        SET data = s.data::jsonb, data_sha256 = s.data_sha256, notes = s.notes::jsonb, search_text = s.search_text, version = r.version + 1,
            book_number = s.book_number, registration_number = s.registration_number,
            import_id = $1, state = $2, corrected = false, updated_at = now()
       FROM import_plan p JOIN import_rows s USING (sheet, row_number) WHERE p.record_id = r.id AND p.action = 'update'`,
    [target.importId, REIMPORTED],
  );
  await client.query(
    `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data, data_sha256, notes, search_text, import_id)
     SELECT $1, s.unit_code, $2, s.book_year, s.book_number, s.book_key, s.registration_number, s.number_key, s.data::jsonb, s.data_sha256, s.notes::jsonb, s.search_text, $3
       FROM import_plan p JOIN import_rows s USING (sheet, row_number) WHERE p.action = 'insert'`,
    [target.agencyCode, target.registerType, target.importId],
  );
}

/** What became of every row of the import, and the books it brought data to. */
async function countPlan(client: PoolClient, target: MergeTarget): Promise<MergeCounts> {
  const counts = await client.query<{ action: string; n: string }>(`SELECT action, count(*) AS n FROM import_plan GROUP BY action`);
  const n = (action: string) => Number(counts.rows.find((r) => r.action === action)?.n ?? 0);
  const locked = await client.query<{ sheet: number; row_number: number; state: RecordState }>(
    `SELECT sheet, row_number, state FROM import_plan WHERE action = 'locked' ORDER BY sheet, row_number`,
  );
  const reopened = await client.query<{ record_id: string; state: RecordState }>(
    `SELECT record_id, state FROM import_plan WHERE action = 'update' AND state <> $1 ORDER BY record_id`,
    [REIMPORTED],
  );
  const books = await client.query<{ unit_code: string; book_year: number; book_key: string; book_number: string; rows: string; records: string }>(
    `SELECT p.unit_code, p.book_year, p.book_key, min(p.book_number) AS book_number, count(*) AS rows,
            (SELECT count(*) FROM records r WHERE r.agency_code = $1 AND r.unit_code = p.unit_code AND r.register_type = $2 AND r.book_year = p.book_year AND r.book_key = p.book_key) AS records
       FROM import_plan p WHERE p.action <> 'locked' GROUP BY p.unit_code, p.book_year, p.book_key ORDER BY p.unit_code, p.book_year, p.book_key`,
    [target.agencyCode, target.registerType],
  );
  return {
    inserted: n('insert'),
    updated: n('update'),
    unchanged: n('unchanged'),
    locked: locked.rows.map((r) => ({ sheet: r.sheet, row: r.row_number, state: r.state })),
    reopened: reopened.rows.map((r) => ({ recordId: Number(r.record_id), before: r.state, after: REIMPORTED })),
    books: books.rows.map((b) => ({ unitCode: b.unit_code, bookYear: b.book_year, bookKey: b.book_key, bookNumber: b.book_number, rows: Number(b.rows), records: Number(b.records) })),
  };
}

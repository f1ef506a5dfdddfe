/**
 * What the Step 4 tests share: a generated province taken through Steps 1–3 (split, released
 * with auto-import, some scan zips imported) on the real servers, and small readers of the
 * database and of coded errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import type { ScanBook } from '../../cli/gen/scan-writer';
import type { SplitManifest } from '../../activities/split/split-export';
import type { AppError } from '../../domain/errors';
import { isAppError } from '../../domain/errors';
import { bookKey, numberKey } from '../../domain/naming/scan-name';
import type { BookRef } from '../../domain/review/review-types';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import type { AgencyImports } from '../../services/agency-imports';
import { agencyRunProgress, decideRecords } from '../../workflows/definitions';
import { appErrorOf } from '../../workflows/failures';
import { releasedRun, type ProvinceRunHarness } from '../support/province-runs';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until `probe` gives a value other than undefined; the test fails with `what` if it never
 * does. A progress the system says it cannot read now (kind `unavailable`: no worker answering
 * yet, as after a restart) is asked again, as its message tells users to.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch((e: unknown) => {
      if (isAppError(e) && e.kind === 'unavailable') return undefined;
      throw e;
    });
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The coded error some work fails with, whether it crossed Temporal (update failure) or not. */
export async function errorOf(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (e) {
    const coded = isAppError(e) ? e : appErrorOf(e);
    if (coded) return coded;
    throw e;
  }
  throw new Error('expected a coded error');
}

/** The same, through codeOf's contract: the code, or the test fails. */
export const codeOfAny = async (work: Promise<unknown>) => (await errorOf(work)).code;

export const unitOf = (b: ScanBook) => b.unit.split(':')[1]!;

export interface ImportedProvince {
  runId: string;
  manifest: SplitManifest;
  out: string;
  books: ScanBook[];
}

/** A generated province split, released with auto-import, every agency's Excel data imported. */
export async function importedProvince(h: ProvinceRunHarness, out: string, opts: { seed: number; records: number; scannedRatio: number }): Promise<ImportedProvince> {
  const { runId, manifest } = await releasedRun(h, { out, ...opts, autoImport: true });
  for (const a of manifest.agencies) {
    const handle = h.env.client.workflow.getHandle(agencyWorkflowId(a.code, runId));
    await waitFor(`agency ${a.code}'s auto-import`, async () => ((await handle.query(agencyRunProgress)).importsDone >= a.files.length ? true : undefined), 120_000);
  }
  const books = fs.readFileSync(path.join(out, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
  return { runId, manifest, out, books };
}

/** Rejects every record of the agency still to review, book by book, except those of `keep`, as its official; returns how many. */
export async function rejectAll(pool: Pool, handle: WorkflowHandle, agencyCode: string, keep?: BookRef): Promise<number> {
  const rows = await pool.query<{ id: string; register_type: BookRef['registerType']; unit_code: string; book_year: number; book_key: string }>(
    `SELECT id, register_type, unit_code, book_year, book_key FROM records WHERE agency_code = $1 AND state = 'imported' ORDER BY id`,
    [agencyCode],
  );
  const byBook = new Map<string, { book: BookRef; ids: number[] }>();
  for (const r of rows.rows) {
    const book: BookRef = { registerType: r.register_type, unitCode: r.unit_code, bookYear: r.book_year, bookKey: r.book_key };
    if (keep && JSON.stringify(book) === JSON.stringify(keep)) continue;
    const key = JSON.stringify(book);
    byBook.set(key, { book, ids: [...(byBook.get(key)?.ids ?? []), Number(r.id)] });
  }
  const by = { username: 'canbo01', role: 'official' as const, agencyCode };
  let decided = 0;
  for (const { book, ids } of byBook.values()) {
    for (let i = 0; i < ids.length; i += 200) {
      const items = ids.slice(i, i + 200).map((recordId) => ({ recordId, kind: 'reject' as const, reasonCode: 'PAGE_UNREADABLE' as const }));
      const result = await handle.executeUpdate(decideRecords, { args: [{ by, book, items }] });
      decided += result.decided;
    }
  }
  return decided;
}

/** The agency whose records hold a scanned book: the split may have moved a former unit's books to its successor. */
export async function agencyOfBook(pool: Pool, b: ScanBook): Promise<string | undefined> {
  const r = await pool.query<{ agency_code: string }>(
    `SELECT DISTINCT agency_code FROM records WHERE unit_code = $1 AND register_type = $2 AND book_year = $3 AND book_key = $4 AND number_key = ANY($5)`,
    [unitOf(b), b.type, b.year, bookKey(b.book), b.numbers.map(numberKey)],
  );
  return r.rows.length === 1 ? r.rows[0]!.agency_code : undefined;
}

/** Scanned books by the agency that holds them, the agencies with most scanned records first. */
export async function scannedBooksByAgency(pool: Pool, books: readonly ScanBook[]): Promise<Array<[string, ScanBook[]]>> {
  const byAgency = new Map<string, ScanBook[]>();
  for (const b of books) {
    const agency = await agencyOfBook(pool, b);
    if (agency) byAgency.set(agency, [...(byAgency.get(agency) ?? []), b]);
  }
  const pages = (books: ScanBook[]) => books.reduce((n, b) => n + b.numbers.length, 0);
  return [...byAgency].sort((a, b) => pages(b[1]) - pages(a[1]) || a[0].localeCompare(b[0]));
}

/** Each zip is imported naming its former unit, as an official of a merged agency does. */
export async function importZip(imports: AgencyImports, out: string, agencyCode: string, b: ScanBook, username = 'canbo01') {
  const zip = await imports.store(fs.createReadStream(path.join(out, b.zip)), path.basename(b.zip));
  return imports.importScans({ agencyCode, zip, unitCode: unitOf(b), by: { username, agencyCode } });
}

export interface RecordRow {
  id: number;
  agency_code: string;
  unit_code: string;
  register_type: string;
  book_year: number;
  book_number: string;
  book_key: string;
  registration_number: string;
  state: string;
  version: number;
  data: Record<string, unknown>;
  pages: string[];
}

const RECORD_SQL = `SELECT r.id::int AS id, r.agency_code, r.unit_code, r.register_type, r.book_year, r.book_number, r.book_key, r.registration_number, r.state, r.version, r.data,
                           coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}') AS pages
                      FROM records r`;

export async function recordsWhere(pool: Pool, where: string, params: unknown[]): Promise<RecordRow[]> {
  return (await pool.query<RecordRow>(`${RECORD_SQL} WHERE ${where} ORDER BY r.id`, params)).rows;
}

export const recordById = async (pool: Pool, id: number) => (await recordsWhere(pool, 'r.id = $1', [id]))[0]!;

/** The SQLSTATE a statement fails with (the database's own rules raise HT001…HT004). */
export async function sqlStateOf(pool: Pool, sql: string, params: unknown[]): Promise<string> {
  try {
    await pool.query(sql, params);
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  throw new Error(`expected ${sql} to fail`);
}

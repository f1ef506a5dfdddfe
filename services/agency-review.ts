/**
 * What officials and coordinators do in Step 4, for the API and the CLI alike: read the
 * agency's records (filtered, searched without accents), read one record with its pages,
 * versions and decisions, and steer the agency's run — claim and release books, send decisions,
 * transfer now, close the agency early. Reads go to PostgreSQL; every change is an update of
 * the agency's workflow, so its history is the audit.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import { displayValue } from '../domain/profiles/cell-values';
import { fieldsOf, isRegisterTypeCode, type RegisterTypeCode } from '../domain/registers/register-types';
import { searchWords } from '../domain/registers/record-search';
import type { RecordValues } from '../domain/registers/validate-record';
import type { RecordState } from '../domain/records/life-cycle';
import { ReviewRecordNotFound } from '../domain/review/review-errors';
import { batchProblem } from '../domain/review/review-rules';
import type { BookClaim, BookRef, DecisionItem, DecisionResult, ReviewActor, TransferProgress } from '../domain/review/review-types';
import type { AgencyRunState } from '../domain/runs/province-run';
import { claimBook, closeAgency, decidePage, releaseBook, transferNow } from '../workflows/definitions';
import { agencyUpdate, type AgencyImports } from './agency-imports';

export interface RecordFilter {
  registerType?: RegisterTypeCode;
  unitCode?: string;
  bookYear?: number;
  /** The book number as written or as a key ("01" = "1"). */
  bookNumber?: string;
  state?: RecordState;
  /** Pages attached or not. */
  scanned?: boolean;
  /** Words of a name, a number or a date, compared without accents or case. */
  q?: string;
  limit: number;
  offset: number;
}

export interface ReviewListItem {
  id: number;
  registerType: string;
  unitCode: string;
  bookYear: number;
  bookNumber: string;
  bookKey: string;
  registrationNumber: string;
  state: RecordState;
  version: number;
  pages: number;
  /** The record's main name (the person registered), for the list. */
  name: string;
  registrationDate: string;
}

export interface ReviewRecord extends ReviewListItem {
  agencyCode: string;
  provinceCode: string;
  fields: Array<{ key: string; labelVi: string; value: string }>;
  notes: Record<string, unknown>;
  pageFiles: Array<{ page: number; sha256: string; entryName: string }>;
  versions: Array<{ version: number; corrected: boolean; importId: number | null; supersededAt: string }>;
  decisions: Array<{ id: number; kind: string; reasonCode: string | null; comment: string; details: Record<string, unknown>; actor: string; at: string; version: number }>;
  receipt?: { targetId: string; receivedAt: string; batchKey: string };
}

/** The person a register entry is about, by register type: the first name field the record has. */
const NAME_KEYS = ['name', 'deceasedName', 'husbandName', 'childName', 'personName', 'fullName'];
const nameOf = (data: RecordValues) => {
  for (const k of NAME_KEYS) if (typeof data[k] === 'string') return data[k] as string;
  const any = Object.entries(data).find(([k, v]) => k.endsWith('Name') && typeof v === 'string' && !['agencyName', 'districtName', 'provinceName'].includes(k));
  return any ? String(any[1]) : '';
};

interface ListRow {
  id: string;
  agency_code: string;
  register_type: string;
  unit_code: string;
  book_year: number;
  book_number: string;
  book_key: string;
  registration_number: string;
  state: RecordState;
  version: number;
  data: RecordValues;
  pages: string;
}

const listItem = (r: ListRow): ReviewListItem => {
  const type = r.register_type as RegisterTypeCode;
  const dateField = fieldsOf(type).find((f) => f.key === 'registrationDate');
  return {
    id: Number(r.id),
    registerType: r.register_type,
    unitCode: r.unit_code,
    bookYear: r.book_year,
    bookNumber: r.book_number,
    bookKey: r.book_key,
    registrationNumber: r.registration_number,
    state: r.state,
    version: r.version,
    pages: Number(r.pages),
    name: nameOf(r.data),
    registrationDate: dateField ? displayValue(dateField, r.data.registrationDate) : '',
  };
};

export function createAgencyReview({ temporal, pool, imports }: { temporal: Client; pool: Pool; imports: Pick<AgencyImports, 'currentRun' | 'state'> }) {
  const handleOf = async (agencyCode: string) => temporal.workflow.getHandle(await imports.currentRun(agencyCode));
  const update = async <T>(agencyCode: string, send: (handle: WorkflowHandle) => Promise<T>): Promise<T> => {
    const handle = await handleOf(agencyCode);
    return agencyUpdate(handle, agencyCode, send(handle));
  };

  /** The book of each record, in the agency: decisions go to the workflow one book at a time. */
  const booksOf = async (agencyCode: string, ids: number[]) => {
    const r = await pool.query<{ id: string; register_type: RegisterTypeCode; unit_code: string; book_year: number; book_key: string; pages: string[] }>(
      `SELECT r.id, r.register_type, r.unit_code, r.book_year, r.book_key,
              coalesce((SELECT array_agg(a.sha256 ORDER BY a.page) FROM attachments a WHERE a.record_id = r.id), '{}') AS pages
         FROM records r WHERE r.id = ANY($1::bigint[]) AND r.agency_code = $2`,
      [ids, agencyCode],
    );
    return new Map(r.rows.map((row) => [Number(row.id), { book: { registerType: row.register_type, unitCode: row.unit_code, bookYear: row.book_year, bookKey: row.book_key } as BookRef, pages: row.pages }]));
  };

  return {
    async list(agencyCode: string, f: RecordFilter): Promise<{ total: number; items: ReviewListItem[] }> {
      const where = ['r.agency_code = $1'];
      const params: unknown[] = [agencyCode];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (f.registerType) add('r.register_type = ?', f.registerType);
      if (f.unitCode) add('r.unit_code = ?', f.unitCode);
      if (f.bookYear !== undefined) add('r.book_year = ?', f.bookYear);
      if (f.bookNumber) add(`r.book_key = ?`, f.bookNumber.trim().replace(/^0+(?=.)/, '').toLowerCase());
      if (f.state) add('r.state = ?', f.state);
      if (f.scanned !== undefined) where.push(`${f.scanned ? '' : 'NOT '}EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`);
      const { words, dates } = searchWords(f.q ?? '');
      for (const word of words) add('r.search_text LIKE ?', `%${word}%`);
      // A date as officials write it (dd/mm/yyyy) finds any date field of the record holding it.
      for (const d of dates) add('jsonb_path_exists(r.data, ?::jsonpath)', `$.* ? (@.day == ${d.day} && @.month == ${d.month} && @.year == ${d.year})`);
      params.push(f.limit, f.offset);
      const r = await pool.query<ListRow & { total: string }>(
        `SELECT r.id, r.agency_code, r.register_type, r.unit_code, r.book_year, r.book_number, r.book_key, r.registration_number, r.state, r.version, r.data,
                (SELECT count(*) FROM attachments a WHERE a.record_id = r.id) AS pages, count(*) OVER () AS total
           FROM records r WHERE ${where.join(' AND ')}
          ORDER BY r.register_type, r.unit_code, r.book_year, r.book_key, length(r.number_key), r.number_key
          LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      return { total: Number(r.rows[0]?.total ?? 0), items: r.rows.map(listItem) };
    },

    /** One record with everything an official compares and an auditor traces; undefined when there is none. */
    async show(recordId: number): Promise<ReviewRecord | undefined> {
      const r = await pool.query<ListRow & { province_code: string; notes: Record<string, unknown> }>(
        `SELECT r.*, a.province_code, (SELECT count(*) FROM attachments x WHERE x.record_id = r.id) AS pages
           FROM records r JOIN agencies a ON a.code = r.agency_code WHERE r.id = $1`,
        [recordId],
      );
      const row = r.rows[0];
      if (!row) return undefined;
      const type = row.register_type as RegisterTypeCode;
      const [pages, versions, decisions, receipt] = await Promise.all([
        pool.query<{ page: number; sha256: string; entry_name: string }>('SELECT page, sha256, entry_name FROM attachments WHERE record_id = $1 ORDER BY page', [recordId]),
        pool.query<{ version: number; corrected: boolean; import_id: string | null; superseded_at: Date }>(
          'SELECT version, corrected, import_id, superseded_at FROM record_versions WHERE record_id = $1 ORDER BY version',
          [recordId],
        ),
        pool.query<{ id: string; kind: string; reason_code: string | null; comment: string; details: Record<string, unknown>; actor: string; decided_at: Date; record_version: number }>(
          'SELECT * FROM decisions WHERE record_id = $1 ORDER BY id',
          [recordId],
        ),
        pool.query<{ target_id: string; received_at: Date; batch_key: string }>(
          'SELECT r.target_id, r.target_received_at AS received_at, b.batch_key FROM records r JOIN transfer_batches b ON b.id = r.transfer_batch_id WHERE r.id = $1',
          [recordId],
        ),
      ]);
      const rc = receipt.rows[0];
      return {
        ...listItem(row),
        agencyCode: row.agency_code,
        provinceCode: row.province_code,
        fields: isRegisterTypeCode(type) ? fieldsOf(type).map((f) => ({ key: f.key, labelVi: f.labelVi, value: displayValue(f, row.data[f.key]) })) : [],
        notes: row.notes,
        pageFiles: pages.rows.map((p) => ({ page: p.page, sha256: p.sha256, entryName: p.entry_name })),
        versions: versions.rows.map((v) => ({ version: v.version, corrected: v.corrected, importId: v.import_id === null ? null : Number(v.import_id), supersededAt: v.superseded_at.toISOString() })),
        decisions: decisions.rows.map((d) => ({ id: Number(d.id), kind: d.kind, reasonCode: d.reason_code, comment: d.comment, details: d.details, actor: d.actor, at: d.decided_at.toISOString(), version: d.record_version })),
        receipt: rc ? { targetId: rc.target_id, receivedAt: rc.received_at.toISOString(), batchKey: rc.batch_key } : undefined,
      };
    },

    /** The agency run's books (counts, claims) and transfer progress. */
    state: (agencyCode: string): Promise<AgencyRunState> => imports.state(agencyCode),

    /**
     * Decisions on records of the agency, one update for the books they are in. An approval carries the pages
     * attached now when the caller names none (the CLI shows them); a record without a page
     * then carries none, and the workflow refuses it.
     */
    async decide(agencyCode: string, by: ReviewActor, items: Array<DecisionItem | (Omit<Extract<DecisionItem, { kind: 'approve' }>, 'pages'> & { pages?: string[] })>): Promise<DecisionResult[]> {
      // The run is looked up while the records are: the official waits for one round trip, not two.
      const run = handleOf(agencyCode);
      run.catch(() => undefined); // awaited below unless a record check refuses the request first
      const known = await booksOf(agencyCode, items.map((i) => i.recordId));
      const byBook = new Map<string, { book: BookRef; items: DecisionItem[] }>();
      for (const item of items) {
        const k = known.get(item.recordId);
        if (!k) throw ReviewRecordNotFound({ recordId: item.recordId });
        const full: DecisionItem = item.kind === 'approve' ? { ...item, pages: item.pages ?? k.pages } : (item as DecisionItem);
        const key = JSON.stringify(k.book);
        byBook.set(key, { book: k.book, items: [...(byBook.get(key)?.items ?? []), full] });
      }
      // Every book's batch is checked before the first update: a malformed batch of a later book
      // would otherwise refuse the request after earlier books were decided, leaving the caller
      // without their results; thrown here, the error also keeps its recordId for the caller.
      for (const { book, items: batch } of byBook.values()) {
        const problem = batchProblem(book.registerType, batch);
        if (problem) throw problem;
      }
      const handle = await run;
      // One update and one transaction for the page, whatever books it spans: one a book, one after
      // another, was 13.5 updates a page in the province bench, each with its workflow task, its
      // transaction and its turn at the province's audit chain.
      return agencyUpdate(handle, agencyCode, handle.executeUpdate(decidePage, { args: [{ by, books: [...byBook.values()] }] }));
    },

    async claim(agencyCode: string, by: ReviewActor, book: BookRef): Promise<BookClaim> {
      return update(agencyCode, (handle) => handle.executeUpdate(claimBook, { args: [{ by, book }] }));
    },

    async release(agencyCode: string, by: ReviewActor, book: BookRef): Promise<void> {
      await update(agencyCode, (handle) => handle.executeUpdate(releaseBook, { args: [{ by, book }] }));
    },

    async transferNow(agencyCode: string, by: ReviewActor): Promise<TransferProgress> {
      return update(agencyCode, (handle) => handle.executeUpdate(transferNow, { args: [{ by }] }));
    },

    /** The agency's transfer batches (newest first), with the target's last failure of each. */
    async transfers(agencyCode: string, limit = 50) {
      const r = await pool.query<{ batch_key: string; status: string; records: number; accepted: number; rejected: number; attempts: number; last_error: unknown; created_at: Date; finished_at: Date | null }>(
        'SELECT * FROM transfer_batches WHERE agency_code = $1 ORDER BY id DESC LIMIT $2',
        [agencyCode, limit],
      );
      const totals = await pool.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM records WHERE agency_code = $1 GROUP BY state', [agencyCode]);
      return {
        byState: Object.fromEntries(totals.rows.map((t) => [t.state, Number(t.n)])) as Partial<Record<RecordState, number>>,
        batches: r.rows.map((b) => ({
          batchKey: b.batch_key,
          status: b.status,
          records: b.records,
          accepted: b.accepted,
          rejected: b.rejected,
          attempts: b.attempts,
          lastError: b.last_error,
          createdAt: b.created_at.toISOString(),
          finishedAt: b.finished_at?.toISOString() ?? null,
        })),
      };
    },

    async close(agencyCode: string, by: ReviewActor, reason: string): Promise<AgencyRunState> {
      return update(agencyCode, (handle) => handle.executeUpdate(closeAgency, { args: [{ by, reason }] }));
    },

    /** Reminders and escalations of a province (newest first): what a coordinator follows up. */
    async notifications(provinceCode: string, opts: { kind?: 'reminder' | 'escalation'; agencyCode?: string; limit: number }) {
      const r = await pool.query<{ id: string; kind: string; agency_code: string; book: unknown; idle_since: Date; message_vi: string; created_at: Date }>(
        `SELECT * FROM notifications WHERE province_code = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR agency_code = $3) ORDER BY id DESC LIMIT $4`,
        [provinceCode, opts.kind ?? null, opts.agencyCode ?? null, opts.limit],
      );
      return r.rows.map((n) => ({ id: Number(n.id), kind: n.kind, agencyCode: n.agency_code, book: n.book, idleSince: n.idle_since.toISOString(), messageVi: n.message_vi, at: n.created_at.toISOString() }));
    },
  };
}
export type AgencyReview = ReturnType<typeof createAgencyReview>;

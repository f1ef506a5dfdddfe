/**
 * The decisions activity against a real PostgreSQL: a batch is decided once, whatever number of
 * attempts run it. Temporal retries a local activity whose result it did not record (a worker
 * lost mid-task), so the second attempt must find the batch and answer what the first decided.
 */
import { createHash } from 'node:crypto';
import { bookKey, numberKey } from '../../domain/naming/scan-name';
import type { BookRef } from '../../domain/review/review-types';
import { generateProvinceExport } from '../../domain/synthetic/province-export';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createReviewActivities, type DecideInput } from './decide-records';

const AGENCY = '00004';
const BOOK: BookRef = { registerType: 'KS', unitCode: AGENCY, bookYear: 2020, bookKey: bookKey('01') };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let db: TestDatabase;
let ids: number[];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ($1, 'Phường Ba Đình', 'commune', '01')`, [AGENCY]);
  const births = [...generateProvinceExport({ provinceCode: '01', records: 60, seed: 3 })]
    .filter((r) => r.type === 'KS')
    .slice(0, 4)
    .map((r, i) => JSON.stringify({ ...r.values, agencyCode: AGENCY, registerType: 'KS', bookYear: 2020, bookNumber: '01', registrationNumber: String(i + 1) }));
  const numbers = births.map((_, i) => String(i + 1));
  const inserted = await db.pool.query<{ id: string }>(
    `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256)
     SELECT $1, $1, 'KS', 2020, '01', x.number, $2, x.number_key, x.data, encode(sha256(convert_to(x.data::text, 'UTF8')), 'hex')
       FROM unnest($3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS x(number, number_key, data, n) ORDER BY x.n RETURNING id`,
    [AGENCY, BOOK.bookKey, numbers, numbers.map(numberKey), births],
  );
  ids = inserted.rows.map((r) => Number(r.id));
  // A page for the first three; the fourth was never scanned.
  for (const id of ids.slice(0, 3)) {
    await db.pool.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, 1, 'application/pdf')`, [sha(`page ${id}`)]);
    await db.pool.query('INSERT INTO attachments (record_id, sha256) VALUES ($1, $2)', [id, sha(`page ${id}`)]);
  }
});

afterAll(async () => {
  await db?.drop();
});

test('a batch retried after its first attempt committed returns what that attempt decided, and decides nothing twice', async () => {
  const { decideRecords } = createReviewActivities({ pool: db.pool });
  const [approved, rejected, corrected, unscanned] = ids as [number, number, number, number];
  const input: DecideInput = {
    batchKey: 'agency/00004/update/1',
    agencyCode: AGENCY,
    workflowId: 'agency/00004',
    by: { username: 'congchuc01', role: 'official', agencyCode: AGENCY },
    book: BOOK,
    items: [
      { recordId: approved, kind: 'approve', pages: [sha(`page ${approved}`)] },
      { recordId: rejected, kind: 'reject', reasonCode: 'PAGE_UNREADABLE' },
      { recordId: corrected, kind: 'correct', reasonCode: 'DATA_DIFFERS', fields: { signer: 'Nguyễn Văn Đức' } },
      { recordId: unscanned, kind: 'approve', pages: [] },
    ],
  };

  const first = await decideRecords(input);
  expect(first.outcomes).toEqual([
    { recordId: approved, kind: 'approve', outcome: 'decided', state: 'approved', version: 1 },
    { recordId: rejected, kind: 'reject', outcome: 'decided', state: 'rejected', version: 1 },
    { recordId: corrected, kind: 'correct', outcome: 'decided', state: 'imported', version: 2 },
    expect.objectContaining({ recordId: unscanned, kind: 'approve', outcome: 'refused', code: 'REVIEW_APPROVAL_WITHOUT_SCAN' }),
  ]);
  expect(first).toMatchObject({ decided: 3, refused: 1, counts: { records: 4, imported: 2, approved: 1, rejected: 1, awaitingScan: 1 } });

  const again = await decideRecords(input);
  expect(again).toEqual(first);
  const recorded = await db.pool.query<{ record_id: string; kind: string; record_version: number }>(
    'SELECT record_id, kind, record_version FROM decisions WHERE batch_key = $1 ORDER BY record_id',
    [input.batchKey],
  );
  expect(recorded.rows.map((r) => [Number(r.record_id), r.kind, r.record_version])).toEqual([
    [approved, 'approve', 1],
    [rejected, 'reject', 1],
    [corrected, 'correct', 2],
  ]);
  // The correction was not applied a second time: one earlier version kept, the record at version 2.
  const versions = await db.pool.query('SELECT version FROM record_versions WHERE record_id = $1', [corrected]);
  expect(versions.rows).toEqual([{ version: 1 }]);
  expect((await db.pool.query('SELECT version, data->>$2 AS signer FROM records WHERE id = $1', [corrected, 'signer'])).rows).toEqual([{ version: 2, signer: 'Nguyễn Văn Đức' }]);

  // One audit entry per record decided, once: who, as what, its states, the decision row, the pages compared.
  const decisionIds = new Map(
    (await db.pool.query<{ id: string; record_id: string }>('SELECT id, record_id FROM decisions WHERE batch_key = $1', [input.batchKey])).rows.map((r) => [Number(r.record_id), Number(r.id)]),
  );
  const entries = await db.pool.query(
    `SELECT province_code, agency_code, actor, actor_role, action, subject_kind, subject_id, record_id::int, workflow_id, state_before, state_after, details
       FROM audit_log WHERE details->>'batchKey' = $1 ORDER BY record_id`,
    [input.batchKey],
  );
  const common = { province_code: '01', agency_code: AGENCY, actor: 'congchuc01', actor_role: 'official', subject_kind: 'record', workflow_id: 'agency/00004' };
  expect(entries.rows).toEqual([
    { ...common, action: 'record.approve', subject_id: String(approved), record_id: approved, state_before: 'imported', state_after: 'approved', details: { decisionId: decisionIds.get(approved), batchKey: input.batchKey, version: 1, pages: [sha(`page ${approved}`)] } },
    { ...common, action: 'record.reject', subject_id: String(rejected), record_id: rejected, state_before: 'imported', state_after: 'rejected', details: { decisionId: decisionIds.get(rejected), batchKey: input.batchKey, version: 1, reasonCode: 'PAGE_UNREADABLE' } },
    { ...common, action: 'record.correct', subject_id: String(corrected), record_id: corrected, state_before: 'imported', state_after: 'imported', details: { decisionId: decisionIds.get(corrected), batchKey: input.batchKey, version: 2, reasonCode: 'DATA_DIFFERS', fields: ['signer'] } },
  ]);

  // Counts are read afresh when a batch is answered again: another batch has moved a record since.
  await decideRecords({ ...input, batchKey: 'agency/00004/update/2', items: [{ recordId: corrected, kind: 'reject', reasonCode: 'DATA_DIFFERS' }] });
  expect(await decideRecords(input)).toEqual({ ...first, counts: { ...first.counts, imported: 1, rejected: 2 } });
});

test('a rejected record is settled: approving or rejecting it again is refused; a correction reopens it for review', async () => {
  const { decideRecords } = createReviewActivities({ pool: db.pool });
  const rejected = ids[1]!;
  const by = { username: 'congchuc01', role: 'official' as const, agencyCode: AGENCY };
  const batch = (key: string, items: DecideInput['items']) => decideRecords({ batchKey: key, agencyCode: AGENCY, workflowId: 'agency/00004', by, book: BOOK, items });
  const refused = await batch('agency/00004/update/3', [
    { recordId: rejected, kind: 'approve', pages: [sha(`page ${rejected}`)] },
  ]);
  expect(refused.outcomes).toEqual([expect.objectContaining({ outcome: 'refused', code: 'REVIEW_RECORD_REJECTED' })]);
  expect(refused.outcomes[0]!.messageVi).toContain('đã bị từ chối');
  expect((await batch('agency/00004/update/4', [{ recordId: rejected, kind: 'reject', reasonCode: 'OTHER', comment: 'lần nữa' }])).outcomes[0]).toMatchObject({ code: 'REVIEW_RECORD_REJECTED' });
  const reopened = await batch('agency/00004/update/5', [{ recordId: rejected, kind: 'correct', reasonCode: 'ENCODING', fields: { signer: 'Trần Thị Bích Hường' } }]);
  expect(reopened.outcomes[0]).toMatchObject({ outcome: 'decided', state: 'imported' });
  const entry = await db.pool.query(`SELECT action, state_before, state_after FROM audit_log WHERE record_id = $1 ORDER BY chain_pos DESC LIMIT 1`, [rejected]);
  expect(entry.rows).toEqual([{ action: 'record.correct', state_before: 'rejected', state_after: 'imported' }]);
  // Reopened, it may be approved.
  expect((await batch('agency/00004/update/6', [{ recordId: rejected, kind: 'approve', pages: [sha(`page ${rejected}`)] }])).outcomes[0]).toMatchObject({ outcome: 'decided', state: 'approved' });
});

test('a page of approvals writes the new row versions on the records’ own pages, which their import left room for', async () => {
  const book = { ...BOOK, bookKey: bookKey('02') };
  const births = [...generateProvinceExport({ provinceCode: '01', records: 250, seed: 5 })]
    .filter((r) => r.type === 'KS')
    .slice(0, 50)
    .map((r, i) => JSON.stringify({ ...r.values, agencyCode: AGENCY, registerType: 'KS', bookYear: 2020, bookNumber: '02', registrationNumber: String(i + 1) }));
  expect(births).toHaveLength(50);
  const numbers = births.map((_, i) => String(i + 1));
  const inserted = await db.pool.query<{ id: string }>(
    `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256)
     SELECT $1, $1, 'KS', 2020, '02', x.number, $2, x.number_key, x.data, encode(sha256(convert_to(x.data::text, 'UTF8')), 'hex')
       FROM unnest($3::text[], $4::text[], $5::jsonb[]) AS x(number, number_key, data) RETURNING id`,
    [AGENCY, book.bookKey, numbers, numbers.map(numberKey), births],
  );
  const bookIds = inserted.rows.map((r) => Number(r.id));
  const pageOf = (ctid: string) => ctid.slice(1, ctid.indexOf(','));
  const pagesBefore = new Map(
    (await db.pool.query<{ id: string; ctid: string }>('SELECT id, ctid::text FROM records WHERE id = ANY($1::bigint[])', [bookIds])).rows.map((r) => [r.id, pageOf(r.ctid)]),
  );
  await db.pool.query(`INSERT INTO files (sha256, size_bytes, media_type) SELECT encode(sha256(id::text::bytea), 'hex'), 1, 'application/pdf' FROM unnest($1::bigint[]) AS id`, [bookIds]);
  await db.pool.query(`INSERT INTO attachments (record_id, sha256) SELECT id, encode(sha256(id::text::bytea), 'hex') FROM unnest($1::bigint[]) AS id`, [bookIds]);

  const { decideRecords } = createReviewActivities({ pool: db.pool });
  const result = await decideRecords({
    batchKey: 'agency/00004/update/pages',
    agencyCode: AGENCY,
    workflowId: 'agency/00004',
    by: { username: 'congchuc01', role: 'official', agencyCode: AGENCY },
    book,
    items: bookIds.map((id) => ({ recordId: id, kind: 'approve' as const, pages: [sha(String(id))] })),
  });
  expect(result.decided).toBe(50);
  // One entry per record, in the province's chain.
  expect((await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'record.approve' AND record_id = ANY($1::bigint[])`, [bookIds])).rows[0].n).toBe(50);
  const after = (await db.pool.query<{ id: string; ctid: string }>('SELECT id, ctid::text FROM records WHERE id = ANY($1::bigint[])', [bookIds])).rows;
  const stayed = after.filter((r) => pageOf(r.ctid) === pagesBefore.get(r.id)).length;
  expect(stayed).toBeGreaterThanOrEqual(25);
});

test('a page over several books is one batch and one transaction: its entries follow each other in the chain, and a retry decides nothing twice', async () => {
  const books = ['03', '04'].map((n) => ({ ...BOOK, bookKey: bookKey(n), number: n }));
  const births = [...generateProvinceExport({ provinceCode: '01', records: 60, seed: 7 })].filter((r) => r.type === 'KS');
  const idsOf = new Map<string, number[]>();
  for (const [b, n] of [[books[0]!, 2], [books[1]!, 1]] as const) {
    const data = births.splice(0, n).map((r, i) => JSON.stringify({ ...r.values, agencyCode: AGENCY, registerType: 'KS', bookYear: 2020, bookNumber: b.number, registrationNumber: String(i + 1) }));
    const numbers = data.map((_, i) => String(i + 1));
    const inserted = await db.pool.query<{ id: string }>(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256)
       SELECT $1, $1, 'KS', 2020, $6, x.number, $2, x.number_key, x.data, encode(sha256(convert_to(x.data::text, 'UTF8')), 'hex')
         FROM unnest($3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS x(number, number_key, data, n) ORDER BY x.n RETURNING id`,
      [AGENCY, b.bookKey, numbers, numbers.map(numberKey), data, b.number],
    );
    idsOf.set(b.number, inserted.rows.map((r) => Number(r.id)));
  }
  const all = [...idsOf.values()].flat();
  await db.pool.query(`INSERT INTO files (sha256, size_bytes, media_type) SELECT encode(sha256(id::text::bytea), 'hex'), 1, 'application/pdf' FROM unnest($1::bigint[]) AS id`, [all]);
  await db.pool.query(`INSERT INTO attachments (record_id, sha256) SELECT id, encode(sha256(id::text::bytea), 'hex') FROM unnest($1::bigint[]) AS id`, [all]);
  const [a1, a2] = idsOf.get('03')! as [number, number];
  const [r1] = idsOf.get('04')! as [number];
  const ref = ({ number: _n, ...b }: (typeof books)[number]): BookRef => b;

  const { decidePage } = createReviewActivities({ pool: db.pool });
  const page = {
    batchKey: 'agency/00004/update/page',
    agencyCode: AGENCY,
    workflowId: 'agency/00004',
    by: { username: 'congchuc02', role: 'official' as const, agencyCode: AGENCY },
    books: [
      { book: ref(books[0]!), items: [a1, a2].map((id) => ({ recordId: id, kind: 'approve' as const, pages: [sha(String(id))] })), claimed: { bookNumber: '03', since: '2026-12-07T06:00:00.000Z' } },
      { book: ref(books[1]!), items: [{ recordId: r1, kind: 'reject' as const, reasonCode: 'PAGE_UNREADABLE' as const }] },
    ],
  };
  const first = await decidePage(page);
  expect(first.map((r) => [r.batchKey, r.decided, r.refused, r.outcomes.map((o) => [o.recordId, o.outcome, o.state]), r.counts.records])).toEqual([
    [page.batchKey, 2, 0, [[a1, 'decided', 'approved'], [a2, 'decided', 'approved']], 2],
    [page.batchKey, 1, 0, [[r1, 'decided', 'rejected']], 1],
  ]);
  expect(await decidePage(page)).toEqual(first);
  expect((await db.pool.query(`SELECT count(*)::int AS n FROM decisions WHERE batch_key = $1`, [page.batchKey])).rows[0].n).toBe(3);
  expect((await db.pool.query(`SELECT result->>'decided' AS decided FROM review_batches WHERE batch_key = $1`, [page.batchKey])).rows).toEqual([{ decided: '3' }]);

  // The claim and the three decisions, written together: consecutive in the province's chain, each naming the one before.
  const entries = (
    await db.pool.query<{ action: string; record_id: string | null; chain_pos: string; prev_hash: string; hash: string }>(
      `SELECT action, record_id, chain_pos, prev_hash, hash FROM audit_log WHERE province_code = '01' AND (details->>'batchKey' = $1 OR (action = 'book.claim' AND actor = 'congchuc02')) ORDER BY chain_pos`,
      [page.batchKey],
    )
  ).rows;
  expect(entries.map((e) => [e.action, e.record_id === null ? null : Number(e.record_id)])).toEqual([['book.claim', null], ['record.approve', a1], ['record.approve', a2], ['record.reject', r1]]);
  entries.slice(1).forEach((e, n) => expect([Number(e.chain_pos), e.prev_hash]).toEqual([Number(entries[n]!.chain_pos) + 1, entries[n]!.hash]));
  // One transaction wrote the batch, the decisions and the entries: they carry one transaction id.
  const writers = await db.pool.query(
    `SELECT DISTINCT x FROM (SELECT xmin::text AS x FROM review_batches WHERE batch_key = $1 UNION ALL SELECT xmin::text FROM decisions WHERE batch_key = $1
                             UNION ALL SELECT xmin::text FROM audit_log WHERE details->>'batchKey' = $1 OR (action = 'book.claim' AND actor = 'congchuc02')) w`,
    [page.batchKey],
  );
  expect(writers.rows).toHaveLength(1);
});

/**
 * Who may do what in Step 4, enforced by the agency runs themselves on the real Temporal dev
 * server (whatever client sends the update) and by the review service: an official of one
 * agency neither decides on nor transfers another agency's records; a book claimed by one
 * official is closed to the others until a coordinator frees it or the claim lapses; an idle
 * book reminds the agency, then escalates to the coordinator, and the province run shows it.
 */
import fs from 'node:fs';
import type { Workers } from '../../worker/create-worker';
import { bookId, type BookRef, type ReviewActor, type ReviewBook, type ReviewSettings } from '../../domain/review/review-types';
import { hasWorkLeft } from '../../domain/review/review-rules';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { createAgencyReview, type AgencyReview } from '../../services/agency-review';
import { claimBook, decideRecords, releaseBook, transferNow } from '../../workflows/definitions';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import { codeOfAny, errorOf, importedProvince, recordsWhere, sleep, waitFor, type ImportedProvince, type RecordRow } from './review-support';

const SETTINGS: Partial<ReviewSettings> = { claimIdleMs: 4000, reminderAfterMs: 3000, escalateAfterMs: 6000, transferDelayMs: 500 };

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let imports: AgencyImports;
let review: AgencyReview;
let province: ImportedProvince;
let A: string;
let B: string;

const official = (username: string, agencyCode: string): ReviewActor => ({ username, role: 'official', agencyCode });
const coordinator: ReviewActor = { username: 'dieuphoi01', role: 'coordinator' };
const refOf = (b: BookRef): BookRef => ({ registerType: b.registerType, unitCode: b.unitCode, bookYear: b.bookYear, bookKey: b.bookKey });
const recordsOfBook = (agency: string, b: BookRef): Promise<RecordRow[]> =>
  recordsWhere(h.db.pool, 'r.agency_code = $1 AND r.register_type = $2 AND r.unit_code = $3 AND r.book_year = $4 AND r.book_key = $5', [agency, b.registerType, b.unitCode, b.bookYear, b.bookKey]);
/** The agency's books with most records first: the tests need a few records per book. */
const booksOf = async (agency: string): Promise<ReviewBook[]> => [...(await review.state(agency)).books].sort((x, y) => y.counts.records - x.counts.records);
const agencyHandle = (agency: string) => h.env.client.workflow.getHandle(agencyWorkflowId(agency, province.runId));

beforeAll(async () => {
  h = await createProvinceRunHarness('review-scope', { review: SETTINGS });
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('review-scope-gen');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  review = createAgencyReview({ temporal: h.env.client, pool: h.db.pool, imports });
  province = await importedProvince(h, gen, { seed: 303, records: 800, scannedRatio: 0.5 });
  [A, B] = [...province.manifest.agencies].sort((x, y) => y.rows - x.rows).map((a) => a.code) as [string, string];
});

afterAll(async () => {
  if (province) await h.runs.cancel(province.runId, 'dieuphoi01', 'kết thúc kiểm thử').catch(() => undefined);
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test("an official of one agency cannot decide on, claim or transfer another agency's records, whatever sends the update", async () => {
  const ofA = official('canbo_a', A);
  const [bookA] = await booksOf(A);
  const [bookB] = await booksOf(B);
  const recordsA = await recordsOfBook(A, bookA!);
  const recordsB = await recordsOfBook(B, bookB!);
  const reject = (r: RecordRow) => ({ recordId: r.id, kind: 'reject' as const, reasonCode: 'DUPLICATE' as const });

  // Straight to B's run, as a client that skips the API would.
  const handleB = agencyHandle(B);
  expect(await codeOfAny(handleB.executeUpdate(decideRecords, { args: [{ by: ofA, book: refOf(bookB!), items: [reject(recordsB[0]!)] }] }))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  expect(await codeOfAny(handleB.executeUpdate(claimBook, { args: [{ by: ofA, book: refOf(bookB!) }] }))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  expect(await codeOfAny(handleB.executeUpdate(releaseBook, { args: [{ by: ofA, book: refOf(bookB!) }] }))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  expect(await codeOfAny(handleB.executeUpdate(transferNow, { args: [{ by: ofA }] }))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  // Neither a coordinator nor an official who names no agency decides on records.
  expect(await codeOfAny(handleB.executeUpdate(decideRecords, { args: [{ by: coordinator, book: refOf(bookB!), items: [reject(recordsB[0]!)] }] }))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  expect(await codeOfAny(handleB.executeUpdate(decideRecords, { args: [{ by: { username: 'canbo_a', role: 'official' }, book: refOf(bookB!), items: [reject(recordsB[0]!)] }] }))).toBe(
    'REVIEW_NOT_OFFICIAL_OF_AGENCY',
  );
  const forbidden = await errorOf(handleB.executeUpdate(transferNow, { args: [{ by: ofA }] }));
  expect(forbidden.messageVi).toContain(B);
  // Refused updates leave nothing in B's history.
  expect((await agencyHandle(B).fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(0);

  // A's own run, naming B's book (not one of A's) or B's records under A's book.
  const handleA = agencyHandle(A);
  expect(await codeOfAny(handleA.executeUpdate(decideRecords, { args: [{ by: ofA, book: refOf(bookB!), items: [reject(recordsB[0]!)] }] }))).toBe(
    'REVIEW_BOOK_NOT_OPEN',
  );
  const smuggled = await handleA.executeUpdate(decideRecords, { args: [{ by: ofA, book: refOf(bookA!), items: [...recordsB.slice(0, 2).map(reject), reject(recordsA[0]!)] }] });
  expect(smuggled.outcomes).toEqual([
    expect.objectContaining({ recordId: recordsB[0]!.id, outcome: 'refused', code: 'REVIEW_RECORD_NOT_FOUND' }),
    ...(recordsB[1] ? [expect.objectContaining({ recordId: recordsB[1].id, outcome: 'refused', code: 'REVIEW_RECORD_NOT_FOUND' })] : []),
    expect.objectContaining({ recordId: recordsA[0]!.id, outcome: 'decided', state: 'rejected' }),
  ]);

  // Through the review service: A's records only, and B's run refuses A's official.
  expect(await codeOfAny(review.decide(A, ofA, [reject(recordsB[0]!)]))).toBe('REVIEW_RECORD_NOT_FOUND');
  expect(await codeOfAny(review.decide(B, ofA, [reject(recordsB[0]!)]))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  expect(await codeOfAny(review.claim(B, ofA, refOf(bookB!)))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  expect(await codeOfAny(review.transferNow(B, ofA))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
  const listed = await review.list(A, { limit: 10_000, offset: 0 });
  expect(listed.items.length).toBe(listed.total);
  const idsOfB = new Set((await recordsWhere(h.db.pool, 'r.agency_code = $1', [B])).map((r) => r.id));
  expect(listed.items.some((i) => idsOfB.has(i.id))).toBe(false);

  // B's records are untouched.
  const bState = await h.db.pool.query(`SELECT count(*)::int AS n FROM records WHERE agency_code = $1 AND (state <> 'imported' OR version <> 1)`, [B]);
  expect(bState.rows[0]).toEqual({ n: 0 });
  const bDecisions = await h.db.pool.query(`SELECT count(*)::int AS n FROM decisions d JOIN records r ON r.id = d.record_id WHERE r.agency_code = $1`, [B]);
  expect(bDecisions.rows[0]).toEqual({ n: 0 });
  expect(await h.db.pool.query(`SELECT 1 FROM review_batches WHERE agency_code = $1`, [B])).toHaveProperty('rowCount', 0);
});

test('a claimed book is closed to other officials until a coordinator frees it or the claim lapses', async () => {
  const book = refOf((await booksOf(A))[1]!);
  const records = (await recordsOfBook(A, book)).filter((r) => r.state === 'imported');
  expect(records.length).toBeGreaterThanOrEqual(3);
  const first = official('canbo01', A);
  const second = official('canbo02', A);
  const reject = (r: RecordRow) => [{ recordId: r.id, kind: 'reject' as const, reasonCode: 'DATA_DIFFERS' as const }];

  const claim = await review.claim(A, first, book);
  expect(claim.by).toBe('canbo01');
  const busy = await errorOf(review.decide(A, second, reject(records[0]!)));
  expect(busy.code).toBe('REVIEW_BOOK_CLAIMED');
  expect(busy.messageVi).toContain('canbo01');
  expect(await codeOfAny(review.claim(A, second, book))).toBe('REVIEW_BOOK_CLAIMED');
  expect(await codeOfAny(review.release(A, second, book))).toBe('REVIEW_BOOK_CLAIMED');
  expect(await recordsOfBook(A, book)).toEqual(expect.arrayContaining([expect.objectContaining({ id: records[0]!.id, state: 'imported' })]));

  // A coordinator frees the book; the other official takes it by deciding.
  await review.release(A, coordinator, book);
  expect((await review.state(A)).books.find((b) => b.bookKey === book.bookKey && b.registerType === book.registerType && b.unitCode === book.unitCode && b.bookYear === book.bookYear)!.claim).toBeUndefined();
  expect(await codeOfAny(review.release(A, coordinator, book))).toBe('REVIEW_CLAIM_NOT_HELD');
  expect((await review.decide(A, second, reject(records[0]!)))[0]!.outcomes).toEqual([expect.objectContaining({ outcome: 'decided', state: 'rejected' })]);
  expect(await codeOfAny(review.decide(A, first, reject(records[1]!)))).toBe('REVIEW_BOOK_CLAIMED');

  // Nobody frees it: the claim lapses after claimIdleMs without a decision by its holder.
  await sleep(SETTINGS.claimIdleMs! + 500);
  expect((await review.decide(A, first, reject(records[1]!)))[0]!.outcomes).toEqual([expect.objectContaining({ outcome: 'decided', state: 'rejected' })]);
  expect(await codeOfAny(review.decide(A, second, reject(records[2]!)))).toBe('REVIEW_BOOK_CLAIMED');
  const actors = await h.db.pool.query(`SELECT record_id::int AS id, actor FROM decisions WHERE record_id = ANY($1::bigint[]) ORDER BY record_id`, [records.slice(0, 3).map((r) => r.id)]);
  expect(actors.rows).toEqual([
    { id: records[0]!.id, actor: 'canbo02' },
    { id: records[1]!.id, actor: 'canbo01' },
  ]);

  // Who held the book when is on the audit log: each new claim (asked for, or taken by a decision, or over a lapsed claim) and each release, once.
  const held = await h.db.pool.query(
    `SELECT action, actor, actor_role, details - 'since' - 'bookNumber' AS details, run_id IS NOT NULL AS has_run FROM audit_log WHERE subject_kind = 'book' AND subject_id = $1 ORDER BY chain_pos`,
    [bookId(book)],
  );
  expect(held.rows).toEqual([
    { action: 'book.claim', actor: 'canbo01', actor_role: 'official', details: {}, has_run: true },
    { action: 'book.release', actor: 'dieuphoi01', actor_role: 'coordinator', details: { heldBy: 'canbo01' }, has_run: true },
    { action: 'book.claim', actor: 'canbo02', actor_role: 'official', details: {}, has_run: true },
    { action: 'book.claim', actor: 'canbo01', actor_role: 'official', details: { lapsedClaimOf: 'canbo02' }, has_run: true },
  ]);
});

test('an idle book reminds the agency, then escalates to the coordinator, and the province run counts it overdue until its agency\'s part is closed', async () => {
  // B's books have seen no decision since the import: each reminds after 3 s and escalates after 6 s.
  const notices = await waitFor(
    "B's reminders and escalations",
    async () => {
      const n = await review.notifications('01', { agencyCode: B, limit: 1000 });
      return n.some((x) => x.kind === 'escalation') ? n : undefined;
    },
    60_000,
  );
  const booksB = (await review.state(B)).books.filter(hasWorkLeft);
  expect(booksB.length).toBeGreaterThan(0);
  const escalated = await waitFor(
    'every idle book of B escalated',
    async () => {
      const s = await review.state(B);
      return s.books.filter(hasWorkLeft).every((b) => b.reminded && b.escalated) ? s : undefined;
    },
    60_000,
  );
  const all = await review.notifications('01', { agencyCode: B, limit: 1000 });
  expect(all.filter((n) => n.kind === 'reminder')).toHaveLength(booksB.length);
  expect(all.filter((n) => n.kind === 'escalation')).toHaveLength(booksB.length);
  expect(notices.length).toBeGreaterThan(0);
  for (const b of escalated.books.filter(hasWorkLeft)) {
    const of = all.filter((n) => bookId(n.book as BookRef) === bookId(b));
    for (const n of of) expect(n.book).toEqual({ registerType: b.registerType, unitCode: b.unitCode, bookYear: b.bookYear, bookKey: b.bookKey, bookNumber: b.bookNumber });
    expect(of.map((n) => n.kind).sort()).toEqual(['escalation', 'reminder']);
    const [reminder, escalation] = [of.find((n) => n.kind === 'reminder')!, of.find((n) => n.kind === 'escalation')!];
    expect(reminder.id).toBeLessThan(escalation.id);
    expect(reminder.idleSince).toBe(b.lastActivityAt);
    expect(Date.parse(reminder.at) - Date.parse(b.lastActivityAt)).toBeGreaterThanOrEqual(SETTINGS.reminderAfterMs!);
    expect(Date.parse(escalation.at) - Date.parse(b.lastActivityAt)).toBeGreaterThanOrEqual(SETTINGS.escalateAfterMs!);
    expect(reminder.messageVi).toContain('Nhắc việc');
    expect(escalation.messageVi).toContain('Quá hạn');
    // Each notice is on the audit log too, written with it.
    const logged = await h.db.pool.query(`SELECT action, actor_role, details->>'idleSince' AS idle_since FROM audit_log WHERE subject_kind = 'book' AND subject_id = $1 ORDER BY chain_pos`, [bookId(b)]);
    expect(logged.rows).toEqual([
      { action: 'book.reminder', actor_role: 'system', idle_since: b.lastActivityAt },
      { action: 'book.escalation', actor_role: 'system', idle_since: b.lastActivityAt },
    ]);
  }
  const overdue = await waitFor('the province run to count B overdue', async () => {
    const a = (await h.runs.status(province.runId)).progress.agencies.find((x) => x.code === B);
    return a?.overdueBooks === booksB.length ? a : undefined;
  });
  expect(overdue.phase).toBe('in_review');

  // A decision starts the book's idle clock again: it is no longer overdue, and it reminds again later.
  const book = [...booksB].sort((x, y) => y.counts.imported - x.counts.imported)[0]!;
  expect(book.counts.imported).toBeGreaterThanOrEqual(2);
  const [record] = (await recordsOfBook(B, book)).filter((r) => r.state === 'imported');
  await review.decide(B, official('canbo_b', B), [{ recordId: record!.id, kind: 'reject', reasonCode: 'DATA_DIFFERS' }]);
  const touched = (await review.state(B)).books.find((b) => b.bookKey === book.bookKey && b.registerType === book.registerType && b.unitCode === book.unitCode && b.bookYear === book.bookYear)!;
  expect(touched).toMatchObject({ reminded: false, escalated: false });
  expect(Date.parse(touched.lastActivityAt)).toBeGreaterThan(Date.parse(book.lastActivityAt));
  expect(hasWorkLeft(touched)).toBe(true);
  const newReminder = async () => (await review.notifications('01', { agencyCode: B, kind: 'reminder', limit: 1000 })).find((x) => x.idleSince === touched.lastActivityAt);
  // The coordinator's count drops with the work itself, before the book's next reminder is due.
  await waitFor(
    'the province run to count one overdue book fewer',
    async () => ((await h.runs.status(province.runId)).progress.agencies.find((x) => x.code === B)?.overdueBooks === booksB.length - 1 ? true : undefined),
    SETTINGS.reminderAfterMs! - 500,
    100,
  );
  expect(await newReminder()).toBeUndefined();
  const again = await waitFor('a new reminder of the touched book', newReminder);
  expect(Date.parse(again.at) - Date.parse(touched.lastActivityAt)).toBeGreaterThanOrEqual(SETTINGS.reminderAfterMs!);
  // Idle again past the escalation time: overdue again.
  await waitFor('the touched book overdue again', async () =>
    (await h.runs.status(province.runId)).progress.agencies.find((x) => x.code === B)?.overdueBooks === booksB.length ? true : undefined,
  );

  // Closed by a coordinator with its books left: its part has ended, and nothing of it is counted overdue any more.
  await review.close(B, { username: 'dieuphoi01', role: 'coordinator' }, 'Kết thúc theo quyết định của Sở Tư pháp');
  const closed = await waitFor('the province run to hear B has ended', async () => {
    const a = (await h.runs.status(province.runId)).progress.agencies.find((x) => x.code === B);
    return a?.phase === 'completed' ? a : undefined;
  });
  expect(closed.overdueBooks).toBeUndefined();
});

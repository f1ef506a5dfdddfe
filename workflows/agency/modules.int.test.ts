/**
 * The agency run's parts, each on its own, on Temporal's time-skipping test server (the
 * temporal-test-server binary `npm ci` installs): days of idle books and minutes of transfer
 * delays pass in moments. The activities are the test's own, standing for the database: each
 * records what it was asked and answers as the real one would.
 */
import { vietnamTime } from '../../domain/text/vietnam-time';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { BookClaimEntry } from '../../activities/review/book-claims';
import type { DecideInput, DecidePageInput } from '../../activities/review/decide-records';
import type { IdleBookNotice } from '../../activities/review/notify-idle-book';
import type { RunEvent } from '../../activities/runs/run-events';
import type { TransferInput } from '../../activities/transfer/transfer-approved';
import { stateAfter } from '../../domain/records/life-cycle';
import { expectSplitFiles } from '../../domain/review/agency-end';
import { EMPTY_COUNTS, type BookCounts, type BookRef, type DecisionResult, type ReviewActor, type ReviewBook, type ReviewSettings, type TransferBatchResult } from '../../domain/review/review-types';
import type { AgencyRunState } from '../../domain/runs/province-run';
import { resolveTool } from '../../platform/temporal-cli';
import { appErrorOf } from '../failures';
import type { ExcelImportInput, ExcelImportResult } from '../../domain/imports/import-types';
import type { ScanImportInput, ScanImportReport } from '../../domain/scans/scan-import';
import { agencyRunProgress, claimBook, closeAgency, decidePage, decideRecords, importExcel, importScans, releaseBook, transferNow } from '../definitions';
import type { AgencyRunInput } from './agency-context';
import { closeSignal, countsSignal, heardQuery, importLandedSignal, importStartedSignal, requestTransferSignal, splitFilesSignal, stopSignal, touchSignal } from './modules.test-workflows';
import { ensureSearchAttributes } from '../../platform/temporal-namespace';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const AGENCY = '00004';
const SETTINGS: ReviewSettings = { claimIdleMs: 30 * MINUTE, reminderAfterMs: 72 * HOUR, escalateAfterMs: 168 * HOUR, transferBatchSize: 25, transferDelayMs: 10 * MINUTE };

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let runs = 0;

beforeAll(async () => {
  const path = resolveTool('temporal-test-server', { rootDir: `${__dirname}/../..` });
  [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } }),
    bundleWorkflowCode({ workflowsPath: require.resolve('./modules.test-workflows') }),
  ]);
  // The run keeps its phase in a search attribute, which the test server must know, as ours do.
  await ensureSearchAttributes(env.connection, 'default');
});
afterAll(() => env?.teardown());

const book = (bookKey: string, counts: Partial<BookCounts>, at: string): ReviewBook => ({
  registerType: 'KS',
  unitCode: AGENCY,
  bookYear: 2009,
  bookKey,
  bookNumber: bookKey.padStart(2, '0'),
  counts: { ...EMPTY_COUNTS, ...counts },
  lastActivityAt: at,
});
const refOf = ({ registerType, unitCode, bookYear, bookKey }: BookRef): BookRef => ({ registerType, unitCode, bookYear, bookKey });

/** The input of a run whose state is `books` (as a run carries it over), reporting to `parent`. */
function inputOf(books: ReviewBook[], opts: { parent?: string; splitFiles?: AgencyRunState['splitFiles'] } = {}): AgencyRunInput {
  const carried: AgencyRunState = {
    code: AGENCY,
    name: 'UBND phường Ba Đình',
    level: 'commune',
    rows: 100,
    files: 1,
    phase: 'in_review',
    importsDone: 1,
    imports: [],
    splitFiles: opts.splitFiles,
    books,
    transfer: { keys: 0, batches: 0, transferred: 0, rejectedByTarget: 0 },
    decisionBatches: 0,
  };
  return { runId: 'r1', provinceCode: '01', parentWorkflowId: opts.parent ?? 'province/01/none', agency: carried, review: SETTINGS, carried };
}

/** Runs `fn` with a worker of the test workflows and these activities on a queue of its own. */
async function withWorker<T>(activities: object, fn: (start: (workflow: string, input: AgencyRunInput) => Promise<WorkflowHandle>) => Promise<T>): Promise<T> {
  const taskQueue = `agency-modules-${++runs}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  return worker.runUntil(fn((workflow, input) => env.client.workflow.start(workflow, { taskQueue, workflowId: `agency/${AGENCY}/r${runs}-${workflow}`, args: [input] })));
}

const now = () => env.currentTimeMs();
const stateOf = (h: WorkflowHandle) => h.query(agencyRunProgress);
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never saw ${what}`);
}
const codeOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (e) {
    return appErrorOf(e)?.code ?? (e instanceof WorkflowUpdateFailedError ? 'UPDATE_FAILED' : String(e));
  }
  return 'accepted';
};

describe('transfer scheduler', () => {
  /** The database behind the batches: approved records waiting, and each batch asked for, with when (in the test server's time) and how many were sent at once. */
  function target(approved: number) {
    const db = { approved, sent: [] as Array<{ batchKey: string; at: number; records: number }>, busy: 0, mostAtOnce: 0, counted: 0 };
    const only = book('1', {}, '2025-01-01T00:00:00.000Z');
    const counts = (): BookCounts => ({ ...EMPTY_COUNTS, records: 200, approved: db.approved, imported: 100 - db.approved });
    return {
      db,
      books: [{ ...only, counts: counts() }],
      activities: {
        async transferApproved(input: TransferInput): Promise<TransferBatchResult | undefined> {
          db.busy++;
          db.mostAtOnce = Math.max(db.mostAtOnce, db.busy);
          await new Promise((r) => setTimeout(r, 100));
          db.busy--;
          const records = Math.min(db.approved, input.limit);
          if (records === 0) return undefined;
          db.approved -= records;
          db.sent.push({ batchKey: input.batchKey, at: Context.current().info.currentAttemptScheduledTimestampMs, records });
          return { batchKey: input.batchKey, records, accepted: records, rejected: 0, books: [{ ...refOf(only), bookNumber: only.bookNumber, counts: counts() }] };
        },
        async agencyBooks() {
          db.counted++;
          return [{ ...refOf(only), bookNumber: only.bookNumber, counts: counts() }];
        },
      },
    };
  }

  test('approvals short of a batch wait the transfer delay, then leave in one batch', async () => {
    const t = target(0);
    await withWorker(t.activities, async (start) => {
      const h = await start('transferSchedulerUnderTest', inputOf(t.books));
      t.db.approved = 10;
      const approvedAt = await now();
      await h.signal(countsSignal, { book: refOf(t.books[0]!), counts: { approved: 10 }, approved: true });
      await env.sleep(SETTINGS.transferDelayMs - MINUTE);
      expect(t.db.sent).toEqual([]);
      await env.sleep(2 * MINUTE);
      await until('the batch', async () => ((await stateOf(h)).transfer.transferred === 10 ? true : undefined));
      expect(t.db.sent).toHaveLength(1);
      expect(t.db.sent[0]!.at - approvedAt).toBeGreaterThanOrEqual(SETTINGS.transferDelayMs);
      await h.signal(stopSignal);
      await h.result();
    });
  });

  test('a full batch leaves at once, in two lanes, until none is waiting', async () => {
    const t = target(0);
    await withWorker(t.activities, async (start) => {
      const h = await start('transferSchedulerUnderTest', inputOf(t.books));
      t.db.approved = 60;
      await h.signal(countsSignal, { book: refOf(t.books[0]!), counts: { approved: 60 }, approved: true });
      const state = await until('every approved record sent', async () => {
        const s = await stateOf(h);
        return s.transfer.transferred === 60 ? s : undefined;
      });
      expect(t.db.sent.map((b) => b.records).sort((a, b) => b - a)).toEqual([25, 25, 10]);
      expect(t.db.mostAtOnce).toBe(2);
      expect(state.transfer).toMatchObject({ batches: 3, keys: 3 });
      expect(new Set(t.db.sent.map((b) => b.batchKey)).size).toBe(3);
      await h.signal(stopSignal);
      await h.result();
    });
  });

  test('asked to, it sends what is approved without waiting; a batch that finds nothing makes it count again instead of asking forever', async () => {
    const t = target(0);
    await withWorker(t.activities, async (start) => {
      const h = await start('transferSchedulerUnderTest', inputOf(t.books));
      t.db.approved = 3;
      await h.signal(countsSignal, { book: refOf(t.books[0]!), counts: { approved: 3 }, approved: true });
      await h.signal(requestTransferSignal);
      await until('the batch asked for', async () => ((await stateOf(h)).transfer.transferred === 3 ? true : undefined));
      // The run's counts say two more are approved, but they have gone (another decision crossed): the batch finds none.
      await h.signal(countsSignal, { book: refOf(t.books[0]!), counts: { approved: 2 }, approved: true });
      await h.signal(requestTransferSignal);
      const state = await until('the counts read again', async () => {
        const s = await stateOf(h);
        return t.db.counted === 1 && s.books[0]!.counts.approved === 0 ? s : undefined;
      });
      expect(state.transfer).toMatchObject({ batches: 1, transferred: 3 });
      await h.signal(stopSignal);
      await h.result();
      expect(t.db.counted).toBe(1);
    });
  });
  test('a decision made while a batch is out is not hidden by the counts the batch brings back', async () => {
    // One book: 3 approved, 1 rejected. The batch counts the book, then waits; meanwhile the rejected record is
    // corrected, back in review, and the run hears the decision's counts; then the batch comes back with its own.
    const only = book('1', { records: 4, approved: 3, rejected: 1 }, '2025-01-01T00:00:00.000Z');
    let db: BookCounts = { ...only.counts };
    const opened = () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    };
    const gate = { batch: opened(), counting: opened() };
    let batchOut = false;
    const activities = {
      async transferApproved(input: TransferInput): Promise<TransferBatchResult | undefined> {
        if (db.approved === 0) return undefined;
        const records = db.approved;
        db = { ...db, approved: 0, transferred: db.transferred + records };
        const counted = { ...db };
        batchOut = true;
        await gate.batch.promise;
        return { batchKey: input.batchKey, records, accepted: records, rejected: 0, books: [{ ...refOf(only), bookNumber: only.bookNumber, counts: counted }] };
      },
      async agencyBooks() {
        await gate.counting.promise;
        return [{ ...refOf(only), bookNumber: only.bookNumber, counts: { ...db } }];
      },
    };
    await withWorker(activities, async (start) => {
      const h = await start('transferSchedulerUnderTest', inputOf([only]));
      try {
      await h.signal(requestTransferSignal);
      await until('the batch out', async () => (batchOut ? true : undefined));
      db = { ...db, rejected: 0, imported: 1 };
      await h.signal(countsSignal, { book: refOf(only), counts: { rejected: 0, imported: 1 }, decided: true });
      gate.batch.resolve();
      await until('the batch back', async () => ((await stateOf(h)).transfer.transferred === 3 ? true : undefined));
      // Before the book is counted again, the run still shows the corrected record waiting for review.
      expect((await stateOf(h)).books[0]!.counts).toMatchObject({ imported: 1, rejected: 0 });
      gate.counting.resolve();
      const counted = await until('the book counted again', async () => {
        const b = (await stateOf(h)).books[0]!;
        return b.counts.transferred === 3 ? b : undefined;
      });
      expect(counted.counts).toMatchObject({ records: 4, approved: 0, transferred: 3, imported: 1, rejected: 0 });
      } finally {
        // A failed expectation must not leave the worker waiting on an activity held at its gate.
        gate.batch.resolve();
        gate.counting.resolve();
        await h.signal(stopSignal);
      }
      await h.result();
    });
  });
});

describe('idle-book notices', () => {
  function office() {
    const notices: Array<IdleBookNotice & { at: number }> = [];
    return {
      notices,
      activities: {
        async notifyIdleBook(n: IdleBookNotice) {
          notices.push({ ...n, at: Context.current().info.currentAttemptScheduledTimestampMs });
        },
        async agencyBooks() {
          return [];
        },
      },
    };
  }

  test('a book with work left idle reminds the agency, then escalates; the province run hears it overdue; work on it starts its clock again', async () => {
    const o = office();
    const parent = await env.client.workflow.start('parentUnderTest', { taskQueue: 'agency-modules-parent', workflowId: `province/01/notices-${Date.now()}` });
    const parentWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'agency-modules-parent', workflowBundle: bundle });
    await parentWorker.runUntil(
      withWorker(o.activities, async (start) => {
        const since = new Date(await now()).toISOString();
        const idle = book('1', { records: 10, imported: 4, rejected: 6 }, since);
        const settled = book('2', { records: 10, transferred: 8, rejected: 2 }, since);
        const h = await start('idleNoticesUnderTest', inputOf([idle, settled], { parent: parent.workflowId }));
        await env.sleep(SETTINGS.reminderAfterMs - HOUR);
        expect(o.notices).toEqual([]);
        await env.sleep(2 * HOUR);
        await until('the reminder', async () => (o.notices.length === 1 ? true : undefined));
        await env.sleep(SETTINGS.escalateAfterMs - SETTINGS.reminderAfterMs);
        await until('the escalation', async () => (o.notices.length === 2 ? true : undefined));
        // Only the book with work left, once each, at their times from the moment it went idle.
        expect(o.notices.map((n) => [n.kind, n.book.bookKey, n.idleSince])).toEqual([
          ['reminder', '1', since],
          ['escalation', '1', since],
        ]);
        expect(o.notices[0]!.at - Date.parse(since)).toBeGreaterThanOrEqual(SETTINGS.reminderAfterMs);
        expect(o.notices[1]!.at - Date.parse(since)).toBeGreaterThanOrEqual(SETTINGS.escalateAfterMs);
        expect(o.notices[0]!.messageVi).toMatch(/^Nhắc việc: Sổ đăng ký khai sinh, quyển số 01 năm 2009 .* không có thao tác nào từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}; còn 4 hồ sơ chờ kiểm tra/);
        expect(o.notices[0]!.messageVi).toContain(`từ ${vietnamTime(since)};`);
        expect(o.notices[1]!.messageVi).toMatch(/^Quá hạn: .* Đề nghị điều phối viên đôn đốc cơ quan\.$/);
        await until('the province run told of one overdue book', async () => ((await parent.query(heardQuery)).at(-1)?.overdueBooks === 1 ? true : undefined));

        // Work on it: no longer overdue, and a new idle period with notices of its own later.
        await h.signal(touchSignal, refOf(idle));
        await until('the province run told it is no longer overdue', async () => ((await parent.query(heardQuery)).at(-1)?.overdueBooks === 0 ? true : undefined));
        const touched = (await stateOf(h)).books[0]!;
        expect(touched).toMatchObject({ reminded: false, escalated: false });
        await env.sleep(SETTINGS.reminderAfterMs + HOUR);
        await until('the new reminder', async () => (o.notices.length === 3 ? true : undefined));
        expect(o.notices[2]).toMatchObject({ kind: 'reminder', idleSince: touched.lastActivityAt });
        await h.signal(stopSignal);
        await h.result();
      }),
    );
  });
});

describe('import handlers', () => {
  test('an import waits for the split files the run expects, counts toward them, opens the agency early, and names who imported as what; a page that reopens a record restarts its book\'s idle clock', async () => {
    const asked: ExcelImportInput[] = [];
    const imported = book('1', { records: 40, imported: 40, awaitingScan: 40 }, '');
    const activities = {
      async importExcel(input: ExcelImportInput): Promise<ExcelImportResult> {
        asked.push(input);
        const { registerType, unitCode, bookYear, bookKey, bookNumber } = imported;
        return {
          importId: asked.length,
          importKey: input.importKey,
          agencyCode: input.agencyCode,
          registerType,
          source: input.source,
          counts: { read: 40, inserted: 40, updated: 0, unchanged: 0, rejected: 0 },
          blankRows: 0,
          rejectedByCode: {},
          books: [{ unitCode, bookYear, bookKey, bookNumber, rows: 40, records: 40 }],
          attachedWaitingScans: 0,
        };
      },
      async agencyBooks() {
        return [{ ...refOf(imported), bookNumber: imported.bookNumber, counts: imported.counts }];
      },
      /** A page for a rejected record: it goes back to review, its book has work again. */
      async importScans(input: ScanImportInput): Promise<ScanImportReport> {
        imported.counts = { ...imported.counts, imported: imported.counts.imported + 1, rejected: imported.counts.rejected - 1 };
        const counts = { entries: 1, attached: 1, alreadyAttached: 0, replaced: 0, unmatched: 0, rejected: 0, missingPages: 0, bytes: 1000 };
        return { importId: 9, importKey: input.importKey, agencyCode: input.agencyCode, zip: input.zip, counts, rejected: [], unmatched: [], missingPages: [], pageGaps: [] };
      },
    };
    await withWorker(activities, async (start) => {
      const input = inputOf([]);
      const h = await start('importHandlersUnderTest', { ...input, carried: { ...input.carried!, phase: 'scheduled', books: [], importsDone: 0 } });
      const source = { sha256: 'c'.repeat(64), name: 'KS - Sổ đăng ký khai sinh.xls' };
      const official = { username: 'canbo01', agencyCode: AGENCY };
      expect(await codeOf(h.executeUpdate(importExcel, { args: [{ by: { username: 'canbo.khac', agencyCode: '00007' }, registerType: 'KS', source }] }))).toBe('IMPORT_OTHER_AGENCY');
      expect(await codeOf(h.executeUpdate(importExcel, { args: [{ by: official, registerType: 'XX' as never, source }] }))).toBe('IMPORT_REGISTER_TYPE_INVALID');
      expect(await codeOf(h.executeUpdate(importExcel, { args: [{ by: official, registerType: 'KS', source: { ...source, sha256: 'abc' } }] }))).toBe('IMPORT_SOURCE_INVALID');
      // Accepted before the run knows its split files: it waits for them.
      const byOfficial = h.executeUpdate(importExcel, { args: [{ by: official, registerType: 'KS', source }] });
      await env.sleep(MINUTE);
      expect(asked).toEqual([]);
      await h.signal(splitFilesSignal, [{ registerType: 'KS', sha256: 'a'.repeat(64) }, { registerType: 'KS', sha256: 'b'.repeat(64) }]);
      expect((await byOfficial).counts.read).toBe(40);
      const byCoordinator = await h.executeUpdate(importExcel, { args: [{ by: { username: 'dieuphoi01' }, registerType: 'KS', source: { ...source, sha256: 'd'.repeat(64) } }] });
      expect(byCoordinator.importId).toBe(2);
      expect(asked.map((a) => [a.actor, a.actorRole, a.importKey.startsWith(`agency/${AGENCY}/`)])).toEqual([
        ['canbo01', 'official', true],
        ['dieuphoi01', 'coordinator', true],
      ]);
      const state = await stateOf(h);
      // Imported before its slot: the agency is open for review; both split files are in.
      expect(state).toMatchObject({ phase: 'in_review', importsDone: 2, splitFiles: { imported: { KS: ['c'.repeat(64), 'd'.repeat(64)] } } });
      expect(state.books.map((b) => b.bookKey)).toEqual(['1']);

      // Its records all rejected later, the book is settled; a page then reopens one, and the book's idle clock starts again.
      imported.counts = { ...imported.counts, imported: 0, rejected: 40 };
      await env.sleep(HOUR);
      await h.executeUpdate(importScans, { args: [{ by: official, zip: { sha256: 'e'.repeat(64), name: 'KS.2009.01.zip' } }] });
      const after = (await stateOf(h)).books[0]!;
      expect(after.counts).toMatchObject({ imported: 1, rejected: 39 });
      expect(Date.parse(after.lastActivityAt)).toBeGreaterThan(Date.parse(state.books[0]!.lastActivityAt) + 30 * MINUTE);
      await h.signal(stopSignal);
      await h.result();
    });
  });
});

describe('review handlers', () => {
  const official = (username: string, agencyCode = AGENCY): ReviewActor => ({ username, role: 'official', agencyCode });
  const coordinator: ReviewActor = { username: 'dieuphoi01', role: 'coordinator' };

  function office() {
    const audit: BookClaimEntry[] = [];
    const decided: DecideInput[] = [];
    const pages: DecidePageInput[] = [];
    return {
      audit,
      decided,
      pages,
      activities: {
        async recordBookAction(e: BookClaimEntry) {
          // The log cannot be written for this one: the claim must not stand.
          if (e.by.username === 'khong-ghi-duoc') throw new Error('database unreachable');
          audit.push(e);
        },
        async decideRecords(input: DecideInput): Promise<DecisionResult> {
          decided.push(input);
          const outcomes = input.items.map((i) => ({ recordId: i.recordId, kind: i.kind, outcome: 'decided' as const, state: stateAfter(i.kind, 'imported'), version: 1 }));
          return { batchKey: input.batchKey, decided: outcomes.length, refused: 0, outcomes, counts: { ...EMPTY_COUNTS, records: 10, imported: 10 - outcomes.length, rejected: outcomes.length } };
        },
        async decidePage(input: DecidePageInput): Promise<DecisionResult[]> {
          if (input.by.username === 'khong-ghi-duoc') throw new Error('database unreachable');
          pages.push(input);
          return input.books.map((b) => {
            const outcomes = b.items.map((i) => ({ recordId: i.recordId, kind: i.kind, outcome: 'decided' as const, state: stateAfter(i.kind, 'imported'), version: 1 }));
            return { batchKey: input.batchKey, decided: outcomes.length, refused: 0, outcomes, counts: { ...EMPTY_COUNTS, records: 10, imported: 10 - outcomes.length, rejected: outcomes.length } };
          });
        },
        async agencyBooks() {
          return [];
        },
      },
    };
  }

  test('a page over several books is one update and one activity: every book checked before the history, claimed (given back if the page fails), and given its counts', async () => {
    const o = office();
    await withWorker(o.activities, async (start) => {
      const since = new Date(await now()).toISOString();
      const [one, two, three] = ['1', '2', '3'].map((n) => book(n, { records: 10, imported: 10 }, since)) as [ReviewBook, ReviewBook, ReviewBook];
      const h = await start('reviewHandlersUnderTest', inputOf([one, two, three]));
      const [a, b] = [official('canbo01'), official('canbo02')];
      const reject = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ recordId: from + i, kind: 'reject' as const, reasonCode: 'DATA_DIFFERS' as const }));
      await h.executeUpdate(claimBook, { args: [{ by: b, book: refOf(three) }] });

      // Refused before the history, the activity never asked: no book, more than a page in all, a book another official holds.
      expect(await codeOf(h.executeUpdate(decidePage, { args: [{ by: a, books: [] }] }))).toBe('REVIEW_BATCH_EMPTY');
      expect(await codeOf(h.executeUpdate(decidePage, { args: [{ by: a, books: [{ book: refOf(one), items: reject(1, 150) }, { book: refOf(two), items: reject(1001, 150) }] }] }))).toBe('REVIEW_BATCH_TOO_LARGE');
      expect(await codeOf(h.executeUpdate(decidePage, { args: [{ by: a, books: [{ book: refOf(one), items: reject(1, 2) }, { book: refOf(three), items: reject(301, 1) }] }] }))).toBe('REVIEW_BOOK_CLAIMED');
      expect(o.pages).toEqual([]);

      // The page cannot be written: the books it claimed for it are given back as they were, and nobody's claim is on the log.
      const c = official('khong-ghi-duoc');
      expect(await codeOf(h.executeUpdate(decidePage, { args: [{ by: c, books: [{ book: refOf(one), items: reject(1, 1) }, { book: refOf(two), items: reject(101, 1) }] }] }))).toBe('UPDATE_FAILED');
      expect((await stateOf(h)).books.map((x) => [x.bookKey, x.claim?.by])).toEqual([['1', undefined], ['2', undefined], ['3', 'canbo02']]);
      expect(o.pages).toEqual([]);

      const results = await h.executeUpdate(decidePage, { args: [{ by: a, books: [{ book: refOf(one), items: reject(1, 2) }, { book: refOf(two), items: reject(101, 3) }] }] });
      expect(results.map((r) => r.decided)).toEqual([2, 3]);
      expect(o.pages.map((p) => [p.by.username, p.books.map((x) => [x.book.bookKey, x.items.length, x.claimed?.bookNumber])])).toEqual([['canbo01', [['1', 2, '01'], ['2', 3, '02']]]]);
      expect(new Set([o.pages[0]!.batchKey, ...results.map((r) => r.batchKey)]).size).toBe(1);
      const state = await stateOf(h);
      expect(state.decisionBatches).toBe(1);
      expect(state.books.map((x) => [x.bookKey, x.claim?.by, x.counts.rejected])).toEqual([['1', 'canbo01', 2], ['2', 'canbo01', 3], ['3', 'canbo02', 0]]);
      expect(await codeOf(h.executeUpdate(decidePage, { args: [{ by: b, books: [{ book: refOf(one), items: reject(3, 1) }] }] }))).toBe('REVIEW_BOOK_CLAIMED');
      await h.executeUpdate(closeAgency, { args: [{ by: coordinator, reason: 'hết hạn' }] });
      await h.result();
    });
  });

  test('one official at a time holds a book; claims, lapses and releases are audited; decisions and close are whose the life cycle says', async () => {
    const o = office();
    await withWorker(o.activities, async (start) => {
      const since = new Date(await now()).toISOString();
      const open = book('1', { records: 10, imported: 10 }, since);
      const settled = book('2', { records: 5, rejected: 5 }, since);
      const h = await start('reviewHandlersUnderTest', inputOf([open, settled]));
      const [a, b] = [official('canbo01'), official('canbo02')];
      const ref = refOf(open);
      const reject = (recordId: number) => [{ recordId, kind: 'reject' as const, reasonCode: 'DATA_DIFFERS' as const }];

      expect((await h.executeUpdate(claimBook, { args: [{ by: a, book: ref }] })).by).toBe('canbo01');
      await h.executeUpdate(claimBook, { args: [{ by: a, book: ref }] });
      expect(await codeOf(h.executeUpdate(claimBook, { args: [{ by: b, book: ref }] }))).toBe('REVIEW_BOOK_CLAIMED');
      expect(await codeOf(h.executeUpdate(decideRecords, { args: [{ by: b, book: ref, items: reject(1) }] }))).toBe('REVIEW_BOOK_CLAIMED');
      expect(await codeOf(h.executeUpdate(claimBook, { args: [{ by: coordinator, book: ref }] }))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
      expect(await codeOf(h.executeUpdate(decideRecords, { args: [{ by: official('canbo.khac', '00007'), book: ref, items: reject(1) }] }))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
      // Nothing left in the settled book that a rejection could start from: refused before the history, the activity never asked.
      expect(await codeOf(h.executeUpdate(decideRecords, { args: [{ by: a, book: refOf(settled), items: reject(7) }] }))).toBe('REVIEW_NOTHING_TO_DECIDE');
      expect(o.decided).toEqual([]);

      // The holder's claim lapses after claimIdleMs without a decision: the other official takes the book by deciding.
      await env.sleep(SETTINGS.claimIdleMs + MINUTE);
      await h.executeUpdate(decideRecords, { args: [{ by: b, book: ref, items: reject(1) }] });
      expect(o.decided.map((d) => [d.by.username, d.claimed?.lapsedClaimOf])).toEqual([['canbo02', 'canbo01']]);
      expect(await codeOf(h.executeUpdate(releaseBook, { args: [{ by: a, book: ref }] }))).toBe('REVIEW_BOOK_CLAIMED');
      await h.executeUpdate(releaseBook, { args: [{ by: coordinator, book: ref }] });
      expect(await codeOf(h.executeUpdate(releaseBook, { args: [{ by: coordinator, book: ref }] }))).toBe('REVIEW_CLAIM_NOT_HELD');

      // A claim that cannot be written to the log does not stand.
      expect(await codeOf(h.executeUpdate(claimBook, { args: [{ by: official('khong-ghi-duoc'), book: ref }] }))).not.toBe('accepted');
      expect((await stateOf(h)).books[0]!.claim).toBeUndefined();
      expect(o.audit.map((e) => [e.action, e.by.username, e.details.lapsedClaimOf ?? e.details.heldBy ?? null])).toEqual([
        ['book.claim', 'canbo01', null],
        ['book.release', 'dieuphoi01', 'canbo02'],
      ]);
      expect(new Set(o.audit.map((e) => e.key)).size).toBe(2);

      const progress = await h.executeUpdate(transferNow, { args: [{ by: a }] });
      expect(progress).toMatchObject({ batches: 0 });
      expect(await codeOf(h.executeUpdate(closeAgency, { args: [{ by: a, reason: 'hết hạn' }] }))).toBe('REVIEW_NOT_COORDINATOR');
      expect(await codeOf(h.executeUpdate(closeAgency, { args: [{ by: coordinator, reason: ' ' }] }))).toBe('AGENCY_CLOSE_REASON_MISSING');
      expect((await h.executeUpdate(closeAgency, { args: [{ by: coordinator, reason: 'hết hạn' }] })).phase).toBe('completed');
      await h.result();
    });
  });
});

describe('end of the run', () => {
  /** `approvedInDb` approved records the database holds, and the book's counts once they are sent. */
  function office(approvedInDb = 0, countsAfter: Partial<BookCounts> = {}) {
    const events: RunEvent[] = [];
    const db = { approved: approvedInDb };
    return {
      events,
      db,
      activities: {
        async recordRunEvent(e: RunEvent) {
          events.push(e);
        },
        async transferApproved(input: TransferInput): Promise<TransferBatchResult | undefined> {
          const records = Math.min(db.approved, input.limit);
          if (records === 0) return undefined;
          db.approved -= records;
          return { batchKey: input.batchKey, records, accepted: records, rejected: 0, books: [{ ...refOf(book('1', {}, '')), bookNumber: '01', counts: { ...EMPTY_COUNTS, ...countsAfter } }] };
        },
        async agencyBooks() {
          return [];
        },
      },
    };
  }

  test('it ends by itself only when every split file is in, no import is in flight and every book is settled', async () => {
    const o = office();
    await withWorker(o.activities, async (start) => {
      const since = new Date(await now()).toISOString();
      const b = book('1', { records: 10, imported: 10 }, since);
      const h = await start('runEndUnderTest', inputOf([b], { splitFiles: expectSplitFiles([{ registerType: 'KS', sha256: 'a'.repeat(64) }, { registerType: 'KT', sha256: 'b'.repeat(64) }]) }));
      const settle = (counts: Partial<BookCounts>) => h.signal(countsSignal, { book: refOf(b), counts });
      // Every book settled, but a split file is still to import.
      await settle({ imported: 0, rejected: 10 });
      await h.signal(importStartedSignal);
      await h.signal(importLandedSignal, { registerType: 'KS', sha256: 'a'.repeat(64) });
      // The last file's import is in flight: its records are still to come.
      await h.signal(importStartedSignal);
      await env.sleep(HOUR);
      expect((await stateOf(h)).phase).toBe('in_review');
      // It lands, with records to review; then they are decided.
      await settle({ records: 12, imported: 2 });
      await h.signal(importLandedSignal, { registerType: 'KT', sha256: 'b'.repeat(64) });
      await env.sleep(HOUR);
      expect(o.events).toEqual([]);
      await settle({ imported: 0, rejected: 12 });
      const done = await h.result();
      expect(done.phase).toBe('completed');
      expect(o.events).toEqual([{ workflowId: expect.stringMatching(/^agency\//), actor: 'system', action: 'agency.completed', details: { agency: AGENCY, transferred: 0 } }]);
    });
  });

  test('closed by a coordinator, it first delivers what was approved and records what it leaves', async () => {
    const o = office(3, { records: 10, imported: 5, rejected: 2, transferred: 3 });
    await withWorker(o.activities, async (start) => {
      const since = new Date(await now()).toISOString();
      const b = book('1', { records: 10, imported: 5, approved: 3, rejected: 2 }, since);
      const h = await start('runEndUnderTest', inputOf([b], { splitFiles: expectSplitFiles([{ registerType: 'KS', sha256: 'a'.repeat(64) }]) }));
      await h.signal(closeSignal, { by: 'dieuphoi01', reason: 'Các sổ còn lại chưa số hoá' });
      const done = await h.result();
      expect(done).toMatchObject({ phase: 'completed', closed: { by: 'dieuphoi01', reason: 'Các sổ còn lại chưa số hoá' }, transfer: { transferred: 3 } });
      expect(o.db.approved).toBe(0);
      expect(o.events).toEqual([
        { workflowId: expect.any(String), actor: 'dieuphoi01', action: 'agency.closed', details: { agency: AGENCY, reason: 'Các sổ còn lại chưa số hoá', notTransferred: 5, rejected: 2, transferred: 3 } },
      ]);
    });
  });
});

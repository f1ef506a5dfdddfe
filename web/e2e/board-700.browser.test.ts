/**
 * The board at 700 agencies, in a real browser against the real API, Temporal and PostgreSQL:
 * how long it takes to show, how long a search and a sort in Vietnamese order take, how long
 * each frame of a scroll from the first agency to the last takes, and that the page holds only
 * the rows in view. The run is seeded: its province run is started on the real Temporal server
 * from the state it carries across continue-as-new (700 real agencies of the largest provinces,
 * test/support/board-fixture.ts, some weeks into Step 4), and the agencies' records, pages,
 * approvals and transfer batches are written into the real PostgreSQL. Prints the timings.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { compareVietnamese } from '../../domain/text/collation';
import { provinceRunId, provinceRunWorkflowId, type AgencyProgress, type ProvinceRunInput, type ProvinceRunProgress } from '../../domain/runs/province-run';
import type { Agency } from '../../domain/units/routing';
import { largeBoardAgencies, seedBoard } from '../../test/support/board-fixture';
import { provinceRun } from '../../workflows/province-run';
import type { Browser } from './support/browser';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from './support/browser';
import { boardRowsInPage, signIn } from './support/coordinator';
import { startWebSystem, type WebSystem } from './support/system';

const SHA256 = '7b0c5d1e9a4f3c2b8e6d0a1f5c9b3e7d2a6f0c4b8e1d5a9c3f7b2e6d0a4c8f1e';
const RUN_ID = provinceRunId('79', SHA256);
const AGENCIES = 700;

let system: WebSystem;
let browser: Browser;
let password: string;
let agencies: Agency[];
let run: WorkflowHandle<typeof provinceRun>;

/** The run's progress as it stands some weeks into Step 4: most agencies reviewing, some done, some with overdue books. */
async function progressOf(): Promise<ProvinceRunProgress> {
  const counts = await system.h.db.pool.query<{ agency_code: string; records: number; transferred: number }>(
    `SELECT agency_code, count(*)::int AS records, count(*) FILTER (WHERE state = 'transferred')::int AS transferred FROM records GROUP BY agency_code`,
  );
  const byCode = new Map(counts.rows.map((r) => [r.agency_code, r]));
  const progress: AgencyProgress[] = agencies.map((a, k) => {
    const c = byCode.get(a.code)!;
    return {
      code: a.code,
      name: a.name,
      level: a.level,
      // A few rows of each agency were refused by its import.
      rows: c.records + (k % 5),
      files: 1 + (k % 7),
      phase: k % 10 === 9 ? 'completed' : 'in_review',
      ...(k % 7 === 3 ? { overdueBooks: 1 + (k % 4) } : {}),
    };
  });
  const rowsWritten = progress.reduce((n, a) => n + a.rows, 0);
  const now = new Date().toISOString();
  return {
    runId: RUN_ID,
    provinceCode: '79',
    phase: 'in_progress',
    package: { sha256: SHA256, sizeBytes: 48_213_504, name: '79-c06.zip', files: [{ name: '79-c06.csv', size: 211_000_000 }] },
    handover: { confirmedBy: 'dieuphoi79', confirmedAt: now },
    splitRows: rowsWritten + 412,
    split: { inputRows: rowsWritten + 412, rowsWritten, exceptionRows: 412, exceptionsByReason: { UNIT_UNKNOWN_CODE: 301, UNIT_SPLIT_NEEDS_DECISION: 111 } },
    release: { releasedBy: 'dieuphoi79', releasedAt: now, scheduled: 0 },
    agencies: progress,
  };
}

beforeAll(async () => {
  system = await startWebSystem('web-board-700');
  password = await system.addUser('dieuphoi79', 'coordinator', { provinceCode: '79', displayName: 'Nguyễn Thị Điều Phối' });
  agencies = largeBoardAgencies(AGENCIES);
  await seedBoard(system.h.db.pool, { provinceCode: '79', runId: RUN_ID, agencies, records: 28_000, days: 30, startedBy: 'dieuphoi79' });
  const input: ProvinceRunInput = {
    runId: RUN_ID,
    provinceCode: '79',
    source: { kind: 'inbox', path: '79-c06.zip' },
    originalName: '79-c06.zip',
    declaredSha256: SHA256,
    deliveredBy: 'Phòng PC06, Công an Thành phố Hồ Chí Minh',
    channel: 'Mạng truyền số liệu chuyên dùng',
    startedBy: 'dieuphoi79',
  };
  run = await system.h.env.client.workflow.start(provinceRun, { taskQueue: system.h.taskQueue, workflowId: provinceRunWorkflowId(RUN_ID), args: [input, await progressOf()] });
  browser = await launchBrowser(system.url);
});

afterAll(async () => {
  await run?.terminate('end of the board test').catch(() => undefined);
  // The system first: requests the page still has in flight finish before Temporal's connection closes (a
  // request cut off by a closing browser leaves its Temporal call retrying on a closed channel, which throws).
  await system?.close();
  await browser?.close();
});

const ms = (from: number) => Date.now() - from;

test('the board of 700 agencies shows, searches, sorts and scrolls smoothly, holding only the rows in view', async () => {
  const { page } = browser;
  await signIn(page, 'dieuphoi79', password);
  const byCode = [...agencies].sort((a, b) => (a.code < b.code ? -1 : 1));
  const board = page.getByRole('region', { name: 'Các cơ quan của lượt chạy' });
  const cell = (name: string) => board.getByRole('cell', { name, exact: true });

  // First render: navigation, the run's progress from Temporal, the counts and days from PostgreSQL, 700 rows laid out.
  let t = Date.now();
  await page.goto(`/runs/${RUN_ID}/board`);
  await cell(byCode[0]!.name).waitFor();
  await page.getByText(`Hiển thị ${AGENCIES} / ${AGENCIES} cơ quan`).waitFor();
  await page.locator('tfoot td.num').nth(1).filter({ hasText: /^[1-9][\d.]*$/ }).waitFor();
  await page.getByRole('img', { name: /^30 ngày từ / }).waitFor();
  const firstRender = ms(t);

  // Virtualised: the page holds the rows in view and a few around them, not 700.
  const inPage = await boardRowsInPage(page);
  expect(inPage).toBeGreaterThanOrEqual(12);
  expect(inPage).toBeLessThanOrEqual(30);
  // The header, 700 agencies and the totals, as assistive technology is told.
  expect(await board.locator('table').getAttribute('aria-rowcount')).toBe(String(AGENCIES + 2));
  expect(await cell(byCode.at(-1)!.name).count()).toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'board-700');

  // A scroll from the first agency to the last, one step a frame for 60 frames: how long each frame took, the tasks
  // that held the page's thread past 50 ms (what a person feels as a stutter), and the rows in the page on the way.
  const scroll = await page.evaluate(async () => {
    // The page's own globals; this file is checked without the DOM's types.
    interface Scroller {
      scrollTop: number;
      scrollHeight: number;
      clientHeight: number;
      querySelectorAll(selector: string): { length: number };
    }
    interface Observer {
      observe(o: { type: string }): void;
      disconnect(): void;
    }
    const g = globalThis as unknown as {
      document: { querySelector(s: string): Scroller };
      requestAnimationFrame(cb: (at: number) => void): number;
      PerformanceObserver: new (cb: (list: { getEntries(): Array<{ duration: number }> }) => void) => Observer;
    };
    const el = g.document.querySelector('.virtual-scroll');
    const longTasks: number[] = [];
    const observer = new g.PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const step = (el.scrollHeight - el.clientHeight) / 60;
    const frames: number[] = [];
    let most = 0;
    let last = await new Promise<number>((r) => g.requestAnimationFrame(r));
    for (let i = 1; i <= 60; i++) {
      el.scrollTop = Math.round(step * i);
      const at = await new Promise<number>((r) => g.requestAnimationFrame(r));
      frames.push(at - last);
      last = at;
      most = Math.max(most, el.querySelectorAll('tbody tr[aria-rowindex]').length);
    }
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    return { frames, longTasks, most };
  });
  await cell(byCode.at(-1)!.name).waitFor();
  expect(await cell(byCode[0]!.name).count()).toBe(0);
  expect(scroll.most).toBeLessThanOrEqual(30);
  const frames = [...scroll.frames].sort((a, b) => a - b);
  const frameAt = (q: number) => frames[Math.min(frames.length - 1, Math.floor(frames.length * q))]!;

  // A search without accents, then a sort of the 700 names in Vietnamese order.
  const target = byCode[350]!;
  t = Date.now();
  await page.getByRole('searchbox', { name: 'Tìm' }).fill(target.code);
  await page.getByText(`Hiển thị 1 / ${AGENCIES} cơ quan`).waitFor();
  await cell(target.name).waitFor();
  const search = ms(t);
  await page.getByRole('searchbox', { name: 'Tìm' }).fill('');
  await page.getByText(`Hiển thị ${AGENCIES} / ${AGENCIES} cơ quan`).waitFor();
  const byName = [...agencies].sort((a, b) => compareVietnamese(a.name, b.name) || (a.code < b.code ? -1 : 1));
  t = Date.now();
  await page.getByLabel('Sắp xếp').selectOption({ label: 'Theo tên' });
  await board.locator('tbody tr[aria-rowindex="2"]').getByRole('cell', { name: byName[0]!.name, exact: true }).waitFor();
  const sort = ms(t);
  expect(await board.locator('tbody tr[aria-rowindex="3"] td').nth(1).textContent()).toBe(byName[1]!.name);

  process.stdout.write(
    `board of ${AGENCIES} agencies: first render ${firstRender} ms (navigation, API and layout); ${inPage} rows in the page of ${AGENCIES}; ` +
      `scroll to the end, a step a frame: frames median ${frameAt(0.5).toFixed(1)} ms, 95th percentile ${frameAt(0.95).toFixed(1)} ms, longest ${frames.at(-1)!.toFixed(1)} ms; ` +
      `${scroll.longTasks.length} tasks over 50 ms${scroll.longTasks.length ? ` (longest ${Math.max(...scroll.longTasks).toFixed(0)} ms)` : ''}; at most ${scroll.most} rows in the page; ` +
      `search by code ${search} ms; sort by name (Vietnamese order) ${sort} ms\n`,
  );
  expect(browser.foreignRequests).toEqual([]);
});

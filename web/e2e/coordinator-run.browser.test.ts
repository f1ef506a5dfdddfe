/**
 * A coordinator's province run in a real browser against the real system: a generated package
 * uploaded with its progress, the handover record confirmed, the split summary (exceptions by
 * reason in words and their workbook, an agency's files and folder), the custodians of the
 * abolished districts decided (from a table uploaded, refused line by line first; one by one,
 * with the keyboard, a candidate and an agency outside them with its basis), exception rows
 * placed by hand in the workbook edited with SheetJS, the release refused for a unit still
 * undecided with the list of what would stay behind, then released with a schedule edited in
 * the table and read from a CSV, the board of the agencies (search, filters, overdue books,
 * closing an agency), the notifications, English, and another province's coordinator seeing
 * nothing of it. axe-core finds no serious or critical violation on any of these screens.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Page } from 'playwright-core';
import { EXCEPTIONS_INFO_SHEET, PLACEMENT_COLUMN } from '../../activities/split/split-export';
import { currentAgenciesOfProvince } from '../../api/repositories/agency-catalog';
import { generateExport } from '../../cli/gen/generate';
import { ROUTING_FAILURE_VI } from '../../domain/units/routing-failures';
import { searchKey } from '../../domain/text/search-key';
import { formatDateTime } from '../src/lib/format';
import { scratchDir } from '../../test/support/province-runs';
import type { Browser } from './support/browser';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from './support/browser';
import { boardRowsInPage, signIn } from './support/coordinator';
import { startWebSystem, type WebSystem } from './support/system';

let system: WebSystem;
let browser: Browser;
let gen: string;
const passwords: Record<string, string> = {};

beforeAll(async () => {
  // Idle books remind after 3 s and escalate after 6 s, so the board has overdue books to show.
  system = await startWebSystem('web-coordinator-run', { review: { reminderAfterMs: 3_000, escalateAfterMs: 6_000 } });
  passwords.dieuphoi01 = await system.addUser('dieuphoi01', 'coordinator', { provinceCode: '01', displayName: 'Trần Văn Điều' });
  passwords.dieuphoi79 = await system.addUser('dieuphoi79', 'coordinator', { provinceCode: '79', displayName: 'Lê Thị Phối' });
  browser = await launchBrowser(system.url);
  gen = scratchDir('web-coordinator-gen');
});

afterAll(async () => {
  // The system first: requests the page still has in flight finish before Temporal's connection closes (a
  // request cut off by a closing browser leaves its Temporal call retrying on a closed channel, which throws).
  await system?.close();
  await browser?.close();
  if (gen) fs.rmSync(gen, { recursive: true, force: true });
});

/** The axe findings of the page as it is now, with the screen named for the failure message. */
async function accessible(screen: string): Promise<void> {
  expect([screen, await seriousAccessibilityViolations(browser.page)]).toEqual([screen, []]);
}

/** Reloads until `ready` holds: the run's phases move on in the worker while the page waits for people. */
async function reloadUntil(ready: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1_500));
    await browser.page.reload();
  }
}

test('a coordinator starts a run, confirms the handover, reviews the split, releases it with a schedule and follows the agencies', async () => {
  try {
    await coordinatorRun();
  } catch (e) {
    await screenshot(browser.page, 'coordinator-run-failed');
    throw e;
  }
});

async function coordinatorRun(): Promise<void> {
  const { page } = browser;
  const summary = await generateExport({ provinceCode: '01', records: 400, seed: 1, out: gen, format: 'xlsx', scannedRatio: 0.3, defects: ['unit-code-unknown'] });
  const packageFile = path.join(gen, summary.files[0]!);
  const bytes = fs.readFileSync(packageFile);
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  await signIn(page, 'dieuphoi01', passwords.dieuphoi01!);
  await page.getByRole('heading', { name: 'Các lượt chạy của tỉnh 01' }).waitFor();
  await page.getByText('Chưa có lượt chạy nào.', { exact: false }).waitFor();
  await accessible('runs home');
  await page.getByRole('link', { name: 'Bắt đầu lượt chạy mới' }).click();

  // Step 1: the upload, slowed to show its progress.
  await page.getByRole('heading', { name: /Bắt đầu lượt chạy mới/ }).waitFor();
  await page.getByLabel('Tệp gói dữ liệu (.xlsx, .xls, .csv hoặc .zip)').setInputFiles(packageFile);
  await page.getByLabel('Mã SHA-256 ghi trong biên bản bàn giao').fill(sha256);
  await page.getByLabel('Bên giao').fill('Phòng PC06, Công an Thành phố Hà Nội');
  await page.getByLabel('Kênh truyền').fill('Mạng truyền số liệu chuyên dùng');
  await accessible('new run');
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: Math.ceil(bytes.length / 3) });
  await page.getByRole('button', { name: 'Tiếp nhận gói dữ liệu' }).click();
  await page.getByText(/^Đang tải lên: [1-9]\d?% \(/).waitFor();
  await screenshot(page, 'coordinator-upload-progress');
  expect(await page.getByRole('progressbar').getAttribute('value')).toMatch(/^\d+$/);
  await page.waitForURL(/\/runs\/01-[0-9a-f]{16}$/, { timeout: 60_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const runId = new URL(page.url()).pathname.split('/')[2]!;

  // The handover record, checked, then confirmed.
  await page.getByRole('heading', { name: `Lượt chạy ${runId}` }).waitFor();
  const confirm = page.getByRole('button', { name: 'Xác nhận bàn giao' });
  await confirm.waitFor({ timeout: 60_000 });
  const record = page.locator('dl.facts');
  await record.getByText('Phòng PC06, Công an Thành phố Hà Nội').waitFor();
  await record.getByText('Mạng truyền số liệu chuyên dùng').waitFor();
  await record.getByText(/^dieuphoi01, lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/).waitFor();
  await record.getByText('Khớp').waitFor();
  expect(await record.getByText(sha256).count()).toBe(2);
  await screenshot(page, 'coordinator-handover');
  await accessible('handover');
  await confirm.click();

  // Step 2: the split's summary, every exception code in words; the abolished districts wait for their custodian.
  await page.getByRole('heading', { name: 'Kết quả tách' }).waitFor({ timeout: 120_000 });
  const conservation = async () => {
    const text = await page.locator('p.totals').first().textContent();
    return /^([\d.]+) dòng đầu vào = ([\d.]+) dòng đã giao cho ([\d.]+) cơ quan \+ ([\d.]+) dòng ngoại lệ\.$/.exec(text!)!.slice(1).map((v) => Number(v.replace(/\./g, '')));
  };
  const [input, written, , exceptions] = await conservation();
  expect(input).toBe(400);
  expect(written! + exceptions!).toBe(400);
  await page.getByRole('cell', { name: `${ROUTING_FAILURE_VI.UNIT_UNKNOWN_CODE} UNIT_UNKNOWN_CODE` }).waitFor();
  await page.getByRole('cell', { name: `${ROUTING_FAILURE_VI.UNIT_DISTRICT_NEEDS_DECISION} UNIT_DISTRICT_NEEDS_DECISION` }).waitFor();
  const [exceptionsFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải tệp ngoại lệ (.xlsx)' }).click()]);
  expect(exceptionsFile.suggestedFilename()).toBe(`${runId} - Ngoại lệ - dòng chưa xếp được.xlsx`);
  const waiting = (await system.h.runs.custodians(runId)).units;
  expect(waiting.length).toBeGreaterThanOrEqual(3);
  await page.getByText(`còn ${waiting.length} / ${waiting.length} đơn vị cũ (xã bị chia, huyện không còn) chưa có cơ quan lưu giữ sổ`, { exact: false }).waitFor();
  await accessible('split summary with decisions waiting');
  await page.getByRole('link', { name: 'Quyết định cơ quan lưu giữ sổ, xếp tay dòng ngoại lệ' }).click();
  await decideCustodians(page, runId, waiting.slice(0, 2));

  // Release with a unit still undecided: the dialog lists it, and the coordinator goes back to decide it.
  await page.getByRole('link', { name: 'Về lượt chạy' }).click();
  await page.getByRole('button', { name: /^Duyệt kết quả tách và giao dữ liệu/ }).click();
  const undecided = page.getByRole('dialog', { name: 'Giao dữ liệu khi còn đơn vị cũ chưa có cơ quan lưu giữ sổ?' });
  const last = waiting[2]!;
  await undecided.getByRole('row').filter({ hasText: last.unitName }).waitFor();
  expect(await undecided.locator('tbody tr').count()).toBe(waiting.length - 2);
  await undecided.getByRole('button', { name: `Giao dữ liệu, để lại ${waiting.length - 2} đơn vị chưa quyết định` }).waitFor();
  await screenshot(page, 'coordinator-release-undecided');
  await accessible('release with units undecided');
  await undecided.getByRole('link', { name: 'Quay lại quyết định' }).click();
  await decideOutsideCandidates(page, last);
  expect((await system.h.runs.custodians(runId)).undecided).toBe(waiting.length - 3);

  // Back on the run: the decided districts' rows are in their custodians' folders.
  await page.getByRole('link', { name: 'Về lượt chạy' }).click();
  await page.getByText(`đã quyết định cơ quan lưu giữ sổ cho cả ${waiting.length} đơn vị cũ.`, { exact: false }).waitFor();
  const [afterInput, afterWritten, agencies, afterExceptions] = await conservation();
  expect(afterInput).toBe(400);
  expect(afterWritten! + afterExceptions!).toBe(400);
  expect(afterExceptions).toBe(exceptions! - waiting.reduce((n, u) => n + u.rows, 0) - 1);
  expect(await page.getByRole('cell', { name: /UNIT_DISTRICT_NEEDS_DECISION/ }).count()).toBe(0);

  const table = page.getByRole('region', { name: 'Kết quả tách theo cơ quan' });
  const rows = table.locator('tbody tr[aria-rowindex]');
  const nameOf = async (i: number) => (await rows.nth(i).locator('td').nth(1).textContent())!;
  const [first, second, third] = [await nameOf(0), await nameOf(1), await nameOf(2)];
  const codeOf = async (i: number) => (await rows.nth(i).locator('td').nth(0).textContent())!;
  const [firstCode, secondCode] = [await codeOf(0), await codeOf(1)];
  await page.getByRole('button', { name: `Xem tệp của ${first}` }).click();
  const dialog = page.getByRole('dialog', { name: `Các tệp của ${first} (${firstCode})` });
  await dialog.getByRole('cell', { name: /\.xls$/ }).first().waitFor();
  await accessible('agency files dialog');
  await dialog.getByRole('button', { name: 'Đóng' }).click();
  const [folder] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Tải thư mục dữ liệu của ${first}` }).click()]);
  expect(folder.suggestedFilename()).toMatch(new RegExp(`^${runId} - .*\\.zip$`));

  // The schedule: one agency in the table, another from a CSV (after a CSV naming an agency the split did not give rows).
  await page.getByLabel(`Bắt đầu nhập của ${first}`).fill('03/02/2030 08:00');
  await page.getByLabel(`Địa điểm nhập của ${first}`).fill('Phòng 2, Sở Tư pháp');
  const csv = page.getByLabel('Nạp lịch từ tệp CSV');
  await csv.setInputFiles({ name: 'lich-sai.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFFMã cơ quan,Bắt đầu,Địa điểm\n99999,2030-02-04T08:00:00+07:00,Phòng 3\n') });
  await page.getByRole('alert').getByText('Mã lỗi: RUN_SCHEDULE_AGENCY_UNKNOWN').waitFor();
  await page.getByRole('alert').getByText('Lịch nhập ghi cơ quan 99999, nhưng cơ quan này không có dòng nào trong kết quả tách.').waitFor();
  await csv.setInputFiles({ name: 'lich.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFFMã cơ quan,Bắt đầu,Địa điểm\n${secondCode},2030-02-04T13:30:00+07:00,"Phòng 3, Sở Tư pháp"\n`) });
  await page.getByText('Đã nạp lịch của 1 cơ quan từ tệp lich.csv', { exact: false }).waitFor();
  expect(await page.getByLabel(`Địa điểm nhập của ${second}`).inputValue()).toBe('Phòng 3, Sở Tư pháp');
  // Written as the page writes times (dd/mm/yyyy hh:mm, in the browser's time zone, which is this machine's).
  expect(await page.getByLabel(`Bắt đầu nhập của ${second}`).inputValue()).toBe(formatDateTime('2030-02-04T13:30:00+07:00'));
  await page.getByLabel('Mỗi cơ quan tự nhập các tệp đã tách của mình khi đến lịch').check();
  await screenshot(page, 'coordinator-split-summary');
  await accessible('split summary');
  // Every unit decided: no confirmation is asked.
  await page.getByRole('button', { name: `Duyệt kết quả tách và giao dữ liệu (2 / ${agencies} cơ quan có lịch)` }).click();

  // The board: every agency, the scheduled ones waiting for their slot, the others importing their files.
  await page.getByRole('link', { name: 'Bảng theo dõi các cơ quan' }).first().click({ timeout: 60_000 });
  await page.getByRole('heading', { name: `Theo dõi các cơ quan — lượt chạy ${runId}` }).waitFor();
  await page.getByText(`Hiển thị ${agencies} / ${agencies} cơ quan`).waitFor();
  const board = page.getByRole('region', { name: 'Các cơ quan của lượt chạy' });
  const boardRow = (name: string) => board.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  await boardRow(first).getByText('Đã xếp lịch nhập').waitFor();
  await reloadUntil(async () => (await boardRow(third).getByText('Đang nhập và kiểm tra, phê duyệt').count()) > 0 && (await page.locator('tfoot .num').nth(1).textContent()) !== '0', 'the third agency to import its files');
  // Escalated books reach the board through the run's progress.
  await reloadUntil(async () => (await page.getByRole('link', { name: / sổ quá hạn của .*: xem thông báo$/ }).count()) > 0, 'an overdue book');
  expect(await boardRowsInPage(page)).toBe(agencies);
  await screenshot(page, 'coordinator-board');
  await accessible('board');

  // Search without accents, by phase, by overdue books.
  const search = page.getByRole('searchbox', { name: 'Tìm' });
  await search.fill(searchKey(third).replace(/^ubnd /, ''));
  await page.getByText(`Hiển thị 1 / ${agencies} cơ quan`).waitFor();
  await boardRow(third).waitFor();
  await search.fill('');
  await page.getByLabel('Giai đoạn').selectOption({ label: 'Đã xếp lịch nhập' });
  await page.getByText(`Hiển thị 2 / ${agencies} cơ quan`).waitFor();
  await page.getByLabel('Giai đoạn').selectOption('all');
  await page.getByLabel('Chỉ cơ quan có sổ quá hạn').check();
  const overdueShown = Number(/Hiển thị (\d+) \//.exec((await page.getByText(/^Hiển thị \d+ \/ /).textContent())!)![1]);
  expect(overdueShown).toBeGreaterThan(0);
  expect(overdueShown).toBeLessThan(agencies!);
  await page.getByLabel('Chỉ cơ quan có sổ quá hạn').uncheck();

  // Closing an agency early: the run's own refusal without a reason, then the close.
  await page.getByRole('button', { name: `Kết thúc sớm phần việc của ${third}` }).click();
  const close = page.getByRole('dialog', { name: `Kết thúc sớm phần việc của ${third}` });
  await close.getByRole('button', { name: 'Kết thúc phần việc' }).click();
  await close.getByRole('alert').getByText('Mã lỗi: AGENCY_CLOSE_REASON_MISSING').waitFor();
  await close.getByRole('alert').getByText('Kết thúc sớm phần việc của cơ quan phải ghi rõ lý do.').waitFor();
  await accessible('close agency dialog');
  await close.getByLabel('Lý do').fill('Cơ quan đã chuyển đủ hồ sơ theo kế hoạch; phần còn lại xử lý thủ công.');
  await close.getByRole('button', { name: 'Kết thúc phần việc' }).click();
  await page.getByText(`Đã kết thúc phần việc của ${third}.`).waitFor();
  await reloadUntil(async () => (await boardRow(third).getByText('Hoàn tất').count()) > 0, 'the closed agency to complete');

  // English: the same board in the other language.
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await page.getByRole('columnheader', { name: 'Transferred' }).waitFor();
  await page.getByText(`Showing ${agencies} / ${agencies} agencies`).waitFor();
  await page.getByRole('region', { name: 'Agencies of the run' }).getByRole('row').filter({ has: page.getByRole('cell', { name: first, exact: true }) }).getByText('Import scheduled').waitFor();
  await screenshot(page, 'coordinator-board-en');
  await page.getByLabel('Language').selectOption('vi');

  // The notifications: an agency's overdue books lead to its escalations; the navigation to the province's.
  const overdue = page.getByRole('link', { name: / sổ quá hạn của .*: xem thông báo$/ }).first();
  const overdueAgency = new URL((await overdue.getAttribute('href'))!, system.url).searchParams.get('agency')!;
  await overdue.click();
  await page.getByRole('heading', { name: 'Thông báo của tỉnh 01' }).waitFor();
  expect(await page.getByLabel('Mã cơ quan').inputValue()).toBe(overdueAgency);
  await page.getByLabel('Loại').selectOption('escalation');
  // The list before the filter has escalations too: wait for the one read with it, escalations only.
  const escalationsOnly = async () => {
    const kinds = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    return kinds.length > 0 && kinds.every((k) => k === 'Quá hạn');
  };
  for (let tries = 0; !(await escalationsOnly()); tries++) {
    if (tries > 100) throw new Error('the notifications never showed escalations only');
    await page.waitForTimeout(100);
  }
  await page.getByRole('cell', { name: /^Quá hạn: Sổ đăng ký .* không có thao tác nào từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}; còn .* Đề nghị điều phối viên đôn đốc cơ quan\.$/ }).first().waitFor();
  const agencyCells = await page.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(new Set(agencyCells)).toEqual(new Set([overdueAgency]));
  await screenshot(page, 'coordinator-notifications');
  await accessible('notifications');
  await page.getByRole('navigation').getByRole('link', { name: 'Thông báo', exact: true }).click();
  await page.getByRole('button', { name: 'Mọi cơ quan' }).waitFor({ state: 'detached' });
  expect(browser.foreignRequests).toEqual([]);

  // Another province's coordinator: the run answers as one that does not exist, and none of its data is shown.
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await signIn(page, 'dieuphoi79', passwords.dieuphoi79!);
  await page.getByRole('navigation').getByRole('link', { name: 'Trang chủ' }).click();
  await page.getByText('Chưa có lượt chạy nào.', { exact: false }).waitFor();
  for (const url of [`/runs/${runId}`, `/runs/${runId}/board`, `/runs/${runId}/decisions`]) {
    await page.goto(url);
    await page.getByRole('alert').getByText('Mã lỗi: RUN_NOT_FOUND').waitFor();
    await page.getByRole('alert').getByText(`Không tìm thấy lượt chạy ${runId}.`).waitFor();
    expect(await page.getByText(first).count()).toBe(0);
  }
}

type Unit = Awaited<ReturnType<WebSystem['h']['runs']['custodians']>>['units'][number];

/**
 * On the decisions screen: the first unit from a table (refused first for a line naming no
 * agency of the catalog, each wrong line shown with its reason), the second one by one with the
 * keyboard (Enter takes the first candidate, Enter records), and an exception row placed by hand
 * in the exceptions workbook edited with SheetJS, another one refused with its reason.
 */
async function decideCustodians(page: Page, runId: string, [a, b]: Unit[]): Promise<void> {
  await page.getByRole('heading', { name: `Quyết định sau khi tách — lượt chạy ${runId}` }).waitFor();
  const units = page.getByRole('table', { name: 'Các đơn vị cũ cần quyết định cơ quan lưu giữ sổ' });
  await units.getByRole('row').filter({ hasText: a!.unitName }).waitFor();
  await accessible('decisions');

  const upload = async (name: string, lines: string[]) => {
    await page.getByLabel('Tệp .csv hoặc .xlsx có các cột "Mã đơn vị cũ", "Mã cơ quan lưu giữ", "Căn cứ"').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(`\uFEFFMã đơn vị cũ,Mã cơ quan lưu giữ,Căn cứ\n${lines.join('\n')}\n`) });
    await page.getByRole('button', { name: 'Nạp bảng' }).click();
  };
  await upload('bang-sai.csv', [`${a!.unitCode},99999,`, `${b!.unitCode},,`]);
  await page.getByRole('alert').getByText('Mã lỗi: CUSTODIAN_TABLE_REFUSED').waitFor();
  const refused = page.getByRole('table', { name: 'Các dòng không nhận được: sửa rồi nạp lại cả bảng' });
  await refused.getByRole('row').filter({ hasText: 'CUSTODIAN_AGENCY_UNKNOWN' }).filter({ hasText: 'Mã cơ quan "99999" không có trong danh mục' }).getByRole('cell', { name: '2', exact: true }).waitFor();
  await screenshot(page, 'coordinator-custodian-table-refused');
  await accessible('decisions table refused');
  expect((await system.h.runs.custodians(runId)).undecided).toBe((await system.h.runs.custodians(runId)).units.length);
  await upload('bang.csv', [`${a!.unitCode},${a!.candidates[0]!.code},`, `${b!.unitCode},,`]);
  await page.getByText('Đã nhận bảng: ghi 1 quyết định', { exact: false }).waitFor({ timeout: 60_000 });
  await units.getByRole('row').filter({ hasText: a!.unitName }).waitFor({ state: 'detached' });

  // One by one, keyboard only: the candidates are listed first, the first highlighted.
  await page.getByRole('button', { name: `Quyết định cơ quan lưu giữ sổ của ${b!.unitName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Cơ quan lưu giữ sổ của ${b!.unitName} (${b!.unitCode})` });
  await dialog.getByRole('option', { name: new RegExp(`^${b!.candidates[0]!.code} `), selected: true }).waitFor();
  await accessible('custodian dialog');
  await page.keyboard.press('Enter');
  await dialog.getByText(`Đã chọn: ${b!.candidates[0]!.name} (${b!.candidates[0]!.code}).`).waitFor();
  await page.keyboard.press('Enter');
  await page.getByText(`Đã ghi quyết định: sổ của ${b!.unitName} do ${b!.candidates[0]!.name} lưu giữ.`).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: /^Đã quyết định \(2\)$/ }).click();
  await units.getByRole('row').filter({ hasText: b!.unitName }).getByText('dieuphoi01,', { exact: false }).waitFor();

  // Hand placements: an unknown-code row to an agency of the split, another to a code that names none.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Tải tệp ngoại lệ để điền/ }).click()]);
  const workbook = XLSX.read(fs.readFileSync(await download.path()));
  const asked: string[] = [];
  for (const name of workbook.SheetNames.filter((n) => n !== EXCEPTIONS_INFO_SHEET)) {
    XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[name]!, { header: 1, raw: true, defval: null }).forEach((row, i) => {
      if (i === 0 || row[0] !== 'UNIT_UNKNOWN_CODE' || asked.length === 2) return;
      XLSX.utils.sheet_add_aoa(workbook.Sheets[name]!, [[asked.length === 0 ? a!.candidates[0]!.code : '99999']], { origin: { r: i, c: PLACEMENT_COLUMN } });
      asked.push(`${String(row[2])}!${String(row[3])}`);
    });
  }
  expect(asked).toHaveLength(2);
  await page.getByLabel('Tệp ngoại lệ đã điền "Mã cơ quan nhận" (.xlsx)').setInputFiles({ name: 'ngoai-le-da-dien.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer });
  await page.getByRole('button', { name: 'Nạp tệp', exact: true }).click();
  await page.getByText(/^Đã xếp 1 dòng; 1 dòng không xếp được\./).waitFor({ timeout: 60_000 });
  const [sheet, row] = asked[1]!.split('!');
  const refusedRow = page.getByRole('table', { name: 'Dòng không xếp được, vẫn ở tệp ngoại lệ' }).getByRole('row', { name: new RegExp(`^${sheet} ${row} 99999 Mã cơ quan "99999" không có trong danh mục.* CUSTODIAN_AGENCY_UNKNOWN$`) });
  await refusedRow.waitFor();
  await refusedRow.scrollIntoViewIfNeeded();
  await screenshot(page, 'coordinator-placements');
  await accessible('placements');
}

/** The last unit, after the release asked about it: an agency of the province that is not a candidate, found by its name typed without accents; refused without a basis, then taken with it and the People's Committee's decision. */
async function decideOutsideCandidates(page: Page, unit: Unit): Promise<void> {
  const outside = currentAgenciesOfProvince('01').find((x) => !unit.candidates.some((c) => c.code === x.code))!;
  await page.getByRole('button', { name: `Quyết định cơ quan lưu giữ sổ của ${unit.unitName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Cơ quan lưu giữ sổ của ${unit.unitName} (${unit.unitCode})` });
  await page.keyboard.type(searchKey(outside.name).replace(/^ubnd /, ''));
  await dialog.getByRole('option', { name: `${outside.code} ${outside.name}`, selected: true }).waitFor();
  await screenshot(page, 'coordinator-custodian-dialog');
  await page.keyboard.press('Enter');
  await dialog.getByLabel('Căn cứ: lý do giao cho cơ quan ngoài đơn vị kế thừa (bắt buộc)').waitFor();
  await dialog.getByRole('button', { name: 'Ghi quyết định' }).click();
  await dialog.getByRole('alert').getByText('Mã lỗi: CUSTODIAN_BASIS_MISSING').waitFor();
  await dialog.getByRole('alert').getByText(`Cơ quan ${outside.code} không nằm trong các đơn vị kế thừa của đơn vị mã ${unit.unitCode}; cần ghi căn cứ (lý do) cho lựa chọn này.`).waitFor();
  await accessible('custodian dialog outside the candidates');
  await dialog.getByLabel('Căn cứ: lý do giao cho cơ quan ngoài đơn vị kế thừa (bắt buộc)').fill('Trụ sở UBND huyện cũ đặt tại địa bàn này');
  await dialog.getByLabel('Số quyết định của UBND (nếu có)').fill('1234/QĐ-UBND');
  await dialog.getByLabel('Ngày quyết định (dd/mm/yyyy)').fill('20/06/2025');
  await dialog.getByRole('button', { name: 'Ghi quyết định' }).click();
  await page.getByText(`Đã ghi quyết định: sổ của ${unit.unitName} do ${outside.name} lưu giữ.`).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: /^Tất cả \(\d+\)$/ }).click();
  const decided = page.getByRole('table', { name: 'Các đơn vị cũ cần quyết định cơ quan lưu giữ sổ' }).getByRole('row').filter({ hasText: unit.unitName });
  await decided.getByText('Quyết định số 1234/QĐ-UBND ngày 20/06/2025').waitFor();
  await decided.getByText('Căn cứ: Trụ sở UBND huyện cũ đặt tại địa bàn này').waitFor();
  await decided.getByText('ngoài đơn vị kế thừa').waitFor();
  // docs/custodians.png is this screenshot, copied by hand when the screen changes.
  await screenshot(page, 'custodians');
  await accessible('decisions, all decided');
}

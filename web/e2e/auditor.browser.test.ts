/**
 * An auditor's reading of a real run in a real browser against the real system: a generated Hà
 * Nội province received, confirmed, split and released with auto-import by the coordinator
 * service; one agency's official imports a book's scan zip and decides through the API
 * (approvals, a rejection, a record rejected, corrected against its page and approved), and
 * the approved records are sent to CSDLHTĐT. The province's auditor finds the agency's run by its
 * code, reads its timeline, exports its history (JSON) and the timeline (CSV), opens one record's
 * trail from the timeline, sees its page, its log entries and history events, exports the trail,
 * opens a trail by its id, checks the province's log chain and reconciles the agency; another province's auditor opening
 * the same run and record by their addresses finds nothing. axe-core finds no serious or
 * critical violation on these screens.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { AGENCY_PHASE_VI, agencyWorkflowId } from '../../domain/runs/province-run';
import { createAgencyImports } from '../../services/agency-imports';
import { scratchDir } from '../../test/support/province-runs';
import { importedProvince, importZip, recordById, recordsWhere, scannedBooksByAgency, waitFor, type RecordRow } from '../../test/review/review-support';
import { launchBrowser, screenshot, SCREENSHOTS, seriousAccessibilityViolations, type Browser } from './support/browser';
import { signIn } from './support/coordinator';
import { startWebSystem, type WebSystem } from './support/system';

let system: WebSystem;
let browser: Browser;
let gen: string;
let runId: string;
let agency: string;
let workflowId: string;
/** The scanned records of the agency; `told` was rejected, corrected and approved. */
let scanned: RecordRow[];
let told: RecordRow;
/** Scan zips the official imported. */
let zips = 0;
const passwords: Record<string, string> = {};

/** A request to the API as a signed-in user, as the page and the CLI make them. */
async function api(username: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<unknown> {
  const login = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: passwords[username] }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${system.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Decides through the API; every decision asked for is taken. */
async function decide(items: unknown[]): Promise<void> {
  const answer = (await api('canbo01', 'POST', `/api/agencies/${agency}/decisions`, { items })) as { decided: number; refused: number; results: unknown[] };
  expect([answer.decided, answer.refused, answer.results]).toEqual([items.length, 0, expect.anything()]);
}

async function accessible(screen: string, page: Page): Promise<void> {
  expect([screen, await seriousAccessibilityViolations(page)]).toEqual([screen, []]);
}

/** Clicks a button that saves a file and gives the file's bytes and name. */
async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return { name: file.suggestedFilename(), text: fs.readFileSync((await file.path())!, 'utf8') };
}

/** A CSV the screens export: UTF-8 with a byte order mark, then a header row and one row a line. */
function csvRows(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

beforeAll(async () => {
  // Approved records wait for the official's "send now": a batch leaving while decisions are still being taken would race them.
  system = await startWebSystem('web-auditor', { review: { transferDelayMs: 600_000 } });
  gen = scratchDir('web-auditor-gen');
  const province = await importedProvince(system.h, gen, { seed: 27, records: 600, scannedRatio: 0.6 });
  runId = province.runId;
  const [code, books] = (await scannedBooksByAgency(system.h.db.pool, province.books))[0]!;
  agency = code;
  workflowId = agencyWorkflowId(agency, runId);
  passwords.canbo01 = await system.addUser('canbo01', 'official', { agencyCode: agency, displayName: 'Trần Thị Hồng' });
  passwords.kiemtoan01 = await system.addUser('kiemtoan01', 'auditor', { provinceCode: '01', displayName: 'Nguyễn Văn Kiểm' });
  passwords.kiemtoan79 = await system.addUser('kiemtoan79', 'auditor', { provinceCode: '79', displayName: 'Lê Thị Toán' });
  const imports = createAgencyImports({ temporal: system.h.env.client, pool: system.h.db.pool, store: system.h.store });
  // The agency's largest scanned books, until four records have pages.
  for (const b of [...books].sort((x, y) => y.numbers.length - x.numbers.length)) {
    await importZip(imports, gen, agency, b, 'canbo01');
    zips++;
    scanned = await recordsWhere(system.h.db.pool, `r.agency_code = $1 AND EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
    if (scanned.length >= 4) break;
  }
  expect(scanned.length).toBeGreaterThanOrEqual(4);
  told = scanned[3]!;
  await decide([
    { recordId: scanned[0]!.id, kind: 'approve', pages: scanned[0]!.pages },
    { recordId: scanned[1]!.id, kind: 'approve', pages: scanned[1]!.pages },
    { recordId: scanned[2]!.id, kind: 'reject', reasonCode: 'PAGE_UNREADABLE' },
  ]);
  await decide([{ recordId: told.id, kind: 'reject', reasonCode: 'DATA_DIFFERS', comment: 'Sai tên người ký' }]);
  await decide([{ recordId: told.id, kind: 'correct', reasonCode: 'DATA_DIFFERS', fields: { signer: 'Nguyễn Văn Đức' } }]);
  await decide([{ recordId: told.id, kind: 'approve', pages: told.pages }]);
  await api('canbo01', 'POST', `/api/agencies/${agency}/transfers`);
  await waitFor('the corrected record transferred', async () => ((await recordById(system.h.db.pool, told.id)).state === 'transferred' ? true : undefined));
  browser = await launchBrowser(system.url);
}, 300_000);

afterAll(async () => {
  if (runId) await system?.h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử').catch(() => undefined);
  // The system before the browser, as the other browser tests do: a request the closing browser cut off would leave its Temporal call retrying on a closed channel.
  await system?.close();
  await browser?.close();
  if (gen) fs.rmSync(gen, { recursive: true, force: true });
});

test("the province's auditor finds the agency's run, reads its timeline in Vietnamese and exports its history and the timeline", async () => {
  const { page } = browser;
  await signIn(page, 'kiemtoan01', passwords.kiemtoan01!);
  await page.getByRole('heading', { name: 'Kiểm toán tỉnh 01: các lượt chạy' }).waitFor();
  await accessible('the runs', page);

  await page.getByLabel('Cơ quan (mã)').fill(agency);
  await page.getByLabel('Loại quy trình').selectOption({ label: 'Phần việc của cơ quan đăng ký' });
  await page.getByLabel('Giai đoạn', { exact: true }).selectOption({ label: AGENCY_PHASE_VI.in_review });
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  expect(new URL(page.url()).searchParams.get('agency')).toBe(agency);
  // Temporal's visibility store learns a run's phase a moment after the run moves on.
  const row = page.locator('table.audit-runs tbody tr', { hasText: workflowId });
  for (let i = 0; i < 20 && !(await row.count()); i++) {
    await page.waitForTimeout(1_000);
    await page.reload();
  }
  await expect(row.count()).resolves.toBe(1);
  await expect(row.locator('td').nth(3).textContent()).resolves.toBe(AGENCY_PHASE_VI.in_review);
  await screenshot(page, 'audit-runs');
  await row.getByRole('link').click();

  await page.getByRole('heading', { name: `Diễn biến: Phần việc của cơ quan đăng ký mã ${agency}` }).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/audit/timeline/${workflowId}`);
  const rows = page.locator('table.timeline tbody tr');
  // Who did what and when, in words: the scan import and the decisions of the official, the transfers of the system.
  await expect(rows.filter({ hasText: /canbo01 nhập tệp bản quét «.+\.zip»/ }).count()).resolves.toBe(zips);
  await expect(rows.filter({ hasText: 'canbo01 quyết định trên' }).count()).resolves.toBe(4);
  await expect(rows.filter({ hasText: /Chuyển lô \d+ hồ sơ vào CSDLHTĐT: được nhận \d+/ }).count()).resolves.toBeGreaterThan(0);
  expect(await rows.first().locator('td').nth(1).textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  const total = await rows.count();
  await accessible('the timeline', page);

  // The filters narrow what is shown without asking the API again: what the official did, shown in docs/audit-timeline.png.
  await page.getByLabel('Người thực hiện', { exact: true }).selectOption('canbo01');
  await expect(rows.count()).resolves.toBe(zips + 4 + 1);
  await screenshot(page, 'audit-timeline');
  await page.getByLabel('Người thực hiện', { exact: true }).selectOption({ label: 'Mọi người' });

  await page.getByLabel('Loại việc').selectOption({ label: 'Quyết định' });
  await expect(rows.count()).resolves.toBe(4);
  await page.getByLabel('Loại việc').selectOption({ label: 'Tất cả' });

  const history = await download(page, 'Lịch sử quy trình (JSON)');
  expect(history.name).toMatch(new RegExp(`^${workflowId.replaceAll('/', '_')}_[0-9a-f-]+\\.json$`));
  const events = (JSON.parse(history.text) as { events: Array<{ eventId: string }> }).events;
  expect(events[0]!.eventId).toBe('1');
  expect(events.length).toBeGreaterThan(total);

  const csv = csvRows((await download(page, 'Bảng diễn biến (CSV)')).text);
  expect(csv[0]).toEqual(expect.arrayContaining(['Sự kiện', 'Thời điểm (giờ Việt Nam)', 'Người thực hiện', 'Nội dung']));
  expect(csv.length - 1).toBe(total);
  expect(csv.filter((r) => r.includes('canbo01') && r.some((c) => c.includes('quyết định trên'))).length).toBe(4);
  await page.getByRole('status').filter({ hasText: /^Đã lưu tệp dien-bien_.+\.csv\.$/ }).waitFor();

  // The English switch keeps the screen, in English around the history's Vietnamese.
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await page.getByRole('heading', { name: /^Timeline: Registration agency's part code \d+$/ }).waitFor();
  await page.getByLabel('Language').selectOption('vi');
  await page.getByRole('heading', { name: /^Diễn biến:/ }).waitFor();
}, 120_000);

test("a record's whole trail opens from the timeline: every step with who, when, the page compared, the log entry and the history event; exported", async () => {
  const { page } = browser;
  await page.locator('table.timeline').getByRole('link', { name: `Hồ sơ ${told.id}`, exact: true }).first().click();
  await page.getByRole('heading', { name: `Quá trình của hồ sơ số ${told.id}` }).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/audit/records/${told.id}`);

  const steps = page.locator('ol.trail-steps > li');
  const titles = await steps.locator('h3 .badge').allTextContents();
  expect(titles).toEqual(['Nhập dữ liệu', ...told.pages.map(() => 'Đính kèm trang quét'), 'Từ chối', 'Sửa theo sổ', 'Phê duyệt', 'Chuyển vào CSDLHTĐT']);
  const approval = steps.filter({ has: page.locator('h3 .badge', { hasText: 'Phê duyệt' }) });
  await expect(approval.locator('h3').textContent()).resolves.toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}do canbo01/);
  await expect(approval.getByText('Các trang đã đối chiếu:').count()).resolves.toBe(1);
  // Its log entry: number, place in the chain and the entry's whole hash.
  await expect(approval.locator('table.log-entries td.hash').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
  // The page the approval compared, drawn as the review draws it.
  await page.locator(`.trail-page-panel .viewer-canvas[data-shown-record="${told.id}"]`).waitFor();
  expect(await approval.getByRole('button', { pressed: true }).count()).toBe(1);
  await expect(page.locator('.trail-record').textContent()).resolves.toContain('Biên nhận CSDLHTĐT');
  await screenshot(page, 'audit-trail');
  await accessible('the trail', page);

  // Printed for a file (the browser's Print): the trail alone, every step with its log entry, without
  // the menus, the export buttons or the page viewer; read back by poppler, the first sheet kept to look at.
  const pdf = await page.pdf({ format: 'A4' });
  fs.writeFileSync(path.join(SCREENSHOTS, 'audit-trail-print.pdf'), pdf);
  const printed = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8').normalize('NFC');
  expect(printed).toContain(`Quá trình của hồ sơ số ${told.id}`);
  for (const title of new Set(titles)) expect(printed).toContain(title);
  expect(printed).toContain('Biên nhận CSDLHTĐT');
  // Each step on one sheet: on every sheet as many step headers as the steps' "read from" lines.
  const sheets = printed.split('\f').filter((sheet) => sheet.trim());
  expect(sheets.map((sheet) => sheet.match(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\s+do /g)?.length ?? 0)).toEqual(sheets.map((sheet) => sheet.match(/Đọc từ bảng/g)?.length ?? 0));
  expect(sheets.join('').match(/Đọc từ bảng/g)).toHaveLength(titles.length);
  for (const screenOnly of ['Quá trình (JSON)', 'Quá trình (CSV)', 'Đăng xuất']) expect(printed).not.toContain(screenOnly);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', '-', path.join(SCREENSHOTS, 'audit-trail-print')], { input: pdf });

  const json = JSON.parse((await download(page, 'Quá trình (JSON)')).text) as { record: { id: number }; steps: unknown[] };
  expect(json.record.id).toBe(told.id);
  expect(json.steps.length).toBe(titles.length);
  const csv = csvRows((await download(page, 'Quá trình (CSV)')).text);
  expect(csv.slice(1).map((r) => r[3])).toEqual(titles.map((t) => (t === 'Sửa theo sổ' ? expect.any(String) : t)));
  expect(csv.slice(1).every((r) => r[0] === String(told.id))).toBe(true);

  // The approval's history event opens the timeline at that event.
  const event = approval.getByRole('link', { name: /^sự kiện #\d+$/ });
  const eventId = (await event.textContent())!.replace('sự kiện #', '');
  await event.click();
  await page.locator('table.timeline tbody tr.target').waitFor();
  await expect(page.locator('table.timeline tbody tr.target td').first().textContent()).resolves.toBe(`#${eventId}`);
  await expect(page.locator('table.timeline tbody tr.target').textContent()).resolves.toContain('canbo01 quyết định trên');
}, 120_000);

test("a trail opens by the record's id; the province's log chain and the agency's reconciliation are checked on demand", async () => {
  const { page } = browser;
  await page.goto('/');
  await page.getByLabel('Mã hồ sơ').fill('abc');
  await page.getByRole('button', { name: 'Mở quá trình hồ sơ' }).click();
  await page.getByRole('alert').filter({ hasText: 'Mã hồ sơ là một số nguyên dương' }).waitFor();
  await page.getByLabel('Mã hồ sơ').fill(String(scanned[2]!.id));
  await page.getByRole('button', { name: 'Mở quá trình hồ sơ' }).click();
  await page.getByRole('heading', { name: `Quá trình của hồ sơ số ${scanned[2]!.id}` }).waitFor();
  await expect(page.locator('ol.trail-steps > li h3 .badge').last().textContent()).resolves.toBe('Từ chối');

  await page.getByRole('link', { name: 'Kiểm tra nhật ký, đối chiếu' }).click();
  await page.getByRole('heading', { name: 'Kiểm tra nhật ký và đối chiếu: tỉnh 01' }).waitFor();
  await page.getByRole('button', { name: 'Kiểm tra chuỗi' }).click();
  await page.getByRole('status').filter({ hasText: /^Tỉnh 01: \d+ mục, chuỗi nguyên vẹn\.$/ }).waitFor();
  // The agency's database, log and history agree: the three records transferred, each approved with its page.
  await page.getByLabel('Chỉ một cơ quan (mã)').fill(agency);
  await page.getByRole('button', { name: 'Đối chiếu', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Không có chỗ nào không khớp: 1 cơ quan, 3 hồ sơ đã chuyển.' }).waitFor();
  await screenshot(page, 'audit-checks');
  await accessible('the checks', page);
}, 60_000);

test("another province's auditor opening the run and the record by their addresses finds nothing", async () => {
  const { page } = browser;
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await signIn(page, 'kiemtoan79', passwords.kiemtoan79!);
  for (const url of [`/audit/timeline/${workflowId}`, `/audit/records/${told.id}`]) {
    await page.goto(url);
    await page.getByRole('heading', { name: 'Không tìm thấy' }).waitFor();
    await expect(page.locator('.error-code').textContent()).resolves.toBe('Mã lỗi: RESOURCE_NOT_FOUND');
    await expect(page.locator('main').textContent()).resolves.not.toContain('canbo01');
  }
  await screenshot(page, 'audit-not-found');
  await accessible('not found', page);
}, 60_000);

/**
 * An auditor's reading of real runs on the real Temporal dev server and PostgreSQL: a generated
 * province split, released with auto-import, one agency's official importing pages, deciding
 * and transferring. Runs are listed by the search attributes they keep; each run's history comes
 * out as JSON that replays against today's code; the timeline tells the run in Vietnamese.
 */
import fs from 'node:fs';
import { text } from 'node:stream/consumers';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { Workers } from '../../worker/create-worker';
import type { Principal } from '../../domain/access';
import type { RunFilter } from '../../domain/audit/run-search';
import type { RunListItem } from '../../services/audit/run-list';
import type { ReviewActor } from '../../domain/review/review-types';
import { agencyWorkflowId, provinceRunWorkflowId } from '../../domain/runs/province-run';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { createAgencyReview, type AgencyReview } from '../../services/agency-review';
import { createAuditing, type Auditing } from '../../services/audit/auditing';
import { replayHistories } from '../../services/audit/replay';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import { codeOfAny, importedProvince, importZip, recordsWhere, scannedBooksByAgency, waitFor, type RecordRow } from '../review/review-support';
import { createUsersRepository } from '../../api/repositories/users';
import { buildApp } from '../../api/app';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import path from 'node:path';
import { cliEnv, runCli } from '../support/cli-process';
import { testEnv } from '../support/env';

// The set-up drives a province through release, auto-import, scans, decisions and a transfer: past two minutes
// late in a CI run on two cores, when the suite's Temporal server holds every earlier file's histories.
jest.setTimeout(300_000);

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let imports: AgencyImports;
let review: AgencyReview;
let audit: Auditing;
let runId: string;
let agency: string;
let other: string;
let scanned: RecordRow[];

const national: Principal = { username: 'kiemtoan', role: 'auditor', provinceCode: null };
const hanoiAuditor: Principal = { username: 'kiemtoan01', role: 'auditor', provinceCode: '01' };
const otherAuditor: Principal = { username: 'kiemtoan79', role: 'auditor', provinceCode: '79' };
const coordinator: Principal = { username: 'dieuphoi01', role: 'coordinator', provinceCode: '01' };

beforeAll(async () => {
  // Approved records wait for the official's "send now", so that the test's four approvals leave in one batch.
  h = await createProvinceRunHarness('audit-runs', { review: { transferDelayMs: 600_000 } });
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('audit-runs-gen');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  review = createAgencyReview({ temporal: h.env.client, pool: h.db.pool, imports });
  audit = createAuditing({ temporal: h.env.client, pool: h.db.pool });

  const province = await importedProvince(h, gen, { seed: 23, records: 600, scannedRatio: 0.6 });
  runId = province.runId;
  const [code, books] = (await scannedBooksByAgency(h.db.pool, province.books))[0]!;
  agency = code;
  for (const b of books) await importZip(imports, province.out, agency, b);
  scanned = await recordsWhere(h.db.pool, `r.agency_code = $1 AND EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
  // The officials are users of their agencies, as the API and the CLI require of whoever decides.
  const users = createUsersRepository(h.db.pool);
  other = (await h.runs.status(runId)).progress.agencies.find((a) => a.code !== agency)!.code;
  await users.create({ username: 'canbo01', password: 'mat-khau-thu-01', role: 'official', provinceCode: '01', agencyCode: agency });
  await users.create({ username: 'canbo02', password: 'mat-khau-thu-02', role: 'official', provinceCode: '01', agencyCode: other });
  await users.create({ username: 'kiemtoan01', password: 'mat-khau-kiem-toan', role: 'auditor', provinceCode: '01' });
  await users.create({ username: 'kiemtoan79', password: 'mat-khau-kiem-toan', role: 'auditor', provinceCode: '79' });
  const official: ReviewActor = { username: 'canbo01', role: 'official', agencyCode: agency };
  await review.decide(agency, official, [
    ...scanned.slice(0, 3).map((r) => ({ recordId: r.id, kind: 'approve' as const, pages: r.pages })),
    { recordId: scanned[3]!.id, kind: 'reject' as const, reasonCode: 'PAGE_UNREADABLE' as const },
  ]);
  // One record rejected, corrected against its page, then approved: every kind of step in its trail.
  const told = scanned[4]!;
  await review.decide(agency, official, [{ recordId: told.id, kind: 'reject', reasonCode: 'DATA_DIFFERS', comment: 'Sai tên người ký' }]);
  await review.decide(agency, official, [{ recordId: told.id, kind: 'correct', reasonCode: 'DATA_DIFFERS', fields: { signer: 'Nguyễn Văn Đức' } }]);
  await review.decide(agency, official, [{ recordId: told.id, kind: 'approve', pages: told.pages }]);
  await review.transferNow(agency, official);
  await waitFor('the transfer', async () => ((await review.state(agency)).transfer.transferred === 4 ? true : undefined));
});

afterAll(async () => {
  if (runId) await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử').catch(() => undefined);
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

/** Every page of a listing: the suite's other files run province 01 on the same Temporal server at the same time. */
async function everyPage(reader: Principal, filter: RunFilter): Promise<RunListItem[]> {
  const items: RunListItem[] = [];
  let pageToken: string | undefined;
  do {
    const page = await audit.listRuns(reader, filter, { limit: 200, pageToken });
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return items;
}
/** This file's runs among them. */
const ours = (items: RunListItem[]) => items.filter((r) => r.workflowId.endsWith(`/${runId}`));

test('runs are listed by province, agency, kind, phase and status, within the reader scope', async () => {
  const agencies = (await h.runs.status(runId)).progress.agencies.map((a) => a.code).sort();
  const listed = await waitFor('every agency run in visibility', async () => {
    const items = ours(await everyPage(national, { provinceCode: '01', kind: 'agency', status: 'Running' }));
    return items.length === agencies.length ? items : undefined;
  });
  expect((await audit.listRuns(national, { provinceCode: '01', kind: 'agency', status: 'Running' })).query).toBe("HotichProvince = '01' AND HotichKind = 'agency' AND ExecutionStatus = 'Running'");
  expect(listed.map((r) => r.agencyCode).sort()).toEqual(agencies);
  expect(listed.every((r) => r.workflowType === 'agencyRun' && r.kindVi === 'Phần việc của cơ quan đăng ký' && r.statusVi === 'Đang chạy')).toBe(true);

  // The phase is kept up to date: every agency imported its files and is in review.
  const inReview = await waitFor('the phase of the agency that decided', async () => ours(await everyPage(coordinator, { agencyCode: agency, phase: 'in_review' }))[0]);
  expect(inReview).toMatchObject({ workflowId: agencyWorkflowId(agency, runId), provinceCode: '01', agencyCode: agency, phase: 'in_review', phaseVi: 'Đang nhập và kiểm tra, phê duyệt' });
  expect(ours(await everyPage(coordinator, { agencyCode: agency, phase: 'completed' }))).toEqual([]);

  const provinceRuns = ours(await everyPage(hanoiAuditor, { kind: 'province-run', startedFrom: '2020-01-01' }));
  expect(provinceRuns).toEqual([expect.objectContaining({ workflowId: provinceRunWorkflowId(runId), phase: 'in_progress', provinceCode: '01' })]);
  expect(ours(await everyPage(hanoiAuditor, { kind: 'province-run', startedBefore: '2020-01-01' }))).toEqual([]);

  // A page at a time: the pages together are the whole list, once.
  const first = await audit.listRuns(national, { provinceCode: '01', kind: 'agency' }, { limit: 2 });
  expect(first.items).toHaveLength(2);
  const second = await audit.listRuns(national, { provinceCode: '01', kind: 'agency' }, { limit: 2, pageToken: first.nextPageToken });
  expect(second.items.map((r) => r.workflowId)).not.toContain(first.items[0]!.workflowId);

  // Another province's reader sees nothing of province 01, and cannot ask for it.
  expect((await everyPage(otherAuditor, { kind: 'agency' })).filter((r) => r.provinceCode !== '79')).toEqual([]);
  expect(await codeOfAny(audit.listRuns(otherAuditor, { provinceCode: '01' }))).toBe('RESOURCE_NOT_FOUND');
  expect(await codeOfAny(audit.timeline(otherAuditor, provinceRunWorkflowId(runId)))).toBe('RESOURCE_NOT_FOUND');
  expect(await codeOfAny(audit.listRuns(national, { phase: 'nửa chừng' as never }))).toBe('AUDIT_RUN_FILTER_INVALID');
});

test('a run exported as JSON replays against the current workflow code; its timeline tells it in Vietnamese', async () => {
  const workflowId = agencyWorkflowId(agency, runId);
  const { run, json } = await audit.exportHistory(hanoiAuditor, workflowId);
  const history = historyFromJSON(JSON.parse(await text(json)));
  expect(history.events!.length).toBe(run.historyLength);
  const province = await audit.histories(national, provinceRunWorkflowId(runId));
  const outcomes = await replayHistories([{ source: 'export', workflowId, history }, ...province.runs.map((p) => ({ source: p.run.runId, workflowId: p.run.workflowId, history: p.history }))]);
  expect(outcomes.map((o) => [o.workflowType, o.ok, o.problem])).toEqual([
    ['agencyRun', true, undefined],
    ['provinceRun', true, undefined],
  ]);

  const provinceTimeline = await audit.timeline(hanoiAuditor, provinceRunWorkflowId(runId));
  const actions = provinceTimeline.entries.map((e) => e.action);
  const agencies = (await h.runs.status(runId)).progress.agencies;
  expect(actions.filter((a) => a !== 'phase' && a !== 'signal.agencyPhase')).toEqual([
    'run.started',
    'activity.receivePackage',
    'update.confirmHandover',
    'activity.splitPackage',
    'update.releaseSplit',
    ...agencies.map(() => 'child.started'),
  ]);
  const said = (action: string) => provinceTimeline.entries.find((e) => e.action === action)!;
  expect(said('run.started')).toMatchObject({ actor: 'dieuphoi01', textVi: expect.stringMatching(/^dieuphoi01 đăng ký gói dữ liệu «01-c06-23\.xlsx» của tỉnh 01 \(SHA-256 theo biên bản [0-9a-f]{64}\)/) });
  expect(said('update.confirmHandover')).toMatchObject({ actor: 'dieuphoi01', outcome: 'ok', textVi: 'dieuphoi01 xác nhận đã nhận đủ gói dữ liệu theo biên bản bàn giao' });
  expect(said('activity.splitPackage').textVi).toMatch(/^Tách xong: 600 dòng = \d+ dòng vào \d+ cơ quan \+ \d+ dòng ngoại lệ$/);
  // The phases in the order the run went through them, in Vietnamese.
  expect(provinceTimeline.entries.filter((e) => e.action === 'phase').map((e) => e.textVi)).toEqual(
    ['Đang tiếp nhận gói dữ liệu', 'Chờ xác nhận bàn giao', 'Đang tách theo địa giới hành chính', 'Chờ điều phối viên duyệt kết quả tách', 'Đang giao dữ liệu cho các cơ quan', 'Các cơ quan đang nhập và kiểm tra dữ liệu'].map((p) => `Giai đoạn: ${p}`),
  );
  expect(provinceTimeline.entries.map((e) => e.eventId)).toEqual([...provinceTimeline.entries.map((e) => e.eventId)].sort((a, b) => a - b));

  const agencyTimeline = await audit.timeline(hanoiAuditor, workflowId);
  const of = (action: string) => agencyTimeline.entries.filter((e) => e.action === action);
  const files = agencies.find((a) => a.code === agency)!.files;
  // Auto-imports are told by their activity, scans and decisions by the official's update.
  expect(of('activity.importExcel')).toHaveLength(files);
  expect(of('activity.importExcel').every((e) => e.actor === 'dieuphoi01' && /^Tự nhập tệp đã tách sổ [A-Z]+ «.+\.xls» \(SHA-256 [0-9a-f]{12}…\) \(do dieuphoi01 chọn khi giao dữ liệu\): đọc \d+ dòng: thêm \d+/.test(e.textVi))).toBe(true);
  expect(of('update.importScans').length).toBeGreaterThan(0);
  expect(of('update.importScans')[0]).toMatchObject({ actor: 'canbo01', outcome: 'ok', textVi: expect.stringMatching(/^canbo01 nhập tệp bản quét «.+\.zip» \(SHA-256 [0-9a-f]{12}…\) của đơn vị \d+: gắn \d+ trang/) });
  const decisions = of('update.decidePage');
  const total = (re: RegExp) => decisions.reduce((n, e) => n + Number(re.exec(e.textVi)?.[1] ?? 0), 0);
  expect([total(/phê duyệt (\d+)/), total(/từ chối (\d+)/), total(/sửa (\d+)/), total(/: thực hiện (\d+)$/)]).toEqual([4, 2, 1, 7]);
  expect(decisions.flatMap((e) => e.refs?.recordIds ?? [])).toHaveLength(7);
  expect(decisions[0]!.textVi).toMatch(/^canbo01 quyết định trên Sổ đăng ký .+, quyển \w+ năm \d{4} \(đơn vị \d+\)/);
  expect(of('update.transferNow')).toEqual([expect.objectContaining({ actor: 'canbo01', textVi: 'canbo01 yêu cầu chuyển ngay các hồ sơ đã phê duyệt' })]);
  expect(of('activity.transferApproved')).toEqual([expect.objectContaining({ textVi: 'Chuyển lô 4 hồ sơ vào CSDLHTĐT: được nhận 4, bị trả lại 0', refs: { batchKey: `${workflowId}/transfer/1` } })]);
});

test("a record's whole trail in one call: each step from the database, with its log entries and the history event that asked for it", async () => {
  const record = scanned[4]!;
  const trail = await audit.trail(hanoiAuditor, record.id);
  expect(trail.record).toMatchObject({ id: record.id, agencyCode: agency, provinceCode: '01', state: 'transferred', stateVi: 'Đã chuyển vào CSDLHTĐT', version: record.version + 1, pages: record.pages.length });
  expect(trail.record.receipt).toMatchObject({ batchKey: `${agencyWorkflowId(agency, runId)}/transfer/1` });
  expect(trail.workflows).toEqual([agencyWorkflowId(agency, runId)]);
  expect(trail.steps.map((s) => s.kind)).toEqual(['import', ...record.pages.map(() => 'page'), 'reject', 'correct', 'approve', 'transfer']);
  const step = (kind: string) => trail.steps.find((s) => s.kind === kind)!;
  // Every step is in the log and in the history.
  expect(trail.steps.map((s) => s.log.map((l) => l.action))).toEqual([['import.excel'], ...record.pages.map(() => ['import.scans']), ['record.reject'], ['record.correct'], ['record.approve'], ['transfer.batch']]);
  expect(trail.steps.every((s) => s.history !== undefined && s.history.workflowId === agencyWorkflowId(agency, runId))).toBe(true);
  expect(step('import')).toMatchObject({ actor: 'dieuphoi01', version: 1, textVi: expect.stringMatching(/^dieuphoi01 nhập tệp «.+\.xls» \(sổ [A-Z]+, SHA-256 [0-9a-f]{12}…, lần nhập số \d+\): tạo hồ sơ, phiên bản 1$/) });
  expect(step('import').history!.textVi).toMatch(/^Tự nhập tệp đã tách/);
  expect(step('page').history!.textVi).toMatch(/^canbo01 nhập tệp bản quét/);
  expect(step('reject')).toMatchObject({ actor: 'canbo01', kindVi: 'Từ chối', textVi: `canbo01 từ chối phiên bản ${record.version}: Dữ liệu khác với sổ hộ tịch: Sai tên người ký` });
  expect(step('reject').log[0]).toMatchObject({ stateBefore: 'imported', stateAfter: 'rejected', actorRole: 'official' });
  expect(step('correct').textVi).toBe(`canbo01 sửa theo sổ các trường Người ký (Sửa cho đúng với sổ hộ tịch): phiên bản ${record.version + 1}`);
  expect(step('approve').textVi).toBe(`canbo01 phê duyệt phiên bản ${record.version + 1}, đã đối chiếu ${record.pages.length} trang quét (SHA-256 ${record.pages.map((p) => `${p.slice(0, 12)}…`).join(', ')})`);
  // The pages compared, each to open by its SHA-256: the record's pages as attached now.
  const attached = trail.steps.filter((s) => s.kind === 'page').flatMap((s) => s.pages ?? []);
  expect(attached.map((p) => [p.sha256, p.current])).toEqual(record.pages.map((sha) => [sha, true]));
  expect(attached.every((p) => p.page !== null && /\.pdf$/i.test(p.entryName ?? ''))).toBe(true);
  expect(step('approve').pages).toEqual(attached);
  expect(step('reject').pages).toBeUndefined();
  expect(step('approve').history!.textVi).toMatch(/^canbo01 quyết định trên .+ \(phê duyệt 1 hồ sơ\): thực hiện 1$/);
  expect(step('transfer').history!.textVi).toBe('Chuyển lô 4 hồ sơ vào CSDLHTĐT: được nhận 4, bị trả lại 0');
  expect(trail.steps.map((s) => s.at)).toEqual([...trail.steps.map((s) => s.at)].sort());

  // Outside the reader's scope, or absent, the record is not found.
  expect(await codeOfAny(audit.trail(otherAuditor, record.id))).toBe('RESOURCE_NOT_FOUND');
  expect(await codeOfAny(audit.trail(national, 999_999_999))).toBe('RESOURCE_NOT_FOUND');
});

test('the API answers an auditor of the province, 404 outside it and 403 to other roles, in the shapes of its schemas', async () => {
  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: h.dataDir, JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
  const app = await buildApp({ config, pool: h.db.pool, temporal: h.env.client, logger: createLogger(config) });
  try {
    const token = async (username: string, password: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })).json().token as string;
    const as = (t: string) => (url: string) => app.inject({ url, headers: { authorization: `Bearer ${t}` } });
    const hanoi = as(await token('kiemtoan01', 'mat-khau-kiem-toan'));
    const hcm = as(await token('kiemtoan79', 'mat-khau-kiem-toan'));
    const official = as(await token('canbo01', 'mat-khau-thu-01'));
    const workflowId = agencyWorkflowId(agency, runId);
    const wf = encodeURIComponent(workflowId);
    const recordId = scanned[4]!.id;

    const list = await hanoi(`/api/audit/workflows?kind=agency&agency=${agency}&status=Running&from=2020-01-01&limit=200`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.filter((r: { workflowId: string }) => r.workflowId === workflowId)).toEqual([expect.objectContaining({ kindVi: 'Phần việc của cơ quan đăng ký', statusVi: 'Đang chạy', phase: 'in_review' })]);
    expect((await hanoi('/api/audit/workflows?phase=nửa')).statusCode).toBe(400);
    expect((await hanoi('/api/audit/workflows?from=h%C3%B4m-qua')).json()).toMatchObject({ code: 'AUDIT_RUN_FILTER_INVALID' });

    const runs = await hanoi(`/api/audit/workflows/${wf}`);
    expect(runs.json()).toEqual({ workflowId, runs: [expect.objectContaining({ workflowId, status: 'Running', agencyCode: agency })] });
    const history = await hanoi(`/api/audit/workflows/${wf}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.headers['content-disposition']).toBe(`attachment; filename="${workflowId.replaceAll('/', '_')}_${runs.json().runs[0].runId}.json"`);
    expect(historyFromJSON(history.json()).events!.length).toBeGreaterThan(100);
    const timeline = await hanoi(`/api/audit/workflows/${wf}/timeline`);
    expect(timeline.json().entries.find((e: { action: string }) => e.action === 'update.decidePage')).toMatchObject({ actor: 'canbo01', outcome: 'ok', refs: { recordIds: expect.any(Array) } });
    const trail = await hanoi(`/api/audit/records/${recordId}/trail`);
    expect(trail.json().steps.map((x: { kind: string }) => x.kind)).toEqual((await audit.trail(hanoiAuditor, recordId)).steps.map((x) => x.kind));
    expect(trail.json().steps.find((x: { kind: string }) => x.kind === 'approve').log[0]).toMatchObject({ action: 'record.approve', actionVi: 'Phê duyệt', actorRole: 'official' });
    expect((await hanoi('/api/audit/provinces/01/reconciliation')).json()).toMatchObject({ provinceCode: '01', findingCount: 0, transferredRecords: 4 });

    // Another province's auditor learns nothing of these; an official may not audit at all.
    for (const url of [`/api/audit/workflows/${wf}`, `/api/audit/workflows/${wf}/history`, `/api/audit/workflows/${wf}/timeline`, `/api/audit/records/${recordId}/trail`, '/api/audit/provinces/01/reconciliation', '/api/audit/workflows?province=01']) {
      const r = await hcm(url);
      expect([url, r.statusCode, r.json().code]).toEqual([url, 404, 'RESOURCE_NOT_FOUND']);
    }
    const refused = await official(`/api/audit/records/${recordId}/trail`);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'AUTH_ROLE_NOT_ALLOWED']);
  } finally {
    await app.close();
  }
});

test("the CLI: a record's trail, a run's timeline, its export replayed from the file and from Temporal, in one command each", async () => {
  const env = cliEnv({ TEMPORAL_ADDRESS: testEnv('temporalAddress'), DATABASE_URL: h.db.url, HOTICH_DATA_DIR: h.dataDir, HOTICH_USER: 'kiemtoan01', LOG_LEVEL: 'warn' });
  const workflowId = agencyWorkflowId(agency, runId);
  const record = scanned[4]!;

  const trail = await runCli(['audit', 'trail', String(record.id)], env);
  expect([trail.code, trail.stderr]).toEqual([0, '']);
  const lines = trail.stdout.split('\n');
  expect(lines[0]).toMatch(new RegExp(`^Hồ sơ số ${record.id} — Sổ đăng ký .+, quyển \\S+ năm ${record.book_year} \\(đơn vị ${record.unit_code}\\), số đăng ký `));
  expect(lines[1]).toMatch(/trạng thái: Đã chuyển vào CSDLHTĐT; phiên bản \d+; \d+ trang quét; mã trên CSDLHTĐT \S+$/);
  expect(lines.filter((l) => / {2}(Nhập dữ liệu|Đính kèm trang quét|Từ chối|Sửa theo sổ|Phê duyệt|Chuyển vào CSDLHTĐT): /.test(l))).toHaveLength(5 + record.pages.length);
  expect(lines.filter((l) => l.startsWith('    nhật ký: mục số '))).toHaveLength(5 + record.pages.length);
  expect(lines.filter((l) => l.startsWith(`    lịch sử: ${workflowId}, lượt `))).toHaveLength(5 + record.pages.length);

  const timeline = await runCli(['audit', 'timeline', workflowId], env);
  expect(timeline.code).toBe(0);
  expect(timeline.stdout).toMatch(/ {2}#\d+ {2}canbo01 quyết định trên .+ \(phê duyệt 1 hồ sơ\): thực hiện 1\n/);

  const file = path.join(gen, 'agency-history.json');
  const exported = await runCli(['audit', 'export', workflowId, '--out', file], env);
  expect(exported.stderr).toMatch(new RegExp(`^Đã ghi lịch sử ${workflowId} \\(lượt \\S+, \\d+ sự kiện\\) vào `));
  const replayed = await runCli(['audit', 'replay', file, provinceRunWorkflowId(runId)], env, 120_000);
  expect([replayed.code, replayed.stderr]).toEqual([0, '']);
  expect(replayed.stdout.trim().split('\n')).toEqual([
    expect.stringMatching(new RegExp(`^Khớp: .*agency-history\\.json: ${workflowId} \\(agencyRun, lượt \\S+, \\d+ sự kiện\\) — mã quy trình hiện nay tạo lại đúng lịch sử này\\.$`)),
    expect.stringMatching(new RegExp(`^Khớp: ${provinceRunWorkflowId(runId)} \\(provinceRun, lượt `)),
  ]);

  // A user who is not an auditor is told so, with the code.
  const official = await runCli(['audit', 'trail', String(record.id)], { ...env, HOTICH_USER: 'canbo01' });
  expect([official.code, official.stderr]).toEqual([1, 'Lỗi CLI_USER_NOT_AUDIT_READER: Người dùng canbo01 không được xem các quy trình, lịch sử và hồ sơ ở đây: việc này dành cho kiểm toán viên.\n']);
});

test('reconcile finds nothing on a province whose database, log and histories agree, and finds each injected disagreement', async () => {
  const clean = await audit.reconcile(hanoiAuditor, '01');
  expect(clean).toMatchObject({ provinceCode: '01', transferredRecords: 4, findingCount: 0, findings: [] });
  expect(clean.workflows.find((w) => w.agencyCode === agency)).toMatchObject({ workflowId: agencyWorkflowId(agency, runId), state: 'compared', runs: 1 });
  expect(await codeOfAny(audit.reconcile(otherAuditor, '01'))).toBe('RESOURCE_NOT_FOUND');

  // A record set to transferred behind the process's back (the database's own rules bypassed), with no approval anywhere.
  const forged = scanned[5]!;
  const batch = (await h.db.pool.query<{ id: string }>('SELECT id FROM transfer_batches WHERE agency_code = $1', [agency])).rows[0]!.id;
  await h.db.asOwner(async (c) => {
    await c.query(`SET session_replication_role = replica`);
    await c.query(`UPDATE records SET state = 'transferred', transfer_batch_id = $2, target_id = 'gia-mao', target_received_at = now() WHERE id = $1`, [forged.id, batch]);
  });
  // An approval in the log by an official of another agency.
  const foreign = scanned[6]!;
  const seq = (
    await h.db.pool.query<{ seq: string }>(
      `INSERT INTO audit_log (province_code, agency_code, actor, actor_role, action, subject_kind, subject_id, record_id, state_before, state_after, details)
       VALUES ('01', $1, 'canbo02', 'official', 'record.approve', 'record', $2, $3, 'imported', 'approved', '{"pages": []}') RETURNING seq`,
      [agency, String(foreign.id), foreign.id],
    )
  ).rows[0]!.seq;

  const found = await audit.reconcile(national, '01', { agencyCode: agency });
  const codes = (recordId: number) => found.findings.filter((f) => f.recordId === recordId).map((f) => f.code).sort();
  expect(codes(forged.id)).toEqual(['LOG_TRANSFER_MISSING', 'TRANSFERRED_WITHOUT_APPROVAL']);
  expect(codes(foreign.id)).toEqual(['LOG_APPROVAL_OTHER_AGENCY']);
  expect(found.findings.find((f) => f.code === 'LOG_APPROVAL_OTHER_AGENCY')).toMatchObject({
    seq: Number(seq),
    messageVi: `Mục nhật ký số ${seq}: canbo02 phê duyệt hồ sơ số ${foreign.id} của cơ quan ${agency} nhưng không phải công chức hộ tịch của cơ quan đó.`,
  });
  // The workflow's counts of the forged record's book no longer match the database's.
  const book = `${forged.register_type}/${forged.unit_code}/${forged.book_year}/${forged.book_key}`;
  expect(found.findings.filter((f) => f.code === 'STATE_COUNTS_DIFFER').map((f) => f.messageVi)).toEqual([
    expect.stringContaining(`sổ ${book} có`),
    expect.stringContaining(`sổ ${book} có`),
  ]);
  expect(found.findings.find((f) => f.code === 'TRANSFERRED_WITHOUT_APPROVAL')!.messageVi).toBe(`Hồ sơ số ${forged.id} đã chuyển vào CSDLHTĐT nhưng cơ sở dữ liệu không có quyết định phê duyệt nào cho hồ sơ này.`);
  expect(found.findingCount).toBe(found.findings.length);

  const cli = await runCli(['audit', 'reconcile', '--province', '01', '--agency', agency], cliEnv({ TEMPORAL_ADDRESS: testEnv('temporalAddress'), DATABASE_URL: h.db.url, HOTICH_DATA_DIR: h.dataDir, HOTICH_USER: 'kiemtoan01', LOG_LEVEL: 'warn' }));
  expect(cli.code).toBe(1);
  expect(cli.stdout).toContain(`  [TRANSFERRED_WITHOUT_APPROVAL] Hồ sơ số ${forged.id} đã chuyển vào CSDLHTĐT`);
  expect(cli.stdout).toContain(`  [LOG_APPROVAL_OTHER_AGENCY] Mục nhật ký số ${seq}: canbo02 phê duyệt hồ sơ số ${foreign.id}`);
});

/**
 * The coordinator's province run through the HTTP API (streamed upload, scope, decisions,
 * downloads) and through `hotich run` as a child process, against real Temporal and PostgreSQL.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Workers } from '../worker/create-worker';
import { generateExport } from '../cli/gen/generate';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../test/support/province-runs';
import { cliEnv, runCli } from '../test/support/cli-process';
import { testEnv } from '../test/support/env';
import { writeZip } from '../formats/zip/zip-writer';
import { EXCEPTIONS_INFO_SHEET, MANIFEST_FILE, PLACEMENT_COLUMN, type SplitManifest } from '../activities/split/split-export';
import { unitCatalog } from '../domain/units/catalog';
import { ROUTING_FAILURE_VI } from '../domain/units/routing-failures';
import { runFolders } from '../activities/split/split-package';
import * as XLSX from '@e965/xlsx';
import { rowsOfXls } from '../test/support/split-verification';
import { buildApp } from './app';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let app: Awaited<ReturnType<typeof buildApp>>;
let gen: string;
let exportFile: string;
const tokens: Record<string, string> = {};
const PASSWORD = 'mat-khau-thu-nghiem-1';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function multipart(fields: Record<string, string> | Array<[string, string]>, file: { name: string; bytes: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hotich${Date.now()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const auth = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });

async function addUser(username: string, role: 'coordinator' | 'official', scope: { provinceCode?: string; agencyCode?: string }) {
  await app.usersRepository.create({ username, password: PASSWORD, role, provinceCode: scope.provinceCode ?? null, agencyCode: scope.agencyCode ?? null, displayName: '' });
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  expect(r.json()).toMatchObject({ token: expect.any(String) });
  tokens[username] = r.json().token as string;
}

beforeAll(async () => {
  h = await createProvinceRunHarness('runs-api');
  worker = await h.createWorker();
  running = worker.run();
  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: h.dataDir, HOTICH_INBOX_DIR: h.paths.inbox, TEMPORAL_TASK_QUEUE: h.taskQueue, JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
  app = await buildApp({ config, pool: h.db.pool, temporal: h.env.client, logger: createLogger(config) });
  await addUser('dieuphoi01', 'coordinator', { provinceCode: '01' });
  await addUser('dieuphoi79', 'coordinator', { provinceCode: '79' });
  gen = scratchDir('runs-api-gen');
  exportFile = path.join(gen, (await generateExport({ provinceCode: '01', records: 1500, seed: 8, out: gen, format: 'xlsx' })).files[0]!);
});

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test("an upload's fields are held to the schema of a start from the inbox: a misspelt field, one sent twice or one missing is refused, nothing staged", async () => {
  const bytes = fs.readFileSync(exportFile);
  const fields = { provinceCode: '01', sha256: sha256(bytes), deliveredBy: 'Phòng PC06, Công an tỉnh', channel: 'Mạng truyền số liệu chuyên dùng' };
  const receipts = async () => (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM package_receipts')).rows[0]!.n;
  const receivedBefore = await receipts();
  const send = async (sent: Record<string, string> | Array<[string, string]>) => {
    const body = multipart(sent, { name: '01-c06.xlsx', bytes });
    const r = await app.inject({ method: 'POST', url: '/api/runs/upload', headers: { ...auth('dieuphoi01'), ...body.headers }, payload: body.payload });
    expect(r.statusCode).toBe(400);
    return r.json() as { code: string; message: string };
  };
  // Dropped before: the run would have started without the register type its package needs.
  expect(await send({ ...fields, registertype: 'KS' })).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Dữ liệu gửi lên không hợp lệ: dữ liệu gửi lên có trường không được nhận "registertype".' });
  expect(await send([...Object.entries(fields), ['channel', 'Thư điện tử']])).toMatchObject({ code: 'UPLOAD_FIELD_REPEATED', message: 'Yêu cầu tải lên gửi trường "channel" nhiều lần; mỗi trường chỉ gửi một lần.' });
  const { channel: _channel, ...withoutChannel } = fields;
  expect(await send({ ...withoutChannel, channel: '  ' })).toMatchObject({
    code: 'RUN_UPLOAD_INCOMPLETE',
    message: 'Yêu cầu tải lên thiếu channel (gửi các trường provinceCode, sha256, deliveredBy, channel, registerType trước tệp; trường gửi sau tệp không được đọc).',
  });
  expect(await send({ ...fields, registerType: 'XX' })).toMatchObject({ code: 'IMPORT_REGISTER_TYPE_INVALID' });
  expect(await send({ ...fields, sha256: 'abc' })).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('"sha256" phải có ít nhất 64 ký tự') });
  expect(fs.existsSync(h.paths.staging) ? fs.readdirSync(h.paths.staging) : []).toEqual([]);
  expect(await receipts()).toBe(receivedBefore);
});

test('API: streamed upload, scope, confirm, release, downloads', async () => {
  const bytes = fs.readFileSync(exportFile);
  const fields = { provinceCode: '01', sha256: sha256(bytes), deliveredBy: 'Phòng PC06, Công an tỉnh', channel: 'Mạng truyền số liệu chuyên dùng' };
  const upload = (user: string) => {
    const body = multipart(fields, { name: '01-c06.xlsx', bytes });
    return app.inject({ method: 'POST', url: '/api/runs/upload', headers: { ...auth(user), ...body.headers }, payload: body.payload });
  };

  const other = await upload('dieuphoi79');
  expect(other.statusCode).toBe(403);
  expect(other.json().code).toBe('RUN_PROVINCE_OUT_OF_SCOPE');
  const first = await upload('dieuphoi01');
  expect(first.statusCode).toBe(202);
  const { runId } = first.json() as { runId: string };
  expect((await upload('dieuphoi01')).json()).toEqual({ ...first.json(), existing: true });

  const status = async (user = 'dieuphoi01') => app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: auth(user) });
  expect((await status('dieuphoi79')).json().code).toBe('RUN_NOT_FOUND');
  await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  expect((await status()).json().progress.phase).toBe('awaiting_handover');
  // Both uploads are gone from staging: the first went into the store, the repeat was dropped.
  expect(fs.readdirSync(h.paths.staging)).toEqual([]);

  const early = await app.inject({ method: 'POST', url: `/api/runs/${runId}/release`, headers: auth('dieuphoi01'), payload: {} });
  expect(early.statusCode).toBe(409);
  expect(early.json()).toMatchObject({ code: 'RUN_NOT_AWAITING_RELEASE', message: expect.stringContaining('Chờ xác nhận bàn giao') });

  expect((await app.inject({ method: 'POST', url: `/api/runs/${runId}/confirm-handover`, headers: auth('dieuphoi01') })).statusCode).toBe(200);
  await h.runs.waitWhile(runId, ['splitting'], undefined, 200);
  const split = (await status()).json().progress as { split: { inputRows: number; rowsWritten: number; exceptionRows: number }; agencies: Array<{ code: string }> };
  expect(split.split.inputRows).toBe(1500);
  expect(split.split.rowsWritten + split.split.exceptionRows).toBe(1500);

  const [mine, theirs] = split.agencies;
  await addUser('congchuc1', 'official', { agencyCode: mine!.code });
  const download = (user: string, agency: string) => app.inject({ method: 'GET', url: `/api/runs/${runId}/agencies/${agency}/download`, headers: auth(user) });
  const zip = await download('congchuc1', mine!.code);
  expect(zip.statusCode).toBe(200);
  expect(zip.headers['content-type']).toBe('application/zip');
  expect(zip.rawPayload.subarray(0, 4).toString('hex')).toBe('504b0304');
  expect((await download('congchuc1', theirs!.code)).statusCode).toBe(404);
  expect((await download('dieuphoi01', theirs!.code)).statusCode).toBe(200);
  const exceptions = await app.inject({ method: 'GET', url: `/api/runs/${runId}/exceptions`, headers: auth('dieuphoi01') });
  expect(exceptions.statusCode).toBe(200);
  expect(exceptions.headers['content-disposition']).toContain(encodeURIComponent('Ngoại lệ'));

  const bad = await app.inject({ method: 'POST', url: `/api/runs/${runId}/release`, headers: auth('dieuphoi01'), payload: { schedules: { [mine!.code]: { startsAt: 'sáng thứ hai' } } } });
  expect(bad.json().code).toBe('VALIDATION_FAILED');
  const unconfirmed = await app.inject({ method: 'POST', url: `/api/runs/${runId}/release`, headers: auth('dieuphoi01'), payload: {} });
  expect(unconfirmed.statusCode).toBe(409);
  expect(unconfirmed.json()).toMatchObject({ code: 'RUN_CUSTODIANS_UNDECIDED', message: expect.stringContaining('chưa có quyết định cơ quan lưu giữ sổ') });
  const released = await app.inject({ method: 'POST', url: `/api/runs/${runId}/release`, headers: auth('dieuphoi01'), payload: { schedules: { [mine!.code]: { startsAt: '2030-01-06T08:00:00+07:00', place: 'Sở Tư pháp' } }, withoutUndecided: true } });
  expect(released.statusCode).toBe(200);
  const after = await h.runs.waitWhile(runId, ['releasing'], undefined, 200);
  expect(after.progress.agencies.find((a) => a.code === mine!.code)?.phase).toBe('scheduled');

  // Custodians: the coordinator of the province only; a unit left undecided at release can still be decided.
  const custodians = (user: string) => app.inject({ method: 'GET', url: `/api/runs/${runId}/custodians`, headers: auth(user) });
  expect((await custodians('dieuphoi79')).statusCode).toBe(404);
  expect((await custodians('congchuc1')).statusCode).toBe(403);
  const list = (await custodians('dieuphoi01')).json() as { units: Array<{ unitCode: string; candidates: Array<{ code: string }> }>; undecided: number };
  expect(list.undecided).toBe(list.units.length);
  const unit = list.units[0]!;
  const unknown = await app.inject({ method: 'POST', url: `/api/runs/${runId}/custodians`, headers: auth('dieuphoi01'), payload: { decisions: [{ unitCode: unit.unitCode, agencyCode: '99999' }] } });
  expect(unknown.statusCode).toBe(400);
  expect(unknown.json()).toMatchObject({ code: 'CUSTODIAN_AGENCY_UNKNOWN', message: expect.stringContaining('không có trong danh mục') });
  const decided = await app.inject({ method: 'POST', url: `/api/runs/${runId}/custodians`, headers: auth('dieuphoi01'), payload: { decisions: [{ unitCode: unit.unitCode, agencyCode: unit.candidates[0]!.code }] } });
  expect(decided.statusCode).toBe(200);
  expect(decided.json()).toMatchObject({ batch: 1, decided: 1, undecided: list.units.length - 1 });
  // The custodian's agency run exists now (started, or already running with its own rows).
  const custodian = (await status()).json().progress.agencies.find((a: { code: string }) => a.code === unit.candidates[0]!.code) as { phase: string };
  expect(custodian.phase).not.toBe('waiting_release');

  // Step 3: the official imports a split file of their agency — before the slot, which opens the agency early.
  const manifest = JSON.parse(fs.readFileSync(path.join(runFolders(h.paths, runId).split, MANIFEST_FILE), 'utf8')) as SplitManifest;
  const file = manifest.agencies.find((a) => a.code === mine!.code)!.files[0]!;
  const importAs = (user: string, agency: string, registerType: string) => {
    const body = multipart({ registerType }, { name: path.basename(file.path), bytes: fs.readFileSync(path.join(runFolders(h.paths, runId).split, file.path)) });
    return app.inject({ method: 'POST', url: `/api/agencies/${agency}/imports/excel`, headers: { ...auth(user), ...body.headers }, payload: body.payload });
  };
  await addUser('congchuc2', 'official', { agencyCode: theirs!.code });
  expect((await importAs('congchuc2', mine!.code, file.registerType)).statusCode).toBe(404);
  expect((await importAs('congchuc1', mine!.code, 'XX')).json().code).toBe('IMPORT_REGISTER_TYPE_INVALID');
  const imported = await importAs('congchuc1', mine!.code, file.registerType);
  expect(imported.statusCode).toBe(200);
  const result = imported.json() as { importId: number; counts: { read: number; inserted: number; rejected: number } };
  expect(result.counts).toMatchObject({ read: file.rows, inserted: file.rows - result.counts.rejected });
  const state = await app.inject({ method: 'GET', url: `/api/agencies/${mine!.code}/imports`, headers: auth('congchuc1') });
  expect(state.json()).toMatchObject({ phase: 'in_review', importsDone: 1, imports: [{ importId: result.importId, by: 'congchuc1' }] });
  const one = await app.inject({ method: 'GET', url: `/api/imports/${result.importId}`, headers: auth('congchuc1') });
  expect(one.json()).toMatchObject({ id: result.importId, status: 'completed', actor: 'congchuc1', agencyCode: mine!.code });
  expect((await app.inject({ method: 'GET', url: `/api/imports/${result.importId}`, headers: auth('congchuc2') })).json().code).toBe('IMPORT_NOT_FOUND');
  if (result.counts.rejected === 0) {
    expect((await app.inject({ method: 'GET', url: `/api/imports/${result.importId}/errors`, headers: auth('congchuc1') })).json().code).toBe('IMPORT_NO_REJECTED_ROWS');
  }
  await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử');
});

test("API: what the custodian screens read and send: the province's agencies, the exceptions' reasons in words, a table refused line by line, hand placements with their reasons", async () => {
  const out = path.join(gen, 'custodian-screens');
  const generated = await generateExport({ provinceCode: '01', records: 600, seed: 12, out, format: 'xlsx', defects: ['unit-code-unknown'] });
  const bytes = fs.readFileSync(path.join(out, generated.files[0]!));
  fs.writeFileSync(path.join(h.paths.inbox, '01-c06-12.xlsx'), bytes);
  const { runId } = await h.runs.start({ provinceCode: '01', source: { kind: 'inbox', path: '01-c06-12.xlsx' }, originalName: '01-c06-12.xlsx', sha256: sha256(bytes), deliveredBy: 'C06', channel: 'USB', startedBy: 'dieuphoi01' });
  await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  await h.runs.confirmHandover(runId, 'dieuphoi01');
  const split = (await h.runs.waitWhile(runId, ['splitting'], undefined, 200)).progress.split!;
  const get = (user: string, url: string) => app.inject({ method: 'GET', url, headers: auth(user) });
  const upload = (user: string, url: string, file: { name: string; bytes: Buffer }) => {
    const body = multipart({}, file);
    return app.inject({ method: 'POST', url, headers: { ...auth(user), ...body.headers }, payload: body.payload });
  };

  // Any current agency of the province may be named custodian: the coordinator of the province reads them all.
  const agencies = await get('dieuphoi01', '/api/provinces/01/agencies');
  expect(agencies.statusCode).toBe(200);
  const items = (agencies.json() as { items: Array<{ code: string; name: string; level: string; provinceCode: string }> }).items;
  expect(items.map((a) => a.code)).toEqual(unitCatalog().communes2025Of('01').map((u) => u.code));
  expect(items.every((a) => a.level === 'commune' && a.provinceCode === '01' && a.name.startsWith('UBND '))).toBe(true);
  expect((await get('dieuphoi79', '/api/provinces/01/agencies')).statusCode).toBe(404);

  // Every reason code with the words its rows carry.
  const reasons = await get('dieuphoi01', `/api/runs/${runId}/exceptions/reasons`);
  expect(reasons.statusCode).toBe(200);
  const r = reasons.json() as { exceptionRows: number; reasons: Array<{ code: string; rows: number; wordings: Array<{ messageVi: string; rows: number }> }> };
  expect(r.exceptionRows).toBe(split.exceptionRows);
  expect(Object.fromEntries(r.reasons.map((x) => [x.code, x.rows]))).toEqual(split.exceptionsByReason);
  expect(r.reasons.find((x) => x.code === 'UNIT_UNKNOWN_CODE')!.wordings).toEqual([{ messageVi: ROUTING_FAILURE_VI.UNIT_UNKNOWN_CODE, rows: split.exceptionsByReason.UNIT_UNKNOWN_CODE }]);
  for (const x of r.reasons) expect(x.wordings.reduce((n, w) => n + w.rows, 0)).toBe(x.rows);
  expect((await get('dieuphoi79', `/api/runs/${runId}/exceptions/reasons`)).json().code).toBe('RUN_NOT_FOUND');

  // A table with wrong lines: each named with its row, code and reason; nothing of it taken.
  const list = (await get('dieuphoi01', `/api/runs/${runId}/custodians`)).json() as { units: Array<{ unitCode: string; candidates: Array<{ code: string }> }>; undecided: number };
  expect(list.units.length).toBeGreaterThanOrEqual(2);
  const [u1, u2] = list.units;
  const csv = (...lines: string[]) => Buffer.from(`\uFEFFMã đơn vị cũ,Mã cơ quan lưu giữ,Căn cứ\n${lines.join('\n')}\n`);
  const refused = await upload('dieuphoi01', `/api/runs/${runId}/custodians/table`, { name: 'bang-sai.csv', bytes: csv(`${u1!.unitCode},99999,`, `${u2!.unitCode},${u2!.candidates[0]!.code},`, `,${u2!.candidates[0]!.code},ghi thiếu mã`) });
  expect(refused.statusCode).toBe(400);
  expect(refused.json()).toMatchObject({ code: 'CUSTODIAN_TABLE_REFUSED', message: expect.stringContaining('Bảng quyết định "bang-sai.csv" có 2 dòng không nhận được') });
  expect(refused.json().details.lines).toEqual([
    { line: 2, unitCode: u1!.unitCode, agencyCode: '99999', code: 'CUSTODIAN_AGENCY_UNKNOWN', messageVi: expect.stringContaining('không có trong danh mục') },
    { line: 4, unitCode: '', agencyCode: u2!.candidates[0]!.code, code: 'CUSTODIAN_TABLE_UNIT_MISSING', messageVi: expect.stringContaining('Dòng 4') },
  ]);
  expect((await get('dieuphoi01', `/api/runs/${runId}/custodians`)).json().undecided).toBe(list.undecided);
  const taken = await upload('dieuphoi01', `/api/runs/${runId}/custodians/table`, { name: 'bang.csv', bytes: csv(`${u1!.unitCode},,`, `${u2!.unitCode},${u2!.candidates[0]!.code},`) });
  expect(taken.statusCode).toBe(200);
  expect(taken.json()).toMatchObject({ batch: 1, decided: 1, undecided: list.undecided - 1, lines: [{ line: 2, status: 'undecided', unitCode: u1!.unitCode }, { line: 3, status: 'decided', unitCode: u2!.unitCode, agencyCode: u2!.candidates[0]!.code, candidate: true }] });

  // Hand placements: one unknown-code row to a real agency, one to a code that names none; the refusal is worded.
  const workbook = XLSX.read((await get('dieuphoi01', `/api/runs/${runId}/exceptions`)).rawPayload);
  const asked: string[] = [];
  for (const name of workbook.SheetNames.filter((n) => n !== EXCEPTIONS_INFO_SHEET)) {
    XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[name]!, { header: 1, raw: true, defval: null }).forEach((row, i) => {
      if (i === 0 || row[0] !== 'UNIT_UNKNOWN_CODE' || asked.length === 2) return;
      XLSX.utils.sheet_add_aoa(workbook.Sheets[name]!, [[asked.length === 0 ? items[0]!.code : '99999']], { origin: { r: i, c: PLACEMENT_COLUMN } });
      asked.push(`${String(row[2])}!${String(row[3])}`);
    });
  }
  expect(asked).toHaveLength(2);
  const placements = await upload('dieuphoi01', `/api/runs/${runId}/exceptions/placements`, { name: 'ngoai-le.xlsx', bytes: XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer });
  expect(placements.statusCode).toBe(200);
  const [sheet, row] = asked[1]!.split('!');
  expect(placements.json()).toMatchObject({ batch: 2, placed: 1, refused: 1, refusedRows: [{ sheet, row: Number(row), agencyCode: '99999', code: 'CUSTODIAN_AGENCY_UNKNOWN', messageVi: expect.stringContaining('Mã cơ quan "99999" không có trong danh mục') }] });
  await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử');
});

test('API: a package of one register type that does not say it is split as the type given at run start', async () => {
  const rows = ['Mã ĐVHC nơi đăng ký,Năm đăng ký,Quyển số,Số đăng ký,Ngày đăng ký,Họ và tên', '00004,2009,01,1,10/03/2009,Nguyễn Văn An', '00004,2009,01,2,11/03/2009,Trần Thị Bình'];
  const bytes = Buffer.from(`\uFEFF${rows.join('\r\n')}\r\n`);
  const body = multipart({ provinceCode: '01', sha256: sha256(bytes), deliveredBy: 'Phòng PC06', channel: 'USB mã hoá', registerType: 'ks' }, { name: 'du-lieu-xuat.csv', bytes });
  const started = await app.inject({ method: 'POST', url: '/api/runs/upload', headers: { ...auth('dieuphoi01'), ...body.headers }, payload: body.payload });
  expect(started.statusCode).toBe(202);
  const { runId } = started.json() as { runId: string };
  await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  await h.runs.confirmHandover(runId, 'dieuphoi01');
  const s = await h.runs.waitWhile(runId, ['splitting'], undefined, 200);
  expect(s.progress.split).toMatchObject({ inputRows: 2, rowsWritten: 2, exceptionRows: 0 });
  expect((JSON.parse(fs.readFileSync(path.join(runFolders(h.paths, runId).split, MANIFEST_FILE), 'utf8')) as SplitManifest).registerType).toBe('KS');
  await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử');

  const fromInbox = (registerType: string) =>
    app.inject({ method: 'POST', url: '/api/runs', headers: auth('dieuphoi01'), payload: { provinceCode: '01', inboxPath: 'chua-co.csv', sha256: 'ab'.repeat(32), deliveredBy: 'PC06', channel: 'USB', registerType } });
  expect((await fromInbox('XX')).json().code).toBe('VALIDATION_FAILED');
  expect((await fromInbox('KT')).json().code).toBe('RECEIVE_INBOX_FILE_MISSING');
});

test('CLI: hotich run start --wait, confirm-handover --wait, status --json, release --schedule, download', async () => {
  const csvGen = path.join(gen, 'csv');
  const summary = await generateExport({ provinceCode: '01', records: 1200, seed: 9, out: csvGen, format: 'csv' });
  // One CSV per register type, delivered as one zip.
  const input = path.join(gen, '01-c06-csv.zip');
  fs.writeFileSync(input, writeZip(summary.files.map((f) => ({ name: path.basename(f), data: fs.readFileSync(path.join(csvGen, f)), deflate: true }))));
  const env = cliEnv({
    TEMPORAL_ADDRESS: testEnv('temporalAddress'),
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    DATABASE_URL: h.db.url,
    HOTICH_DATA_DIR: h.dataDir,
    HOTICH_INBOX_DIR: h.paths.inbox,
    HOTICH_USER: 'dieuphoi01',
    LOG_LEVEL: 'warn',
  });
  const hex = sha256(fs.readFileSync(input));

  const refused = await runCli(['run', 'start', '--province', '01', '--input', input, '--sha256', hex, '--as', 'dieuphoi79'], env);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('CLI_USER_NOT_ALLOWED');
  const noType = await runCli(['run', 'start', '--province', '01', '--input', input, '--sha256', hex, '--register-type', 'XX'], env);
  expect(noType.stderr).toContain('Lỗi IMPORT_REGISTER_TYPE_INVALID: "XX" không phải loại sổ hộ tịch');
  expect(noType.code).toBe(2);
  // A folder given for the package (or a path typed wrong) is said as such, not as an unexpected error.
  const folder = await runCli(['run', 'start', '--province', '01', '--input', gen, '--sha256', hex], env);
  expect([folder.code, folder.stderr]).toEqual([2, `Lỗi CLI_INPUT_MISSING: Không tìm thấy tệp "${gen}" (đường dẫn sai, hoặc đó là một thư mục).\n`]);

  const start = await runCli(['run', 'start', '--province', '01', '--input', input, '--sha256', hex, '--delivered-by', 'PC06', '--channel', 'USB mã hoá', '--wait'], env);
  expect(start.stderr).toBe('');
  expect(start.code).toBe(0);
  const runId = /Đã bắt đầu lượt chạy (\S+)/.exec(start.stdout)![1]!;
  expect(start.stdout).toContain('Chờ xác nhận bàn giao');
  expect(start.stdout).toContain(`hotich run confirm-handover ${runId}`);

  const confirm = await runCli(['run', 'confirm-handover', runId, '--wait'], env);
  expect(confirm.code).toBe(0);
  expect(confirm.stdout).toMatch(/Kết quả tách: 1200 dòng = \d+ dòng vào \d+ cơ quan \+ \d+ dòng ngoại lệ/);
  // Not a terminal: plain progress lines, ending with every row read.
  expect(confirm.stderr).toMatch(/Tách dữ liệu: \d+ dòng\n/);

  const json = await runCli(['run', 'status', runId, '--json'], env);
  const status = JSON.parse(json.stdout) as { progress: { phase: string; split: { inputRows: number }; agencies: Array<{ code: string; name: string }> } };
  expect(status.progress.phase).toBe('awaiting_release');
  expect(status.progress.split.inputRows).toBe(1200);

  const agency = status.progress.agencies[0]!;
  const scheduleFile = path.join(gen, 'lich.csv');
  fs.writeFileSync(scheduleFile, `\uFEFFMã cơ quan,Bắt đầu,Địa điểm\n${agency.code},2030-02-03T08:00:00+07:00,"Phòng 2, Sở Tư pháp"\n`);
  const release = await runCli(['run', 'release', runId, '--schedule', scheduleFile, '--without-undecided', '--wait'], env);
  expect(release.code).toBe(0);
  expect(release.stdout).toContain(`${agency.code.padEnd(5)} ${agency.name}`);
  expect(release.stdout).toContain('Đã xếp lịch nhập, lịch 2030-02-03T08:00:00+07:00 tại Phòng 2, Sở Tư pháp');

  const out = path.join(gen, 'agency.zip');
  const download = await runCli(['run', 'download', runId, '--agency', agency.code, '--out', out], env);
  expect(download.code).toBe(0);
  expect(fs.readFileSync(out).subarray(0, 4).toString('hex')).toBe('504b0304');

  // Step 3 from the command line: a split file imports whole; a corrected file with a bad row writes that row back with its reason.
  const split = runFolders(h.paths, runId).split;
  const file = (JSON.parse(fs.readFileSync(path.join(split, MANIFEST_FILE), 'utf8')) as SplitManifest).agencies.find((a) => a.code === agency.code)!.files[0]!;
  const refusedImport = await runCli(['import', 'excel', '--agency', agency.code, '--type', file.registerType, path.join(split, file.path), '--as', 'dieuphoi79'], env);
  expect(refusedImport.stderr).toContain('CLI_USER_NOT_OF_AGENCY');
  const imported = await runCli(['import', 'excel', '--agency', agency.code, '--type', file.registerType, path.join(split, file.path)], env);
  expect(imported.stderr).toBe('');
  expect(imported.stdout).toContain(`Đọc ${file.rows} dòng = ${file.rows} thêm mới + 0 cập nhật (giữ bản cũ) + 0 không đổi + 0 bị từ chối`);
  const rows = rowsOfXls(path.join(split, file.path));
  rows[1]![rows[0]!.indexOf('Số đăng ký')] = null;
  const corrected = path.join(gen, 'sổ đã sửa.xlsx');
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), file.registerType);
  XLSX.writeFile(wb, corrected);
  const errorsFile = path.join(gen, 'dòng lỗi.xlsx');
  const again = await runCli(['import', 'excel', '--agency', agency.code, '--type', file.registerType, corrected, '--errors', errorsFile], env);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(`Đọc ${file.rows} dòng = 0 thêm mới + 0 cập nhật (giữ bản cũ) + ${file.rows - 1} không đổi + 1 bị từ chối`);
  expect(again.stdout).toContain('Từ chối REQUIRED_FIELD_MISSING: 1 dòng');
  expect(rowsOfXls(errorsFile)[1]!.slice(-2)).toEqual(['Thiếu thông tin bắt buộc: Số đăng ký.', 'REQUIRED_FIELD_MISSING']);

  const cancel = await runCli(['run', 'cancel', runId, '--reason', 'kết thúc kiểm thử'], env);
  expect(cancel.stdout).toContain(`Đã huỷ lượt chạy ${runId}.`);
}, 240_000);

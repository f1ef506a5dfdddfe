/**
 * Every upload route holds its limit (api/upload-limits.ts), whether the body says its size or
 * streams without one, with REQUEST_TOO_LARGE (413) in Vietnamese naming the limit and the
 * setting; nothing half-received is kept. JSON bodies are bounded per route too, and bodies the
 * server cannot read are a coded 400, never a 500.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Client } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { multipartBody } from '../test/support/multipart';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { buildApp } from './app';
import { MULTIPART_LIMITS } from './upload-limits';

let db: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let dataDir: string;
const tokens: Record<'coordinator' | 'official', string> = { coordinator: '', official: '' };
const RUN = '01-0123456789abcdef';
const KIB = 1024;

/** Every file under the data folder but the store's layout mark. */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => f !== path.join('store', 'LAYOUT'));

/** An upload refused leaves nothing behind, once its reader has cleaned up (it may finish after the answer is sent). */
async function expectNothingKept(): Promise<void> {
  for (let waited = 0; filesUnder(dataDir).length > 0 && waited < 3000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(filesUnder(dataDir)).toEqual([]);
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOTICH_DATA_DIR: dataDir,
    JWT_SECRET: 'a-test-secret-of-at-least-32-characters!',
    HOTICH_PACKAGE_MAX_BYTES: String(20 * KIB),
    HOTICH_EXCEL_MAX_BYTES: String(10 * KIB),
    HOTICH_SCAN_ZIP_MAX_BYTES: String(30 * KIB),
  });
  // None of these requests gets as far as Temporal.
  app = await buildApp({ config, pool: db.pool, temporal: {} as Client, logger: createLogger(config) });
  const password = 'mat-khau-du-dai-2026';
  await app.usersRepository.create({ username: 'dieuphoi', password, role: 'coordinator', provinceCode: '01' });
  await app.usersRepository.create({ username: 'congchuc', password, role: 'official', agencyCode: '00097' });
  for (const role of ['coordinator', 'official'] as const) {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: role === 'coordinator' ? 'dieuphoi' : 'congchuc', password } });
    tokens[role] = r.json().token;
  }
});
afterAll(async () => {
  await app.close();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const PACKAGE_FIELDS = { provinceCode: '01', sha256: 'a'.repeat(64), deliveredBy: 'C06', channel: 'Mạng chuyên dùng' };
const ROUTES = [
  { url: '/api/runs/upload', as: 'coordinator', fields: PACKAGE_FIELDS, max: 20 * KIB, message: 'Gói dữ liệu C06 vượt quá giới hạn 1 MB', setting: 'HOTICH_PACKAGE_MAX_BYTES' },
  { url: `/api/runs/${RUN}/exceptions/placements`, as: 'coordinator', fields: {}, max: 20 * KIB, message: 'Tệp ngoại lệ đã điền vượt quá giới hạn 1 MB', setting: 'HOTICH_PACKAGE_MAX_BYTES' },
  { url: '/api/agencies/00097/imports/excel', as: 'official', fields: { registerType: 'KS' }, max: 10 * KIB, message: 'Tệp Excel vượt quá giới hạn 1 MB', setting: 'HOTICH_EXCEL_MAX_BYTES' },
  { url: `/api/runs/${RUN}/custodians/table`, as: 'coordinator', fields: {}, max: 16 * 1024 * KIB, message: 'Bảng quyết định cơ quan lưu giữ vượt quá giới hạn 16 MB', setting: undefined },
] as const;

test('every multipart route has its limit in the table, and this test covers each', () => {
  const covered = [...ROUTES.map((r) => r.url), '/api/agencies/00097/imports/scans'].map((u) => u.replace(RUN, ':runId').replace('00097', ':agencyCode'));
  expect(Object.keys(MULTIPART_LIMITS).map((k) => k.replace(/^POST /, '')).sort()).toEqual(covered.sort());
});

describe.each(ROUTES)('$url', ({ url, as, fields, max, message, setting }) => {
  const post = (body: { payload: Buffer | Readable; headers: Record<string, string> }) =>
    app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${tokens[as]}` } });

  test('a body declared larger than the limit is refused before it is read', async () => {
    const r = await post(multipartBody(fields, [{ name: 'lon.xlsx', bytes: Buffer.alloc(max + 1024 * KIB + 1, 0x41) }]));
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('REQUEST_TOO_LARGE');
    expect(r.json().message).toContain(message);
    if (setting) expect(r.json().message).toContain(`đề nghị quản trị viên nâng giới hạn (${setting})`);
    await expectNothingKept();
  });

  test('a file that streams past the limit without saying its size is refused, and nothing of it is kept', async () => {
    const { payload, headers } = multipartBody(fields, [{ name: 'lon.xlsx', bytes: Buffer.alloc(max + 1, 0x41) }]);
    // Sent in pieces without a Content-Length, as a chunked upload is.
    const r = await post({ payload: Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]), headers });
    expect(r.headers['content-length']).toBeDefined();
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('REQUEST_TOO_LARGE');
    await expectNothingKept();
  });
});

test('the scans route keeps its own code for a zip past HOTICH_SCAN_ZIP_MAX_BYTES', async () => {
  const { payload, headers } = multipartBody({}, [{ name: 'KS.2009.01.zip', bytes: Buffer.alloc(30 * KIB + 1, 0x41) }]);
  const r = await app.inject({ method: 'POST', url: '/api/agencies/00097/imports/scans', payload: Readable.from([payload]), headers: { ...headers, authorization: `Bearer ${tokens.official}` } });
  expect(r.statusCode).toBe(400);
  expect(r.json().code).toBe('ZIP_TOO_LARGE');
  expect(filesUnder(dataDir)).toEqual([]);
});

test('a JSON body past 1 MB is refused with its code; the custodians route takes up to 8 MB', async () => {
  const items = Array.from({ length: 200 }, (_, i) => ({ recordId: i + 1, kind: 'reject', reasonCode: 'OTHER', comment: 'x'.repeat(6000) }));
  const decisions = await app.inject({ method: 'POST', url: '/api/agencies/00097/decisions', payload: { items }, headers: { authorization: `Bearer ${tokens.official}` } });
  expect(decisions.statusCode).toBe(413);
  expect(decisions.json()).toMatchObject({ code: 'REQUEST_TOO_LARGE', message: expect.stringContaining('Dữ liệu gửi lên vượt quá giới hạn 1 MB') });
  // 2 MB of decisions are read and reach validation, which refuses the last one's six-digit unit code.
  const custodians = Array.from({ length: 2000 }, (_, i) => ({ unitCode: i === 1999 ? '123456' : String(10000 + i), agencyCode: '00097', basis: 'Căn cứ '.repeat(140) }));
  expect(Buffer.byteLength(JSON.stringify({ decisions: custodians }))).toBeGreaterThan(2 * 1024 * KIB);
  const r = await app.inject({ method: 'POST', url: `/api/runs/${RUN}/custodians`, payload: { decisions: custodians }, headers: { authorization: `Bearer ${tokens.coordinator}` } });
  expect(r.statusCode).toBe(400);
  expect(r.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('unitCode') });
});

test.each([
  ['JSON that does not parse', { 'content-type': 'application/json' }, '{"username": "a",', 'thân yêu cầu không phải JSON hợp lệ'],
  ['an unknown content type', { 'content-type': 'application/xml' }, '<login/>', 'kiểu nội dung (Content-Type) không được nhận ở địa chỉ này'],
])('%s is a coded 400 in Vietnamese, not a 500', async (_what, headers, payload, reason) => {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', headers, payload });
  expect(r.statusCode).toBe(400);
  expect(r.json()).toMatchObject({ code: 'REQUEST_MALFORMED', message: expect.stringContaining(reason) });
});

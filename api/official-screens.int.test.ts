/**
 * The routes the web page's official screens read besides the review and import routes: an
 * agency's name, a record's source and earlier values, and an official's own decisions since a
 * moment ("done today"); each within the caller's scope. Real PostgreSQL and Temporal dev server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { connectTestTemporal } from '../test/support/temporal';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { buildApp } from './app';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let app: Awaited<ReturnType<typeof buildApp>>;
let dataDir: string;
let recordX: number;
const tokens: Record<string, string> = {};
const PASSWORD = 'mat-khau-thu-nghiem-1';

const get = (user: string, url: string) => app.inject({ url, headers: { authorization: `Bearer ${tokens[user]}` } });

async function addUser(username: string, role: 'official' | 'coordinator', scope: { agencyCode?: string; provinceCode?: string }) {
  await app.usersRepository.create({ username, password: PASSWORD, role, agencyCode: scope.agencyCode ?? null, provinceCode: scope.provinceCode ?? null });
  tokens[username] = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } })).json().token;
}

beforeAll(async () => {
  db = await createTestDatabase();
  env = await connectTestTemporal();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'official-screens-'));
  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: dataDir, JWT_SECRET: 'a-test-secret-of-at-least-32-characters!', LOG_LEVEL: 'warn' });
  app = await buildApp({ config, pool: db.pool, temporal: env.client, logger: createLogger(config) });
  // X: Phường Hồng Hà (00097), Y: Phường Ba Đình (00004), both of Hà Nội.
  await addUser('congchuc.x', 'official', { agencyCode: '00097' });
  await addUser('congchuc.x2', 'official', { agencyCode: '00097' });
  await addUser('congchuc.y', 'official', { agencyCode: '00004' });
  await addUser('dieuphoi.hn', 'coordinator', { provinceCode: '01' });

  const imp = await db.pool.query<{ id: string }>(
    `INSERT INTO imports (import_key, kind, agency_code, register_type, actor, source_name, source_sha256, status, finished_at)
     VALUES ('k1', 'excel', '00097', 'KS', 'congchuc.x', 'Sổ khai sinh 2009.xlsx', $1, 'completed', now()) RETURNING id`,
    ['a'.repeat(64)],
  );
  const importId = imp.rows[0]!.id;
  // Imported as "Nguyen Van An" (no accents), then corrected by the official to "Nguyễn Văn An".
  const rec = await db.pool.query<{ id: string }>(
    `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data, data_sha256, import_id, version, corrected)
     VALUES ('00097', '00097', 'KS', 2009, '01', '1', '125', '125', $1, $2, $3, 2, true) RETURNING id`,
    [JSON.stringify({ fullName: 'Nguyễn Văn An', sex: 'male', dateOfBirth: { day: 5, month: 1, year: 2009 } }), 'b'.repeat(64), importId],
  );
  recordX = Number(rec.rows[0]!.id);
  await db.pool.query(
    `INSERT INTO record_versions (record_id, version, data, data_sha256, import_id, corrected, superseded_at) VALUES ($1, 1, $2, $3, $4, false, now())`,
    [recordX, JSON.stringify({ fullName: 'Nguyen Van An', sex: 'male', dateOfBirth: { day: 5, month: 1, year: 2009 } }), 'c'.repeat(64), importId],
  );
  const decide = (actor: string, kind: string, at: string) =>
    db.pool.query(`INSERT INTO decisions (record_id, record_version, kind, reason_code, actor, decided_at) VALUES ($1, 1, $2, 'DATA_DIFFERS', $3, $4)`, [recordX, kind, actor, at]);
  await decide('congchuc.x', 'correct', '2030-03-10T02:00:00Z');
  await decide('congchuc.x', 'reject', '2030-03-10T03:00:00Z');
  await decide('congchuc.x', 'reject', '2030-03-09T16:59:59Z');
  await decide('congchuc.x2', 'reject', '2030-03-10T04:00:00Z');
});

afterAll(async () => {
  await app?.close();
  await env?.teardown();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("an agency's name and level, for its officials and its province's coordinators only", async () => {
  const r = await get('congchuc.x', '/api/agencies/00097');
  expect([r.statusCode, r.json()]).toEqual([200, { code: '00097', name: 'UBND phường Hồng Hà', level: 'commune', provinceCode: '01' }]);
  expect((await get('dieuphoi.hn', '/api/agencies/00097')).statusCode).toBe(200);
  const other = await get('congchuc.y', '/api/agencies/00097');
  expect([other.statusCode, other.json().code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
});

test("a record's source and earlier values, shown as the register writes them", async () => {
  const r = await get('congchuc.x', `/api/records/${recordX}/versions`);
  expect(r.statusCode).toBe(200);
  const body = r.json();
  expect(body.current).toMatchObject({ sourceName: 'Sổ khai sinh 2009.xlsx' });
  expect(body.versions).toHaveLength(1);
  expect(body.versions[0]).toMatchObject({ version: 1, corrected: false, source: { sourceName: 'Sổ khai sinh 2009.xlsx' } });
  const value = (key: string) => body.versions[0].fields.find((f: { key: string }) => f.key === key)?.value;
  expect([value('fullName'), value('sex'), value('dateOfBirth')]).toEqual(['Nguyen Van An', 'Nam', '05/01/2009']);
  // Another agency's official learns nothing, not even that the record exists.
  const other = await get('congchuc.y', `/api/records/${recordX}/versions`);
  expect([other.statusCode, other.json().code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  expect((await get('congchuc.x', `/api/records/${recordX + 1000}/versions`)).statusCode).toBe(404);
});

test("an official's own decisions since a moment, by kind; not another official's, not before", async () => {
  const since = '2030-03-09T17:00:00.000Z'; // 00:00 on 10/03/2030 in Hà Nội
  const r = await get('congchuc.x', `/api/agencies/00097/decisions/mine?since=${encodeURIComponent(since)}`);
  expect([r.statusCode, r.json()]).toEqual([200, { since, byKind: { correct: 1, reject: 1 }, records: 1 }]);
  expect((await get('congchuc.x2', `/api/agencies/00097/decisions/mine?since=${encodeURIComponent(since)}`)).json()).toMatchObject({ byKind: { reject: 1 }, records: 1 });
  expect((await get('congchuc.y', `/api/agencies/00004/decisions/mine?since=${encodeURIComponent(since)}`)).json()).toMatchObject({ byKind: {}, records: 0 });
  expect((await get('congchuc.y', `/api/agencies/00097/decisions/mine?since=${encodeURIComponent(since)}`)).statusCode).toBe(404);
  expect((await get('dieuphoi.hn', `/api/agencies/00097/decisions/mine?since=${encodeURIComponent(since)}`)).json().code).toBe('AUTH_ROLE_NOT_ALLOWED');
  const bad = await get('congchuc.x', '/api/agencies/00097/decisions/mine?since=h%C3%B4m-nay');
  expect([bad.statusCode, bad.json().code]).toEqual([400, 'VALIDATION_FAILED']);
});

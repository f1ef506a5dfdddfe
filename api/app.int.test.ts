/**
 * The API against the real PostgreSQL and the real Temporal dev server: authentication,
 * roles, and the scope rule (an official of agency X sees nothing of agency Y).
 */
import { Readable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { connectTestTemporal, uniqueTaskQueue } from '../test/support/temporal';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { buildApp } from './app';
import { ensureDevelopmentUsers } from './dev-users';
import { catalogAgency } from './repositories/agency-catalog';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let app: Awaited<ReturnType<typeof buildApp>>;
let dataDir: string;
const ids = { recordX: 0, recordY: 0, fileX: '', fileY: '', workflowX: '', workflowY: '' };

async function login(username: string, password: string): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(r.statusCode).toBe(200);
  return r.json().token as string;
}

beforeAll(async () => {
  db = await createTestDatabase();
  env = await connectTestTemporal();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-'));
  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: dataDir, JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
  app = await buildApp({ config, pool: db.pool, temporal: env.client, logger: createLogger(config) });

  // Two real Hà Nội wards of the catalog: X = 00097 Hồng Hà (the development official's), Y = 00004 Ba Đình.
  for (const code of ['00097', '00004']) await app.agenciesRepository.upsert(catalogAgency(code)!);
  for (const [agency, key] of [['00097', 'X'], ['00004', 'Y']] as const) {
    const rec = await db.pool.query<{ id: string }>(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data, data_sha256)
       VALUES ($1, $1, 'KS', 2009, '01', '1', '125', '125', '{}', $2) RETURNING id`,
      [agency, '0'.repeat(64)],
    );
    const stored = await app.contentStore.put(Readable.from([Buffer.from(`%PDF-1.4 trang sổ ${key}`)]));
    await db.pool.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, $2, 'application/pdf')`, [stored.sha256, stored.size]);
    await db.pool.query(`INSERT INTO file_owners (sha256, province_code, agency_code, original_name) VALUES ($1, '01', $2, 'KS.2009.01.125.pdf')`, [stored.sha256, agency]);
    await db.pool.query(`INSERT INTO attachments (record_id, sha256) VALUES ($1, $2)`, [rec.rows[0]!.id, stored.sha256]);
    const workflowId = `agency/${agency}/test-${Date.now()}`;
    // No worker polls this queue: the workflow simply exists and can be described.
    await env.client.workflow.start('platformCheck', { taskQueue: uniqueTaskQueue('api-scope'), workflowId, args: [{ requestedBy: 'test' }] });
    await app.workflowRegistry.register({ workflowId, kind: 'agency', provinceCode: '01', agencyCode: agency, startedBy: 'test' });
    ids[`record${key}`] = Number(rec.rows[0]!.id);
    ids[`file${key}`] = stored.sha256;
    ids[`workflow${key}`] = workflowId;
  }
});

afterAll(async () => {
  for (const id of [ids.workflowX, ids.workflowY]) await env.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await app.close();
  await env.teardown();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('GET /health reports both servers reachable', async () => {
  const r = await app.inject({ url: '/health' });
  expect(r.statusCode).toBe(200);
  expect(r.json()).toEqual({ status: 'ok', temporal: { ok: true }, postgres: { ok: true } });
  expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('wrong password and missing token are refused in Vietnamese with a stable code', async () => {
  await ensureDevelopmentUsers(db.pool);
  const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'wrong-password' } });
  expect(bad.statusCode).toBe(401);
  expect(bad.json()).toMatchObject({ code: 'AUTH_LOGIN_FAILED', message: 'Tên đăng nhập hoặc mật khẩu không đúng.' });
  const anonymous = await app.inject({ url: `/api/records/${ids.recordX}` });
  expect(anonymous.statusCode).toBe(401);
  expect(anonymous.json().code).toBe('AUTH_REQUIRED');
});

describe('scope: an official of agency X', () => {
  let tokenX: string;
  beforeAll(async () => {
    const logins = await ensureDevelopmentUsers(db.pool);
    const official = logins.find((l) => l.role === 'official')!;
    tokenX = await login(official.username, official.password);
  });
  const get = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${tokenX}` } });

  test('reads its own record, file and workflow', async () => {
    expect((await get('/api/agencies/00097/records')).json().total).toBe(1);
    const rec = await get(`/api/records/${ids.recordX}`);
    expect(rec.statusCode).toBe(200);
    expect(rec.json().pages).toEqual([{ page: 1, sha256: ids.fileX, url: `/api/files/${ids.fileX}` }]);
    const file = await get(`/api/files/${ids.fileX}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('%PDF-1.4 trang sổ X');
    const wf = await get(`/api/workflows/${encodeURIComponent(ids.workflowX)}`);
    expect(wf.statusCode).toBe(200);
    expect(wf.json()).toMatchObject({ agencyCode: '00097', status: 'RUNNING' });
  });

  test.each([
    ['the records of agency Y', () => '/api/agencies/00004/records'],
    ['a record of agency Y', () => `/api/records/${ids.recordY}`],
    ['a file of agency Y', () => `/api/files/${ids.fileY}`],
    ['a workflow of agency Y', () => `/api/workflows/${encodeURIComponent(ids.workflowY)}`],
  ])('gets 404 for %s, exactly as for something that does not exist', async (_what, url) => {
    const r = await get(url());
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('RESOURCE_NOT_FOUND');
  });

  test('gets 403 on admin-only routes', async () => {
    const r = await get('/api/users');
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'AUTH_ROLE_NOT_ALLOWED' });
  });
});

test('a coordinator of the province sees both agencies; an auditor of another province neither', async () => {
  const logins = await ensureDevelopmentUsers(db.pool);
  const admin = logins.find((l) => l.role === 'admin')!;
  const adminToken = await login(admin.username, admin.password);
  const created = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { authorization: `Bearer ${adminToken}` },
    payload: { username: 'kiemtoan-hcm', password: 'mot-mat-khau-du-dai', role: 'auditor', provinceCode: '79' },
  });
  expect(created.statusCode).toBe(201);
  const coordinator = logins.find((l) => l.role === 'coordinator')!;
  const c = await login(coordinator.username, coordinator.password);
  const a = await login('kiemtoan-hcm', 'mot-mat-khau-du-dai');
  const as = (token: string, url: string) => app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  expect((await as(c, `/api/records/${ids.recordY}`)).statusCode).toBe(200);
  expect((await as(a, `/api/records/${ids.recordY}`)).statusCode).toBe(404);
});

test('every route declares who may call it, and /docs lists them from their schemas', async () => {
  const spec = (await app.inject({ url: '/docs/json' })).json();
  expect(Object.keys(spec.paths)).toEqual(
    expect.arrayContaining(['/health/', '/api/auth/login', '/api/records/{recordId}/', '/api/files/{sha256}/', '/api/workflows/{workflowId}/']),
  );
  const fresh = await buildApp({ config: app.config, pool: db.pool, temporal: env.client, logger: createLogger(app.config) });
  const registering = (async () => {
    fresh.get('/undeclared', async () => 'x');
    await fresh.ready();
  })();
  await expect(registering).rejects.toThrow(/declares no access/);
  await fresh.close();
});

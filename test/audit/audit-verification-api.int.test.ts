/**
 * GET /api/audit/provinces/{code}/verification, the auditor's screen's chain verification, on
 * the real PostgreSQL: a province's chain with one entry edited behind the log's back is found
 * at its place with what happened in Vietnamese; an intact chain says so with its head; an
 * auditor of another province gets 404 as for nothing, other roles 403.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { appendAudit } from '../../activities/audit/record-action';
import { buildApp } from '../../api/app';
import { inTransaction } from '../../db/transaction';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { connectTestTemporal } from '../support/temporal';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let app: Awaited<ReturnType<typeof buildApp>>;
let dataDir: string;
const tokens: Record<string, string> = {};

const entry = (provinceCode: string, n: number): AuditEntry => ({
  provinceCode,
  actor: `canbo${provinceCode}`,
  actorRole: 'official',
  action: 'record.approve',
  subject: { kind: 'record', id: String(n) },
  recordId: n,
  stateBefore: 'imported',
  stateAfter: 'approved',
  details: { pages: [String(n).padStart(64, '0')] },
});

beforeAll(async () => {
  db = await createTestDatabase();
  env = await connectTestTemporal();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-verification-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', HOTICH_DATA_DIR: dataDir, JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
  app = await buildApp({ config, pool: db.pool, temporal: env.client, logger: createLogger(config) });
  const users: Array<[string, 'auditor' | 'official', string | null, string | null]> = [
    ['kiemtoan', 'auditor', null, null],
    ['kiemtoan01', 'auditor', '01', null],
    ['kiemtoan79', 'auditor', '79', null],
    ['canbo01', 'official', '01', '00004'],
  ];
  for (const [username, role, provinceCode, agencyCode] of users) {
    await app.usersRepository.create({ username, password: 'mat-khau-that-dai-1', role, provinceCode, agencyCode, displayName: '' });
    tokens[username] = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'mat-khau-that-dai-1' } })).json().token as string;
  }
  for (let n = 1; n <= 6; n++) await inTransaction(db.pool, (c) => appendAudit(c, [entry('01', n), entry('79', n)]));
  // Province 01's third entry turned from an approval into a rejection after the fact.
  await db.asOwner(async (c) => {
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await c.query(`UPDATE audit_log SET action = 'record.reject', state_after = 'rejected' WHERE province_code = '01' AND chain_pos = 3`);
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
  });
});

afterAll(async () => {
  await app?.close();
  await env?.teardown();
  await db?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (username: string, url: string) => app.inject({ url, headers: { authorization: `Bearer ${tokens[username]}` } });

test("a province's auditor finds the edited entry at its place, told in Vietnamese", async () => {
  const r = await get('kiemtoan01', '/api/audit/provinces/01/verification');
  expect(r.statusCode).toBe(200);
  const seq = (await db.pool.query<{ seq: string }>(`SELECT seq FROM audit_log WHERE province_code = '01' AND chain_pos = 3`)).rows[0]!.seq;
  expect(r.json()).toEqual({
    provinceCode: '01',
    checkedAt: expect.any(String),
    entries: 6,
    head: { position: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String) },
    breakCount: 1,
    breaks: [
      {
        kind: 'edited',
        position: 3,
        seq: Number(seq),
        action: 'record.reject',
        actionVi: 'Từ chối',
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        actor: 'canbo01',
        messageVi: 'đã bị sửa — nội dung không còn cho ra mã băm đã ghi',
      },
    ],
  });
});

test('an intact chain, and a province with no entries, each say so to a national auditor', async () => {
  const intact = (await get('kiemtoan', '/api/audit/provinces/79/verification')).json();
  expect(intact).toMatchObject({ provinceCode: '79', entries: 6, breakCount: 0, breaks: [], head: { position: 6 } });
  const empty = (await get('kiemtoan', '/api/audit/provinces/02/verification')).json();
  expect(empty).toEqual({ provinceCode: '02', checkedAt: expect.any(String), entries: 0, breakCount: 0, breaks: [] });
});

test("another province's auditor gets 404 as for nothing, an official 403", async () => {
  const other = await get('kiemtoan79', '/api/audit/provinces/01/verification');
  expect([other.statusCode, other.json().code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  const official = await get('canbo01', '/api/audit/provinces/01/verification');
  expect([official.statusCode, official.json().code]).toEqual([403, 'AUTH_ROLE_NOT_ALLOWED']);
});

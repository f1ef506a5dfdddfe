/**
 * An administrator keeps accounts through the API: creates one, disables it when its person
 * leaves (its open session ends at its next request), enables it again, sets a new password.
 * Each change is in the audit log, in the chain of the account's province, the password never.
 */
import type { Client } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { verifyAuditLog } from '../services/audit-verification';
import { buildApp } from './app';

let db: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
const ADMIN_PASSWORD = 'mat-khau-quan-tri-2026';
const PASSWORD = 'mat-khau-cong-chuc-2026';
const NEW_PASSWORD = 'mat-khau-moi-sau-khi-quen';

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
  // No route used here talks to Temporal.
  app = await buildApp({ config, pool: db.pool, temporal: {} as Client, logger: createLogger(config) });
  await app.usersRepository.create({ username: 'quantri', password: ADMIN_PASSWORD, role: 'admin' });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
async function tokenOf(username: string, password: string): Promise<string> {
  const r = await login(username, password);
  expect(r.statusCode).toBe(200);
  return r.json().token as string;
}
const call = (token: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload }) });

async function accountEntries(username: string) {
  const r = await db.pool.query<{ action: string; actor: string; actor_role: string; province_code: string | null; agency_code: string | null; details: Record<string, unknown> }>(
    `SELECT action, actor, actor_role, province_code, agency_code, details FROM audit_log WHERE subject_kind = 'user' AND subject_id = $1 ORDER BY seq`,
    [username],
  );
  return r.rows;
}

test('an account is created, disabled with a reason (its session ends), enabled, given a new password; each change audited, the password never', async () => {
  const admin = await tokenOf('quantri', ADMIN_PASSWORD);
  const created = await call(admin, 'POST', '/api/users', { username: 'canbo.nghiviec', password: PASSWORD, role: 'official', agencyCode: '00004', displayName: 'Nguyễn Văn An' });
  expect(created.statusCode).toBe(201);
  const official = await tokenOf('canbo.nghiviec', PASSWORD);
  expect((await call(official, 'GET', '/api/me')).statusCode).toBe(200);

  const disabled = await call(admin, 'POST', '/api/users/canbo.nghiviec/disable', { reason: 'Nghỉ hưu từ 01/12/2026' });
  expect(disabled.json()).toEqual({ username: 'canbo.nghiviec', role: 'official', provinceCode: '01', agencyCode: '00004', displayName: 'Nguyễn Văn An', disabled: true });
  // The session open before ends at its next request; a new log-in is refused as any wrong one is.
  expect((await call(official, 'GET', '/api/me')).json().code).toBe('AUTH_REQUIRED');
  expect((await login('canbo.nghiviec', PASSWORD)).json().code).toBe('AUTH_LOGIN_FAILED');
  expect((await call(admin, 'GET', '/api/users')).json()).toContainEqual(expect.objectContaining({ username: 'canbo.nghiviec', disabled: true }));
  // Disabled twice is one change: one entry.
  expect((await call(admin, 'POST', '/api/users/canbo.nghiviec/disable', { reason: 'Nhắc lại' })).statusCode).toBe(200);

  expect((await call(admin, 'POST', '/api/users/canbo.nghiviec/enable', {})).json()).toMatchObject({ disabled: false });
  const before = await tokenOf('canbo.nghiviec', PASSWORD);
  expect((await call(admin, 'POST', '/api/users/canbo.nghiviec/password', { password: NEW_PASSWORD })).statusCode).toBe(200);
  // A password set because the old one leaked leaves no session of the old one open.
  expect((await call(before, 'GET', '/api/me')).json()).toMatchObject({
    code: 'AUTH_SESSION_ENDED',
    message: 'Phiên đăng nhập đã kết thúc vì mật khẩu của tài khoản vừa được đổi. Hãy đăng nhập lại bằng mật khẩu mới.',
  });
  expect((await login('canbo.nghiviec', PASSWORD)).json().code).toBe('AUTH_LOGIN_FAILED');
  expect((await login('canbo.nghiviec', NEW_PASSWORD)).statusCode).toBe(200);

  const entries = await accountEntries('canbo.nghiviec');
  expect(entries.map((e) => [e.action, e.actor, e.actor_role, e.province_code, e.agency_code])).toEqual([
    ['user.created', 'quantri', 'admin', '01', '00004'],
    ['user.disabled', 'quantri', 'admin', '01', '00004'],
    ['user.enabled', 'quantri', 'admin', '01', '00004'],
    ['user.password_set', 'quantri', 'admin', '01', '00004'],
  ]);
  expect(entries[1]!.details).toEqual({ role: 'official', reason: 'Nghỉ hưu từ 01/12/2026' });
  const logged = JSON.stringify(await db.pool.query('SELECT * FROM audit_log'));
  for (const password of [PASSWORD, NEW_PASSWORD]) expect(logged).not.toContain(password);
  expect((await verifyAuditLog(db.pool)).map((c) => [c.provinceCode, c.breakCount])).toEqual([['01', 0]]);
});

test('refused with codes: disabling oneself, a reason left blank, an account that does not exist, a caller who is not an administrator', async () => {
  const admin = await tokenOf('quantri', ADMIN_PASSWORD);
  const self = await call(admin, 'POST', '/api/users/quantri/disable', { reason: 'Thử' });
  expect([self.statusCode, self.json().code, self.json().message]).toEqual([409, 'USER_DISABLE_SELF', 'Không thể tự khoá tài khoản quantri của chính mình; một quản trị viên khác khoá giúp.']);
  const blank = await call(admin, 'POST', '/api/users/canbo.nghiviec/disable', { reason: '   ' });
  expect([blank.statusCode, blank.json().code]).toEqual([400, 'USER_DISABLE_REASON_MISSING']);
  const missing = await call(admin, 'POST', '/api/users/khong-co-ai/enable', {});
  expect([missing.statusCode, missing.json().code, missing.json().message]).toEqual([404, 'USER_NOT_FOUND', 'Không có người dùng khong-co-ai.']);
  const official = await tokenOf('canbo.nghiviec', NEW_PASSWORD);
  expect((await call(official, 'POST', '/api/users/quantri/password', { password: NEW_PASSWORD })).json().code).toBe('AUTH_ROLE_NOT_ALLOWED');
  // Nothing of these is in the log, and the administrator still signs in with the same password.
  expect(await accountEntries('quantri')).toEqual([]);
  expect((await login('quantri', ADMIN_PASSWORD)).statusCode).toBe(200);
});

test('a user changes their own password with the current one: this session goes on with a new token, their other sessions end; audited as done by the user', async () => {
  const admin = await tokenOf('quantri', ADMIN_PASSWORD);
  expect((await call(admin, 'POST', '/api/users', { username: 'dieuphoi.tinh', password: PASSWORD, role: 'coordinator', provinceCode: '01' })).statusCode).toBe(201);
  const here = await tokenOf('dieuphoi.tinh', PASSWORD);
  const elsewhere = await tokenOf('dieuphoi.tinh', PASSWORD);

  const wrong = await call(here, 'POST', '/api/me/password', { currentPassword: 'khong-phai-mat-khau', newPassword: NEW_PASSWORD });
  expect([wrong.statusCode, wrong.json().code, wrong.json().message]).toEqual([400, 'USER_CURRENT_PASSWORD_WRONG', 'Mật khẩu hiện tại không đúng.']);
  const short = await call(here, 'POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'ngan' });
  expect(short.json().code).toBe('VALIDATION_FAILED');

  const changed = await call(here, 'POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
  expect(changed.statusCode).toBe(200);
  const renewed = changed.json().token as string;
  expect((await call(renewed, 'GET', '/api/me')).json()).toMatchObject({ username: 'dieuphoi.tinh', role: 'coordinator' });
  for (const old of [here, elsewhere]) expect((await call(old, 'GET', '/api/me')).json().code).toBe('AUTH_SESSION_ENDED');
  expect((await login('dieuphoi.tinh', PASSWORD)).json().code).toBe('AUTH_LOGIN_FAILED');
  expect((await login('dieuphoi.tinh', NEW_PASSWORD)).statusCode).toBe(200);

  expect((await accountEntries('dieuphoi.tinh')).map((e) => [e.action, e.actor, e.actor_role, e.province_code])).toEqual([
    ['user.created', 'quantri', 'admin', '01'],
    ['user.password_changed', 'dieuphoi.tinh', 'coordinator', '01'],
  ]);
});

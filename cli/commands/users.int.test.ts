import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { cliEnv, runCli } from '../../test/support/cli-process';
import { createUsersRepository } from '../../api/repositories/users';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('hotich users add creates a user who can then log in; the password is hashed', async () => {
  const r = await runCli(['users', 'add', '--username', 'congchuc.trucbach', '--role', 'official', '--agency', '00004'], cliEnv({ DATABASE_URL: db.url, HOTICH_PASSWORD: 'mat-khau-that-dai-1' }));
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('Đã tạo người dùng congchuc.trucbach (official, cơ quan 00004).\n');
  const users = createUsersRepository(db.pool);
  expect(await users.authenticate('congchuc.trucbach', 'mat-khau-that-dai-1')).toMatchObject({ role: 'official', agencyCode: '00004', provinceCode: '01' });
  // The agency was registered from the unit catalog.
  expect((await db.pool.query(`SELECT name, level FROM agencies WHERE code = '00004'`)).rows).toEqual([{ name: 'UBND phường Ba Đình', level: 'commune' }]);
  expect(await users.authenticate('congchuc.trucbach', 'sai')).toBeNull();
  const stored = await db.pool.query(`SELECT password_hash FROM users WHERE username = 'congchuc.trucbach'`);
  expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
});

test('an official without an agency, an unknown agency and a short password are refused with codes', async () => {
  const env = cliEnv({ DATABASE_URL: db.url, HOTICH_PASSWORD: 'mat-khau-that-dai-1' });
  const noAgency = await runCli(['users', 'add', '--username', 'x-1', '--role', 'official'], env);
  expect(noAgency.stderr).toMatch(/^Lỗi USER_SCOPE_INVALID: /);
  const unknown = await runCli(['users', 'add', '--username', 'x-2', '--role', 'official', '--agency', '99999'], env);
  expect(unknown.stderr).toMatch(/^Lỗi AGENCY_UNKNOWN: Không có cơ quan đăng ký hộ tịch mã 99999 /);
  // A pre-2025 commune is not an agency any more (its registers went to its successor).
  const legacy = await runCli(['users', 'add', '--username', 'x-4', '--role', 'official', '--agency', '00001'], env);
  expect(legacy.stderr).toMatch(/^Lỗi AGENCY_UNKNOWN: /);
  const short = await runCli(['users', 'add', '--username', 'x-3', '--role', 'admin'], cliEnv({ DATABASE_URL: db.url, HOTICH_PASSWORD: 'ngan' }));
  expect(short.stderr).toMatch(/^Lỗi USER_PASSWORD_MISSING: /);
  expect(short.code).toBe(2);
});

test('hotich users disable, enable and password change an account as the administrator named by --as, or as the server; each audited; list shows who is disabled', async () => {
  const env = cliEnv({ DATABASE_URL: db.url, HOTICH_PASSWORD: 'mat-khau-that-dai-1' });
  expect((await runCli(['users', 'add', '--username', 'quantri.tinh', '--role', 'admin'], env)).stderr).toBe('');
  expect((await runCli(['users', 'add', '--username', 'canbo.chuyen', '--role', 'official', '--agency', '00004', '--as', 'quantri.tinh'], env)).stderr).toBe('');

  const disabled = await runCli(['users', 'disable', 'canbo.chuyen', '--reason', 'Chuyển công tác sang phường Ngọc Hà', '--as', 'quantri.tinh'], env);
  expect([disabled.code, disabled.stdout, disabled.stderr]).toEqual([0, 'Đã khoá tài khoản canbo.chuyen.\n', '']);
  const users = createUsersRepository(db.pool);
  expect(await users.authenticate('canbo.chuyen', 'mat-khau-that-dai-1')).toBeNull();
  expect((await runCli(['users', 'list'], env)).stdout).toContain('canbo.chuyen         official     00004  đã khoá\n');

  expect((await runCli(['users', 'enable', 'canbo.chuyen'], env)).stdout).toBe('Đã mở khoá tài khoản canbo.chuyen.\n');
  const reset = await runCli(['users', 'password', 'canbo.chuyen', '--as', 'quantri.tinh'], cliEnv({ DATABASE_URL: db.url, HOTICH_PASSWORD: 'mat-khau-moi-rat-dai-2' }));
  expect([reset.code, reset.stdout]).toEqual([0, 'Đã đặt lại mật khẩu của canbo.chuyen.\n']);
  expect(await users.authenticate('canbo.chuyen', 'mat-khau-moi-rat-dai-2')).toMatchObject({ username: 'canbo.chuyen' });

  const entries = await db.pool.query<{ action: string; actor: string; actor_role: string; subject_id: string }>(
    `SELECT action, actor, actor_role, subject_id FROM audit_log WHERE subject_kind = 'user' AND subject_id IN ('quantri.tinh', 'canbo.chuyen') ORDER BY seq`,
  );
  expect(entries.rows.map((e) => `${e.action} ${e.subject_id} by ${e.actor} (${e.actor_role})`)).toEqual([
    'user.created quantri.tinh by system (system)',
    'user.created canbo.chuyen by quantri.tinh (admin)',
    'user.disabled canbo.chuyen by quantri.tinh (admin)',
    'user.enabled canbo.chuyen by system (system)',
    'user.password_set canbo.chuyen by quantri.tinh (admin)',
  ]);

  // --as must name an active administrator; a reason is required; an unknown account is said so.
  const notAdmin = await runCli(['users', 'disable', 'canbo.chuyen', '--reason', 'x', '--as', 'canbo.chuyen'], env);
  expect([notAdmin.code, notAdmin.stderr]).toEqual([1, 'Lỗi CLI_USER_NOT_ADMIN: Người dùng canbo.chuyen không phải quản trị viên đang hoạt động; bỏ --as để thao tác với tư cách máy chủ.\n']);
  expect((await runCli(['users', 'disable', 'canbo.chuyen', '--reason', ' '], env)).stderr).toMatch(/^Lỗi USER_DISABLE_REASON_MISSING: /);
  expect((await runCli(['users', 'enable', 'khong-co-ai'], env)).stderr).toBe('Lỗi USER_NOT_FOUND: Không có người dùng khong-co-ai.\n');
});

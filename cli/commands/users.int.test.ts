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

/**
 * Log-in throttling on the real PostgreSQL: per user name and per client address, shared by API
 * processes, strict under parallel attempts, with a Vietnamese message saying when to try again.
 */
import type { Client } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { buildApp } from './app';
import { addressKey } from './login-throttle';

let db: TestDatabase;
const apps: Array<Awaited<ReturnType<typeof buildApp>>> = [];
const PASSWORD = 'mat-khau-dung-2026';

/** An API process on the test database; log-in limits as given. */
async function api(limits: { user: number; address: number }) {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'a-test-secret-of-at-least-32-characters!',
    HOTICH_LOGIN_MAX_FAILURES_PER_USER: String(limits.user),
    HOTICH_LOGIN_MAX_FAILURES_PER_ADDRESS: String(limits.address),
    API_TRUST_PROXY: '127.0.0.1',
  });
  // No route used here talks to Temporal.
  const app = await buildApp({ config, pool: db.pool, temporal: {} as Client, logger: createLogger(config) });
  apps.push(app);
  return app;
}

type App = Awaited<ReturnType<typeof api>>;
const login = (app: App, username: string, password: string, from = '203.0.113.7') =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': from } });

beforeAll(async () => {
  db = await createTestDatabase();
  const app = await api({ user: 5, address: 100 });
  for (const username of ['canbo-a', 'canbo-b', 'canbo-c', 'canbo-d', 'canbo-e']) {
    await app.usersRepository.create({ username, password: PASSWORD, role: 'auditor', provinceCode: '01' });
  }
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db.drop();
});
beforeEach(() => db.pool.query('DELETE FROM login_failures'));

test('after too many failures a user name is refused, even with the right password, saying when to try again; other users are not', async () => {
  const app = await api({ user: 5, address: 100 });
  for (let i = 0; i < 5; i++) expect((await login(app, 'canbo-a', 'sai')).json().code).toBe('AUTH_LOGIN_FAILED');
  const refused = await login(app, 'canbo-a', PASSWORD);
  expect(refused.statusCode).toBe(429);
  const body = refused.json();
  expect(body.code).toBe('AUTH_TOO_MANY_ATTEMPTS');
  expect(body.message).toMatch(/^Đăng nhập sai quá nhiều lần nên tạm thời bị khoá\. Hãy thử lại sau 15 phút \(lúc \d{2}:\d{2}\); nếu quên mật khẩu, hãy liên hệ quản trị viên\.$/);
  expect(body.message).toBe(body.message.normalize('NFC'));
  const retryAfter = Number(refused.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(14 * 60);
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  // The name is compared as typed by people: case does not make a new one.
  expect((await login(app, 'CANBO-A', PASSWORD)).statusCode).toBe(429);
  expect((await login(app, 'canbo-b', PASSWORD)).statusCode).toBe(200);
});

test('a success clears the failures of its user name', async () => {
  const app = await api({ user: 5, address: 100 });
  for (let i = 0; i < 4; i++) await login(app, 'canbo-a', 'sai');
  expect((await login(app, 'canbo-a', PASSWORD)).statusCode).toBe(200);
  for (let i = 0; i < 4; i++) expect((await login(app, 'canbo-a', 'sai')).statusCode).toBe(401);
  expect((await login(app, 'canbo-a', PASSWORD)).statusCode).toBe(200);
});

test('one address guessing many user names is refused; another address is not', async () => {
  const app = await api({ user: 5, address: 8 });
  for (const username of ['canbo-a', 'canbo-b', 'canbo-c', 'canbo-d']) {
    for (let i = 0; i < 2; i++) expect((await login(app, username, 'sai', '198.51.100.20')).statusCode).toBe(401);
  }
  const refused = await login(app, 'canbo-e', PASSWORD, '198.51.100.20');
  expect(refused.statusCode).toBe(429);
  expect(refused.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
  expect((await login(app, 'canbo-e', PASSWORD, '198.51.100.21')).statusCode).toBe(200);
  // IPv6: the whole /64 is one subscriber.
  for (let i = 0; i < 8; i++) expect((await login(app, `khach-${i}`, 'sai', `2001:db8:1:2::${i + 1}`)).statusCode).toBe(401);
  expect((await login(app, 'canbo-c', PASSWORD, '2001:db8:1:2:ffff::9')).statusCode).toBe(429);
});

test('parallel attempts get no more guesses than sequential ones, and API processes share the count', async () => {
  const [first, second] = [await api({ user: 5, address: 100 }), await api({ user: 5, address: 100 })];
  const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => login(i % 2 ? first : second, 'canbo-d', 'sai')));
  const statuses = answers.map((a) => a.statusCode).sort();
  expect(statuses.filter((s) => s === 401)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(11);
  // What is stored names no one: digests of 32 bytes.
  const stored = await db.pool.query<{ key: Buffer }>('SELECT key FROM login_failures');
  expect(stored.rows.every((r) => r.key.length === 32)).toBe(true);
  expect(JSON.stringify(stored.rows)).not.toContain('canbo-d');
});

test.each([
  ['203.0.113.7', '203.0.113.7'],
  ['::ffff:203.0.113.7', '203.0.113.7'],
  ['2001:db8::1', '2001:db8:0:0::/64'],
  ['2001:DB8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
  ['fe80::1:2:3:4', 'fe80:0:0:0::/64'],
])('the address %s is counted as %s', (ip, key) => {
  expect(addressKey(ip)).toBe(key);
});

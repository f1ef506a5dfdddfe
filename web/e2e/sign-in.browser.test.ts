/**
 * Signing in, in a real browser against the real system: Vietnamese by default, the API's
 * refusal shown with its code, the role's frame after signing in (an official whose agency has
 * no data yet is told so calmly, with what comes next, not with an error), the English switch, a
 * reload that keeps the session, signing out; a user changing their password, an administrator
 * keeping accounts; nothing asked of any other server, no serious accessibility finding.
 */
import type { Browser } from './support/browser';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from './support/browser';
import { signIn } from './support/coordinator';
import { startWebSystem, type WebSystem } from './support/system';

let system: WebSystem;
let browser: Browser;
let password: string;

beforeAll(async () => {
  system = await startWebSystem('web-sign-in');
  password = await system.addUser('congchuc.hongha', 'official', { agencyCode: '00097', displayName: 'Nguyễn Thị Lan' });
  browser = await launchBrowser(system.url);
});

afterAll(async () => {
  // The system first: requests the page still has in flight finish before Temporal's connection closes (a
  // request cut off by a closing browser leaves its Temporal call retrying on a closed channel, which throws).
  await system?.close();
  await browser?.close();
});

test('an official signs in in Vietnamese, switches to English, keeps the session on reload and signs out', async () => {
  const { page } = browser;
  await page.goto('/');
  await page.waitForURL('**/login');
  expect(await page.getAttribute('html', 'lang')).toBe('vi');
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.getByLabel('Tên đăng nhập').fill('congchuc.hongha');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const refusal = page.getByRole('alert');
  await refusal.getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor();
  await refusal.getByText('Mã lỗi: AUTH_LOGIN_FAILED').waitFor();
  await screenshot(page, 'sign-in-refused');

  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  const banner = page.getByRole('banner');
  await banner.getByText('Nguyễn Thị Lan').waitFor();
  await banner.getByText('Công chức hộ tịch · Cơ quan 00097').waitFor();
  // No run has handed the agency any data: a normal state, not an error.
  const empty = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Chưa có dữ liệu nào được giao cho cơ quan' }) });
  await empty.getByText('các quyển sổ cần kiểm tra hiện ở trang này', { exact: false }).waitFor();
  expect(await page.getByRole('alert').count()).toBe(0);
  await screenshot(page, 'signed-in');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Nhập dữ liệu' }).click();
  await empty.waitFor();
  expect(await page.getByRole('alert').count()).toBe(0);
  await page.getByRole('link', { name: 'Trang chủ' }).click();

  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await banner.getByText('Civil status official · Agency 00097').waitFor();

  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(browser.foreignRequests).toEqual([]);
});

test('an address of the page that does not exist says so; one of the API answers as the API', async () => {
  const { page } = browser;
  await page.getByLabel('Language').selectOption('vi');
  await page.getByLabel('Tên đăng nhập').fill('congchuc.hongha');
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.goto('/khong-co-trang-nay');
  await page.getByRole('heading', { name: 'Không tìm thấy' }).waitFor();
  const api = await page.request.get('/api/khong-co');
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
});

test('an official changes the password: a wrong current one is refused with its code, a repeat that differs is said before sending; the other session ends and says why; the new one signs in', async () => {
  const { page, context } = browser;
  // A second session of the same account, in another tab (its own session storage).
  const other = await context.newPage();
  await signIn(other, 'congchuc.hongha', password);

  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: 'Đổi mật khẩu' }).click();
  await page.getByRole('heading', { name: 'Đổi mật khẩu' }).waitFor();
  const newPassword = 'mot-cau-de-nho-kho-doan-2026';
  await page.getByLabel('Mật khẩu hiện tại').fill('khong-phai-mat-khau');
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPassword);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(`${newPassword}x`);
  await page.getByText('Hai lần nhập mật khẩu mới không giống nhau.').waitFor();
  expect(await page.getByRole('button', { name: 'Đổi mật khẩu' }).isDisabled()).toBe(true);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(newPassword);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await page.getByRole('alert').getByText('Mã lỗi: USER_CURRENT_PASSWORD_WRONG').waitFor();

  await page.getByLabel('Mật khẩu hiện tại').fill(password);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await page.getByRole('status').getByText('Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.').waitFor();
  await screenshot(page, 'password-changed');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  // This session goes on with its new token.
  await page.getByRole('link', { name: 'Nhập dữ liệu' }).click();
  expect(await page.getByRole('alert').count()).toBe(0);

  // The other one ends at its next request, and the log-in page says why.
  await other.getByRole('link', { name: 'Nhập dữ liệu' }).click();
  await other.waitForURL('**/login');
  await other.getByText('Phiên đăng nhập đã kết thúc vì mật khẩu của tài khoản vừa được đổi. Hãy đăng nhập lại bằng mật khẩu mới.').waitFor();
  await signIn(other, 'congchuc.hongha', newPassword);
  expect(new URL(other.url()).pathname).not.toBe('/login');
  await other.close();
  password = newPassword;
});

test('the administrator keeps accounts on the page: creates an official, disables it with a reason, enables it, sets its password; each change is in the audit log', async () => {
  const { page } = browser;
  const adminPassword = await system.addUser('quantri.tinh', 'admin', { displayName: 'Lê Minh Quân' });
  await page.goto('/');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await signIn(page, 'quantri.tinh', adminPassword);
  await page.getByRole('heading', { name: 'Tài khoản người dùng' }).waitFor();
  const table = page.getByRole('table', { name: 'Tài khoản người dùng' });
  const row = (username: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: username, exact: true }) });
  await row('congchuc.hongha').getByText('Đang dùng').waitFor();
  // No one disables their own account.
  expect(await page.getByRole('button', { name: 'Khoá tài khoản quantri.tinh' }).count()).toBe(0);

  await page.getByRole('heading', { name: 'Tạo tài khoản mới' }).click();
  await page.getByLabel('Tên đăng nhập').fill('canbo.moi');
  await page.getByLabel('Họ tên').fill('Trần Văn Bình');
  await page.getByLabel('Vai trò').selectOption('official');
  await page.getByLabel(/^Mã cơ quan đăng ký/).fill('00097');
  await page.getByLabel('Mật khẩu ban đầu').fill('mat-khau-ban-dau-2026');
  await page.getByRole('button', { name: 'Tạo tài khoản', exact: true }).click();
  await page.getByRole('status').getByText('Đã tạo tài khoản canbo.moi.').waitFor();
  await row('canbo.moi').getByText('Cơ quan 00097').waitFor();

  await page.getByRole('button', { name: 'Khoá tài khoản canbo.moi' }).click();
  await page.getByLabel('Lý do khoá').fill('Chuyển công tác sang phường Ngọc Hà');
  await page.getByRole('button', { name: 'Khoá tài khoản', exact: true }).click();
  await page.getByRole('status').getByText('Đã khoá tài khoản canbo.moi', { exact: false }).waitFor();
  await row('canbo.moi').getByText('Đã khoá').waitFor();
  const signInAs = (password: string) => page.request.post('/api/auth/login', { data: { username: 'canbo.moi', password } });
  expect((await signInAs('mat-khau-ban-dau-2026')).status()).toBe(401);
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, 'accounts');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Mở khoá tài khoản canbo.moi' }).click();
  await row('canbo.moi').getByText('Đang dùng').waitFor();
  await page.getByRole('button', { name: 'Đặt lại mật khẩu của canbo.moi' }).click();
  await page.getByLabel('Mật khẩu mới').fill('mat-khau-moi-cua-binh-2026');
  await page.getByRole('button', { name: 'Đặt mật khẩu' }).click();
  await page.getByRole('status').getByText('Đã đặt lại mật khẩu của canbo.moi', { exact: false }).waitFor();
  expect((await signInAs('mat-khau-moi-cua-binh-2026')).status()).toBe(200);

  const logged = await system.h.db.pool.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log WHERE subject_kind = 'user' AND subject_id = 'canbo.moi' ORDER BY seq`);
  expect(logged.rows).toEqual(['user.created', 'user.disabled', 'user.enabled', 'user.password_set'].map((action) => ({ action, actor: 'quantri.tinh' })));
  expect(browser.foreignRequests).toEqual([]);
});

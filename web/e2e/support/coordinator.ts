/** What the coordinator's browser tests share: signing in through the page, and a run's board in view. */
import type { Page } from 'playwright-core';

/** Signs in through the log-in page as a person does; the page then returns to where it was sent from, or home. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/^(Tên đăng nhập|User name)$/).fill(username);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Đăng nhập|Sign in)$/ }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** The board's rows now in the page (the header row excluded): a virtualised table holds only those in view. */
export async function boardRowsInPage(page: Page): Promise<number> {
  return page.locator('table.virtual-table tbody tr[aria-rowindex]').count();
}

/**
 * Debian's chromium driven by playwright-core, as a person's browser: a fresh profile per
 * launch, a 1366×768 window, every request watched (the page must ask nothing of any other
 * server), axe-core injected to check accessibility, and screenshots kept under dist/screenshots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Playwright adds --headless itself; the profile is the fresh folder given to launchPersistentContext. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SCREENSHOTS = path.join(__dirname, '..', '..', '..', 'dist', 'screenshots');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Requests the page sent to any origin other than the server under test. */
  foreignRequests: string[];
  close(): Promise<void>;
}

export async function launchBrowser(baseUrl: string): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: npm test installs it (scripts/setup-tools.js --test), or apt-get install -y chromium`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1366, height: 768 },
    baseURL: baseUrl,
    locale: 'vi-VN',
    acceptDownloads: true,
  });
  const origin = new URL(baseUrl).origin;
  const foreignRequests: string[] = [];
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    foreignRequests,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA rules). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's own policy forbids inline scripts.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    // Without a context axe checks the whole document.
    const axe = (globalThis as unknown as { axe: { run(opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

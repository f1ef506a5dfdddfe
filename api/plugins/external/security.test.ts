/**
 * The headers every answer carries, read off the built application (no server is needed to
 * answer these requests: none reaches the database or Temporal).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../../platform/config';
import { createLogger } from '../../../platform/logger';
import { buildApp } from '../../app';
import { BUSY_RETRY_AFTER_SECONDS, MAX_EVENT_LOOP_DELAY_MS } from './security';

let app: Awaited<ReturnType<typeof buildApp>>;
let webDir: string;

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>hotich-flow</title>');
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-test-secret-of-at-least-32-characters!', LOG_LEVEL: 'silent' });
  // Nothing below connects: the pool is never asked for a connection, the client never called.
  app = await buildApp({ config, pool: new Pool({ max: 1 }), temporal: {} as Client, logger: createLogger(config), webDir });
});
afterAll(async () => {
  await app.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

const COMMON = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
};

test.each([
  ['a refused API call', '/api/me', 401],
  ['an unknown API address', '/api/khong-co', 404],
])('%s runs nothing, is framed nowhere and is never cached', async (_what, url, status) => {
  const r = await app.inject({ url });
  expect(r.statusCode).toBe(status);
  expect(r.headers).toMatchObject({
    ...COMMON,
    'content-security-policy': "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none';sandbox",
    'cache-control': 'no-store',
  });
  expect(r.headers['x-powered-by']).toBeUndefined();
});

test("the web page carries its own policy, which loads only the page's own files and lets nothing frame it", async () => {
  const r = await app.inject({ url: '/review/1' });
  expect(r.statusCode).toBe(200);
  expect(r.headers).toMatchObject(COMMON);
  const policy = String(r.headers['content-security-policy']);
  expect(policy.split(/;\s*/)).toEqual(
    expect.arrayContaining(["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]),
  );
  // Nothing from elsewhere, no eval (WebAssembly compilation for pdf.js aside).
  expect(policy).not.toMatch(/(^|\s)'unsafe-eval'|https?:|\*/);
});

test('the OpenAPI page loads only its own scripts', async () => {
  const r = await app.inject({ url: '/docs/' });
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/html/);
  expect(r.headers).toMatchObject(COMMON);
  expect(String(r.headers['content-security-policy']).split(/;\s*/)).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"]));
});

test('a saturated event loop is answered with a coded refusal in Vietnamese and when to try again; the health check still answers', async () => {
  // The load monitor judges the mean delay over its sample interval, so one long block between
  // many short samples may pass unnoticed: block in long stretches, asking between them, until refused.
  let busy: Awaited<ReturnType<typeof app.inject>> | undefined;
  for (let i = 0; i < 8 && !busy; i++) {
    const until = Date.now() + MAX_EVENT_LOOP_DELAY_MS + 500;
    while (Date.now() < until);
    await new Promise((resolve) => setImmediate(resolve));
    const r = await app.inject({ url: '/api/me' });
    if (r.statusCode === 503) busy = r;
  }
  expect(busy?.json()).toMatchObject({ code: 'SERVER_BUSY', message: expect.stringMatching(/^Máy chủ đang bận .* thử lại sau 10 giây\.$/) });
  expect(busy?.headers['retry-after']).toBe(String(BUSY_RETRY_AFTER_SECONDS));
  expect(busy?.headers).toMatchObject(COMMON);
  // This application has no Temporal nor PostgreSQL behind it: the health check says so, busy or not.
  const health = await app.inject({ url: '/health' });
  expect([health.statusCode, health.json().status]).toEqual([503, 'degraded']);
}, 30_000);

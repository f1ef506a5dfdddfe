/**
 * The API serves the built web page beside its routes, and starts and answers without it: the
 * page's addresses then say how to build it. Against the real PostgreSQL and Temporal dev server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { connectTestTemporal } from '../test/support/temporal';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { buildApp } from './app';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let scratch: string;

beforeAll(async () => {
  db = await createTestDatabase();
  env = await connectTestTemporal();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'web-page-'));
});

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function appServing(webDir: string) {
  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: path.join(scratch, 'data'), JWT_SECRET: 'a-test-secret-of-at-least-32-characters!', LOG_LEVEL: 'warn' });
  return buildApp({ config, pool: db.pool, temporal: env.client, logger: createLogger(config), webDir });
}

test('without a build the API starts, answers its routes, and the page says how to build it', async () => {
  const app = await appServing(path.join(scratch, 'never-built'));
  try {
    for (const url of ['/', '/review/KS/00097/2009/1']) {
      const r = await app.inject({ url });
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain('npm run build:web');
    }
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok' });
    const missing = await app.inject({ url: '/api/khong-co' });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    expect((await app.inject({ url: '/assets/index.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/me' })).json().code).toBe('AUTH_REQUIRED');
  } finally {
    await app.close();
  }
});

test('with a build: its files, index.html with a policy that allows only our server, and the API unchanged', async () => {
  const dir = path.join(scratch, 'built');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'pdfjs', 'wasm'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Trang thử</title><script type="module" src="/assets/index-abc.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log("trang");');
  fs.writeFileSync(path.join(dir, 'pdfjs', 'wasm', 'openjpeg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  const app = await appServing(dir);
  try {
    for (const url of ['/', '/review/KS/00097/2009/1?record=12', '/records/99']) {
      const r = await app.inject({ url });
      expect([url, r.statusCode]).toEqual([url, 200]);
      expect(r.body).toContain('Trang thử');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
      expect(r.headers['content-security-policy']).toContain("connect-src 'self'");
    }
    const asset = await app.inject({ url: '/assets/index-abc.js' });
    expect([asset.statusCode, asset.body]).toEqual([200, 'console.log("trang");']);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ url: '/pdfjs/wasm/openjpeg.wasm' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/assets/khong-co.js' })).statusCode).toBe(404);
    // Nothing outside the build is served, however the path is written.
    for (const url of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/pdfjs/../index.html']) {
      const r = await app.inject({ url });
      expect([url, r.body.includes('"name"')]).toEqual([url, false]);
    }
    const missing = await app.inject({ url: '/api/khong-co' });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok' });
  } finally {
    await app.close();
  }
});

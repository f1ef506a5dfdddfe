/**
 * Bad configuration ends `hotich start` with one clear Vietnamese line carrying a stable code,
 * a non-zero exit, and no stack trace unless DEBUG is set.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { postgresAccount } from './services/postgres-as-root';
import { cliEnv, runCli } from '../test/support/cli-process';
import { testEnv } from '../test/support/env';

jest.setTimeout(120_000);

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-badcfg-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function expectOneLineError(vars: Record<string, string>, code: string, mentions: string[], secrets: string[] = [], args = ['start']): Promise<void> {
  const r = await runCli(args, cliEnv({ HOTICH_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...vars }));
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^Lỗi ${code}: `));
  for (const m of mentions) expect(lines[0]).toContain(m);
  for (const s of secrets) expect(r.stderr + r.stdout).not.toContain(s);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

test('missing temporal binary names what to install', async () => {
  await expectOneLineError({ TEMPORAL_CLI: '/khong/co/temporal', PG_PORT: String(await freePort()) }, 'TEMPORAL_CLI_MISSING', ['TEMPORAL_CLI=/khong/co/temporal', 'npm ci']);
});

test('a port in use names the port and the setting that changes it', async () => {
  const busy = net.createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
  try {
    await expectOneLineError({ API_PORT: String(port), TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), PG_PORT: String(await freePort()) }, 'CONFIG_PORT_IN_USE', [
      `Cổng ${port}`,
      'API_PORT',
    ]);
  } finally {
    busy.close();
  }
});

test('an unreachable DATABASE_URL names the server, never the password', async () => {
  const port = await freePort();
  await expectOneLineError({ DATABASE_URL: `postgres://hotich:bi-mat@127.0.0.1:${port}/hotich`, TEMPORAL_ADDRESS: '127.0.0.1:1' }, 'DATABASE_UNREACHABLE', [`127.0.0.1:${port}/hotich`], ['bi-mat']);
});

test('a wrong database password says so', async () => {
  const url = new URL(testEnv('postgresAdminUrl'));
  url.password = 'sai-mat-khau';
  await expectOneLineError({ DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: '127.0.0.1:1' }, 'DATABASE_AUTH_FAILED', ['DATABASE_URL'], ['sai-mat-khau']);
});

test('an unreachable Temporal server says where and what to do', async () => {
  const port = await freePort();
  await expectOneLineError({ TEMPORAL_PORT: String(port) }, 'TEMPORAL_UNREACHABLE', [`127.0.0.1:${port}`, 'npm start'], [], ['smoke']);
});

test('an invalid setting names the variable', async () => {
  await expectOneLineError({ API_PORT: 'tám nghìn' }, 'CONFIG_INVALID_SETTING', ['API_PORT=tám nghìn']);
});

const freePorts = async () => ({
  API_PORT: String(await freePort()),
  TEMPORAL_PORT: String(await freePort()),
  TEMPORAL_UI_PORT: String(await freePort()),
  PG_PORT: String(await freePort()),
});

test('an embedded PostgreSQL that fails at start is one line with its code, its reason and where to look', async () => {
  // A data folder the server's account can reach, holding what is not a whole cluster.
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-badpg-'));
  fs.chmodSync(data, 0o711);
  const cluster = path.join(data, 'postgres');
  fs.mkdirSync(cluster, { mode: 0o700 });
  fs.writeFileSync(path.join(cluster, 'PG_VERSION'), '9.6\n');
  if (os.userInfo().uid === 0) for (const p of [cluster, path.join(cluster, 'PG_VERSION')]) fs.chownSync(p, postgresAccount().uid, postgresAccount().gid);
  try {
    await expectOneLineError({ HOTICH_DATA_DIR: data, ...(await freePorts()) }, 'POSTGRES_START_FAILED', [cluster, 'postgresql.conf', path.join(data, 'logs', 'postgres.log'), 'PG_PORT']);
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('an embedded Temporal server that fails at start is one line with its code, its reason and where to look', async () => {
  const fake = path.join(dataDir, 'temporal-that-fails');
  fs.writeFileSync(fake, '#!/bin/sh\necho "cannot open database" >&2\nexit 3\n', { mode: 0o755 });
  const database = new URL(testEnv('postgresAdminUrl'));
  await expectOneLineError({ TEMPORAL_CLI: fake, DATABASE_URL: database.toString(), ...(await freePorts()) }, 'TEMPORAL_START_FAILED', [
    'exited with 3',
    path.join(dataDir, 'logs', 'temporal.log'),
    'TEMPORAL_PORT',
  ], [database.password]);
});

test.each([
  ['hotich start, everything embedded', {}, ['start']],
  ['hotich api against given servers', { TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: 'postgres://hotich@127.0.0.1:1/hotich' }, ['api']],
])('outside development the API refuses to start without JWT_SECRET, before anything starts (%s)', async (_how, vars, args) => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-nojwt-'));
  try {
    await expectOneLineError({ NODE_ENV: 'production', HOTICH_DATA_DIR: data, ...vars, ...(await freePorts()) }, 'CONFIG_JWT_SECRET_MISSING', ['JWT_SECRET', 'NODE_ENV=production'], [], args);
    // No server was started, no secret generated.
    expect(fs.readdirSync(data)).toEqual([]);
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('DEBUG adds the stack trace', async () => {
  const r = await runCli(['start'], cliEnv({ HOTICH_DATA_DIR: dataDir, DEBUG: '1', TEMPORAL_CLI: '/khong/co/temporal' }));
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^Lỗi TEMPORAL_CLI_MISSING: /);
  expect(r.stderr).toMatch(/\n\s+at /);
});

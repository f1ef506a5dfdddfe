/**
 * What a province-run test needs, all real: a migrated database of its own, the suite's
 * Temporal dev server, a data folder with an inbox, and the coordinator service. Workers are
 * made per test (in this process, or as a `hotich worker` child process to be killed).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLocalContentStore, type ContentStore } from '../../activities/files/content-store';
import { dataPaths, type DataPaths } from '../../activities/files/data-paths';
import { loadConfig } from '../../platform/config';
import { createWorkers, type Workers } from '../../worker/create-worker';
import { createProvinceRuns, type ProvinceRuns } from '../../services/province-runs';
import { MANIFEST_FILE, type SplitManifest } from '../../activities/split/split-export';
import { runFolders } from '../../activities/split/split-package';
import { generateExport } from '../../cli/gen/generate';
import type { ReviewSettings } from '../../domain/review/review-types';
import type { Defect } from '../../domain/synthetic/defects';
import { createTestDatabase, type TestDatabase } from './database';
import { cliEnv, startCli, type CliProcess } from './cli-process';
import { testEnv } from './env';
import { connectTestTemporal, uniqueTaskQueue } from './temporal';

export interface ProvinceRunHarness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  dataDir: string;
  paths: DataPaths;
  store: ContentStore;
  taskQueue: string;
  runs: ProvinceRuns;
  createWorker(): Promise<Workers>;
  close(): Promise<void>;
}

/** `review`: settings of the agency runs (short claims, reminders and transfer delays in tests). */
export async function createProvinceRunHarness(name: string, opts: { review?: Partial<ReviewSettings> } = {}): Promise<ProvinceRunHarness> {
  const env = await connectTestTemporal();
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(testEnv('workDir'), `${name}-`));
  const paths = dataPaths({ dataDir, inboxDir: path.join(dataDir, 'inbox') });
  fs.mkdirSync(paths.inbox, { recursive: true });
  const store = createLocalContentStore(paths.store);
  const taskQueue = uniqueTaskQueue(name);
  const config = loadConfig({ NODE_ENV: 'test' });
  return {
    env,
    db,
    dataDir,
    paths,
    store,
    taskQueue,
    runs: createProvinceRuns({ temporal: env.client, pool: db.pool, paths, taskQueue, review: { ...config.review, ...opts.review } }),
    createWorker: () => createWorkers({ config, connection: env.nativeConnection, taskQueue, pool: db.pool, store, paths }),
    async close() {
      await env.teardown();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A `hotich worker` child process on the harness's task queue, database and data folder: a worker a test can kill (it is running once it prints `is running`). */
export function startWorkerProcess(h: ProvinceRunHarness): CliProcess {
  return startCli(
    ['worker'],
    cliEnv({
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      DATABASE_URL: h.db.url,
      HOTICH_DATA_DIR: h.dataDir,
      HOTICH_INBOX_DIR: h.paths.inbox,
      LOG_LEVEL: 'warn',
    }),
  );
}

/** A scratch folder outside the data folder (generated inputs). */
export function scratchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
}

/**
 * A generated Hà Nội export taken through Steps 1–2 by the coordinator service: delivered to the
 * inbox, received, confirmed, split and released. The generator's other outputs (scan zips,
 * expected rows) stay in `out`.
 */
export async function releasedRun(
  h: ProvinceRunHarness,
  opts: { out: string; seed: number; records: number; scannedRatio?: number; defects?: Defect[]; autoImport?: boolean },
): Promise<{ runId: string; manifest: SplitManifest }> {
  const summary = await generateExport({ provinceCode: '01', records: opts.records, seed: opts.seed, out: opts.out, format: 'xlsx', scannedRatio: opts.scannedRatio, defects: opts.defects });
  const bytes = fs.readFileSync(path.join(opts.out, summary.files[0]!));
  const name = `01-c06-${opts.seed}.xlsx`;
  fs.writeFileSync(path.join(h.paths.inbox, name), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { runId } = await h.runs.start({ provinceCode: '01', source: { kind: 'inbox', path: name }, originalName: name, sha256, deliveredBy: 'C06', channel: 'Mạng chuyên dùng', startedBy: 'dieuphoi01' });
  await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  await h.runs.confirmHandover(runId, 'dieuphoi01');
  await h.runs.waitWhile(runId, ['splitting'], undefined, 200);
  await h.runs.release(runId, 'dieuphoi01', undefined, { autoImport: opts.autoImport, withoutUndecided: true });
  await h.runs.waitWhile(runId, ['releasing'], undefined, 200);
  const manifest = JSON.parse(fs.readFileSync(path.join(runFolders(h.paths, runId).split, MANIFEST_FILE), 'utf8')) as SplitManifest;
  return { runId, manifest };
}

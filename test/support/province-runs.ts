/**
 * What a province-run test needs, all real: a migrated database of its own, the suite's
 * Temporal dev server, a data folder with an inbox, and the coordinator service. Workers are
 * made per test (in this process, or as a `hotich worker` child process to be killed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createLocalContentStore, type ContentStore } from '../../activities/files/content-store';
import { dataPaths, type DataPaths } from '../../activities/files/data-paths';
import { loadConfig } from '../../platform/config';
import { createProvinceRuns, type ProvinceRuns } from '../../services/province-runs';
import { createTestDatabase, type TestDatabase } from './database';
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
  createWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export async function createProvinceRunHarness(name: string): Promise<ProvinceRunHarness> {
  const env = await connectTestTemporal();
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(testEnv('workDir'), `${name}-`));
  const paths = dataPaths({ dataDir, inboxDir: path.join(dataDir, 'inbox') });
  fs.mkdirSync(paths.inbox, { recursive: true });
  const store = createLocalContentStore(paths.store);
  const taskQueue = uniqueTaskQueue(name);
  return {
    env,
    db,
    dataDir,
    paths,
    store,
    taskQueue,
    runs: createProvinceRuns({ temporal: env.client, pool: db.pool, paths, taskQueue }),
    createWorker: () =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('../../workflows'),
        activities: createActivities({ pool: db.pool, store, paths, limits: loadConfig({ NODE_ENV: 'test' }).imports }),
      }),
    async close() {
      await env.teardown();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A scratch folder outside the data folder (generated inputs). */
export function scratchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
}

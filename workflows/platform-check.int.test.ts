/**
 * The platform-check workflow on a Temporal dev server that @temporalio/testing starts from the
 * project's own `temporal` binary (never a download), with a real worker and real PostgreSQL.
 */
import { dataPaths } from '../activities/files/data-paths';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { resolveTool } from '../platform/temporal-cli';
import { loadConfig } from '../platform/config';
import { devServerSearchAttributeFlags } from '../platform/temporal-namespace';
import { testEnv } from '../test/support/env';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { uniqueTaskQueue } from '../test/support/temporal';
import { createActivities } from '../activities';
import { createLocalContentStore } from '../activities/files/content-store';
import { acknowledgePlatformCheck, platformCheck, platformCheckStatus } from './platform-check';

let env: TestWorkflowEnvironment;
let db: TestDatabase;

beforeAll(async () => {
  const binary = resolveTool('temporal', { rootDir: loadConfig().rootDir });
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: binary }, ip: '127.0.0.1', extraArgs: devServerSearchAttributeFlags() } });
  db = await createTestDatabase();
});

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

test('records once, waits for a person, refuses an empty acknowledgement, completes', async () => {
  const taskQueue = uniqueTaskQueue('platform-check');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./index'),
    // The suite's work folder is removed by global teardown.
    activities: createActivities({ pool: db.pool, store: createLocalContentStore(`${testEnv('workDir')}/store-platform-check`), paths: dataPaths({ dataDir: `${testEnv('workDir')}/platform-check`, inboxDir: `${testEnv('workDir')}/platform-check/inbox` }), limits: loadConfig({ NODE_ENV: 'test' }).imports }),
  });
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(platformCheck, { taskQueue, workflowId: `platform-check/${taskQueue}`, args: [{ requestedBy: 'test' }] });
    while ((await handle.query(platformCheckStatus)).phase !== 'waiting') await new Promise((r) => setTimeout(r, 50));
    // The validator rejects before anything enters history.
    await expect(handle.executeUpdate(acknowledgePlatformCheck, { args: [{ by: '  ' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await handle.query(platformCheckStatus)).phase).toBe('waiting');
    await handle.executeUpdate(acknowledgePlatformCheck, { args: [{ by: 'Nguyễn Thị Hoà' }] });
    return handle.result();
  });
  expect(result).toMatchObject({ phase: 'done', acknowledgedBy: 'Nguyễn Thị Hoà' });
  const audit = await db.pool.query(`SELECT seq, actor FROM audit_log WHERE action = 'platform.check'`);
  expect(audit.rows).toEqual([{ seq: String(result.auditSeq), actor: 'test' }]);
});

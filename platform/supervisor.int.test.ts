/**
 * `hotich start` (what `npm start` runs) as a user runs it: the embedded Temporal dev server and
 * PostgreSQL, worker and API in one process tree. A workflow waiting for a person survives a
 * `kill -9` of the whole tree and completes after the next start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { freePort } from './ports';
import { discardEmbeddedPostgres } from './services/embedded-postgres';
import { cliEnv, startCli, type CliProcess } from '../test/support/cli-process';
import { acknowledgePlatformCheck, platformCheck, platformCheckStatus } from '../workflows/platform-check';

jest.setTimeout(240_000);

let dataDir: string;
let env: NodeJS.ProcessEnv;
let ports: { api: number; temporal: number; ui: number; pg: number };

function processTreeAlive(pids: number[]): number[] {
  return pids.filter((pid) => fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
}

function descendants(pid: number): number[] {
  const all: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) all.push(Number(entry), ...descendants(Number(entry)));
    } catch {
      // the process ended while we looked
    }
  }
  return all;
}

async function startSystem(vars: Record<string, string> = {}): Promise<CliProcess> {
  const p = startCli(['start'], { ...env, ...vars }, { newProcessGroup: true });
  await p.waitForOutput(/Ctrl-C/, 120_000);
  return p;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-start-'));
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), pg: await freePort() };
  env = cliEnv({
    HOTICH_DATA_DIR: dataDir,
    API_PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    PG_PORT: String(ports.pg),
    LOG_LEVEL: 'warn',
  });
});

afterAll(() => {
  // As root the cluster of a data folder in a mode-700 temporary folder lives apart, linked from it.
  discardEmbeddedPostgres(path.join(dataDir, 'postgres'));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('start → health green → a waiting workflow survives kill -9 of the whole tree → resumes after start', async () => {
  const first = await startSystem();
  expect(first.stdout()).toContain(`http://127.0.0.1:${ports.api}/docs`);
  expect(first.stdout()).toContain(`Temporal UI:       http://127.0.0.1:${ports.ui}`);
  expect(first.stdout()).toMatch(/congchuc\s+\S+\s+official\s+00097 UBND phường Hồng Hà/);

  const health = await fetch(`http://127.0.0.1:${ports.api}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok', temporal: { ok: true }, postgres: { ok: true } });

  const workflowId = `platform-check/kill-9-${Date.now()}`;
  let connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  let client = new Client({ connection });
  const handle = await client.workflow.start(platformCheck, { taskQueue: 'hotich', workflowId, args: [{ requestedBy: 'test' }] });
  let deadline = Date.now() + 30_000;
  while ((await handle.query(platformCheckStatus)).phase !== 'waiting') {
    if (Date.now() > deadline) throw new Error('workflow never reached its waiting point');
    await new Promise((r) => setTimeout(r, 200));
  }
  // The Temporal UI's own API lists the workflow.
  const listed = await fetch(`http://127.0.0.1:${ports.ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="${workflowId}"`)}`);
  expect(listed.status).toBe(200);
  expect(JSON.stringify(await listed.json())).toContain(workflowId);
  await connection.close();

  const tree = [first.child.pid!, ...descendants(first.child.pid!)];
  expect(tree.length).toBeGreaterThanOrEqual(3); // node, temporal, postgres (+ its workers)
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  deadline = Date.now() + 15_000;
  while (processTreeAlive(tree).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(processTreeAlive(tree)).toEqual([]);

  const second = await startSystem();
  connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  client = new Client({ connection });
  const resumed = client.workflow.getHandle(workflowId);
  expect((await resumed.query(platformCheckStatus)).phase).toBe('waiting');
  await resumed.executeUpdate(acknowledgePlatformCheck, { args: [{ by: 'điều phối viên' }] });
  const result = await resumed.result();
  expect(result).toMatchObject({ phase: 'done', acknowledgedBy: 'điều phối viên' });
  await connection.close();

  // The activity ran once: exactly one audit row for the workflow, before and after the crash.
  const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { postgresPassword: string };
  const pg = new PgClient({ connectionString: `postgres://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${ports.pg}/hotich` });
  await pg.connect();
  const rows = await pg.query(`SELECT seq FROM audit_log WHERE action = 'platform.check' AND subject_id = $1`, [workflowId]);
  // The API and the worker connect as the application's role, which may only add to the audit log.
  const roles = await pg.query(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'hotich' AND application_name = 'hotich-flow'`);
  await pg.end();
  expect(rows.rows.map((r) => Number(r.seq))).toEqual([result.auditSeq]);
  expect(roles.rows).toEqual([{ usename: 'hotich_app' }]);

  const secondTree = [second.child.pid!, ...descendants(second.child.pid!)];
  process.kill(second.child.pid!, 'SIGINT');
  expect(await second.exited).toEqual({ code: 0, signal: null });
  expect(processTreeAlive(secondTree)).toEqual([]);
});

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};
const workerProcessOf = (tree: number[]) => tree.filter((pid) => cmdline(pid).includes('worker-process.js'));

async function waitUntilGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (processTreeAlive(pids).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return processTreeAlive(pids);
}

test('the worker runs in its own process: it ends when the API process is killed alone, and its end stops the API process', async () => {
  const first = await startSystem({ LOG_LEVEL: 'info' });
  const tree = [first.child.pid!, ...descendants(first.child.pid!)];
  const [worker] = workerProcessOf(tree);
  expect(worker).toBeDefined();
  // Its log lines reach the parent's log (through a pipe of their own, so perhaps just after the banner).
  await first.waitForOutput(/"msg":"worker process ready"/, 10_000);
  expect(first.stdout()).toContain(`"process":"worker","pid":${worker},"msg":"worker process ready"`);

  // The parent dies without stopping anything: the worker notices and ends; the servers are ended by the next start.
  process.kill(first.child.pid!, 'SIGKILL');
  expect(await waitUntilGone([worker!], 30_000)).toEqual([]);

  const second = await startSystem();
  expect(await waitUntilGone(tree, 15_000)).toEqual([]);
  const secondTree = [second.child.pid!, ...descendants(second.child.pid!)];
  const [secondWorker] = workerProcessOf(secondTree);
  expect(secondWorker).toBeDefined();

  // The worker dies: a system without a worker must not look alive, so everything stops, non-zero.
  process.kill(secondWorker!, 'SIGKILL');
  expect(await second.exited).toEqual({ code: 1, signal: null });
  expect(second.stdout()).toMatch(/worker process ended \(signal SIGKILL\)/);
  expect(await waitUntilGone(secondTree, 15_000)).toEqual([]);
});

/**
 * Steps 1–2 end to end at scale, on the real Temporal dev server and PostgreSQL:
 * - a generated province of 100,000 rows goes receive → confirm → split → release, and every
 *   output .xls is read back: rows conserved, each row where expected, exact text;
 * - the worker process is killed in the middle of a split; a new worker finishes the run and
 *   the manifest is the one an uninterrupted split of the same package gives.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Workers } from '../../worker/create-worker';
import { splitExport, type SplitManifest } from '../../activities/split/split-export';
import { runFolders } from '../../activities/split/split-package';
import { generateExport } from '../../cli/gen/generate';
import type { CliProcess } from '../support/cli-process';
import { createProvinceRunHarness, scratchDir, startWorkerProcess, type ProvinceRunHarness } from '../support/province-runs';
import { truthBySource, verifySplitTree } from '../support/split-verification';

const HANDOVER = { deliveredBy: 'Phòng PC06, Công an thành phố Hà Nội', channel: 'Mạng truyền số liệu chuyên dùng', startedBy: 'dieuphoi01' };
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function generateInto(h: ProvinceRunHarness, opts: { records: number; seed: number }, scratch: string): Promise<{ name: string; file: string }> {
  const summary = await generateExport({ provinceCode: '01', ...opts, out: scratch, format: 'xlsx' });
  const name = `01-c06-${opts.seed}.xlsx`;
  fs.copyFileSync(path.join(scratch, summary.files[0]!), path.join(h.paths.inbox, name));
  return { name, file: path.join(h.paths.inbox, name) };
}

describe('a 100,000-row province', () => {
  const OPTIONS = { provinceCode: '01', records: 100_000, seed: 100 };
  let h: ProvinceRunHarness;
  let worker: Workers;
  let running: Promise<void>;
  let scratch: string;

  beforeAll(async () => {
    h = await createProvinceRunHarness('e2e-100k');
    worker = await h.createWorker();
    running = worker.run();
    scratch = scratchDir('e2e-100k');
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await h?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('receive → confirm → split → release; every .xls reads back with every row and its exact text', async () => {
    const { name, file } = await generateInto(h, OPTIONS, scratch);
    const { runId } = await h.runs.start({ ...HANDOVER, provinceCode: '01', source: { kind: 'inbox', path: name }, originalName: name, sha256: sha256(file) });
    expect((await h.runs.waitWhile(runId, ['receiving'], undefined, 250)).progress.phase).toBe('awaiting_handover');
    await h.runs.confirmHandover(runId, 'Nguyễn Thị Hoà');
    const split = await h.runs.waitWhile(runId, ['splitting'], undefined, 500);
    expect(split.progress.phase).toBe('awaiting_release');
    expect(split.progress.split).toMatchObject({ inputRows: 100_000 });

    const released = await h.runs.release(runId, 'Nguyễn Thị Hoà', undefined, { withoutUndecided: true });
    expect(released.release?.releasedBy).toBe('Nguyễn Thị Hoà');
    const after = await h.runs.waitWhile(runId, ['releasing'], undefined, 250);
    expect(after.progress.phase).toBe('in_progress');
    expect(after.progress.agencies.every((a) => a.phase === 'awaiting_import')).toBe(true);

    const out = runFolders(h.paths, runId).split;
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as SplitManifest;
    expect(manifest.input).toMatchObject({ rows: 100_000, sha256: sha256(file) });
    expect(after.progress.split).toEqual({ inputRows: 100_000, rowsWritten: manifest.rowsWritten, exceptionRows: manifest.exceptionRows, exceptionsByReason: manifest.exceptions.byReason });
    const readBack = verifySplitTree(out, manifest, truthBySource(OPTIONS), path.join(scratch, 'expected-rows.ndjson'));
    expect(readBack).toBe(manifest.rowsWritten);
    expect(after.progress.agencies.map((a) => [a.code, a.rows])).toEqual(manifest.agencies.map((a) => [a.code, a.rows]));
    expect(readBack + manifest.exceptionRows).toBe(100_000);
    await h.runs.cancel(runId, 'Nguyễn Thị Hoà', 'kết thúc kiểm thử');
  }, 600_000);
});

describe('a worker killed during the split', () => {
  let h: ProvinceRunHarness;
  let scratch: string;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    h = await createProvinceRunHarness('e2e-crash');
    scratch = scratchDir('e2e-crash');
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await h?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const startWorker = async () => {
    const w = startWorkerProcess(h);
    workers.push(w);
    await w.waitForOutput(/is running/, 60_000);
    return w;
  };

  test('the run completes the split on another worker with the same manifest', async () => {
    const { name, file } = await generateInto(h, { records: 100_000, seed: 101 }, scratch);
    const first = await startWorker();
    const { runId } = await h.runs.start({ ...HANDOVER, provinceCode: '01', source: { kind: 'inbox', path: name }, originalName: name, sha256: sha256(file) });
    await h.runs.waitWhile(runId, ['receiving'], undefined, 250);
    await h.runs.confirmHandover(runId, 'Nguyễn Thị Hoà');
    // Kill the worker once the split has read its first rows.
    let midway = await h.runs.status(runId);
    while (midway.progress.splitRows === 0) {
      await new Promise((r) => setTimeout(r, 100));
      midway = await h.runs.status(runId);
    }
    first.child.kill('SIGKILL');
    expect(midway.progress.phase).toBe('splitting');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const partial = path.join(runFolders(h.paths, runId).root, '.split.partial');
    expect(fs.existsSync(partial)).toBe(true);
    expect(fs.existsSync(runFolders(h.paths, runId).split)).toBe(false);

    await startWorker();
    const done = await h.runs.waitWhile(runId, ['splitting'], undefined, 500);
    expect(done.progress.phase).toBe('awaiting_release');
    expect(done.progress.split).toMatchObject({ inputRows: 100_000 });
    expect(fs.existsSync(partial)).toBe(false);

    // The activity really ran twice: the second attempt started over and counted every row once.
    const history = await h.env.client.workflow.getHandle(done.workflowId).fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);

    const manifest = JSON.parse(fs.readFileSync(path.join(runFolders(h.paths, runId).split, 'manifest.json'), 'utf8')) as SplitManifest;
    const uninterrupted = await splitExport({ provinceCode: '01', input: file, outDir: path.join(scratch, 'uninterrupted') });
    expect(manifest).toEqual(uninterrupted);
    await h.runs.cancel(runId, 'Nguyễn Thị Hoà', 'kết thúc kiểm thử');
  }, 600_000);
});

/**
 * `npm run replay:record`: records the replay corpus (test/replay/histories) again from the
 * workflow code as it is now. It starts a Temporal dev server and a PostgreSQL of its own
 * (nothing of `npm start`'s data is touched), runs a worker, and takes a generated province
 * through each workflow type:
 *
 * - the platform check, to its end;
 * - a province run through receive, handover, split, release (agencies importing their own split
 *   files) and a custodian named for a former unit after it; the agency run that custodian
 *   belongs to, through its auto-imports, the news that its files changed and their import, and
 *   reminders of its idle books;
 * - an agency run of its own with a low history limit, through an official's Excel and scan
 *   imports, a book's claim and release, an approval of one book (`decideRecords`, as the API
 *   sent it before pages) and pages of decisions (`decidePage`), a rejection and a correction,
 *   transfers, reminders, one continue-as-new and a coordinator's close: both of its runs.
 *
 * Each history is written as `hotich audit export` writes it. corpus.test.ts replays them in
 * `npm test`. Refresh the corpus after a deliberate change of a workflow that old histories
 * must no longer replay against (see README, "Changing a workflow safely").
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { createLocalContentStore } from '../../activities/files/content-store';
import { dataPaths } from '../../activities/files/data-paths';
import { runFolders } from '../../activities/split/split-package';
import { MANIFEST_FILE, type SplitManifest } from '../../activities/split/split-export';
import { generateExport } from '../../cli/gen/generate';
import type { ScanBook } from '../../cli/gen/scan-writer';
import { migrateUp } from '../../db/migrate';
import { createPool } from '../../db/pool';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import type { ReviewActor } from '../../domain/review/review-types';
import { agencyWorkflowId, provinceRunWorkflowId } from '../../domain/runs/province-run';
import { loadConfig } from '../../platform/config';
import { freePort } from '../../platform/ports';
import { startEmbeddedPostgres } from '../../platform/services/embedded-postgres';
import { startTemporalDevServer } from '../../platform/services/temporal-dev-server';
import { resolveTool } from '../../platform/temporal-cli';
import { createAgencyImports } from '../../services/agency-imports';
import { createAgencyReview } from '../../services/agency-review';
import { createWorkflowHistories } from '../../services/audit/workflow-histories';
import { createProvinceRuns } from '../../services/province-runs';
import { createWorkers } from '../../worker/create-worker';
import { agencyRun } from '../../workflows/agency-run';
import { agencyRunProgress, decideRecords } from '../../workflows/definitions';
import { acknowledgePlatformCheck, platformCheck } from '../../workflows/platform-check';
import { importZip, recordsWhere, scannedBooksByAgency } from '../review/review-support';

export const CORPUS_DIR = path.join(__dirname, 'histories');
const ROOT = path.join(__dirname, '..', '..');
const TASK_QUEUE = 'replay-corpus';
/** The agency run of its own continues as new past this many events: after the officials' imports, first decisions and transfers (about 240 events). */
const HISTORY_LIMIT = 300;

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

export interface CorpusEntry {
  file: string;
  workflowType: string;
  what: string;
  events: number;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-corpus-'));
  const binary = resolveTool('temporal', { rootDir: ROOT });
  const temporal = await startTemporalDevServer({ binary, host: '127.0.0.1', port: await freePort(), namespace: 'default', logFile: path.join(work, 'temporal.log') });
  const postgres = await startEmbeddedPostgres({ dir: path.join(work, 'pg'), port: await freePort(), password: 'corpus-only-password', persistent: false }).catch(async (e: unknown) => {
    await temporal.stop();
    throw e;
  });
  const admin = new PgClient({ connectionString: postgres.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE hotich');
  await admin.end();
  await migrateUp(postgres.url('hotich'));
  const pool = createPool(postgres.url('hotich'), { max: 5 });
  const native = await NativeConnection.connect({ address: temporal.address });
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });

  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: path.join(work, 'data') });
  // Short waits, so that batching delays and reminders happen while the corpus is recorded (in the province's agency
  // runs; the agency run of its own reminds nobody, so that its history is the officials' work). Escalations are the
  // same activity a second time: every idle book would add it to the history again, for nothing the corpus lacks.
  const review = { ...config.review, transferDelayMs: 300, reminderAfterMs: 2000, escalateAfterMs: 172_800_000 };
  const quiet = { ...review, reminderAfterMs: 86_400_000, escalateAfterMs: 172_800_000 };
  const paths = dataPaths({ dataDir: path.join(work, 'data'), inboxDir: path.join(work, 'data', 'inbox') });
  fs.mkdirSync(paths.inbox, { recursive: true });
  const store = createLocalContentStore(paths.store);
  const workers = await createWorkers({ config, connection: native, taskQueue: TASK_QUEUE, pool, store, paths });
  const running = workers.run();
  const runs = createProvinceRuns({ temporal: client, pool, paths, taskQueue: TASK_QUEUE, review });
  const imports = createAgencyImports({ temporal: client, pool, store });
  const reviewing = createAgencyReview({ temporal: client, pool, imports });
  const histories = createWorkflowHistories(client);
  const entries: CorpusEntry[] = [];
  const keep = async (file: string, workflowId: string, what: string, runId?: string) => {
    const run = runId ? (await histories.runsOf(workflowId)).find((r) => r.runId === runId)! : (await histories.runsOf(workflowId)).at(-1)!;
    const target = path.join(CORPUS_DIR, file);
    await pipeline(histories.historyJson(workflowId, run.runId), fs.createWriteStream(target));
    // Clients and workers name themselves, and a worker its sticky queue, after `<pid>@<host name>`: the recording machine's name stays out of the repository.
    const anonymous = (key: string, value: unknown) => {
      if (key === 'identity' && typeof value === 'string') return 'replay-corpus';
      if (key === 'taskQueue' && (value as { kind?: string } | null)?.kind === 'TASK_QUEUE_KIND_STICKY') return { ...(value as object), name: 'replay-corpus-sticky' };
      return value;
    };
    const { events } = JSON.parse(fs.readFileSync(target, 'utf8'), anonymous) as { events: unknown[] };
    fs.writeFileSync(target, `{"events":[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`);
    entries.push({ file, workflowType: run.workflowType, what, events: events.length });
    say(`recorded ${file}: ${run.workflowType}, ${events.length} events`);
  };

  try {
    fs.rmSync(CORPUS_DIR, { recursive: true, force: true });
    fs.mkdirSync(CORPUS_DIR, { recursive: true });

    const check = await client.workflow.start(platformCheck, { taskQueue: TASK_QUEUE, workflowId: 'platform-check/replay-corpus', args: [{ requestedBy: 'replay-corpus' }] });
    await until('the platform check to wait', async () => ((await check.describe()).historyLength > 10 ? true : undefined));
    await check.executeUpdate(acknowledgePlatformCheck, { args: [{ by: 'kiemtra01' }] });
    await check.result();
    await keep('platform-check.json', check.workflowId, 'the platform check: its audit entry, a person acknowledging, its end');

    const gen = path.join(work, 'gen');
    const summary = await generateExport({ provinceCode: '01', records: 300, seed: 11, out: gen, format: 'xlsx', scannedRatio: 0.6 });
    const bytes = fs.readFileSync(path.join(gen, summary.files[0]!));
    fs.writeFileSync(path.join(paths.inbox, '01-c06.xlsx'), bytes);
    const { runId } = await runs.start({
      provinceCode: '01',
      source: { kind: 'inbox', path: '01-c06.xlsx' },
      originalName: '01-c06.xlsx',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      deliveredBy: 'Công an tỉnh (C06)',
      channel: 'Mạng truyền số liệu chuyên dùng',
      startedBy: 'dieuphoi01',
    });
    await runs.waitWhile(runId, ['receiving'], undefined, 200);
    await runs.confirmHandover(runId, 'dieuphoi01');
    await runs.waitWhile(runId, ['splitting'], undefined, 200);
    // Released with former units undecided (their rows stay exceptions); one is decided after release, below.
    const needed = Object.entries((await runs.status(runId)).progress.custodians?.needed ?? {});
    await runs.release(runId, 'dieuphoi01', undefined, { autoImport: true, withoutUndecided: true });
    await runs.waitWhile(runId, ['releasing'], undefined, 200);
    const splitManifest = () => JSON.parse(fs.readFileSync(path.join(runFolders(paths, runId).split, MANIFEST_FILE), 'utf8')) as SplitManifest;
    const importsLanded = async () => {
      for (const a of splitManifest().agencies) {
        const handle = client.workflow.getHandle(agencyWorkflowId(a.code, runId));
        await until(`agency ${a.code}'s auto-import`, async () => ((await handle.query(agencyRunProgress)).importsDone >= a.files.length ? true : undefined));
      }
    };
    await importsLanded();
    const manifest = splitManifest();
    const books = fs.readFileSync(path.join(gen, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
    const [agency, scanBooks] = (await scannedBooksByAgency(pool, books))[0]!;

    // After release: a unit given to an agency of the run (the smallest that may take one, to keep its history short), whose
    // run is told its files changed and imports the new ones.
    const bySize = [...manifest.agencies].sort((a, b) => a.rows - b.rows).map((a) => a.code);
    const late = bySize.flatMap((code) => needed.filter(([, candidates]) => candidates.includes(code)).map(([unit]) => [unit, code] as const))[0];
    if (!late) throw new Error('no former unit of this generated province can be given after release to an agency of the run: choose another seed');
    await runs.decideCustodians(runId, 'dieuphoi01', [{ unitCode: late[0], agencyCode: late[1]!, basis: 'Theo quyết định của Ủy ban nhân dân tỉnh' }]);
    const otherRun = client.workflow.getHandle(agencyWorkflowId(late[1]!, runId));
    await until(`agency ${late[1]}'s new split files`, async () => {
      const s = await otherRun.query(agencyRunProgress);
      const expected = Object.values(s.splitFiles?.expected ?? {}).flat().length;
      return s.importsDone > manifest.agencies.find((a) => a.code === late[1])!.files.length && s.importsDone >= expected ? true : undefined;
    });
    await until('every agency in review', async () => ((await runs.status(runId)).progress.agencies.every((a) => a.phase === 'in_review') ? true : undefined));
    await keep('province-run.json', provinceRunWorkflowId(runId), 'a province run through receive, handover, split, release with former units undecided, its agency runs started, and a custodian named after release');
    await until(`agency ${late[1]}'s reminders`, async () => ((await otherRun.query(agencyRunProgress)).books.every((b) => b.reminded || b.counts.imported === 0) ? true : undefined), 60_000);
    await keep('agency-run-auto-import.json', otherRun.workflowId, 'an agency run importing its own split files at release, told its files changed by a custodian named after release and importing the new ones, reminding the agency of its idle books');

    // An agency run of its own, registered after the province run's child, so that the services reach it.
    const agencyInfo = manifest.agencies.find((a) => a.code === agency)!;
    const workflowId = `${agencyWorkflowId(agency, runId)}/replay-corpus`;
    const handle = await client.workflow.start(agencyRun, {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ runId, provinceCode: '01', parentWorkflowId: provinceRunWorkflowId(runId), agency: { code: agency, name: agencyInfo.name, level: agencyInfo.level, rows: agencyInfo.rows, files: agencyInfo.files.length }, review: quiet, historyLimit: HISTORY_LIMIT }],
    });
    const firstRun = (await handle.describe()).runId;
    await until('the corpus agency run to register', async () => ((await pool.query(`SELECT 1 FROM workflow_registry WHERE workflow_id = $1`, [workflowId])).rowCount ? true : undefined));
    const official: ReviewActor = { username: 'canbo01', role: 'official', agencyCode: agency };
    for (const f of agencyInfo.files) {
      const source = await imports.store(fs.createReadStream(path.join(runFolders(paths, runId).split, f.path)), path.basename(f.path));
      await imports.importExcel({ agencyCode: agency, registerType: f.registerType, source, by: { username: 'canbo01', agencyCode: agency } });
    }
    for (const b of scanBooks.slice(0, 3)) await importZip(imports, gen, agency, b);
    const scanned = await recordsWhere(pool, `r.agency_code = $1 AND r.state = 'imported' AND EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
    const first = scanned[0]!;
    const book = { registerType: first.register_type as RegisterTypeCode, unitCode: first.unit_code, bookYear: first.book_year, bookKey: first.book_key };
    await reviewing.claim(agency, official, book);
    // The update of one book that the API sent before a page became one update (decidePage): runs started then still hold it in their histories.
    await handle.executeUpdate(decideRecords, { args: [{ by: official, book, items: [{ recordId: first.id, kind: 'approve', pages: first.pages }] }] });
    await reviewing.release(agency, official, book);
    await reviewing.decide(agency, official, [
      { recordId: scanned[1]!.id, kind: 'approve', pages: scanned[1]!.pages },
      { recordId: scanned[2]!.id, kind: 'reject', reasonCode: 'PAGE_UNREADABLE' },
    ]);
    await reviewing.decide(agency, official, [{ recordId: scanned[2]!.id, kind: 'correct', reasonCode: 'DATA_DIFFERS', fields: { notes: 'Sửa theo sổ gốc' } }]);
    // An approval left to wait for the batching delay, then one sent at once.
    await until('the delayed transfer', async () => ((await reviewing.state(agency)).transfer.transferred >= 2 ? true : undefined));
    await reviewing.decide(agency, official, [{ recordId: scanned[2]!.id, kind: 'approve', pages: scanned[2]!.pages }]);
    await reviewing.transferNow(agency, official);
    await until('the requested transfer', async () => ((await reviewing.state(agency)).transfer.transferred >= 3 ? true : undefined));

    // Rejections one at a time until the history passes its limit and the run continues as new.
    const unscanned = await recordsWhere(pool, `r.agency_code = $1 AND r.state = 'imported' AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
    for (const r of unscanned) {
      if ((await handle.describe()).runId !== firstRun) break;
      await reviewing.decide(agency, official, [{ recordId: r.id, kind: 'reject', reasonCode: 'DATA_DIFFERS' }]);
    }
    say(`the agency run continued as new after ${(await histories.runsOf(workflowId))[0]!.historyLength} events`);
    const secondRun = await until('the continue-as-new', async () => {
      const d = await handle.describe();
      return d.runId !== firstRun ? d.runId : undefined;
    });
    const last = scanned[3]!;
    await reviewing.decide(agency, official, [{ recordId: last.id, kind: 'approve', pages: last.pages }]);
    await reviewing.transferNow(agency, official);
    await until('the transfer after continuing as new', async () => ((await reviewing.state(agency)).transfer.transferred >= 4 ? true : undefined));
    await reviewing.close(agency, { username: 'dieuphoi01', role: 'coordinator' }, 'Kết thúc ghi bộ lịch sử mẫu');
    await keep('agency-run-review-1.json', workflowId, 'an agency run through Excel and scan imports, a claim and release, approvals (by book and by page), a rejection and a correction, transfers after the batching delay and on request, rejections, to its continue-as-new', firstRun);
    await keep('agency-run-review-2.json', workflowId, 'the same agency run continued as new: an approval, a transfer, a coordinator closing it', secondRun);

    // The province run ends by itself when its agencies' parts have (the close above may have been the last).
    if ((await runs.status(runId)).status === 'RUNNING') await runs.cancel(runId, 'dieuphoi01', 'Kết thúc ghi bộ lịch sử mẫu');
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'workflows', 'domain', 'activities'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    fs.writeFileSync(path.join(CORPUS_DIR, 'corpus.json'), `${JSON.stringify({ recordedAt: new Date().toISOString(), commit: dirty ? `${commit} with local changes` : commit, histories: entries }, null, 2)}\n`);
    say(`corpus of ${entries.length} histories in ${path.relative(ROOT, CORPUS_DIR)}`);
  } finally {
    workers.shutdown();
    await running.catch(() => undefined);
    await native.close();
    await client.connection.close();
    await pool.end();
    await Promise.allSettled([temporal.stop(), postgres.stop()]);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

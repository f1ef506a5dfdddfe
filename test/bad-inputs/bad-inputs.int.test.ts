/**
 * The bad-input corpus (corpus.ts) through the real entry points on the real servers: the API
 * listening on a socket over the real Temporal dev server, a worker and PostgreSQL, holding a
 * released run with records, a page and decisions; and `hotich split`. Every input is refused
 * with a stable code and a Vietnamese message (or, for a zip of pages, each of its entries is),
 * never with a 500; the server answers a health check and a normal request after each; and
 * nothing stored before changes: rows and content-store files are compared before and after.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import type { Workers } from '../../worker/create-worker';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { buildApp } from '../../api/app';
import { buildProgram } from '../../cli/main';
import { isAppError } from '../../domain/errors';
import { MANIFEST_FILE, type SplitManifest } from '../../activities/split/split-export';
import { runFolders } from '../../activities/split/split-package';
import { formatCivilDate, type PartialDate } from '../../domain/dates/civil-date';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import { cliEnv, runCli } from '../support/cli-process';
import { rawZip } from '../support/raw-zip';
import { buildCorpus, countByCategory, CATEGORIES, type BadCellValue, type BadFile, type BadRequest, type Caller, type Category, type Corpus, type FileTarget } from './corpus';
import { TEST_LIMIT_ENV } from './requests';
import { send, type Answer } from './http';
import { storedState, stateChange, type StoredState } from './stored-state';
import { zipParts } from './workbooks';
import { vietnameseProblems } from './vietnamese-message';

const PASSWORD = 'mat-khau-thu-nghiem-1';
/** The most characters Excel holds in a cell. */
const EXCEL_CELL_MAX = 32_767;
const DAY_SECONDS = 24 * 3600;

let corpus: Corpus;
let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let app: Awaited<ReturnType<typeof buildApp>>;
let baseUrl: string;
let scratch: string;
const logLines: string[] = [];
const tokens: Partial<Record<Caller, string>> = {};
/** What the placeholders of the corpus's requests stand for in this run. */
const ids = { run: '', agency: '', record: '', file: '', import: '' };
let recordsOfAgency = 0;
let baseline: StoredState;

/** What happened to each input, for the summary and the count. */
type Outcome = 'refused' | 'entries refused' | 'first kept, the others refused' | 'kept as unmatched' | 'read, nothing changed' | 'answered' | 'kept as text or row refused';
const outcomes: Array<{ id: string; category: Category; target: string; outcome: Outcome; code?: string }> = [];
const failures: string[] = [];

const fill = (s: string) => s.replace(/\{(run|agency|record|file|import)\}/g, (_, k: keyof typeof ids) => ids[k]);

function headersFor(as: Caller, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(as === 'anonymous' ? {} : { authorization: `Bearer ${tokens[as]}` }), ...extra };
}

/** The multipart body of one file after the route's fields, as a browser sends it. */
function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer }): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----hotich${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const name = file.name.replace(/"/g, '%22');
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** What the server logged as unhandled for a request id: the English error behind a 500, for the failure's message. */
function loggedError(requestId: unknown): string {
  const line = logLines.find((l) => l.includes('unhandled error') && l.includes(String(requestId)));
  if (!line) return '(not logged)';
  const err = (JSON.parse(line) as { err?: { type?: string; message?: string; stack?: string } }).err;
  return `${err?.type}: ${err?.message} ${err?.stack?.split('\n').slice(1, 4).join(' ')}`;
}

/** A coded refusal in Vietnamese, or why the answer is not one. */
function refusalProblems(a: Answer): string[] {
  if (a.status >= 500) return [`status ${a.status}: ${loggedError((a.json as { details?: { requestId?: string } } | undefined)?.details?.requestId)}`];
  if (a.status < 400) return [`status ${a.status}, not a refusal`];
  const body = a.json as { code?: unknown; message?: unknown } | undefined;
  if (!body || typeof body.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(body.code)) return [`no stable code: ${a.body.toString('utf8').slice(0, 300)}`];
  return vietnameseProblems(body.message).map((p) => `${body.code}: ${p}: ${String(body.message).slice(0, 300)}`);
}

/** After each input: the server still answers its health check and the official's list of records, as before. */
async function stillUsable(after: string): Promise<void> {
  const health = await send(baseUrl, { method: 'GET', url: '/health' });
  if (health.status !== 200) failures.push(`${after}: health check answered ${health.status}`);
  const list = await send(baseUrl, { method: 'GET', url: `/api/agencies/${ids.agency}/records?limit=1`, headers: headersFor('official') });
  if (list.status !== 200 || (list.json as { total?: number }).total !== recordsOfAgency) failures.push(`${after}: the records list answered ${list.status} ${list.body.toString('utf8').slice(0, 200)}`);
}

/**
 * What refused inputs may add, never change: a package received and refused leaves its receipt,
 * its file in the store and its failed run's rows and audit entries; a refused import its row and
 * its error workbook; a page of decisions refused record by record its batch; a zip of pages the
 * first page of a name given twice, and a page matching no record among the unmatched ones.
 */
const ALLOWED_ADDS = ['imports', 'audit_log', 'store', 'files', 'file_owners', 'package_receipts', 'workflow_registry', 'review_batches', 'attachments', 'attachment_history', 'unmatched_scans'];

/** The coded failure a run of an uploaded package ended with, in Vietnamese, or what is wrong. */
async function runFailure(runId: string): Promise<{ code: string } | string> {
  const status = await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  const failure = status.progress.failure;
  if (status.progress.phase !== 'failed' || !failure) return `the run went on to ${status.progress.phase}`;
  const problems = vietnameseProblems(failure.messageVi);
  return problems.length ? `${failure.code}: ${problems.join('; ')}` : { code: failure.code };
}

function record(input: { id: string; category: Category }, target: string, outcome: Outcome, code?: string): void {
  outcomes.push({ id: input.id, category: input.category, target, outcome, code });
}

/** Nothing stored before has changed or gone; what was added is in `allowed` only. */
async function expectNothingLost(what: string, allowed: readonly string[]): Promise<void> {
  const change = stateChange(baseline, await storedState(h.db, h.paths.store));
  expect({ what, lost: change.lost }).toEqual({ what, lost: [] });
  expect({ what, added: Object.keys(change.added).filter((t) => !allowed.includes(t)) }).toEqual({ what, added: [] });
}

beforeAll(async () => {
  corpus = await buildCorpus();
  scratch = scratchDir('bad-inputs');
  h = await createProvinceRunHarness('bad-inputs', { review: { transferDelayMs: DAY_SECONDS * 1000 } });
  worker = await h.createWorker();
  running = worker.run();
  const config = loadConfig({
    NODE_ENV: 'test',
    HOTICH_DATA_DIR: h.dataDir,
    HOTICH_INBOX_DIR: h.paths.inbox,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    JWT_SECRET: 'a-test-secret-of-at-least-32-characters!',
    ...TEST_LIMIT_ENV,
    HOTICH_TRANSFER_DELAY_SECONDS: String(DAY_SECONDS),
    LOG_LEVEL: 'error',
  });
  const logs = new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(chunk.toString('utf8')), done()) });
  app = await buildApp({ config, pool: h.db.pool, temporal: h.env.client, logger: createLogger(config, {}, logs) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}`;

  // Steps 1–2 of the corpus's own package, as the coordinator service takes them.
  const { base } = corpus;
  fs.writeFileSync(path.join(h.paths.inbox, base.packageName), base.packageXlsx);
  const sha256 = (await import('node:crypto')).createHash('sha256').update(base.packageXlsx).digest('hex');
  const { runId } = await h.runs.start({ provinceCode: '01', source: { kind: 'inbox', path: base.packageName }, originalName: base.packageName, sha256, deliveredBy: 'C06', channel: 'Mạng chuyên dùng', startedBy: 'dieuphoi01' });
  await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  await h.runs.confirmHandover(runId, 'dieuphoi01');
  await h.runs.waitWhile(runId, ['splitting'], undefined, 200);
  await h.runs.release(runId, 'dieuphoi01', undefined, { withoutUndecided: true });
  await h.runs.waitWhile(runId, ['releasing'], undefined, 200);
  const split = runFolders(h.paths, runId).split;
  const manifest = JSON.parse(fs.readFileSync(path.join(split, MANIFEST_FILE), 'utf8')) as SplitManifest;
  const agency = [...manifest.agencies].sort((a, b) => b.rows - a.rows)[0]!;
  const ksFile = agency.files.find((f) => f.registerType === 'KS')!;
  ids.run = runId;
  ids.agency = agency.code;

  for (const [username, role, scope] of [['dieuphoi01', 'coordinator', { provinceCode: '01' }], ['congchuc-x', 'official', { agencyCode: agency.code }]] as const) {
    await app.usersRepository.create({ username, password: PASSWORD, role, provinceCode: 'provinceCode' in scope ? scope.provinceCode : null, agencyCode: 'agencyCode' in scope ? scope.agencyCode : null, displayName: '' });
    const login = await send(baseUrl, { method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    expect(login.status).toBe(200);
    tokens[role] = (login.json as { token: string }).token;
  }

  // Step 3 and 4 through the API: the agency's birth register, a page for one record, a decision on two.
  const excel = multipart({ registerType: 'KS' }, { name: path.basename(ksFile.path), bytes: fs.readFileSync(path.join(split, ksFile.path)) });
  const imported = await send(baseUrl, { method: 'POST', url: `/api/agencies/${agency.code}/imports/excel`, headers: headersFor('official', excel.headers), body: excel.body });
  expect(imported.status).toBe(200);
  ids.import = String((imported.json as { importId: number }).importId);
  const records = await h.db.pool.query<{ id: string; book_year: number; book_number: string; registration_number: string }>(
    `SELECT id, book_year, book_number, registration_number FROM records WHERE agency_code = $1 ORDER BY id LIMIT 2`,
    [agency.code],
  );
  const [paged, other] = records.rows;
  const page = `KS.${paged!.book_year}.${paged!.book_number}.${paged!.registration_number}.pdf`;
  const scans = multipart({}, { name: `KS.${paged!.book_year}.${paged!.book_number}.zip`, bytes: rawZip([{ name: page, data: corpus.base.pdf }]) });
  const attached = await send(baseUrl, { method: 'POST', url: `/api/agencies/${agency.code}/imports/scans`, headers: headersFor('official', scans.headers), body: scans.body });
  expect((attached.json as { counts: { attached: number } }).counts.attached).toBe(1);
  const decided = await send(baseUrl, {
    method: 'POST',
    url: `/api/agencies/${agency.code}/decisions`,
    headers: headersFor('official', { 'content-type': 'application/json' }),
    body: JSON.stringify({ items: [{ recordId: Number(paged!.id), kind: 'approve' }, { recordId: Number(other!.id), kind: 'reject', reasonCode: 'OTHER', comment: 'Trang mờ' }] }),
  });
  expect(decided.json).toMatchObject({ decided: 2, refused: 0 });
  ids.record = other!.id;
  ids.file = (await h.db.pool.query<{ sha256: string }>('SELECT sha256 FROM attachments LIMIT 1')).rows[0]!.sha256;
  recordsOfAgency = Number((await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE agency_code = $1', [agency.code])).rows[0]!.n);
  baseline = await storedState(h.db, h.paths.store);
}, 600_000);

afterAll(async () => {
  const total = outcomes.length;
  const table = Object.keys(CATEGORIES).map((c) => {
    const of = outcomes.filter((o) => o.category === c);
    const by = (k: string) => of.filter((o) => o.outcome === k).length;
    return `${c.padEnd(16)} ${String(of.length).padStart(4)} tries: ${by('refused')} refused, ${by('entries refused')} with every entry refused, ${by('first kept, the others refused')} first of a name kept, ${by('kept as unmatched')} kept as unmatched, ${by('read, nothing changed')} read with nothing changed, ${by('answered')} answered (reads), ${by('kept as text or row refused')} kept as text or row refused`;
  });
  process.stdout.write(`Bad inputs: ${new Set(outcomes.map((o) => o.id)).size} inputs, ${total} tries over the entry points\n${table.join('\n')}\n`);
  await app?.close();
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('the corpus has at least 300 inputs, of every category, each made once', () => {
  const counts = countByCategory([...corpus.files, ...corpus.requests, ...corpus.cells]);
  expect(Object.keys(counts).sort()).toEqual(Object.keys(CATEGORIES).sort());
  expect(corpus.files.length + corpus.requests.length + corpus.cells.length).toBeGreaterThanOrEqual(300);
});

test('bad requests: malformed JSON, query strings, path parameters and multipart bodies, oversized ones, hostile strings', async () => {
  for (const r of corpus.requests) {
    const answer = await send(baseUrl, { method: r.method, url: fill(r.url), headers: headersFor(r.as, r.headers), body: typeof r.body === 'string' ? fill(r.body) : r.body });
    const problems = refusalProblems(answer);
    // A read may answer: a search for "' OR 1=1" finds nothing, a parameter no route has is not looked at.
    if (problems.length && r.method === 'GET' && answer.status === 200) record(r, 'api', 'answered');
    // A page of decisions answers per record: every one refused with its code and reason, none decided.
    else if (r.url.endsWith('/decisions') && answer.status === 200) {
      const page = answer.json as { decided: number; results: Array<{ outcomes: Array<{ outcome: string; code?: string; messageVi?: string }> }> };
      const outcomes = page.results.flatMap((x) => x.outcomes);
      const wrong = [
        ...(page.decided > 0 ? [`${page.decided} decided`] : []),
        ...outcomes.flatMap((o) => (o.outcome !== 'refused' || !o.code ? [`${JSON.stringify(o)} not refused with a code`] : vietnameseProblems(o.messageVi).map((p) => `${o.code}: ${p}`))),
      ];
      if (wrong.length) failures.push(`${r.id}: ${wrong.join('; ')}`);
      else record(r, 'api', 'refused', outcomes[0]?.code);
    }
    // A package is received as delivered (Step 1 keeps a receipt of every delivery): its run then fails with its code.
    else if (r.url === '/api/runs/upload' && (answer.status === 200 || answer.status === 202)) {
      const failure = await runFailure((answer.json as { runId: string }).runId);
      if (typeof failure === 'string') failures.push(`${r.id}: ${failure}`);
      else record(r, 'upload', 'refused', failure.code);
    }
    else if (problems.length) failures.push(`${r.id} (${r.method} ${r.url.slice(0, 80)}): ${problems.join('; ')}`);
    else record(r, 'api', 'refused', (answer.json as { code: string }).code);
    await stillUsable(r.id);
  }
  expect(failures).toEqual([]);
  expect(logLines.filter((l) => /unhandled error/.test(l))).toEqual([]);
  // A refused upload keeps nothing of what it sent.
  expect(fs.existsSync(h.paths.staging) ? fs.readdirSync(h.paths.staging) : []).toEqual([]);
  await expectNothingLost('requests', ALLOWED_ADDS);
}, 600_000);

interface Route {
  target: FileTarget;
  as: Caller;
  url: string;
  fields: Record<string, string>;
}

const ROUTES: Route[] = [
  { target: 'excel', as: 'official', url: '/api/agencies/{agency}/imports/excel', fields: { registerType: 'KS' } },
  { target: 'scans', as: 'official', url: '/api/agencies/{agency}/imports/scans', fields: {} },
  { target: 'custodian-table', as: 'coordinator', url: '/api/runs/{run}/custodians/table', fields: {} },
  { target: 'placements', as: 'coordinator', url: '/api/runs/{run}/exceptions/placements', fields: {} },
];

/**
 * An answer of 200 to a file whose every row or entry was refused, with nothing imported, attached
 * or placed; but of a zip of pages with a name twice, the first is a sound page and is taken by
 * design (the others are refused), and a page whose name reads but matches no record (a number
 * thousands of digits long) is kept among the unmatched pages, as every such page is.
 */
function acceptedProblems(target: FileTarget, a: Answer, category: Category): { problems: string[]; outcome?: Outcome } {
  const body = a.json as Record<string, unknown>;
  if (target === 'excel') {
    const counts = body.counts as { read: number; inserted: number; updated: number; unchanged: number; rejected: number };
    return counts.inserted === 0 && counts.updated === 0 ? { problems: [], outcome: 'read, nothing changed' } : { problems: [`imported something: ${JSON.stringify(counts)}`] };
  }
  if (target === 'scans') {
    const counts = body.counts as { entries: number; attached: number; replaced: number; unmatched: number; alreadyAttached: number };
    const rejected = body.rejected as Array<{ reason: string; messageVi: string }>;
    const problems = rejected.flatMap((r) => (/^[A-Z][A-Z0-9_]+$/.test(r.reason) ? vietnameseProblems(r.messageVi).map((p) => `${r.reason}: ${p}`) : [`entry refused without a code: ${JSON.stringify(r)}`]));
    if (category === 'zip-duplicate') {
      if (counts.attached + counts.alreadyAttached > 1 || counts.replaced + counts.unmatched > 0 || !rejected.some((r) => r.reason === 'ZIP_DUPLICATE_NAME')) problems.push(`more than the first of a name was taken: ${JSON.stringify(counts)}`);
      return { problems, outcome: 'first kept, the others refused' };
    }
    if (category === 'long-string' && counts.unmatched === 1 && counts.entries === 1) return { problems, outcome: 'kept as unmatched' };
    if (counts.attached + counts.replaced + counts.unmatched + counts.alreadyAttached > 0) problems.push(`a page was taken: ${JSON.stringify(counts)}`);
    if (rejected.length === 0) problems.push(`a zip of no page was taken without a word: ${JSON.stringify(counts)}`);
    return { problems, outcome: 'entries refused' };
  }
  return { problems: [`answered ${a.status}: ${a.body.toString('utf8').slice(0, 300)}`] };
}

test('bad files through the API: Excel imports, zips of pages, decisions tables, returned exceptions workbooks', async () => {
  for (const route of ROUTES) {
    for (const f of corpus.files.filter((x) => x.targets.includes(route.target))) {
      const { body, headers } = multipart(route.fields, { name: f.fileName, bytes: f.bytes });
      const answer = await send(baseUrl, { method: 'POST', url: fill(route.url), headers: headersFor(route.as, headers), body });
      const refused = refusalProblems(answer);
      if (refused.length === 0) record(f, route.target, 'refused', (answer.json as { code: string }).code);
      else if (answer.status === 200) {
        const { problems, outcome } = acceptedProblems(route.target, answer, f.category);
        if (problems.length) failures.push(`${route.target} ${f.id}: ${problems.join('; ')}`);
        else record(f, route.target, outcome!);
      } else failures.push(`${route.target} ${f.id}: ${refused.join('; ')}`);
      await stillUsable(`${route.target} ${f.id}`);
    }
  }
  expect(failures).toEqual([]);
  expect(logLines.filter((l) => /unhandled error/.test(l))).toEqual([]);
  // A refused import is on record (its row, its audit entry, the file it was given, the rows it refused as a workbook); the first page of a name given twice and a page matching no record are kept as any such page is. Nothing stored before changes.
  await expectNothingLost('files', ALLOWED_ADDS);
}, 900_000);

/** `hotich split` as the command runs it, in this process: its parse, its checks, its split. */
async function splitInProcess(input: string, out: string): Promise<unknown> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(['node', 'hotich', 'split', '--province', '01', '--input', input, '--out', out, '--json'], { from: 'node' });
    return undefined;
  } catch (e) {
    return e;
  }
}

/** Work done with the command's own output (its JSON, its error line) kept off the test's. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const [stdout, stderr] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await work();
  } finally {
    [process.stdout.write, process.stderr.write] = [stdout, stderr];
  }
}

/** Splits at a time: most inputs are refused in milliseconds, the others read while one waits on its threads. */
const SPLITS_AT_ONCE = 3;

test('bad packages through hotich split: refused with a code and a Vietnamese line, exit code 2, nothing written', async () => {
  const packages = corpus.files.filter((f) => f.targets.includes('package'));
  const refusedOnes: BadFile[] = [];
  const splitOne = async (f: BadFile, i: number) => {
    const dir = path.join(scratch, `split-${i}`);
    fs.mkdirSync(dir);
    const input = path.join(dir, f.fileName);
    fs.writeFileSync(input, f.bytes);
    const out = path.join(dir, 'ket-qua');
    const error = await splitInProcess(input, out);
    if (error === undefined) {
      // Read: what the split made of it conserves every row and cell (it checks that itself and fails otherwise).
      const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as SplitManifest;
      if (manifest.input.rows !== manifest.rowsWritten + manifest.exceptionRows) failures.push(`split ${f.id}: rows not conserved`);
      record(f, 'hotich split', 'read, nothing changed');
    } else if (!isAppError(error) || error.kind !== 'validation') {
      failures.push(`split ${f.id}: ${isAppError(error) ? `${error.code} (${error.kind}, exit 1)` : `uncoded ${String(error)}`}`);
    } else {
      const problems = vietnameseProblems(error.messageVi);
      if (problems.length) failures.push(`split ${f.id}: ${error.code}: ${problems.join('; ')}: ${error.messageVi}`);
      if (fs.existsSync(out) || fs.readdirSync(dir).some((n) => n.startsWith('.'))) failures.push(`split ${f.id}: refused but wrote ${fs.readdirSync(dir).join(', ')}`);
      record(f, 'hotich split', 'refused', error.code);
      refusedOnes.push(f);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let next = 0;
  await quietly(() =>
    Promise.all(
      Array.from({ length: SPLITS_AT_ONCE }, async () => {
        while (next < packages.length) {
          const i = next++;
          await splitOne(packages[i]!, i);
        }
      }),
    ),
  );
  expect(failures).toEqual([]);

  // One of each category through the command itself, as a user runs it.
  const sample = [...new Map(refusedOnes.sort((a, b) => a.id.localeCompare(b.id)).map((f) => [f.category, f])).values()].slice(0, 6);
  for (const f of sample) {
    const dir = path.join(scratch, 'cli');
    fs.mkdirSync(dir, { recursive: true });
    const input = path.join(dir, f.fileName);
    fs.writeFileSync(input, f.bytes);
    const r = await runCli(['split', '--province', '01', '--input', input, '--out', path.join(dir, 'ket-qua')], cliEnv({}));
    const line = r.stderr.trim().split('\n').pop() ?? '';
    expect({ id: f.id, code: r.code, line: /^Lỗi [A-Z][A-Z0-9_]+: /.test(line), problems: vietnameseProblems(line), written: fs.readdirSync(dir) }).toEqual({ id: f.id, code: 2, line: true, problems: [], written: [f.fileName] });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 900_000);

test('bad packages uploaded to POST /api/runs/upload: the run that receives one fails with its code and Vietnamese message', async () => {
  const refusedBySplit = new Set(outcomes.filter((o) => o.target === 'hotich split' && o.outcome === 'refused').map((o) => o.id));
  const sample = [...new Map(corpus.files.filter((f) => refusedBySplit.has(f.id)).map((f) => [f.category, f])).values()];
  const crypto = await import('node:crypto');
  const started = await Promise.all(
    sample.map(async (f) => {
      const fields = { provinceCode: '01', sha256: crypto.createHash('sha256').update(f.bytes).digest('hex'), deliveredBy: 'C06', channel: 'Mạng chuyên dùng' };
      const { body, headers } = multipart(fields, { name: f.fileName, bytes: f.bytes });
      return { f, answer: await send(baseUrl, { method: 'POST', url: '/api/runs/upload', headers: headersFor('coordinator', headers), body }) };
    }),
  );
  for (const { f, answer } of started) {
    if (answer.status !== 202) {
      const problems = refusalProblems(answer);
      if (problems.length) failures.push(`upload ${f.id}: ${problems.join('; ')}`);
      else record(f, 'upload', 'refused', (answer.json as { code: string }).code);
      continue;
    }
    const failure = await runFailure((answer.json as { runId: string }).runId);
    if (typeof failure === 'string') failures.push(`upload ${f.id}: ${failure}`);
    else record(f, 'upload', 'refused', failure.code);
  }
  expect(failures).toEqual([]);
  await stillUsable('uploads');
  // Each refused package stays on record as delivered (Step 1 keeps a receipt of every delivery), in its own failed run.
  await expectNothingLost('uploads', ALLOWED_ADDS);
}, 600_000);

/**
 * Every file we write is read back with SheetJS: no cell holds a formula, and a value that
 * looks like one is the text it was. We write no CSV (downloads are .xls, .xlsx, zips of them
 * and JSON), so no CSV escaping is due.
 */
function formulaCells(bytes: Buffer): string[] {
  const wb = XLSX.read(bytes, { type: 'buffer', cellFormula: true });
  return wb.SheetNames.flatMap((name) =>
    Object.entries(wb.Sheets[name]!)
      .filter(([ref, cell]) => !ref.startsWith('!') && (cell as XLSX.CellObject).f !== undefined)
      .map(([ref, cell]) => `${name}!${ref}: ${(cell as XLSX.CellObject).f}`),
  );
}

/** The cells of every sheet of a workbook SheetJS reads, as text. */
function cellTexts(bytes: Buffer): string[] {
  const book = XLSX.read(bytes, { type: 'buffer', raw: true });
  return book.SheetNames.flatMap((n) => Object.entries(book.Sheets[n]!).filter(([ref]) => !ref.startsWith('!')).map(([, c]) => String((c as XLSX.CellObject).v)));
}

/** A value as our readers keep it: NFC, each line trimmed and its spaces collapsed. */
const asKept = (v: string) => v.normalize('NFC').replace(/[ \t]+/g, ' ').trim();

/** A personal ID as the split writes it and the import stores it: without the spaces typed in it. */
const ID_COLUMN = 'Số định danh cá nhân';
const expectedText = (c: BadCellValue) => (c.column === ID_COLUMN ? asKept(c.value).replace(/ /g, '') : asKept(c.value));
/** A stored value as text: a date as dd/mm/yyyy. */
const storedText = (v: unknown) => (typeof v === 'object' && v !== null && 'year' in v ? formatCivilDate(v as PartialDate) : asKept(String(v)));

/** Rows of the over-long values are numbered from here, apart from the others'. */
const TOO_LONG_FROM = 500;

test('odd cell values (formula-looking, SQL-looking, very long, impossible dates and IDs) through the split and the import: kept as text or refused with a reason, never a formula in a file we write', async () => {
  // The agency's own birth register as the split wrote it, one row per odd value.
  const split = runFolders(h.paths, ids.run).split;
  const manifest0 = JSON.parse(fs.readFileSync(path.join(split, MANIFEST_FILE), 'utf8')) as SplitManifest;
  const ksFile = manifest0.agencies.find((a) => a.code === ids.agency)!.files.find((f) => f.registerType === 'KS')!;
  const book = XLSX.read(fs.readFileSync(path.join(split, ksFile.path)), { type: 'buffer', raw: true });
  const [header, template] = XLSX.utils.sheet_to_json<string[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1, raw: false, defval: '' });
  const rowOf = (c: BadCellValue, i: number) => {
    const row = [...template!];
    row[header!.indexOf('Số đăng ký')] = String(9000 + i);
    row[header!.indexOf(c.column)] = c.value;
    return row;
  };
  // Written by SheetJS (it keeps a NUL, as _x0000_, where exceljs drops it); past Excel's 32,767 characters, which SheetJS will not write, by exceljs.
  const workbook = async (name: string, rows: string[][]) => {
    const file = path.join(scratch, name);
    if (rows.some((r) => r.some((v) => v.length > EXCEL_CELL_MAX))) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('KS');
      for (const r of [header!, ...rows]) ws.addRow(r);
      await wb.xlsx.writeFile(file);
    } else {
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([header!, ...rows]), 'KS');
      XLSX.writeFile(wb, file);
    }
    return file;
  };

  // A cell past Excel's limit: the whole workbook is refused with its code, by the split and by the import, never cut.
  const [fits, tooLong] = [corpus.cells.filter((c) => c.value.length <= EXCEL_CELL_MAX), corpus.cells.filter((c) => c.value.length > EXCEL_CELL_MAX)];
  for (const [i, c] of tooLong.entries()) {
    const file = await workbook(`quá dài ${i}.xlsx`, [rowOf(c, TOO_LONG_FROM + i)]);
    const error = await quietly(() => splitInProcess(file, path.join(scratch, `tach-qua-dai-${i}`)));
    if (!isAppError(error) || error.kind !== 'validation' || vietnameseProblems(error.messageVi).length) failures.push(`split ${c.id}: ${isAppError(error) ? `${error.code}: ${vietnameseProblems(error.messageVi).join('; ')}` : String(error)}`);
    else record(c, 'hotich split', 'refused', error.code);
    // The import reads the row and refuses it with its reason, or keeps the text whole.
    const upload = multipart({ registerType: 'KS' }, { name: path.basename(file), bytes: fs.readFileSync(file) });
    const answer = await send(baseUrl, { method: 'POST', url: `/api/agencies/${ids.agency}/imports/excel`, headers: headersFor('official', upload.headers), body: upload.body });
    if (answer.status !== 200) {
      const problems = refusalProblems(answer);
      if (problems.length) failures.push(`import ${c.id}: ${problems.join('; ')}`);
      else record(c, 'excel', 'refused', (answer.json as { code: string }).code);
      continue;
    }
    const result = answer.json as { counts: { inserted: number; rejected: number }; rejectedByCode: Record<string, number> };
    const stored = await h.db.pool.query<{ data: Record<string, unknown> }>('SELECT data FROM records WHERE agency_code = $1 AND registration_number = $2', [ids.agency, String(9000 + TOO_LONG_FROM + i)]);
    const keptWhole = stored.rows.some((r) => Object.values(r.data).some((v) => v === c.value || (typeof v === 'string' && asKept(v) === asKept(c.value))));
    if (result.counts.rejected === 1 && Object.keys(result.rejectedByCode).length === 1) record(c, 'excel', 'kept as text or row refused', Object.keys(result.rejectedByCode)[0]);
    else if (result.counts.inserted === 1 && keptWhole) record(c, 'excel', 'kept as text or row refused');
    else failures.push(`import ${c.id}: ${JSON.stringify(result.counts)}`);
  }

  const rows = fits.map(rowOf);
  const file = await workbook('giá trị lạ.xlsx', rows);

  // The split: each row is in one agency file or in the exceptions, with every value as it was.
  const out = path.join(scratch, 'tach');
  expect(await quietly(() => splitInProcess(file, out))).toBeUndefined();
  const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as SplitManifest;
  expect(manifest.input.rows).toBe(rows.length);
  expect(manifest.rowsWritten + manifest.exceptionRows).toBe(rows.length);
  const written = [...manifest.agencies.flatMap((a) => a.files.map((f) => f.path)), manifest.exceptions.path];
  const texts = new Set<string>();
  for (const p of written) {
    const bytes = fs.readFileSync(path.join(out, p));
    expect({ file: p, formulas: formulaCells(bytes) }).toEqual({ file: p, formulas: [] });
    for (const t of cellTexts(bytes)) texts.add(asKept(t));
  }
  for (const c of fits) {
    if (!texts.has(asKept(c.value)) && !texts.has(expectedText(c))) failures.push(`split ${c.id}: ${JSON.stringify(c.value.slice(0, 80))} is in no file written`);
    record(c, 'hotich split', 'kept as text or row refused');
  }

  // The import: each row stored with the value as it was, or refused with its code in the error workbook, which has no formula.
  const upload = multipart({ registerType: 'KS' }, { name: 'giá trị lạ.xlsx', bytes: fs.readFileSync(file) });
  const answer = await send(baseUrl, { method: 'POST', url: `/api/agencies/${ids.agency}/imports/excel`, headers: headersFor('official', upload.headers), body: upload.body });
  expect({ status: answer.status, refused: answer.status === 200 ? [] : refusalProblems(answer) }).toEqual({ status: 200, refused: [] });
  const result = answer.json as { importId: number; counts: { read: number; inserted: number; rejected: number } };
  expect(result.counts.read).toBe(rows.length);
  const errors = await send(baseUrl, { method: 'GET', url: `/api/imports/${result.importId}/errors`, headers: headersFor('official') });
  const refusedTexts = new Set(result.counts.rejected > 0 ? cellTexts(errors.body).map(asKept) : []);
  if (result.counts.rejected > 0) expect(formulaCells(errors.body)).toEqual([]);
  const stored = await h.db.pool.query<{ data: Record<string, unknown> }>(`SELECT data FROM records WHERE agency_code = $1 AND id > $2`, [ids.agency, ids.record]);
  const values = new Set(stored.rows.flatMap((r) => Object.values(r.data).map(storedText)));
  for (const c of fits) {
    if (!values.has(asKept(c.value)) && !values.has(expectedText(c)) && !refusedTexts.has(asKept(c.value))) failures.push(`import ${c.id}: ${JSON.stringify(c.value.slice(0, 80))} neither stored as it was nor in the refused rows`);
    record(c, 'excel', 'kept as text or row refused');
  }

  // The downloads: the agency's folder (its .xls in a zip) and the exceptions workbook.
  const folder = await send(baseUrl, { method: 'GET', url: `/api/runs/${ids.run}/agencies/${ids.agency}/download`, headers: headersFor('coordinator') });
  expect(folder.status).toBe(200);
  for (const part of zipParts(folder.body).filter((p) => p.name.endsWith('.xls'))) expect({ file: part.name, formulas: formulaCells(part.data) }).toEqual({ file: part.name, formulas: [] });
  const exceptions = await send(baseUrl, { method: 'GET', url: `/api/runs/${ids.run}/exceptions`, headers: headersFor('coordinator') });
  expect(exceptions.status).toBe(200);
  expect(formulaCells(exceptions.body)).toEqual([]);
  expect(failures).toEqual([]);
}, 600_000);

test('every input was tried and gave what it should', () => {
  const tried = new Set(outcomes.map((o) => o.id));
  expect(tried.size).toBeGreaterThanOrEqual(300);
  expect(Object.keys(countByCategory(outcomes as unknown as Array<{ category: Category } & BadRequest>)).sort()).toEqual(Object.keys(CATEGORIES).sort());
});

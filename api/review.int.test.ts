/**
 * Step 4 through the HTTP API (search without accents, a record with its pages and decisions,
 * an official's approval, the refusal of an approval without a scan, transfer now, scope) and
 * through `hotich review approve` and `hotich transfer status` as child processes, against real
 * Temporal and PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Workers } from '../worker/create-worker';
import type { ScanBook } from '../cli/gen/scan-writer';
import { bookKey, numberKey } from '../domain/naming/scan-name';
import { agencyWorkflowId } from '../domain/runs/province-run';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { createAgencyImports } from '../services/agency-imports';
import { agencyRunProgress } from '../workflows/definitions';
import { createProvinceRunHarness, releasedRun, scratchDir, type ProvinceRunHarness } from '../test/support/province-runs';
import { cliEnv, runCli } from '../test/support/cli-process';
import { testEnv } from '../test/support/env';
import { buildApp } from './app';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let app: Awaited<ReturnType<typeof buildApp>>;
let gen: string;
/** A: the agency under review, with one scanned book imported; B: another agency of the province. */
let A: string;
let B: string;
const tokens: Record<string, string> = {};
const PASSWORD = 'mat-khau-thu-nghiem-1';

const auth = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
const get = (user: string, url: string) => app.inject({ method: 'GET', url, headers: auth(user) });
const post = (user: string, url: string, payload?: object) => app.inject({ method: 'POST', url, headers: auth(user), ...(payload ? { payload } : {}) });

async function addUser(username: string, role: 'coordinator' | 'official', scope: { provinceCode?: string; agencyCode?: string }) {
  await app.usersRepository.create({ username, password: PASSWORD, role, provinceCode: scope.provinceCode ?? null, agencyCode: scope.agencyCode ?? null, displayName: '' });
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  tokens[username] = r.json().token as string;
}

interface Item {
  id: number;
  name: string;
  state: string;
  pages: number;
}

/** Records of agency A as its official lists them. */
async function listA(query: string): Promise<{ total: number; items: Item[] }> {
  const r = await get('congchuc.a', `/api/agencies/${A}/records?${query}`);
  expect(r.statusCode).toBe(200);
  return r.json();
}

beforeAll(async () => {
  // Approved records wait for "transfer now" rather than a timer, so what the test reads stays put.
  h = await createProvinceRunHarness('review-api', { review: { transferDelayMs: 3_600_000 } });
  worker = await h.createWorker();
  running = worker.run();
  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: h.dataDir, HOTICH_INBOX_DIR: h.paths.inbox, TEMPORAL_TASK_QUEUE: h.taskQueue, JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
  app = await buildApp({ config, pool: h.db.pool, temporal: h.env.client, logger: createLogger(config) });
  gen = scratchDir('review-api-gen');

  const { runId, manifest } = await releasedRun(h, { out: gen, seed: 71, records: 800, scannedRatio: 0.5, autoImport: true });
  for (const a of manifest.agencies) {
    const handle = h.env.client.workflow.getHandle(agencyWorkflowId(a.code, runId));
    for (let i = 0; i < 600 && (await handle.query(agencyRunProgress)).importsDone < a.files.length; i++) await new Promise((r) => setTimeout(r, 200));
  }

  // One scanned book of an agency that holds other records too: those stay without a page.
  const books = fs.readFileSync(path.join(gen, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
  const unitOf = (b: ScanBook) => b.unit.split(':')[1]!;
  let chosen: { agency: string; book: ScanBook } | undefined;
  for (const b of [...books].sort((x, y) => y.numbers.length - x.numbers.length)) {
    if (b.numbers.length < 3) break;
    const r = await h.db.pool.query<{ agency_code: string; n: string }>(
      `SELECT agency_code, (SELECT count(*) FROM records x WHERE x.agency_code = r.agency_code) AS n
         FROM records r WHERE unit_code = $1 AND register_type = $2 AND book_year = $3 AND book_key = $4 AND number_key = ANY($5) GROUP BY agency_code`,
      [unitOf(b), b.type, b.year, bookKey(b.book), b.numbers.map(numberKey)],
    );
    if (r.rows.length === 1 && Number(r.rows[0]!.n) > b.numbers.length) {
      chosen = { agency: r.rows[0]!.agency_code, book: b };
      break;
    }
  }
  expect(chosen).toBeDefined();
  A = chosen!.agency;
  B = manifest.agencies.find((a) => a.code !== A)!.code;
  const imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  const zip = await imports.store(fs.createReadStream(path.join(gen, chosen!.book.zip)), path.basename(chosen!.book.zip));
  const report = await imports.importScans({ agencyCode: A, zip, unitCode: unitOf(chosen!.book), by: { username: 'congchuc.a', agencyCode: A } });
  expect(report.counts.attached).toBe(chosen!.book.numbers.length);

  await addUser('congchuc.a', 'official', { agencyCode: A });
  await addUser('congchuc.b', 'official', { agencyCode: B });
  await addUser('dieuphoi01', 'coordinator', { provinceCode: '01' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await h?.close();
  if (gen) fs.rmSync(gen, { recursive: true, force: true });
});

test('API: search without accents, record detail, approval, no approval without scan, transfer now, scope', async () => {
  const scanned = await listA('scanned=true&state=imported&limit=10');
  const bare = await listA('scanned=false&limit=1');
  expect(scanned.total).toBeGreaterThanOrEqual(3);
  expect(bare.total).toBeGreaterThan(0);
  const record = scanned.items.find((i) => /[^\u0000-\u007f]/.test(i.name))!;
  const unscanned = bare.items[0]!;
  expect(unscanned.pages).toBe(0);

  // Typed without accents, as on a keyboard without Vietnamese input: the name still finds it.
  const plain = record.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  expect(plain).not.toBe(record.name.toLowerCase());
  const found = await listA(`q=${encodeURIComponent(plain)}&limit=500`);
  expect(found.items.map((i) => i.id)).toContain(record.id);
  expect(found.total).toBeLessThan((await listA('limit=1')).total);

  const detail = await get('congchuc.a', `/api/records/${record.id}`);
  expect(detail.statusCode).toBe(200);
  const d = detail.json();
  expect(d).toMatchObject({ id: record.id, agencyCode: A, state: 'imported', decisions: [], name: record.name });
  expect(d.pageFiles).toEqual([expect.objectContaining({ page: 1, entryName: expect.stringMatching(/\.pdf$/i), url: `/api/files/${d.pageFiles[0].sha256}` })]);
  expect(d.pages).toEqual([{ page: 1, sha256: d.pageFiles[0].sha256, url: d.pageFiles[0].url }]);
  expect(d.fields).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'registrationNumber', labelVi: expect.any(String) })]));
  expect((await get('congchuc.a', d.pageFiles[0].url)).statusCode).toBe(200);

  const approved = await post('congchuc.a', `/api/agencies/${A}/decisions`, { items: [{ recordId: record.id, kind: 'approve' }] });
  expect(approved.statusCode).toBe(200);
  expect(approved.json()).toMatchObject({ decided: 1, refused: 0, results: [{ outcomes: [{ recordId: record.id, outcome: 'decided', state: 'approved' }] }] });
  const after = (await get('congchuc.a', `/api/records/${record.id}`)).json();
  expect(after.state).toBe('approved');
  expect(after.decisions).toEqual([expect.objectContaining({ kind: 'approve', actor: 'congchuc.a', details: { pages: [d.pageFiles[0].sha256] } })]);

  const noScan = await post('congchuc.a', `/api/agencies/${A}/decisions`, { items: [{ recordId: unscanned.id, kind: 'approve' }] });
  expect(noScan.statusCode).toBe(409);
  expect(noScan.json()).toMatchObject({ code: 'REVIEW_APPROVAL_WITHOUT_SCAN', message: `Hồ sơ số ${unscanned.id} chưa có bản quét trang sổ hộ tịch đính kèm nên không được phê duyệt. Hãy nhập tệp .zip bản quét của sổ trước khi đối chiếu và phê duyệt.` });
  // Decisions are the officials': a coordinator is refused by role.
  expect((await post('dieuphoi01', `/api/agencies/${A}/decisions`, { items: [{ recordId: unscanned.id, kind: 'reject', reasonCode: 'DATA_DIFFERS' }] })).json().code).toBe('AUTH_ROLE_NOT_ALLOWED');

  // The official holds the book they decide in; a coordinator can free it for someone else.
  const book = { registerType: d.registerType, unitCode: d.unitCode, bookYear: d.bookYear, bookKey: d.bookNumber };
  type Book = { registerType: string; unitCode: string; bookYear: number; bookKey: string; claim: { by: string } | null; counts: { approved: number } };
  const bookState = async () => ((await get('congchuc.a', `/api/agencies/${A}/books`)).json().books as Book[]).find((b) => b.registerType === book.registerType && b.unitCode === book.unitCode && b.bookYear === book.bookYear && b.bookKey === d.bookKey)!;
  expect(await bookState()).toMatchObject({ claim: { by: 'congchuc.a' }, counts: { approved: 1 } });
  expect((await post('dieuphoi01', `/api/agencies/${A}/books/claim`, { book })).statusCode).toBe(403);
  expect((await post('dieuphoi01', `/api/agencies/${A}/books/release`, { book })).json()).toEqual({ released: true });
  expect((await bookState()).claim).toBeNull();
  expect((await post('congchuc.a', `/api/agencies/${A}/books/claim`, { book })).json()).toMatchObject({ by: 'congchuc.a' });

  // An official of agency B learns nothing of A: every route answers as for an agency that does not exist.
  for (const r of [
    await get('congchuc.b', `/api/agencies/${A}/records`),
    await get('congchuc.b', `/api/records/${record.id}`),
    await get('congchuc.b', `/api/agencies/${A}/books`),
    await post('congchuc.b', `/api/agencies/${A}/decisions`, { items: [{ recordId: record.id, kind: 'approve' }] }),
    await post('congchuc.b', `/api/agencies/${A}/transfers`),
  ]) {
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('RESOURCE_NOT_FOUND');
  }

  expect((await post('congchuc.a', `/api/agencies/${A}/transfers`)).statusCode).toBe(200);
  let transfers = (await get('congchuc.a', `/api/agencies/${A}/transfers`)).json();
  for (let i = 0; i < 150 && !transfers.byState.transferred; i++) {
    await new Promise((r) => setTimeout(r, 200));
    transfers = (await get('dieuphoi01', `/api/agencies/${A}/transfers`)).json();
  }
  expect(transfers.byState.transferred).toBe(1);
  expect(transfers.batches).toEqual([expect.objectContaining({ status: 'done', records: 1, accepted: 1, rejected: 0, lastError: null })]);
  expect((await get('congchuc.a', `/api/records/${record.id}`)).json()).toMatchObject({ state: 'transferred', receipt: { targetId: expect.any(String) } });

  const notices = await get('dieuphoi01', '/api/provinces/01/notifications?kind=escalation');
  expect(notices.statusCode).toBe(200);
  expect(notices.json()).toEqual({ items: expect.any(Array) });
  expect((await get('congchuc.a', '/api/provinces/01/notifications')).statusCode).toBe(403);

  // Only a coordinator ends an agency's part early, with a reason.
  expect((await post('congchuc.b', `/api/agencies/${B}/close`, { reason: 'thử' })).statusCode).toBe(403);
  expect((await post('dieuphoi01', `/api/agencies/${B}/close`, { reason: ' ' })).json().code).toBe('AGENCY_CLOSE_REASON_MISSING');
  const closed = await post('dieuphoi01', `/api/agencies/${B}/close`, { reason: 'Cơ quan đã sáp nhập, chuyển phần còn lại sang đợt sau' });
  expect(closed.statusCode).toBe(200);
  expect(closed.json()).toMatchObject({ phase: 'completed', closed: { by: 'dieuphoi01' } });
}, 60_000);

test('CLI: hotich review approve refuses the record without a scan and approves the rest; hotich transfer status', async () => {
  const [scanned] = (await listA('scanned=true&state=imported&limit=1')).items;
  const [unscanned] = (await listA('scanned=false&state=imported&limit=1')).items;
  const env = cliEnv({
    TEMPORAL_ADDRESS: testEnv('temporalAddress'),
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    DATABASE_URL: h.db.url,
    HOTICH_DATA_DIR: h.dataDir,
    HOTICH_INBOX_DIR: h.paths.inbox,
    HOTICH_USER: 'congchuc.a',
    LOG_LEVEL: 'warn',
  });

  const approve = await runCli(['review', 'approve', '--agency', A, String(scanned!.id), String(unscanned!.id)], env);
  expect(approve.stderr).toBe('');
  expect(approve.stdout).toBe(`Đã phê duyệt 1 hồ sơ; từ chối 1: Hồ sơ số ${unscanned!.id} chưa có bản quét trang sổ hộ tịch đính kèm nên không được phê duyệt. Hãy nhập tệp .zip bản quét của sổ trước khi đối chiếu và phê duyệt.\n`);
  expect(approve.code).toBe(1);
  expect((await get('congchuc.a', `/api/records/${scanned!.id}`)).json().state).toBe('approved');

  const status = await runCli(['transfer', 'status', '--agency', A], env);
  expect(status.stderr).toBe('');
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(new RegExp(`^Cơ quan ${A}: Chờ kiểm tra: \\d+; Đã phê duyệt, chờ chuyển: 1; Bị từ chối: 0; Đã chuyển vào CSDLHTĐT: 1\\n`));
  expect(status.stdout).toMatch(/: xong lúc \S+ — 1 hồ sơ: 1 được nhận, 0 bị CSDLHTĐT từ chối/);
}, 60_000);

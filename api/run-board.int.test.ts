/**
 * What the coordinator's screens read through the HTTP API, against real Temporal and
 * PostgreSQL: the inbox, the province's runs, a run's handover record, an agency's split files,
 * every agency's counts for the run and the approvals and transfers per day, each checked
 * against the database or the split's manifest, and each refused outside the caller's scope.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Workers } from '../worker/create-worker';
import { generateExport } from '../cli/gen/generate';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { MANIFEST_FILE, type SplitManifest } from '../activities/split/split-export';
import { runFolders } from '../activities/split/split-package';
import { createAgencyImports } from '../services/agency-imports';
import { agencyWorkflowId } from '../domain/runs/province-run';
import { agencyRunProgress } from '../workflows/definitions';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../test/support/province-runs';
import { importZip, scannedBooksByAgency, waitFor } from '../test/review/review-support';
import type { ScanBook } from '../cli/gen/scan-writer';
import { buildApp } from './app';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let app: Awaited<ReturnType<typeof buildApp>>;
let gen: string;
const tokens: Record<string, string> = {};
const PASSWORD = 'mat-khau-thu-nghiem-1';

const auth = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
const get = (user: string, url: string) => app.inject({ method: 'GET', url, headers: auth(user) });

async function addUser(username: string, role: 'coordinator' | 'official' | 'auditor', scope: { provinceCode?: string; agencyCode?: string }) {
  await app.usersRepository.create({ username, password: PASSWORD, role, provinceCode: scope.provinceCode ?? null, agencyCode: scope.agencyCode ?? null, displayName: '' });
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  tokens[username] = r.json().token as string;
}

beforeAll(async () => {
  // Approved records leave for CSDLHTĐT half a second after their approval.
  h = await createProvinceRunHarness('run-board-api', { review: { transferDelayMs: 500 } });
  worker = await h.createWorker();
  running = worker.run();
  const config = loadConfig({ NODE_ENV: 'test', HOTICH_DATA_DIR: h.dataDir, HOTICH_INBOX_DIR: h.paths.inbox, TEMPORAL_TASK_QUEUE: h.taskQueue, JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
  app = await buildApp({ config: { ...config, review: { ...config.review, transferDelayMs: 500 } }, pool: h.db.pool, temporal: h.env.client, logger: createLogger(config) });
  await addUser('dieuphoi01', 'coordinator', { provinceCode: '01' });
  await addUser('dieuphoi79', 'coordinator', { provinceCode: '79' });
  await addUser('kiemtoan79', 'auditor', { provinceCode: '79' });
  gen = scratchDir('run-board-api-gen');
});

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test('a run from the inbox to the board: runs, handover, split files, agency counts and days, each in scope', async () => {
  const summary = await generateExport({ provinceCode: '01', records: 800, seed: 31, out: gen, format: 'xlsx', scannedRatio: 0.5 });
  const bytes = fs.readFileSync(path.join(gen, summary.files[0]!));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  fs.mkdirSync(path.join(h.paths.inbox, 'c06-2026'), { recursive: true });
  fs.writeFileSync(path.join(h.paths.inbox, 'c06-2026', '01-c06.xlsx'), bytes);
  fs.writeFileSync(path.join(h.paths.inbox, 'bien-ban.txt'), 'not a package');
  fs.writeFileSync(path.join(h.paths.inbox, '.01-c06.xlsx.part'), 'still arriving');

  // The inbox lists packages only, for coordinators only.
  const inbox = await get('dieuphoi01', '/api/inbox');
  expect(inbox.json()).toEqual({ files: [{ path: 'c06-2026/01-c06.xlsx', sizeBytes: bytes.length, modifiedAt: expect.any(String) }], truncated: false });
  expect((await get('kiemtoan79', '/api/inbox')).json().code).toBe('AUTH_ROLE_NOT_ALLOWED');

  const started = await app.inject({
    method: 'POST',
    url: '/api/runs',
    headers: auth('dieuphoi01'),
    payload: { provinceCode: '01', inboxPath: 'c06-2026/01-c06.xlsx', sha256, deliveredBy: 'Phòng PC06, Công an Thành phố', channel: 'Mạng truyền số liệu chuyên dùng' },
  });
  expect(started.statusCode).toBe(202);
  const { runId } = started.json() as { runId: string };

  await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  const runs = await get('dieuphoi01', '/api/provinces/01/runs');
  expect(runs.json().items).toEqual([
    {
      runId,
      workflowId: `province/01/${runId}`,
      startedBy: 'dieuphoi01',
      startedAt: expect.any(String),
      package: { name: '01-c06.xlsx', sizeBytes: bytes.length, receivedAt: expect.any(String), status: 'accepted', confirmedBy: null, confirmedAt: null },
    },
  ]);
  expect((await get('dieuphoi79', '/api/provinces/01/runs')).json().code).toBe('RESOURCE_NOT_FOUND');
  expect((await get('kiemtoan79', '/api/provinces/01/runs')).statusCode).toBe(404);

  const handover = await get('dieuphoi01', `/api/runs/${runId}/handover`);
  expect(handover.json().record).toMatchObject({
    originalName: '01-c06.xlsx',
    deliveredBy: 'Phòng PC06, Công an Thành phố',
    channel: 'Mạng truyền số liệu chuyên dùng',
    receivedBy: 'dieuphoi01',
    declaredSha256: sha256,
    actualSha256: sha256,
    sizeBytes: bytes.length,
    status: 'accepted',
    files: [{ name: '01-c06.xlsx', size: bytes.length }],
    confirmedBy: null,
  });
  expect((await get('dieuphoi79', `/api/runs/${runId}/handover`)).json().code).toBe('RUN_NOT_FOUND');

  await h.runs.confirmHandover(runId, 'dieuphoi01');
  await h.runs.waitWhile(runId, ['splitting'], undefined, 200);
  expect((await get('dieuphoi01', '/api/provinces/01/runs')).json().items[0].package).toMatchObject({ name: '01-c06.xlsx', status: 'accepted', confirmedBy: 'dieuphoi01' });

  // An agency's split files, as the manifest lists them.
  const manifest = JSON.parse(fs.readFileSync(path.join(runFolders(h.paths, runId).split, MANIFEST_FILE), 'utf8')) as SplitManifest;
  const first = manifest.agencies[0]!;
  const files = (await get('dieuphoi01', `/api/runs/${runId}/agencies/${first.code}/files`)).json();
  expect(files).toMatchObject({ code: first.code, name: first.name, rows: first.rows });
  expect(files.files.map((f: { name: string; rows: number; registerType: string }) => [f.name, f.registerType, f.rows])).toEqual(first.files.map((f) => [path.basename(f.path), f.registerType, f.rows]));
  expect(files.files.reduce((n: number, f: { rows: number }) => n + f.rows, 0)).toBe(first.rows);
  expect((await get('dieuphoi01', `/api/runs/${runId}/agencies/99999/files`)).json().code).toBe('RUN_AGENCY_NOT_FOUND');
  expect((await get('dieuphoi79', `/api/runs/${runId}/agencies/${first.code}/files`)).statusCode).toBe(404);

  // Before release the run has started no agency: the board is empty.
  expect((await get('dieuphoi01', `/api/runs/${runId}/agencies`)).json()).toEqual({ items: [] });
  // The generated province has divided communes nobody decided on: release leaves their rows as exceptions, confirmed.
  await h.runs.release(runId, 'dieuphoi01', undefined, { autoImport: true, withoutUndecided: true });
  await h.runs.waitWhile(runId, ['releasing'], undefined, 200);
  for (const a of manifest.agencies) {
    const handle = h.env.client.workflow.getHandle(agencyWorkflowId(a.code, runId));
    await waitFor(`agency ${a.code}'s auto-import`, async () => ((await handle.query(agencyRunProgress)).importsDone >= a.files.length ? true : undefined), 120_000);
  }

  // One agency's scans, and approvals of some of its records with a page: they leave for CSDLHTĐT.
  const imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  const books = fs.readFileSync(path.join(gen, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
  const [[scanned, itsBooks]] = (await scannedBooksByAgency(h.db.pool, books)) as [[string, ScanBook[]]];
  for (const b of itsBooks) await importZip(imports, gen, scanned, b);
  await addUser('congchuc.scanned', 'official', { agencyCode: scanned });
  const paged = await h.db.pool.query<{ id: string }>('SELECT r.id FROM records r WHERE r.agency_code = $1 AND EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id) ORDER BY r.id LIMIT 5', [scanned]);
  expect(paged.rows).toHaveLength(5);
  const decided = await app.inject({
    method: 'POST',
    url: `/api/agencies/${scanned}/decisions`,
    headers: auth('congchuc.scanned'),
    payload: { items: paged.rows.map((r, i) => (i < 4 ? { recordId: Number(r.id), kind: 'approve' } : { recordId: Number(r.id), kind: 'reject', reasonCode: 'PAGE_UNREADABLE' })) },
  });
  expect(decided.json()).toMatchObject({ decided: 5, refused: 0 });
  await waitFor('the approved records to be transferred', async () => {
    const r = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM records WHERE agency_code = $1 AND state = 'transferred'`, [scanned]);
    return Number(r.rows[0]!.n) === 4 ? true : undefined;
  });

  // The board's counts, against the records as the database holds them.
  const board = await get('dieuphoi01', `/api/runs/${runId}/agencies`);
  expect(board.statusCode).toBe(200);
  const expected = await h.db.pool.query<{ code: string; records: number; with_page: number; approved: number; rejected: number; transferred: number }>(
    `SELECT a.code, count(r.id)::int AS records, count(r.id) FILTER (WHERE EXISTS (SELECT 1 FROM attachments x WHERE x.record_id = r.id))::int AS with_page,
            count(r.id) FILTER (WHERE r.state IN ('approved', 'transferred'))::int AS approved, count(r.id) FILTER (WHERE r.state = 'rejected')::int AS rejected,
            count(r.id) FILTER (WHERE r.state = 'transferred')::int AS transferred
       FROM unnest($1::text[]) AS a(code) LEFT JOIN records r ON r.agency_code = a.code GROUP BY a.code ORDER BY a.code`,
    [manifest.agencies.map((a) => a.code)],
  );
  expect(board.json().items).toEqual(expected.rows.map((e) => ({ code: e.code, records: e.records, withPage: e.with_page, approved: e.approved, rejected: e.rejected, transferred: e.transferred })));
  expect(board.json().items.find((i: { code: string }) => i.code === scanned)).toMatchObject({ approved: 4, rejected: 1, transferred: 4 });
  // Every row imported is counted once: the agencies' records are the rows the split gave them, less those the import rejected.
  const rejectedRows = await h.db.pool.query<{ n: string }>(`SELECT coalesce(sum((counts->>'rejected')::int), 0) AS n FROM imports WHERE kind = 'excel'`);
  expect(board.json().items.reduce((n: number, i: { records: number }) => n + i.records, 0)).toBe(manifest.rowsWritten - Number(rejectedRows.rows[0]!.n));

  // Per day: today has the approvals and the transfers, the 29 days before it nothing.
  const offset = -new Date().getTimezoneOffset();
  const perDay = await get('dieuphoi01', `/api/runs/${runId}/per-day?utcOffsetMinutes=${offset}`);
  const days = perDay.json().days as Array<{ day: string; approved: number; transferred: number }>;
  expect(days).toHaveLength(30);
  const today = new Date();
  const ymd = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  expect(days.at(-1)).toEqual({ day: ymd, approved: 4, transferred: 4 });
  expect(days.slice(0, -1).every((d) => d.approved === 0 && d.transferred === 0)).toBe(true);
  expect(new Set(days.map((d) => d.day)).size).toBe(30);
  expect((await get('dieuphoi01', `/api/runs/${runId}/per-day?days=7`)).json().days).toHaveLength(7);
  expect((await get('dieuphoi01', `/api/runs/${runId}/per-day?days=0`)).json().code).toBe('VALIDATION_FAILED');

  // Out of scope reads exactly like absent; an official has no board.
  for (const url of [`/api/runs/${runId}/agencies`, `/api/runs/${runId}/per-day`]) {
    expect((await get('dieuphoi79', url)).json().code).toBe('RUN_NOT_FOUND');
    expect((await get('kiemtoan79', url)).json().code).toBe('RUN_NOT_FOUND');
    expect((await get('congchuc.scanned', url)).json().code).toBe('AUTH_ROLE_NOT_ALLOWED');
  }
  await h.runs.cancel(runId, 'dieuphoi01', 'kết thúc kiểm thử');
});

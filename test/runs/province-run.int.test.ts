/**
 * A province run on the real Temporal dev server and PostgreSQL: receive → confirm → split →
 * release → agency runs → cancel, and every way a delivery can be wrong.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { Worker } from '@temporalio/worker';
import type { Workers } from '../../worker/create-worker';
import { generateExport } from '../../cli/gen/generate';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { agencyRunProgress } from '../../workflows/definitions';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import { codeOf } from '../support/coded-error';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let exportFile: string;

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const HANDOVER = { deliveredBy: 'Công an tỉnh (C06)', channel: 'Mạng truyền số liệu chuyên dùng', startedBy: 'dieuphoi01' };

function toInbox(name: string, bytes: Buffer | string): string {
  fs.writeFileSync(path.join(h.paths.inbox, name), bytes);
  return name;
}

beforeAll(async () => {
  h = await createProvinceRunHarness('province-run');
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('province-run-gen');
  const summary = await generateExport({ provinceCode: '01', records: 2000, seed: 5, out: gen, format: 'xlsx' });
  exportFile = path.join(gen, summary.files[0]!);
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test('receive, confirm, split, release with a schedule, agency runs, download, register again, cancel', async () => {
  const name = toInbox('01-c06.xlsx', fs.readFileSync(exportFile));
  const started = await h.runs.start({ ...HANDOVER, provinceCode: '1', source: { kind: 'inbox', path: name }, originalName: name, sha256: sha256(exportFile).toUpperCase() });
  expect(started.existing).toBe(false);
  const runId = started.runId;

  let s = await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  expect(s.progress.phase).toBe('awaiting_handover');
  expect(s.progress.package).toMatchObject({ sha256: sha256(exportFile), name: '01-c06.xlsx', files: [{ name: '01-c06.xlsx', size: fs.statSync(exportFile).size }] });
  expect(s.steps.map((x) => x.status)).toEqual(['waiting', 'pending', 'pending', 'pending']);
  expect(await h.store.has(sha256(exportFile))).toBe(true);

  // Decisions in the wrong phase or without a name are refused and change nothing.
  expect(await codeOf(h.runs.confirmHandover(runId, '  '))).toBe('RUN_ACTOR_MISSING');
  expect(await codeOf(h.runs.release(runId, 'Nguyễn Văn A'))).toBe('RUN_NOT_AWAITING_RELEASE');

  const again = await h.runs.start({ ...HANDOVER, provinceCode: '01', source: { kind: 'inbox', path: name }, originalName: name, sha256: sha256(exportFile) });
  expect(again).toEqual({ ...started, existing: true });

  await h.runs.confirmHandover(runId, 'Nguyễn Văn A');
  expect(await codeOf(h.runs.confirmHandover(runId, 'Nguyễn Văn A'))).toBe('RUN_NOT_AWAITING_HANDOVER');
  s = await h.runs.waitWhile(runId, ['splitting'], undefined, 200);
  expect(s.progress.phase).toBe('awaiting_release');
  const split = s.progress.split!;
  expect(split.inputRows).toBe(2000);
  expect(split.rowsWritten + split.exceptionRows).toBe(2000);
  expect(s.progress.splitRows).toBe(2000);
  expect(s.progress.agencies.reduce((n, a) => n + a.rows, 0)).toBe(split.rowsWritten);
  expect(s.progress.handover?.confirmedBy).toBe('Nguyễn Văn A');

  const [first] = s.progress.agencies;
  expect(await codeOf(h.runs.release(runId, 'Nguyễn Văn A', { '99999': { startsAt: '2030-01-01T08:00:00+07:00' } }))).toBe('RUN_SCHEDULE_AGENCY_UNKNOWN');
  expect(await codeOf(h.runs.release(runId, 'Nguyễn Văn A', { [first!.code]: { startsAt: 'thứ hai' } }))).toBe('RUN_SCHEDULE_TIME_INVALID');
  const slot = { startsAt: '2030-01-06T08:00:00+07:00', place: 'Phòng 203, Sở Tư pháp' };
  // Divided communes and abolished districts still wait for their custodian: release asks to confirm leaving them out.
  expect(await codeOf(h.runs.release(runId, 'Nguyễn Văn A', { [first!.code]: slot }))).toBe('RUN_CUSTODIANS_UNDECIDED');
  // The coordinator names each one's custodian (its first candidate); their rows join those agencies' folders.
  const { units } = await h.runs.custodians(runId);
  expect(units.length).toBeGreaterThan(0);
  const decided = await h.runs.decideCustodians(runId, 'Nguyễn Văn A', units.map((u) => ({ unitCode: u.unitCode, agencyCode: u.candidates[0]!.code })));
  expect(decided).toMatchObject({ batch: 1, decided: units.length, undecided: 0 });
  await h.runs.release(runId, 'Nguyễn Văn A', { [first!.code]: slot });
  s = await h.runs.waitWhile(runId, ['releasing'], undefined, 200);
  expect(s.progress.phase).toBe('in_progress');
  expect(s.progress.release).toMatchObject({ releasedBy: 'Nguyễn Văn A', scheduled: 1 });
  expect(s.progress.release?.withoutUndecided).toBeUndefined();
  expect(s.progress.split!.rowsWritten + s.progress.split!.exceptionRows).toBe(2000);
  expect(s.progress.agencies.length).toBeGreaterThan(1);
  expect(s.progress.agencies.find((a) => a.code === first!.code)).toMatchObject({ phase: 'scheduled', schedule: slot });
  expect(s.progress.agencies.filter((a) => a.code !== first!.code).every((a) => a.phase === 'awaiting_import')).toBe(true);
  const second = s.progress.agencies.find((a) => a.code !== first!.code);
  const child = h.env.client.workflow.getHandle(agencyWorkflowId(second!.code, runId));
  expect(await child.query(agencyRunProgress)).toMatchObject({ code: second!.code, rows: second!.rows, phase: 'awaiting_import' });

  // The agency's folder as one zip: its .xls files and its manifest, under the folder's name.
  const { fileName, stream } = await h.runs.agencyZip(runId, second!.code);
  const zipFile = path.join(gen, 'agency.zip');
  await new Promise<void>((resolve, reject) => stream.pipe(fs.createWriteStream(zipFile)).on('finish', resolve).on('error', reject));
  const names = await new Promise<string[]>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: false }, (e, z) => {
      if (e) return reject(e);
      const list: string[] = [];
      z.on('entry', (entry: yauzl.Entry) => list.push(entry.fileName));
      z.on('end', () => resolve(list));
    }),
  );
  expect(fileName).toMatch(new RegExp(`^${runId} - ${second!.code} - UBND .+\\.zip$`));
  expect(names.filter((n) => n.endsWith('.xls'))).toHaveLength(second!.files);
  expect(names).toContain(`${fileName.slice(runId.length + 3, -4)}/manifest.json`);
  expect(await codeOf(h.runs.agencyZip(runId, '00000'))).toBe('RUN_AGENCY_NOT_FOUND');

  await h.runs.cancel(runId, 'Nguyễn Văn A', 'Nhận nhầm gói');
  s = await h.runs.waitWhile(runId, ['in_progress'], undefined, 200);
  expect(s.status).toBe('COMPLETED');
  expect(s.progress.phase).toBe('cancelled');
  expect(s.progress.agencies.every((a) => a.phase === 'cancelled')).toBe(true);
  expect((await child.describe()).status.name).toBe('CANCELLED');

  // Each step in the province's chain, naming the run (the Temporal run too) and what it acted on.
  const audit = await h.db.pool.query(
    `SELECT province_code, action, actor, actor_role, subject_kind, subject_id, run_id IS NOT NULL AS has_run FROM audit_log WHERE workflow_id = $1 ORDER BY chain_pos`,
    [s.workflowId],
  );
  const entry = (action: string, actor: string, subject_kind = 'workflow', subject_id = s.workflowId) => ({ province_code: '01', action, actor, actor_role: 'coordinator', subject_kind, subject_id, has_run: true });
  expect(audit.rows).toEqual([
    entry('package.received', 'dieuphoi01', 'file', sha256(exportFile)),
    entry('package.handover_confirmed', 'Nguyễn Văn A'),
    entry('split.completed', 'Nguyễn Văn A'),
    entry('split.custodians_decided', 'Nguyễn Văn A'),
    entry('split.released', 'Nguyễn Văn A'),
    entry('run.cancelled', 'Nguyễn Văn A'),
  ]);
  // An auditor's replay of the whole history runs the same decisions again without divergence.
  const history = await h.env.client.workflow.getHandle(s.workflowId).fetchHistory();
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history, s.workflowId);

  const receipt = await h.db.pool.query(`SELECT status, delivered_by, channel, received_by, confirmed_by, file_list FROM package_receipts WHERE run_id = $1`, [runId]);
  expect(receipt.rows).toEqual([
    { status: 'accepted', delivered_by: HANDOVER.deliveredBy, channel: HANDOVER.channel, received_by: 'dieuphoi01', confirmed_by: 'Nguyễn Văn A', file_list: [{ name: '01-c06.xlsx', size: fs.statSync(exportFile).size }] },
  ]);
});

test('a wrong checksum fails the run with a clear error and keeps the upload in quarantine only', async () => {
  const staged = await h.runs.stageUpload(fs.createReadStream(exportFile));
  expect(staged.sha256).toBe(sha256(exportFile));
  const declared = 'ab'.repeat(32);
  const { runId } = await h.runs.start({ ...HANDOVER, provinceCode: '01', source: { kind: 'staged', token: staged.token }, originalName: 'goi-c06.xlsx', sha256: declared });
  const s = await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  expect(s.status).toBe('FAILED');
  expect(s.progress.phase).toBe('failed');
  expect(s.progress.failure).toMatchObject({ code: 'RECEIVE_CHECKSUM_MISMATCH' });
  expect(s.progress.failure!.messageVi).toContain('không khớp với mã ghi trong biên bản bàn giao');
  const receipt = await h.db.pool.query<{ status: string; quarantine_path: string; actual_sha256: string }>(`SELECT status, quarantine_path, actual_sha256 FROM package_receipts WHERE run_id = $1`, [runId]);
  expect(receipt.rows[0]).toMatchObject({ status: 'quarantined', actual_sha256: staged.sha256 });
  expect(sha256(path.join(h.paths.quarantine, receipt.rows[0]!.quarantine_path))).toBe(staged.sha256);
  expect(fs.existsSync(path.join(h.paths.staging, staged.token))).toBe(false);
  const files = await h.db.pool.query(`SELECT 1 FROM file_owners WHERE original_name = 'goi-c06.xlsx'`);
  expect(files.rowCount).toBe(0);
});

test.each([
  ['an empty file', 'rong.csv', Buffer.alloc(0), 'RECEIVE_PACKAGE_EMPTY'],
  ['a password-protected workbook', 'mat-khau.xlsx', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096, 1)]), 'RECEIVE_WORKBOOK_ENCRYPTED'],
  ['a corrupt workbook', 'hong.xlsx', Buffer.from('không phải tệp Excel'), 'RECEIVE_FILE_CORRUPT'],
  ['a CSV saved in Windows-1258', 'ansi.csv', iconv.encode('Họ và tên,Ngày sinh\nNguyễn Thị Hoà,01/02/2003\n', 'windows1258'), 'RECEIVE_CSV_NOT_UTF8'],
  ['a zip holding no table', 'anh.zip', Buffer.from('504b0506000000000000000000000000000000000000', 'hex'), 'RECEIVE_PACKAGE_NO_TABLES'],
])('%s stops the run at Step 1 with %s', async (_what, name, bytes, code) => {
  toInbox(name, bytes);
  const { runId } = await h.runs.start({ ...HANDOVER, provinceCode: '01', source: { kind: 'inbox', path: name }, originalName: name, sha256: createHash('sha256').update(bytes).digest('hex') });
  const s = await h.runs.waitWhile(runId, ['receiving'], undefined, 200);
  expect(s.status).toBe('FAILED');
  expect(s.progress.failure?.code).toBe(code);
});

test('requests that cannot start a run are refused before anything starts', async () => {
  const base = { ...HANDOVER, provinceCode: '01', source: { kind: 'inbox' as const, path: 'x.xlsx' }, originalName: 'x.xlsx', sha256: 'cd'.repeat(32) };
  expect(await codeOf(h.runs.start({ ...base, source: { kind: 'inbox', path: '../../etc/passwd' } }))).toBe('RECEIVE_PATH_OUTSIDE_INBOX');
  expect(await codeOf(h.runs.start(base))).toBe('RECEIVE_INBOX_FILE_MISSING');
  expect(await codeOf(h.runs.start({ ...base, sha256: 'abc' }))).toBe('RUN_SHA256_INVALID');
  expect(await codeOf(h.runs.start({ ...base, provinceCode: '99' }))).toBe('PROVINCE_UNKNOWN');
  expect(await codeOf(h.runs.start({ ...base, originalName: 'x.pdf' }))).toBe('RECEIVE_FORMAT_UNSUPPORTED');
  expect(await codeOf(h.runs.status('01-0000000000000000'))).toBe('RUN_NOT_FOUND');
  expect(await codeOf(h.runs.status('../../x'))).toBe('RUN_NOT_FOUND');
});

/**
 * Step 3 through the agency's run on the real Temporal dev server: an official imports a split
 * file (a data-only agency), the import is an update in the history, the books with data move
 * on to review while more imports are taken; officials of other agencies are refused by the
 * workflow itself; and a release with auto-import imports every agency's files by itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Workers } from '../../worker/create-worker';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { runFolders } from '../../activities/split/split-package';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { agencyRunProgress } from '../../workflows/definitions';
import { createProvinceRunHarness, releasedRun, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import { codeOf } from '../support/coded-error';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let imports: AgencyImports;

beforeAll(async () => {
  h = await createProvinceRunHarness('agency-import');
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('agency-import-gen');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test('a data-only agency imports its split files; each import is an update the history keeps; books with data go to review', async () => {
  const { runId, manifest } = await releasedRun(h, { out: path.join(gen, '71'), seed: 71, records: 1500 });
  const agency = [...manifest.agencies].sort((a, b) => b.files.length - a.files.length || b.rows - a.rows)[0]!;
  const other = manifest.agencies.find((a) => a.code !== agency.code)!;
  const split = runFolders(h.paths, runId).split;
  const [first, second] = agency.files;

  const source = await imports.store(fs.createReadStream(path.join(split, first!.path)), path.basename(first!.path));
  // The workflow refuses, before anything runs, an official of another agency and a type that does not exist.
  expect(await codeOf(imports.importExcel({ agencyCode: agency.code, registerType: first!.registerType, source, by: { username: 'canbo.khac', agencyCode: other.code } }))).toBe('IMPORT_OTHER_AGENCY');
  expect(await codeOf(imports.importExcel({ agencyCode: agency.code, registerType: 'XX' as never, source, by: { username: 'canbo01', agencyCode: agency.code } }))).toBe('IMPORT_REGISTER_TYPE_INVALID');

  const result = await imports.importExcel({ agencyCode: agency.code, registerType: first!.registerType, source, by: { username: 'canbo01', agencyCode: agency.code } });
  expect(result.counts.read).toBe(first!.rows);
  expect(result.counts.inserted + result.counts.rejected).toBe(first!.rows);

  let state = await imports.state(agency.code);
  expect(state.phase).toBe('in_review');
  expect(state.importsDone).toBe(1);
  expect(state.imports[0]).toMatchObject({ importId: result.importId, kind: 'excel', by: 'canbo01', sourceSha256: source.sha256, registerType: first!.registerType, counts: result.counts });
  expect(state.books.reduce((n, b) => n + b.counts.records, 0)).toBe(result.counts.inserted);
  const progress = await h.runs.status(runId);
  expect(progress.progress.agencies.find((a) => a.code === agency.code)?.phase).toBe('in_review');

  // More imports are taken while review runs; the same file again changes nothing.
  if (second) {
    const s2 = await imports.store(fs.createReadStream(path.join(split, second.path)), path.basename(second.path));
    await imports.importExcel({ agencyCode: agency.code, registerType: second.registerType, source: s2, by: { username: 'dieuphoi01' } });
  }
  const again = await imports.importExcel({ agencyCode: agency.code, registerType: first!.registerType, source, by: { username: 'canbo01', agencyCode: agency.code } });
  expect(again.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: result.counts.inserted });
  state = await imports.state(agency.code);
  expect(state.importsDone).toBe(second ? 3 : 2);

  // The history is the audit: each import is an accepted update with who asked.
  const history = await h.env.client.workflow.getHandle(agencyWorkflowId(agency.code, runId)).fetchHistory();
  const updates = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  expect(updates).toHaveLength(state.importsDone);
  const records = await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE agency_code = $1', [agency.code]);
  expect(Number(records.rows[0]!.n)).toBe(state.books.reduce((n, b) => n + b.counts.records, 0));
});

test('released with auto-import, every agency imports its own split files', async () => {
  const { runId, manifest } = await releasedRun(h, { out: path.join(gen, '72'), seed: 72, records: 1500, autoImport: true });
  const deadline = Date.now() + 120_000;
  for (const a of manifest.agencies) {
    const handle = h.env.client.workflow.getHandle(agencyWorkflowId(a.code, runId));
    let state = await handle.query(agencyRunProgress);
    while (state.importsDone < a.files.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      state = await handle.query(agencyRunProgress);
    }
    expect(state.importsDone).toBe(a.files.length);
    expect(state.imports.every((i) => i.by === 'dieuphoi01')).toBe(true);
    expect(state.imports.reduce((n, i) => n + (i.counts.read ?? 0), 0)).toBe(a.rows);
  }
  const imported = await h.db.pool.query<{ n: string }>(`SELECT coalesce(sum((counts->>'read')::int), 0) AS n FROM imports WHERE workflow_id LIKE $1 AND status = 'completed'`, [`agency/%/${runId}`]);
  expect(Number(imported.rows[0]!.n)).toBe(manifest.rowsWritten);
});

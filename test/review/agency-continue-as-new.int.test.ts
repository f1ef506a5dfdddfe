/**
 * An agency's run takes decisions by the thousand; its history must stay bounded. With its
 * history limit lowered, a run that has taken many decision batches continues as new, carries
 * its state (books, counts, batches) and keeps taking decisions, and every decision is still
 * in PostgreSQL once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Workers } from '../../worker/create-worker';
import { runFolders } from '../../activities/split/split-package';
import type { DecisionItem } from '../../domain/review/review-types';
import { createAgencyImports } from '../../services/agency-imports';
import { agencyRun } from '../../workflows/agency-run';
import { agencyRunProgress, decideRecords, importExcel } from '../../workflows/definitions';
import { createProvinceRunHarness, releasedRun, scratchDir, type ProvinceRunHarness } from '../support/province-runs';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;

beforeAll(async () => {
  h = await createProvinceRunHarness('agency-can');
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('agency-can-gen');
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test('past its history limit the agency run continues as new with its state, and decisions go on', async () => {
  const { runId, manifest } = await releasedRun(h, { out: path.join(gen, '91'), seed: 91, records: 800 });
  const agency = [...manifest.agencies].sort((a, b) => b.rows - a.rows)[0]!;
  const file = [...agency.files].sort((a, b) => b.rows - a.rows)[0]!;
  const imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
  const source = await imports.store(fs.createReadStream(path.join(runFolders(h.paths, runId).split, file.path)), path.basename(file.path));

  // A run of its own for the agency (the province run's child keeps the default limit).
  const workflowId = `agency/${agency.code}/${runId}/history-limit`;
  const handle = await h.env.client.workflow.start(agencyRun, {
    taskQueue: h.taskQueue,
    workflowId,
    args: [{ runId, provinceCode: '01', parentWorkflowId: `province/01/${runId}`, agency: { code: agency.code, name: agency.name, level: agency.level, rows: agency.rows, files: agency.files.length }, historyLimit: 120 }],
  });
  const firstRunId = (await handle.describe()).runId;
  const by = { username: 'canbo01', agencyCode: agency.code };
  await handle.executeUpdate(importExcel, { args: [{ by, registerType: file.registerType, source }] });

  const records = await h.db.pool.query<{ id: string; unit_code: string; book_year: number; book_key: string }>(
    `SELECT id, unit_code, book_year, book_key FROM records WHERE agency_code = $1 AND register_type = $2 ORDER BY id LIMIT 30`,
    [agency.code, file.registerType],
  );
  expect(records.rows.length).toBe(30);
  const actor = { username: 'canbo01', role: 'official' as const, agencyCode: agency.code };
  for (const r of records.rows) {
    const book = { registerType: file.registerType, unitCode: r.unit_code, bookYear: r.book_year, bookKey: r.book_key };
    const items: DecisionItem[] = [{ recordId: Number(r.id), kind: 'reject', reasonCode: 'PAGE_UNREADABLE' }];
    const result = await handle.executeUpdate(decideRecords, { args: [{ by: actor, book, items }] });
    expect(result.outcomes[0]).toMatchObject({ outcome: 'decided', state: 'rejected' });
  }

  const described = await handle.describe();
  expect(described.runId).not.toBe(firstRunId);
  expect(described.historyLength).toBeLessThan(200);
  const state = await handle.query(agencyRunProgress);
  // The state crossed the boundary: the import, every batch, the books and their counts.
  expect(state.importsDone).toBe(1);
  expect(state.decisionBatches).toBe(30);
  expect(state.books.reduce((n, b) => n + b.counts.rejected, 0)).toBe(30);
  expect(state.books.reduce((n, b) => n + b.counts.records, 0)).toBe(Number((await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE agency_code = $1', [agency.code])).rows[0]!.n));
  const decisions = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM decisions WHERE record_id = ANY($1::bigint[])`, [records.rows.map((r) => r.id)]);
  expect(Number(decisions.rows[0]!.n)).toBe(30);
  await handle.terminate('test done');
});

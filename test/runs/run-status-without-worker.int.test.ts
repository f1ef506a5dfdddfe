/**
 * A run's progress is a query its worker answers. With no worker (stopped, or restarting), the
 * coordinator's screen and the CLI hear so within seconds, coded, instead of waiting while the
 * SDK retries the query for minutes.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { provinceRunWorkflowId } from '../../domain/runs/province-run';
import { PROGRESS_QUERY_DEADLINE_MS } from '../../services/workflow-progress';
import { codeOf } from '../support/coded-error';
import { createProvinceRunHarness, type ProvinceRunHarness } from '../support/province-runs';

let h: ProvinceRunHarness;
beforeAll(async () => {
  h = await createProvinceRunHarness('status-no-worker');
});
afterAll(async () => {
  await h?.close();
});

test("a run no worker answers for: its status is refused as unavailable within seconds, in Vietnamese", async () => {
  const bytes = randomBytes(64);
  const name = '01-c06-no-worker.xlsx';
  fs.writeFileSync(path.join(h.paths.inbox, name), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { runId } = await h.runs.start({ provinceCode: '01', source: { kind: 'inbox', path: name }, originalName: name, sha256, deliveredBy: 'C06', channel: 'Mạng chuyên dùng', startedBy: 'dieuphoi01' });
  const started = Date.now();
  const error = await h.runs.status(runId).catch((e: unknown) => e);
  const seconds = (Date.now() - started) / 1000;
  expect(await codeOf(Promise.reject(error))).toBe('RUN_PROGRESS_UNAVAILABLE');
  expect((error as { messageVi: string }).messageVi).toMatch(/^Tạm thời chưa đọc được tiến độ lượt chạy 01-[0-9a-f]{16}/);
  // The server alone would hold the query for 30 s.
  expect(seconds).toBeLessThan(PROGRESS_QUERY_DEADLINE_MS / 1000 + 5);
  // Cancelling is an update, which would wait for a worker too.
  await h.env.client.workflow.getHandle(provinceRunWorkflowId(runId)).terminate('end of test');
}, 60_000);

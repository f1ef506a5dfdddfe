/**
 * The replay corpus: histories of every workflow type at its current version, recorded by
 * `npm run replay:record` (record-corpus.ts), replayed against today's workflow code. A change
 * to a workflow that would make a running workflow take another path than its history says
 * (a command added, removed or reordered without `patched()`) fails here, before it reaches a
 * worker with runs in flight. No server is needed: replay runs the workflow code alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import { historyFacts } from '../../services/audit/history-facts';
import { replayHistories, WORKFLOWS_PATH, type ReplayInput } from '../../services/audit/replay';
import { CORPUS_DIR, type CorpusEntry } from './record-corpus';

const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'corpus.json'), 'utf8')) as { histories: CorpusEntry[] };
const corpus: ReplayInput[] = manifest.histories.map((h) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, h.file), 'utf8')));
  return { source: h.file, workflowId: history.events![0]!.workflowExecutionStartedEventAttributes!.workflowId!, history };
});
const byFile = (file: string) => corpus.find((c) => c.source === file)!;

test('the corpus holds every workflow type, and the agency run through imports, decisions, transfers, notices and a continue-as-new', () => {
  expect(fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json') && f !== 'corpus.json').sort()).toEqual(manifest.histories.map((h) => h.file).sort());
  expect([...new Set(manifest.histories.map((h) => h.workflowType))].sort()).toEqual(['agencyRun', 'platformCheck', 'provinceRun']);
  const facts = corpus.flatMap((c) => historyFacts(c.history));
  const updates = new Set(facts.flatMap((f) => (f.kind === 'update' ? [f.name] : [])));
  const activities = new Set(facts.flatMap((f) => (f.kind === 'activity' ? [f.activityType] : [])));
  for (const u of ['confirmHandover', 'decideCustodians', 'releaseSplit', 'importExcel', 'importScans', 'claimBook', 'releaseBook', 'decideRecords', 'decidePage', 'transferNow', 'closeAgency', 'splitFilesChanged', 'acknowledgePlatformCheck']) expect([u, updates.has(u)]).toEqual([u, true]);
  for (const a of ['receivePackage', 'splitPackage', 'importExcel', 'importScans', 'transferApproved', 'notifyIdleBook', 'recordPlatformCheck']) expect([a, activities.has(a)]).toEqual([a, true]);
  expect(facts.some((f) => f.kind === 'ended' && f.how === 'continued-as-new')).toBe(true);
  expect(historyFacts(byFile('agency-run-review-2.json').history)[0]).toMatchObject({ kind: 'started', continuedFromRunId: expect.any(String) });
});

/** Bundling the workflow code takes seconds on a busy machine. */
const BUNDLE_TIMEOUT_MS = 120_000;

test('every history of the corpus replays against the current workflow code', async () => {
  const outcomes = await replayHistories(corpus);
  expect(outcomes.map((o) => [o.source, o.ok, o.problem?.message])).toEqual(corpus.map((c) => [c.source, true, undefined]));
}, BUNDLE_TIMEOUT_MS);

test('a workflow changed without a patch (one activity call moved) fails replay, naming the event where it diverges', async () => {
  // The variant records the confirmed handover after entering the split phase instead of before: the same activity, one step later.
  const source = fs.readFileSync(path.join(path.dirname(WORKFLOWS_PATH), 'province-run.ts'), 'utf8');
  const call = /\n( *)await recordHandoverConfirmed\(\{[^\n]*\}\);\n/.exec(source);
  const phase = /\n( *)enter\('splitting'\);\n/.exec(source);
  expect([call, phase].every(Boolean)).toBe(true);
  const moved = source.replace(call![0], '\n').replace(phase![0], `${phase![0]}${phase![1]}${call![0].trim()}\n`);
  expect(moved).not.toBe(source);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changed-workflow-'));
  try {
    // Its imports point back at the real modules, as if it stood in workflows/.
    const absolute = moved.replace(/from '(\.\.?\/[^']+)'/g, (_m, p: string) => `from '${path.join(path.dirname(WORKFLOWS_PATH), p)}'`);
    fs.writeFileSync(path.join(dir, 'province-run.ts'), absolute);
    fs.writeFileSync(path.join(dir, 'index.ts'), `export { provinceRun } from './province-run';\n`);
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: path.join(dir, 'index.ts'),
      webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? []), path.join(__dirname, '..', '..', 'node_modules')] } }),
    });
    const province = byFile('province-run.json');
    const [outcome] = await replayHistories([province], { workflowBundle });
    expect(outcome).toMatchObject({ ok: false, problem: { kind: 'nondeterminism' } });
    // Where the history scheduled the activity, the variant's first command is the phase's upsert.
    const scheduled = historyFacts(province.history).find((f) => f.kind === 'activity' && f.activityType === 'recordHandoverConfirmed')!;
    expect(outcome!.problem!.eventId).toBe(scheduled.eventId);
    expect(outcome!.problem!.message).toBe(`[TMPRL1100] Nondeterminism error: UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: ${scheduled.eventId}, ActivityTaskScheduled)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, BUNDLE_TIMEOUT_MS);

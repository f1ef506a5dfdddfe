/**
 * The suite's test files share one Temporal namespace, and a province run is named by its
 * package's SHA-256. Two files that generate the same package (same seed, records and options)
 * would share one run: the second drives the first's, whose worker is gone, and its queries wait
 * without end (seen in CI as set-ups hanging late in the suite, in whatever order put the two
 * files together). Every province run a file starts is written down with the file; another file
 * querying or updating that run, or one of its agencies, fails at once naming both. (Starting it
 * again is fine: the service starts a run again only when the earlier one failed, and the new
 * one is the starting file's.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClientPlugin, WorkflowClientInterceptor } from '@temporalio/client';
import { testEnv } from './env';

const RUN_IN_ID = /\b([0-9]{2}-[0-9a-f]{16})\b/;

const ownersFile = () => path.join(testEnv('workDir'), 'province-run-owners.ndjson');
const thisFile = () => path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');

/** The file that last started the run. */
function ownerOf(runId: string): string | undefined {
  if (!fs.existsSync(ownersFile())) return undefined;
  let owner: string | undefined;
  for (const line of fs.readFileSync(ownersFile(), 'utf8').split('\n')) {
    if (!line) continue;
    const entry = JSON.parse(line) as { runId: string; file: string };
    if (entry.runId === runId) owner = entry.file;
  }
  return owner;
}

function started(workflowId: string): void {
  const runId = RUN_IN_ID.exec(workflowId)?.[1];
  if (runId && ownerOf(runId) !== thisFile()) fs.appendFileSync(ownersFile(), `${JSON.stringify({ runId, file: thisFile() })}\n`);
}

function reached(workflowId: string): void {
  const runId = RUN_IN_ID.exec(workflowId)?.[1];
  const owner = runId && ownerOf(runId);
  if (owner && owner !== thisFile()) {
    throw new Error(
      `province run ${runId} (${workflowId}) belongs to ${owner}, run earlier in this suite; ${thisFile()} generated the same package. Give one of them another seed or record count.`,
    );
  }
}

const owners: WorkflowClientInterceptor = {
  async start(input, next) {
    started(input.options.workflowId);
    return next(input);
  },
  async query(input, next) {
    reached(input.workflowExecution.workflowId);
    return next(input);
  },
  async startUpdate(input, next) {
    reached(input.workflowExecution.workflowId);
    return next(input);
  },
  async signal(input, next) {
    reached(input.workflowExecution.workflowId);
    return next(input);
  },
};

export const provinceRunOwnersPlugin: ClientPlugin = {
  name: 'province-run-owners',
  configureClient: (options) => ({ ...options, interceptors: { ...options.interceptors, workflow: [...((options.interceptors?.workflow as WorkflowClientInterceptor[] | undefined) ?? []), owners] } }),
};

/**
 * The suite's test files share one Temporal namespace, and a province run is named by its
 * package's SHA-256. Two files that generate the same package (same seed, records and options)
 * would share one run: the second drives the first's, whose worker is gone, and its queries wait
 * without end (seen in CI as set-ups hanging late in the suite, in whatever order put the two
 * files together). Every province run a file starts is written down with the file; another file
 * reaching that run, or one of its agencies, fails at once naming both.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClientPlugin, WorkflowClientInterceptor } from '@temporalio/client';
import { testEnv } from './env';

const RUN_IN_ID = /\b([0-9]{2}-[0-9a-f]{16})\b/;

const ownersFile = () => path.join(testEnv('workDir'), 'province-run-owners.ndjson');
const thisFile = () => path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');

function ownerOf(runId: string): string | undefined {
  if (!fs.existsSync(ownersFile())) return undefined;
  for (const line of fs.readFileSync(ownersFile(), 'utf8').split('\n')) {
    if (!line) continue;
    const entry = JSON.parse(line) as { runId: string; file: string };
    if (entry.runId === runId) return entry.file;
  }
  return undefined;
}

function claim(workflowId: string, startedHere: boolean): void {
  const runId = RUN_IN_ID.exec(workflowId)?.[1];
  if (!runId) return;
  const owner = ownerOf(runId);
  const file = thisFile();
  if (owner !== undefined && owner !== file) {
    throw new Error(
      `province run ${runId} (${workflowId}) belongs to ${owner}, run earlier in this suite; ${file} generated the same package. Give one of them another seed or record count.`,
    );
  }
  if (owner === undefined && startedHere) fs.appendFileSync(ownersFile(), `${JSON.stringify({ runId, file })}\n`);
}

const owners: WorkflowClientInterceptor = {
  async start(input, next) {
    claim(input.options.workflowId, true);
    return next(input);
  },
  async describe(input, next) {
    claim(input.workflowExecution.workflowId, false);
    return next(input);
  },
  async query(input, next) {
    claim(input.workflowExecution.workflowId, false);
    return next(input);
  },
  async startUpdate(input, next) {
    claim(input.workflowExecution.workflowId, false);
    return next(input);
  },
  async signal(input, next) {
    claim(input.workflowExecution.workflowId, false);
    return next(input);
  },
};

export const provinceRunOwnersPlugin: ClientPlugin = {
  name: 'province-run-owners',
  configureClient: (options) => ({ ...options, interceptors: { ...options.interceptors, workflow: [...((options.interceptors?.workflow as WorkflowClientInterceptor[] | undefined) ?? []), owners] } }),
};

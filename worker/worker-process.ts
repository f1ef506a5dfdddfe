/**
 * `npm start` runs the workers in a process of their own, beside the API's: an activity's CPU
 * work (a workbook read, a split, a page of decisions) and the workflow activations then never
 * hold the API's event loop, and the two share the cores as the OS sees fit. It is the same
 * topology as docker-compose.yml's `worker` and `api` services, on one machine.
 *
 * The parent hands the child its loaded configuration with the servers' addresses over IPC (one
 * loader, one configuration), forwards the child's log lines into its own log, and stops it in
 * its place in the shutdown order. The child ends itself if the parent dies (worker-process-main.ts).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import pino from 'pino';
import { defineError } from '../domain/errors';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';

const ENTRY = path.join(__dirname, 'bin', 'worker-process.js');
/** Bundling the workflows takes the child a few seconds; a loaded machine may take many more. */
const READY_TIMEOUT_MS = 180_000;
/** A worker stopping gracefully finishes its workflow tasks first; one that hangs is killed after this. */
const STOP_TIMEOUT_MS = 60_000;

/** How a child process ended: `{ code }` or `{ signal }`, or `{ timeoutS }` when it never said it was ready. */
export type WorkerExit = { code: number | null; signal: NodeJS.Signals | null } | { timeoutS: number };

export const describeExit = (e: WorkerExit) => ('timeoutS' in e ? `not ready after ${e.timeoutS} s` : e.signal ? `signal ${e.signal}` : `exit code ${e.code}`);

export const WorkerProcessFailed = defineError<{ exit: WorkerExit }>(
  'WORKER_PROCESS_FAILED',
  'unavailable',
  (p) => `the worker process ended before it was ready (${describeExit(p.exit)}); see the log above`,
  (p) =>
    'timeoutS' in p.exit
      ? `Tiến trình worker chưa sẵn sàng sau ${p.exit.timeoutS} giây nên đã bị dừng; xem nhật ký phía trên.`
      : `Tiến trình worker dừng trước khi sẵn sàng (${p.exit.signal ? `tín hiệu ${p.exit.signal}` : `mã thoát ${p.exit.code}`}); xem nhật ký phía trên.`,
);

/** What the parent sends once, and what the child answers when its workers poll. */
export interface WorkerProcessStart {
  config: Config;
  databaseUrl: string;
  temporalAddress: string;
}
export const WORKER_READY = 'hotich-worker-ready';

export interface WorkerProcess {
  pid: number;
  /** Resolves when the child has exited, for whatever reason. */
  exited: Promise<WorkerExit>;
  stop(): Promise<void>;
}

export async function startWorkerProcess(start: WorkerProcessStart, logger: Logger): Promise<WorkerProcess> {
  const child = fork(ENTRY, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
  const exited = new Promise<WorkerExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // The child logs JSON lines to its stdout: they go on into this process's log destination as they are.
  const destination = (logger as unknown as Record<symbol, NodeJS.WritableStream>)[pino.symbols.streamSym]!;
  readline.createInterface({ input: child.stdout! }).on('line', (line) => destination.write(`${line}\n`));
  child.stderr!.pipe(process.stderr);

  child.send(start);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(WorkerProcessFailed({ exit: { timeoutS: READY_TIMEOUT_MS / 1000 } }));
    }, READY_TIMEOUT_MS);
    child.on('message', (m) => {
      if (m !== WORKER_READY) return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(WorkerProcessFailed({ exit }));
    });
  });

  return {
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

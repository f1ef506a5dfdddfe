import path from 'node:path';
import { NativeConnection, Worker, Runtime, makeTelemetryFilterString, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { createActivities, type ActivityDeps } from '../activities';
import { transferTaskQueue } from '../workflows/task-queues';

let runtimeInstalled = false;

/** Routes the SDK's own logs into our pino logger (once per process). */
function installRuntime(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    // The SDK's INFO lines (bundle built, state changes) are detail for operators, not news; so is its warning that
    // the transfer worker, which has no workflows by design, polls for none.
    const expected = level === 'WARN' && message.startsWith('No workflows registered');
    const method = expected ? 'debug' : ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'debug', WARN: 'warn', ERROR: 'error' } as const)[level];
    logger[method]({ temporal: true, ...meta }, message);
  };
  Runtime.install({
    // The supervisor owns signals and stops the worker in its place in the shutdown order.
    shutdownSignals: [],
    logger: { log, trace: (m, x) => log('TRACE', m, x), debug: (m, x) => log('DEBUG', m, x), info: (m, x) => log('INFO', m, x), warn: (m, x) => log('WARN', m, x), error: (m, x) => log('ERROR', m, x) },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

export interface WorkersOptions extends Omit<ActivityDeps, 'limits'> {
  config: Config;
  connection: NativeConnection;
  taskQueue?: string;
}

/** The workers of one process, run and stopped together: one stopping alone would leave a process that looks alive but does half the work. */
export interface Workers {
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * A worker for the runs (workflows and their activities) on the task queue, and one for
 * transfer batches on theirs, taking `config.worker.transferConcurrency` at a time.
 */
export async function createWorkers(opts: WorkersOptions): Promise<Workers> {
  const taskQueue = opts.taskQueue ?? opts.config.temporal.taskQueue;
  const activities = createActivities({ pool: opts.pool, store: opts.store, paths: opts.paths, target: opts.target, limits: opts.config.imports });
  const common = { connection: opts.connection, namespace: opts.config.temporal.namespace };
  const { transferApproved, ...runActivities } = activities;
  const all = [
    await Worker.create({ ...common, taskQueue, workflowsPath: require.resolve(path.join(__dirname, '../workflows')), activities: runActivities }),
    await Worker.create({ ...common, taskQueue: transferTaskQueue(taskQueue), activities: { transferApproved }, maxConcurrentActivityTaskExecutions: opts.config.worker.transferConcurrency }),
  ];
  const shutdown = () => {
    for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
  };
  return {
    shutdown,
    async run() {
      const settled = await Promise.allSettled(all.map((w) => w.run().finally(shutdown)));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** The process's workers on their own connection to the Temporal frontend (the embedded dev server's, or TEMPORAL_ADDRESS), logging through ours. */
export async function connectWorkers(opts: Omit<WorkersOptions, 'connection'> & { logger: Logger; address: string }): Promise<{ workers: Workers; connection: NativeConnection }> {
  installRuntime(opts.logger);
  const connection = await NativeConnection.connect({ address: opts.address });
  return { workers: await createWorkers({ ...opts, connection }), connection };
}

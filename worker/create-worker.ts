import path from 'node:path';
import { NativeConnection, Worker, Runtime, makeTelemetryFilterString, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { createActivities, type ActivityDeps } from '../activities';

let runtimeInstalled = false;

/** Routes the SDK's own logs into our pino logger (once per process). */
function installRuntime(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    // The SDK's INFO lines (bundle built, state changes) are detail for operators, not news.
    const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'debug', WARN: 'warn', ERROR: 'error' } as const)[level];
    logger[method]({ temporal: true, ...meta }, message);
  };
  Runtime.install({
    // The supervisor owns signals and stops the worker in its place in the shutdown order.
    shutdownSignals: [],
    logger: { log, trace: (m, x) => log('TRACE', m, x), debug: (m, x) => log('DEBUG', m, x), info: (m, x) => log('INFO', m, x), warn: (m, x) => log('WARN', m, x), error: (m, x) => log('ERROR', m, x) },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

export interface WorkerOptions extends Omit<ActivityDeps, 'limits'> {
  config: Config;
  logger: Logger;
  /** The Temporal frontend: the embedded dev server's, or TEMPORAL_ADDRESS. */
  address: string;
  taskQueue?: string;
}

export async function createWorker(opts: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  installRuntime(opts.logger);
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue ?? opts.config.temporal.taskQueue,
    workflowsPath: require.resolve(path.join(__dirname, '../workflows')),
    activities: createActivities({ pool: opts.pool, store: opts.store, paths: opts.paths, limits: opts.config.imports }),
  });
  return { worker, connection };
}

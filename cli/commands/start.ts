import type { Command } from 'commander';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { describeStarted, startSystem } from '../../platform/supervisor';
import { reportFatal } from '../fatal';

/** Runs until Ctrl-C/SIGTERM; a component failing on its own ends the process non-zero. */
export async function runUntilStopped(parts: { worker: boolean; api: boolean }): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const started = await startSystem(config, logger, parts);
  process.stdout.write(describeStarted(started) + '\n');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (why: string, code: number) => {
      if (stopping) return;
      stopping = true;
      logger.info({ why }, 'stopping');
      started.stop().then(
        () => {
          process.exitCode = code;
          resolve();
        },
        (e: unknown) => reportFatal(e),
      );
    };
    process.once('SIGINT', () => stop('SIGINT', 0));
    process.once('SIGTERM', () => stop('SIGTERM', 0));
    started.failed.then((e) => {
      logger.error({ err: e }, 'a component failed; stopping everything');
      stop(e.message, 1);
    });
  });
}

export function register(program: Command): void {
  program
    .command('start')
    .description('Khởi động toàn bộ hệ thống (nhúng Temporal và PostgreSQL nếu chưa cấu hình TEMPORAL_ADDRESS / DATABASE_URL)')
    .action(() => runUntilStopped({ worker: true, api: true }));
}

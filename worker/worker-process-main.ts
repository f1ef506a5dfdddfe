/**
 * The worker process's own side (see worker-process.ts): it takes its configuration from the
 * parent, runs the workers on the servers the parent started, says when they poll, and stops on
 * SIGTERM or when the parent is gone. Ctrl-C reaches every process of the terminal's group: the
 * parent answers it and stops this process in its turn, so SIGINT alone is not a stop here.
 */
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema } from '../platform/config';
import { createLogger } from '../platform/logger';
import { startSystem, type Started } from '../platform/supervisor';
import { WORKER_READY, type WorkerProcessStart } from './worker-process';

process.on('SIGINT', () => undefined);

process.once('message', (start: WorkerProcessStart) => {
  const config = { ...start.config, temporal: { ...start.config.temporal, address: start.temporalAddress }, database: { ...start.config.database, url: start.databaseUrl } };
  if (!Value.Check(ConfigSchema, config)) throw new Error('the worker process was given an invalid configuration');
  const logger = createLogger(config, { process: 'worker' });
  let started: Started | undefined;
  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'worker process stopping');
    void (started?.stop() ?? Promise.resolve())
      .catch((e: unknown) => logger.error({ err: e }, 'worker process stop failed'))
      .finally(() => {
        logger.flush();
        process.exit(code);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM', 0));
  process.once('disconnect', () => stop('parent gone', 0));
  startSystem(config, logger, { worker: true, api: false }).then(
    (s) => {
      started = s;
      logger.info({ pid: process.pid }, 'worker process ready');
      process.send!(WORKER_READY);
      void s.failed.then((e) => {
        logger.error({ err: e }, 'the worker failed; the worker process ends');
        stop(e.message, 1);
      });
    },
    (e: unknown) => {
      logger.error({ err: e }, 'the worker process could not start');
      stop('start failed', 1);
    },
  );
});

/**
 * The embedded Temporal: `temporal server start-dev` as a child process. With a db file its
 * state (and so every in-flight workflow) survives restarts; without one it is in memory (tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { AppError, defineError } from '../../domain/errors';
import { devServerSearchAttributeFlags, keepHistories } from '../temporal-namespace';

export const TemporalStartFailed = defineError<{ address: string; reason: string; log?: string }>(
  'TEMPORAL_START_FAILED',
  'unavailable',
  (p) => `Temporal dev server did not become ready at ${p.address}: ${p.reason}${p.log ? ` (see ${p.log})` : ''}`,
  (p) =>
    `Máy chủ Temporal không khởi động được tại ${p.address}: ${p.reason}.${p.log ? ` Xem nhật ký ${p.log};` : ''} Nếu cổng bị chiếm, đặt TEMPORAL_PORT sang cổng khác; nếu tệp chạy temporal hỏng, chạy lại "npm ci" hoặc sửa TEMPORAL_CLI.`,
);

export interface TemporalDevServerOptions {
  binary: string;
  host: string;
  port: number;
  /** Undefined: no web UI (`--headless`). */
  uiPort?: number;
  /** Undefined: state in memory. */
  dbFile?: string;
  namespace: string;
  logFile: string;
  readyTimeoutMs?: number;
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function waitForTemporal(address: string, namespace: string, timeoutMs: number, exited?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'timeout';
  while (Date.now() < deadline) {
    const gone = exited?.();
    if (gone) throw TemporalStartFailed({ address, reason: gone });
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw TemporalStartFailed({ address, reason: lastError });
}

export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<RunningTemporal> {
  const args = ['server', 'start-dev', '--ip', opts.host, '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort), '--ui-ip', opts.host);
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
    // WAL with synchronous=NORMAL: one append per commit instead of a rollback journal's fsyncs, every commit safe when
    // the server process dies (a power cut may roll back the last ones). Updates of the review go through here one by one.
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  args.push(...devServerSearchAttributeFlags());

  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(opts.binary, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exitReason: string | undefined;
  child.once('exit', (code, signal) => {
    exitReason = `exited with ${signal ?? code}`;
  });
  child.once('error', (err) => {
    exitReason = err.message;
  });

  const address = `${opts.host}:${opts.port}`;
  try {
    await waitForTemporal(address, opts.namespace, opts.readyTimeoutMs ?? 60_000, () => exitReason);
    // A server kept on disk keeps closed runs' histories for auditors, not the dev server's one day.
    if (opts.dbFile) {
      const connection = await Connection.connect({ address });
      try {
        await keepHistories(connection, opts.namespace);
      } finally {
        await connection.close();
      }
    }
  } catch (e) {
    child.kill('SIGKILL');
    throw TemporalStartFailed({ address, reason: e instanceof AppError ? String(e.params.reason) : String(e), log: opts.logFile }, { cause: e });
  }
  return {
    address,
    uiUrl: opts.uiPort === undefined ? undefined : `http://${opts.host}:${opts.uiPort}`,
    process: child,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after a grace period. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Worker threads that run a module of ours: the thread loads the TypeScript sources as the
 * process does (through tsx, with no build step), and its errors come back to the caller as
 * they were raised, an application error with its code and Vietnamese message.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { declaredErrors, isAppError } from '../../domain/errors';

/** An error as a thread posts it. */
export interface ThreadError {
  code?: string;
  params?: object;
  message: string;
  stack?: string;
}

export function startSourceThread(entry: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, { eval: true, workerData, resourceLimits });
}

export function threadErrorOf(e: unknown): ThreadError {
  const error = e instanceof Error ? { message: e.message, ...(e.stack ? { stack: e.stack } : {}) } : { message: String(e) };
  return isAppError(e) ? { ...error, code: e.code, params: e.params } : error;
}

/** The error the thread raised. Its module must be loaded here too: declaredErrors knows the codes of loaded modules. */
export function raisedInThread(error: ThreadError): Error {
  const def = error.code === undefined ? undefined : declaredErrors().find((d) => d.code === error.code);
  if (def) return def(error.params ?? {});
  return Object.assign(new Error(error.message), { stack: error.stack });
}

/**
 * How our coded errors cross Temporal: an AppError becomes an ApplicationFailure whose type is
 * the code and whose details carry the Vietnamese message, so a workflow, the API and the CLI
 * all see the same code and text. Errors a retry cannot fix are marked non-retryable.
 */
import { ApplicationFailure } from '@temporalio/common';
import { AppError, isAppError, type ErrorKind } from '../domain/errors';
import type { RunFailure } from '../domain/runs/province-run';

const CODE = /^[A-Z][A-Z0-9_]+$/;
const RETRYABLE: readonly ErrorKind[] = ['unavailable', 'internal'];

export function appFailure(e: AppError<object>): ApplicationFailure {
  return ApplicationFailure.create({
    type: e.code,
    message: e.message,
    nonRetryable: !RETRYABLE.includes(e.kind),
    details: [{ messageVi: e.messageVi, kind: e.kind }],
  });
}

/** The first coded failure along a chain (activity failure → application failure), as a run records it. */
export function runFailureOf(e: unknown): RunFailure {
  if (isAppError(e)) return { code: e.code, message: e.message, messageVi: e.messageVi };
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    if (c instanceof ApplicationFailure && c.type && CODE.test(c.type)) {
      const detail = (c.details?.[0] ?? {}) as { messageVi?: string };
      return { code: c.type, message: c.message, messageVi: detail.messageVi ?? c.message };
    }
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message, messageVi: `Lỗi hệ thống: ${message}` };
}

/** On the client side (API, CLI): the coded error a workflow or update failed with, as our own error. */
export function appErrorOf(e: unknown): AppError | undefined {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    if (c instanceof ApplicationFailure && c.type && CODE.test(c.type)) {
      const detail = (c.details?.[0] ?? {}) as { messageVi?: string; kind?: ErrorKind };
      const message = c.message;
      return new AppError({ code: c.type, kind: detail.kind ?? 'internal', english: () => message, vietnamese: () => detail.messageVi ?? message }, {});
    }
  }
  return undefined;
}

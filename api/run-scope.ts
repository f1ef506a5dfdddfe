import type { FastifyRequest } from 'fastify';
import { canSee } from '../domain/access';
import { isProvinceRunId, provinceOfRun } from '../domain/runs/province-run';
import { RunNotFound } from '../domain/runs/run-errors';

/** A province run the caller may see; out of scope reads exactly like absent. */
export function runInScope(request: FastifyRequest, runId: string): string {
  if (!isProvinceRunId(runId) || !canSee(request.principal!, { provinceCode: provinceOfRun(runId) })) throw RunNotFound({ runId });
  return runId;
}

/**
 * What an auditor may read: a province auditor the runs and records of its province, a national
 * one all; outside the scope a run, a record or a province is answered exactly like one that
 * does not exist (domain/access.ts). A workflow's scope is the registry's (its province and
 * agency), else the search attributes it keeps; a workflow of no province (a platform check) is
 * for national readers only.
 */
import { canSee, type Principal } from '../../domain/access';
import { ResourceNotFound } from '../../api/errors';
import type { WorkflowRegistry } from '../../api/repositories/workflows';
import type { WorkflowRun } from './workflow-histories';
import { workflowNotFound } from './workflow-histories';

export interface Scope {
  provinceCode?: string | null;
  agencyCode?: string | null;
}

export function canRead(reader: Principal, scope: Scope): boolean {
  if (!scope.provinceCode) return reader.role === 'admin' || (reader.role === 'auditor' && !reader.provinceCode);
  return canSee(reader, { provinceCode: scope.provinceCode, agencyCode: scope.agencyCode });
}

/** The province a reader's listing is bound to: their own when they have one (asking for another is asking for nothing they may see). */
export function provinceOfReader(reader: Principal, asked: string | undefined): string | undefined {
  if (!reader.provinceCode) return asked;
  if (asked !== undefined && asked !== reader.provinceCode) throw ResourceNotFound({ kind: 'tỉnh', id: asked });
  return reader.provinceCode;
}

export function requireProvince(reader: Principal, provinceCode: string): void {
  if (!canRead(reader, { provinceCode })) throw ResourceNotFound({ kind: 'tỉnh', id: provinceCode });
}

/** The runs of a workflow the reader may see, else not found. */
export async function runsInScope(reader: Principal, workflowId: string, registry: WorkflowRegistry, runsOf: (id: string) => Promise<WorkflowRun[]>): Promise<WorkflowRun[]> {
  const registered = await registry.get(workflowId);
  if (registered && !canRead(reader, registered)) throw workflowNotFound(workflowId);
  const runs = await runsOf(workflowId);
  const latest = runs[runs.length - 1]!;
  if (!registered && !canRead(reader, { provinceCode: latest.provinceCode, agencyCode: latest.agencyCode })) throw workflowNotFound(workflowId);
  return runs;
}

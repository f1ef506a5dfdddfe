/**
 * What our namespace needs of Temporal. The search attributes our runs keep
 * (domain/audit/run-search.ts) must exist before a run starts: Temporal refuses a run that sets
 * an unknown one. The embedded dev server registers them from its start flags; a production
 * server gets them once, from `hotich migrate`, through the operator service. And a closed run's
 * history must outlive the dev server's default retention of one day: auditors replay it years
 * later.
 */
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msNumberToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTES } from '../domain/audit/run-search';
import { defineError } from '../domain/errors';

const TYPES = ['TEXT', 'KEYWORD', 'INT', 'DOUBLE', 'BOOL', 'DATETIME', 'KEYWORD_LIST'] as const;
const KEYWORD = encodeSearchAttributeIndexedValueType('KEYWORD')!;
const NAMES: readonly string[] = Object.values(SEARCH_ATTRIBUTES);

export const SearchAttributeTypeConflict = defineError<{ name: string; namespace: string; type: string }>(
  'TEMPORAL_SEARCH_ATTRIBUTE_CONFLICT',
  'config',
  (p) => `search attribute ${p.name} exists on namespace ${p.namespace} with type ${p.type}, not Keyword`,
  (p) => `Thuộc tính tìm kiếm ${p.name} đã có trên namespace ${p.namespace} của Temporal nhưng với kiểu ${p.type} thay vì Keyword; người quản trị Temporal cần xoá hoặc đổi tên thuộc tính đó.`,
);

/** `temporal server start-dev` flags that register them at start (kept across restarts of a server with a db file). */
export function devServerSearchAttributeFlags(): string[] {
  return NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]);
}

const GRPC_UNIMPLEMENTED = 12;

export const SearchAttributesMissing = defineError<{ address: string; namespace: string; missing: string }>(
  'TEMPORAL_SEARCH_ATTRIBUTES_MISSING',
  'config',
  (p) => `namespace ${p.namespace} at ${p.address} lacks the search attributes ${p.missing}; run hotich migrate first`,
  (p) => `Namespace ${p.namespace} của Temporal tại ${p.address} chưa có các thuộc tính tìm kiếm mà các quy trình ghi (${p.missing}): chạy "hotich migrate" với TEMPORAL_ADDRESS này trước khi khởi động.`,
);

/** Our attributes the namespace lacks; undefined from a server that cannot list them (the time-skipping test server). */
async function missingOn(connection: Connection, namespace: string): Promise<string[] | undefined> {
  let existing: Record<string, number>;
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes;
  } catch (e) {
    if ((e as { code?: number }).code === GRPC_UNIMPLEMENTED) return undefined;
    throw e;
  }
  const missing: string[] = [];
  for (const name of NAMES) {
    const type = existing[name];
    if (type === undefined) missing.push(name);
    else if (type !== KEYWORD) throw SearchAttributeTypeConflict({ name, namespace, type: TYPES.find((t) => encodeSearchAttributeIndexedValueType(t) === type) ?? String(type) });
  }
  return missing;
}

/** Adds those missing on the namespace; returns their names (none when all were there). A server that cannot list them gets them all. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const missing = (await missingOn(connection, namespace)) ?? [...NAMES];
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])) });
  }
  return missing;
}

/**
 * A Temporal server of the operator's must have them before a worker runs: a run that sets an
 * unknown attribute fails every workflow task until it exists.
 */
export async function requireSearchAttributes(connection: Connection, address: string, namespace: string): Promise<void> {
  const missing = await missingOn(connection, namespace);
  if (missing && missing.length > 0) throw SearchAttributesMissing({ address, namespace, missing: missing.join(', ') });
}

/** How long the embedded server keeps a closed run's history: the registers are kept for good, and so is the process that moved them. */
export const EMBEDDED_RETENTION_DAYS = 36_500;

/** Sets the namespace's retention of closed runs' histories (the dev server starts with 24 hours). */
export async function keepHistories(connection: Connection, namespace: string, days = EMBEDDED_RETENTION_DAYS): Promise<void> {
  await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msNumberToTs(days * 86_400_000) } });
}

/**
 * A workflow's progress is a query its worker answers. With no worker polling (stopped, or
 * restarting), the server holds the query for its own 30 s before failing it; a screen or a CLI
 * command that waits that long looks hung. Such a query is given up after a few seconds, and the
 * caller says in its own words that the progress cannot be read now.
 */
import { ServiceError, type Client, type QueryDefinition, type WorkflowHandle } from '@temporalio/client';

/** Long enough for a worker busy with a province's split to answer; short enough for a screen. */
export const PROGRESS_QUERY_DEADLINE_MS = 10_000;

/** The query's answer, or `unavailable(reason)` when no worker answered in time (or the server refused the query). */
export async function queryProgress<T>(temporal: Client, handle: WorkflowHandle, query: QueryDefinition<T>, unavailable: (reason: string) => Error): Promise<T> {
  try {
    return await temporal.withDeadline(Date.now() + PROGRESS_QUERY_DEADLINE_MS, () => handle.query(query));
  } catch (e) {
    if (e instanceof ServiceError) throw unavailable(e.message);
    throw e;
  }
}

/**
 * A province run's progress (GET /api/runs/{runId}), shared by the screens of the run and of its
 * board: asked again every second or two while the run works by itself (receiving, splitting,
 * releasing), every 15 seconds while it waits for people.
 */
import { useQuery } from '@tanstack/react-query';
import { apiGet } from './api-client';
import type { RunPhase, RunStatus } from './api-types';

const WORKING: readonly RunPhase[] = ['receiving', 'splitting', 'releasing'];

export const runStatusKey = (runId: string) => ['run', runId] as const;

export function useRunStatus(runId: string) {
  return useQuery({
    queryKey: runStatusKey(runId),
    queryFn: ({ signal }) => apiGet<RunStatus>(`/api/runs/${encodeURIComponent(runId)}`, signal),
    refetchInterval: (q) => (q.state.data && !WORKING.includes(q.state.data.progress.phase) ? 15_000 : 1_500),
  });
}

import { queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet } from '../../lib/api-client';
import type { AuditRunList, ChainVerification, Reconciliation, Timeline, Trail } from '../../lib/api-types';
import { runListQuery, type RunSearch } from './run-search';

/** Runs a page of the list holds. */
export const RUNS_PAGE = 50;

const workflow = (workflowId: string) => `/api/audit/workflows/${encodeURIComponent(workflowId)}`;

export const runsQuery = (search: RunSearch, pageToken: string | undefined) =>
  queryOptions({
    queryKey: ['audit', 'runs', search, pageToken ?? ''],
    queryFn: ({ signal }) => apiGet<AuditRunList>(runListQuery(search, { limit: RUNS_PAGE, pageToken }), signal),
  });

export const timelineQuery = (workflowId: string) =>
  queryOptions({ queryKey: ['audit', 'timeline', workflowId], queryFn: ({ signal }) => apiGet<Timeline>(`${workflow(workflowId)}/timeline`, signal) });

export const trailQuery = (recordId: number) =>
  queryOptions({ queryKey: ['audit', 'trail', recordId], queryFn: ({ signal }) => apiGet<Trail>(`/api/audit/records/${recordId}/trail`, signal) });

export const verifyChain = (provinceCode: string) => apiGet<ChainVerification>(`/api/audit/provinces/${provinceCode}/verification`);

export const reconcile = (provinceCode: string, agencyCode?: string) =>
  apiGet<Reconciliation>(`/api/audit/provinces/${provinceCode}/reconciliation${agencyCode ? `?agency=${agencyCode}` : ''}`);

/** The file name the API gives the history (its header names it without RFC 6266's filename*). */
export const historyFileName = (workflowId: string, runId: string) => `${workflowId.replaceAll('/', '_')}_${runId}.json`;

/** A run's history as the API streams it: the JSON `temporal workflow show --output json` writes, which `hotich audit replay` reads. */
export const downloadHistory = (workflowId: string, runId: string) => apiDownload(`${workflow(workflowId)}/history?runId=${encodeURIComponent(runId)}`, historyFileName(workflowId, runId));

/** The trail as the API answers it, byte for byte. */
export const downloadTrailJson = (recordId: number) => apiDownload(`/api/audit/records/${recordId}/trail`, `qua-trinh-ho-so-${recordId}.json`);

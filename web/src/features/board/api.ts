import { apiGet, apiPost } from '../../lib/api-client';
import type { AgencyCounts, DayCounts } from '../../lib/api-types';

const run = (runId: string) => `/api/runs/${encodeURIComponent(runId)}`;

export const agencyCounts = (runId: string, signal?: AbortSignal) => apiGet<{ items: AgencyCounts[] }>(`${run(runId)}/agencies`, signal);

/** The days as the browser counts them: its UTC offset now. */
export const perDay = (runId: string, days: number, signal?: AbortSignal) =>
  apiGet<{ days: DayCounts[] }>(`${run(runId)}/per-day?days=${days}&utcOffsetMinutes=${-new Date().getTimezoneOffset()}`, signal);

export const closeAgency = (agencyCode: string, reason: string) => apiPost<unknown>(`/api/agencies/${agencyCode}/close`, { reason });

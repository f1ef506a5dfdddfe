import { apiDownload, apiGet, apiPost, apiUpload, type UploadProgress } from '../../lib/api-client';
import type { AgencyFiles, AgencySchedule, Handover, Inbox, ProvinceRunProgress, RunList, RunStartedResponse } from '../../lib/api-types';

const run = (runId: string) => `/api/runs/${encodeURIComponent(runId)}`;

export interface HandoverFields {
  provinceCode: string;
  sha256: string;
  deliveredBy: string;
  channel: string;
}

export const listRuns = (provinceCode: string, signal?: AbortSignal) => apiGet<RunList>(`/api/provinces/${provinceCode}/runs`, signal);
export const inboxFiles = (signal?: AbortSignal) => apiGet<Inbox>('/api/inbox', signal);
export const startFromInbox = (fields: HandoverFields, inboxPath: string) => apiPost<RunStartedResponse>('/api/runs', { ...fields, inboxPath });

/** The fields go first: the API reads them before the file streams in. */
export function startFromUpload(fields: HandoverFields, file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file, file.name);
  return apiUpload<RunStartedResponse>('/api/runs/upload', form, onProgress, signal);
}

export const handoverOf = (runId: string, signal?: AbortSignal) => apiGet<Handover>(`${run(runId)}/handover`, signal);
export const confirmHandover = (runId: string) => apiPost<ProvinceRunProgress>(`${run(runId)}/confirm-handover`);
export const releaseSplit = (runId: string, schedules: Record<string, AgencySchedule>, autoImport: boolean) =>
  apiPost<ProvinceRunProgress>(`${run(runId)}/release`, { schedules, autoImport });
export const agencyFiles = (runId: string, agencyCode: string, signal?: AbortSignal) => apiGet<AgencyFiles>(`${run(runId)}/agencies/${agencyCode}/files`, signal);
export const downloadAgencyFolder = (runId: string, agencyCode: string) => apiDownload(`${run(runId)}/agencies/${agencyCode}/download`, `${runId}-${agencyCode}.zip`);
export const downloadExceptions = (runId: string) => apiDownload(`${run(runId)}/exceptions`, `${runId}-ngoai-le.xlsx`);

import { apiDownload, apiGet, apiPost, apiUpload, type UploadProgress } from '../../lib/api-client';
import type {
  Agency,
  AgencyFiles,
  AgencySchedule,
  CustodianDecisionInput,
  CustodianTableResult,
  Custodians,
  DecisionBatchResult,
  ExceptionReasons,
  Handover,
  Inbox,
  PlacementResult,
  ProvinceRunProgress,
  RunList,
  RunStartedResponse,
} from '../../lib/api-types';

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
/** `withoutUndecided`: the coordinator confirmed leaving the rows of undecided former units as exceptions. */
export const releaseSplit = (runId: string, schedules: Record<string, AgencySchedule>, autoImport: boolean, withoutUndecided: boolean) =>
  apiPost<ProvinceRunProgress>(`${run(runId)}/release`, { schedules, autoImport, withoutUndecided });
export const agencyFiles = (runId: string, agencyCode: string, signal?: AbortSignal) => apiGet<AgencyFiles>(`${run(runId)}/agencies/${agencyCode}/files`, signal);
export const downloadAgencyFolder = (runId: string, agencyCode: string) => apiDownload(`${run(runId)}/agencies/${agencyCode}/download`, `${runId}-${agencyCode}.zip`);
export const downloadExceptions = (runId: string) => apiDownload(`${run(runId)}/exceptions`, `${runId}-ngoai-le.xlsx`);

/** The multipart body of a file the API reads whole (a decisions table, a filled exceptions workbook). */
const fileForm = (file: File) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
};

export const exceptionReasons = (runId: string, signal?: AbortSignal) => apiGet<ExceptionReasons>(`${run(runId)}/exceptions/reasons`, signal);
export const placeExceptions = (runId: string, file: File, onProgress: (p: UploadProgress) => void) => apiUpload<PlacementResult>(`${run(runId)}/exceptions/placements`, fileForm(file), onProgress);
export const custodiansOf = (runId: string, signal?: AbortSignal) => apiGet<Custodians>(`${run(runId)}/custodians`, signal);
export const decideCustodian = (runId: string, decision: CustodianDecisionInput) => apiPost<DecisionBatchResult>(`${run(runId)}/custodians`, { decisions: [decision] });
export const decideFromTable = (runId: string, file: File, onProgress: (p: UploadProgress) => void) => apiUpload<CustodianTableResult>(`${run(runId)}/custodians/table`, fileForm(file), onProgress);
/** The current agencies of the province: any may be named custodian. */
export const provinceAgencies = (provinceCode: string, signal?: AbortSignal) => apiGet<{ items: Agency[] }>(`/api/provinces/${provinceCode}/agencies`, signal);

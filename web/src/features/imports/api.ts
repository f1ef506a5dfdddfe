import { queryOptions } from '@tanstack/react-query';
import { apiDownload, apiGet, apiUpload, type UploadProgress } from '../../lib/api-client';
import type { ExcelImportResult, ImportsView, ScanImportReport } from '../../lib/api-types';
import { agencyKeys } from '../../lib/agency';

export const importsQuery = (agencyCode: string) =>
  queryOptions({ queryKey: agencyKeys.imports(agencyCode), queryFn: ({ signal }) => apiGet<ImportsView>(`/api/agencies/${agencyCode}/imports`, signal) });

/** The form's fields go before the file: the API reads them as the file streams in. */
export function importExcel(agencyCode: string, registerType: string, file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal) {
  const form = new FormData();
  form.append('registerType', registerType);
  form.append('file', file, file.name);
  return apiUpload<ExcelImportResult>(`/api/agencies/${agencyCode}/imports/excel`, form, onProgress, signal);
}

export function importScans(agencyCode: string, unitCode: string, file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal) {
  const form = new FormData();
  if (unitCode) form.append('unitCode', unitCode);
  form.append('file', file, file.name);
  return apiUpload<ScanImportReport>(`/api/agencies/${agencyCode}/imports/scans`, form, onProgress, signal);
}

export const downloadRejectedRows = (importId: number) => apiDownload(`/api/imports/${importId}/errors`, `import-${importId}.xlsx`);

/**
 * How large a body each route takes. Every multipart route has its row here (a route that
 * consumes multipart/form-data without one does not start: api/plugins/external/multipart.ts);
 * JSON bodies take JSON_BODY_MAX_BYTES unless their route is listed. A body past its limit is
 * refused with REQUEST_TOO_LARGE (413), naming the limit and the setting that changes it.
 */
import type { Config } from '../platform/config';
import { SETTING_ENV } from '../platform/config';

const MIB = 1024 ** 2;

export interface UploadLimit {
  /** What is uploaded, in Vietnamese, for the message. */
  what: string;
  bytes: (config: Config) => number;
  /** The environment variable that changes it, when it is a setting. */
  setting?: string;
}

/** Keyed by `METHOD /url` as Fastify registers it, without a trailing slash. */
export const MULTIPART_LIMITS: Readonly<Record<string, UploadLimit>> = {
  'POST /api/runs/upload': { what: 'Gói dữ liệu C06', bytes: (c) => c.uploads.packageMaxBytes, setting: SETTING_ENV['uploads.packageMaxBytes'] },
  // The filled exceptions workbook holds at most the package's rows.
  'POST /api/runs/:runId/exceptions/placements': { what: 'Tệp ngoại lệ đã điền', bytes: (c) => c.uploads.packageMaxBytes, setting: SETTING_ENV['uploads.packageMaxBytes'] },
  'POST /api/agencies/:agencyCode/imports/excel': { what: 'Tệp Excel', bytes: (c) => c.uploads.excelMaxBytes, setting: SETTING_ENV['uploads.excelMaxBytes'] },
  'POST /api/agencies/:agencyCode/imports/scans': { what: 'Tệp nén các trang quét', bytes: (c) => c.imports.scanZipMaxBytes, setting: SETTING_ENV['imports.scanZipMaxBytes'] },
  // A row per former unit of a province: a few hundred rows, a few kilobytes.
  'POST /api/runs/:runId/custodians/table': { what: 'Bảng quyết định cơ quan lưu giữ', bytes: () => 16 * MIB },
};

/** Fastify's own default: ample for a page of 200 decisions with their corrections. */
export const JSON_BODY_MAX_BYTES = MIB;

/** JSON routes that take more. */
export const JSON_LIMITS: Readonly<Record<string, UploadLimit>> = {
  // Up to 5,000 decisions, each with a basis of up to 1,000 characters.
  'POST /api/runs/:runId/custodians': { what: 'Danh sách quyết định cơ quan lưu giữ', bytes: () => 8 * MIB },
};

/** The key of a route in the tables above (and in api/access-table.ts). */
export function routeKey(method: string, url: string): string {
  return `${method} ${url.length > 1 ? url.replace(/\/$/, '') : url}`;
}
